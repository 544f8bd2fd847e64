"""Figures read as people say them, in each language's order: large approximate amounts in words
(US$27 billion, 270억 달러), quantities with their unit and period (200,000 units a year, 연간
200,000대)."""

from decimal import Decimal

import pytest
from django.utils import translation

from dari.core.figures import format_figure, format_large_money, format_quantity_with_unit


@pytest.mark.parametrize(
    ("amount", "currency", "english", "korean"),
    [
        (Decimal("27000000000"), "USD", "US$27 billion", "270억 달러"),
        (Decimal("1500000"), "USD", "US$1.5 million", "150만 달러"),
        (Decimal("1234000000000"), "KRW", "₩1.2 trillion", "1조 2,340억 원"),
        (Decimal("350000000"), "CNY", "CN¥350 million", "3억 5,000만 위안"),
        (Decimal("9500"), "USD", "USD 9,500", "USD 9,500"),
    ],
)
def test_large_amounts_read_in_words_in_both_languages(amount, currency, english, korean):
    assert format_large_money(amount, currency, "en") == english
    assert format_large_money(amount, currency, "ko") == korean


def test_an_approximate_amount_reads_in_words_and_an_exact_one_keeps_its_digits():
    with translation.override("en"):
        assert format_figure(Decimal("27000000000"), "USD", is_approximate=True) == "about US$27 billion"
        assert format_figure(Decimal("27000000000"), "USD") == "USD 27,000,000,000"
    with translation.override("ko"):
        assert format_figure(Decimal("27000000000"), "USD", is_approximate=True) == "약 270억 달러"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("year", "200,000 units a year"),
        ("month", "200,000 units a month"),
        ("total", "200,000 units in total"),
        ("", "200,000 units"),
    ],
)
def test_a_quantity_reads_in_english_order(period, expected):
    with translation.override("en"):
        assert format_quantity_with_unit(Decimal("200000"), "units", period) == expected


def test_a_quantity_reads_in_korean_order_with_a_korean_unit_against_the_number():
    with translation.override("ko"):
        yearly = format_quantity_with_unit(Decimal("200000"), "대", "year", unit_is_korean=True)
        assert yearly == "연간 200,000대"
        assert format_quantity_with_unit(Decimal("3"), "건", "total", unit_is_korean=True) == "총 3건"
        assert format_quantity_with_unit(Decimal("200000"), "units", "month") == "월 200,000 units"
