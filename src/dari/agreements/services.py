"""Agreement use cases. Each runs in one transaction, checks permission first (``PermissionDenied``),
validates with ``full_clean`` (``ValidationError``, nothing written) and writes one audit entry.

The UI, the API and the CLI call these functions only. Times are given as a local date-time plus an
IANA zone (or as an aware datetime) and stored in UTC; see ``dari.core.time.to_utc``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts.audit import Actor, diff, log_action, snapshot
from dari.core.time import set_moment
from dari.core.transitions import Transitions

from .models import ActionItem, Agreement, AgreementParty, CooperationArea, ProgressNote
from .permissions import (
    can_add_progress_note,
    can_change_action_item,
    can_change_agreement,
    can_create_agreement,
)

AGREEMENT_FIELDS = [
    "key",
    "kind",
    "title_ko",
    "title_en",
    "summary_ko",
    "summary_en",
    "signed_at",
    "signed_time_zone",
    "place_ko",
    "place_en",
    "context_ko",
    "context_en",
    "is_public",
]
PARTY_FIELDS = [
    "agreement",
    "organization",
    "position",
    "head",
    "head_title_ko",
    "head_title_en",
    "signatory",
    "signatory_title_ko",
    "signatory_title_en",
]
AREA_FIELDS = ["agreement", "number", "title_ko", "title_en", "description_ko", "description_en"]
ACTION_ITEM_FIELDS = [
    "agreement",
    "key",
    "area",
    "title_ko",
    "title_en",
    "owner_party",
    "due_at",
    "due_time_zone",
    "status",
]
ACTION_ITEM_EDITABLE = ["title_ko", "title_en", "area", "owner_party", "due_at", "due_time_zone"]
NOTE_FIELDS = ["action_item", "text_ko", "text_en", "author"]

Status = ActionItem.Status
# The one state machine of an action item: open → in progress → done, or dropped on the way.
ITEM_STATUS = Transitions(
    Status,
    {
        Status.OPEN: {Status.IN_PROGRESS, Status.DROPPED},
        Status.IN_PROGRESS: {Status.DONE, Status.DROPPED},
    },
    field="status",
    refusal=gettext_lazy("An action item cannot go from %(old)s to %(new)s."),
)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def apply(obj, values: dict, allowed: list[str]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"cannot set {sorted(unknown)} here")
    for name, value in values.items():
        setattr(obj, name, value)


# --- agreements --------------------------------------------------------------------------------------


@transaction.atomic
def create_agreement(actor: Actor, **values) -> Agreement:
    """Create an agreement (staff only). ``signed_at`` is a local date-time in ``signed_time_zone``."""
    require(can_create_agreement(actor.user), _("Only partnership staff may create agreements."))
    agreement = Agreement()
    values = set_moment(agreement, values, "signed_at", "signed_time_zone")
    apply(agreement, values, AGREEMENT_FIELDS)
    agreement.full_clean()
    agreement.save()
    log_action(
        actor, "agreements.agreement.created", agreement, diff({}, snapshot(agreement, AGREEMENT_FIELDS))
    )
    return agreement


@transaction.atomic
def update_agreement(actor: Actor, agreement: Agreement, **values) -> Agreement:
    """Change an agreement's fields (staff, administrators of a party organization)."""
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    before = snapshot(agreement, AGREEMENT_FIELDS)
    values = set_moment(agreement, values, "signed_at", "signed_time_zone")
    apply(agreement, values, AGREEMENT_FIELDS)
    agreement.full_clean()
    changes = diff(before, snapshot(agreement, AGREEMENT_FIELDS))
    if changes:
        agreement.save()
        log_action(actor, "agreements.agreement.changed", agreement, changes)
    return agreement


# --- parties and cooperation areas -------------------------------------------------------------------


@transaction.atomic
def add_party(actor: Actor, agreement: Agreement, organization, **values) -> AgreementParty:
    """Make ``organization`` a party, with its head, signatory and their titles."""
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    if "position" not in values:
        last = agreement.parties.order_by("-position").values_list("position", flat=True).first()
        values["position"] = (last or 0) + 1
    party = AgreementParty(agreement=agreement, organization=organization)
    apply(party, values, PARTY_FIELDS)
    party.full_clean()
    party.save()
    log_action(actor, "agreements.party.added", party, diff({}, snapshot(party, PARTY_FIELDS)))
    return party


@transaction.atomic
def remove_party(actor: Actor, party: AgreementParty) -> None:
    """Remove a party; action items it owned keep existing without an owner."""
    require(can_change_agreement(actor.user, party.agreement), _("You may not change this agreement."))
    removed = {
        name: [value, None] for name, value in snapshot(party, PARTY_FIELDS).items() if value is not None
    }
    log_action(actor, "agreements.party.removed", party, removed)
    party.delete()


@transaction.atomic
def add_area(actor: Actor, agreement: Agreement, **values) -> CooperationArea:
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    if "number" not in values or values["number"] is None:
        last = agreement.areas.order_by("-number").values_list("number", flat=True).first()
        values["number"] = (last or 0) + 1
    area = CooperationArea(agreement=agreement)
    apply(area, values, AREA_FIELDS)
    area.full_clean()
    area.save()
    log_action(actor, "agreements.area.added", area, diff({}, snapshot(area, AREA_FIELDS)))
    return area


