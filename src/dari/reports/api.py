"""``GET /api/v1/kpis``: the partnership's KPIs, the same figures as the dashboard's;
``GET /api/v1/kpis/breakdown``: the same per program, cohort, cluster, area, country, year or quarter."""

from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from dari.accounts.audit import Actor
from dari.core.api import WRITE_ERRORS, InputSchema, errors, signed_in
from dari.jobs.api import JobOut
from dari.programs.models import Program

from . import targets as target_services
from .kpis import BREAKDOWNS, Filters, breakdown, figures
from .models import Target

router = Router(tags=["reports"])


class MoneyOut(Schema):
    currency: str
    amount: Decimal


class QuantityOut(Schema):
    quantity: Decimal
    unit_ko: str
    unit_en: str
    period: str


class FigureOut(Schema):
    key: str
    label: str
    count: int
    amounts: list[MoneyOut]
    amounts_left_out: int
    quantities: list[QuantityOut]
    outcomes_url: str
    usd_total: Decimal | None = Field(
        description="The visible amounts in USD, summed from the values locked when each was recorded"
    )
    krw_total: Decimal | None = Field(description="The same in KRW")
    values_pending: int = Field(description="Visible amounts whose values wait for their day's ECB rate")
    rates_from: str | None = Field(description="The first day of the ECB rates behind the totals")
    rates_to: str | None = Field(description="The last day of the ECB rates behind the totals")


class KpisOut(Schema):
    items: list[FigureOut]
    count: int


# A program, cluster, country, area or cohort filter may be "none": the outcomes without one.
ID_OR_NONE = r"^([0-9]+|none)$"


class KpiFilters(InputSchema):
    program: str = ""
    year: int | None = Field(None, ge=1900, le=2200)
    quarter: int | None = Field(None, ge=1, le=4, description="With or without ``year``")
    cluster: str = ""
    country: str = Field("", pattern=r"^([A-Za-z]{2}|none|)$")
    area: str = Field("", pattern=r"^([0-9]+|none|)$", description="Cooperation area id")
    cohort: str = Field("", pattern=r"^([0-9]+|none|)$", description="The year startups joined the program")
    illustrative: bool = False

    def chosen(self) -> Filters:
        return Filters(**self.dict(exclude={"illustrative", "by"}), include_illustrative=self.illustrative)


def figure_out(request, figure) -> dict:
    return {
        "key": figure.key,
        "label": figure.label,
        "count": figure.count,
        "amounts": [{"currency": code, "amount": amount} for code, amount in figure.amounts.items()],
        "amounts_left_out": figure.amounts_left_out,
        "quantities": [
            {
                "quantity": row.quantity,
                "unit_ko": row.quantity_unit_ko,
                "unit_en": row.quantity_unit_en,
                "period": row.quantity_period,
            }
            for row in figure.quantities
        ],
        "outcomes_url": request.build_absolute_uri(figure.link) if figure.link else "",
        "usd_total": figure.usd_total,
        "krw_total": figure.krw_total,
        "values_pending": figure.values_pending,
        "rates_from": figure.rates_from.isoformat() if figure.rates_from else None,
        "rates_to": figure.rates_to.isoformat() if figure.rates_to else None,
    }


@router.get("", response={200: KpisOut, **errors(422)}, summary="The partnership's KPIs")
def list_kpis(request, filters: Query[KpiFilters]):
    """Outcomes by kind and stage, with their amounts summed per currency and their quantities per
    unit, and the startups supported, as far as the caller may see. ``amounts_left_out`` counts the
    outcomes whose amount the caller may not see: they are in ``count`` but never in ``amounts``.
    Filters: ``program`` (key), ``year`` and ``quarter`` (of ``reported_on``), ``cluster`` (key),
    ``country`` (the counterparty's ISO code), ``area`` (cooperation area id), ``cohort`` (the year
    the startups joined the outcome's program), ``illustrative`` (include the demo's illustrative
    organizations); ``program``, ``cluster``, ``country``, ``area`` and ``cohort`` take ``none``."""
    items = [figure_out(request, figure) for figure in figures(request.user, filters.chosen())]
    return {"items": items, "count": len(items)}


class GroupOut(Schema):
    key: str = Field(
        description="The group's filter value (program key, cluster key, area id, ISO code, year, "
        "2024-Q1, or none); empty for the groups you may not see, counted together"
    )
    label: str
    figures: list[FigureOut] = Field(description="The outcome figures of the group, as in GET /api/v1/kpis")


class BreakdownOut(Schema):
    by: str
    items: list[GroupOut]
    count: int


class BreakdownFilters(KpiFilters):
    by: Literal[tuple(BREAKDOWNS)]  # type: ignore[valid-type]


