"""The pages of programs, calls and applications: the path of a call in the browser's forms, in
both languages, and what each persona may read and write."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dari.programs.models import Application, Call, Program

from ..factories import OrganizationFactory, ProgramFactory
from ..pages import get_page, page_queries
from .calls import COMPLETE, make_call, people

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_staff_create_a_program_on_its_page(api_client):
    program = ProgramFactory()
    _startup, users = people(program)
    unist = OrganizationFactory(kind="university", name_en="UNIST")
    staff = api_client(users["staff"])

    response = staff.post(
        "/programs/new/",
        {
            "name_ko": "디지털 헬스 2기",
            "name_en": "Digital Health, second cohort",
            "name_ko_origin": "original",
            "name_en_origin": "translation",
            "start_year": "2025",
            "is_public": "on",
            **management("roles", 1),
            "roles-0-organization": unist.pk,
            "roles-0-role": "operator",
            "people-managers": "call-manager",
        },
    )

    program = Program.objects.get(key="digital-health-second-cohort")
    assert response.status_code == 302 and response["Location"] == program.get_absolute_url()
    assert list(program.roles.values_list("organization", "role")) == [(unist.pk, "operator")]
    html = get_page(api_client(users["manager"]), program.get_absolute_url(), "ko")
    assert "디지털 헬스 2기" in html and f"/programs/{program.pk}/calls/new/" in html


def test_an_unknown_manager_is_an_error_at_its_field(api_client):
    _startup, users = people(ProgramFactory())
    staff = api_client(users["staff"])
    staff.cookies["django_language"] = "en"
    response = staff.post(
        "/programs/new/",
        {
            "name_en": "X",
            "name_ko_origin": "original",
            "name_en_origin": "original",
            **management("roles"),
            "people-managers": "nobody-here",
        },
    )
    assert response.status_code == 400
    assert "No such user: nobody-here" in response.content.decode()
    assert Program.objects.filter(name_en="X").count() == 0


def test_a_manager_creates_a_call_with_its_form_in_korean(api_client):
    program = ProgramFactory()
    _startup, users = people(program)
    manager = api_client(users["manager"])
    manager.cookies["django_language"] = "ko"

    response = manager.post(
        f"/programs/{program.pk}/calls/new/",
        {
            "title_ko": "2027년 글로벌 진출 모집",
            "title_en": "",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-03-31T17:59:59",
            "time_zone": "America/Los_Angeles",
            **management("questions", 2),
            "questions-0-key": "summary",
            "questions-0-kind": "short_text",
            "questions-0-required": "on",
            "questions-0-label_ko": "한 줄 소개",
            "questions-1-key": "stage",
            "questions-1-kind": "choice",
            "questions-1-label_en": "Stage",
            "questions-1-choices": "seed | 시드 | Seed\nseries_a | 시리즈 A | Series A",
            **management("phases", 1),
            "phases-0-name_en": "Screening",
        },
    )

    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.closes_at.isoformat() == "2027-04-01T00:59:59+00:00"
    assert [question["key"] for question in call.form] == ["summary", "stage"]
    assert call.form[1]["choices"][1] == {"key": "series_a", "label_ko": "시리즈 A", "label_en": "Series A"}
    html = get_page(manager, call.get_absolute_url(), "ko")
    # The deadline in the call's zone first, then Seoul (the partnership's other zone).
    assert "2027-03-31 17:59 PDT" in html and "2027-04-01 09:59 KST" in html
    assert "한 줄 소개" in html and 'class="stage stage-draft"' in html


def test_a_member_applies_saves_a_draft_uploads_a_file_and_submits(api_client, open_call):
    startup, users = people(open_call.program)
    member = api_client(users["member"])
    member.cookies["django_language"] = "en"

    started = member.post(f"/programs/calls/{open_call.pk}/apply/", {"startup": startup.pk})
    application = Application.objects.get()
    assert started["Location"] == application.get_absolute_url()
    url = application.get_absolute_url()
    draft = member.post(url, {"version": "1", "answers.plan": "A plan", "save": ""})
    assert draft.status_code == 302
    refused = member.post(url, {"version": "2", "answers.plan": "A plan", "submit": ""})
    assert refused.status_code == 400
    assert "This question needs an answer." in refused.content.decode()
    # The refused submission still saved the draft (version 3), which the page now carries.
    assert 'name="version" value="3"' in refused.content.decode()
    submitted = member.post(
        url,
        {
            "version": "3",
            "answers.plan": "A plan",
            "answers.summary": COMPLETE["summary"],
            "answers.stage": "seed",
            "answers.deck": SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n"),
            "submit": "",
        },
    )
    assert submitted.status_code == 302, submitted.content.decode()[:2000]

    application.refresh_from_db()
    assert application.status == "submitted"
    assert set(application.answers) == {"plan", "summary", "stage", "deck"}
    html = get_page(api_client(users["manager"]), url, "en")
    assert "deck.pdf" in html and "Ask for revisions" in html


def test_the_application_page_shows_the_deadline_in_the_calls_zone_and_the_viewers(api_client):
    call = make_call()  # closes 2030-03-31 18:00 in Seoul
    startup, users = people(call.program)
    users["member"].time_zone = "Europe/Amsterdam"
    users["member"].save()
    application = Application.objects.create(call=call, startup=startup)

    html = get_page(api_client(users["member"]), application.get_absolute_url(), "en")

    assert "2030-03-31 18:00 KST" in html
    assert "2030-03-31 11:00 CEST" in html  # the viewer's own zone
    assert "Save draft" in html and "Submit" in html


def test_the_manager_asks_for_revisions_and_the_startup_answers(api_client, open_call):
    startup, users = people(open_call.program)
    application = Application.objects.create(
        call=open_call, startup=startup, answers=COMPLETE, status="submitted"
    )
    url = application.get_absolute_url()

    asked = api_client(users["manager"]).post(
        f"{url}status/", {"status": "revisions_requested", "note": "Add your team"}
    )
    assert asked.status_code == 302
    html = get_page(api_client(users["member"]), url, "en")
    assert "Revisions requested" in html and "Add your team" in html
    answered = api_client(users["member"]).post(
        url, {"version": "2", **{f"answers.{k}": v for k, v in COMPLETE.items()}, "submit": ""}
    )
    assert answered.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"


def test_nobody_else_reads_or_writes_an_application_on_its_pages(api_client, open_call):
    startup, users = people(open_call.program)
    application = Application.objects.create(call=open_call, startup=startup, answers={"plan": "Secret plan"})
    url = application.get_absolute_url()

    outsider = api_client(users["outsider"])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"answers.plan": "Mine"}).status_code == 404
    assert outsider.post(f"{url}status/", {"status": "withdrawn"}).status_code == 404
    assert "Secret plan" not in get_page(outsider, "/programs/applications/", "en")
    assert "Secret plan" not in get_page(outsider, open_call.get_absolute_url(), "en")
    manager = api_client(users["manager"])
    assert manager.post(url, {"version": "1", "answers.plan": "Mine"}).status_code == 403
    assert manager.post(f"{url}status/", {"status": "withdrawn"}).status_code == 403
    application.refresh_from_db()
    assert (application.status, application.answers) == ("draft", {"plan": "Secret plan"})


def test_a_draft_call_is_only_for_its_managers(api_client):
    call = make_call(status="draft")
    _startup, users = people(call.program)
    assert api_client(users["member"]).get(call.get_absolute_url()).status_code == 404
    assert api_client(users["manager"]).get(call.get_absolute_url()).status_code == 200


def test_application_list_query_count_does_not_grow(api_client, open_call):
    _startup, users = people(open_call.program)
    staff = api_client(users["staff"])
    Application.objects.create(call=open_call, startup=OrganizationFactory())
    few = page_queries(staff, "/programs/applications/")
    for _ in range(5):
        Application.objects.create(call=open_call, startup=OrganizationFactory())
    assert page_queries(staff, "/programs/applications/") == few


def test_call_page_query_count_does_not_grow(api_client, open_call):
    _startup, users = people(open_call.program)
    manager = api_client(users["manager"])
    Application.objects.create(call=open_call, startup=OrganizationFactory())
    few = page_queries(manager, open_call.get_absolute_url())
    for _ in range(5):
        Application.objects.create(call=open_call, startup=OrganizationFactory())
    assert page_queries(manager, open_call.get_absolute_url()) == few
