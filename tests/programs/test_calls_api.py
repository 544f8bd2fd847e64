"""The API of programs, calls and applications: the whole path of a call, and what each persona may
read and write (a denied write changes nothing)."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dari.programs.models import Application, Call, Program

from ..factories import OrganizationFactory, ProgramFactory
from .calls import COMPLETE, FORM, make_call, people

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, body: dict):
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_staff_create_a_program_and_its_manager_edits_it(api_client):
    program = ProgramFactory()
    _startup, users = people(program)
    unist = OrganizationFactory(kind="university", is_public=True)

    created = send(
        api_client(users["staff"]),
        "POST",
        "/api/v1/programs",
        {
            "name_ko": "바이오 사업",
            "name_en": "Bio program",
            "roles": [{"organization": unist.pk, "role": "operator"}],
            "managers": ["call-manager"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["key"], body["managers"], body["roles"][0]["role"]) == (
        "bio-program",
        ["call-manager"],
        "operator",
    )

    manager = api_client(users["manager"])
    url = f"/api/v1/programs/{body['id']}"
    changed = send(manager, "PATCH", url, {"description_en": "Ulsan to San Diego", "version": 1})
    assert (changed.status_code, changed.json()["version"]) == (200, 2)
    stale = send(manager, "PATCH", url, {"description_en": "Stale", "version": 1})
    assert stale.status_code == 409
    assert Program.objects.get(pk=body["id"]).description_en == "Ulsan to San Diego"


def test_only_staff_create_programs_and_only_managers_edit_theirs(api_client):
    program = ProgramFactory()
    _startup, users = people(program)
    for persona in ("manager", "member", "outsider"):
        answer = send(api_client(users[persona]), "POST", "/api/v1/programs", {"name_en": "Mine"})
        assert answer.status_code == 403, persona
    for persona in ("member", "outsider"):
        answer = send(api_client(users[persona]), "PATCH", f"/api/v1/programs/{program.pk}", {"name_en": "X"})
        assert answer.status_code == 403, persona
    assert Program.objects.count() == 1 and Program.objects.get().name_en != "X"


def test_a_manager_prepares_and_opens_a_call(api_client):
    program = ProgramFactory()
    _startup, users = people(program)
    manager = api_client(users["manager"])
    closes = (timezone.now() + timedelta(days=30)).replace(microsecond=0)

    created = send(
        manager,
        "POST",
        "/api/v1/calls",
        {
            "program": program.pk,
            "title_ko": "2027년 모집",
            "title_en": "2027 call",
            "opens_at": "2026-01-05T09:00:00",
            "closes_at": closes.astimezone(timezone.get_fixed_timezone(-480))
            .replace(tzinfo=None)
            .isoformat(),
            "time_zone": "America/Los_Angeles",
            "form": FORM,
            "phases": [{"name_en": "Screening"}, {"name_en": "Interview", "name_ko": "면접"}],
        },
    )
    assert created.status_code == 201, created.content
    call = created.json()
    assert (call["status"], call["round"], call["time_zone"], len(call["form"])) == (
        "draft",
        1,
        "America/Los_Angeles",
        6,
    )
    assert call["opens_at"] == "2026-01-05T09:00:00-08:00"
    assert [phase["name_en"] for phase in call["phases"]] == ["Screening", "Interview"]
    # Nobody but the program's managers and staff sees a draft call.
    assert api_client(users["member"]).get(f"/api/v1/calls/{call['id']}").status_code == 404

    opened = send(manager, "POST", f"/api/v1/calls/{call['id']}/status", {"status": "open"})
    assert opened.json()["status"] == "open"
    assert api_client(users["member"]).get(f"/api/v1/calls/{call['id']}").status_code == 200
    refused = send(manager, "POST", f"/api/v1/calls/{call['id']}/status", {"status": "decided"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", "status"]


def test_a_malformed_form_is_refused_with_its_field(api_client):
    program = ProgramFactory()
    _startup, users = people(program)
    answer = send(
        api_client(users["manager"]),
        "POST",
        "/api/v1/calls",
        {
            "program": program.pk,
            "title_en": "Bad form",
            "opens_at": "2026-01-05T09:00:00+09:00",
            "closes_at": "2026-02-05T09:00:00+09:00",
            "time_zone": "Asia/Seoul",
            "form": [{"key": "a", "kind": "essay", "label_en": "A"}],
        },
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "form"]
    assert not Call.objects.exists()


def test_a_startup_applies_through_the_api(api_client, open_call):
    startup, users = people(open_call.program)
    member = api_client(users["member"])

    started = send(member, "POST", "/api/v1/applications", {"call": open_call.pk, "startup": startup.pk})
    assert started.status_code == 201, started.content
    url = f"/api/v1/applications/{started.json()['id']}"
    saved = send(member, "PATCH", url, {"answers": COMPLETE, "version": 1})
    assert saved.json()["answers"] == COMPLETE
    uploaded = member.post(
        f"{url}/files", {"question": "deck", "file": SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n")}
    )
    assert uploaded.status_code == 200, uploaded.content
    file_id = uploaded.json()["answers"]["deck"]
    submitted = send(member, "POST", f"{url}/status", {"status": "submitted"})

    body = submitted.json()
    assert (body["status"], body["time_zone"]) == ("submitted", "Asia/Seoul")
    assert body["submitted_at"].endswith("+09:00")
    assert api_client(users["manager"]).get(f"/api/v1/files/{file_id}").status_code == 200
    assert api_client(users["outsider"]).get(f"/api/v1/files/{file_id}").status_code == 404


def test_an_application_is_hidden_from_everyone_but_its_startup_its_managers_and_staff(api_client, open_call):
    startup, users = people(open_call.program)
    application = Application.objects.create(call=open_call, startup=startup, answers={"plan": "Secret plan"})
    other_manager_program = ProgramFactory()
    from dari.accounts.audit import Actor
    from dari.accounts.services import grant_membership
    from tests.factories import UserFactory

    other_manager = UserFactory(username="other-manager")
    grant_membership(Actor.system(), other_manager, "program_manager", other_manager_program)
    url = f"/api/v1/applications/{application.pk}"

    for persona, user in {"outsider": users["outsider"], "other manager": other_manager}.items():
        client = api_client(user)
        assert client.get(url).status_code == 404, persona
        assert client.get("/api/v1/applications").json() == {"items": [], "count": 0}, persona
        assert send(client, "PATCH", url, {"answers": {"plan": "Mine now"}}).status_code == 404, persona
        assert send(client, "POST", f"{url}/status", {"status": "withdrawn"}).status_code == 404, persona
    assert api_client().get(url).status_code == 404
    for persona in ("member", "manager", "staff"):
        assert api_client(users[persona]).get("/api/v1/applications").json()["count"] == 1, persona
    # The manager sees it but does not answer for the startup.
    manager = api_client(users["manager"])
    assert send(manager, "PATCH", url, {"answers": {"plan": "Mine now"}}).status_code == 403
    assert send(manager, "POST", f"{url}/status", {"status": "withdrawn"}).status_code == 403
    application.refresh_from_db()
    assert (application.status, application.answers) == ("draft", {"plan": "Secret plan"})


def test_nobody_applies_for_someone_elses_startup(api_client, open_call):
    startup, users = people(open_call.program)
    public_startup = OrganizationFactory(kind="startup", is_public=True)
    for persona in ("outsider", "manager"):
        answer = send(
            api_client(users[persona]),
            "POST",
            "/api/v1/applications",
            {"call": open_call.pk, "startup": public_startup.pk},
        )
        assert answer.status_code == 403, persona
    assert not Application.objects.exists()


def test_application_list_query_count_does_not_grow(api_client, open_call):
    from tests.helpers import count_queries

    _startup, users = people(open_call.program)
    staff = api_client(users["staff"])
    Application.objects.create(call=open_call, startup=OrganizationFactory())
    few = count_queries(staff, "/api/v1/applications")
    for _ in range(5):
        Application.objects.create(call=open_call, startup=OrganizationFactory())
    assert count_queries(staff, "/api/v1/applications") == few


def test_call_list_query_count_does_not_grow(api_client):
    from tests.helpers import count_queries

    program = ProgramFactory()
    make_call(program)
    few = count_queries(api_client(), "/api/v1/calls")
    for number in range(2, 7):
        make_call(program, round=number)
    assert count_queries(api_client(), "/api/v1/calls") == few


def test_a_submission_after_the_closing_second_is_refused_in_the_api(api_client):
    now = timezone.now()
    call = make_call(opens_at=now - timedelta(days=30), closes_at=now - timedelta(seconds=1))
    startup, users = people(call.program)
    application = Application.objects.create(call=call, startup=startup, answers=COMPLETE)

    answer = send(
        api_client(users["member"]),
        "POST",
        f"/api/v1/applications/{application.pk}/status",
        {"status": "submitted"},
    )

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "call"]
    application.refresh_from_db()
    assert (application.status, application.submitted_at) == ("draft", None)


def test_an_unknown_role_is_refused_and_nothing_changes(api_client):
    program = ProgramFactory()
    _startup, users = people(program)
    unist = OrganizationFactory(kind="university", is_public=True)

    answer = send(
        api_client(users["manager"]),
        "PATCH",
        f"/api/v1/programs/{program.pk}",
        {"description_en": "Changed", "roles": [{"organization": unist.pk, "role": "owner"}]},
    )

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "payload", "roles"]
    program.refresh_from_db()
    assert (program.description_en, program.roles.count()) == ("", 0)
