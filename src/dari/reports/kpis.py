"""The partnership's KPIs, computed in one place: the dashboard and ``GET /api/v1/kpis`` read the
same figures (and the reports will).

Each figure counts the outcomes behind it, as far as the viewer may see them, and links to them.
Amounts are summed per currency, never across currencies, and only where the viewer may see them: an
outcome whose amount is hidden from the viewer adds nothing to a total, and the figure says how many
were left out. So no total can reveal a hidden amount, even by subtraction from another figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dari.engines.fx import round_minor
from dari.outcomes.models import Outcome
from dari.outcomes.vocabulary import Kind
from dari.programs.models import Participant, Program
from dari.registry.models import Organization


@dataclass(frozen=True)
class Filters:
    """What the figures cover: a program (key), a year of report, the startups' cluster (key), the
    counterparty's country (ISO code); illustrative organizations only when asked."""

    program: str = ""
    year: int | None = None
    #: A quarter (1 to 4) of ``year``: the months of report 1–3, 4–6, 7–9 or 10–12.
    quarter: int | None = None
    cluster: str = ""
    country: str = ""
    include_illustrative: bool = False

    def outcomes(self, queryset):
        if self.program:
            queryset = queryset.filter(program__key=self.program)
        if self.year:
            queryset = queryset.filter(reported_on__year=self.year)
            if self.quarter:
                queryset = queryset.filter(reported_on__quarter=self.quarter)
        if self.cluster:
            queryset = queryset.filter(startup__cluster__key=self.cluster)
        if self.country:
            queryset = queryset.filter(counterparty_country=self.country.upper())
        if not self.include_illustrative:
            queryset = queryset.filter(startup__is_illustrative=False)
        return queryset

    def link(self, **conditions) -> str:
        """The outcome list showing the outcomes behind a figure."""
        query = {name: value for name, value in conditions.items() if value}
        if self.program:
            query["program"] = self.program
        if self.cluster:
            query["cluster"] = self.cluster
        return reverse("outcomes:outcome-list") + ("?" + urlencode(query) if query else "")


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    kind: str
    stages: tuple[str, ...] = ()  # empty: every stage


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


def outcome_figures(user, filters: Filters = Filters()) -> list[Figure]:
    """One figure per ``DEFINITIONS`` entry, from the outcomes ``user`` may see, in five queries."""
    outcomes = filters.outcomes(Outcome.objects.visible_to(user).for_listing(user))
    condition = {
        definition.key: Q(kind=definition.kind, stage__in=definition.stages)
        if definition.stages
        else Q(kind=definition.kind)
        for definition in DEFINITIONS
    }
    counts = outcomes.aggregate(
        **{f"{key}__count": Count("pk", filter=where) for key, where in condition.items()},
        **{
            f"{key}__left_out": Count("pk", filter=where & Q(amount_hidden=True))
            for key, where in condition.items()
        },
    )
    amounts: dict[str, dict[str, Decimal]] = {definition.key: {} for definition in DEFINITIONS}
    shown = outcomes.filter(amount__isnull=False, amount_hidden=False)
    locked = Q(rate_on__isnull=False)
    values = shown.aggregate(
        **{f"{key}__usd": Sum("usd_value", filter=where & locked) for key, where in condition.items()},
        **{f"{key}__krw": Sum("krw_value", filter=where & locked) for key, where in condition.items()},
        **{f"{key}__pending": Count("pk", filter=where & ~locked) for key, where in condition.items()},
        **{f"{key}__from": Min("rate_on", filter=where) for key, where in condition.items()},
        **{f"{key}__to": Max("rate_on", filter=where) for key, where in condition.items()},
    )
    for key, where in condition.items():
        for row in shown.filter(where).values("currency").annotate(total=Sum("amount")).order_by("currency"):
            # The currency's minor unit, the same on SQLite and PostgreSQL (whose sums keep the scale).
            amounts[key][row["currency"]] = round_minor(row["total"], row["currency"])
    quantities: dict[str, list] = {definition.key: [] for definition in DEFINITIONS}
    with_quantity = outcomes.filter(quantity__isnull=False)
    for key, where in condition.items():
        rows = (
            with_quantity.filter(where)
            .values("quantity_unit_ko", "quantity_unit_en", "quantity_period")
            .annotate(total=Sum("quantity"))
            .order_by("quantity_unit_en", "quantity_period")
        )
        quantities[key] = [
            Quantity(row["total"], row["quantity_unit_ko"], row["quantity_unit_en"], row["quantity_period"])
            for row in rows
        ]
    return [
        Figure(
            key=definition.key,
            label=str(definition.label),
            count=counts[f"{definition.key}__count"],
            amounts=amounts[definition.key],
            amounts_left_out=counts[f"{definition.key}__left_out"],
            quantities=quantities[definition.key],
            link=filters.link(
                kind=definition.kind, stage=definition.stages[0] if len(definition.stages) == 1 else ""
            ),
            usd_total=_minor(values[f"{definition.key}__usd"], "USD"),
            krw_total=_minor(values[f"{definition.key}__krw"], "KRW"),
            values_pending=values[f"{definition.key}__pending"],
            rates_from=values[f"{definition.key}__from"],
            rates_to=values[f"{definition.key}__to"],
        )
        for definition in DEFINITIONS
    ]


def _minor(total: Decimal | None, currency: str) -> Decimal | None:
    return None if total is None else round_minor(total, currency)


def startups_supported(user, filters: Filters = Filters()) -> Figure:
    """The startups taking part in the programs ``user`` may see (each counted once)."""
    participants = Participant.objects.filter(
        program__in=Program.objects.visible_to(user),
        organization__in=Organization.objects.visible_to(user),
    )
    if filters.program:
        participants = participants.filter(program__key=filters.program)
    if filters.year:
        # Taking part by the end of the year (or of the quarter), or since a day not recorded.
        if filters.quarter:
            after = date(filters.year + filters.quarter // 4, filters.quarter * 3 % 12 + 1, 1)
        else:
            after = date(filters.year + 1, 1, 1)
        participants = participants.filter(Q(since__lt=after) | Q(since__isnull=True))
    if filters.cluster:
        participants = participants.filter(organization__cluster__key=filters.cluster)
    if not filters.include_illustrative:
        participants = participants.filter(organization__is_illustrative=False)
    count = participants.values("organization").distinct().count()
    link = reverse("programs:program-list")
    return Figure(key="startups_supported", label=str(_("Startups supported")), count=count, link=link)


def figures(user, filters: Filters = Filters()) -> list[Figure]:
    """Every KPI for ``user``: the outcome figures, then the startups supported."""
    return [*outcome_figures(user, filters), startups_supported(user, filters)]
