"""A program's quarterly or annual report, as PDF or XLSX, in Korean or English: the KPI figures of
the period (``kpis``, the numbers the dashboard shows), the targets of its year and the progress
made, the outcomes behind the figures with their sources, and the ECB rates the amounts were locked
at. Everything as far as the person it is made for may see it: a hidden amount is neither in a total
nor in a row, and the report says how many were left out.

The same data feeds both formats (:func:`program_report`), so the PDF and the workbook cannot
disagree; ``dari program_report`` and the job started from the program page both call
:func:`render_report`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dari.core.bilingual import localized
from dari.core.documents import RENDER_STEPS, render_pdf
from dari.core.documents.xlsx import Column, Sheet, write_xlsx
from dari.core.redaction import hidden_fields, shown_text
from dari.core.time import in_zone, viewer_zones
from dari.outcomes.models import Outcome, StageChange
from dari.programs.models import Participant, Program
from dari.registry.models import Organization

from .kpis import DEFINITIONS, Figure, Filters, figures
from .targets import Progress, kpi_choices, progress

FORMATS = ("pdf", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_PERIOD = re.compile(r"^\s*(\d{4})(?:\s*-?\s*[Qq]([1-4]))?\s*$")


@dataclass(frozen=True)
class Period:
    """A year of report, or one of its quarters (the months of report 1–3, 4–6, 7–9, 10–12)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2024`` or ``2024-Q1`` (also ``2024Q1``); ``ValueError`` for anything else."""
        found = _PERIOD.match(str(text))
        if not found or not 1990 <= int(found.group(1)) <= 2100:
            raise ValueError(_("Give a year such as 2024, or a quarter such as 2024-Q1."))
        return cls(int(found.group(1)), int(found.group(2)) if found.group(2) else None)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.quarter or 1) - 2, 1)

    @property
    def last_day(self) -> date:
        month = 3 * self.quarter if self.quarter else 12
        following = date(self.year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True)
class RateUsed:
    """One ECB reference day behind the report's amounts, with the rates locked that day."""

    currency: str
    day: date
    usd_rate: Decimal
    krw_rate: Decimal


@dataclass
class ProgramReport:
    program: Program
    period: Period
    user: object
    made_at: datetime
    figures: list[Figure]
    targets: list[Progress]
    outcomes: list[Outcome]
    startups: list[Organization]
    rates: list[RateUsed] = field(default_factory=list)
    sources: list = field(default_factory=list)
    #: Charts as inline SVG (the PDF's), built from the same figures.
    charts: list = field(default_factory=list)

    @property
    def amounts_left_out(self) -> int:
        return sum(1 for outcome in self.outcomes if "amount" in hidden_fields(self.user, outcome))


def program_report(user, program: Program, period: Period, *, now: datetime | None = None) -> ProgramReport:
    """The report of ``program`` for ``period`` as ``user`` may see it (``user`` None: as the public
    sees it). Raises ``Program.DoesNotExist`` when ``user`` may not see the program."""
    program = Program.objects.visible_to(user).get(pk=program.pk)
    filters = Filters(program=program.key, year=period.year, quarter=period.quarter)
    outcomes = list(
        filters.outcomes(Outcome.objects.visible_to(user).for_listing(user))
        .prefetch_related(Prefetch("stage_history", queryset=StageChange.objects.select_related("source")))
        .order_by("reported_on", "kind", "key")
    )
    shown = [outcome for outcome in outcomes if "rate_on" not in hidden_fields(user, outcome)]
    rates = sorted(
        {
            RateUsed(outcome.currency, outcome.rate_on, outcome.usd_rate, outcome.krw_rate)
            for outcome in shown
            if outcome.rate_on is not None
        },
        key=lambda rate: (rate.day, rate.currency),
    )
    sources = {outcome.source_id: outcome.source for outcome in outcomes if outcome.source is not None}
    if program.source_id:
        sources.setdefault(program.source_id, program.source)
    participants = (
        Participant.objects.filter(program=program, organization__in=Organization.objects.visible_to(user))
        .filter(organization__is_illustrative=False)
        .select_related("organization")
        .order_by("organization__name_en")
    )
    # A startup that joined in several rounds (cohorts) is one startup of the report.
    startups = list(
        {
            participant.organization_id: participant.organization
            for participant in participants
            if participant.since is None or participant.since <= period.last_day
        }.values()
    )
    return ProgramReport(
        program=program,
        period=period,
        user=user,
        made_at=now or timezone.now(),
        figures=figures(user, filters),
        targets=[row for row in progress(user, program, period.year)],
        outcomes=outcomes,
        startups=startups,
        rates=rates,
        sources=sorted(sources.values(), key=lambda source: (source.published_on or date.min, source.pk)),
    )


