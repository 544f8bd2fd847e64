"""Times in Dari: which zones are accepted, which dates are stored, how a local time is read, and how a
time is shown.

- **Zones**: the canonical IANA names, one per place (``canonical_zones``); ``validate_zone`` and the
  forms' ``zone_choices`` read the same list.
- **Range**: every stored date and time lies from 1900-01-01 to 2200-12-31 (``validate_in_range``, the
  validator of every model date field), so that every zone can show it.
- **Reading**: a local (naive) date-time is read in its zone by ``to_utc``, which refuses a time that
  the zone skips or repeats rather than shift it; an aware one is taken as is.
- **Forms**: a local time is a ``LocalDateTimeField`` (naive) beside a ``zone_field``; a service reads
  the pair with ``set_moment``.
- **The viewer's zone**: one rule, ``viewer_zones(user)``: the user's own zone when they have one,
  else the partnership's zones (``settings.PARTNERSHIP_TIME_ZONES``). Pages, e-mails, reminders,
  documents and histories all read it (``format_for``).
- **Showing**: 24-hour ``YYYY-MM-DD HH:MM`` with the zone abbreviation, first in the time's own zone,
  then in the partnership's other zones and the viewer's zone where they differ, e.g.
  ``2024-01-17 10:30 PST (2024-01-18 03:30 KST)``. Locale date formats are never used, so the Korean
  and the English page read the same figures. A time stored before the range was checked, which a
  zone cannot show (year 1 in Los Angeles, 9999-12-31 23:00 UTC in Seoul), is shown in UTC instead.
"""

from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .forms import SearchableSelect

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)
EARLIEST = datetime.combine(EARLIEST_DATE, datetime.min.time(), tzinfo=UTC)
LATEST = datetime.combine(LATEST_DATE, datetime.max.time(), tzinfo=UTC)


# --- zones --------------------------------------------------------------------------------------------


@cache
def canonical_zones() -> frozenset[str]:
    """The zones Dari accepts: UTC and each place's own name in the time zone database's ``zone.tab``
    (the list ``tzselect`` offers: Asia/Seoul, America/Los_Angeles, Europe/Amsterdam, ...).

    Refused: the backward-compatible aliases (US/Pacific, Asia/Calcutta, ROK), the POSIX-style rules
    (EST5EDT), ``localtime``, ``Factory`` and the ``posix/`` and ``right/`` copies. The aliases only
    keep old data readable; accepting them would store one place under several names, which the
    forms would list twice and which ``zones_to_show`` would not recognise as the same zone. Read
    from the ``tzdata`` package, so the list does not depend on the host's files.
    """
    table = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    names = {line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")}
    return frozenset({"UTC", *names})


def validate_zone(name: str) -> None:
    """Raise ``ValidationError`` unless ``name`` is a canonical IANA time zone (``canonical_zones``)."""
    if name not in canonical_zones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone. Enter an IANA zone such as Asia/Seoul or America/Los_Angeles."),
            code="invalid_zone",
            params={"zone": name},
        )


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(canonical_zones())]


# The first part of a zone's name, as a form groups the zones.
ZONE_REGIONS = {
    "Africa": pgettext_lazy("time zone region", "Africa"),
    "America": pgettext_lazy("time zone region", "America"),
    "Antarctica": pgettext_lazy("time zone region", "Antarctica"),
    "Arctic": pgettext_lazy("time zone region", "Arctic"),
    "Asia": pgettext_lazy("time zone region", "Asia"),
    "Atlantic": pgettext_lazy("time zone region", "Atlantic Ocean"),
    "Australia": pgettext_lazy("time zone region", "Australia"),
    "Europe": pgettext_lazy("time zone region", "Europe"),
    "Indian": pgettext_lazy("time zone region", "Indian Ocean"),
    "Pacific": pgettext_lazy("time zone region", "Pacific Ocean"),
}


def grouped_zone_choices(now: datetime | None = None) -> list:
    """The canonical zones as grouped choices for a form: the partnership's zones first, then one group
    per region (Africa, America, Asia, ...) with the others, each zone labelled with its name and its
    UTC offset ``now`` (``Asia/Seoul (UTC+09:00)``); UTC on its own."""
    now = now or timezone.now()

    def choice(name: str) -> tuple[str, str]:
        offset = now.astimezone(ZoneInfo(name)).strftime("%z")
        return name, f"{name} (UTC{offset[:3]}:{offset[3:]})"

    partnership = partnership_zones()
    regions: dict[str, list] = {}
    for name in sorted(canonical_zones() - {"UTC", *partnership}):
        regions.setdefault(name.split("/")[0], []).append(choice(name))
    return [
        (_("The partnership's zones"), [choice(name) for name in partnership]),
        *[(ZONE_REGIONS.get(region, region), zones) for region, zones in regions.items()],
        ("UTC", [("UTC", "UTC")]),
    ]


# --- range --------------------------------------------------------------------------------------------


def validate_in_range(value: date | datetime | None) -> None:
    """Raise ``ValidationError`` unless ``value`` lies from 1900-01-01 to 2200-12-31.

    An aware datetime is compared by its instant, a naive one by its wall-clock time, without
    converting either, so that a value near year 1 or 9999 is refused instead of overflowing.
    """
    if value is not None and not _is_in_range(value):
        raise _out_of_range(value)


