from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.agreements.models import Agreement, CooperationArea
from dari.core import redaction
from dari.core.api import (
    EDIT_ERRORS,
    WRITE_ERRORS,
    InputSchema,
    MultilineText,
    Pagination,
    Ref,
    SourceOut,
    absolute_url,
    errors,
    signed_in,
    visible_or_422,
)
from dari.programs.models import Program
from dari.registry.api import VERSION_IN
from dari.registry.models import Organization, Source

from . import services
from .models import Outcome

router = Router(tags=["outcomes"])


class ProgramRef(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str


def shown_text(field: str) -> staticmethod:
    """A resolver giving ``field`` as the caller may see it (``dari.core.redaction.shown``)."""

    def resolve(obj: Outcome, context) -> str:
        return redaction.shown(context["request"].user, obj, field, default="")

    return staticmethod(resolve)


def shown_value(field: str) -> staticmethod:
    """A resolver giving a number ``field`` as the caller may see it, or null."""

    def resolve(obj: Outcome, context):
        return redaction.shown(context["request"].user, obj, field)

    return staticmethod(resolve)


class InvestorOut(Schema):
    organization: Ref | None = Field(description="null when the investor has no profile you may see")
    role: str
    share: Decimal | None = Field(description="Its part of the round's amount, where known and shown to you")

    @staticmethod
    def resolve_organization(obj):
        return obj.organization if obj.organization_visible else None

    @staticmethod
    def resolve_share(obj, context):
        return redaction.shown(context["request"].user, obj, "share")


class OutcomeOut(Schema):
    id: int
    key: str
    kind: str
    stage: str
    startup: Ref
    counterparty: Ref | None
    investors: list[InvestorOut] = Field(
        description="A round's investors, lead first; the round's amount is the outcome's, counted once"
    )
    counterparty_description_ko: str
    counterparty_description_en: str
    counterparty_kind: str
    counterparty_country: str
    program: ProgramRef | None
    cooperation_area_id: int | None
    regulator: str
    pathway: str
    title_ko: str
    title_en: str
    summary_ko: str
    summary_en: str
    market_country: str
    amount: Decimal | None
    currency: str
    usd_value: Decimal | None = Field(
        description="The amount in USD, locked when it was recorded or changed (null while the rate "
        "is pending)"
    )
    krw_value: Decimal | None = Field(description="The amount in KRW, locked likewise")
    usd_rate: Decimal | None = Field(description="1 unit of the currency in USD (ECB, of rate_on)")
    krw_rate: Decimal | None = Field(description="1 unit of the currency in KRW (ECB, of rate_on)")
    rate_on: str | None = Field(description="The day of the ECB reference rates the values were locked at")
    rate_pending: bool | None = Field(
        description="The amount's day has no ECB rate yet: its values are locked once it is published "
        "(null when the amount is hidden from you)"
    )
    quantity: Decimal | None
    quantity_unit_ko: str
    quantity_unit_en: str
    quantity_period: str
    reported_on: str
    occurred_on: str | None
    amount_disclosure: str
    redacted_fields: list[str]
    source: SourceOut | None
    version: int
    web_url: str

    @staticmethod
    def resolve_redacted_fields(obj: Outcome, context) -> list[str]:
        return sorted(redaction.hidden_fields(context["request"].user, obj))

    @staticmethod
    def resolve_amount(obj: Outcome, context):
        return redaction.shown(context["request"].user, obj, "amount")

    @staticmethod
    def resolve_currency(obj: Outcome, context) -> str:
        return redaction.shown(context["request"].user, obj, "currency", default="")

    resolve_usd_value = shown_value("usd_value")
    resolve_krw_value = shown_value("krw_value")
    resolve_usd_rate = shown_value("usd_rate")
    resolve_krw_rate = shown_value("krw_rate")

    @staticmethod
    def resolve_rate_on(obj: Outcome, context) -> str | None:
        day = redaction.shown(context["request"].user, obj, "rate_on")
        return day.isoformat() if day else None

    @staticmethod
    def resolve_rate_pending(obj: Outcome, context) -> bool | None:
        if "amount" in redaction.hidden_fields(context["request"].user, obj):
            return None
        return obj.is_rate_pending

    # Texts that may repeat a hidden amount: their public text, or "" (``redacted_fields`` names them).
    resolve_title_ko = shown_text("title_ko")
    resolve_title_en = shown_text("title_en")
    resolve_summary_ko = shown_text("summary_ko")
    resolve_summary_en = shown_text("summary_en")
    resolve_counterparty_description_ko = shown_text("counterparty_description_ko")
    resolve_counterparty_description_en = shown_text("counterparty_description_en")

    @staticmethod
    def resolve_counterparty(obj: Outcome):
        return obj.counterparty if obj.counterparty_visible else None

    @staticmethod
    def resolve_reported_on(obj: Outcome) -> str:
        return obj.reported_on.isoformat()

    @staticmethod
    def resolve_occurred_on(obj: Outcome) -> str | None:
        return obj.occurred_on.isoformat() if obj.occurred_on else None

    @staticmethod
    def resolve_web_url(obj: Outcome, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


# A program, cluster, country, area or cohort, or "none" for the outcomes without one.
ID_OR_NONE = r"^([0-9]+|none)$"


class OutcomeFilters(InputSchema):
    kind: str | None = None
    stage: list[str] = Field([], description="One or more stages (repeat the parameter)")
    startup: int | None = None
    program: str | None = None
    cluster: str | None = None
    sector: str | None = None
    q: str | None = None
    year: int | None = Field(None, ge=1900, le=2200, description="Year of ``reported_on``")
    quarter: int | None = Field(None, ge=1, le=4, description="Quarter of ``reported_on``")
    country: str | None = Field(None, pattern=r"^([A-Za-z]{2}|none)$")
    area: str | None = Field(None, pattern=ID_OR_NONE, description="Cooperation area id")
    cohort: str | None = Field(
        None, pattern=ID_OR_NONE, description="The year the startup joined the outcome's program"
    )
    illustrative: bool | None = Field(
        None, description="false leaves out the outcomes of the demo's illustrative organizations"
    )


@router.get("", response={200: list[OutcomeOut], **errors(422)}, summary="List outcomes")
@paginate(Pagination)
def list_outcomes(request, filters: Query[OutcomeFilters]):
    """Filter by ``kind``, ``stage`` (one or more), ``startup`` (id), ``program`` (key), the startup's
    ``cluster`` and ``sector`` (keys), ``q`` (text), ``year`` and ``quarter`` of ``reported_on``, the
    counterparty's ``country`` (ISO code), the cooperation ``area`` (id), the ``cohort`` (the year the
    startup joined the outcome's program) and ``illustrative``. ``program``, ``cluster``,
    ``country``, ``area`` and ``cohort`` take ``none`` for the outcomes without one: a KPI
    breakdown's ``outcomes_url`` (``GET /api/v1/kpis/breakdown``) lists exactly what it counted."""
    return (
        Outcome.objects.visible_to(request.user)
        .for_listing(request.user)
        .filtered(**filters.dict(exclude={"q"}), text=filters.q)
    )


@router.get("/{outcome_id}", response=OutcomeOut, summary="One outcome")
def get_outcome(request, outcome_id: int):
    return get_object_or_404(
        Outcome.objects.visible_to(request.user).for_listing(request.user), pk=outcome_id
    )


class StageIn(InputSchema):
    stage: str
    on: date | None = None
    note_ko: MultilineText = ""
    note_en: MultilineText = ""
    source: int | None = None


@router.post(
    "/{outcome_id}/stage",
    response={200: OutcomeOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Move an outcome to another stage",
)
def advance_outcome(request, outcome_id: int, payload: StageIn):
    """Staff, members of the startup and managers of its program. The move must be one the outcome's
    kind allows (e.g. an investment: sourced → in review → term sheet → closed, or declined /
    withdrawn); any other answers 422 and changes nothing. ``on`` defaults to today in Seoul."""
    outcome = get_object_or_404(Outcome.objects.visible_to(request.user), pk=outcome_id)
    source = visible_or_422(Source.objects.all(), payload.source, "source")
    services.advance_outcome(
        Actor.from_request(request),
        outcome,
        payload.stage,
        on=payload.on,
        source=source,
        note_ko=payload.note_ko,
        note_en=payload.note_en,
    )
    return shown_outcome(request, outcome)


class InvestorIn(InputSchema):
    organization: int
    role: str = "participant"
    share: Decimal | None = None


class OutcomeIn(InputSchema):
    """A new outcome. Related objects by id: ``startup`` (one you may record for), ``program`` (one
    the startup takes part in), ``cooperation_area``, ``counterparty``, ``source``. ``stage``: a
    starting stage of the kind (any but a final one). ``regulator`` and ``pathway``: required for a
    regulatory outcome, empty otherwise. ``investors``: a round's lead and participants (organization
    ids), each with its share of the amount where known; the lead is the counterparty unless one is
    given."""

    key: str = ""
    kind: str
    stage: str
    startup: int
    program: int | None = None
    cooperation_area: int | None = None
    counterparty: int | None = None
    investors: list[InvestorIn] = []
    counterparty_description_ko: str = ""
    counterparty_description_en: str = ""
    counterparty_kind: str = ""
    counterparty_country: str = ""
    title_ko: str = ""
    title_en: str = ""
    summary_ko: MultilineText = ""
    summary_en: MultilineText = ""
    public_title_ko: str = ""
    public_title_en: str = ""
    public_summary_ko: MultilineText = ""
    public_summary_en: MultilineText = ""
    regulator: str = ""
    pathway: str = ""
    market_country: str = ""
    amount: Decimal | None = None
    currency: str = ""
    amount_disclosure: str = "auto"
    quantity: Decimal | None = None
    quantity_unit_ko: str = ""
    quantity_unit_en: str = ""
    quantity_period: str = ""
    reported_on: date
    occurred_on: date | None = None
    is_public: bool = True
    source: int | None = None


class OutcomePatch(InputSchema):
    """Only the fields sent change; not the kind, stage (``POST .../stage``), startup or key."""

    program: int | None = None
    cooperation_area: int | None = None
    counterparty: int | None = None
    investors: list[InvestorIn] = Field(None, description="The round's investors, replacing those it had")
    counterparty_description_ko: str = None
    counterparty_description_en: str = None
    counterparty_kind: str = None
    counterparty_country: str = None
    title_ko: str = None
    title_en: str = None
    summary_ko: MultilineText = None
    summary_en: MultilineText = None
    public_title_ko: str = None
    public_title_en: str = None
    public_summary_ko: MultilineText = None
    public_summary_en: MultilineText = None
    regulator: str = None
    pathway: str = None
    market_country: str = None
    amount: Decimal | None = None
    currency: str = None
    amount_disclosure: str = None
    quantity: Decimal | None = None
    quantity_unit_ko: str = None
    quantity_unit_en: str = None
    quantity_period: str = None
    reported_on: date = None
    occurred_on: date | None = None
    is_public: bool = None
    source: int | None = None
    version: int | None = Field(None, description=VERSION_IN)


def outcome_values(request, values: dict) -> dict:
    """The ids of the payload turned into the objects the service takes (an id the caller may not
    see is refused as invalid, 422)."""
    user = request.user
    related = {
        "startup": Organization.objects.visible_to(user),
        "program": Program.objects.visible_to(user),
        "cooperation_area": CooperationArea.objects.filter(agreement__in=Agreement.objects.visible_to(user)),
        "counterparty": Organization.objects.visible_to(user),
        "source": Source.objects.all(),
    }
    for name, queryset in related.items():
        if name in values:
            values[name] = visible_or_422(queryset, values[name], name)
    if values.get("investors") is not None:
        values["investors"] = [
            {
                **item,
                "organization": visible_or_422(related["counterparty"], item["organization"], "investors"),
            }
            for item in values["investors"]
        ]
    return values


def shown_outcome(request, outcome: Outcome) -> Outcome:
    return Outcome.objects.visible_to(request.user).for_listing(request.user).get(pk=outcome.pk)


@router.post("", response={201: OutcomeOut, **WRITE_ERRORS}, auth=signed_in, summary="Record an outcome")
def record_outcome(request, payload: OutcomeIn):
    """Staff, members of the startup, and managers of the program the startup takes part in. The first
    stage change is recorded with it; the ``key`` is made from the English title when left empty."""
    values = outcome_values(request, payload.dict())
    outcome = services.record_outcome(Actor.from_request(request), values)
    return Status(201, shown_outcome(request, outcome))


@router.patch(
    "/{outcome_id}", response={200: OutcomeOut, **EDIT_ERRORS}, auth=signed_in, summary="Change an outcome"
)
def update_outcome(request, outcome_id: int, payload: OutcomePatch):
    """Those who may move the outcome. Only the fields sent change; with ``version``, a change made
    by someone else since answers 409."""
    outcome = get_object_or_404(Outcome.objects.visible_to(request.user), pk=outcome_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    services.update_outcome(
        Actor.from_request(request), outcome, outcome_values(request, values), version=version
    )
    return shown_outcome(request, outcome)
