"""Search and suggestions scope each query with visibility kept per loaded snapshot (engine.Loaded):
what the user is granted is asked per query; public profiles are known from the load. Profiles made
private since are never shown; profiles made public since, and new ones, show after the next refresh."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.matching import engine
from dari.registry.models import Organization

from ..factories import OrganizationFactory, ParticipantFactory, PersonFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def searched(user, text: str) -> list[str]:
    return [result.obj.key for result in engine.search(user, text)]


def suggested(user, subject) -> list[str]:
    return [suggestion.organization.key for suggestion in engine.suggestions(user, subject)]


def test_a_profile_made_private_after_loading_is_never_shown(world):
    assert "endo-clinic" in searched(world["outsider"], "thyroid")
    assert "endo-clinic" in suggested(world["member"], world["startup"])
    # No refresh: this process's copy still counts the clinic as public.
    Organization.objects.filter(pk=world["fit"].pk).update(is_public=False)

    assert "endo-clinic" not in searched(world["outsider"], "thyroid")
    assert "endo-clinic" not in suggested(world["member"], world["startup"])


def test_a_profile_made_public_shows_after_the_next_refresh(world):
    hidden = world["hidden"]
    assert "quiet-partner" not in searched(world["outsider"], "thyroid")
    hidden.is_public = True
    hidden.save()
    assert "quiet-partner" not in searched(world["outsider"], "thyroid")  # the copy predates it

    assert engine.refresh_index() is not None  # the save moved the fingerprint
    assert "quiet-partner" in searched(world["outsider"], "thyroid")
    assert "quiet-partner" in suggested(world["member"], world["startup"])


def test_a_program_manager_finds_the_private_startups_of_their_program(world):
    program, elsewhere = ProgramFactory(), ProgramFactory()
    ParticipantFactory(program=program, organization=world["startup"])
    manager, other = UserFactory(username="pm"), UserFactory(username="other-pm")
    grant_membership(Actor.system(), manager, Role.PROGRAM_MANAGER, program)
    grant_membership(Actor.system(), other, Role.PROGRAM_MANAGER, elsewhere)

    assert "glandscope" in searched(manager, "갑상선")
    assert "glandscope" not in searched(other, "갑상선")
    assert "endo-clinic" in suggested(manager, world["startup"])
    assert "quiet-partner" not in suggested(manager, world["startup"])


def test_an_organization_created_after_the_snapshot_joins_at_the_next_one(world):
    newcomer = OrganizationFactory(
        key="new-thyroid-clinic",
        kind=Organization.Kind.HOSPITAL,
        name_en="New Thyroid Clinic",
        description_en="A thyroid care clinic.",
        sectors=[world["thyroid"]],
    )
    engine.forget_loaded()  # a process that loads the older snapshot after the newcomer exists
    assert "new-thyroid-clinic" not in suggested(world["member"], world["startup"])

    engine.refresh_index()
    assert "new-thyroid-clinic" in suggested(world["member"], world["startup"])
    assert newcomer.key in searched(world["outsider"], "thyroid clinic")


def test_editing_a_person_refreshes_the_index(world):
    person = PersonFactory(name_en="Dana Whitfield", name_ko="데이나 휫필드")
    engine.refresh_index()
    assert engine.refresh_index() is None
    person.name_en = "Dana Whitfield-Kim"
    person.save()

    assert engine.refresh_index() is not None
    found = engine.search(world["outsider"], "Whitfield-Kim")
    assert [result.obj.pk for result in found if result.kind == "person"][:1] == [person.pk]


def test_a_result_made_private_since_the_snapshot_gives_its_place_to_the_next_one(world):
    """The snapshot still counts the clinic as public, so the engine ranks it; the query then runs
    again without it rather than showing fewer results than asked for."""
    before = [s.organization.key for s in engine.suggestions(world["member"], world["startup"], k=2)]
    found = [result.obj.key for result in engine.search(world["outsider"], "endocrinology clinic health")]
    assert "endo-clinic" in before and found == ["endo-clinic", "pacific-health-fund"]
    Organization.objects.filter(pk=world["fit"].pk).update(is_public=False)

    after = [s.organization.key for s in engine.suggestions(world["member"], world["startup"], k=2)]
    assert sorted(after) == ["pacific-health-fund", "tumor-capital"]  # the member's other two
    found = [
        result.obj.key for result in engine.search(world["outsider"], "endocrinology clinic health", limit=1)
    ]
    assert found == ["pacific-health-fund"]