def render_report(
    report: ProgramReport, fmt: str, language: str, *, on_step: Callable[[str], None] | None = None
) -> bytes:
    """The report as ``fmt`` (pdf or xlsx) bytes in ``language``."""
    report = in_language(report, language)
    if fmt == "pdf":
        return report_pdf(report, language, on_step=on_step)
    if fmt == "xlsx":
        return report_xlsx(report, language)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def in_language(report: ProgramReport, language: str) -> ProgramReport:
    """``report`` with the labels of its figures and targets in ``language`` (the figures were
    counted in whichever language was active), and its charts drawn in that language from the same
    figures (``charts``: the KPIs of the period; the same per cohort when the program has several)."""
    from .charts import chart_svg, kpis_bar, stacked_by

    with translation.override(language):
        labels = {key: str(label) for key, label in kpi_choices()}
        figures = [
            dataclasses.replace(figure, label=labels.get(figure.key, figure.label))
            for figure in report.figures
        ]
        outcome_keys = {definition.key for definition in DEFINITIONS}
        specs = [kpis_bar([figure for figure in figures if figure.key in outcome_keys])]
        filters = Filters(program=report.program.key, year=report.period.year, quarter=report.period.quarter)
        per_cohort = stacked_by(
            report.user, "cohort", filters, title=_("Outcomes per cohort"), category_title=_("Cohort")
        )
        if per_cohort and len({row["label"] for row in per_cohort["data"]["values"]}) > 1:
            specs.append(per_cohort)  # only when the startups joined in more than one year
        charts = [mark_safe(chart_svg(spec)) for spec in specs]  # vl-convert escapes the labels it writes
    return dataclasses.replace(
        report,
        figures=figures,
        targets=[
            dataclasses.replace(row, label=labels.get(row.target.kpi, row.label)) for row in report.targets
        ],
        charts=charts,
    )


#: How many times ``render_report`` calls ``on_step`` at most.
REPORT_STEPS = RENDER_STEPS


def report_name(report: ProgramReport, fmt: str, language: str) -> str:
    return f"{report.program.key}-{report.period}-{language}.{fmt}"


def report_pdf(report: ProgramReport, language: str, *, on_step=None) -> bytes:
    zone = viewer_zones(report.user)[0]
    return render_pdf(
        "reports/program_report_print.html",
        {"report": report, "user": report.user},
        language=language,
        report_date=in_zone(report.made_at, zone).date(),
        data_as_of=report.made_at,
        on_step=on_step,
    )


# --- the workbook ---------------------------------------------------------------------------------


def report_xlsx(report: ProgramReport, language: str) -> bytes:
    """Sheets: the figures, the targets, the outcomes, the rates, the sources; the same values as
    the PDF, typed (amounts as numbers with their currency, dates as dates)."""
    with translation.override(language):
        return write_xlsx(
            [
                _about_sheet(report),
                _figures_sheet(report),
                _targets_sheet(report),
                _outcomes_sheet(report),
                _rates_sheet(report),
                _sources_sheet(report),
            ]
        )


def _text(obj, name: str, user) -> str:
    value = shown_text(user, obj, name)
    if value is None:
        from dari.core.redaction import placeholder

        return placeholder(obj)
    return value.text


