"""Money reads ``USD 10,000,000`` in both languages; minor units only when there are some."""

from decimal import Decimal

import pytest

from dari.core.money import format_money, format_quantity


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("10000000"), "USD", "USD 10,000,000"),
        (Decimal("10000000.00"), "USD", "USD 10,000,000"),
        (Decimal("27000000000"), "USD", "USD 27,000,000,000"),
        (Decimal("1234.5"), "USD", "USD 1,234.50"),
        (Decimal("0.99"), "CNY", "CNY 0.99"),
        (Decimal("13000000000"), "KRW", "KRW 13,000,000,000"),
        (Decimal("0"), "EUR", "EUR 0"),
    ],
)
def test_format_money(amount, currency, expected):
    assert format_money(amount, currency) == expected


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (Decimal("123450000"), "ko", "1억 2,345만 원"),
        (Decimal("123450000"), "en", "KRW 123,450,000"),
        (Decimal("13000000000"), "ko", "130억 원"),
    ],
)
def test_krw_reads_the_korean_way_in_korean(amount, language, expected):
    assert format_money(amount, "KRW", language) == expected
    assert format_money(Decimal("10000000"), "USD", language) == "USD 10,000,000"


def test_format_money_without_an_amount_is_empty():
    assert format_money(None, "USD") == ""


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [(Decimal("200000"), "200,000"), (Decimal("200000.00"), "200,000"), (Decimal("2.5"), "2.50"), (None, "")],
)
def test_format_quantity(quantity, expected):
    assert format_quantity(quantity) == expected