def _is_in_range(value: date | datetime) -> bool:
    if not isinstance(value, datetime):
        return EARLIEST_DATE <= value <= LATEST_DATE
    if timezone.is_aware(value):
        return EARLIEST <= value <= LATEST
    return EARLIEST.replace(tzinfo=None) <= value <= LATEST.replace(tzinfo=None)


def _out_of_range(value: date | datetime) -> ValidationError:
    shown = value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return ValidationError(
        _("%(value)s is out of range: give a date from %(earliest)s to %(latest)s."),
        code="out_of_range",
        params={"value": shown, "earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
    )


# --- reading a local time -----------------------------------------------------------------------------


def to_utc(moment: datetime | None, zone: str, field: str, zone_field: str) -> datetime | None:
    """A local (naive) date-time read in ``zone``, or an aware one as is, in UTC.

    Raises ``ValidationError`` on ``zone_field`` when the zone is missing or not accepted, and on
    ``field`` when the time is out of range (checked before converting, which could overflow), or when
    it is a local time that ``zone`` skips (clocks put forward) or has twice (clocks turned back).
    """
    if moment is None:
        return None
    if not zone:
        raise ValidationError({zone_field: _("Give the time zone of this time (e.g. Asia/Seoul).")})
    try:
        validate_zone(zone)
    except ValidationError as error:
        raise ValidationError({zone_field: error.messages}) from error
    try:
        if not _is_in_range(moment):  # before converting, which could overflow
            raise _out_of_range(moment)
        utc = (read_local(moment, zone) if timezone.is_naive(moment) else moment).astimezone(UTC)
        if not _is_in_range(utc):  # a local time at the edge of the range, outside it in UTC
            raise _out_of_range(moment)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return utc


def set_moment(obj, values: dict, field: str, zone_field: str) -> dict:
    """``values`` for ``obj`` with the local ``field`` read in the zone given (or ``obj``'s current
    one) by ``to_utc``; when only the zone changes, the stored instant stays the same (the new zone is
    still checked). Raises ``ValidationError`` as ``to_utc`` does."""
    values = dict(values)
    zone = values.get(zone_field, getattr(obj, zone_field))
    if field in values:
        values[field] = to_utc(values[field], zone, field, zone_field)
    elif zone_field in values and getattr(obj, field) is not None:
        to_utc(getattr(obj, field), zone, field, zone_field)  # validates the new zone
    return values


def read_local(moment: datetime, zone: str) -> datetime:
    """The wall-clock time ``moment`` (naive, within the range) in ``zone``, as an aware datetime.

    Raises ``ValidationError`` when the zone skips that time or has it twice, naming the jump or the
    two instants: a time is never shifted silently.
    """
    tzinfo = ZoneInfo(zone)
    first, second = moment.replace(tzinfo=tzinfo, fold=0), moment.replace(tzinfo=tzinfo, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    if first.astimezone(UTC).astimezone(tzinfo).replace(tzinfo=None) != moment:
        jump_start, jump_end = _clock_jump(first, second, tzinfo)
        raise ValidationError(
            _(
                "%(moment)s does not exist in %(zone)s: the clocks jumped from %(from)s to %(to)s. "
                "Give a time before %(from)s or from %(to)s."
            ),
            code="nonexistent_time",
            params={"moment": _wall_clock(moment), "zone": zone, "from": jump_start, "to": jump_end},
        )
    earlier, later = sorted([first, second], key=lambda candidate: candidate.astimezone(UTC))
    raise ValidationError(
        _(
            "%(moment)s happens twice in %(zone)s, as the clocks were turned back: first at %(first)s, "
            "then at %(second)s. Say which: give the time with its UTC offset (%(first_iso)s or "
            "%(second_iso)s), or give it in UTC (%(first_utc)s or %(second_utc)s)."
        ),
        code="ambiguous_time",
        params={
            "moment": _wall_clock(moment),
            "zone": zone,
            "first": f"{earlier:%H:%M} {earlier.tzname()}",
            "second": f"{later:%H:%M} {later.tzname()}",
            "first_iso": earlier.isoformat(),
            "second_iso": later.isoformat(),
            "first_utc": f"{_wall_clock(earlier.astimezone(UTC))} UTC",
            "second_utc": f"{_wall_clock(later.astimezone(UTC))} UTC",
        },
    )


def _clock_jump(first: datetime, second: datetime, tzinfo: ZoneInfo) -> tuple[str, str]:
    """The wall-clock times before and after the jump over a skipped local time (``first`` and
    ``second`` are its two readings, by the offset before and after the jump)."""
    low, high = sorted([first.astimezone(UTC), second.astimezone(UTC)])
    offset_after = high.astimezone(tzinfo).utcoffset()
    while high - low > timedelta(seconds=1):  # the first instant with the new offset
        middle = low + (high - low) / 2
        if middle.astimezone(tzinfo).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    after = high.replace(microsecond=0).astimezone(tzinfo).replace(tzinfo=None)
    before = after - (offset_after - low.astimezone(tzinfo).utcoffset())
    if before.date() == after.date():
        return f"{before:%H:%M}", f"{after:%H:%M}"
    return _wall_clock(before), _wall_clock(after)


# --- forms --------------------------------------------------------------------------------------------

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date-time without a zone: the form's zone field says where it is."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        super().__init__(input_formats=LOCAL_FORMATS, **kwargs)

    def to_python(self, value):
        # Django's DateTimeField would make the value aware in the server's zone; keep it naive.
        result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None


#: The label of the button that chooses the browser's zone; %s is the zone.
BROWSER_ZONE = gettext_lazy("Use this device's zone: %s")


class TimeZoneField(forms.ChoiceField):
    """A canonical IANA zone, chosen in a searchable list grouped by region, the partnership's zones
    first (``grouped_zone_choices``); the browser's zone is chosen when a required zone is empty,
    and offered otherwise (``dari/forms.js``). ``blank`` adds an empty choice (for an optional zone)."""

    def __init__(self, *, blank: bool = False, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Time zone"))
        self.blank = blank
        widget = SearchableSelect(attrs={"data-browser-zone": BROWSER_ZONE})
        super().__init__(choices=self.choices_now, widget=widget, **kwargs)

    def choices_now(self):
        return [*([("", "—")] if self.blank else []), *grouped_zone_choices()]

    def to_python(self, value):
        return super().to_python(value).strip()

    def validate(self, value):
        if value:
            validate_zone(value)  # says why an alias or a misspelt zone is refused
        super().validate(value)


def zone_field(label, required: bool = False) -> TimeZoneField:
    """A choice of zone for a time: the partnership's zones first, then every other accepted one."""
    return TimeZoneField(label=label, required=required, blank=not required)


def local_initial(moment: datetime | None, zone: str):
    """The stored time as the wall-clock time to edit (in UTC where the zone cannot show it: saving
    then asks for a time within the range)."""
    return in_zone_or_utc(moment, zone).replace(tzinfo=None) if moment is not None and zone else None


# --- whose zones --------------------------------------------------------------------------------------


def partnership_zones() -> list[str]:
    """The partnership's zones (``DARI_PARTNERSHIP_TIME_ZONES``; Asia/Seoul and America/Los_Angeles)."""
    return list(settings.PARTNERSHIP_TIME_ZONES)


def viewer_zones(user) -> list[str]:
    """The zones ``user`` reads times in, the first one first: their own zone when they have one (a
    signed-in user, a notice's recipient), else the partnership's zones. The one rule for "the
    viewer's zone": pages, e-mails, reminders, documents and histories read it, never UTC."""
    own = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    return [own] if own else partnership_zones()


def format_for(
    moment: datetime, user, zone: str | None = None, *, partnership: bool = True
) -> tuple[str, list[str]]:
    """``moment`` as ``user`` reads it: in ``zone`` (the time's own zone) first, or, for a time that
    has none (a change in a history, a job's start), in the viewer's first zone; then in the
    partnership's other zones (pages and documents; ``partnership=False`` for a short e-mail) and in
    the viewer's zones, where they differ. Returns the first rendering and the others."""
    viewer = viewer_zones(user)
    others = [*partnership_zones(), *viewer] if partnership else viewer
    return format_moment(moment, zone or viewer[0], others)


# --- showing ------------------------------------------------------------------------------------------


def _wall_clock(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM``, the year in four digits even before 1000."""
    return moment.isoformat(sep=" ", timespec="minutes")[:16]


def in_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def in_zone_or_utc(moment: datetime, zone: str) -> datetime:
    """``moment`` in ``zone``; in UTC where the zone cannot show it (a time stored before the range
    was checked: year 1 west of Greenwich, 9999-12-31 late in the day east of it)."""
    try:
        return in_zone(moment, zone)
    except OverflowError:
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            return moment


def format_in_zone(moment: datetime, zone: str) -> str:
    local = in_zone_or_utc(moment, zone)
    return f"{_wall_clock(local)} {local.tzname()}"


def zones_to_show(own_zone: str, partnership_zones: list[str], viewer_zone: str | None = None) -> list[str]:
    """The zone the event happened in first, then the others worth showing, without repeats."""
    zones = [own_zone, *partnership_zones]
    if viewer_zone:
        zones.append(viewer_zone)
    ordered: list[str] = []
    for zone in zones:
        if zone and zone not in ordered:
            ordered.append(zone)
    return ordered


def format_moment(
    moment: datetime, own_zone: str, partnership_zones: list[str], viewer_zone: str | None = None
) -> tuple[str, list[str]]:
    """Return the time in its own zone and the list of renderings in the other zones.

    Zones that give the very same wall-clock text (e.g. two zones with the same offset and
    abbreviation, or several that can only show the time in UTC) are shown once.
    """
    primary = format_in_zone(moment, own_zone)
    others: list[str] = []
    for zone in zones_to_show(own_zone, partnership_zones, viewer_zone)[1:]:
        text = format_in_zone(moment, zone)
        if text != primary and text not in others:
            others.append(text)
    return primary, others