def _about_sheet(report: ProgramReport) -> Sheet:
    zone = viewer_zones(report.user)[0]
    made = in_zone(report.made_at, zone)
    rows = [
        (_("Program"), localized(report.program, "name").text),
        (_("Period"), str(report.period)),
        (_("From"), report.period.first_day.isoformat()),
        (_("To"), report.period.last_day.isoformat()),
        (_("Data as of"), f"{made:%Y-%m-%d %H:%M} {zone}"),
        (
            _("What this report counts"),
            _(
                "Outcomes reported in the period, as far as the person the report was made for may "
                "see them. Amounts are summed per currency; the totals in USD and KRW add the values "
                "locked with each amount at the ECB reference rate of its day (sheet Rates)."
            ),
        ),
    ]
    if report.amounts_left_out:
        rows.append((_("Confidential amounts left out"), str(report.amounts_left_out)))
    return Sheet(_("Report"), [Column(_("Item")), Column(_("Value"), width=90)], rows)


def _money_text(amounts: dict[str, Decimal]) -> str:
    from dari.core.money import format_money

    return "; ".join(
        format_money(amount, currency, translation.get_language()) for currency, amount in amounts.items()
    )


def _figures_sheet(report: ProgramReport) -> Sheet:
    from dari.core.figures import format_quantity_with_unit

    columns = [
        Column(_("Figure")),
        Column(_("Outcomes"), "int"),
        Column(_("Amount per currency")),
        Column(_("Confidential amounts left out"), "int"),
        Column(_("Total in USD"), "money", currency="USD"),
        Column(_("Total in KRW"), "money", currency="KRW"),
        Column(_("Rates of"), "date"),
        Column(_("Rates to"), "date"),
        Column(_("Amounts waiting for their rate"), "int"),
        Column(_("Quantity")),
    ]
    rows = []
    for figure in report.figures:
        quantities = "; ".join(
            format_quantity_with_unit(
                row.quantity,
                row.quantity_unit_ko
                if translation.get_language() == "ko" and row.quantity_unit_ko
                else row.quantity_unit_en,
                row.quantity_period,
                unit_is_korean=translation.get_language() == "ko" and bool(row.quantity_unit_ko),
            )
            for row in figure.quantities
        )
        rows.append(
            [
                figure.label,
                figure.count,
                _money_text(figure.amounts),
                figure.amounts_left_out,
                figure.usd_total,
                figure.krw_total,
                figure.rates_from,
                figure.rates_to,
                figure.values_pending,
                quantities,
            ]
        )
    return Sheet(_("Key figures"), columns, rows)


def _targets_sheet(report: ProgramReport) -> Sheet:
    columns = [
        Column(_("Year"), "int"),
        Column(_("Figure")),
        Column(_("Measure")),
        Column(_("Target"), "decimal"),
        Column(_("Reached"), "decimal"),
        Column(_("Progress (%)"), "int"),
        Column(_("Confidential amounts left out"), "int"),
    ]
    rows = [
        [
            row.target.year,
            row.label,
            row.target.get_measure_display(),
            row.target.value,
            row.reached,
            row.percent,
            row.figure.amounts_left_out if row.target.measure != "count" else 0,
        ]
        for row in report.targets
    ]
    return Sheet(_("Targets"), columns, rows)