@router.get("/breakdown", response={200: BreakdownOut, **errors(422)}, summary="The KPIs per group")
def kpi_breakdown(request, filters: Query[BreakdownFilters]):
    """The outcome figures of ``GET /api/v1/kpis`` per ``by``: ``program``, ``cohort`` (the year the
    startup joined the outcome's program), ``cluster`` (the startup's), ``area`` (the cooperation
    area the outcome serves), ``country`` (the counterparty's), ``year`` or ``quarter`` (of
    ``reported_on``), with the same filters. Each group has outcomes; the outcomes without a program,
    country... come last (``key`` ``none``). A figure's ``outcomes_url`` lists exactly the outcomes
    it counts. The same confidentiality: a hidden amount is in ``amounts_left_out``, never in
    ``amounts``. Three database queries whatever the number of outcomes."""
    groups = breakdown(request.user, filters.by, filters.chosen())
    items = [
        {
            "key": group.key,
            "label": group.label,
            "figures": [figure_out(request, figure) for figure in group.figures],
        }
        for group in groups
    ]
    return {"by": filters.by, "items": items, "count": len(items)}


# --- targets -------------------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    program: str = Field(description="The program's key")
    year: int
    kpi: str = Field(description="The figure's key, as in GET /api/v1/kpis")
    label: str
    measure: str = Field(description="count, usd or krw")
    value: Decimal
    reached: Decimal | None = Field(
        description="What the figure reached that year, as far as you may see (amounts from locked values)"
    )
    percent: int | None
    amounts_left_out: int
    values_pending: int
    rates_from: str | None
    rates_to: str | None
    outcomes_url: str
    version: int


class TargetFilters(InputSchema):
    program: str
    year: int | None = Field(None, ge=1990, le=2100)


class TargetIn(InputSchema):
    program: str = Field(description="The program's key")
    year: int = Field(ge=1990, le=2100)
    kpi: str
    measure: str = "count"
    value: Decimal = Field(ge=0, max_digits=20, decimal_places=2)


def target_out(request, row: target_services.Progress) -> dict:
    figure = row.figure
    return {
        "id": row.target.pk,
        "program": row.target.program.key,
        "year": row.target.year,
        "kpi": row.target.kpi,
        "label": row.label,
        "measure": row.target.measure,
        "value": row.target.value,
        "reached": row.reached,
        "percent": row.percent,
        "amounts_left_out": figure.amounts_left_out,
        "values_pending": figure.values_pending,
        "rates_from": figure.rates_from.isoformat() if figure.rates_from else None,
        "rates_to": figure.rates_to.isoformat() if figure.rates_to else None,
        "outcomes_url": request.build_absolute_uri(figure.link),
        "version": row.target.version,
    }


class TargetsOut(Schema):
    items: list[TargetOut]
    count: int


@router.get("/targets", response={200: TargetsOut, **errors(404, 422)}, summary="A program's targets")
def list_targets(request, filters: Query[TargetFilters]):
    """The yearly targets of the program (its key), of ``year`` or every year, each with what its
    figure reached as far as the caller may see: a hidden amount adds nothing (``amounts_left_out``)."""
    program = get_object_or_404(Program.objects.visible_to(request.user), key=filters.program)
    items = [
        target_out(request, row) for row in target_services.progress(request.user, program, filters.year)
    ]
    return {"items": items, "count": len(items)}


@router.post(
    "/targets",
    response={200: TargetOut, 201: TargetOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Set a target",
)
def set_target(request, payload: TargetIn):
    """Staff and the program's managers. Sets the target of the program for the year, figure and
    measure: 201 when new, 200 when it replaced the value there."""
    program = get_object_or_404(Program.objects.visible_to(request.user), key=payload.program)
    values = payload.dict()
    values.pop("program")
    before = Target.objects.filter(
        program=program, year=payload.year, kpi=payload.kpi, measure=payload.measure or "count"
    ).exists()
    target = target_services.set_target(Actor.from_request(request), program, values)
    row = next(
        row for row in target_services.progress(request.user, program, target.year) if row.target == target
    )
    return Status(200 if before else 201, target_out(request, row))


@router.delete(
    "/targets/{target_id}", response={204: None, **WRITE_ERRORS}, auth=signed_in, summary="Remove a target"
)
def delete_target(request, target_id: int):
    target = get_object_or_404(
        Target.objects.filter(program__in=Program.objects.visible_to(request.user)), pk=target_id
    )
    target_services.delete_target(Actor.from_request(request), target)
    return Status(204, None)


# --- program reports -----------------------------------------------------------------------------------


class ReportIn(InputSchema):
    program: str = Field(description="The program's key")
    period: str = Field(description="A year such as 2024, or a quarter such as 2024-Q1", max_length=10)
    format: str = Field("pdf", description="pdf or xlsx")
    language: str = Field("ko", description="ko or en")


@router.post(
    "/reports", response={202: JobOut, **WRITE_ERRORS}, auth=signed_in, summary="Make a program report"
)
def make_report(request, payload: ReportIn):
    """Starts a job that makes the program's report (key figures, targets, outcomes, sources and the
    ECB rates used) for the period, with what the caller may see. Follow it at ``/api/v1/jobs/{id}``;
    its ``result.url`` downloads the file when it is done (the caller and staff only)."""
    from .program_report import start_program_report

    program = get_object_or_404(Program.objects.visible_to(request.user), key=payload.program)
    job = start_program_report(
        Actor.from_request(request), program, payload.period, payload.format, payload.language
    )
    return Status(202, job)
