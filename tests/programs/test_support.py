"""Cohort support (issue 17, item 6): a participating startup's milestone plan and the services
delivered to it, and its history across calls. Who writes (the program's managers and staff), who
reads (also the startup's own members), who sees nothing (another startup, reviewers, another
program's managers, anyone signed out), and what the history shows of decisions (released ones
only, for the startup's members)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.programs import support
from dari.programs.decisions import decide, release_decisions
from dari.programs.models import Application, Call, Milestone, Participant, Review, ServiceDelivery
from dari.programs.support import MILESTONE_STATUS

from ..factories import OrganizationFactory, ParticipantFactory, PersonFactory, ProgramFactory, UserFactory
from ..helpers import count_queries
from .calls import make_call

pytestmark = pytest.mark.django_db

SECRET_TITLE_EN = "Pilot protocol approved by the IRB"
SECRET_TITLE_KO = "임상시험심사위원회 승인"
SECRET_NOTE = "Introduced to Han River Ventures"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cohort():
    """A private startup ``S`` in program ``P`` with a milestone and a service; its ``member``, ``P``'s
    ``manager`` and ``reviewer`` (reviewing S's application to P), a member of another startup of
    the same cohort, the manager of another program, an outsider and staff."""
    program = ProgramFactory(key="bio-up", is_public=True)
    startup = OrganizationFactory(key="s", kind="startup", is_public=False, name_en="Stealth Bio")
    other_startup = OrganizationFactory(key="t", kind="startup", is_public=False)
    participant = ParticipantFactory(program=program, organization=startup, since=date(2030, 4, 1))
    ParticipantFactory(program=program, organization=other_startup, since=date(2030, 4, 1))
    users = {
        name: UserFactory(username=name)
        for name in ("member", "manager", "reviewer", "other_member", "other_manager", "outsider")
    }
    users["staff"] = UserFactory(username="staff", is_staff=True)
    system = Actor.system()
    grant_membership(system, users["member"], Role.ORGANIZATION_MEMBER, startup)
    grant_membership(system, users["other_member"], Role.ORGANIZATION_MEMBER, other_startup)
    grant_membership(system, users["manager"], Role.PROGRAM_MANAGER, program)
    grant_membership(system, users["reviewer"], Role.PROGRAM_REVIEWER, program)
    grant_membership(system, users["other_manager"], Role.PROGRAM_MANAGER, ProgramFactory(key="other"))
    call = make_call(program, status=Call.Status.OPEN)
    application = Application.objects.create(
        call=call, startup=startup, status="submitted", answers={"summary": "x", "stage": "seed"}
    )
    Review.objects.create(application=application, reviewer=users["reviewer"])
    manager = Actor(users["manager"])
    milestone = support.add_milestone(
        manager,
        participant,
        {"title_ko": SECRET_TITLE_KO, "title_en": SECRET_TITLE_EN, "due_on": date(2030, 6, 30), "notes": ""},
    )
    service = support.add_service(
        manager,
        participant,
        {
            "kind": "investor_introduction",
            "delivered_on": date(2030, 5, 2),
            "provider_name": "Ulsan TP",
            "hours": Decimal("1.5"),
            "notes": SECRET_NOTE,
            "follow_up": "Send the deck by May 9\nSecond meeting in June",
        },
    )
    return {
        "program": program,
        "startup": startup,
        "participant": participant,
        "milestone": milestone,
        "service": service,
        "users": users,
    }


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


# --- the use cases ----------------------------------------------------------------------------------


def test_a_manager_plans_milestones_and_records_services_each_audited(cohort):
    manager = Actor(cohort["users"]["manager"])
    milestone, service = cohort["milestone"], cohort["service"]

    support.update_milestone(manager, milestone, {"due_on": date(2030, 7, 15)}, version=milestone.version)
    support.set_milestone_status(manager, milestone, "done", done_on=date(2030, 7, 10))
    support.update_service(manager, service, {"hours": Decimal("2.25")}, version=service.version)

    milestone.refresh_from_db()
    service.refresh_from_db()
    assert (milestone.due_on, milestone.status, milestone.done_on) == (
        date(2030, 7, 15),
        "done",
        date(2030, 7, 10),
    )
    assert service.hours == Decimal("2.25")
    actions = list(
        AuditEntry.objects.filter(action__regex=r"^programs\.(milestone|service)\.")
        .order_by("pk")
        .values_list("action", "changes")
    )
    assert [action for action, _changes in actions] == [
        "programs.milestone.created",
        "programs.service.created",
        "programs.milestone.changed",
        "programs.milestone.status_changed",
        "programs.service.changed",
    ]
    assert actions[3][1] == {"status": ["planned", "done"], "done_on": [None, "2030-07-10"]}
    assert actions[4][1] == {"hours": ["1.50", "2.25"]}

    support.delete_service(manager, service)
    support.delete_milestone(manager, milestone)
    assert not ServiceDelivery.objects.exists() and not Milestone.objects.exists()
    assert AuditEntry.objects.filter(action__endswith=".deleted").count() == 2


@pytest.mark.parametrize(("old", "new"), MILESTONE_STATUS.pairs())
def test_a_milestone_moves_between_planned_done_and_missed(old, new):
    if new in MILESTONE_STATUS.table[old]:
        MILESTONE_STATUS.check(old, new)
    else:
        with pytest.raises(ValidationError):
            MILESTONE_STATUS.check(old, new)


def test_the_startup_marks_its_milestone_done_but_writes_nothing_else(cohort):
    member = Actor(cohort["users"]["member"])
    milestone = cohort["milestone"]

    support.set_milestone_status(member, milestone, "done")

    milestone.refresh_from_db()
    assert milestone.status == "done" and milestone.done_on is not None
    support.set_milestone_status(member, milestone, "planned")
    milestone.refresh_from_db()
    assert (milestone.status, milestone.done_on) == ("planned", None)
    with pytest.raises(PermissionDenied):
        support.set_milestone_status(member, milestone, "missed")
    with pytest.raises(PermissionDenied):
        support.update_milestone(member, milestone, {"notes": "ours"})
    with pytest.raises(PermissionDenied):
        support.add_service(
            member, cohort["participant"], {"kind": "other", "delivered_on": date(2030, 1, 1)}
        )
    with pytest.raises(PermissionDenied):
        support.delete_service(member, cohort["service"])


@pytest.mark.parametrize("persona", ["other_member", "reviewer", "other_manager", "outsider"])
def test_nobody_else_writes_a_startups_support(cohort, persona):
    actor = Actor(cohort["users"][persona])
    with pytest.raises(PermissionDenied):
        support.set_milestone_status(actor, cohort["milestone"], "done")
    with pytest.raises(PermissionDenied):
        support.add_milestone(actor, cohort["participant"], {"title_en": "x", "due_on": date(2030, 1, 1)})
    assert Milestone.objects.get().status == "planned"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"hours": Decimal("-1")}, "hours"),
        ({"hours": Decimal("1000.25")}, "hours"),
        ({"delivered_on": date(1899, 12, 31)}, "delivered_on"),
        ({"delivered_on": date(2201, 1, 1)}, "delivered_on"),
        ({"kind": "coffee"}, "kind"),
    ],
)
def test_a_service_is_validated(cohort, values, field):
    manager = Actor(cohort["users"]["manager"])
    base = {"kind": "mentoring", "delivered_on": date(2030, 5, 1), "hours": Decimal("2")}

    with pytest.raises(ValidationError) as refused:
        support.add_service(manager, cohort["participant"], {**base, **values})

    assert field in refused.value.message_dict
    assert ServiceDelivery.objects.count() == 1


def test_a_service_names_only_a_provider_the_manager_may_see(cohort):
    hidden = PersonFactory(is_public=False)
    manager = Actor(cohort["users"]["manager"])
    with pytest.raises(ValidationError) as refused:
        support.add_service(
            manager,
            cohort["participant"],
            {"kind": "mentoring", "delivered_on": date(2030, 5, 1), "provider_person": hidden},
        )
    assert "provider_person" in refused.value.message_dict


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title_ko": "", "title_en": " "}, "__all__"),
        ({"due_on": date(1800, 1, 1)}, "due_on"),
    ],
)
def test_a_milestone_is_validated(cohort, values, field):
    manager = Actor(cohort["users"]["manager"])
    base = {"title_en": "Prototype", "due_on": date(2030, 5, 1)}
    with pytest.raises(ValidationError) as refused:
        support.add_milestone(manager, cohort["participant"], {**base, **values})
    assert field in refused.value.message_dict


# --- who sees it: pages and API -----------------------------------------------------------------------

READERS = ("member", "manager", "staff")
NOT_READERS = ("other_member", "reviewer", "other_manager", "outsider")


@pytest.mark.parametrize("persona", READERS)
def test_the_startup_its_managers_and_staff_read_the_plan_and_services(cohort, persona):
    client = client_for(cohort["users"][persona])
    participant = cohort["participant"]

    page = client.get(f"/programs/participants/{participant.pk}/")
    milestones = client.get(f"/api/v1/participants/{participant.pk}/milestones").json()
    services = client.get(f"/api/v1/participants/{participant.pk}/services").json()

    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET_TITLE_EN in html and SECRET_NOTE in html and "Second meeting in June" in html
    assert [item["title_en"] for item in milestones["items"]] == [SECRET_TITLE_EN]
    assert milestones["count"] == 1
    assert [(item["kind"], item["hours"], item["provider_name"]) for item in services["items"]] == [
        ("investor_introduction", "1.50", "Ulsan TP")
    ]
    editing = f"/programs/participants/{participant.pk}/milestones/new/" in html
    assert editing == (persona != "member")
    assert (f"/programs/milestones/{cohort['milestone'].pk}/status/" in html) is True


@pytest.mark.parametrize("persona", NOT_READERS)
def test_anyone_else_sees_nothing_of_it(cohort, persona):
    client = client_for(cohort["users"][persona])
    participant, milestone, service = cohort["participant"], cohort["milestone"], cohort["service"]
    base = f"/api/v1/participants/{participant.pk}"

    assert client.get(f"/programs/participants/{participant.pk}/").status_code == 404
    assert client.get(f"/programs/milestones/{milestone.pk}/edit/").status_code == 404
    assert client.post(f"/programs/milestones/{milestone.pk}/status/", {"status": "done"}).status_code == 404
    assert client.post(f"/programs/services/{service.pk}/delete/").status_code == 404
    assert client.get(f"{base}/milestones").status_code == 404
    assert client.get(f"{base}/services").status_code == 404
    patched = client.patch(
        f"{base}/milestones/{milestone.pk}", json.dumps({"status": "done"}), content_type="application/json"
    )
    assert patched.status_code == 404
    assert client.delete(f"{base}/services/{service.pk}").status_code == 404
    history = client.get(f"/api/v1/organizations/{cohort['startup'].pk}/program-history")
    assert history.status_code in (403, 404)
    for url in (cohort["program"].get_absolute_url(), f"/organizations/{cohort['startup'].pk}/"):
        html = client.get(url).content.decode()
        assert SECRET_TITLE_EN not in html and SECRET_NOTE not in html
        assert f"/programs/participants/{participant.pk}/" not in html
    assert Milestone.objects.get().status == "planned" and ServiceDelivery.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in_and_the_api_answers_401(cohort):
    client = Client()
    participant = cohort["participant"]
    page = client.get(f"/programs/participants/{participant.pk}/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert client.get(f"/api/v1/participants/{participant.pk}/milestones").status_code == 401
    assert client.get(f"/api/v1/organizations/{cohort['startup'].pk}/program-history").status_code == 401


def test_the_program_page_links_a_participant_to_its_plan_for_those_who_read_it(cohort):
    url = cohort["program"].get_absolute_url()
    link = f"/programs/participants/{cohort['participant'].pk}/"
    assert link in client_for(cohort["users"]["manager"]).get(url).content.decode()
    assert link not in client_for(cohort["users"]["reviewer"]).get(url).content.decode()


# --- writing through the pages and the API -------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_manager_adds_and_edits_through_the_pages_with_field_errors_in_both_languages(cohort, language):
    client = client_for(cohort["users"]["manager"], language)
    participant = cohort["participant"]

    refused = client.post(
        f"/programs/participants/{participant.pk}/services/new/",
        {"kind": "mentoring", "delivered_on": "2030-05-01", "hours": "-2"},
    )
    assert refused.status_code == 400
    assert f'<html lang="{language}"' in refused.content.decode()
    assert "hours" in refused.context["form"].errors

    created = client.post(
        f"/programs/participants/{participant.pk}/milestones/new/",
        {"title_ko": "시제품 완성", "title_en": "Prototype ready", "due_on": "2030-09-30", "notes": ""},
    )
    assert created.status_code == 302
    milestone = Milestone.objects.get(title_en="Prototype ready")
    edited = client.post(
        f"/programs/milestones/{milestone.pk}/edit/",
        {
            "title_ko": "시제품 완성",
            "title_en": "Prototype ready",
            "due_on": "2030-09-30",
            "status": "missed",
            "done_on": "",
            "version": milestone.version,
        },
    )
    assert edited.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "missed"

    page = client.get(f"/programs/participants/{participant.pk}/").content.decode()
    shown, hidden = (
        ("시제품 완성", "Prototype ready") if language == "ko" else ("Prototype ready", "시제품 완성")
    )
    assert shown in page and hidden not in page


def test_the_startup_marks_a_milestone_done_from_its_page(cohort):
    client = client_for(cohort["users"]["member"])
    milestone = cohort["milestone"]

    response = client.post(f"/programs/milestones/{milestone.pk}/status/", {"status": "done"})

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done"
    assert client.get(f"/programs/milestones/{milestone.pk}/edit/").status_code == 403
    assert (
        client.post(f"/programs/milestones/{milestone.pk}/status/", {"status": "missed"}).status_code == 403
    )


def test_the_api_writes_milestones_and_services_for_managers(cohort):
    client = client_for(cohort["users"]["manager"])
    participant = cohort["participant"]
    base = f"/api/v1/participants/{participant.pk}"

    def send(method, url, body):
        return client.generic(method, url, json.dumps(body), content_type="application/json")

    created = send("POST", f"{base}/milestones", {"title_en": "First sale", "due_on": "2030-12-31"})
    assert created.status_code == 201, created.content
    milestone_id = created.json()["id"]
    done = send("PATCH", f"{base}/milestones/{milestone_id}", {"status": "done", "done_on": "2030-12-01"})
    assert (done.json()["status"], done.json()["done_on"]) == ("done", "2030-12-01")
    stale = send("PATCH", f"{base}/milestones/{milestone_id}", {"notes": "late", "version": 1})
    assert stale.status_code == 409

    invalid = send(
        "POST", f"{base}/services", {"kind": "coffee", "delivered_on": "2030-05-01", "hours": 2000}
    )
    assert invalid.status_code == 422
    assert {tuple(error["loc"][-1:]) for error in invalid.json()["detail"]} == {("hours",)}
    wrong_kind = send("POST", f"{base}/services", {"kind": "coffee", "delivered_on": "2030-05-01"})
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["detail"][0]["loc"] == ["body", "payload", "kind"]
    unseen = send(
        "POST",
        f"{base}/services",
        {
            "kind": "mentoring",
            "delivered_on": "2030-05-01",
            "provider_person": PersonFactory(is_public=False).pk,
        },
    )
    assert unseen.status_code == 422

    service = send(
        "POST",
        f"{base}/services",
        {
            "kind": "regulatory",
            "delivered_on": "2030-05-03",
            "hours": "3",
            "provider_organization": cohort["startup"].pk,
        },
    )
    assert service.status_code == 201, service.content
    assert service.json()["provider_organization"]["id"] == cohort["startup"].pk
    assert client.delete(f"{base}/services/{service.json()['id']}").status_code == 204
    assert client.delete(f"{base}/milestones/{milestone_id}").status_code == 204
    assert ServiceDelivery.objects.count() == 1 and Milestone.objects.count() == 1


def test_the_startups_members_only_mark_milestones_through_the_api(cohort):
    client = client_for(cohort["users"]["member"])
    base = f"/api/v1/participants/{cohort['participant'].pk}"
    milestone = cohort["milestone"]

    def patch(body):
        return client.patch(
            f"{base}/milestones/{milestone.pk}", json.dumps(body), content_type="application/json"
        )

    assert patch({"status": "done"}).json()["status"] == "done"
    assert patch({"status": "missed"}).status_code == 403
    assert patch({"notes": "ours"}).status_code == 403
    created = client.post(
        f"{base}/milestones",
        json.dumps({"title_en": "x", "due_on": "2030-01-01"}),
        content_type="application/json",
    )
    assert created.status_code == 403


def test_the_lists_take_a_constant_number_of_queries(cohort):
    client = client_for(cohort["users"]["manager"])
    participant = cohort["participant"]
    urls = [
        f"/api/v1/participants/{participant.pk}/milestones",
        f"/api/v1/participants/{participant.pk}/services",
        f"/programs/participants/{participant.pk}/",
        f"/api/v1/organizations/{cohort['startup'].pk}/program-history",
    ]
    before = [count_queries(client, url) for url in urls]
    manager = Actor(cohort["users"]["manager"])
    provider = PersonFactory(is_public=True)
    for number in range(5):
        support.add_milestone(
            manager, participant, {"title_en": f"Step {number}", "due_on": date(2030, 8, 1)}
        )
        support.add_service(
            manager,
            participant,
            {"kind": "mentoring", "delivered_on": date(2030, 8, 1), "provider_person": provider},
        )
    assert [count_queries(client, url) for url in urls] == before


# --- a startup's history across calls --------------------------------------------------------------------


@pytest.fixture
def history(cohort):
    """``S`` applied to three calls of ``P`` (one application each), each reviewed by ``reviewer``
    with a comment for the managers and one for the applicant: accepted in rounds 2 and 3
    (released: S joins both cohorts), waitlisted in round 4 (pending, not released)."""
    program, startup, manager = cohort["program"], cohort["startup"], Actor(cohort["users"]["manager"])
    applications = []
    for number in (2, 3, 4):
        call = make_call(program, round=number, status=Call.Status.CLOSED, title_en=f"Round {number}")
        application = Application.objects.create(
            call=call, startup=startup, status="submitted", answers={"summary": "x", "stage": "seed"}
        )
        Review.objects.create(
            application=application,
            reviewer=cohort["users"]["reviewer"],
            status="submitted",
            submitted_at=call.closes_at,
            comment="For the managers only: cap table unclear",
            comment_to_applicant=f"Round {number}: a strong pilot plan",
        )
        decide(manager, application, "waitlisted" if number == 4 else "accepted")
        if number != 4:
            release_decisions(manager, call)
        applications.append(application)
    return applications


def history_for(cohort, persona):
    client = client_for(cohort["users"][persona])
    return client.get(f"/api/v1/organizations/{cohort['startup'].pk}/program-history")


def test_the_startup_reads_its_history_across_calls_with_released_decisions_only(cohort, history):
    answer = history_for(cohort, "member")

    assert answer.status_code == 200
    items = answer.json()["items"]
    applications = [item for item in items if item["kind"] == "application"]
    participations = [item for item in items if item["kind"] == "participation"]
    decisions = {item["call"]["round"]: item["application"]["decision"] for item in applications}
    assert decisions[2]["outcome"] == "accepted" and decisions[2]["status"] == "released"
    assert decisions[3]["outcome"] == "accepted"
    assert decisions[4] is None and decisions[1] is None  # pending; not decided
    assert len(participations) == 3  # the earlier cohort and those of rounds 2 and 3
    assert sorted(item["call"]["round"] for item in participations if item["call"]) == [2, 3]
    first = next(item for item in participations if item["call"] is None)
    assert [row["title_en"] for row in first["participation"]["milestones"]] == [SECRET_TITLE_EN]
    assert first["participation"]["service_hours"] == "1.50"
    assert answer.json()["count"] == 7
    assert "waitlisted" not in answer.content.decode() and "reviewer" not in answer.content.decode()
    feedback = {item["call"]["round"]: item["application"]["feedback"] for item in applications}
    assert feedback == {
        1: [],
        2: ["Round 2: a strong pilot plan"],
        3: ["Round 3: a strong pilot plan"],
        4: [],  # pending: nothing of its reviews either
    }
    assert "For the managers only" not in answer.content.decode()

    page = (
        client_for(cohort["users"]["member"]).get(f"/organizations/{cohort['startup'].pk}/").content.decode()
    )
    assert "Round 4" in page and "Waitlisted" not in page.title() and "waitlisted" not in page
    assert SECRET_TITLE_EN in page
    assert "Round 2: a strong pilot plan" in page and "Round 4: a strong pilot plan" not in page
    assert "For the managers only" not in page


def test_the_programs_manager_reads_the_pending_decision_in_the_history(cohort, history):
    items = history_for(cohort, "manager").json()["items"]
    decisions = {
        item["call"]["round"]: item["application"]["decision"] for item in items if item["application"]
    }
    assert decisions[4] == {"outcome": "waitlisted", "status": "pending", "released_at": None}


@pytest.mark.parametrize(
    ("persona", "status"), [("reviewer", 404), ("other_manager", 404), ("other_member", 404)]
)
def test_reviewers_and_other_programs_read_no_history(cohort, history, persona, status):
    assert history_for(cohort, persona).status_code == status


def test_a_reviewer_of_a_public_startup_reads_no_history_either(cohort, history):
    cohort["startup"].is_public = True
    cohort["startup"].save(update_fields=["is_public"])

    assert history_for(cohort, "reviewer").status_code == 403
    page = client_for(cohort["users"]["reviewer"]).get(f"/organizations/{cohort['startup'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="startup-history"' not in html and SECRET_TITLE_EN not in html
    assert f"/programs/applications/{history[0].pk}/" not in html


def test_a_manager_of_two_programs_reads_only_their_part_of_the_history(cohort, history):
    other = ProgramFactory(key="third")
    ParticipantFactory(program=other, organization=cohort["startup"])
    assert Participant.objects.filter(organization=cohort["startup"]).count() == 4

    items = history_for(cohort, "manager").json()["items"]

    assert {item["program"]["key"] for item in items} == {"bio-up"}
    assert {item["program"]["key"] for item in history_for(cohort, "staff").json()["items"]} == {
        "bio-up",
        "third",
    }


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_history_panel_reads_in_both_languages(cohort, history, language):
    client = client_for(cohort["users"]["member"], language)
    page = client.get(f"/organizations/{cohort['startup'].pk}/").content.decode()
    assert f'<html lang="{language}"' in page
    assert (SECRET_TITLE_KO if language == "ko" else SECRET_TITLE_EN) in page
    assert (SECRET_TITLE_EN if language == "ko" else SECRET_TITLE_KO) not in page
    assert 'id="startup-history"' in page