def _outcomes_sheet(report: ProgramReport) -> Sheet:
    from dari.core.figures import format_quantity_with_unit

    user = report.user
    columns = [
        Column(_("Key")),
        Column(_("Reported on"), "date"),
        Column(_("Kind")),
        Column(_("Stage")),
        Column(_("Startup")),
        Column(_("Counterparty")),
        Column(_("Title"), width=50),
        Column(_("Amount"), "decimal"),
        Column(_("Currency")),
        Column(_("Amount is")),
        Column(_("Value in USD"), "money", currency="USD"),
        Column(_("Value in KRW"), "money", currency="KRW"),
        Column(_("Rate of"), "date"),
        Column(_("Quantity")),
        Column(_("Source")),
    ]
    rows = []
    for outcome in report.outcomes:
        hidden = hidden_fields(user, outcome)
        if "amount" in hidden:
            amount_is = str(outcome.get_amount_disclosure_display())
        elif outcome.amount is None:
            amount_is = _("not reported")
        elif outcome.is_rate_pending:
            amount_is = _("rate pending")
        else:
            amount_is = ""
        counterparty = ""
        if outcome.counterparty is not None and outcome.counterparty_visible:
            counterparty = localized(outcome.counterparty, "name").text
        elif outcome.counterparty_description_ko or outcome.counterparty_description_en:
            counterparty = _text(outcome, "counterparty_description", user)
        quantity = ""
        if outcome.quantity is not None:
            unit = localized(outcome, "quantity_unit")
            quantity = format_quantity_with_unit(
                outcome.quantity, unit.text, outcome.quantity_period, unit_is_korean=unit.language == "ko"
            )
        rows.append(
            [
                outcome.key,
                outcome.reported_on,
                outcome.get_kind_display(),
                outcome.get_stage_display(),
                localized(outcome.startup, "name").text,
                counterparty,
                _text(outcome, "title", user),
                None if "amount" in hidden else outcome.amount,
                "" if "currency" in hidden else outcome.currency,
                amount_is,
                None if "usd_value" in hidden else outcome.usd_value,
                None if "krw_value" in hidden else outcome.krw_value,
                None if "rate_on" in hidden else outcome.rate_on,
                quantity,
                localized(outcome.source, "title").text if outcome.source else "",
            ]
        )
    return Sheet(_("Outcomes"), columns, rows)


def _rates_sheet(report: ProgramReport) -> Sheet:
    columns = [
        Column(_("Currency")),
        Column(_("ECB reference day"), "date"),
        Column(_("1 unit in USD"), "decimal", places=6),
        Column(_("1 unit in KRW"), "decimal", places=6),
    ]
    rows = [[rate.currency, rate.day, rate.usd_rate, rate.krw_rate] for rate in report.rates]
    return Sheet(_("Rates"), columns, rows)


def _sources_sheet(report: ProgramReport) -> Sheet:
    columns = [
        Column(_("Source"), width=60),
        Column(_("Publisher")),
        Column(_("Published on"), "date"),
        Column(_("Address")),
    ]
    rows = [
        [localized(source, "title").text, source.publisher, source.published_on, source.url]
        for source in report.sources
    ]
    return Sheet(_("Sources"), columns, rows)


# --- starting one -------------------------------------------------------------------------------------


def start_program_report(actor, program: Program, period: str, fmt: str, language: str):
    """Start a background job that makes ``program``'s report for ``period`` (``2024``, ``2024-Q1``)
    as ``fmt`` (pdf, xlsx) in ``language`` for ``actor``, as far as they may see it. Anyone signed in
    who may see the program may make one (it holds nothing they may not see). Raises
    ``PermissionDenied`` for an anonymous actor or a program they may not see, ``ValidationError``
    on ``period``, ``format`` or ``language``."""
    from django.conf import settings
    from django.core.exceptions import PermissionDenied, ValidationError

    from dari.jobs.services import start_job

    from .tasks import PROGRAM_REPORT, render_program_report

    if actor.user is None or not Program.objects.visible_to(actor.user).filter(pk=program.pk).exists():
        raise PermissionDenied(_("You may not see this program."))
    errors = {}
    try:
        period = str(Period.parse(period))
    except ValueError as error:
        errors["period"] = str(error)
    if fmt not in FORMATS:
        errors["format"] = _("Choose PDF or XLSX.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose Korean or English.")
    if errors:
        raise ValidationError(errors)
    return start_job(
        actor, PROGRAM_REPORT, render_program_report, program.pk, period, fmt, language, about=program
    )
