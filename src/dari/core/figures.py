"""Figures in words, in the active language and each language's own order: ``about 1,000 companies`` /
``약 1,000개 기업``, ``200,000 units a year`` / ``연간 200,000대``, ``about US$27 billion`` /
``약 270억 달러``."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from .money import MINOR_UNITS, format_money, format_quantity

# How a large amount is said: English by thousands (million, billion, trillion), Korean by ten
# thousands (만, 억, 조).
ENGLISH_SCALES = [
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
]
KOREAN_UNITS = [(Decimal(10) ** 12, "조"), (Decimal(10) ** 8, "억"), (Decimal(10) ** 4, "만")]
# The currency as English prose writes it before the number, and as Korean says it after.
CURRENCY_PREFIXES = {"USD": "US$", "EUR": "€", "JPY": "¥", "KRW": "₩", "CNY": "CN¥"}
CURRENCY_NAMES_KO = {"USD": "달러", "EUR": "유로", "JPY": "엔", "KRW": "원", "CNY": "위안"}


def format_figure(value: Decimal, unit: str, is_approximate: bool = False) -> str:
    """A statistic with its unit, in the active language, marked when the source gave it as
    approximate. An approximate amount of money reads in words (``about US$27 billion``, ``약 270억
    달러``); an exact one keeps every digit (``USD 27,000,000,000``)."""
    if unit in MINOR_UNITS:
        if not is_approximate:
            return format_money(value, unit)
        return _("about %(value)s") % {"value": format_large_money(value, unit)}
    number = format_quantity(value)
    if unit == "companies":
        return (_("about %(value)s companies") if is_approximate else _("%(value)s companies")) % {
            "value": number
        }
    if unit == "people":
        return (_("about %(value)s people") if is_approximate else _("%(value)s people")) % {"value": number}
    text = f"{number} {unit}".strip()
    return _("about %(value)s") % {"value": text} if is_approximate else text


def format_large_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """An amount in words, rounded to what a reader takes in: ``US$27 billion``, ``US$1.5 million`` in
    English; ``270억 달러``, ``1조 2,000억 원`` in Korean (the two largest units). Amounts under a
    million (English) or ten thousand (Korean) keep their digits (``format_money``)."""
    language = (language or get_language() or "ko")[:2]
    if language == "ko":
        return _korean_money(amount, currency)
    for scale, word in ENGLISH_SCALES:
        if amount >= scale:
            number = (amount / scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            shown = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.1f}"
            prefix = CURRENCY_PREFIXES.get(currency)
            return f"{prefix}{shown} {word}" if prefix else f"{currency} {shown} {word}"
    return format_money(amount, currency)


def _korean_money(amount: Decimal, currency: str) -> str:
    if amount < KOREAN_UNITS[-1][0]:
        return format_money(amount, currency)
    remaining = amount.to_integral_value(rounding=ROUND_HALF_UP)
    parts = []
    for scale, unit in KOREAN_UNITS:
        count = remaining // scale
        if count:
            parts.append(f"{count:,}{unit}")
            remaining -= count * scale
        if len(parts) == 2:
            break
    name = CURRENCY_NAMES_KO.get(currency)
    return f"{' '.join(parts)} {name}" if name else f"{' '.join(parts)} {currency}"


def format_quantity_with_unit(
    quantity: Decimal, unit: str, period: str = "", *, unit_is_korean: bool = False
) -> str:
    """A quantity with its unit and period in the active language's order: ``200,000 units a year`` /
    ``연간 200,000대``. ``period`` is ``total``, ``year``, ``month`` or empty; ``unit`` is shown in the
    page's language (a Korean unit such as 대 is written against the number, ``unit_is_korean``)."""
    number = format_quantity(quantity)
    text = f"{number}{unit}" if unit_is_korean else f"{number} {unit}".strip()
    if period == "year":
        return pgettext("quantity", "%(quantity)s a year") % {"quantity": text}
    if period == "month":
        return pgettext("quantity", "%(quantity)s a month") % {"quantity": text}
    if period == "total":
        return pgettext("quantity", "%(quantity)s in total") % {"quantity": text}
    return text
