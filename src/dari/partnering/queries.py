"""Reads for partnering: who sees which events, delegates and meeting requests.

- An event: staff; its organizers and delegates (``event_organizer``/``event_delegate`` roles); the
  members of its participating organizations; anyone, once its registration opens, if it is public.
- Its delegates (who takes part, for which organization): its organizers, its delegates and the
  members of the organizations taking part; staff.
- Taking part in an event shows a participating organization to the event's organizers and to the
  other participants' members (``participants_see_each_other``, a registry visibility grant), so that
  they can ask for meetings.
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
