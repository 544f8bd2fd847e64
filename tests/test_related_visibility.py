"""Lists and cards name only the related organizations and people their viewer may see.

A public agreement may have a private party, a public program private participants, a public outcome
a private counterparty, a public organization private people and ties to private organizations.
Every list and card that names such a related organization or person (agreement lists, action-item
boards, the dashboard, organization and program pages, outcome lists, search, suggestions, meeting
requests, the API lists) reads the related model's ``visible_to(user)``: a viewer who may not see it
is never told its name. The walk requests every page and API route of the permission matrix, so a
list added later is walked too.
"""

from datetime import UTC, datetime

import pytest

from dari.matching import engine
from dari.partnering.models import MeetingRequest
from dari.registry.models import Organization, Relationship

from .factories import (
    ActionItemFactory,
    AffiliationFactory,
    AgreementFactory,
    AgreementPartyFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipantFactory,
    PersonFactory,
    ProgramFactory,
    ProgramRoleFactory,
)
from .route_walk import walk
from .test_permission_matrix import world  # noqa: F401  (the matrix's world, extended below)

pytestmark = pytest.mark.django_db

# Each private name in Korean and English; none of them may reach anonymous visitors or outsiders.
PRIVATE_NAMES = {
    "party": ("은밀당사자재단", "Cryptic Party Foundation"),
    "signatory": ("숨은서명인", "Hidden Signatory"),
    "counterparty": ("베일거래처", "Veiled Counterparty Inc"),
    "participant": ("그림자참가바이오", "Shadow Participant Bio"),
    "operator": ("숨은운영기관", "Hidden Operator Institute"),
    "person": ("비밀인물", "Secret Person Yoon"),
    "ally": ("은밀동맹연구소", "Covert Ally Labs"),
}


def private_organization(name: str, kind=Organization.Kind.CORPORATE):
    name_ko, name_en = PRIVATE_NAMES[name]
    return OrganizationFactory(
        key=f"private-{name}", kind=kind, name_ko=name_ko, name_en=name_en, is_public=False
    )


def private_person(name: str):
    name_ko, name_en = PRIVATE_NAMES[name]
    return PersonFactory(key=f"private-{name}", name_ko=name_ko, name_en=name_en, is_public=False)


@pytest.fixture
def public_world(world):  # noqa: F811
    """The matrix's world, plus public records that name private organizations and people; returns
    the matrix's ids with a second set pointing its placeholders at the public records."""
    ids, users = world
    startup = OrganizationFactory(key="open-startup", name_ko="열린스타트업", name_en="Open Startup")
    party = private_organization("party", Organization.Kind.CITY_GOVERNMENT)
    signatory = private_person("signatory")
    agreement = AgreementFactory(key="open-agreement", is_public=True)
    private_party = AgreementPartyFactory(
        agreement=agreement, organization=party, position=1, head=signatory, signatory=signatory
    )
    public_party = AgreementPartyFactory(
        agreement=agreement, organization=startup, position=2, head=signatory, signatory=signatory
    )
    item = ActionItemFactory(
        agreement=agreement,
        key="open-item",
        owner_party=private_party,
        stated_by=signatory,
        due_at=datetime(2024, 6, 30, 15, 0, tzinfo=UTC),  # overdue
        due_time_zone="Asia/Seoul",
    )
    program = ProgramFactory(key="open-program", is_public=True)
    ProgramRoleFactory(program=program, organization=private_organization("operator"))
    ParticipantFactory(program=program, organization=private_organization("participant"))
    ParticipantFactory(program=program, organization=startup)
    outcome = OutcomeFactory(
        startup=startup,
        program=program,
        kind="contract",
        stage="signed",
        counterparty=private_organization("counterparty"),
        title_en="Supply contract",
        title_ko="공급 계약",
    )
    person = PersonFactory(key="open-person", name_ko="공개인물", name_en="Open Person")
    AffiliationFactory(person=person, organization=party, title_en="Adviser")
    AffiliationFactory(person=person, organization=startup, title_en="Founder")
    AffiliationFactory(person=private_person("person"), organization=startup, title_en="Chief Scientist")
    ally = private_organization("ally")
    Relationship.objects.create(subject=startup, kind="partners_with", object=ally)
    Relationship.objects.create(subject=ally, kind="invests_in", object=startup)
    MeetingRequest.objects.create(requested_by=users["outsider"], subject=startup, candidate=ally)
    MeetingRequest.objects.create(requested_by=users["outsider"], subject=ally, candidate=startup)
    engine.refresh_index()
    public_ids = ids | {
        "startup": startup.pk,
        "public": startup.pk,
        "agreement": agreement.pk,
        "party_public": public_party.pk,
        "item": item.pk,
        "program": program.pk,
        "outcome": outcome.pk,
        "person": person.pk,
        "cluster": startup.cluster_id,
    }
    return [ids, public_ids], users


def search_paths() -> tuple[str, ...]:
    """Searches by page and API for the public records and for the start of each private name (the
    search box repeats the query, so the whole name is never asked), and a few filtered lists."""
    paths = ["/organizations/?q=Open", "/api/v1/organizations?q=Open", "/api/v1/people?q=Open"]
    queries = ["Open", "열린", "공개인물"] + [
        query for name_ko, name_en in PRIVATE_NAMES.values() for query in (name_ko[:3], name_en.split()[0])
    ]
    for query in queries:
        paths += [f"/search/?q={query}", f"/api/v1/search?q={query}"]
    return tuple(paths)


def named(text: str) -> set[str]:
    return {name for names in PRIVATE_NAMES.values() for name in names if name in text}


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_lists_and_cards_do_not_name_private_organizations_or_people(public_world, persona):
    id_sets, users = public_world
    leaks = [
        f"{answer.where}: {sorted(named(answer.text))}"
        for answer in walk(users.get(persona), id_sets, reads_only=True, extra_paths=search_paths())
        if named(answer.text)
    ]
    assert not leaks, "\n".join(leaks)


def test_staff_sees_every_private_name(public_world):
    """The same walk as staff names each of them, so the test above cannot pass by showing nothing."""
    id_sets, users = public_world
    seen: set[str] = set()
    for answer in walk(users["staff"], id_sets, reads_only=True, extra_paths=search_paths()):
        seen |= named(answer.text)
    assert seen == {name for names in PRIVATE_NAMES.values() for name in names}
