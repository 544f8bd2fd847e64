"""Decisions (issue 17, item 5): accept, waitlist or reject, pending until a manager releases the
call's decisions together; what the applicant is shown (nothing before the release), the e-mails
in each member's language, the cohort accepted startups join, and the KPIs that must count a startup
that joined twice once."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.notifications.models import Notification, OutgoingEmail
from dari.programs import decisions, reviews
from dari.programs.decisions import DECISION_STATUS, decide, release_decisions
from dari.programs.models import Application, Call, Cohort, Decision, Participant, Review
from dari.programs.services import set_call_status
from dari.reports.kpis import Filters, breakdown, startups_supported
from dari.reports.program_report import Period, program_report

from ..exchange.helpers import import_bytes
from ..factories import OutcomeFactory, ParticipantFactory, UserFactory
from ..helpers import count_queries
from .reviewing import make_panel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The services' refusals read in English here (Korean is the default language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


SEOUL = ZoneInfo("Asia/Seoul")
RELEASED_AT = datetime(2030, 4, 20, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def panel():
    """A closed call with three submitted applications, each startup with a member: ``members[0]``
    reads English, the others Korean (the default)."""
    panel = make_panel(startups=3, status=Call.Status.CLOSED)
    panel.members = []
    for number, startup in enumerate(panel.startups):
        member = UserFactory(username=f"applicant-{number}", language="en" if number == 0 else "ko")
        grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, startup)
        panel.members.append(member)
    return panel


def decide_all(panel, outcomes=("accepted", "waitlisted", "rejected")):
    for application, outcome in zip(panel.applications, outcomes, strict=True):
        decide(Actor(panel.manager), application, outcome)


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def told(user) -> tuple[int, int]:
    """How many decision notices and e-mails ``user`` has."""
    return (
        Notification.objects.filter(recipient=user, kind=decisions.DECISION_RELEASED).count(),
        OutgoingEmail.objects.filter(recipient=user, kind=decisions.DECISION_RELEASED).count(),
    )


# --- the machine ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), DECISION_STATUS.pairs())
def test_a_decision_only_goes_from_pending_to_released(old, new):
    if (old, new) == ("pending", "released"):
        DECISION_STATUS.check(old, new)
    else:
        with pytest.raises(ValidationError):
            DECISION_STATUS.check(old, new)


# --- deciding ---------------------------------------------------------------------------------------


def test_a_manager_decides_changes_and_takes_back_a_pending_decision_each_audited(panel):
    application = panel.applications[0]

    decide(Actor(panel.manager), application, "waitlisted")
    decide(Actor(panel.manager), application, "accepted")

    decision = Decision.objects.get(application=application)
    assert (decision.outcome, decision.status, decision.decided_by) == ("accepted", "pending", panel.manager)
    entries = AuditEntry.objects.filter(action__startswith="programs.decision.").order_by("pk")
    assert [(entry.action, entry.changes["outcome"]) for entry in entries] == [
        ("programs.decision.made", [None, "waitlisted"]),
        ("programs.decision.changed", ["waitlisted", "accepted"]),
    ]

    assert decide(Actor(panel.manager), application, "") is None
    assert not Decision.objects.exists()
    assert AuditEntry.objects.filter(action="programs.decision.withdrawn").count() == 1


@pytest.mark.parametrize("status", ["draft", "withdrawn", "revisions_requested"])
def test_only_a_submitted_application_is_decided_on(panel, status):
    application = panel.applications[0]
    Application.objects.filter(pk=application.pk).update(status=status)

    with pytest.raises(ValidationError) as refused:
        decide(Actor(panel.manager), application, "accepted")

    assert "application" in refused.value.message_dict
    assert not Decision.objects.exists()


@pytest.mark.parametrize("status", ["draft", "open", "decided"])
def test_decisions_are_made_on_a_closed_call_only(panel, status):
    Call.objects.filter(pk=panel.call.pk).update(status=status)

    with pytest.raises(ValidationError) as refused:
        decide(Actor(panel.manager), panel.applications[0], "accepted")

    assert "call" in refused.value.message_dict
    assert not Decision.objects.exists()


def test_an_unknown_outcome_is_refused(panel):
    with pytest.raises(ValidationError) as refused:
        decide(Actor(panel.manager), panel.applications[0], "maybe")
    assert "outcome" in refused.value.message_dict


def test_the_applicant_a_reviewer_and_an_outsider_may_not_decide(panel):
    Review.objects.create(application=panel.applications[0], reviewer=panel.reviewers[0])
    for user in (panel.members[0], panel.reviewers[0], panel.outsider):
        with pytest.raises(PermissionDenied):
            decide(Actor(user), panel.applications[0], "accepted")
        with pytest.raises(PermissionDenied):
            release_decisions(Actor(user), panel.call)
    assert not Decision.objects.exists()


def test_a_released_decision_is_final(panel):
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call)

    for outcome in ("rejected", ""):
        with pytest.raises(ValidationError) as refused:
            decide(Actor(panel.manager), panel.applications[0], outcome)
        assert refused.value.message_dict == {"outcome": ["This decision has been released: it is final."]}
    assert Decision.objects.get(application=panel.applications[0]).outcome == "accepted"


def test_a_call_with_pending_decisions_is_decided_by_their_release_not_by_hand(panel):
    decide_all(panel)

    with pytest.raises(ValidationError) as refused:
        set_call_status(Actor(panel.manager), panel.call, "decided")

    assert refused.value.message_dict == {
        "status": ["Release the call's pending decisions instead: that decides the call."]
    }
    panel.call.refresh_from_db()
    assert panel.call.status == "closed"


# --- releasing: all or nothing ------------------------------------------------------------------------


def assert_nothing_released(panel):
    panel.call.refresh_from_db()
    assert panel.call.status == "closed"
    assert not Decision.objects.filter(status="released").exists()
    assert not Participant.objects.exists()
    assert not Cohort.objects.filter(call=panel.call).exists()
    assert all(told(member) == (0, 0) for member in panel.members)
    assert not AuditEntry.objects.filter(action="programs.call.decisions_released").exists()


def test_releasing_without_decisions_is_refused(panel):
    with pytest.raises(ValidationError) as refused:
        release_decisions(Actor(panel.manager), panel.call)
    assert refused.value.message_dict == {
        "decisions": ["There are no decisions to release: decide on the applications first."]
    }
    assert_nothing_released(panel)


def test_releasing_with_an_undecided_application_releases_nothing_and_names_it(panel):
    decide(Actor(panel.manager), panel.applications[0], "accepted")
    decide(Actor(panel.manager), panel.applications[1], "rejected")

    with pytest.raises(ValidationError) as refused:
        release_decisions(Actor(panel.manager), panel.call)

    assert f"#{panel.applications[2].pk}" in refused.value.message_dict["decisions"][0]
    assert_nothing_released(panel)
    assert Decision.objects.filter(status="pending").count() == 2


def test_releasing_with_a_decided_application_withdrawn_since_releases_nothing(panel):
    decide_all(panel)
    Application.objects.filter(pk=panel.applications[1].pk).update(status="withdrawn")

    with pytest.raises(ValidationError) as refused:
        release_decisions(Actor(panel.manager), panel.call)

    assert f"#{panel.applications[1].pk} is no longer submitted" in refused.value.message_dict["decisions"][0]
    assert_nothing_released(panel)


def test_release_releases_every_decision_decides_the_call_and_audits_it(panel):
    decide_all(panel)

    released = release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)

    assert len(released) == 3
    assert set(Decision.objects.values_list("status", flat=True)) == {"released"}
    assert set(Decision.objects.values_list("released_at", flat=True)) == {RELEASED_AT}
    panel.call.refresh_from_db()
    assert panel.call.status == "decided"
    entry = AuditEntry.objects.get(action="programs.call.decisions_released")
    assert entry.changes == {"decisions": [None, {"accepted": 1, "waitlisted": 1, "rejected": 1}]}
    assert AuditEntry.objects.filter(action="programs.decision.released").count() == 3
    assert AuditEntry.objects.filter(
        action="programs.call.status_changed", changes={"status": ["closed", "decided"]}
    ).exists()
    with pytest.raises(ValidationError):  # released once: nothing pending, the call decided
        release_decisions(Actor(panel.manager), panel.call)


# --- what the applicant is shown --------------------------------------------------------------------


def test_a_pending_decision_shows_nowhere_to_the_applicant(panel):
    decide_all(panel)
    application = panel.applications[0]
    member = client_for(panel.members[0])

    page = member.get(application.get_absolute_url()).content.decode()
    data = member.get(f"/api/v1/applications/{application.pk}").json()
    listed = member.get("/api/v1/applications").json()

    assert "Decision" not in page and "accepted" not in page.lower()
    assert data["decision"] is None
    assert [item["decision"] for item in listed["items"]] == [None]
    assert told(panel.members[0]) == (0, 0)
    assert not OutgoingEmail.objects.exists() and not Notification.objects.exists()
    # The decisions of the call are the managers' only.
    assert member.get(f"/api/v1/calls/{panel.call.pk}/decisions").status_code == 403
    assert member.get(f"/programs/calls/{panel.call.pk}/decisions/").status_code == 403


def test_the_managers_see_pending_decisions_in_pages_and_the_api(panel):
    decide_all(panel)
    manager = client_for(panel.manager)

    page = manager.get(panel.applications[0].get_absolute_url()).content.decode()
    data = manager.get(f"/api/v1/applications/{panel.applications[0].pk}").json()
    listed = manager.get(f"/api/v1/calls/{panel.call.pk}/decisions").json()
    ranking = manager.get(f"/programs/calls/{panel.call.pk}/decisions/").content.decode()

    assert "pending: not shown to the applicant" in page
    assert data["decision"] == {"outcome": "accepted", "status": "pending", "released_at": None}
    assert listed["count"] == 3
    assert [(item["application_id"], item["outcome"], item["status"]) for item in listed["items"]] == [
        (panel.applications[0].pk, "accepted", "pending"),
        (panel.applications[1].pk, "waitlisted", "pending"),
        (panel.applications[2].pk, "rejected", "pending"),
    ]
    assert "3 pending decisions" in ranking
    # Each pending decision may be changed or taken back there; the release button is offered.
    assert ranking.count("Take the decision back") == 3
    assert f'action="/programs/calls/{panel.call.pk}/decisions/release/"' in ranking


def test_a_reviewer_sees_no_decision(panel):
    Review.objects.create(application=panel.applications[0], reviewer=panel.reviewers[0])
    decide_all(panel)
    reviewer = client_for(panel.reviewers[0])

    assert reviewer.get(f"/api/v1/applications/{panel.applications[0].pk}").json()["decision"] is None
    assert "pending" not in reviewer.get(panel.applications[0].get_absolute_url()).content.decode()


def test_after_release_the_applicant_reads_the_decision_on_the_page_and_in_the_api(panel):
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)

    accepted = client_for(panel.members[0])
    waitlisted = client_for(panel.members[1])
    page = accepted.get(panel.applications[0].get_absolute_url()).content.decode()
    data = accepted.get(f"/api/v1/applications/{panel.applications[0].pk}").json()

    assert "Your application has been accepted" in page
    assert "2030-04-20 10:00 KST" in page
    assert data["decision"] == {
        "outcome": "accepted",
        "status": "released",
        "released_at": "2030-04-20T10:00:00+09:00",
    }
    assert "on the waitlist" in waitlisted.get(panel.applications[1].get_absolute_url()).content.decode()
    # Each sees only their own organization's application.
    assert accepted.get(panel.applications[1].get_absolute_url()).status_code == 404


def test_with_the_released_decision_the_applicant_reads_the_comments_meant_for_them_only(panel):
    application = panel.applications[0]
    for reviewer, to_applicant in zip(
        panel.reviewers, ("Sharpen the pricing.", "", "Strong team."), strict=True
    ):
        Review.objects.create(
            application=application,
            reviewer=reviewer,
            status="submitted",
            scores={"team": 3, "market": 2},
            comment=f"Managers only, from {reviewer.username}.",
            comment_to_applicant=to_applicant,
        )
    Review.objects.create(
        application=application, reviewer=UserFactory(), comment_to_applicant="A draft, never sent."
    )
    decide_all(panel)
    member = client_for(panel.members[0])

    assert "Sharpen the pricing." not in member.get(application.get_absolute_url()).content.decode()
    assert member.get(f"/api/v1/applications/{application.pk}").json()["feedback"] == []

    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)
    page = member.get(application.get_absolute_url()).content.decode()
    reviewer = client_for(panel.reviewers[0]).get(application.get_absolute_url()).content.decode()

    assert "Feedback from the reviewers" in page
    assert page.index("Sharpen the pricing.") < page.index("Strong team.")
    assert "Managers only" not in page and "A draft, never sent." not in page
    assert not any(reviewer.username in page for reviewer in panel.reviewers)
    assert member.get(f"/api/v1/applications/{application.pk}").json()["feedback"] == [
        "Sharpen the pricing.",
        "Strong team.",
    ]
    assert [item["feedback"] for item in member.get("/api/v1/applications").json()["items"]] == [
        ["Sharpen the pricing.", "Strong team."]
    ]
    # The e-mail says the comments are there (the other applications have none).
    assert "with 2 comments from the reviewers" in OutgoingEmail.objects.get(recipient=panel.members[0]).body
    assert "comments from the reviewers" not in OutgoingEmail.objects.get(recipient=panel.members[1]).body
    # The reviewers do not see the decision, nor what went with it.
    assert "Feedback from the reviewers" not in reviewer
    assert (
        client_for(panel.reviewers[0]).get(f"/api/v1/applications/{application.pk}").json()["feedback"] == []
    )


def test_release_tells_each_member_in_their_own_language(panel):
    decide_all(panel)

    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)

    assert [told(member) for member in panel.members] == [(1, 1), (1, 1), (1, 1)]
    english = OutgoingEmail.objects.get(recipient=panel.members[0])
    korean = OutgoingEmail.objects.get(recipient=panel.members[1])
    assert english.subject == "Accepted: your application to 2030 call"
    assert "has been accepted" in english.body and "Stealth Startup 0" in english.body
    assert f"/programs/applications/{panel.applications[0].pk}/" in english.body
    # The Korean e-mail names the call by its Korean title.
    assert "2030년 모집" in korean.subject and "2030 call" not in korean.subject
    # The notice holds both languages; the waitlisted startup is told it is on the waitlist.
    notice = Notification.objects.get(recipient=panel.members[1])
    assert "waitlist" in notice.body_en and "Stealth Startup 1" in notice.body_en
    assert "not selected" in Notification.objects.get(recipient=panel.members[2]).body_en
    assert not Notification.objects.filter(recipient__in=[panel.manager, *panel.reviewers]).exists()


# --- the API ----------------------------------------------------------------------------------------


def test_the_api_decides_and_releases(panel):
    manager = client_for(panel.manager)
    for application, outcome in zip(panel.applications, ("accepted", "accepted", "rejected"), strict=True):
        answer = manager.put(
            f"/api/v1/applications/{application.pk}/decision",
            {"outcome": outcome},
            content_type="application/json",
        )
        assert answer.status_code == 200, answer.content
        assert answer.json()["status"] == "pending"

    answer = manager.post(f"/api/v1/calls/{panel.call.pk}/decisions/release")

    assert answer.status_code == 200
    assert answer.json() == {
        "released": 3,
        "accepted": 2,
        "waitlisted": 0,
        "rejected": 1,
        "call_status": "decided",
    }
    again = manager.put(
        f"/api/v1/applications/{panel.applications[0].pk}/decision",
        {"outcome": "rejected"},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "payload", "outcome"]


def test_the_api_refuses_a_release_with_an_undecided_application_in_the_one_error_shape(panel):
    manager = client_for(panel.manager)
    manager.put(
        f"/api/v1/applications/{panel.applications[0].pk}/decision",
        {"outcome": "accepted"},
        content_type="application/json",
    )

    answer = manager.post(f"/api/v1/calls/{panel.call.pk}/decisions/release")

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "decisions"]
    assert manager.delete(f"/api/v1/applications/{panel.applications[0].pk}/decision").status_code == 204
    assert not Decision.objects.exists()


def test_the_pages_decide_from_the_ranking_and_release(panel):
    manager = client_for(panel.manager)
    ranking = f"/programs/calls/{panel.call.pk}/ranking/"
    for application in panel.applications:
        answer = manager.post(
            f"/programs/applications/{application.pk}/decision/", {"outcome": "accepted", "next": ranking}
        )
        assert answer.status_code == 302 and answer["Location"] == ranking

    answer = manager.post(f"/programs/calls/{panel.call.pk}/decisions/release/")

    assert answer.status_code == 302
    assert Decision.objects.filter(status="released").count() == 3
    page = manager.get(f"/programs/calls/{panel.call.pk}/decisions/").content.decode()
    assert "This call's decisions have been released." in page


def test_the_managers_withhold_a_comment_and_the_applicant_never_reads_it(panel):
    application = panel.applications[0]
    kept, withheld = (
        Review.objects.create(
            application=application,
            reviewer=reviewer,
            status="submitted",
            scores={"team": 3, "market": 2},
            comment_to_applicant=text,
        )
        for reviewer, text in zip(
            panel.reviewers, ("Sharpen the pricing.", "An unkind remark."), strict=False
        )
    )
    manager = client_for(panel.manager)

    # Before the release, on the review's page (the manager sees the choice) and through the API.
    page = manager.get(withheld.get_absolute_url()).content.decode()
    assert "Withhold it from the applicant" in page
    answer = manager.post(f"/programs/reviews/{withheld.pk}/feedback/", {"withheld": "on"})
    assert answer.status_code == 302
    withheld.refresh_from_db()
    assert withheld.feedback_withheld
    entry = AuditEntry.objects.get(action="programs.review.feedback_withheld")
    assert entry.changes == {"feedback_withheld": [False, True]} and entry.actor == panel.manager
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)

    member = client_for(panel.members[0])
    shown = member.get(application.get_absolute_url()).content.decode()
    assert "Sharpen the pricing." in shown and "An unkind remark." not in shown
    assert member.get(f"/api/v1/applications/{application.pk}").json()["feedback"] == ["Sharpen the pricing."]
    assert "with 1 comment from the reviewers" in OutgoingEmail.objects.get(recipient=panel.members[0]).body
    # Passed on again through the API, after the release: the applicant reads it now.
    answer = manager.put(
        f"/api/v1/reviews/{withheld.pk}/feedback", {"withheld": False}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["feedback_withheld"] is False
    assert "An unkind remark." in member.get(application.get_absolute_url()).content.decode()
    assert kept.pk != withheld.pk


def test_only_the_managers_choose_and_only_a_submitted_comment(panel):
    application = panel.applications[0]
    review = Review.objects.create(
        application=application,
        reviewer=panel.reviewers[0],
        status="submitted",
        scores={"team": 3, "market": 2},
        comment_to_applicant="Sharpen the pricing.",
    )
    draft = Review.objects.create(
        application=application, reviewer=panel.reviewers[1], comment_to_applicant="Not sent yet."
    )
    for user in (panel.members[0], panel.reviewers[0], panel.outsider):
        with pytest.raises(PermissionDenied):
            reviews.set_feedback_withheld(Actor(user), review, True)
        answer = client_for(user).put(
            f"/api/v1/reviews/{review.pk}/feedback", {"withheld": True}, content_type="application/json"
        )
        assert answer.status_code in (403, 404)
    with pytest.raises(ValidationError) as refused:
        reviews.set_feedback_withheld(Actor(panel.manager), draft, True)
    assert "feedback_withheld" in refused.value.message_dict
    review.refresh_from_db()
    draft.refresh_from_db()
    assert not review.feedback_withheld and not draft.feedback_withheld
    # The reviewer's own page shows no such choice.
    assert (
        "Withhold it from the applicant"
        not in client_for(panel.reviewers[0]).get(review.get_absolute_url()).content.decode()
    )


# --- the waitlist after the release ------------------------------------------------------------------


def test_a_waitlisted_startup_is_accepted_after_the_release_joins_the_cohort_and_is_told(panel):
    decide_all(panel)  # accepted, waitlisted, rejected
    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)
    waitlisted = panel.applications[1]
    before = told(panel.members[1])

    decision = decisions.accept_from_waitlist(Actor(panel.manager), waitlisted)

    decision.refresh_from_db()
    assert (decision.outcome, decision.status, decision.released_at) == ("accepted", "released", RELEASED_AT)
    cohort = Cohort.objects.get(call=panel.call)
    assert set(cohort.participants.values_list("organization", flat=True)) == {
        panel.startups[0].pk,
        panel.startups[1].pk,
    }
    assert told(panel.members[1]) == (before[0] + 1, before[1] + 1)
    assert told(panel.members[2]) == (1, 1)  # the rejected startup hears nothing more
    entry = AuditEntry.objects.get(action="programs.decision.accepted_from_waitlist")
    assert entry.changes == {"outcome": ["waitlisted", "accepted"]} and entry.actor == panel.manager


@pytest.mark.parametrize("which", [0, 2])
def test_only_a_released_waitlisted_decision_is_accepted_from_the_waitlist(panel, which):
    decide_all(panel)
    with pytest.raises(ValidationError):  # pending: not yet
        decisions.accept_from_waitlist(Actor(panel.manager), panel.applications[1])
    release_decisions(Actor(panel.manager), panel.call)

    with pytest.raises(ValidationError) as refused:  # accepted or rejected: final
        decisions.accept_from_waitlist(Actor(panel.manager), panel.applications[which])

    assert "outcome" in refused.value.message_dict
    assert (
        Decision.objects.get(application=panel.applications[which]).outcome
        == ("accepted", "", "rejected")[which]
    )


def test_the_applicant_a_reviewer_and_an_outsider_may_not_accept_from_the_waitlist(panel):
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call)
    waitlisted = panel.applications[1]

    for user in (panel.members[1], panel.reviewers[0], panel.outsider):
        with pytest.raises(PermissionDenied):
            decisions.accept_from_waitlist(Actor(user), waitlisted)
        answer = client_for(user).post(f"/api/v1/applications/{waitlisted.pk}/decision/accept-waitlisted")
        assert answer.status_code in (403, 404)
        assert client_for(user).post(
            f"/programs/applications/{waitlisted.pk}/decision/accept-waitlisted/"
        ).status_code in (403, 404)
    assert Decision.objects.get(application=waitlisted).outcome == "waitlisted"


def test_the_page_and_the_api_accept_from_the_waitlist(panel):
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call)
    manager = client_for(panel.manager)
    page = manager.get(f"/programs/calls/{panel.call.pk}/decisions/").content.decode()
    assert page.count("Accept from the waitlist") == 1

    answer = manager.post(f"/programs/applications/{panel.applications[1].pk}/decision/accept-waitlisted/")

    assert answer.status_code == 302
    assert Decision.objects.get(application=panel.applications[1]).outcome == "accepted"
    again = manager.post(f"/api/v1/applications/{panel.applications[1].pk}/decision/accept-waitlisted")
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "payload", "outcome"]


# --- cohorts -----------------------------------------------------------------------------------------


def test_accepted_startups_join_the_calls_cohort_and_may_join_again_in_a_later_round(panel):
    startup = panel.startups[0]
    # The startup was a participant recorded without a call, in the 2023 cohort.
    ParticipantFactory(program=panel.call.program, organization=startup, since=date(2023, 5, 1))
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)

    later = Call.objects.create(
        program=panel.call.program,
        round=2,
        title_en="2031 call",
        opens_at=datetime(2031, 3, 1, tzinfo=SEOUL),
        closes_at=datetime(2031, 3, 31, tzinfo=SEOUL),
        time_zone="Asia/Seoul",
        form=panel.call.form,
        status=Call.Status.CLOSED,
    )
    again = Application.objects.create(call=later, startup=startup, status="submitted", answers={})
    decide(Actor(panel.manager), again, "accepted")
    release_decisions(Actor(panel.manager), later, now=datetime(2031, 4, 20, 10, 0, tzinfo=SEOUL))

    cohorts = [
        (participant.cohort.call_id, participant.cohort.year, participant.since)
        for participant in Participant.objects.filter(organization=startup).order_by("since")
    ]
    assert cohorts == [
        (None, 2023, date(2023, 5, 1)),
        (panel.call.pk, 2030, date(2030, 4, 20)),
        (later.pk, 2031, date(2031, 4, 20)),
    ]
    # Only the accepted startup of the first call joined it; the waitlisted and rejected did not.
    assert list(
        Participant.objects.filter(cohort__call=panel.call).values_list("organization", flat=True)
    ) == [startup.pk]
    assert AuditEntry.objects.filter(action="programs.participant.created").count() == 2


def test_a_startup_that_joined_twice_is_counted_once_in_the_kpis_and_its_first_cohort(panel):
    staff = UserFactory(username="kpi-staff", is_staff=True)
    program = panel.call.program
    startup = panel.startups[0]
    ParticipantFactory(program=program, organization=startup, since=date(2023, 5, 1))
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)
    assert Participant.objects.filter(organization=startup, program=program).count() == 2
    OutcomeFactory(startup=startup, program=program)
    filters = Filters(program=program.key, include_illustrative=True)

    assert startups_supported(staff, filters).count == 1

    by_cohort = breakdown(staff, "cohort", filters)
    # One group, the year of its first cohort, counting its one outcome once.
    assert [(group.key, sum(figure.count for figure in group.figures)) for group in by_cohort] == [
        ("2023", 1)
    ]
    report = program_report(staff, program, Period(2030))
    assert [organization.pk for organization in report.startups] == [startup.pk]


# --- query counts ------------------------------------------------------------------------------------


def test_the_decision_lists_take_the_same_queries_for_two_and_six_applications():
    def queries(count: int) -> tuple[int, ...]:
        small = make_panel(startups=count, status=Call.Status.CLOSED)
        for application in small.applications:
            decide(Actor(small.manager), application, "accepted")
        manager = client_for(small.manager)
        found = (
            count_queries(manager, f"/api/v1/calls/{small.call.pk}/decisions"),
            count_queries(manager, f"/api/v1/applications?call={small.call.pk}"),
            count_queries(manager, f"/programs/calls/{small.call.pk}/decisions/"),
        )
        Decision.objects.all().delete()
        Application.objects.all().delete()
        return found

    assert queries(2) == queries(6)


def test_a_cohort_export_imports_back_unchanged_and_an_import_does_not_join_a_calls_cohort(panel):
    staff = UserFactory(username="export-staff", is_staff=True)
    program = panel.call.program
    ParticipantFactory(program=program, organization=panel.startups[0], since=date(2023, 5, 1))
    decide_all(panel)
    release_decisions(Actor(panel.manager), panel.call, now=RELEASED_AT)
    client = client_for(staff)
    data = client.get(f"/exports/participants.csv?program={program.key}").content

    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    report = import_bytes(staff, "participants", data)

    assert [(row["organization"], row["since"], row["call"]) for row in rows] == [
        (panel.startups[0].key, "2023-05-01", ""),
        (panel.startups[0].key, "2030-04-20", "1"),
    ]
    assert report.ok, report.problems
    assert (report.created, report.changed, report.unchanged) == (0, 0, 2)

    # A row naming a round the startup was not accepted in is refused: the decisions make cohorts.
    refused = import_bytes(
        staff,
        "participants",
        f"program,organization,call\n{program.key},{panel.startups[1].key},1\n".encode(),
    )
    assert not refused.ok
    assert [problem.column for problem in refused.problems] == ["call"]
