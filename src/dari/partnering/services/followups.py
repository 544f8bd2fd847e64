"""After the meeting: each side reports whether its meeting happened and what came of it; a
negotiation started opens an outcome (through ``dari.outcomes``) linked to the meeting; the sides
that have not said what came of it are reminded 30, 90 and 180 days after it.

Who reports: each side for itself (its members, and its delegates at the meeting), never the
organizers or staff as such. What came of it moves along one machine, ``FOLLOW_UP``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.accounts.queries import members_by_organization
from dari.core.bilingual import localized
from dari.core.services import Fields, only, require
from dari.core.time import in_zone
from dari.core.transitions import Transitions
from dari.notifications.services import notify
from dari.outcomes.services import record_outcome, starting_stages
from dari.outcomes.vocabulary import Kind
from dari.registry.models import Organization

from ..models import Attendance, FollowUp, FollowUpReminder, Meeting, MeetingOutcome, MeetingReport
from ..permissions import can_report_meeting

#: The notification kind reminding a side to say what came of a meeting (users may turn it off).
FOLLOW_UP_REMINDER = "partnering.follow_up_reminder"
#: Days after a meeting when a side that has not said what came of it is reminded, once each.
REMINDER_DAYS = (30, 90, 180)
#: A reminder not sent within this many days of its day (the runner was stopped) is not sent late.
REMINDER_WINDOW = 30
#: The longest note a report may carry.
NOTE_LIMIT = 2000
#: The kinds of outcome a negotiation may open (the first is the default).
OUTCOME_KINDS = (Kind.PARTNERSHIP, Kind.INVESTMENT, Kind.CONTRACT)

#: What a side writes in its report.
MEETING_REPORT = Fields(creatable=("attendance", "result", "note"))

# What came of a meeting moves forward: a follow-up may become a negotiation and an agreement, and
# any of them may end in no further contact, from which contact may resume. An agreement is final.
# "Not recorded yet" is only where a report starts.
FOLLOW_UP = Transitions(
    FollowUp,
    {
        FollowUp.NOT_RECORDED: {
            FollowUp.NO_FURTHER_CONTACT,
            FollowUp.FOLLOW_UP,
            FollowUp.NEGOTIATION_STARTED,
            FollowUp.AGREEMENT_REACHED,
        },
        FollowUp.NO_FURTHER_CONTACT: {FollowUp.FOLLOW_UP, FollowUp.NEGOTIATION_STARTED},
        FollowUp.FOLLOW_UP: {
            FollowUp.NO_FURTHER_CONTACT,
            FollowUp.NEGOTIATION_STARTED,
            FollowUp.AGREEMENT_REACHED,
        },
        FollowUp.NEGOTIATION_STARTED: {FollowUp.NO_FURTHER_CONTACT, FollowUp.AGREEMENT_REACHED},
    },
    field="result",
    refusal=gettext_lazy("What came of a meeting cannot go from %(old)s to %(new)s."),
)

#: Results after which a side is not reminded any more.
SETTLED = frozenset({FollowUp.NO_FURTHER_CONTACT, FollowUp.AGREEMENT_REACHED})


def report_page(meeting: Meeting) -> str:
    return reverse("partnering:meeting-report", args=[meeting.pk])


def other_side(meeting: Meeting, organization_id: int) -> Organization:
    request = meeting.request
    return request.candidate if organization_id == request.subject_id else request.subject


@transaction.atomic
def report_meeting(
    actor: Actor,
    meeting: Meeting,
    organization: Organization,
    values: dict,
    *,
    outcome_kind: str = "",
    version: int | None = None,
) -> MeetingReport:
    """Record (or change) ``organization``'s report on ``meeting``: ``values`` of ``MEETING_REPORT``
        (``attendance`` held / no_show / cancelled, ``result`` along ``FOLLOW_UP``, empty to leave it as
    it is, ``note``), from the
        ``version`` the reporter saw when changing one (``Conflict`` if someone saved since). Allowed:
        that side only (``can_report_meeting``), once the meeting has started, for a meeting the
        schedule holds. Sending a ``result``, even the same one again, counts as saying what came of it
        for the reminders.

        Effects, in one transaction: the report saved with its audit entry
        (``partnering.meeting_report.created`` / ``changed``); when the result is "negotiation started"
        and this side has opened no outcome for the meeting yet, an outcome of ``outcome_kind``
        (partnership, investment or contract; default partnership) at its kind's first stage, for
        ``organization`` with the other side as counterparty, not public, through
        ``outcomes.services.record_outcome`` (its own permission check and audit entry), linked by a
        ``MeetingOutcome`` (audit ``partnering.meeting.outcome_opened``). Raises ``PermissionDenied``,
        or ``ValidationError`` (nothing written): a meeting not yet started or cancelled, a move the
        machine refuses, a result for a meeting not held, an unknown kind of outcome, a note too long."""
    require(
        actor.user is not None and can_report_meeting(actor.user, meeting, organization.pk),
        _("Only the organization's own people report on its side of a meeting."),
    )
    values = only(values, MEETING_REPORT.creatable)
    # The meeting's row serializes the two sides' first reports and a side's two members.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "slot", "request__subject", "request__candidate")
        .get(pk=meeting.pk)
    )
    if meeting.state != Meeting.State.SCHEDULED:
        raise ValidationError(
            {"meeting": _("This meeting was cancelled in the schedule: there is nothing to report.")}
        )
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError({"meeting": _("The meeting has not started yet.")})
    if len(values.get("note") or "") > NOTE_LIMIT:
        raise ValidationError(
            {"note": _("Keep the note under %(limit)d characters.") % {"limit": NOTE_LIMIT}}
        )
    if "note" in values:
        values["note"] = values["note"].strip()
    if outcome_kind and outcome_kind not in OUTCOME_KINDS:
        raise ValidationError({"outcome_kind": _("Choose a partnership, an investment or a contract.")})
    report = MeetingReport.objects.filter(meeting=meeting, organization=organization).first()
    old = report.result if report is not None else FollowUp.NOT_RECORDED
    said = values.get("result") or ""
    if said and said != old:
        FOLLOW_UP.check(old, said)
    values["result"] = said or old  # nothing said: what came of it stays as it was
    now = timezone.now()

    def stamp(obj: MeetingReport, before: dict | None = None) -> None:
        obj.reported_by = actor.user
        if said:
            obj.result_updated_at = now

    if report is None:
        report = audit.create(
            actor,
            MeetingReport(meeting=meeting, organization=organization),
            values,
            MEETING_REPORT,
            "partnering.meeting_report.created",
            prepare=stamp,
        )
    else:
        report = audit.update(
            actor,
            report,
            values,
            MEETING_REPORT,
            "partnering.meeting_report.changed",
            version=version,
            prepare=stamp,
        )
    if report.result == FollowUp.NEGOTIATION_STARTED:
        open_outcome(actor, meeting, organization, outcome_kind or OUTCOME_KINDS[0])
    return report


def open_outcome(actor: Actor, meeting: Meeting, organization: Organization, kind: str) -> MeetingOutcome:
    """The outcome ``organization`` opened after ``meeting``, opened now if there is none yet."""
    link = MeetingOutcome.objects.filter(meeting=meeting, organization=organization).first()
    if link is not None:
        return link
    other = other_side(meeting, organization.pk)
    zone = ZoneInfo(settings.PARTNERSHIP_TIME_ZONES[0])
    titles = {}
    for language in ("ko", "en"):
        with translation.override(language):
            title = _("%(organization)s and %(other)s: negotiation after their meeting at %(event)s") % {
                "organization": str(localized(organization, "name", language)),
                "other": str(localized(other, "name", language)),
                "event": str(localized(meeting.event, "name", language)),
            }
        titles[f"title_{language}"] = title[:300]
    outcome = record_outcome(
        actor,
        {
            "kind": kind,
            "stage": starting_stages(kind)[0],
            "startup": organization,
            "counterparty": other,
            **titles,
            "reported_on": timezone.localdate(timezone=zone),
            "occurred_on": in_zone(meeting.slot.starts_at, meeting.event.time_zone).date(),
            # A negotiation is not news yet: the side makes it public when it may be said.
            "is_public": False,
        },
    )
    link = MeetingOutcome.objects.create(meeting=meeting, organization=organization, outcome=outcome)
    log_action(
        actor,
        "partnering.meeting.outcome_opened",
        meeting,
        {"organization": [None, organization.pk], "outcome": [None, outcome.pk]},
    )
    return link


# --- reminders -----------------------------------------------------------------------------------


def reminder_day(age: timedelta) -> tuple[int, int] | None:
    """The reminder day due for a meeting ended ``age`` ago, with the one before it (0 for the
    first), or None: before the first, or past a day's window."""
    due = [
        days for days in REMINDER_DAYS if timedelta(days=days) <= age < timedelta(days=days + REMINDER_WINDOW)
    ]
    if not due:
        return None
    days = due[-1]
    before = [earlier for earlier in REMINDER_DAYS if earlier < days]
    return days, before[-1] if before else 0


