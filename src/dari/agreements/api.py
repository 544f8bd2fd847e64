"""``/api/v1/agreements`` and ``/api/v1/action-items``: read, and write through the services.

Writes need a signed-in user (session with CSRF token, or HTTP Basic): 401 otherwise; an object the
caller may not see is 404, one they see but may not change is 403, invalid input is 422.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dari.accounts.audit import Actor
from dari.core.api import (
    WRITE_ERRORS,
    InputSchema,
    MultilineText,
    Pagination,
    Ref,
    absolute_url,
    signed_in,
    visible_or_422,
)
from dari.core.schemas import in_own_zone
from dari.registry.models import Organization, Person

from . import services
from .models import ActionItem, Agreement, AgreementParty, ProgressNote
from .queries import visible_parties

router = Router(tags=["agreements"])
action_items_router = Router(tags=["action items"])


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


class PersonRef(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str


class PartyOut(Schema):
    id: int
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
    id: int
    number: int
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str


class ProgressNoteOut(Schema):
    id: int
    written_at: datetime
    text_ko: str
    text_en: str
    author_name: str


class ActionItemOut(Schema):
    id: int
    agreement_id: int
    key: str
    title_ko: str
    title_en: str
    owner: Ref | None
    status: str
    due_at: datetime | None
    due_time_zone: str
    is_overdue: bool
    area_number: int | None
    progress_notes: list[ProgressNoteOut]
    web_url: str

    @staticmethod
    def resolve_progress_notes(obj: ActionItem) -> list:
        """Only the notes the caller may see were prefetched (``visible_notes_prefetch``)."""
        return list(obj.progress_notes.all())

    @staticmethod
    def resolve_web_url(obj: ActionItem, context) -> str:
        return absolute_url(context, obj.get_absolute_url())

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
@paginate(Pagination)
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


# --- writes on agreements ----------------------------------------------------------------------------


class AgreementIn(InputSchema):
    key: str
    kind: Agreement.Kind = Agreement.Kind.MOU
    title_ko: str = ""
    title_en: str = ""
    summary_ko: MultilineText = ""
    summary_en: MultilineText = ""
    signed_at: datetime | None = None
    signed_time_zone: str = ""
    place_ko: str = ""
    place_en: str = ""
    context_ko: MultilineText = ""
    context_en: MultilineText = ""
    is_public: bool = True


class AgreementPatch(InputSchema):
    key: str | None = None
    kind: Agreement.Kind | None = None
    title_ko: str | None = None
    title_en: str | None = None
    summary_ko: MultilineText | None = None
    summary_en: MultilineText | None = None
    signed_at: datetime | None = None
    signed_time_zone: str | None = None
    place_ko: str | None = None
    place_en: str | None = None
    context_ko: MultilineText | None = None
    context_en: MultilineText | None = None
    is_public: bool | None = None


def given(payload: Schema) -> dict:
    """The fields the caller sent; ``null`` clears only the fields that may be empty."""
    values = payload.dict(exclude_unset=True)
    nullable = {"signed_at", "due_at", "area_number", "owner"}
    return {name: value for name, value in values.items() if value is not None or name in nullable}


def detailed_agreement(request, agreement_id: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).with_details(request.user), pk=agreement_id
    )


@router.post(
    "", response={201: AgreementOut, **WRITE_ERRORS}, auth=signed_in, summary="Create an agreement (staff)"
)
def create_agreement(request, payload: AgreementIn):
    agreement = services.create_agreement(Actor.from_request(request), payload.dict())
    return Status(201, detailed_agreement(request, agreement.pk))


@router.patch(
    "/{agreement_id}",
    response={200: AgreementOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Change an agreement",
)
def update_agreement(request, agreement_id: int, payload: AgreementPatch):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=agreement_id)
    services.update_agreement(Actor.from_request(request), agreement, given(payload))
    return detailed_agreement(request, agreement.pk)


class PartyIn(InputSchema):
    organization: int
    head: int | None = None
    head_title_ko: str = ""
    head_title_en: str = ""
    signatory: int | None = None
    signatory_title_ko: str = ""
    signatory_title_en: str = ""


@router.post(
    "/{agreement_id}/parties", response={201: PartyOut, **WRITE_ERRORS}, auth=signed_in, summary="Add a party"
)
def add_party(request, agreement_id: int, payload: PartyIn):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=agreement_id)
    values = payload.dict()
    organizations = Organization.objects.visible_to(request.user)
    people = Person.objects.visible_to(request.user)
    organization = visible_or_422(organizations, values.pop("organization"), "organization")
    values["head"] = visible_or_422(people, values["head"], "head")
    values["signatory"] = visible_or_422(people, values["signatory"], "signatory")
    party = services.add_party(Actor.from_request(request), agreement, organization, values)
    return Status(201, visible_parties(request.user).get(pk=party.pk))


@router.delete(
    "/{agreement_id}/parties/{party_id}",
    response={204: None, **WRITE_ERRORS},
    auth=signed_in,
    summary="Remove a party",
)
def remove_party(request, agreement_id: int, party_id: int):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=agreement_id)
    party = get_object_or_404(agreement.parties.select_related("agreement"), pk=party_id)
    services.remove_party(Actor.from_request(request), party)
    return Status(204, None)


class AreaIn(InputSchema):
    number: int | None = None
    title_ko: str = ""
    title_en: str = ""
    description_ko: MultilineText = ""
    description_en: MultilineText = ""


@router.post(
    "/{agreement_id}/areas",
    response={201: AreaOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Add a cooperation area",
)
def add_area(request, agreement_id: int, payload: AreaIn):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=agreement_id)
    return Status(201, services.add_area(Actor.from_request(request), agreement, payload.dict()))


# --- action items ------------------------------------------------------------------------------------


class ActionItemIn(InputSchema):
    key: str = ""
    title_ko: str = ""
    title_en: str = ""
    area_number: int | None = None
    owner: int | None = None
    due_at: datetime | None = None
    due_time_zone: str = ""


class ActionItemPatch(InputSchema):
    title_ko: str | None = None
    title_en: str | None = None
    area_number: int | None = None
    owner: int | None = None
    due_at: datetime | None = None
    due_time_zone: str | None = None
    status: ActionItem.Status | None = None


def item_values(agreement: Agreement, values: dict) -> dict:
    """API names to service values: ``area_number`` → the area, ``owner`` (organization id) → the party."""
    if "area_number" in values:
        number = values.pop("area_number")
        values["area"] = None
        if number is not None:
            values["area"] = agreement.areas.filter(number=number).first()
            if values["area"] is None:
                raise invalid("area_number", f"The agreement has no cooperation area {number}")
    if "owner" in values:
        owner = values.pop("owner")
        values["owner_party"] = None
        if owner is not None:
            values["owner_party"] = agreement.parties.filter(organization_id=owner).first()
            if values["owner_party"] is None:
                raise invalid("owner", f"Organization {owner} is not a party to the agreement")
    return values


def detailed_item(request, item_id: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.visible_to(request.user).with_details(request.user), pk=item_id
    )


@router.post(
    "/{agreement_id}/action-items",
    response={201: ActionItemOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Create an action item",
)
def create_action_item(request, agreement_id: int, payload: ActionItemIn):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=agreement_id)
    values = item_values(agreement, payload.dict())
    item = services.create_action_item(Actor.from_request(request), agreement, values)
    return Status(201, detailed_item(request, item.pk))


@action_items_router.get("", response=list[ActionItemOut], summary="List action items across agreements")
@paginate(Pagination)
def list_action_items(
    request,
    status: ActionItem.Status | None = None,
    owner: int | None = None,
    agreement: int | None = None,
    overdue: bool = False,
):
    """Filters: ``status``, ``owner`` (organization id), ``agreement`` (id), ``overdue=true``."""
    return (
        ActionItem.objects.visible_to(request.user)
        .filtered(
            status=status or "",
            owner=owner,
            agreement=agreement,
            overdue_at=timezone.now() if overdue else None,
        )
        .with_details(request.user)
        .order_by("due_at", "agreement_id", "key")
    )


@action_items_router.get("/{item_id}", response=ActionItemOut, summary="One action item")
def get_action_item(request, item_id: int):
    return detailed_item(request, item_id)


@action_items_router.patch(
    "/{item_id}",
    response={200: ActionItemOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Change an action item",
)
def update_action_item(request, item_id: int, payload: ActionItemPatch):
    item = get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("agreement"), pk=item_id
    )
    values = item_values(item.agreement, given(payload))
    status = values.pop("status", None)
    actor = Actor.from_request(request)
    with transaction.atomic():
        if values:
            services.update_action_item(actor, item, values)
        if status is not None:
            services.change_action_item_status(actor, item, status)
    return detailed_item(request, item.pk)


class NoteIn(InputSchema):
    text_ko: MultilineText = ""
    text_en: MultilineText = ""


@action_items_router.post(
    "/{item_id}/notes",
    response={201: ProgressNoteOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Add a progress note",
)
def add_progress_note(request, item_id: int, payload: NoteIn):
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=item_id)
    note: ProgressNote = services.add_progress_note(Actor.from_request(request), item, payload.dict())
    return Status(201, note)
