"""Importing program participants and outcomes: staff, and program managers within their programs;
amounts locked with the ECB rates of their day; rounds with their investors."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from dari.accounts.audit import Actor, created_changes
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.outcomes.models import Investor, Outcome, StageChange
from dari.outcomes.values import locked_values
from dari.programs.models import Participant
from dari.registry.models import Relationship
from dari.registry.services import RELATIONSHIP
from tests.factories import OrganizationFactory, ParticipantFactory, ProgramFactory, UserFactory

from .helpers import csv_bytes, import_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    startup = OrganizationFactory(key="s", kind="startup", is_public=False, name_en="Stealth Bio")
    newcomer = OrganizationFactory(key="newcomer", kind="startup", is_public=True)
    fund = OrganizationFactory(key="fund", kind="investor", is_public=True)
    angel = OrganizationFactory(key="angel", kind="investor", is_public=True)
    program = ProgramFactory(key="p")
    elsewhere = ProgramFactory(key="elsewhere")
    ParticipantFactory(program=program, organization=startup)
    ParticipantFactory(program=elsewhere, organization=newcomer)
    users = {name: UserFactory(username=name) for name in ("outsider", "member", "manager")}
    users["staff"] = UserFactory(username="staff-user", is_staff=True)
    grant_membership(Actor.system(), users["member"], Role.ORGANIZATION_MEMBER, startup)
    grant_membership(Actor.system(), users["manager"], Role.PROGRAM_MANAGER, program)
    return {
        "startup": startup,
        "newcomer": newcomer,
        "fund": fund,
        "angel": angel,
        "program": program,
        **users,
    }


ROUND = (
    "key,kind,stage,startup,program,investors,lead_investor,title_en,amount,currency,reported_on,occurred_on\n"
    's-series-a,investment,in_review,s,p,angel,fund,Series A,"10,000,000",USD,2024-01-18,45309\n'
)


def test_a_manager_imports_a_round_of_their_program_with_its_values_locked(world):
    report = import_bytes(world["manager"], "outcomes", csv_bytes(ROUND))

    assert report.ok and report.created == 1
    outcome = Outcome.objects.get(key="s-series-a")
    assert (outcome.amount, outcome.occurred_on) == (Decimal("10000000.00"), date(2024, 1, 18))
    locked = locked_values(Decimal("10000000"), "USD", date(2024, 1, 18))
    assert (outcome.usd_value, outcome.krw_value, outcome.rate_on) == (
        locked["usd_value"],
        locked["krw_value"],
        locked["rate_on"],
    )
    assert outcome.counterparty == world["fund"]  # the lead, as when recorded on the page
    assert [(item.organization.key, item.role) for item in outcome.investors.all()] == [
        ("fund", "lead"),
        ("angel", "participant"),
    ]
    assert StageChange.objects.get(outcome=outcome).stage == "in_review"
    created = AuditEntry.objects.get(action="outcomes.outcome.created")
    assert created.actor == world["manager"] and created.changes["krw_value"][1] == str(locked["krw_value"])
    # A new round's investors are in its created entry (lead first, as write_investors lists them).
    assert created.changes["investors"] == [
        None,
        [[world["fund"].pk, "lead", None], [world["angel"].pk, "participant", None]],
    ]

    again = import_bytes(world["manager"], "outcomes", csv_bytes(ROUND))
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
    assert AuditEntry.objects.filter(action__startswith="outcomes.").count() == 1


def test_excel_dates_and_numbers_read_from_an_xlsx_file(world):
    rows = [
        ["key", "kind", "stage", "startup", "program", "counterparty", "amount", "currency", "reported_on"],
        ["deal", "contract", "provisional", "s", "p", "fund", 1234567.5, "KRW", date(2024, 1, 18)],
    ]
    report = import_bytes(world["staff"], "outcomes", xlsx_bytes(rows), "outcomes.xlsx")

    assert report.ok
    outcome = Outcome.objects.get(key="deal")
    assert (outcome.amount, outcome.reported_on) == (Decimal("1234567.50"), date(2024, 1, 18))


@pytest.mark.parametrize("value", ["2024.01.18", "2024/1/18", "45309", "2024-01-18 00:00:00"])
def test_dates_as_excel_writes_them_into_a_csv(world, value):
    text = f"program,organization,since\np,newcomer,{value}\n"
    report = import_bytes(world["staff"], "participants", csv_bytes(text))

    assert report.ok
    assert Participant.objects.get(organization=world["newcomer"], program=world["program"]).since == date(
        2024, 1, 18
    )


def test_a_manager_cannot_write_outside_their_programs(world):
    text = (
        "key,kind,stage,startup,program,counterparty,reported_on\n"
        "mine,partnership,discussing,s,p,fund,2024-01-18\n"
        "theirs,partnership,discussing,newcomer,elsewhere,fund,2024-01-18\n"
        "nowhere,partnership,discussing,s,,fund,2024-01-18\n"
        "not-in-it,partnership,discussing,newcomer,p,fund,2024-01-18\n"
    )
    report = import_bytes(world["manager"], "outcomes", csv_bytes(text))

    assert [(problem.row, problem.column) for problem in report.problems] == [
        (3, "program"),
        (4, "program"),
        (5, "startup"),
    ]
    assert Outcome.objects.count() == 0

    participants = "program,organization\nelsewhere,s\n"
    report = import_bytes(world["manager"], "participants", csv_bytes(participants))
    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "program")]


def test_a_manager_cannot_change_an_outcome_of_another_program(world):
    import_bytes(
        world["staff"],
        "outcomes",
        csv_bytes(
            "key,kind,stage,startup,program,market_country,reported_on\n"
            "theirs,market_entry,preparing,newcomer,elsewhere,JP,2024-01-18\n"
        ),
    )
    report = import_bytes(
        world["manager"],
        "outcomes",
        csv_bytes(
            "key,kind,stage,startup,program,market_country,reported_on\ntheirs,market_entry,preparing,s,p,US,2024-01-18\n"
        ),
    )

    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "key")]
    assert Outcome.objects.get(key="theirs").market_country == "JP"


@pytest.mark.parametrize("persona", ["outsider", "member"])
def test_others_may_not_import_outcomes_or_participants(world, persona):
    for kind in ("outcomes", "participants"):
        with pytest.raises(PermissionDenied):
            import_bytes(world[persona], kind, csv_bytes(ROUND))
    assert Outcome.objects.count() == 0


def test_an_import_does_not_move_an_outcome_s_stage(world):
    import_bytes(world["staff"], "outcomes", csv_bytes(ROUND))
    report = import_bytes(world["staff"], "outcomes", csv_bytes(ROUND.replace("in_review", "term_sheet")))

    assert [(problem.row, problem.column) for problem in report.problems] == [(2, "stage")]
    assert Outcome.objects.get().stage == "in_review"


def test_a_changed_amount_is_locked_again_and_audited(world):
    import_bytes(world["staff"], "outcomes", csv_bytes(ROUND))
    report = import_bytes(world["staff"], "outcomes", csv_bytes(ROUND.replace('"10,000,000"', "12000000")))

    assert report.changed == 1
    outcome = Outcome.objects.get()
    assert outcome.usd_value == Decimal("12000000.00") and outcome.version == 2
    entry = AuditEntry.objects.get(action="outcomes.outcome.changed")
    assert entry.changes["amount"] == ["10000000.00", "12000000.00"]
    assert entry.changes["usd_value"] == ["10000000.00", "12000000.00"]


def test_a_closed_round_records_that_its_investors_invest_in_the_startup(world):
    report = import_bytes(world["staff"], "outcomes", csv_bytes(ROUND.replace("in_review", "closed")))

    assert report.ok
    assert set(Relationship.objects.filter(kind="invests_in").values_list("subject__key", "object__key")) == {
        ("fund", "s"),
        ("angel", "s"),
    }
    entries = AuditEntry.objects.filter(action="registry.relationship.created")
    assert entries.count() == 2
    # Each entry reads as the registry's own would: the relationship's id, label and values.
    for relationship in Relationship.objects.filter(kind="invests_in"):
        entry = entries.get(object_id=relationship.pk)
        assert entry.changes == created_changes(relationship, RELATIONSHIP.audited)
        assert entry.object_label == str(relationship) and entry.actor == world["staff"]
    stage_change = Outcome.objects.get().stage_history.get()
    assert (stage_change.stage, stage_change.recorded_by) == ("closed", world["staff"])
    assert stage_change.recorded_at is not None and (stage_change.note_ko, stage_change.evidence_file) == (
        "",
        None,
    )
    assert {(item.organization.key, item.role) for item in Outcome.objects.get().investors.all()} == {
        ("fund", "lead"),
        ("angel", "participant"),
    }


def test_an_unknown_currency_and_an_investor_listed_twice_are_row_problems(world):
    text = (
        "key,kind,stage,startup,counterparty,investors,amount,currency,reported_on\n"
        "a,investment,sourced,s,fund,,100,XYZ,2024-01-18\n"
        "b,investment,sourced,s,,fund;fund,100,USD,2024-01-18\n"
        "c,investment,sourced,s,,s,100,USD,2024-01-18\n"
    )
    report = import_bytes(world["staff"], "outcomes", csv_bytes(text))

    assert [(problem.row, problem.column) for problem in report.problems] == [
        (2, "currency"),
        (3, "investors"),
        (4, "investors"),
    ]
    assert Investor.objects.count() == 0


def test_dates_out_of_range_and_amounts_with_too_many_digits_are_row_problems(world):
    text = (
        "key,kind,stage,startup,counterparty,amount,currency,reported_on,occurred_on,title_en\n"
        "a,investment,sourced,s,fund,,,1899-12-31,,A\n"
        "b,investment,sourced,s,fund,100,USD,2024-01-18,2201-01-01,B\n"
        "c,investment,sourced,s,fund,123456789012345678901,USD,2024-01-18,,C\n"
        "d,investment,sourced,s,fund,100.005,USD,2024-01-18,,D\n"
        f"e,investment,sourced,s,fund,100,USD,2024-01-18,,{'x' * 301}\n"
        "f,investment,sourced,s,fund,100.5,USD,2024-01-18,2024-01-17,F\n"
    )
    report = import_bytes(world["staff"], "outcomes", csv_bytes(text), dry_run=True)

    # The model's own checks, with its own messages: each bad cell named, the good row planned; an
    # amount with more decimals than its column keeps is refused, not rounded.
    assert [(problem.row, problem.column) for problem in report.problems] == [
        (2, "reported_on"),
        (3, "occurred_on"),
        (4, "amount"),
        (5, "amount"),
        (6, "title_en"),
    ]
    assert "1900-01-01" in report.problems[0].message and "2 decimal places" in report.problems[3].message
    assert "300" in report.problems[4].message and report.created == 1


def test_a_share_below_0_or_with_more_decimals_than_kept_is_a_row_problem(world):
    text = (
        "key,kind,stage,startup,counterparty,investors,amount,currency,reported_on\n"
        "a,investment,sourced,s,fund,angel=-5,100,USD,2024-01-18\n"
        "b,investment,sourced,s,fund,angel=33.333,100,USD,2024-01-18\n"
        "c,investment,sourced,s,fund,angel=123456789012345678901,100,USD,2024-01-18\n"
        "d,investment,sourced,s,fund,angel=33.33,100,USD,2024-01-18\n"
    )
    report = import_bytes(world["staff"], "outcomes", csv_bytes(text), dry_run=True)

    assert [(problem.row, problem.column) for problem in report.problems] == [
        (2, "investors"),
        (3, "investors"),
        (4, "investors"),
    ]
    assert "0" in report.problems[0].message and "2 decimal places" in report.problems[1].message
    assert report.created == 1
