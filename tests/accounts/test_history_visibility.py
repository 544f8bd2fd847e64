"""Histories show a viewer only what the viewer may see.

Every history (the organization, person, agreement and action-item pages, and the organization's
history in the API) is fetched as each of five personas after changes to every kind of field, made
through the services. Each secret value must appear only in the answers to the personas entitled to
it, and must appear in theirs, so the test cannot pass by hiding everything.

Personas: ``anonymous``; ``outsider`` (signed in, no role); ``member`` (member of the public startup
``Helix Thera``, and the account of the person ``Dana``); ``manager`` (manager of a program Helix
takes part in); ``staff`` (the partnership-wide staff role).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.history import REDACTED, history_for
from dari.accounts.models import Membership, Role
from dari.accounts.services import grant_membership
from dari.agreements import services as agreements
from dari.matching import services as matching
from dari.partnering import services as partnering
from dari.registry import services as registry

from ..factories import OrganizationFactory, ParticipantFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "outsider", "member", "manager", "staff")
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
MATCHING_PEOPLE = frozenset({"member", "manager", "staff"})  # who see Helix's suggestions and requests
HELIX_INSIDERS = frozenset({"member", "staff"})  # who may change Helix (and Dana: her own account)
STAFF = frozenset({"staff"})


@dataclass
class World:
    users: dict
    helix: object
    person: object
    agreement: object
    item: object
    membership: object
    newcomer: object


@pytest.fixture
def world():
    helix = OrganizationFactory(key="helix", name_ko="헬릭스 테라", name_en="Helix Thera", is_public=True)
    clinic = OrganizationFactory(key="clinic", kind="hospital", name_ko="오픈 클리닉", name_en="Open Clinic")
    hidden = OrganizationFactory(
        key="hidden", kind="corporate", name_ko="숨은 파트너", name_en="Hidden Partner Ltd", is_public=False
    )
    program = ProgramFactory(key="accelerator")
    ParticipantFactory(program=program, organization=helix)
    users = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(username="otto-outsider"),
        "member": UserFactory(username="mina-member"),
        "manager": UserFactory(username="manny-manager"),
        "staff": UserFactory(username="stella-staff"),
    }
    system = Actor.system()
    grant_membership(system, users["member"], Role.ORGANIZATION_MEMBER, helix)
    grant_membership(system, users["manager"], Role.PROGRAM_MANAGER, program)
    grant_membership(system, users["staff"], Role.STAFF)
    member, staff = Actor(users["member"]), Actor(users["staff"])

    # The organization: a public field, the private matching profile, relevance marks, meeting requests.
    registry.update_organization(member, helix, {"city_en": "Ulsan-Harbor"})
    matching.update_matching_profile(
        member, helix, {"amount_sought_usd": Decimal("7654321"), "needs_en": "needs-xyzzy calibration"}
    )
    matching.mark_suggestion(member, helix, clinic, True)
    declined = partnering.request_meeting(member, helix, clinic, {"message": "Shall we meet?"})
    partnering.set_meeting_request_status(staff, declined, "declined", reply="Not now")
    withdrawn = partnering.request_meeting(staff, helix, hidden)
    partnering.set_meeting_request_status(staff, withdrawn, "withdrawn")

    # A public person with a private e-mail address, whose account is the member's.
    person = registry.create_person(
        staff,
        {
            "name_en": "Dana Example",
            "email": "old.secret@example.org",
            "is_public": True,
            "public_listing_basis": "consent",
        },
        organization=helix,
        title_en="Chief Scientist",
    )
    person.user = users["member"]
    person.save(update_fields=["user"])
    registry.update_person(staff, person, {"email": "new.secret@example.org", "name_en": "Dana Renamed"})

    # A public agreement with a private party that first owns an action item.
    agreement = agreements.create_agreement(
        staff,
        {
            "key": "harbor",
            "title_en": "Harbor MOU",
            "signed_at": datetime(2024, 1, 17, 10, 0),
            "signed_time_zone": "Asia/Seoul",
            "is_public": True,
        },
    )
    helix_party = agreements.add_party(staff, agreement, helix)
    hidden_party = agreements.add_party(staff, agreement, hidden)
    agreements.update_agreement(staff, agreement, {"title_en": "Harbor MOU Renamed"})
    item = agreements.create_action_item(
        staff, agreement, {"title_en": "Joint trial", "owner_party": hidden_party}
    )
    agreements.update_action_item(staff, item, {"owner_party": helix_party})
    agreements.change_action_item_status(member, item, "in_progress")

    # A membership granted by staff.
    newcomer = UserFactory(username="nico-newcomer")
    membership = grant_membership(staff, newcomer, Role.ORGANIZATION_MEMBER, helix)
    return World(users, helix, person, agreement, item, membership, newcomer)


def client_for(world, persona) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def history_section(html: str) -> str:
    """The history of a page: a persona's own username in the header is not a leak."""
    found = re.search(r'<section class="history">.*?</section>', html, re.DOTALL)
    assert found, "the page shows no history"
    return found.group(0)


