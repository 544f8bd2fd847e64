"""Recording outcomes in the app (issue 16 item 1): who may record and edit them, their first stage
and its history row, the regulator rules, the cooperation area, evidence on a stage change, and the
registry's ``invests_in`` when an investment closes; through the service, the API and the page."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.core.services import Conflict
from dari.files.models import StoredFile
from dari.outcomes.models import Outcome, StageChange
from dari.outcomes.services import advance_outcome, record_outcome, starting_stages, update_outcome
from dari.registry.models import Relationship
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    CooperationAreaFactory,
    OrganizationFactory,
    ProgramFactory,
)
from tests.outcomes.conftest import investment

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- the service ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("anonymous", False), ("outsider", False), ("member", True), ("manager", True), ("staff", True)],
)
def test_who_may_record_an_outcome_of_the_startup(world, persona, allowed):
    actor = Actor(world.get(persona))
    if allowed:
        outcome = record_outcome(actor, investment(world))
        assert outcome.pk and outcome.key == "series-a-from-pacific-fund" and outcome.version == 1
        assert AuditEntry.objects.filter(action="outcomes.outcome.created", object_id=outcome.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            record_outcome(actor, investment(world))
        assert not Outcome.objects.exists()


def test_a_manager_records_only_for_startups_of_the_program_and_a_member_only_in_its_programs(world):
    with pytest.raises(PermissionDenied):  # ``other`` takes no part in the manager's program
        record_outcome(Actor(world["manager"]), investment(world, startup=world["other"]))
    with pytest.raises(PermissionDenied):  # the manager names no program: not theirs to record
        record_outcome(Actor(world["manager"]), investment(world, program=None))
    elsewhere = ProgramFactory(key="elsewhere")
    with pytest.raises(ValidationError) as refused:
        record_outcome(Actor(world["member"]), investment(world, program=elsewhere))
    assert list(refused.value.message_dict) == ["program"]
    assert not Outcome.objects.exists()


def test_the_first_stage_is_any_unfinished_stage_and_writes_the_first_stage_change(world):
    assert starting_stages("investment") == ["sourced", "in_review", "term_sheet"]
    assert starting_stages("regulatory") == ["preparing", "submitted"]
    before = timezone.now()
    outcome = record_outcome(
        Actor(world["member"]), investment(world, stage="term_sheet", occurred_on=date(2024, 1, 10))
    )
    change = StageChange.objects.get(outcome=outcome)
    assert (change.stage, change.recorded_on, change.recorded_by) == (
        "term_sheet",
        date(2024, 1, 10),
        world["member"],
    )
    assert change.recorded_at.tzinfo is not None and before <= change.recorded_at <= timezone.now()


@pytest.mark.parametrize("stage", ["closed", "declined", "withdrawn", "signed", "nonsense"])
def test_a_final_or_foreign_stage_cannot_be_the_first(world, stage):
    with pytest.raises(ValidationError) as refused:
        record_outcome(Actor(world["staff"]), investment(world, stage=stage))
    assert "stage" in refused.value.message_dict
    assert not Outcome.objects.exists() and not StageChange.objects.exists()


def test_a_regulatory_outcome_names_its_regulator_and_pathway_and_no_other_kind_does(world):
    regulatory = {
        "kind": "regulatory",
        "stage": "submitted",
        "startup": world["startup"],
        "title_en": "FDA clearance",
        "reported_on": date(2024, 3, 1),
    }
    with pytest.raises(ValidationError) as refused:
        record_outcome(Actor(world["member"]), regulatory)
    assert set(refused.value.message_dict) == {"regulator", "pathway"}
    with pytest.raises(ValidationError) as refused:
        record_outcome(Actor(world["member"]), investment(world, regulator="FDA", pathway="510(k)"))
    assert set(refused.value.message_dict) == {"regulator", "pathway"}
    outcome = record_outcome(Actor(world["member"]), {**regulatory, "regulator": "FDA", "pathway": "510(k)"})
    assert (outcome.regulator, outcome.pathway, outcome.stage) == ("FDA", "510(k)", "submitted")


def test_an_outcome_may_name_the_cooperation_area_it_serves(world):
    agreement = AgreementFactory(key="mou", is_public=True)
    AgreementPartyFactory(agreement=agreement, organization=world["startup"], position=1)
    area = CooperationAreaFactory(agreement=agreement, number=2)
    outcome = record_outcome(Actor(world["member"]), investment(world, cooperation_area=area))
    assert outcome.cooperation_area == area and list(area.outcomes.all()) == [outcome]


def test_editing_keeps_kind_stage_and_startup_and_refuses_a_stale_version(world):
    outcome = record_outcome(Actor(world["member"]), investment(world))
    update_outcome(Actor(world["manager"]), outcome, {"title_en": "Series A"}, version=1)
    entry = AuditEntry.objects.get(action="outcomes.outcome.changed")
    assert entry.changes == {"title_en": ["Series A from Pacific Fund", "Series A"]}
    with pytest.raises(Conflict):
        update_outcome(Actor(world["member"]), outcome, {"title_en": "Mine"}, version=1)
    with pytest.raises(TypeError):
        update_outcome(Actor(world["member"]), outcome, {"stage": "closed"})
    with pytest.raises(PermissionDenied):
        update_outcome(Actor(world["outsider"]), outcome, {"title_en": "Theirs"})
    outcome.refresh_from_db()
    assert (outcome.title_en, outcome.stage, outcome.version) == ("Series A", "in_review", 2)


def test_closing_an_investment_records_invests_in_once_with_who_when_and_evidence(world):
    first = record_outcome(Actor(world["member"]), investment(world, occurred_on=date(2024, 1, 10)))
    evidence = SimpleUploadedFile("term-sheet.pdf", PDF_BYTES)
    advance_outcome(Actor(world["manager"]), first, "closed", on=date(2024, 2, 1), evidence_file=evidence)

    relationship = Relationship.objects.get()
    assert (relationship.subject, relationship.kind, relationship.object) == (
        world["fund"],
        "invests_in",
        world["startup"],
    )
    assert AuditEntry.objects.filter(action="registry.relationship.created", actor=world["manager"]).exists()
    change = StageChange.objects.get(outcome=first, stage="closed")
    assert change.recorded_by == world["manager"] and change.recorded_at is not None
    stored = change.evidence_file
    assert (stored.owner, stored.purpose, stored.original_filename) == (first, "evidence", "term-sheet.pdf")
    # The second round from the same fund adds no second relationship.
    second = record_outcome(Actor(world["staff"]), investment(world, title_en="Series B", stage="term_sheet"))
    advance_outcome(Actor(world["staff"]), second, "closed", on=date(2024, 6, 1))
    assert Relationship.objects.count() == 1


def test_declining_or_an_unnamed_investor_records_no_relationship(world):
    declined = record_outcome(Actor(world["member"]), investment(world))
    advance_outcome(Actor(world["member"]), declined, "declined")
    unnamed = record_outcome(
        Actor(world["member"]),
        investment(world, counterparty=None, counterparty_description_en="A US fund", title_en="Seed"),
    )
    advance_outcome(Actor(world["member"]), unnamed, "closed")
    assert not Relationship.objects.exists()


def test_a_refused_stage_change_stores_no_evidence_and_no_relationship(world):
    outcome = record_outcome(Actor(world["member"]), investment(world, stage="sourced"))
    advance_outcome(Actor(world["member"]), outcome, "declined")
    with pytest.raises(ValidationError):
        advance_outcome(
            Actor(world["member"]), outcome, "closed", evidence_file=SimpleUploadedFile("x.pdf", PDF_BYTES)
        )
    assert not StoredFile.objects.exists() and not Relationship.objects.exists()


def test_evidence_is_served_to_those_who_may_see_the_amount(world, api_client):
    outcome = record_outcome(Actor(world["member"]), investment(world, stage="sourced"))
    advance_outcome(
        Actor(world["member"]),
        outcome,
        "term_sheet",  # still under negotiation: the amount is confidential
        evidence_file=SimpleUploadedFile("term-sheet.pdf", PDF_BYTES),
    )
    outcome.is_public = True
    outcome.save()
    world["startup"].is_public = True
    world["startup"].save()
    stored = StoredFile.objects.get()
    for persona, status in [("outsider", 404), ("member", 200), ("manager", 200), ("staff", 200)]:
        assert api_client(world[persona]).get(f"/files/{stored.pk}/").status_code == status, persona
    assert api_client().get(f"/files/{stored.pk}/").status_code in (302, 404)


# --- the API ----------------------------------------------------------------------------------------


def post(client, path, body, method="post"):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def api_body(world, **values):
    return {
        "kind": "investment",
        "stage": "in_review",
        "startup": world["startup"].pk,
        "program": world["program"].pk,
        "counterparty": world["fund"].pk,
        "title_en": "Series A",
        "amount": "2500000",
        "currency": "USD",
        "reported_on": "2024-01-18",
        **values,
    }


def test_api_records_an_outcome_with_201_and_its_fields(world, api_client):
    response = post(api_client(world["manager"]), "/api/v1/outcomes", api_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["stage"], body["amount"], body["version"]) == (
        "investment",
        "in_review",
        "2500000.00",
        1,
    )
    assert body["program"]["key"] == "p" and body["regulator"] == "" and body["cooperation_area_id"] is None
    assert StageChange.objects.get(outcome_id=body["id"]).recorded_by == world["manager"]


def test_api_refusals_share_the_error_shape(world, api_client):
    member = api_client(world["member"])
    forbidden = post(member, "/api/v1/outcomes", api_body(world, startup=world["other"].pk, program=None))
    assert forbidden.status_code == 403 and set(forbidden.json()) == {"detail"}
    invalid = post(member, "/api/v1/outcomes", api_body(world, kind="regulatory", stage="submitted"))
    assert invalid.status_code == 422
    assert {tuple(error["loc"]) for error in invalid.json()["detail"]} == {
        ("body", "payload", "regulator"),
        ("body", "payload", "pathway"),
    }
    final = post(member, "/api/v1/outcomes", api_body(world, stage="closed"))
    assert final.status_code == 422 and final.json()["detail"][0]["loc"] == ["body", "payload", "stage"]
    assert post(member, "/api/v1/outcomes/999999", {"title_en": "x"}, "patch").status_code == 404
    assert not Outcome.objects.exists()


def test_api_patch_changes_the_fields_sent_and_answers_409_to_a_stale_version(world, api_client):
    outcome = record_outcome(Actor(world["member"]), investment(world))
    member = api_client(world["member"])
    changed = post(member, f"/api/v1/outcomes/{outcome.pk}", {"title_en": "Series A", "version": 1}, "patch")
    assert changed.status_code == 200 and changed.json()["title_en"] == "Series A"
    assert changed.json()["version"] == 2 and changed.json()["stage"] == "in_review"
    stale = post(member, f"/api/v1/outcomes/{outcome.pk}", {"title_en": "Again", "version": 1}, "patch")
    assert stale.status_code == 409 and set(stale.json()) == {"detail"}
    outsider = api_client(world["outsider"])
    assert post(outsider, f"/api/v1/outcomes/{outcome.pk}", {"title_en": "x"}, "patch").status_code == 404


def test_api_hides_a_confidential_amount_of_a_recorded_outcome_from_outsiders(world, api_client):
    world["startup"].is_public = True
    world["startup"].save()
    outcome = record_outcome(Actor(world["member"]), investment(world))
    body = api_client(world["outsider"]).get(f"/api/v1/outcomes/{outcome.pk}").json()
    assert body["amount"] is None and body["title_en"] == "" and "amount" in body["redacted_fields"]


# --- the pages --------------------------------------------------------------------------------------


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_record_page_shows_its_form_and_an_empty_post_its_errors(world, api_client):
    client = english(api_client(world["member"]))
    page = client.get("/outcomes/new/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Record an outcome" in text and 'name="regulator"' in text and 'name="cooperation_area"' in text
    empty = client.post("/outcomes/new/", {})
    assert empty.status_code == 400
    assert "Please correct the errors below." in empty.content.decode()
    assert set(empty.context["form"].errors) >= {"kind", "stage", "startup", "reported_on"}
    assert not Outcome.objects.exists()
    assert english(api_client(world["outsider"])).get("/outcomes/new/").status_code == 403


def test_recording_on_the_page_redirects_to_the_outcome_and_its_history(world, api_client):
    client = english(api_client(world["member"]))
    response = client.post(
        "/outcomes/new/",
        {
            "kind": "regulatory",
            "stage": "submitted",
            "startup": world["startup"].pk,
            "program": world["program"].pk,
            "title_en": "FDA 510(k) submission",
            "regulator": "FDA",
            "pathway": "510(k)",
            "amount_disclosure": "auto",
            "reported_on": "2024-03-01",
            "is_public": "on",
        },
    )
    outcome = Outcome.objects.get()
    assert response.status_code == 302 and response["Location"] == outcome.get_absolute_url()
    page = client.get(outcome.get_absolute_url()).content.decode()
    assert "FDA · 510(k)" in page and "Recorded by member" in page and "<time" in page


def test_a_regulatory_page_post_without_regulator_is_400_on_those_fields(world, api_client):
    client = english(api_client(world["member"]))
    response = client.post(
        "/outcomes/new/",
        {
            "kind": "regulatory",
            "stage": "preparing",
            "startup": world["startup"].pk,
            "amount_disclosure": "auto",
            "reported_on": "2024-03-01",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"regulator", "pathway"}


def test_the_edit_page_saves_and_the_stage_form_takes_evidence(world, api_client):
    outcome = record_outcome(Actor(world["member"]), investment(world, stage="term_sheet"))
    client = english(api_client(world["manager"]))
    form = client.get(f"/outcomes/{outcome.pk}/edit/")
    assert form.status_code == 200 and 'name="version"' in form.content.decode()
    data = {**form.context["form"].initial, "title_en": "Series A, closed soon"}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data["is_public"] = "on"
    data["reported_on"] = "2024-01-18"
    saved = client.post(f"/outcomes/{outcome.pk}/edit/", data)
    assert saved.status_code == 302, saved.context["form"].errors
    outcome.refresh_from_db()
    assert outcome.title_en == "Series A, closed soon"
    today = (timezone.now() + timedelta(hours=9)).date().isoformat()
    moved = client.post(
        f"/outcomes/{outcome.pk}/stage/",
        {"stage": "closed", "on": today, "evidence_file": SimpleUploadedFile("signed.pdf", PDF_BYTES)},
    )
    assert moved.status_code == 302
    page = client.get(outcome.get_absolute_url()).content.decode()
    assert "signed.pdf" in page and "Recorded by manager" in page
    assert Relationship.objects.filter(kind="invests_in", subject=world["fund"]).exists()


# --- a round with several investors (issue 16 item 2) -------------------------------------------------


@pytest.fixture
def investors(world):
    return {
        "lead": OrganizationFactory(key="lead-fund", kind="investor", is_public=True, name_en="Lead Fund"),
        "second": OrganizationFactory(
            key="second-fund", kind="investor", is_public=True, name_en="Second Fund"
        ),
        "hidden": OrganizationFactory(
            key="hidden-fund", kind="investor", is_public=False, name_en="Quiet Fund"
        ),
    }


def round_values(world, investors, **values):
    return investment(
        world,
        counterparty=None,
        investors=[
            {"organization": investors["lead"], "role": "lead", "share": "6000000"},
            {"organization": investors["second"], "role": "participant", "share": None},
        ],
        **values,
    )


def test_a_round_is_one_outcome_with_its_lead_and_participants(world, investors):
    outcome = record_outcome(Actor(world["manager"]), round_values(world, investors))
    assert Outcome.objects.count() == 1 and outcome.amount == 10000000
    assert outcome.counterparty == investors["lead"]  # the lead is the round's counterparty
    assert [(item.organization, item.role, item.share) for item in outcome.investors.all()] == [
        (investors["lead"], "lead", 6000000),
        (investors["second"], "participant", None),
    ]
    entry = AuditEntry.objects.get(action="outcomes.outcome.investors_changed")
    assert entry.changes["investors"][0] == [] and len(entry.changes["investors"][1]) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda items, inv: items + [{"organization": inv["hidden"], "role": "lead"}], "one lead"),
        (lambda items, inv: items + [{"organization": inv["second"]}], "once"),
        (lambda items, inv: [{**items[0], "share": "20000000"}], "more than the round's amount"),
    ],
)
def test_a_round_refuses_two_leads_a_repeated_investor_and_shares_above_the_amount(
    world, investors, change, message
):
    values = round_values(world, investors)
    values["investors"] = change(values["investors"], investors)
    with pytest.raises(ValidationError) as refused:
        record_outcome(Actor(world["member"]), values)
    assert message in str(refused.value.message_dict["investors"])
    assert not Outcome.objects.exists()


def test_only_an_investment_has_investors(world, investors):
    values = {**round_values(world, investors), "kind": "partnership", "stage": "discussing"}
    with pytest.raises(ValidationError) as refused:
        record_outcome(Actor(world["member"]), values)
    assert "investors" in refused.value.message_dict


def test_closing_a_round_records_invests_in_from_each_investor(world, investors):
    outcome = record_outcome(Actor(world["member"]), round_values(world, investors))
    advance_outcome(Actor(world["manager"]), outcome, "closed")
    assert set(Relationship.objects.values_list("subject__key", "kind", "object__key")) == {
        ("lead-fund", "invests_in", "s"),
        ("second-fund", "invests_in", "s"),
    }


def test_api_records_a_round_and_hides_a_share_with_the_amount(world, investors, api_client):
    world["startup"].is_public = True
    world["startup"].save()
    body = api_body(
        world,
        counterparty=None,
        investors=[
            {"organization": investors["lead"].pk, "role": "lead", "share": "1500000"},
            {"organization": investors["hidden"].pk},
        ],
    )
    # The outsider may not name the private fund, nor record for the startup: 422 before 403.
    assert post(api_client(world["outsider"]), "/api/v1/outcomes", body).status_code == 422
    response = post(api_client(world["staff"]), "/api/v1/outcomes", body)
    assert response.status_code == 201, response.content
    assert [(item["role"], item["share"]) for item in response.json()["investors"]] == [
        ("lead", "1500000.00"),
        ("participant", None),
    ]
    seen = api_client(world["outsider"]).get(f"/api/v1/outcomes/{response.json()['id']}").json()
    assert seen["amount"] is None
    assert [
        (item["organization"] and item["organization"]["key"], item["share"]) for item in seen["investors"]
    ] == [
        ("lead-fund", None),
        (None, None),
    ]
    listed = api_client(world["outsider"]).get("/api/v1/outcomes").json()
    assert [item["id"] for item in listed["items"]] == [seen["id"]]  # one round, listed once


def test_api_patch_replaces_the_investors(world, investors, api_client):
    outcome = record_outcome(Actor(world["member"]), round_values(world, investors))
    response = post(
        api_client(world["member"]),
        f"/api/v1/outcomes/{outcome.pk}",
        {"investors": [{"organization": investors["second"].pk, "role": "lead"}]},
        "patch",
    )
    assert response.status_code == 200, response.content
    assert [(item["organization"]["key"], item["role"]) for item in response.json()["investors"]] == [
        ("second-fund", "lead")
    ]


def test_the_outcome_page_lists_the_round_and_hides_shares_with_the_amount(world, investors, api_client):
    world["startup"].is_public = True
    world["startup"].save()
    outcome = record_outcome(Actor(world["member"]), round_values(world, investors))
    insider = english(api_client(world["member"])).get(outcome.get_absolute_url()).content.decode()
    assert "Lead Fund" in insider and "Second Fund" in insider and "USD 6,000,000" in insider
    outsider = english(api_client(world["outsider"])).get(outcome.get_absolute_url()).content.decode()
    assert "Lead Fund" in outsider and "6,000,000" not in outsider and "10,000,000" not in outsider


def test_a_manager_records_a_round_with_two_investors_on_the_page(world, investors, api_client):
    client = english(api_client(world["manager"]))
    form = client.get("/outcomes/new/").content.decode()
    assert "Investors in the round" in form and 'name="investors-0-organization"' in form
    rows = {
        "investors-TOTAL_FORMS": "3",
        "investors-INITIAL_FORMS": "0",
        "investors-0-organization": investors["lead"].pk,
        "investors-0-role": "lead",
        "investors-0-share": "4000000",
        "investors-1-organization": investors["second"].pk,
        "investors-1-role": "participant",
        "investors-2-role": "participant",
    }
    outcome_fields = {
        "kind": "investment",
        "stage": "in_review",
        "startup": world["startup"].pk,
        "program": world["program"].pk,
        "title_en": "Series A",
        "amount": "5000000",
        "currency": "USD",
        "amount_disclosure": "auto",
        "reported_on": "2024-05-02",
    }
    too_much = client.post("/outcomes/new/", {**outcome_fields, **rows, "investors-0-share": "9000000"})
    assert too_much.status_code == 400 and "more than the round" in too_much.content.decode()
    response = client.post("/outcomes/new/", {**outcome_fields, **rows})
    outcome = Outcome.objects.get()
    assert response.status_code == 302 and response["Location"] == outcome.get_absolute_url()
    assert [(item.organization.key, item.role) for item in outcome.investors.all()] == [
        ("lead-fund", "lead"),
        ("second-fund", "participant"),
    ]
    advance_outcome(Actor(world["manager"]), outcome, "closed")
    assert Relationship.objects.filter(kind="invests_in", object=world["startup"]).count() == 2
