"""After the meeting: each side reports, for itself only, whether its meeting happened and what came
of it; "negotiation started" opens one outcome for that side, linked to the meeting in partnering;
the sides that have not said what came of it are reminded 30, 90 and 180 days after it, once each;
the organizers read what the event's meetings led to, counted among what they may see."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dari.accounts.access import forget_access
from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Membership, Role
from dari.accounts.services import grant_membership
from dari.jobs.periodic import periodic_tasks
from dari.notifications.kinds import get_kind
from dari.notifications.models import Notification
from dari.notifications.services import set_preference
from dari.outcomes.models import Outcome, StageChange
from dari.partnering.models import (
    Event,
    FollowUpReminder,
    Location,
    Meeting,
    MeetingOutcome,
    MeetingReport,
    Slot,
)
from dari.partnering.services import (
    FOLLOW_UP_REMINDER,
    add_location,
    follow_up_reminders,
    report_meeting,
    send_follow_up_reminders,
    set_meeting_request_status,
)
from dari.partnering.services import followups as followups_module

from ..factories import UserFactory
from .test_event_requests import Status, ask, world  # noqa: F401  (the event, its people and delegates)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def met(world):  # noqa: F811
    """``world``'s event, published, where the startup met the fund (first slot, 09:00 PDT on
    2024-03-10) and the corporate (second slot); a third request, to the second fund, is still
    open. ``organizer`` organizes the event."""
    event, users, delegates = world["event"], world["users"], world["delegates"]
    staff = Actor(users["staff"])
    table = add_location(staff, event, {"name_en": "Table 1", "kind": Location.Kind.TABLE, "capacity": 2})
    slots = list(event.slots.order_by("starts_at"))
    to_fund = set_meeting_request_status(
        Actor(users["fund"]),
        ask(world, delegates=[delegates["startup"]], candidate_delegates=[delegates["fund"].pk]),
        Status.ACCEPTED,
    )
    to_corp = set_meeting_request_status(
        Actor(users["corp"]), ask(world, candidate="corp", delegates=[delegates["startup"]]), Status.ACCEPTED
    )
    Event.objects.filter(pk=event.pk).update(request_cap=None)
    event.refresh_from_db()
    ask(world, candidate="fund2")
    world["with_fund"] = Meeting.objects.create(event=event, request=to_fund, slot=slots[0], location=table)
    world["with_corp"] = Meeting.objects.create(event=event, request=to_corp, slot=slots[1], location=table)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PUBLISHED)
    event.refresh_from_db()
    users["organizer"] = UserFactory(username="organizer")
    grant_membership(Actor.system(), users["organizer"], Role.EVENT_ORGANIZER, event)
    return world


def report(met, by, side, meeting="with_fund", **values):
    values.setdefault("attendance", "held")
    kind = values.pop("outcome_kind", "")
    return report_meeting(Actor(met["users"][by]), met[meeting], met["orgs"][side], values, outcome_kind=kind)


# --- who reports for which side ----------------------------------------------------------------------


def test_each_side_reports_for_itself_and_nobody_else_does(met):
    saved = report(met, "startup", "startup", result="follow_up", note="Send the pilot data")

    assert (saved.attendance, saved.result, saved.note, saved.reported_by) == (
        "held",
        "follow_up",
        "Send the pilot data",
        met["users"]["startup"],
    )
    entry = AuditEntry.objects.get(action="partnering.meeting_report.created")
    assert entry.changes == {
        "attendance": [None, "held"],
        "result": [None, "follow_up"],
        "note": [None, "Send the pilot data"],
    }
    # A second member of the same side changes it (not a delegate of the meeting, but a member).
    report(met, "startup-b", "startup", result="negotiation_started")
    # The other side, the organizers, staff and another participant do not report for the startup.
    for by in ("fund", "organizer", "staff", "fund2", "clinic"):
        with pytest.raises(PermissionDenied):
            report(met, by, "startup", result="agreement_reached")
    # Nor does anyone for a meeting that is not theirs (the corporate in the fund's meeting).
    with pytest.raises(PermissionDenied):
        report(met, "corp", "corp")
    assert MeetingReport.objects.get().result == "negotiation_started"
    # The fund reports for its own side.
    report(met, "fund", "fund", attendance="held")
    assert MeetingReport.objects.count() == 2


def test_reporting_is_refused_with_the_reason(met):
    cases = [
        ({"attendance": "no_show", "result": "follow_up"}, "result"),
        ({"attendance": "maybe"}, "attendance"),
        ({"result": "negotiation_started", "outcome_kind": "regulatory"}, "outcome_kind"),
        ({"note": "x" * 2001}, "note"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as refused:
            report(met, "startup", "startup", **values)
        assert field in refused.value.message_dict, values
    report(met, "startup", "startup", result="agreement_reached")
    with pytest.raises(ValidationError) as backwards:
        report(met, "startup", "startup", result="follow_up")
    assert backwards.value.message_dict["result"] == [
        "What came of a meeting cannot go from agreement reached to follow-up."
    ]
    # A meeting still to come, and one the schedule cancelled, have nothing to report yet.
    Slot.objects.filter(pk=met["with_corp"].slot_id).update(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )
    with pytest.raises(ValidationError, match="has not started yet"):
        report(met, "corp", "corp", meeting="with_corp")
    Meeting.objects.filter(pk=met["with_fund"].pk).update(state=Meeting.State.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled in the schedule"):
        report(met, "fund", "fund")
    assert MeetingReport.objects.count() == 1 and not Outcome.objects.exists()


# --- the outcome a negotiation opens -----------------------------------------------------------------


def test_a_negotiation_opens_one_outcome_for_the_side_linked_to_the_meeting(met):
    startup, fund = met["orgs"]["startup"], met["orgs"]["fund"]

    report(met, "startup", "startup", result="negotiation_started")

    outcome = Outcome.objects.get()
    assert (outcome.kind, outcome.stage, outcome.startup, outcome.counterparty, outcome.is_public) == (
        "partnership",
        "discussing",
        startup,
        fund,
        False,
    )
    assert outcome.title_en == "Startup and Fund: negotiation after their meeting at Partnering day"
    assert outcome.occurred_on.isoformat() == "2024-03-10"
    assert list(StageChange.objects.filter(outcome=outcome).values_list("stage", flat=True)) == ["discussing"]
    link = MeetingOutcome.objects.get()
    assert (link.meeting, link.organization, link.outcome) == (met["with_fund"], startup, outcome)
    assert AuditEntry.objects.filter(action="outcomes.outcome.created").count() == 1
    opened = AuditEntry.objects.get(action="partnering.meeting.outcome_opened")
    assert opened.changes == {"organization": [None, startup.pk], "outcome": [None, outcome.pk]}

    # Reporting again (the same result, a note), then an agreement, opens no second outcome.
    report(met, "startup", "startup", result="negotiation_started", note="Term sheet in May")
    report(met, "startup", "startup", result="agreement_reached")
    assert Outcome.objects.count() == 1 and MeetingOutcome.objects.count() == 1

    # The fund's own report opens the fund's own outcome, of the kind it chose, at its first stage.
    report(met, "fund", "fund", result="negotiation_started", outcome_kind="investment")
    theirs = MeetingOutcome.objects.get(organization=fund).outcome
    assert (theirs.kind, theirs.stage, theirs.startup, theirs.counterparty) == (
        "investment",
        "sourced",
        fund,
        startup,
    )


def test_the_outcome_follows_the_outcomes_permission_rules(met):
    """A delegate of the meeting who is no longer a member of its organization still reports on its
    side, but may not record the organization's outcomes: a negotiation is refused whole."""
    user = met["users"]["fund"]
    Membership.objects.filter(user=user, role=Role.ORGANIZATION_MEMBER).delete()
    forget_access(user)
    report(met, "fund", "fund", result="follow_up")

    with pytest.raises(PermissionDenied):
        report(met, "fund", "fund", result="negotiation_started")

    assert MeetingReport.objects.get().result == "follow_up"
    assert not Outcome.objects.exists() and not MeetingOutcome.objects.exists()


