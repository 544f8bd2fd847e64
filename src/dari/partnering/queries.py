"""Reads for partnering: who sees which events, delegates and meeting requests.

- An event: staff; its organizers and delegates (``event_organizer``/``event_delegate`` roles); the
  members of its participating organizations; anyone, once its registration opens, if it is public.
- Its delegates (who takes part, for which organization): its organizers, its delegates and the
  members of the organizations taking part; staff.
- Taking part in an event shows a participating organization to the event's organizers and to the
  other participants' members (``participants_see_each_other``, a registry visibility grant), so that
  they can ask for meetings.
- A meeting report (one side's word on whether a meeting happened and what came of it): whoever
  sees the meeting (both sides once published, its event's organizers, staff); its note only its
  own side and staff (``permissions.can_read_report_note``).
- A meeting request: staff; whoever made it; the members of the organizations on either side; the
  managers of the requesting organization's programs; an event's organizers see its requests. No one
  else: another participant of the same event sees nothing of it.
"""

from django.db import models
from django.db.models import Q

from dari.accounts.access import Access, access_for


def participating_event_ids(access: Access):
    """A subquery of the events where one of the user's organizations takes part."""
    from .models import Delegate

    return Delegate.objects.filter(organization_id__in=access.organization_ids).values("event_id")


def participants_see_each_other(access: Access) -> Q | None:
    """Registered as a registry visibility grant: an event's organizers and participants see the
    organizations taking part in it."""
    if not (access.event_ids or access.organization_ids):
        return None
    from .models import Delegate

    events = Q(event_id__in=access.event_ids) | Q(event_id__in=participating_event_ids(access))
    return Q(pk__in=Delegate.objects.filter(events).values("organization_id"))


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(is_public=True) & ~Q(status="draft")
        if access.event_ids:
            condition |= Q(pk__in=access.event_ids)
        if access.organization_ids:
            condition |= Q(pk__in=participating_event_ids(access))
        return self.filter(condition)


class DelegateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who takes part for whom: staff; an event's organizers and delegates, and the members of
        the organizations taking part in it, see its delegates. Nobody else (not the public, even
        of a public event)."""
        access = access_for(user)
        if not access.is_authenticated:
            return self.none()
        if access.sees_everything:
            return self
        condition = Q(event_id__in=access.event_ids)
        if access.organization_ids:
            condition |= Q(event_id__in=participating_event_ids(access))
        return self.filter(condition)

    def of_user(self, user, event):
        """``user``'s own delegation at ``event``, or None."""
        if not getattr(user, "is_authenticated", False):
            return None
        return self.filter(event=event, user=user).select_related("organization").first()


class MeetingRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every request; others the requests they made, those of their organizations on
        either side, those made for an organization of a program they manage (the people who
        may act on its suggestions, see ``dari.matching.permissions.can_view_suggestions``), and
        those of the events they organize."""
        from dari.accounts.access import access_for

        access = access_for(user)
        if not access.is_authenticated:
            return self.none()
        if access.sees_everything:
            return self
        from dari.matching.permissions import suggestion_subjects
        from dari.registry.models import Organization

        subjects = Organization.objects.filter(suggestion_subjects(access)).values("pk")
        return self.filter(
            models.Q(requested_by=user)
            | models.Q(subject__in=subjects)
            | models.Q(candidate__in=list(access.organization_ids))
            | models.Q(event_id__in=access.organized_event_ids)
        )

    def for_listing(self, user):
        """Rows ready to show to ``user``, ``subject_visible``/``candidate_visible`` saying whether
        ``user`` may be told each organization's name: the organizations ``user`` sees (either may
        have become private since the request), and the subject to the requested organization's
        members, since asking for a meeting tells them who asks."""
        from dari.accounts.access import access_for
        from dari.registry.models import Organization

        organizations = Organization.objects.visible_to(user)
        asked = models.Q(candidate_id__in=list(access_for(user).organization_ids))
        return self.select_related("subject", "candidate", "requested_by", "answered_by", "event").annotate(
            subject_visible=models.Exists(organizations.filter(pk=models.OuterRef("subject_id"))) | asked,
            candidate_visible=models.Exists(organizations.filter(pk=models.OuterRef("candidate_id"))),
        )

    def live(self, subject, candidate=None, event=None):
        """``subject``'s live requests outside events (or at ``event``): open, proposed, or
        accepted (a meeting to arrange), with ``candidate`` only when given. While one is live, the
        pair cannot be asked again there."""
        found = self.filter(subject=subject, event=event, status__in=["open", "proposed", "accepted"])
        return found if candidate is None else found.filter(candidate=candidate)

    def live_candidate_ids(self, subject) -> set[int]:
        """The organizations ``subject`` has a live (open or accepted) meeting request with."""
        return set(self.live(subject).values_list("candidate_id", flat=True))


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every meeting; an event's organizers its meetings; the members of the two
        organizations of a meeting see it once the event's schedule is published (or the event
        closed). Nobody else: another participant of the same event sees nothing of it."""
        access = access_for(user)
        if not access.is_authenticated:
            return self.none()
        if access.sees_everything:
            return self
        own = list(access.organization_ids)
        condition = Q(event_id__in=access.organized_event_ids)
        if own:
            condition |= Q(event__status__in=["published", "closed"]) & (
                Q(request__subject_id__in=own) | Q(request__candidate_id__in=own)
            )
        return self.filter(condition)

    def attended_by(self, user):
        """The meetings ``user`` attends as one of their request's delegates."""
        return self.filter(request__delegates__user=user).distinct()

    def for_agenda(self):
        return self.select_related(
            "event", "slot", "location", "request__subject", "request__candidate"
        ).prefetch_related("request__delegates__user", "request__delegates__organization")


class MeetingReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports on the meetings ``user`` sees (``MeetingQuerySet.visible_to``): both sides
        read each other's attendance and result; the note is its side's (see the permissions)."""
        from .models import Meeting

        return self.filter(meeting__in=Meeting.objects.visible_to(user))


def event_follow_up_figures(user, event) -> dict[str, int]:
    """What the event's meetings led to, counted among what ``user`` sees: requests sent (every
    request made at the event, withdrawn ones too) and accepted, meetings scheduled (the schedule
    holds them) and held (a side reported it held), meetings a side reported the other side did
    not come to (no-shows), and the outcomes that followed (opened from a meeting's report and
    linked to it, counted once each, only those ``user`` may see)."""
    from dari.outcomes.models import Outcome

    from .models import Meeting, MeetingOutcome, MeetingRequest

    requests = MeetingRequest.objects.visible_to(user).filter(event=event)
    meetings = Meeting.objects.visible_to(user).filter(event=event)
    scheduled = meetings.filter(state="scheduled")
    return {
        "requests_sent": requests.count(),
        "requests_accepted": requests.filter(status="accepted").count(),
        "meetings_scheduled": scheduled.count(),
        "meetings_held": scheduled.filter(reports__attendance="held").distinct().count(),
        "no_shows": scheduled.filter(reports__attendance="no_show").distinct().count(),
        "outcomes": MeetingOutcome.objects.filter(
            meeting__in=meetings, outcome__in=Outcome.objects.visible_to(user)
        ).count(),
    }


def meeting_for_report(user, pk: int):
    """The meeting ``pk`` if ``user`` sees it, ready for its reports, or None."""
    from .models import Meeting

    return (
        Meeting.objects.visible_to(user)
        .select_related("event", "slot", "location", "request__subject", "request__candidate")
        .prefetch_related("request__delegates__user", "request__delegates__organization")
        .filter(pk=pk)
        .first()
    )


def meeting_report_sides(user, meeting) -> list[dict]:
    """Both sides of ``meeting`` (requesting side first) as ``user`` may read their reports: each
    with its ``organization``, its ``report`` (None before it reports) and the report's fields;
    ``note`` and ``reported_by`` only for that side and staff (None for others), ``outcome`` the
    outcome the side opened from it if ``user`` may see it, ``editable`` whether ``user`` reports
    for that side. Whoever sees the meeting reads the rest: the other side learns whether its
    counterpart says the meeting happened and what came of it, which both took part in."""
    from dari.outcomes.models import Outcome

    from .models import MeetingOutcome
    from .permissions import can_read_report_note, report_sides

    reports = {report.organization_id: report for report in meeting.reports.select_related("reported_by")}
    outcomes = {
        link.organization_id: link.outcome
        for link in MeetingOutcome.objects.filter(
            meeting=meeting, outcome__in=Outcome.objects.visible_to(user)
        ).select_related("outcome")
    }
    own = report_sides(user, meeting)
    sides = []
    for organization in (meeting.request.subject, meeting.request.candidate):
        report = reports.get(organization.pk)
        private = report is not None and can_read_report_note(user, report)
        sides.append(
            {
                "id": report.pk if report else None,
                "meeting_id": meeting.pk,
                "organization": organization,
                "report": report,
                "attendance": report.attendance if report else None,
                "result": report.result if report else "",
                "note": report.note if private else None,
                "reported_by": report.reported_by.get_username() if private and report.reported_by else None,
                "outcome": outcomes.get(organization.pk),
                "outcome_id": outcomes[organization.pk].pk if organization.pk in outcomes else None,
                "result_updated_at": report.result_updated_at if report else None,
                "updated_at": report.updated_at if report else None,
                "version": report.version if report else 0,
                "editable": organization.pk in own,
            }
        )
    return sides


def programme(event, user) -> list[dict]:
    """The event's programme, each moment with the agreement it points at when ``user`` may see it
    (else its title is not told)."""
    from dari.agreements.models import Agreement

    items = list(event.items.select_related("agreement", "source"))
    linked = [item.agreement_id for item in items if item.agreement_id]
    seen = set(Agreement.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
    return [
        {"item": item, "agreement": item.agreement if item.agreement_id in seen else None} for item in items
    ]
