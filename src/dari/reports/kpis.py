"""The partnership's KPIs, computed in one place: the dashboard, its charts (``dari.reports.charts``),
``GET /api/v1/kpis`` and ``GET /api/v1/kpis/breakdown`` read the same figures (and the reports will).

Each figure counts the outcomes behind it, as far as the viewer may see them, and links to them: the
outcome list with the same filters (``OutcomeQuerySet.filtered``, which these figures filter with
too), so a click shows exactly the outcomes counted. Amounts are summed per currency, never across
currencies, and only where the viewer may see them: an outcome whose amount is hidden from the viewer
adds nothing to a total, and the figure says how many were left out. So no total can reveal a hidden
amount, even by subtraction from another figure.

A breakdown gives the same figures per program, cohort, cluster, cooperation area, counterparty
country, year or quarter, in three GROUP BY queries whatever the number of outcomes (plus one for the
groups' names). Time is the outcome's ``reported_on``: the date every outcome has, the one a
quarterly report covers, and the one the ``year`` filter has always meant, so a quarter's figures do
not move when an outcome's ``occurred_on`` is filled in later.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter
from urllib.parse import urlencode

from django.db.models import Count, F, Func, IntegerField, Max, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dari.agreements.models import Agreement, CooperationArea
from dari.core.bilingual import localized
from dari.core.countries import country_name
from dari.engines.fx import round_minor
from dari.outcomes.models import Outcome
from dari.outcomes.queries import NONE, cohort_year
from dari.outcomes.vocabulary import Kind
from dari.programs.models import Participant, Program
from dari.registry.models import Cluster, Organization


@dataclass(frozen=True)
class Filters:
    """What the figures cover: a program and the startups' cluster (keys), a year and quarter of
    report, the counterparty's country (ISO code), a cooperation area (id), a cohort (the year the
    startup joined the outcome's program); each of program, cluster, country, area and cohort may be
    ``NONE`` (outcomes without one). Illustrative organizations only when asked."""

    program: str = ""
    year: int | None = None
    #: A quarter (1 to 4) of ``reported_on``: the months 1–3, 4–6, 7–9 or 10–12 (of ``year``, or of
    #: every year without one).
    quarter: int | None = None
    cluster: str = ""
    country: str = ""
    area: str = ""
    cohort: str = ""
    include_illustrative: bool = False

    def outcomes(self, queryset):
        """``queryset`` narrowed to these filters (``OutcomeQuerySet.filtered``, as the outcome list)."""
        values = dataclasses.asdict(self)
        included = values.pop("include_illustrative")
        return queryset.filtered(**values, illustrative=None if included else False)

    def query(self) -> dict:
        """The outcome list's parameters for these filters."""
        query = {
            "program": self.program,
            "cluster": self.cluster,
            "country": self.country.upper() if self.country != NONE else NONE,
            "area": self.area,
            "cohort": self.cohort,
            "year": self.year,
            "quarter": self.quarter,
            "illustrative": "on" if self.include_illustrative else "",
        }
        return {name: value for name, value in query.items() if value}

    def link(self, **conditions) -> str:
        """The outcome list showing the outcomes behind a figure: these filters and ``conditions``
        (``kind``, ``stage``: one or a list)."""
        conditions = {name: value for name, value in conditions.items() if value}
        return _link(
            reverse("outcomes:outcome-list"),
            urlencode(conditions, doseq=True),
            urlencode(self.query(), doseq=True),
        )


def _link(outcome_list: str, conditions: str, query: str) -> str:
    """``Filters.link`` from the outcome list's address, the encoded conditions and the filters'
    encoded ``query()``, each worked out once (the address and query once per group, a
    definition's conditions once) rather than once per figure. The conditions come first, as when
    they were one dict with the query (which has neither ``kind`` nor ``stage``)."""
    parts = [part for part in (conditions, query) if part]
    return outcome_list + ("?" + "&".join(parts) if parts else "")


