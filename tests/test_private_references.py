"""A public record that names a private organization or person does not reveal them to outsiders."""

import pytest

from .factories import (
    AgreementPartyFactory,
    OrganizationFactory,
    OutcomeFactory,
    PersonFactory,
    ProgramRoleFactory,
)
from .helpers import get_json
from .pages import get_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_references():
    secret_fund = OrganizationFactory(name_en="Secret Fund", kind="investor", is_public=False)
    secret_person = PersonFactory(name_en="Secret Person", is_public=False)
    outcome = OutcomeFactory(counterparty=secret_fund, counterparty_description_en="")
    party = AgreementPartyFactory(head=secret_person, signatory=secret_person)
    AgreementPartyFactory(agreement=party.agreement, organization=secret_fund, head=None, signatory=None)
    role = ProgramRoleFactory(organization=secret_fund)
    return {"outcome": outcome, "agreement": party.agreement, "program": role.program}


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_outsiders_do_not_see_private_names_through_the_api(client_as, private_references, persona):
    client = client_as(persona)

    outcome = get_json(client, f"/api/v1/outcomes/{private_references['outcome'].pk}")
    agreement = get_json(client, f"/api/v1/agreements/{private_references['agreement'].pk}")
    program = get_json(client, f"/api/v1/programs/{private_references['program'].pk}")

    assert outcome["counterparty"] is None
    assert [party["head"] for party in agreement["parties"]] == [None]
    assert [party["signatory"] for party in agreement["parties"]] == [None]
    assert program["roles"] == []
    for payload in (outcome, agreement, program):
        assert "Secret" not in str(payload)


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_outsiders_do_not_see_private_names_on_pages(client_as, private_references, persona):
    client = client_as(persona)

    pages = [
        get_page(client, private_references["outcome"].get_absolute_url(), "en"),
        get_page(client, private_references["agreement"].get_absolute_url(), "en"),
        get_page(client, private_references["program"].get_absolute_url(), "en"),
        get_page(client, "/outcomes/", "en"),
    ]

    for html in pages:
        assert "Secret" not in html
    assert "an organization without a public profile" in pages[0]


def test_staff_see_the_private_names(client_as, private_references):
    client = client_as("staff")

    outcome = get_json(client, f"/api/v1/outcomes/{private_references['outcome'].pk}")
    agreement = get_json(client, f"/api/v1/agreements/{private_references['agreement'].pk}")

    assert outcome["counterparty"]["name_en"] == "Secret Fund"
    assert {party["organization"]["name_en"] for party in agreement["parties"]} >= {"Secret Fund"}
    assert "Secret Person" in get_page(client, private_references["agreement"].get_absolute_url(), "en")
