"""Money as a ``Decimal`` amount with its ISO 4217 code; never added across currencies."""

from decimal import Decimal

from dari.engines.fx import korean_won

CURRENCY_CHOICES = [
    ("KRW", "KRW"),
    ("USD", "USD"),
    ("CNY", "CNY"),
    ("EUR", "EUR"),
    ("JPY", "JPY"),
]

# Minor units per ISO 4217; KRW and JPY have none.
MINOR_UNITS = {"KRW": 0, "JPY": 0, "USD": 2, "CNY": 2, "EUR": 2}


def format_money(amount: Decimal | None, currency: str, language: str = "en") -> str:
    """``USD 10,000,000``: the code first, the same in both languages, minor units only when present;
    except KRW in Korean, which reads the Korean way (``1억 2,345만 원``)."""
    if amount is None:
        return ""
    if currency == "KRW" and language.startswith("ko"):
        return korean_won(amount)
    places = 0 if amount == amount.to_integral_value() else MINOR_UNITS.get(currency, 2)
    return f"{currency} {amount:,.{places}f}"


def format_quantity(quantity: Decimal | None) -> str:
    if quantity is None:
        return ""
    places = 0 if quantity == quantity.to_integral_value() else 2
    return f"{quantity:,.{places}f}"