@functools.cache
def _definition_query(key: str) -> str:
    """The outcome list's conditions for the definition ``key``, encoded: its kind and stages."""
    d = next(d for d in DEFINITIONS if d.key == key)
    conditions = {"kind": d.kind, "stage": list(d.stages)}
    return urlencode({name: value for name, value in conditions.items() if value}, doseq=True)


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    kind: str
    stages: tuple[str, ...] = ()  # empty: every stage

    @property
    def condition(self) -> Q:
        return Q(kind=self.kind, stage__in=self.stages) if self.stages else Q(kind=self.kind)


#: The outcome KPIs, in the order a report lists them.
DEFINITIONS = (
    Definition(
        "investment_in_review",
        _("Investment under review"),
        Kind.INVESTMENT,
        ("sourced", "in_review", "term_sheet"),
    ),
    Definition("investment_closed", _("Investment closed"), Kind.INVESTMENT, ("closed",)),
    Definition("contracts", _("Contracts"), Kind.CONTRACT, ("provisional", "signed", "delivering")),
    Definition("partnerships", _("Partnerships"), Kind.PARTNERSHIP, ("loi", "active")),
    Definition("market_entries", _("Market entries"), Kind.MARKET_ENTRY, ("entered",)),
    Definition(
        "regulatory_milestones", _("Regulatory milestones"), Kind.REGULATORY, ("submitted", "approved")
    ),
    Definition("clinical_pilots", _("Clinical pilots"), Kind.CLINICAL_PILOT, ("running", "completed")),
)

#: What a breakdown may group the figures by (``breakdown``'s ``by``), with its heading.
BREAKDOWNS = {
    "program": _("Program"),
    "cohort": _("Cohort"),
    "cluster": _("Cluster"),
    "area": _("Cooperation area"),
    "country": _("Country of counterparty"),
    "year": _("Year"),
    "quarter": _("Quarter"),
}


@dataclass(frozen=True)
class Quantity:
    """A total quantity with its unit and period (the fields ``{% quantity_in_words %}`` reads)."""

    quantity: Decimal
    quantity_unit_ko: str
    quantity_unit_en: str
    quantity_period: str


@dataclass
class Figure:
    key: str
    label: str
    count: int
    #: Visible amounts, one sum per currency (``{"USD": Decimal(...)}``).
    amounts: dict[str, Decimal] = field(default_factory=dict)
    #: Outcomes counted whose amount the viewer may not see: not in ``amounts``.
    amounts_left_out: int = 0
    #: Quantities summed per unit and period.
    quantities: list[Quantity] = field(default_factory=list)
    link: str = ""
    #: The visible amounts in USD and in KRW, summed from their locked values (``outcomes.values``),
    #: never converted here; None when no visible amount is locked.
    usd_total: Decimal | None = None
    krw_total: Decimal | None = None
    #: Visible amounts whose values wait for their day's rate: in ``amounts``, not in the totals.
    values_pending: int = 0
    #: The first and last day of the ECB rates the totals were locked at.
    rates_from: date | None = None
    rates_to: date | None = None


@dataclass
class Group:
    """One row of a breakdown: a program, a cohort, a quarter... and the figures of its outcomes.
    ``key`` is the outcome list's filter value (``NONE`` for the outcomes without one); ``filters``
    are the breakdown's narrowed to this group, which the figures' links show. A group the viewer may
    not see (a private program of a public outcome) is counted in one row with an empty ``key`` and
    no links, so its name is not told."""

    key: str
    label: str
    figures: list[Figure]
    filters: Filters | None = None


class _Tallies(dict):
    """``_tallies``' answer: per group value, each definition's tally; ``outcomes``: how many
    outcomes were read, those no definition counts included (the dashboard's count of outcomes)."""

    outcomes: int = 0


