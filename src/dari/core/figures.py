"""Reported figures in words: ``about 1,000 companies`` / ``약 1,000개 기업``."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .money import MINOR_UNITS, format_money, format_quantity


def format_figure(value: Decimal, unit: str, is_approximate: bool = False) -> str:
    """A statistic with its unit, in the active language, marked when the source gave it as approximate."""
    if unit in MINOR_UNITS:
        text = format_money(value, unit)
        return _("about %(value)s") % {"value": text} if is_approximate else text
    number = format_quantity(value)
    if unit == "companies":
        return (_("about %(value)s companies") if is_approximate else _("%(value)s companies")) % {
            "value": number
        }
    if unit == "people":
        return (_("about %(value)s people") if is_approximate else _("%(value)s people")) % {"value": number}
    text = f"{number} {unit}".strip()
    return _("about %(value)s") % {"value": text} if is_approximate else text
