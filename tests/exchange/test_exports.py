"""Exports: the file a person downloads holds exactly what they may see, neutralised against
formulas, and imports back unchanged."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from tests.factories import (
    OrganizationFactory,
    OutcomeFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
)

from .helpers import import_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    private = OrganizationFactory(key="stealth", kind="startup", is_public=False, name_en="Stealth Bio")
    public = OrganizationFactory(
        key="open-bio", kind="startup", is_public=True, name_en='=HYPERLINK("http://x")'
    )
    fund = OrganizationFactory(key="fund", kind="investor", is_public=True, name_en="Pacific Fund")
    program = ProgramFactory(key="p")
    ParticipantFactory(program=program, organization=public)
    ParticipantFactory(program=program, organization=private)
    OutcomeFactory(
        key="round",
        startup=public,
        program=program,
        kind="investment",
        stage="in_review",
        counterparty=fund,
        title_en="USD 10M from Pacific Fund",
        public_title_en="A round under review",
        market_country="",
        amount=Decimal("10000000"),
        currency="USD",
    )
    users = {name: UserFactory(username=name) for name in ("outsider", "member")}
    users["staff"] = UserFactory(username="staff-user", is_staff=True)
    grant_membership(Actor.system(), users["member"], Role.ORGANIZATION_MEMBER, public)
    return users


def download(user, path) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def csv_rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_private_organization_is_absent_for_those_who_may_not_see_it(world):
    outsider = {row["key"] for row in csv_rows(download(world["outsider"], "/exports/organizations.csv"))}
    staff = {row["key"] for row in csv_rows(download(world["staff"], "/exports/organizations.csv"))}

    assert outsider == {"open-bio", "fund"}
    assert staff == {"open-bio", "fund", "stealth"}
    participants = csv_rows(download(world["outsider"], "/exports/participants.csv?program=p"))
    assert [row["organization"] for row in participants] == ["open-bio"]


def test_a_hidden_amount_and_its_values_are_blank_and_its_title_public(world):
    (outsider,) = csv_rows(download(world["outsider"], "/exports/outcomes.csv"))
    (member,) = csv_rows(download(world["member"], "/exports/outcomes.csv"))

    for name in ("amount", "currency", "usd_value", "krw_value", "usd_rate", "krw_rate", "rate_on"):
        assert outsider[name] == "", name
    assert outsider["title_en"] == "A round under review"
    assert "10M" not in "".join(outsider.values())
    assert (member["amount"], member["currency"], member["title_en"]) == (
        "10000000.00",
        "USD",
        "USD 10M from Pacific Fund",
    )
    assert member["usd_value"] == "10000000.00" and member["krw_value"] != ""


def test_the_xlsx_export_has_the_same_redaction_with_typed_cells(world):
    outsider = load_workbook(io.BytesIO(download(world["outsider"], "/exports/outcomes.xlsx"))).active
    member = load_workbook(io.BytesIO(download(world["member"], "/exports/outcomes.xlsx"))).active
    header = [cell.value for cell in outsider[1]]
    amount = header.index("amount")

    assert outsider[2][amount].value is None
    assert member[2][amount].value == 10000000


def test_formula_looking_cells_are_neutralised_in_both_formats(world):
    (row,) = [
        r for r in csv_rows(download(world["staff"], "/exports/organizations.csv")) if r["key"] == "open-bio"
    ]
    assert row["name_en"] == '\'=HYPERLINK("http://x")'

    sheet = load_workbook(io.BytesIO(download(world["staff"], "/exports/organizations.xlsx"))).active
    names = [cell.value for cell in sheet["D"]]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("kind", ["organizations", "participants", "outcomes"])
def test_an_export_imports_back_without_a_change(world, kind):
    data = download(world["staff"], f"/exports/{kind}.csv")
    entries = AuditEntry.objects.count()

    report = import_bytes(world["staff"], kind, data)

    assert report.ok, report.problems
    assert (report.created, report.changed) == (0, 0) and report.unchanged == report.rows > 0
    assert AuditEntry.objects.count() == entries


def test_exports_need_a_signed_in_user(world):
    response = Client().get("/exports/organizations.csv")
    assert response.status_code == 302


def test_an_outcomes_export_holds_what_the_filtered_list_shows(world):
    startup = OrganizationFactory(key="later-bio", kind="startup", is_public=True)
    OutcomeFactory(key="pact", startup=startup, kind="partnership", stage="active", amount=None)
    OutcomeFactory(key="made-up", startup=OrganizationFactory(is_illustrative=True), kind="partnership")
    client = Client()
    client.force_login(world["staff"])

    def keys(path) -> set[str]:
        response = client.get(path)
        assert response.status_code == 200, response.content
        return {row["key"] for row in csv_rows(response.content)}

    # The page's export is the list: its filters, the demo's made-up organizations only when asked.
    assert keys("/exports/outcomes.csv") == {"round", "pact"}
    assert keys("/exports/outcomes.csv?kind=partnership") == {"pact"}
    assert keys("/exports/outcomes.csv?kind=partnership&illustrative=on") == {"pact", "made-up"}
    assert keys("/exports/outcomes.csv?stage=in_review&stage=closed&program=p") == {"round"}
    assert client.get("/exports/outcomes.csv?year=soon").status_code == 400
    list_page = client.get("/outcomes/?kind=partnership&page=2").content.decode()
    assert 'href="/exports/outcomes.csv?kind=partnership"' in list_page

    # The API's export is the API's list with the same parameters.
    assert keys("/api/v1/exports/outcomes?kind=partnership") == {"pact", "made-up"}
    assert keys("/api/v1/exports/outcomes?stage=in_review&illustrative=false") == {"round"}
    assert keys("/api/v1/exports/outcomes?program=p&q=Pacific") == {"round"}
    refused = client.get("/api/v1/exports/organizations?kind=partnership&year=2024")
    assert refused.status_code == 422
    assert sorted(error["loc"][1] for error in refused.json()["detail"]) == ["kind", "year"]
    assert client.get("/api/v1/exports/outcomes?quarter=5").status_code == 422


def test_a_translated_name_stays_a_translation_through_an_export_and_back(world):
    OrganizationFactory(key="hz-bio", kind="distributor", is_public=True, name_ko_origin="translation")
    data = download(world["staff"], "/exports/organizations.csv")
    (row,) = [row for row in csv_rows(data) if row["key"] == "hz-bio"]
    assert (row["name_ko_origin"], row["name_en_origin"]) == ("translation", "original")

    report = import_bytes(world["staff"], "organizations", data)
    assert report.ok and report.changed == 0
