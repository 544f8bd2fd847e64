from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core import redaction
from dari.core.api import (
    WRITE_ERRORS,
    InputSchema,
    MultilineText,
    Pagination,
    Ref,
    SourceOut,
    absolute_url,
    signed_in,
    visible_or_422,
)
from dari.registry.models import Source

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


class OutcomeOut(Schema):
    id: int
    key: str
    kind: str
    stage: str
    startup: Ref
    counterparty: Ref | None
    counterparty_description_ko: str
    counterparty_description_en: str
    counterparty_kind: str
    counterparty_country: str
    program: ProgramRef | None
    title_ko: str
    title_en: str
    summary_ko: str
    summary_en: str
    market_country: str
    amount: Decimal | None
    currency: str
    quantity: Decimal | None
    quantity_unit_ko: str
    quantity_unit_en: str
    quantity_period: str
    reported_on: str
    occurred_on: str | None
    amount_disclosure: str
    redacted_fields: list[str]
    source: SourceOut | None
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


@router.get("", response=list[OutcomeOut], summary="List outcomes")
@paginate(Pagination)
def list_outcomes(
    request,
    kind: str | None = None,
    stage: str | None = None,
    startup: int | None = None,
    program: str | None = None,
    cluster: str | None = None,
    sector: str | None = None,
    q: str | None = None,
):
    """Filter by ``kind``, ``stage``, ``startup`` (id), ``program`` (key), the startup's ``cluster`` and
    ``sector`` (keys), and ``q`` (text)."""
    return (
        Outcome.objects.visible_to(request.user)
        .for_listing(request.user)
        .filtered(
            kind=kind, stage=stage, startup=startup, program=program, cluster=cluster, sector=sector, text=q
        )
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
    return Outcome.objects.visible_to(request.user).for_listing(request.user).get(pk=outcome.pk)