def _tallies(outcomes, groups: dict) -> _Tallies:
    """Per value of the ``groups`` expressions: each definition's count, outcomes left out, visible
    amounts per currency and quantities per unit, in two queries (one when no outcome counted has a
    quantity). The database groups by kind,
    stage and currency (a few dozen rows whatever the number of outcomes); each row then counts
    towards the definitions its kind and stage belong to, here."""
    names = list(groups)
    grouped = outcomes.annotate(**groups) if groups else outcomes
    tallies = _Tallies()

    def tally(row) -> dict:
        value = tuple(row[name] for name in names)
        found = tallies.get(value)
        if found is None:  # the empty tallies made once per group, not once per row
            found = tallies[value] = {d.key: _empty() for d in DEFINITIONS}
        return found

    # A hidden amount is counted as left out and adds nothing else; the locked values in USD and
    # KRW are summed over the currencies (never converted here), with the amounts still waiting for
    # their rate and the rates' first and last day. Whether the amount is hidden is one of the
    # columns grouped by, worked out once per outcome, not in each sum's filter (a third of the
    # query's time for the public); a row of hidden amounts only counts them as left out.
    # (A locked rate implies an amount: the ``outcome_values_have_amount`` constraint.)
    locked = Q(rate_on__isnull=False)
    rows = (
        grouped.values(*names, "kind", "stage", "currency", "amount_hidden")
        .annotate(
            n_outcomes=Count("pk"),
            n_amounts=Count("amount"),
            sum_amount=Sum("amount"),
            sum_usd=Sum("usd_value", filter=locked),
            sum_krw=Sum("krw_value", filter=locked),
            n_pending=Count("amount", filter=~locked),
            rate_first=Min("rate_on"),
            rate_last=Max("rate_on"),
            n_quantities=Count("quantity"),
        )
        .order_by()
    )
    with_quantities = False
    for row in rows:
        tallies.outcomes += row["n_outcomes"]
        hidden = row["amount_hidden"]
        for d in _definitions_of(row["kind"], row["stage"]):
            one = tally(row)[d.key]
            one["count"] += row["n_outcomes"]
            if hidden:
                one["left_out"] += row["n_amounts"]
                continue
            if row["sum_amount"] is not None:
                one["amounts"][row["currency"]] = one["amounts"].get(row["currency"], 0) + row["sum_amount"]
            for total in ("usd", "krw"):
                if row[f"sum_{total}"] is not None:
                    one[total] = (one[total] or 0) + row[f"sum_{total}"]
            one["pending"] += row["n_pending"]
            one["from"] = min(filter(None, (one["from"], row["rate_first"])), default=None)
            one["to"] = max(filter(None, (one["to"], row["rate_last"])), default=None)
        with_quantities = with_quantities or row["n_quantities"] > 0
    units = ("quantity_unit_ko", "quantity_unit_en", "quantity_period")
    # Quantities per unit: a query only when some outcome counted has one.
    quantities = (
        grouped.filter(quantity__isnull=False)
        .values(*names, "kind", "stage", *units)
        .annotate(sum_quantity=Sum("quantity"))
        .order_by()
    )
    per_unit: dict[tuple, dict[tuple, Decimal]] = {}
    for row in quantities if with_quantities else ():
        for d in _definitions_of(row["kind"], row["stage"]):
            tally(row)  # the group exists
            key = (tuple(row[name] for name in names), d.key)
            unit = tuple(row[name] for name in units)
            per_unit.setdefault(key, {})[unit] = per_unit.get(key, {}).get(unit, 0) + row["sum_quantity"]
    for (value, definition), totals in per_unit.items():
        tallies[value][definition]["quantities"] = [
            Quantity(total, *unit)
            for unit, total in sorted(totals.items(), key=lambda item: (item[0][1], item[0][2]))
        ]
    return tallies


@functools.cache
def _definitions_of(kind: str, stage: str) -> tuple[Definition, ...]:
    return tuple(d for d in DEFINITIONS if d.kind == kind and (not d.stages or stage in d.stages))


def _empty() -> dict:
    return {
        "count": 0,
        "left_out": 0,
        "amounts": {},
        "quantities": [],
        "usd": None,
        "krw": None,
        "pending": 0,
        "from": None,
        "to": None,
    }


def _minor(total: Decimal | None, currency: str) -> Decimal | None:
    return None if total is None else round_minor(total, currency)