# --- what each one reads -----------------------------------------------------------------------------


def reports_seen(api_client, user, meeting) -> dict:
    answer = api_client(user).get(f"/api/v1/meetings/{meeting.pk}/reports")
    if answer.status_code != 200:
        return answer.status_code
    return {
        item["organization"]["key"]: (item["result"], item["note"], item["outcome_id"], item["editable"])
        for item in answer.json()["items"]
    }


def test_the_other_side_and_the_organizers_read_the_result_never_the_note(met, api_client):
    users, meeting = met["users"], met["with_fund"]
    report(met, "startup", "startup", result="negotiation_started", note="Our walk-away price")
    report(met, "fund", "fund", result="follow_up", note="Check their FDA status")
    outcome = Outcome.objects.get().pk

    assert reports_seen(api_client, users["startup"], meeting) == {
        "startup": ("negotiation_started", "Our walk-away price", outcome, True),
        "fund": ("follow_up", None, None, False),
    }
    # The outcome is not public: the fund and the organizer are told there is one only if they may see it.
    assert reports_seen(api_client, users["fund"], meeting) == {
        "startup": ("negotiation_started", None, None, False),
        "fund": ("follow_up", "Check their FDA status", None, True),
    }
    assert reports_seen(api_client, users["organizer"], meeting) == {
        "startup": ("negotiation_started", None, None, False),
        "fund": ("follow_up", None, None, False),
    }
    assert reports_seen(api_client, users["staff"], meeting) == {
        "startup": ("negotiation_started", "Our walk-away price", outcome, False),
        "fund": ("follow_up", "Check their FDA status", None, False),
    }
    # Another participant, the corporate (in another of the startup's meetings), an outsider: 404.
    for user in (users["fund2"], users["corp"], UserFactory()):
        assert reports_seen(api_client, user, meeting) == 404
    assert api_client().get(f"/api/v1/meetings/{meeting.pk}/reports").status_code == 401

    page = api_client(users["fund"]).get(f"/meetings/{meeting.pk}/report/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and "Check their FDA status" in text
    assert "negotiation started" in text and "Our walk-away price" not in text


def test_the_api_puts_a_sides_report_and_refuses_with_the_one_error_shape(met, api_client):
    users, meeting, orgs = met["users"], met["with_fund"], met["orgs"]
    path = f"/api/v1/meetings/{meeting.pk}/reports/{orgs['startup'].pk}"

    def put(user, body, where=path):
        return api_client(user).put(where, json.dumps(body), content_type="application/json")

    answer = put(users["startup"], {"attendance": "held", "result": "negotiation_started"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["attendance"], body["result"], body["editable"], body["version"]) == (
        "held",
        "negotiation_started",
        True,
        1,
    )
    assert body["outcome_id"] == Outcome.objects.get().pk
    assert body["web_url"].endswith(f"/meetings/{meeting.pk}/report/")

    # A report sent without what came of it leaves that as it was.
    assert put(users["startup"], {"attendance": "held", "note": "LOI next"}).json()["result"] == (
        "negotiation_started"
    )
    refused = put(users["startup"], {"attendance": "perhaps"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "attendance"
    backwards = put(users["startup"], {"attendance": "held", "result": "follow_up"})
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["loc"][-1] == "result"
    stale = put(users["startup-b"], {"attendance": "held", "result": "agreement_reached", "version": 1})
    assert stale.status_code == 409, stale.content.decode()[-3000:]
    assert isinstance(stale.json()["detail"], str)
    other_side = put(users["fund"], {"attendance": "no_show"})
    assert other_side.status_code == 403 and isinstance(other_side.json()["detail"], str)
    assert put(users["organizer"], {"attendance": "held"}).status_code == 403
    assert put(users["fund2"], {"attendance": "held"}).status_code == 404
    not_a_side = f"/api/v1/meetings/{meeting.pk}/reports/{orgs['corp'].pk}"
    assert put(users["corp"], {"attendance": "held"}, not_a_side).status_code == 404
    assert api_client().put(path, "{}", content_type="application/json").status_code == 401
    assert MeetingReport.objects.get().result == "negotiation_started"


def test_the_page_saves_a_sides_report_in_both_languages(met, client):
    users, meeting, orgs = met["users"], met["with_fund"], met["orgs"]
    client.force_login(users["fund"])
    path = f"/meetings/{meeting.pk}/report/"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="ko").status_code == 200
    assert "Did the meeting happen?" in client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    sent = client.post(path, {"organization": orgs["fund"].pk, "attendance": "held", "result": "follow_up"})

    assert sent.status_code == 302 and sent["Location"] == path
    assert MeetingReport.objects.get().organization == orgs["fund"]
    wrong = client.post(
        path, {"organization": orgs["fund"].pk, "attendance": "no_show", "result": "follow_up"}
    )
    assert wrong.status_code == 400
    assert client.post(path, {"organization": orgs["startup"].pk, "attendance": "held"}).status_code == 403
    # Sent from an older version than the one saved: 409, the form then carries the saved version.
    stale = client.post(path, {"organization": orgs["fund"].pk, "attendance": "held", "version": 0})
    assert stale.status_code == 409, stale.content.decode()[-3000:]
    assert 'name="version" value="1"' in stale.content.decode()
    assert MeetingReport.objects.get().attendance == "held"


# --- reminders ---------------------------------------------------------------------------------------


def due(now) -> list:
    return sorted((meeting.pk, side, days) for meeting, side, days in follow_up_reminders(now))


def told() -> list:
    return sorted(
        Notification.objects.filter(kind=FOLLOW_UP_REMINDER).values_list("recipient__username", flat=True)
    )


def test_reminders_go_at_30_90_and_180_days_to_the_side_that_has_not_said(met):
    meeting, orgs = met["with_fund"], met["orgs"]
    Meeting.objects.filter(pk=met["with_corp"].pk).update(state=Meeting.State.CANCELLED)
    ended = meeting.slot.ends_at
    startup, fund = orgs["startup"].pk, orgs["fund"].pk

    assert due(ended + timedelta(days=29, hours=23)) == []
    assert send_follow_up_reminders(ended + timedelta(days=30)) == 2
    # The delegates who met are told: the startup's, and the fund's (not its second member).
    assert told() == ["fund", "startup"]
    notice = Notification.objects.get(recipient=met["users"]["fund"], kind=FOLLOW_UP_REMINDER)
    assert notice.title_en == "What came of your meeting with Startup?"
    assert "was 30 days ago" in notice.body_en and notice.link.endswith(f"/meetings/{meeting.pk}/report/")

    # Once each: the next runs send nothing more for day 30.
    assert send_follow_up_reminders(ended + timedelta(days=30, hours=1)) == 0
    assert send_follow_up_reminders(ended + timedelta(days=59)) == 0

    # The startup says what came of it on day 40: on day 90 only the fund is reminded.
    report(met, "startup", "startup", result="follow_up")
    MeetingReport.objects.filter(organization=startup).update(result_updated_at=ended + timedelta(days=40))
    assert due(ended + timedelta(days=90)) == [(meeting.pk, fund, 90)]
    assert send_follow_up_reminders(ended + timedelta(days=90)) == 1

    # Day 180: the startup has not updated since day 90, the fund never said: both.
    assert due(ended + timedelta(days=180)) == [(meeting.pk, startup, 180), (meeting.pk, fund, 180)]
    # A side that settled what came of it is not reminded any more.
    MeetingReport.objects.filter(organization=startup).update(result="agreement_reached")
    assert due(ended + timedelta(days=180)) == [(meeting.pk, fund, 180)]
    assert send_follow_up_reminders(ended + timedelta(days=180)) == 1
    assert due(ended + timedelta(days=200)) == []
    assert list(
        FollowUpReminder.objects.order_by("days", "organization_id").values_list("organization_id", "days")
    ) == [
        (startup, 30),
        (fund, 30),
        (fund, 90),
        (fund, 180),
    ]


def test_no_reminder_for_a_meeting_not_held_or_long_past_its_day(met):
    meeting = met["with_fund"]
    ended = meeting.slot.ends_at
    # Nothing was sent on day 30 (the runner was stopped): not sent late on day 61.
    assert due(ended + timedelta(days=61)) == []
    # A side reported that the other did not come: nobody is reminded of that meeting.
    report(met, "startup", "startup", attendance="no_show")
    assert [item for item in due(ended + timedelta(days=30)) if item[0] == meeting.pk] == []


def test_two_runners_send_each_reminder_once(met, monkeypatch):
    """Both runners read the same reminders due; the one that claims a reminder's row sends it, the
    other finds the row taken and sends nothing."""
    now = met["with_corp"].slot.ends_at + timedelta(days=30)
    read_by_both = follow_up_reminders(now)
    assert len(read_by_both) == 4  # both meetings, both sides

    assert send_follow_up_reminders(now) == 4
    monkeypatch.setattr(followups_module, "follow_up_reminders", lambda now: read_by_both)
    assert send_follow_up_reminders(now) == 0

    assert FollowUpReminder.objects.count() == 4
    assert told() == ["corp", "fund", "startup", "startup"]


def test_the_reminder_is_a_kind_users_can_turn_off(met):
    assert get_kind(FOLLOW_UP_REMINDER).essential is False
    assert "meeting-follow-ups" in {task.name for task in periodic_tasks()}
    fund = met["users"]["fund"]
    set_preference(Actor(fund), fund, FOLLOW_UP_REMINDER, by_email=False, in_app=False)

    send_follow_up_reminders(met["with_fund"].slot.ends_at + timedelta(days=30))

    assert "fund" not in told() and "startup" in told()


# --- what the event's meetings led to ----------------------------------------------------------------


def test_the_organizers_read_what_the_meetings_led_to_among_what_they_see(met, api_client, client):
    users, event = met["users"], met["event"]
    report(met, "startup", "startup", result="negotiation_started")
    report(met, "fund", "fund", result="follow_up")
    report(met, "startup", "startup", meeting="with_corp", attendance="no_show")
    path = f"/api/v1/events/{event.pk}/analytics"

    staff = api_client(users["staff"]).get(path).json()
    organizer = api_client(users["organizer"]).get(path).json()

    expected = {
        "event_id": event.pk,
        "requests_sent": 3,
        "requests_accepted": 2,
        "meetings_scheduled": 2,
        "meetings_held": 1,
        "no_shows": 1,
        "outcomes": 1,
    }
    assert staff == expected
    # The startup's outcome is not public: the organizer counts the outcomes they may see.
    assert organizer == {**expected, "outcomes": 0}
    Outcome.objects.update(is_public=True)
    assert api_client(users["organizer"]).get(path).json()["outcomes"] == 1
    # The participants and anyone else: not theirs to read.
    for name in ("startup", "fund", "fund2"):
        assert api_client(users[name]).get(path).status_code == 403
    assert api_client().get(path).status_code == 401

    client.force_login(users["organizer"])
    page = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What the meetings led to" in page and 'id="follow-up-figures"' in page
    client.force_login(users["startup"])
    assert 'id="follow-up-figures"' not in client.get(f"/events/{event.pk}/").content.decode()
