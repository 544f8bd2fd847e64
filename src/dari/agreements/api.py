from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from dari.core.api import Ref, absolute_url
from dari.core.schemas import in_own_zone

from .models import ActionItem, Agreement, AgreementParty

router = Router(tags=["agreements"])


class PersonRef(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str


class PartyOut(Schema):
    organization: Ref
    head: PersonRef | None
    head_title_ko: str
    head_title_en: str
    signatory: PersonRef | None
    signatory_title_ko: str
    signatory_title_en: str

    @staticmethod
    def resolve_head(obj: AgreementParty):
        return obj.head if obj.head_visible else None

    @staticmethod
    def resolve_signatory(obj: AgreementParty):
        return obj.signatory if obj.signatory_visible else None


class AreaOut(Schema):
    number: int
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str


class ActionItemOut(Schema):
    id: int
    key: str
    title_ko: str
    title_en: str
    owner: Ref | None
    status: str
    due_at: datetime | None
    due_time_zone: str
    area_number: int | None

    @staticmethod
    def resolve_owner(obj: ActionItem):
        return obj.owner_party.organization if obj.owner_party and obj.owner_visible else None

    @staticmethod
    def resolve_due_at(obj: ActionItem):
        return in_own_zone(obj.due_at, obj.due_time_zone)

    @staticmethod
    def resolve_area_number(obj: ActionItem):
        return obj.area.number if obj.area else None


class AgreementOut(Schema):
    id: int
    key: str
    kind: str
    title_ko: str
    title_en: str
    summary_ko: str
    summary_en: str
    signed_at: datetime | None
    signed_time_zone: str
    place_ko: str
    place_en: str
    parties: list[PartyOut]
    areas: list[AreaOut]
    action_items: list[ActionItemOut]
    web_url: str

    @staticmethod
    def resolve_signed_at(obj: Agreement):
        return in_own_zone(obj.signed_at, obj.signed_time_zone)

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[AgreementParty]:
        return list(obj.parties.all())

    @staticmethod
    def resolve_areas(obj: Agreement) -> list:
        return list(obj.areas.all())

    @staticmethod
    def resolve_action_items(obj: Agreement) -> list:
        return list(obj.action_items.all())

    @staticmethod
    def resolve_web_url(obj: Agreement, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


@router.get("", response=list[AgreementOut], summary="List agreements with parties, areas and action items")
@paginate(LimitOffsetPagination)
def list_agreements(request, q: str | None = None):
    agreements = Agreement.objects.visible_to(request.user).with_details(request.user)
    if q:
        agreements = agreements.search(q)
    return agreements


@router.get("/{agreement_id}", response=AgreementOut, summary="One agreement")
def get_agreement(request, agreement_id: int):
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).with_details(request.user), pk=agreement_id
    )
