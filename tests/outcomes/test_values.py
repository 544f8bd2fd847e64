"""An outcome's USD and KRW values, locked with the ECB rate of the amount's day (issue 16 item 3):
locked when the amount is recorded or changed and never re-converted by another edit or a newer rate
history; pending while the day's rate is unknown, then locked by the periodic task; hidden exactly
when the amount is; the seed amount locked the same way, idempotently."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.core import rates
from dari.engines.fx import RateTable
from dari.outcomes.models import Outcome
from dari.outcomes.services import lock_pending_values, record_outcome, update_outcome
from dari.scenario.loader import load_scenario
from tests.outcomes.conftest import investment

pytestmark = pytest.mark.django_db

# The ECB's reference rates of Thursday 2024-01-18, per euro (eurofxref-hist): USD 1.0875, KRW 1455.8.
KRW_PER_USD_2024_01_18 = Decimal("1338.666667")  # 1455.8 / 1.0875, to six places


def test_the_seed_investment_is_locked_at_the_rate_of_the_reports_day(scenario):
    thyroscope = Outcome.objects.get(key="thyroscope-us-vc-investment")

    assert (thyroscope.amount, thyroscope.currency) == (Decimal("10000000.00"), "USD")
    assert thyroscope.rate_on == date(2024, 1, 18)
    assert thyroscope.krw_rate == KRW_PER_USD_2024_01_18
    assert thyroscope.usd_rate == Decimal("1.000000")
    # The value is the amount times the rate shown beside it, in won (no minor unit).
    assert thyroscope.krw_value == Decimal("13386666670")
    assert thyroscope.usd_value == Decimal("10000000.00")
    # SB Solution's contract reports units and no amount: nothing to convert.
    contract = Outcome.objects.get(key="sb-solution-hangzhou-provisional-contract")
    assert (contract.amount, contract.krw_value, contract.rate_on, contract.is_rate_pending) == (
        None,
        None,
        None,
        False,
    )


def test_reloading_the_scenario_changes_no_locked_value(scenario):
    before = list(Outcome.objects.order_by("pk").values())

    counts = load_scenario()

    assert counts.get("Outcome", 0) == 0
    assert list(Outcome.objects.order_by("pk").values()) == before


def test_a_weekend_amount_takes_the_fridays_rate_and_says_so(world):
    outcome = record_outcome(
        Actor(world["member"]),
        investment(
            world, amount="1000", currency="EUR", reported_on=date(2024, 1, 21), occurred_on=date(2024, 1, 20)
        ),
    )

    assert outcome.rate_on == date(2024, 1, 19)  # Saturday's amount: Friday's reference
    table = RateTable.bundled()
    assert outcome.usd_value == table.convert(Decimal(1000), "EUR", "USD", date(2024, 1, 19))[0]
    assert outcome.krw_rate == table.rate("EUR", "KRW", date(2024, 1, 19)).rate
    created = AuditEntry.objects.get(action="outcomes.outcome.created", object_id=outcome.pk)
    assert created.changes["rate_on"] == [None, "2024-01-19"]


def test_an_edit_that_leaves_the_amount_keeps_the_locked_rate(world, monkeypatch):
    outcome = record_outcome(Actor(world["member"]), investment(world))
    locked = (outcome.usd_value, outcome.krw_value, outcome.krw_rate, outcome.rate_on)
    # A newer history with other rates for that day is loaded: nothing already locked moves.
    doubled = RateTable([(date(2024, 1, 18), {"USD": Decimal("1.0875"), "KRW": Decimal("2911.6")})])
    monkeypatch.setattr("dari.outcomes.values.rate_table", lambda: doubled)

    outcome = update_outcome(
        Actor(world["member"]), outcome, {"title_en": "Series A, renamed", "amount": "10000000.00"}
    )
    outcome.refresh_from_db()
    assert (outcome.usd_value, outcome.krw_value, outcome.krw_rate, outcome.rate_on) == locked

    outcome = update_outcome(Actor(world["member"]), outcome, {"amount": "12000000"})
    outcome.refresh_from_db()
    assert outcome.krw_rate == Decimal("2677.333333")
    assert outcome.krw_value == Decimal("32127999996")  # 12,000,000 × 2677.333333, in won
    changed = (
        AuditEntry.objects.filter(action="outcomes.outcome.changed", object_id=outcome.pk)
        .order_by("pk")
        .last()
    )
    assert changed.changes["krw_rate"] == [str(KRW_PER_USD_2024_01_18), "2677.333333"]


def test_a_currency_without_an_ecb_rate_is_refused(world, monkeypatch):
    without_cny = RateTable([(date(2024, 1, 18), {"USD": Decimal("1.0875"), "KRW": Decimal("1455.8")})])
    monkeypatch.setattr("dari.outcomes.values.rate_table", lambda: without_cny)

    with pytest.raises(ValidationError) as refused:
        record_outcome(Actor(world["member"]), investment(world, currency="CNY"))

    assert "currency" in refused.value.message_dict
    assert not Outcome.objects.exists()


def test_an_amount_after_the_last_known_rate_is_pending_until_a_newer_history_is_loaded(
    world, settings, tmp_path, client
):
    settings.VAR_DIR = tmp_path
    last = RateTable.bundled().last_day
    day = last + timedelta(days=7)  # a week later: business days the table does not know
    outcome = record_outcome(
        Actor(world["member"]), investment(world, reported_on=day, occurred_on=day, amount="500000")
    )
    assert outcome.is_rate_pending
    assert (outcome.usd_value, outcome.krw_value, outcome.rate_on) == (None, None, None)
    client.force_login(world["member"])
    page = client.get(outcome.get_absolute_url()).content.decode()
    assert "환율 대기 중" in page  # rate pending, on the Korean page
    api = client.get(f"/api/v1/outcomes/{outcome.pk}").json()
    assert (api["rate_pending"], api["krw_value"]) == (True, None)

    assert lock_pending_values() == "0 of 1 pending amount(s) locked"
    # The ECB publishes the rates of the amount's day: a history file one day longer is loaded.
    history = tmp_path / "eurofxref-hist.csv"
    history.write_text(f"Date,USD,KRW,\n{day.isoformat()},1.1000,1500.00,\n", encoding="utf-8")
    newer = RateTable.from_file(history)
    bundled = RateTable.bundled()
    merged = RateTable([(d, bundled._rates[d]) for d in bundled._days] + [(day, newer._rates[day])])
    rates.loaded_path().write_text(_as_csv(merged), encoding="utf-8")

    assert lock_pending_values() == "1 of 1 pending amount(s) locked"

    outcome.refresh_from_db()
    assert outcome.rate_on == day
    assert outcome.krw_rate == Decimal("1363.636364")  # 1500 / 1.1
    assert outcome.krw_value == Decimal("681818182")
    entry = AuditEntry.objects.get(action="outcomes.outcome.values_locked", object_id=outcome.pk)
    assert entry.actor is None and entry.changes["rate_on"] == [None, day.isoformat()]
    assert lock_pending_values() == "0 of 0 pending amount(s) locked"


def _as_csv(table: RateTable) -> str:
    currencies = sorted({currency for day in table._days for currency in table._rates[day]} - {"EUR"})
    lines = ["Date," + ",".join(currencies)]
    for day in reversed(table._days):
        lines.append(
            day.isoformat() + "," + ",".join(str(table._rates[day].get(c, "N/A")) for c in currencies)
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("persona", "sees"), [("anonymous", False), ("outsider", False), ("member", True), ("manager", True)]
)
def test_the_locked_values_show_where_the_amount_does(world, client, persona, sees):
    outcome = record_outcome(Actor(world["member"]), investment(world))
    world["startup"].is_public = True
    world["startup"].save()
    if world.get(persona):
        client.force_login(world[persona])

    page = client.get(outcome.get_absolute_url())
    api = client.get(f"/api/v1/outcomes/{outcome.pk}")

    if persona == "anonymous" or persona == "outsider":
        # A public startup's outcome under review: its amount, and so its values, are hidden.
        assert page.status_code == 200 and api.status_code == 200
    text = page.content.decode()
    assert ("1,338.67 KRW" in text) is sees
    assert ("133억 8,666만 6,670 원" in text) is sees  # the page's language is Korean
    client.cookies["django_language"] = "en"
    english = client.get(outcome.get_absolute_url()).content.decode()
    assert ("KRW 13,386,666,670" in english) is sees
    assert ("locked at the ECB reference rate of 2024-01-18" in english) is sees
    assert (api.json()["krw_value"] is not None) is sees
    assert (api.json()["rate_on"] == "2024-01-18") is sees
