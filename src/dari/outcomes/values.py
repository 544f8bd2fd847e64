"""An outcome's amount in USD and KRW, locked when the amount is recorded or changed.

The values are converted once (``dari.engines.fx``: the ECB reference of the last business day on or
before the amount's date) and stored with the rates and the rates' own day, so a report a year later
reads the same figures as the dashboard did, whatever rates were loaded since. An amount dated after
the last rate known is *pending*: its values stay empty (shown as "rate pending") until the periodic
task :func:`lock_pending` finds the rate in a newer history (``dari load_ecb_rates``).

The locked values are confidential exactly when the amount is (``permissions``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from dari.core.rates import rate_table
from dari.engines.fx import FxError, RatePending, RateTable

#: The fields this module writes, in the order an export lists them.
VALUE_FIELDS = ("usd_value", "krw_value", "usd_rate", "krw_rate", "rate_on")
#: What a locked value depends on: a change to any of them locks the values again.
SOURCE_FIELDS = ("amount", "currency", "occurred_on", "reported_on")

EMPTY = dict.fromkeys(VALUE_FIELDS)


def amount_date(outcome) -> date | None:
    """The day the amount is converted at: when the outcome occurred, else when it was reported."""
    return outcome.occurred_on or outcome.reported_on


def locked_values(
    amount: Decimal | None, currency: str, on: date | None, table: RateTable | None = None
) -> dict:
    """The value fields for ``amount`` in ``currency`` dated ``on``: the USD and KRW values (in their
    minor units), the rates (1 unit of ``currency`` in USD and in KRW) and the ECB day both rates are
    from (one day that has a rate for the currency, USD and KRW). All empty when there is no amount,
    or the rate is pending (:func:`is_pending` tells which). An unknown currency raises ``FxError``."""
    if amount is None or not currency or on is None:
        return dict(EMPTY)
    table = table or rate_table()
    try:
        day = table.reference_day(on, currency.upper(), "USD", "KRW")
    except RatePending:
        return dict(EMPTY)
    usd_value, usd = table.convert(amount, currency, "USD", day)
    krw_value, krw = table.convert(amount, currency, "KRW", day)
    return {
        "usd_value": usd_value,
        "krw_value": krw_value,
        "usd_rate": usd.rate,
        "krw_rate": krw.rate,
        "rate_on": day,
    }


def lock_values(outcome, table: RateTable | None = None) -> None:
    """Set ``outcome``'s value fields from its amount, currency and date (not saved). Values given as
    text are read as the fields read them; one that is not a number or a date locks nothing (the
    outcome's validation then says what is wrong)."""
    try:
        amount, reported_on, occurred_on = (
            outcome._meta.get_field(name).to_python(getattr(outcome, name))
            for name in ("amount", "reported_on", "occurred_on")
        )
    except ValidationError:
        return
    values = locked_values(amount, outcome.currency, occurred_on or reported_on, table)
    for name, value in values.items():
        setattr(outcome, name, value)


def relock_if_changed(outcome, before: dict, table: RateTable | None = None) -> bool:
    """Lock ``outcome``'s values again when its amount, currency or date differs from ``before`` (a
    snapshot with those fields, as the audited update takes it), or when they are pending; a changed
    title leaves the values and their rate as they were. Returns whether it locked."""
    changed = any(_plain(getattr(outcome, name)) != _plain(before.get(name)) for name in SOURCE_FIELDS)
    if changed or is_pending(outcome):
        lock_values(outcome, table)
        return True
    return False


def is_pending(outcome) -> bool:
    """An amount whose values could not be locked yet (its day's rate is not published yet)."""
    return outcome.amount is not None and outcome.rate_on is None


def check_convertible(amount, currency: str, on, table: RateTable | None = None) -> str | None:
    """A reason the amount cannot be converted at all (an unknown currency), or None."""
    try:
        locked_values(amount, currency, on, table)
    except FxError as error:
        return str(error)
    return None


def _plain(value):
    """A field value as the audit snapshot holds it (dates as text), a number as a number: 10000000
    and 10000000.00 are the same amount."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | str) and value not in ("",):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value
