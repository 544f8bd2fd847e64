"""People belong to those entitled to them (security finding 1).

A probe, as a member of one startup, attached the mayor of Ulsan to that startup
(``POST /api/v1/affiliations`` → 201), then renamed, re-addressed and unlisted him through
``PATCH /api/v1/people/{id}`` (200 each), and visitors saw the new name. The rules now: an
organization's members may say that someone works there, but an affiliation to a person they have
no right over is a request until the person themself or staff confirms it, and grants nothing
meanwhile; the right over a person's entry is the person's own, staff's, and that of the
administrators of an organization confirmed as theirs; officials named for a public role are
changed by staff only.
"""

import json

import pytest
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.notifications.models import Notification
from dari.registry import services
from dari.registry.models import Affiliation, Person

from ..factories import AffiliationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def send(client, method, url, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json")


@pytest.fixture
def mayor(world):
    """An official named in a public source, affiliated (confirmed) with the public startup B."""
    return AffiliationFactory(
        person__key="mayor",
        person__name_en="Kim Du-gyeom",
        person__email="mayor@ulsan.invalid",
        person__public_listing_basis="public_role",
        organization=world.b,
        title_en="Mayor",
    ).person


def test_the_probe_cannot_take_over_the_mayor(world, mayor):
    member = client_for(world.users["member_a"])

    attached = send(
        member,
        "post",
        "/api/v1/affiliations",
        {"person_id": mayor.pk, "organization_id": world.a.pk, "title_en": "CEO"},
    )
    renamed = send(
        member, "patch", f"/api/v1/people/{mayor.pk}", {"name_en": "Someone Else", "email": "x@evil.invalid"}
    )
    unlisted = send(member, "patch", f"/api/v1/people/{mayor.pk}", {"is_public": False})
    seen_by_visitors = client_for(None).get(f"/api/v1/people/{mayor.pk}").json()
    page = client_for(None).get(mayor.get_absolute_url()).content.decode()
    organization_page = client_for(None).get(world.a.get_absolute_url()).content.decode()

    assert attached.status_code == 201 and attached.json()["confirmed"] is False
    assert (renamed.status_code, unlisted.status_code) == (403, 403)
    mayor.refresh_from_db()
    assert (mayor.name_en, mayor.email, mayor.is_public) == ("Kim Du-gyeom", "mayor@ulsan.invalid", True)
    # The unconfirmed claim is not published: not on the person, not on the organization's page.
    assert [affiliation["organization"]["key"] for affiliation in seen_by_visitors["affiliations"]] == [
        "startup-b"
    ]
    assert "startup-a" not in json.dumps(seen_by_visitors)
    assert "Startup A" not in page and "Kim Du-gyeom" not in organization_page


def test_an_official_is_changed_by_staff_only_even_by_their_own_organization(world, mayor):
    grant_membership(Actor.system(), world.users["admin_a"], Role.ORGANIZATION_ADMIN, world.b)

    refused = send(
        client_for(world.users["admin_a"]), "patch", f"/api/v1/people/{mayor.pk}", {"name_en": "X"}
    )
    by_staff = send(
        client_for(world.users["staff"]), "patch", f"/api/v1/people/{mayor.pk}", {"name_en": "Kim Doo-gyum"}
    )

    assert (refused.status_code, by_staff.status_code) == (403, 200)
    assert Person.objects.get(pk=mayor.pk).name_en == "Kim Doo-gyum"


def test_a_claim_grants_nothing_until_the_person_confirms_it(world):
    """Lee, with an account of her own, works at B. A's administrator claims her for A."""
    lee_user = UserFactory(username="lee")
    lee = AffiliationFactory(
        person__key="lee", person__public_listing_basis="consent", person__user=lee_user, organization=world.b
    ).person
    admin = client_for(world.users["admin_a"])

    claim = send(
        admin,
        "post",
        "/api/v1/affiliations",
        {"person_id": lee.pk, "organization_id": world.a.pk, "title_en": "CTO"},
    )
    before_confirmation = send(admin, "patch", f"/api/v1/people/{lee.pk}", {"name_en": "Renamed"})
    waiting = send(client_for(lee_user), "get", "/api/v1/affiliations/awaiting-confirmation").json()
    waiting_for_others = send(
        client_for(world.users["member_b"]), "get", "/api/v1/affiliations/awaiting-confirmation"
    ).json()
    confirmed_by_the_claimant = send(admin, "post", f"/api/v1/affiliations/{claim.json()['id']}/confirm")
    confirmed = send(client_for(lee_user), "post", f"/api/v1/affiliations/{claim.json()['id']}/confirm")
    after_confirmation = send(admin, "patch", f"/api/v1/people/{lee.pk}", {"name_en": "Lee Ji-eun"})

    assert claim.status_code == 201 and claim.json()["confirmed"] is False
    assert before_confirmation.status_code == 403
    assert [item["id"] for item in waiting["items"]] == [claim.json()["id"]]
    assert waiting_for_others == {"items": [], "count": 0}
    notice = Notification.objects.get(recipient=lee_user)
    assert notice.kind == "registry.affiliation_requested" and "Startup A" in notice.title_en
    assert confirmed_by_the_claimant.status_code == 403
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"] is True
    assert after_confirmation.status_code == 200
    assert Person.objects.get(pk=lee.pk).name_en == "Lee Ji-eun"


def test_the_person_turns_a_claim_down_and_staff_may_confirm_one(world):
    lee_user = UserFactory(username="lee")
    lee = PersonFactory(key="lee", public_listing_basis="consent", user=lee_user)
    first = services.add_affiliation(Actor(world.users["member_a"]), lee, world.a, {"title_en": "CTO"})
    second = services.add_affiliation(Actor(world.users["member_b"]), lee, world.b, {"title_en": "Adviser"})

    turned_down = send(client_for(lee_user), "delete", f"/api/v1/affiliations/{first.pk}")
    by_staff = send(client_for(world.users["staff"]), "post", f"/api/v1/affiliations/{second.pk}/confirm")

    assert turned_down.status_code == 204 and not Affiliation.objects.filter(pk=first.pk).exists()
    assert by_staff.status_code == 200
    second.refresh_from_db()
    assert (second.is_confirmed, second.confirmed_by) == (True, world.users["staff"])


def test_the_person_confirms_on_their_page(world):
    lee_user = UserFactory(username="lee")
    lee = PersonFactory(key="lee", public_listing_basis="consent", user=lee_user)
    claim = services.add_affiliation(Actor(world.users["member_a"]), lee, world.a, {"title_en": "CTO"})
    client = client_for(lee_user)

    page = client.get(lee.get_absolute_url()).content.decode()
    listed = client.get("/organizations/affiliations/awaiting/").content.decode()
    response = client.post(f"/organizations/affiliations/{claim.pk}/confirm/", {"from": "awaiting"})

    assert "awaiting confirmation" in page and f"/organizations/affiliations/{claim.pk}/confirm/" in page
    assert "Startup A" in listed
    assert response.status_code == 302 and response["Location"] == "/organizations/affiliations/awaiting/"
    claim.refresh_from_db()
    assert claim.confirmed_by == lee_user


def test_an_administrator_with_the_right_over_a_person_attaches_them_directly(world):
    """Kim is confirmed at A; A's administrator also administers B and adds Kim there too."""
    grant_membership(Actor.system(), world.users["admin_a"], Role.ORGANIZATION_ADMIN, world.b)

    affiliation = services.add_affiliation(
        Actor(world.users["admin_a"]), world.person, world.b, {"title_en": "Adviser"}
    )

    assert affiliation.is_confirmed


def test_a_claim_does_not_open_a_private_person_to_the_claimants(world):
    """A pending affiliation must not make its organization's members colleagues of the person."""
    lee_user = UserFactory(username="lee")
    lee = PersonFactory(key="lee", public_listing_basis="consent", user=lee_user)
    services.add_affiliation(Actor(world.users["member_a"]), lee, world.a, {"title_en": "CTO"})
    Person.objects.filter(pk=lee.pk).update(is_public=False)

    seen = client_for(world.users["member_a"]).get(f"/api/v1/people/{lee.pk}")

    assert seen.status_code == 404


# --- after review: what the first version of the fix missed -------------------------------------


def test_only_staff_move_a_person_to_or_from_a_public_role(world):
    """A public role lists a person without their consent and takes their entry out of everyone's
    hands but staff's: an administrator (or the person) must not be able to set it."""
    lee_user = UserFactory(username="lee")
    lee = AffiliationFactory(
        person__key="lee", person__public_listing_basis="consent", person__user=lee_user, organization=world.a
    ).person

    by_admin = send(
        client_for(world.users["admin_a"]),
        "patch",
        f"/api/v1/people/{lee.pk}",
        {"public_listing_basis": "public_role", "is_public": True},
    )
    by_the_person = send(
        client_for(lee_user), "patch", f"/api/v1/people/{lee.pk}", {"public_listing_basis": "public_role"}
    )
    created = send(
        client_for(world.users["member_a"]),
        "post",
        "/api/v1/people",
        {
            "name_en": "Choi",
            "organization_id": world.a.pk,
            "is_public": True,
            "public_listing_basis": "public_role",
        },
    )
    by_staff = send(
        client_for(world.users["staff"]),
        "patch",
        f"/api/v1/people/{lee.pk}",
        {"public_listing_basis": "public_role"},
    )

    assert (by_admin.status_code, by_the_person.status_code, created.status_code) == (422, 422, 422)
    assert by_admin.json()["detail"][0]["loc"][-1] == "public_listing_basis"
    assert not Person.objects.filter(name_en="Choi").exists()
    assert by_staff.status_code == 200


def test_a_private_organizations_claim_reaches_the_person(world):
    """Self-registered startups are private: the person must still see, confirm or turn down its claim."""
    lee_user = UserFactory(username="lee")
    lee = PersonFactory(key="lee", public_listing_basis="consent", user=lee_user)
    grant_membership(Actor.system(), world.users["member_a"], Role.ORGANIZATION_MEMBER, world.hidden)
    claim = services.add_affiliation(Actor(world.users["member_a"]), lee, world.hidden, {"title_en": "CTO"})
    client = client_for(lee_user)

    waiting = send(client, "get", "/api/v1/affiliations/awaiting-confirmation").json()
    page = client.get(lee.get_absolute_url()).content.decode()
    confirmed = send(client, "post", f"/api/v1/affiliations/{claim.pk}/confirm")

    assert [item["id"] for item in waiting["items"]] == [claim.pk]
    assert "Hidden C" in page
    assert confirmed.status_code == 200
    # Others still do not see the private organization's affiliation.
    assert "Hidden C" not in client_for(None).get(lee.get_absolute_url()).content.decode()


def test_one_request_per_organization_and_a_daily_limit_on_requests(world, settings):
    people = [PersonFactory(key=f"p{n}", public_listing_basis="consent") for n in range(11)]
    member = client_for(world.users["member_a"])

    def claim(person, title="Adviser"):
        body = {"person_id": person.pk, "organization_id": world.a.pk, "title_en": title}
        return send(member, "post", "/api/v1/affiliations", body)

    first = claim(people[0])
    again = claim(people[0], title="Another title")
    answers = [claim(person).status_code for person in people[1:]]

    assert first.status_code == 201 and again.status_code == 422
    assert "already has a request from this organization" in again.json()["detail"][0]["msg"]
    assert answers == [201] * 9 + [422]


def test_a_member_who_rewrites_a_confirmed_affiliation_makes_it_a_request_again(world):
    lee_user = UserFactory(username="lee")
    affiliation = AffiliationFactory(
        person__key="lee",
        person__public_listing_basis="consent",
        person__user=lee_user,
        organization=world.a,
        title_en="Adviser",
    )

    changed = send(
        client_for(world.users["member_a"]),
        "patch",
        f"/api/v1/affiliations/{affiliation.pk}",
        {"title_en": "Chief Executive"},
    )

    assert changed.status_code == 200 and changed.json()["confirmed"] is False
    assert (
        "Chief Executive" not in client_for(None).get(affiliation.person.get_absolute_url()).content.decode()
    )
    assert Notification.objects.filter(recipient=lee_user, kind="registry.affiliation_requested").count() == 1


def test_an_ended_affiliation_gives_no_right_over_the_person(world):
    Affiliation.objects.filter(person=world.person).update(ended_on="2020-12-31")

    refused = send(
        client_for(world.users["admin_a"]), "patch", f"/api/v1/people/{world.person.pk}", {"name_en": "X"}
    )

    assert refused.status_code == 403


def test_the_upgrade_confirms_only_affiliations_that_were_not_claims(world):
    """Migration registry 0006 reads the audit log: an affiliation a member attached to someone else's
    person before the fix stays a request; the scenario's, staff's and an organization's own people's
    are confirmed."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dari.registry.migrations.0006_affiliation_confirmation")
    member, staff = world.users["member_a"], world.users["staff"]
    official = PersonFactory(key="official")
    claimed = services.add_affiliation(Actor(member), official, world.a, {"title_en": "CEO"})
    by_staff = services.add_affiliation(Actor(staff), official, world.b, {"title_en": "Adviser"})
    own = services.create_person(Actor(member), {"name_en": "Own"}, world.a, title_en="CTO")
    loaded = AffiliationFactory(person=official, organization=world.hidden)  # no audit entry: the loader
    # As before the upgrade: no confirmation, and every affiliation's entry said "created".
    Affiliation.objects.update(confirmed_at=None, confirmed_by=None)
    AuditEntry.objects.filter(action="registry.affiliation.requested").update(
        action="registry.affiliation.created"
    )

    trusted = set(migration.trusted_affiliation_ids(apps))

    own_affiliation = Affiliation.objects.get(person=own)
    assert claimed.pk not in trusted
    assert {by_staff.pk, own_affiliation.pk, loaded.pk} <= trusted


def test_search_does_not_find_people_by_a_private_organizations_name_nor_by_a_claim(world):
    from dari.matching.profiles import person_profiles

    lee = PersonFactory(key="lee", public_listing_basis="consent")
    AffiliationFactory(person=lee, organization=world.hidden, title_en="Chief Scientist")
    services.add_affiliation(Actor(world.users["member_a"]), lee, world.a, {"title_en": "Claimed Adviser"})

    text = next(profile.text_en for profile in person_profiles() if profile.name_en == lee.name_en)

    assert "Chief Scientist" in text
    assert "Hidden C" not in text and "Claimed Adviser" not in text