def page_history(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return history_section(response.content.decode())


def api_history(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# Per history: (secret text, the personas entitled to see it).
ORGANIZATION_SECRETS = [
    ("Ulsan-Harbor", EVERYONE),  # a public field of the organization
    ("7654321", SIGNED_IN),  # the matching profile's amount sought, as GET matching-profile answers
    ("needs-xyzzy", SIGNED_IN),
    ("matching.feedback.marked", frozenset({"member", "staff"})),  # a mark: its own user and staff
    ("matching.meeting_request.created", MATCHING_PEOPLE),
    ("matching.meeting_request.declined", MATCHING_PEOPLE),
    ("Open Clinic", MATCHING_PEOPLE),  # the candidate of a request, named to those who see the request
    ("Hidden Partner", STAFF),  # a private candidate: only staff may see that organization
    ("mina-member", HELIX_INSIDERS),
    ("stella-staff", HELIX_INSIDERS),
    ("a member of Helix Thera", EVERYONE - HELIX_INSIDERS),  # who changed it, as others read it
]
PERSON_SECRETS = [
    ("Dana Renamed", EVERYONE),
    ("old.secret@example.org", HELIX_INSIDERS),  # e-mail: those who may change Dana (she is the member)
    ("new.secret@example.org", HELIX_INSIDERS),
    ("stella-staff", HELIX_INSIDERS),  # the actor, and the recorder of her consent
]
AGREEMENT_SECRETS = [
    ("Harbor MOU Renamed", EVERYONE),
    ("stella-staff", STAFF),  # insiders of an agreement: staff and its parties' administrators
    ("partnership staff", EVERYONE - STAFF),
]
ACTION_ITEM_SECRETS = [
    ("in_progress", EVERYONE),
    ("Helix Thera", EVERYONE),  # the new owner, a public party
    ("Hidden Partner", STAFF),  # the first owner, a private party
    ("mina-member", HELIX_INSIDERS),  # insiders of an item: staff and its owner's members
    ("stella-staff", HELIX_INSIDERS),
]


def leaks_and_losses(texts: dict[str, str], secrets) -> list[str]:
    problems = []
    for secret, entitled in secrets:
        for persona, text in texts.items():
            if secret in text and persona not in entitled:
                problems.append(f"{persona} sees {secret!r}")
            if secret not in text and persona in entitled:
                problems.append(f"{persona} does not see {secret!r}")
    return problems


def test_every_history_shows_each_persona_only_what_it_may_see(world):
    histories = [
        (page_history, f"/organizations/{world.helix.pk}/", ORGANIZATION_SECRETS),
        (api_history, f"/api/v1/organizations/{world.helix.pk}/history", ORGANIZATION_SECRETS),
        (page_history, f"/organizations/people/{world.person.pk}/", PERSON_SECRETS),
        (page_history, f"/agreements/{world.agreement.pk}/", AGREEMENT_SECRETS),
        (page_history, f"/agreements/action-items/{world.item.pk}/", ACTION_ITEM_SECRETS),
    ]
    problems = []
    for fetch, url, secrets in histories:
        texts = {persona: fetch(client_for(world, persona), url) for persona in PERSONAS}
        problems += [f"{url}: {problem}" for problem in leaks_and_losses(texts, secrets)]
    assert problems == []


def test_a_request_names_a_candidate_only_to_those_who_see_it(world):
    """Ids of related objects are shown as the objects the viewer may see, redacted otherwise."""
    member_view = history_for(world.users["member"], world.helix)
    staff_view = history_for(world.users["staff"], world.helix)

    def candidates(history, action):
        return [
            (change.old, change.new)
            for item in history
            if item.entry.action == action
            for change in item.changes
            if change.field == "candidate"
        ]

    withdrawn, created = [(REDACTED, None)], [(None, REDACTED), (None, "Open Clinic")]
    assert candidates(member_view, "matching.meeting_request.withdrawn") == withdrawn
    assert candidates(staff_view, "matching.meeting_request.withdrawn") == [("Hidden Partner Ltd", None)]
    assert candidates(member_view, "matching.meeting_request.created") == created


def test_a_membership_history_is_shown_to_the_member_and_those_who_may_grant_it(world):
    shown = {
        persona: [item.entry.action for item in history_for(world.users[persona], world.membership)]
        for persona in PERSONAS
    }
    newcomer_view = history_for(world.newcomer, world.membership)

    assert shown == {
        "anonymous": [],
        "outsider": [],
        "member": [],
        "manager": [],
        "staff": ["accounts.membership.granted"],
    }
    assert [item.entry.action for item in newcomer_view] == ["accounts.membership.granted"]
    assert newcomer_view[0].actor == "partnership staff"
    assert Membership.objects.filter(user=world.newcomer).count() == 1


def test_an_action_without_a_rule_is_shown_to_staff_only(world):
    from dari.accounts.audit import log_action

    log_action(Actor.system(), "someapp.thing.happened", world.helix, {"secret": [None, "s3cr3t"]})

    for persona in PERSONAS:
        actions = [item.entry.action for item in history_for(world.users[persona], world.helix)]
        assert ("someapp.thing.happened" in actions) == (persona == "staff"), persona
