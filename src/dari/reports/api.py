"""``GET /api/v1/kpis``: the partnership's KPIs, the same figures as the dashboard's."""

from decimal import Decimal

from ninja import Field, Query, Router, Schema

from dari.core.api import InputSchema, errors

from .kpis import Filters, figures

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


class KpiFilters(InputSchema):
    program: str = ""
    year: int | None = Field(None, ge=1900, le=2200)
    cluster: str = ""
    country: str = ""
    illustrative: bool = False


@router.get("", response={200: KpisOut, **errors(422)}, summary="The partnership's KPIs")
def list_kpis(request, filters: Query[KpiFilters]):
    """Outcomes by kind and stage, with their amounts summed per currency and their quantities per
    unit, and the startups supported, as far as the caller may see. ``amounts_left_out`` counts the
    outcomes whose amount the caller may not see: they are in ``count`` but never in ``amounts``.
    Filters: ``program`` (key), ``year`` (reported in), ``cluster`` (key), ``country`` (the
    counterparty's ISO code), ``illustrative`` (include the demo's illustrative organizations)."""
    chosen = Filters(
        program=filters.program,
        year=filters.year,
        cluster=filters.cluster,
        country=filters.country,
        include_illustrative=filters.illustrative,
    )
    items = [
        {
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
            "outcomes_url": request.build_absolute_uri(figure.link),
            "usd_total": figure.usd_total,
            "krw_total": figure.krw_total,
            "values_pending": figure.values_pending,
            "rates_from": figure.rates_from.isoformat() if figure.rates_from else None,
            "rates_to": figure.rates_to.isoformat() if figure.rates_to else None,
        }
        for figure in figures(request.user, chosen)
    ]
    return {"items": items, "count": len(items)}