def needs_reminder(report: MeetingReport | None, ended_at: datetime, since_days: int) -> bool:
    """A side is reminded unless it settled what came of it, or said what came of it on or after
    ``since_days`` after the meeting (any time after it, for the first reminder)."""
    if report is None or not report.result_updated_at:
        return True
    if report.result in SETTLED:
        return False
    return report.result_updated_at < ended_at + timedelta(days=since_days)


def follow_up_reminders(now: datetime) -> list[tuple[Meeting, int, int]]:
    """(meeting, side, days) of each reminder due at ``now`` and not sent: meetings the schedule
    holds, ended 30 to 210 days ago, that no side reported as not held (a no-show or cancelled)."""
    oldest = now - timedelta(days=REMINDER_DAYS[-1] + REMINDER_WINDOW)
    meetings = (
        Meeting.objects.filter(
            state=Meeting.State.SCHEDULED,
            slot__ends_at__lte=now - timedelta(days=REMINDER_DAYS[0]),
            slot__ends_at__gt=oldest,
        )
        .exclude(reports__attendance__in=[Attendance.NO_SHOW, Attendance.CANCELLED])
        .select_related("event", "slot", "request__subject", "request__candidate")
        .prefetch_related("reports", "request__delegates__user")
        .order_by("slot__ends_at", "pk")
    )
    sent = set(
        FollowUpReminder.objects.filter(meeting__in=meetings).values_list(
            "meeting_id", "organization_id", "days"
        )
    )
    due = []
    for meeting in meetings:
        day = reminder_day(now - meeting.slot.ends_at)
        if day is None:
            continue
        days, since = day
        reports = {report.organization_id: report for report in meeting.reports.all()}
        for side in (meeting.request.subject_id, meeting.request.candidate_id):
            if (meeting.pk, side, days) in sent:
                continue
            if needs_reminder(reports.get(side), meeting.slot.ends_at, since):
                due.append((meeting, side, days))
    return due