def _figures(tally: dict | None, filters: Filters | None) -> list[Figure]:
    tally = tally or {}
    figures = []
    if filters:
        outcome_list, query = reverse("outcomes:outcome-list"), urlencode(filters.query(), doseq=True)
    for d in DEFINITIONS:
        one = tally.get(d.key) or _empty()
        figures.append(
            Figure(
                key=d.key,
                label=str(d.label),
                count=one["count"],
                # Each currency's minor unit, the same on SQLite and PostgreSQL, rounded once the
                # tallies are added up; in order of the codes.
                amounts={
                    currency: round_minor(Decimal(amount), currency)
                    for currency, amount in sorted(one["amounts"].items())
                },
                amounts_left_out=one["left_out"],
                quantities=one["quantities"],
                link=_link(outcome_list, _definition_query(d.key), query) if filters else "",
                usd_total=_minor(one["usd"], "USD"),
                krw_total=_minor(one["krw"], "KRW"),
                values_pending=one["pending"],
                rates_from=one["from"],
                rates_to=one["to"],
            )
        )
    return figures


def _visible_outcomes(user, filters: Filters):
    return filters.outcomes(Outcome.objects.visible_to(user).with_amount_hidden(user))


def outcome_figures(user, filters: Filters = Filters()) -> list[Figure]:
    """One figure per ``DEFINITIONS`` entry, from the outcomes ``user`` may see, in three queries."""
    tallies = _tallies(_visible_outcomes(user, filters), {})
    return _figures(tallies.get(()), filters)


def breakdown(user, by: str, filters: Filters = Filters()) -> list[Group]:
    """The outcome figures of the outcomes ``user`` may see, per ``by`` (a key of ``BREAKDOWNS``):
    one ``Group`` per program, cohort year, cluster, cooperation area, counterparty country, year or
    quarter (of ``reported_on``) that has outcomes, then the outcomes without one ("no program").
    Each group's figures link to the outcome list narrowed to the group. Raises ``KeyError`` for an
    unknown ``by``."""
    return breakdowns(user, [by], filters)[by]


def breakdowns(user, bys: list[str], filters: Filters = Filters()) -> dict[str, list[Group]]:
    """Several breakdowns (``breakdown``) from one grouping of the outcomes: by every ``by`` at once
    (a program and a quarter, say), each breakdown then summed from those rows here. The dashboard's
    charts read the outcomes once, not once per chart."""
    return _reading(user, bys, filters, with_figures=False)[1]


def figures_and_breakdowns(
    user, bys: list[str], filters: Filters = Filters(), *, with_figures: bool = True
) -> tuple[list[Figure], dict[str, list[Group]]]:
    """``figures`` and ``breakdowns`` for the same viewer and filters, with the outcomes read once:
    each outcome is in exactly one group of every breakdown, so the groups added up are the totals.
    The dashboard's figures and charts come from this one reading."""
    return _reading(user, bys, filters, with_figures=with_figures)[:2]


def figures_breakdowns_and_count(
    user, bys: list[str], filters: Filters = Filters()
) -> tuple[list[Figure], dict[str, list[Group]], int]:
    """``figures_and_breakdowns``, and how many outcomes the viewer may see under ``filters``
    (every kind and stage, whether a figure counts it or not), from the same one reading: the
    dashboard's count of outcomes, not a query of its own."""
    return _reading(user, bys, filters, with_figures=True)


def _reading(user, bys: list[str], filters: Filters, *, with_figures: bool):
    expressions: dict = {}
    for by in bys:
        expressions.update(_GROUPINGS[by][0])
    tallies = _tallies(_visible_outcomes(user, filters), expressions)
    found = _breakdowns_of(user, bys, expressions, tallies, filters)
    if not with_figures:
        return [], found, tallies.outcomes
    totals = _merge(tallies.values())
    return [*_figures(totals, filters), startups_supported(user, filters)], found, tallies.outcomes


def _breakdowns_of(user, bys: list[str], expressions: dict, tallies: dict, filters: Filters) -> dict:
    names = list(expressions)
    found = {}
    for by in bys:
        positions = [names.index(name) for name in _GROUPINGS[by][0]]
        parts: dict[tuple, list] = {}
        for value, tally in tallies.items():
            parts.setdefault(tuple(value[position] for position in positions), []).append(tally)
        found[by] = _groups(user, by, {value: _merge(part) for value, part in parts.items()}, filters)
    return found