@transaction.atomic
def update_area(actor: Actor, area: CooperationArea, **values) -> CooperationArea:
    require(can_change_agreement(actor.user, area.agreement), _("You may not change this agreement."))
    before = snapshot(area, AREA_FIELDS)
    apply(area, values, ["number", "title_ko", "title_en", "description_ko", "description_en"])
    area.full_clean()
    changes = diff(before, snapshot(area, AREA_FIELDS))
    if changes:
        area.save()
        log_action(actor, "agreements.area.changed", area, changes)
    return area


# --- action items ------------------------------------------------------------------------------------


def unique_item_key(agreement: Agreement, title: str) -> str:
    base = slugify(title)[:80] or "action-item"
    taken = set(agreement.action_items.filter(key__startswith=base).values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


@transaction.atomic
def create_action_item(actor: Actor, agreement: Agreement, **values) -> ActionItem:
    """Create an open action item (staff, administrators of a party organization). ``due_at`` is a
    local date-time in ``due_time_zone``; without ``key`` one is made from the English title."""
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    item = ActionItem(agreement=agreement, status=Status.OPEN)
    values = set_moment(item, values, "due_at", "due_time_zone")
    if not values.get("key"):
        values["key"] = unique_item_key(agreement, values.get("title_en") or values.get("title_ko") or "")
    apply(item, values, ["key", *ACTION_ITEM_EDITABLE])
    item.full_clean()
    item.save()
    log_action(actor, "agreements.action_item.created", item, diff({}, snapshot(item, ACTION_ITEM_FIELDS)))
    return item


@transaction.atomic
def update_action_item(actor: Actor, item: ActionItem, **values) -> ActionItem:
    """Change an item's titles, area, due time or owner (staff, members of the owner's organization).
    Handing the item to another party needs the right to change the agreement. Status changes go
    through ``change_action_item_status``."""
    require(can_change_action_item(actor.user, item), _("You may not change this action item."))
    if "owner_party" in values and getattr(values["owner_party"], "pk", None) != item.owner_party_id:
        require(
            can_change_agreement(actor.user, item.agreement),
            _("Only those who may change the agreement may give the item to another party."),
        )
    before = snapshot(item, ACTION_ITEM_FIELDS)
    values = set_moment(item, values, "due_at", "due_time_zone")
    apply(item, values, ACTION_ITEM_EDITABLE)
    item.full_clean()
    changes = diff(before, snapshot(item, ACTION_ITEM_FIELDS))
    if changes:
        item.save()
        log_action(actor, "agreements.action_item.changed", item, changes)
    return item


@transaction.atomic
def change_action_item_status(actor: Actor, item: ActionItem, status: str) -> ActionItem:
    """Move an item along open → in_progress → done, or to dropped from open or in progress.

    Effects: the status is saved and one ``agreements.action_item.status_changed`` entry written.
    Raises PermissionDenied (not staff nor a member of the owner's organization) or ValidationError
    (unknown status or a transition the state machine does not allow). Same status: nothing happens.
    """
    require(can_change_action_item(actor.user, item), _("You may not change this action item."))
    if status == item.status:
        return item
    ITEM_STATUS.check(item.status, status)
    old = item.status
    item.status = status
    item.save(update_fields=["status"])
    log_action(actor, "agreements.action_item.status_changed", item, {"status": [old, status]})
    return item


@transaction.atomic
def add_progress_note(
    actor: Actor, item: ActionItem, *, text_ko: str = "", text_en: str = ""
) -> ProgressNote:
    """Record progress on an item, written now by the acting user."""
    require(can_add_progress_note(actor.user, item), _("You may not add notes to this action item."))
    note = ProgressNote(
        action_item=item,
        written_at=timezone.now(),
        text_ko=text_ko.strip(),
        text_en=text_en.strip(),
        author=actor.user,
        author_name=actor.user.get_full_name() or actor.user.get_username(),
    )
    note.full_clean()
    note.save()
    log_action(actor, "agreements.progress_note.added", note, diff({}, snapshot(note, NOTE_FIELDS)))
    return note


def start_agreement_pdf(actor: Actor, agreement: Agreement, language: str):
    """Start a background job that renders ``agreement`` as a PDF in ``language`` for ``actor``.

    Raises PermissionDenied for an anonymous actor or one who may not see the agreement, and
    ValidationError for a language Dari does not speak. The job's result links the stored file.
    """
    from django.conf import settings

    from dari.jobs.services import start_job

    from .tasks import AGREEMENT_PDF, render_agreement_pdf

    if actor.user is None or not Agreement.objects.visible_to(actor.user).filter(pk=agreement.pk).exists():
        raise PermissionDenied(_("You may not see this agreement."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose Korean or English.")})
    return start_job(actor, AGREEMENT_PDF, render_agreement_pdf, agreement.pk, language, about=agreement)
