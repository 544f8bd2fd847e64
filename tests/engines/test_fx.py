"""dari.engines.fx: the ECB rate of the last business day, never interpolated; rate pending after the
table's last day; no sum across currencies; KRW read the Korean way."""

from datetime import date
from decimal import Decimal

import pytest

from dari.engines.fx import (
    MixedCurrencies,
    RatePending,
    RateTable,
    UnknownCurrency,
    korean_won,
    total,
    totals_by_currency,
)

# Three business days around a weekend; KRW missing on the Friday (a published N/A).
HISTORY = """Date,USD,JPY,KRW,
2024-01-19,1.0887,161.17,N/A,
2024-01-18,1.0875,161.04,1459.82,
2024-01-17,1.0877,161.08,1461.90,
"""


@pytest.fixture
def table():
    return RateTable.from_csv(HISTORY)


def test_a_weekday_uses_its_own_rate_and_says_so(table):
    rate = table.rate("USD", "KRW", date(2024, 1, 18))

    assert rate.on == date(2024, 1, 18)
    assert rate.rate == (Decimal("1459.82") / Decimal("1.0875")).quantize(Decimal("0.000001"))


def test_a_weekend_uses_the_last_business_day_not_an_interpolation(table):
    # Sunday 21 January: the last day with both rates is Thursday the 18th (KRW is N/A on the 19th).
    rate = table.rate("USD", "KRW", date(2024, 1, 21))

    assert rate.on == date(2024, 1, 18)
    assert table.rate("USD", "JPY", date(2024, 1, 21)).on == date(2024, 1, 19)


def test_an_amount_after_the_last_known_business_day_is_pending(table):
    with pytest.raises(RatePending) as pending:
        table.rate("USD", "KRW", date(2024, 1, 22))  # Monday: its rate is not in the table yet

    assert (pending.value.on, pending.value.known_until) == (date(2024, 1, 22), date(2024, 1, 19))
    # The weekend after the last Friday is not pending: no rate will ever be published for it.
    assert table.rate("USD", "JPY", date(2024, 1, 20)).on == date(2024, 1, 19)


def test_before_the_first_rate_and_unknown_currencies_are_refused(table):
    with pytest.raises(UnknownCurrency):
        table.rate("USD", "KRW", date(2023, 12, 31))
    with pytest.raises(UnknownCurrency):
        table.rate("USD", "XYZ", date(2024, 1, 18))


def test_convert_rounds_to_the_minor_unit_and_keeps_the_rate(table):
    won, rate = table.convert(Decimal("10000000"), "USD", "KRW", date(2024, 1, 18))
    euros, same_day = table.convert(Decimal("1000"), "USD", "EUR", date(2024, 1, 18))

    assert won == Decimal("13423632180")  # 10,000,000 × 1342.363218, no minor unit in KRW
    assert rate.on == same_day.on == date(2024, 1, 18)
    assert euros == Decimal("919.54")


def test_the_same_currency_is_rate_one_on_the_amounts_date(table):
    rate = table.rate("KRW", "KRW", date(2024, 1, 20))

    assert (rate.rate, rate.on) == (Decimal(1), date(2024, 1, 20))


def test_the_bundled_history_knows_the_seed_date():
    table = RateTable.bundled()

    rate = table.rate("USD", "KRW", date(2024, 1, 18))

    assert table.first_day == date(1999, 1, 4)
    assert table.last_day >= date(2026, 10, 30)
    assert rate.on == date(2024, 1, 18)
    assert Decimal(1300) < rate.rate < Decimal(1400)


def test_a_newer_history_file_is_read_from_disk_csv_or_zip(tmp_path):
    import zipfile

    newer = "Date,USD,KRW,\n2026-11-02,1.12,1600.5,\n"
    (tmp_path / "hist.csv").write_text(newer)
    with zipfile.ZipFile(tmp_path / "hist.zip", "w") as archive:
        archive.writestr("eurofxref-hist.csv", newer)

    for name in ("hist.csv", "hist.zip"):
        assert RateTable.from_file(tmp_path / name).last_day == date(2026, 11, 2)


def test_sums_never_mix_currencies():
    usd = [(Decimal("10000000"), "USD"), (Decimal("2500000"), "usd")]

    assert total(usd) == (Decimal("12500000"), "USD")
    assert total([]) is None
    with pytest.raises(MixedCurrencies):
        total([*usd, (Decimal("5000000000"), "KRW")])
    assert totals_by_currency([*usd, (Decimal("5000000000"), "KRW")]) == {
        "KRW": Decimal("5000000000"),
        "USD": Decimal("12500000"),
    }


@pytest.mark.parametrize(
    ("amount", "korean"),
    [
        ("123450000", "1억 2,345만 원"),
        ("10000000", "1,000만 원"),
        ("5000", "5,000원"),
        ("3000000000000", "3조 원"),
        ("13423632180", "134억 2,363만 2,180 원"),
        ("-20000", "-2만 원"),
    ],
)
def test_korean_won(amount, korean):
    assert korean_won(Decimal(amount)) == korean


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Day,USD\n2024-01-18,1.0875\n", "first column must be Date"),
        ("Date,USD\n2024-13-01,1.0875\n", "line 2"),
        ("Date,USD\n2024-01-18,abc\n", "line 2"),
        ("Date,USD\n2024-01-18,-1\n", "not positive"),
        ("Date,USD\n", "empty"),
    ],
)
def test_a_bad_history_is_refused_with_its_line(text, message):
    from dari.engines.fx import FxError

    with pytest.raises(FxError, match=message):
        RateTable.from_csv(text)