def _groups(user, by: str, tallies: dict, filters: Filters) -> list[Group]:
    groups = _GROUPINGS[by][1](user, list(tallies), filters)
    hidden = [value for value in tallies if value not in groups]
    rows = [
        Group(key, label, _figures(tallies[value], narrowed), narrowed)
        for value, (key, label, narrowed) in groups.items()
    ]
    if hidden:
        merged = _merge([tallies[value] for value in hidden])
        rows.append(Group("", str(_("Not shown to you")), _figures(merged, None)))
    return rows


def _merge(tallies: Iterable[dict]) -> dict:
    """One tally of several (``_tallies``' values): counts and sums added, quantities added per unit
    and period, the rates' first and last day kept."""
    tallies = list(tallies)
    if len(tallies) == 1:
        return tallies[0]
    merged = {d.key: _empty() for d in DEFINITIONS}
    for tally in tallies:
        for key, one in tally.items():
            if not one["count"]:
                continue  # nothing counted, so nothing summed either
            into = merged[key]
            into["count"] += one["count"]
            into["left_out"] += one["left_out"]
            into["pending"] += one["pending"]
            for currency, amount in one["amounts"].items():
                into["amounts"][currency] = into["amounts"].get(currency, 0) + amount
            into["quantities"] = _add_quantities(into["quantities"], one["quantities"])
            for total in ("usd", "krw"):
                if one[total] is not None:
                    into[total] = (into[total] or 0) + one[total]
            into["from"] = min(filter(None, (into["from"], one["from"])), default=None)
            into["to"] = max(filter(None, (into["to"], one["to"])), default=None)
    for one in merged.values():
        one["amounts"] = dict(sorted(one["amounts"].items()))
    return merged


def _add_quantities(first: list[Quantity], second: list[Quantity]) -> list[Quantity]:
    totals: dict[tuple, Decimal] = {}
    for row in (*first, *second):
        unit = (row.quantity_unit_ko, row.quantity_unit_en, row.quantity_period)
        totals[unit] = totals.get(unit, 0) + row.quantity
    return [
        Quantity(total, *unit)
        for unit, total in sorted(totals.items(), key=lambda item: (item[0][1], item[0][2]))
    ]


def _narrowed(filters: Filters, **values) -> Filters:
    return dataclasses.replace(filters, **values)


def _none_last(groups: dict, none_value, none_key: str, none_label, filters: Filters, name: str) -> dict:
    """``groups`` sorted by label, then the group of the outcomes without one."""
    ordered = dict(sorted(groups.items(), key=lambda item: item[1][1].casefold()))
    if none_value is not None:
        ordered[none_value] = (none_key, str(none_label), _narrowed(filters, **{name: none_key}))
    return ordered


def _named_groups(objects, values: list[tuple], filters: Filters, name: str, key, label, none_label) -> dict:
    """The groups of the ``objects`` (a queryset, only those the viewer may see) whose ids are in
    ``values``, by ``label`` and keyed ``key(obj)`` for the ``name`` filter, then "none"."""
    found = objects.filter(pk__in=[value[0] for value in values if value[0] is not None])
    groups = {(obj.pk,): (key(obj), label(obj), _narrowed(filters, **{name: key(obj)})) for obj in found}
    none = (None,) if (None,) in values else None
    return _none_last(groups, none, NONE, none_label, filters, name)


def _program_groups(user, values: list[tuple], filters: Filters) -> dict:
    def name(program):
        return str(localized(program, "name"))

    programs = Program.objects.visible_to(user)
    return _named_groups(programs, values, filters, "program", attrgetter("key"), name, _("No program"))


def _cluster_groups(user, values: list[tuple], filters: Filters) -> dict:
    def name(cluster):
        return str(localized(cluster, "name"))

    clusters = Cluster.objects.all()
    return _named_groups(clusters, values, filters, "cluster", attrgetter("key"), name, _("No cluster"))


def _area_groups(user, values: list[tuple], filters: Filters) -> dict:
    areas = CooperationArea.objects.filter(agreement__in=Agreement.objects.visible_to(user))
    return _named_groups(
        areas, values, filters, "area", lambda area: str(area.pk), str, _("No cooperation area")
    )


def _country_groups(user, values: list[tuple], filters: Filters) -> dict:
    groups = {
        (code,): (code, country_name(code), _narrowed(filters, country=code)) for (code,) in values if code
    }
    none = ("",) if ("",) in values else None
    return _none_last(groups, none, NONE, _("No country named"), filters, "country")


