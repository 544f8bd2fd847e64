"""Consent to the public registry (PIPA, GDPR): a person is listed publicly only with a recorded
basis, their consent or an official role in which a public source names them."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.registry.models import Person
from dari.registry.services import (
    create_person,
    record_listing_consent,
    update_person,
    withdraw_listing_consent,
)
from dari.scenario.loader import load_scenario

from ..factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "A person can be listed publicly only with a recorded basis"


@pytest.fixture
def staff():
    return UserFactory(username="staff", is_staff=True)


def test_a_public_person_without_basis_is_refused_by_the_service(staff):
    with pytest.raises(ValidationError) as error:
        create_person(Actor(staff), {"name_en": "Lee", "is_public": True})

    assert MESSAGE in error.value.message_dict["public_listing_basis"][0]
    assert not Person.objects.exists()


def test_a_public_person_without_basis_is_refused_by_the_form(client, staff):
    person = PersonFactory(name_en="Lee", is_public=False)
    client.force_login(staff)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/organizations/people/{person.pk}/edit/",
        {"name_en": "Lee", "name_ko_origin": "original", "name_en_origin": "original", "is_public": "on"},
    )

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    person.refresh_from_db()
    assert person.is_public is False


def test_a_public_person_without_basis_is_refused_by_the_api(staff):
    client = Client()
    client.force_login(staff)

    response = client.post(
        "/api/v1/people", json.dumps({"name_en": "Lee", "is_public": True}), content_type="application/json"
    )

    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "payload", "public_listing_basis"]
    assert not Person.objects.exists()


def test_an_editor_records_a_consent_received_by_mail(staff):
    person = create_person(
        Actor(staff), {"name_en": "Lee", "is_public": True, "public_listing_basis": "consent"}
    )

    assert person.listing_consent_recorded_by == staff and person.listing_consent_at is not None
    client = Client()
    response = client.get(f"/api/v1/people/{person.pk}")
    assert response.json()["public_listing_basis"] == "consent"


def test_the_linked_user_consents_and_withdraws_on_their_profile(client):
    user = UserFactory(username="lee")
    person = PersonFactory(name_en="Lee", is_public=False, user=user)
    client.force_login(user)
    client.cookies["django_language"] = "en"

    profile = client.get("/accounts/profile/").content.decode()
    given = client.post(f"/organizations/people/{person.pk}/listing-consent/")
    person.refresh_from_db()
    public_after_consent = (person.is_public, person.public_listing_basis, person.listing_consent_recorded_by)
    seen_by_visitors = Client().get(person.get_absolute_url()).status_code
    withdrawn = client.post(f"/organizations/people/{person.pk}/listing-consent/withdraw/")
    person.refresh_from_db()

    assert "Your entry in the registry" in profile and "I consent to being listed publicly" in profile
    assert given.status_code == 302 and given["Location"] == "/accounts/profile/"
    assert public_after_consent == (True, "consent", user)
    assert seen_by_visitors == 200
    assert withdrawn.status_code == 302
    assert (person.is_public, person.public_listing_basis, person.listing_consent_at) == (False, "", None)
    assert Client().get(person.get_absolute_url()).status_code == 404
    assert [entry.action for entry in AuditEntry.objects.order_by("pk")] == [
        "registry.person.listing_consent_given",
        "registry.person.listing_consent_withdrawn",
    ]


def test_a_person_named_in_an_official_role_stays_public_after_withdrawing():
    user = UserFactory(username="mayor")
    person = PersonFactory(name_en="Mayor", is_public=True, public_listing_basis="public_role", user=user)
    record_listing_consent(Actor(user), person)

    withdraw_listing_consent(Actor(user), person)

    person.refresh_from_db()
    assert (person.is_public, person.public_listing_basis, person.listing_consent_at) == (
        True,
        "public_role",
        None,
    )


def test_no_one_else_decides_on_a_persons_listing():
    person = PersonFactory(is_public=False, user=UserFactory(username="lee"))
    other = UserFactory(username="other")

    with pytest.raises(PermissionDenied):
        record_listing_consent(Actor(other), person)

    person.refresh_from_db()
    assert (person.is_public, person.public_listing_basis) == (False, "")
    assert not AuditEntry.objects.exists()


def test_editing_away_from_consent_forgets_the_consent(staff):
    person = create_person(
        Actor(staff), {"name_en": "Lee", "is_public": True, "public_listing_basis": "consent"}
    )

    update_person(Actor(staff), person, {"is_public": False, "public_listing_basis": ""})

    person.refresh_from_db()
    assert (person.listing_consent_at, person.listing_consent_recorded_by) == (None, None)


def test_the_scenarios_officials_are_public_by_their_role_and_loading_twice_changes_nothing():
    load_scenario()
    again = load_scenario()

    assert sum(again.values()) == 0
    assert set(Person.objects.values_list("is_public", "public_listing_basis")) == {(True, "public_role")}