def reminder_recipients(meeting: Meeting, side: int) -> list:
    """The side's delegates at the meeting, or, when none is left, its members."""
    users = [
        delegate.user for delegate in meeting.request.delegates.all() if delegate.organization_id == side
    ]
    users = users or members_by_organization([side]).get(side, [])
    return [user for user in users if user.is_active]


def send_follow_up_reminders(now: datetime) -> int:
    """Send each reminder due at ``now`` (:func:`follow_up_reminders`) to its side's people
    (``FOLLOW_UP_REMINDER``: the bell and e-mail, as each chose), once: its ``FollowUpReminder`` row
    is claimed first, under its unique constraint, in the transaction that writes the notices, so a
    second runner at the same time finds it taken and sends nothing. Returns how many were sent."""
    count = 0
    for meeting, side, days in follow_up_reminders(now):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    FollowUpReminder.objects.create(meeting=meeting, organization_id=side, days=days)
            except IntegrityError:
                continue  # another runner sent it
            other = other_side(meeting, side)
            for user in reminder_recipients(meeting, side):
                notify(
                    user,
                    FOLLOW_UP_REMINDER,
                    subject_object=meeting,
                    context={"days": days, "other": other},
                    link=report_page(meeting),
                )
        count += 1
    return count


def send_follow_up_reminders_periodically(now: datetime) -> str:
    """The periodic runner's entry (``dari run_periodic``, hourly)."""
    return f"{send_follow_up_reminders(now)} follow-up reminder(s) sent"