def _cohort_groups(user, values: list[tuple], filters: Filters) -> dict:
    groups = {
        (year,): (str(year), str(year), _narrowed(filters, cohort=str(year)))
        for (year,) in sorted(value for value in values if value[0] is not None)
    }
    if (None,) in values:
        groups[(None,)] = (NONE, str(_("Not in a cohort")), _narrowed(filters, cohort=NONE))
    return groups


def _year_groups(user, values: list[tuple], filters: Filters) -> dict:
    return {(year,): (str(year), str(year), _narrowed(filters, year=year)) for (year,) in sorted(values)}


def _quarter_groups(user, values: list[tuple], filters: Filters) -> dict:
    return {
        (year, quarter): (
            f"{year}-Q{quarter}",
            _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter},
            _narrowed(filters, year=year, quarter=quarter),
        )
        for (year, quarter) in sorted(values)
    }


# Per breakdown: the expressions the outcomes are grouped by, and the function naming the groups
class _DatePart(Func):
    """The year or the quarter of a date, in the database's own functions: Django's Extract*
    call a Python function per row on SQLite, a third of a second over 30,000 outcomes."""

    output_field = IntegerField()
    part = "YEAR"
    # SQLite keeps a date as its ISO text: the year is its first four characters.
    sqlite = "CAST(substr(%(expressions)s, 1, 4) AS INTEGER)"

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template=f"CAST(EXTRACT({self.part} FROM %(expressions)s) AS INTEGER)",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=self.sqlite, **extra)


class YearOf(_DatePart):
    pass


class QuarterOf(_DatePart):
    part = "QUARTER"
    sqlite = "((CAST(substr(%(expressions)s, 6, 2) AS INTEGER) + 2) / 3)"


# (value tuple -> (key, label, filters)), in the order they are shown; a value it leaves out is a
# group the viewer may not see.
_GROUPINGS = {
    "program": ({"group_program": F("program_id")}, _program_groups),
    "cohort": ({"group_cohort": cohort_year()}, _cohort_groups),
    "cluster": ({"group_cluster": F("startup__cluster_id")}, _cluster_groups),
    "area": ({"group_area": F("cooperation_area_id")}, _area_groups),
    "country": ({"group_country": F("counterparty_country")}, _country_groups),
    "year": ({"group_year": YearOf("reported_on")}, _year_groups),
    "quarter": (
        {"group_year": YearOf("reported_on"), "group_quarter": QuarterOf("reported_on")},
        _quarter_groups,
    ),
}


def startups_supported(user, filters: Filters = Filters()) -> Figure:
    """The startups taking part in the programs ``user`` may see (each counted once)."""
    participants = Participant.objects.filter(program__in=Program.objects.visible_to(user))
    if filters.program:
        participants = participants.filter(program__key=filters.program)
    if filters.year:
        # Taking part by the end of the year (or of the quarter), or since a day not recorded.
        if filters.quarter:
            after = date(filters.year + filters.quarter // 4, filters.quarter * 3 % 12 + 1, 1)
        else:
            after = date(filters.year + 1, 1, 1)
        participants = participants.filter(Q(since__lt=after) | Q(since__isnull=True))
    # The organizations counted, each once: those the viewer sees among the participants (one list
    # of ids, not a lookup of each visible organization in each visible program).
    joined = participants.values("organization_id")
    organizations = Organization.objects.visible_to(user).filter(pk__in=joined)
    if filters.cluster == NONE:
        organizations = organizations.filter(cluster__isnull=True)
    elif filters.cluster:
        organizations = organizations.filter(cluster__key=filters.cluster)
    if not filters.include_illustrative:
        organizations = organizations.filter(is_illustrative=False)
    count = organizations.count()
    link = reverse("programs:program-list")
    return Figure(key="startups_supported", label=str(_("Startups supported")), count=count, link=link)


def figures(user, filters: Filters = Filters()) -> list[Figure]:
    """Every KPI for ``user``: the outcome figures, then the startups supported."""
    return [*outcome_figures(user, filters), startups_supported(user, filters)]
