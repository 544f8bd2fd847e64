"""An outcome's stage machine: every (from, to) pair of every kind, through the service, the API and
the page, and the scenario loader going through the same function."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.outcomes.models import Outcome, StageChange
from dari.outcomes.services import STAGE_MACHINES, advance_outcome
from dari.outcomes.vocabulary import STAGES_BY_KIND, Kind
from dari.scenario.loader import DEFAULT_SCENARIO, load_scenario
from tests.factories import OutcomeFactory, UserFactory


def make_outcome(kind: str, stage: str) -> Outcome:
    return OutcomeFactory(kind=kind, stage=stage, counterparty_description_en="A San Diego company")


ALL_PAIRS = [(kind, old, new) for kind, machine in STAGE_MACHINES.items() for old, new in machine.pairs()]


def test_each_kind_has_a_machine_over_exactly_its_stages():
    assert set(STAGE_MACHINES) == set(Kind.values)
    for kind, machine in STAGE_MACHINES.items():
        assert machine.values == [stage for stage in machine.states.values if stage in STAGES_BY_KIND[kind]]
    # The investment's path from the issue: sourced → in_review → term_sheet → closed, or out.
    investment = STAGE_MACHINES[Kind.INVESTMENT]
    assert investment.next_states("in_review") == ["term_sheet", "closed", "declined", "withdrawn"]
    assert [stage for stage in investment.values if investment.is_final(stage)] == [
        "closed",
        "declined",
        "withdrawn",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "old", "new"), ALL_PAIRS)
def test_every_pair_of_stages(kind, old, new, staff_user):
    outcome = make_outcome(kind, old)
    allowed = STAGE_MACHINES[kind].allows(old, new)

    if allowed:
        advance_outcome(Actor(staff_user), outcome, new, on=date(2024, 3, 1), note_en="Moved")
    else:
        with pytest.raises(ValidationError) as refused:
            advance_outcome(Actor(staff_user), outcome, new, on=date(2024, 3, 1))
        assert list(refused.value.message_dict) == ["stage"]

    outcome.refresh_from_db()
    entries = list(
        AuditEntry.objects.filter(action="outcomes.outcome.stage_changed").values_list("changes", flat=True)
    )
    changes = list(StageChange.objects.filter(outcome=outcome).values_list("stage", "recorded_on", "note_en"))
    if allowed:
        assert (outcome.stage, entries, changes) == (
            new,
            [{"stage": [old, new]}],
            [(new, date(2024, 3, 1), "Moved")],
        )
    else:
        assert (outcome.stage, entries, changes) == (old, [], [])


@pytest.mark.django_db
def test_the_same_stage_again_changes_nothing(staff_user):
    outcome = make_outcome(Kind.INVESTMENT, "in_review")

    advance_outcome(Actor(staff_user), outcome, "in_review")

    assert not StageChange.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_startup_members_and_staff_move_outcomes_others_may_not(staff_user):
    outcome = make_outcome(Kind.INVESTMENT, "sourced")
    member, outsider = UserFactory(), UserFactory()
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, outcome.startup)

    # Actor(None) is an anonymous visitor: only Actor.system() is Dari itself.
    for refused in (Actor(outsider), Actor(None)):
        with pytest.raises(PermissionDenied):
            advance_outcome(refused, outcome, "in_review")
    advance_outcome(Actor(member), outcome, "in_review")
    advance_outcome(Actor(staff_user), outcome, "term_sheet")

    assert list(StageChange.objects.values_list("stage", flat=True)) == ["in_review", "term_sheet"]


@pytest.mark.django_db
def test_the_api_moves_an_outcome_and_answers_422_to_a_refused_move(client, staff_user):
    outcome = make_outcome(Kind.INVESTMENT, "term_sheet")
    client.force_login(staff_user)
    url = f"/api/v1/outcomes/{outcome.pk}/stage"

    refused = client.post(url, json.dumps({"stage": "sourced"}), content_type="application/json")
    moved = client.post(
        url,
        json.dumps({"stage": "closed", "on": "2024-05-02", "note_ko": "투자 완료"}),
        content_type="application/json",
    )

    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", "stage"]
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "closed"
    assert list(StageChange.objects.values_list("stage", "recorded_on", "note_ko")) == [
        ("closed", date(2024, 5, 2), "투자 완료")
    ]


@pytest.mark.django_db
def test_the_page_offers_the_next_stages_and_records_one(client, staff_user):
    outcome = make_outcome(Kind.CONTRACT, "provisional")
    client.force_login(staff_user)

    page = client.get(outcome.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    refused = client.post(f"/outcomes/{outcome.pk}/stage/", {"stage": "negotiating", "on": "2024-05-02"})
    moved = client.post(f"/outcomes/{outcome.pk}/stage/", {"stage": "signed", "on": "2024-05-02"})

    options = page.context["stage_form"].fields["stage"].choices
    assert [value for value, _label in options] == ["signed", "delivering", "ended"]
    assert refused.status_code == 400
    assert moved.status_code == 302
    outcome.refresh_from_db()
    assert outcome.stage == "signed"


@pytest.mark.django_db
def test_visitors_get_no_stage_form_and_cannot_post_one(client):
    outcome = make_outcome(Kind.CONTRACT, "provisional")

    page = client.get(outcome.get_absolute_url())
    posted = client.post(f"/outcomes/{outcome.pk}/stage/", {"stage": "signed", "on": "2024-05-02"})

    assert page.context["stage_form"] is None
    assert posted.status_code == 302  # to sign in
    outcome.refresh_from_db()
    assert outcome.stage == "provisional"


@pytest.mark.django_db
def test_reloading_a_scenario_that_reports_a_later_stage_goes_through_advance_outcome(tmp_path):
    load_scenario()
    later = tmp_path / "scenario.yaml"
    text = DEFAULT_SCENARIO.read_text(encoding="utf-8-sig")
    marker = "key: thyroscope-us-vc-investment"
    start = text.index(marker)
    stage_at = text.index("stage: in_review", start)
    later.write_text(
        text[:stage_at] + "stage: term_sheet" + text[stage_at + len("stage: in_review") :], encoding="utf-8"
    )

    load_scenario(later)

    outcome = Outcome.objects.get(key="thyroscope-us-vc-investment")
    entry = AuditEntry.objects.get(action="outcomes.outcome.stage_changed")
    assert outcome.stage == "term_sheet"
    assert (entry.actor, entry.actor_label, entry.changes) == (
        None,
        "system",
        {"stage": ["in_review", "term_sheet"]},
    )
    assert list(outcome.stage_history.values_list("stage", flat=True)) == ["in_review", "term_sheet"]
