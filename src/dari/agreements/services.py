"""Agreement use cases. Each runs in one transaction, checks permission first (``PermissionDenied``),
validates with ``full_clean`` (``ValidationError``, nothing written) and writes one audit entry.

The UI, the API and the CLI call these functions only. Times are given as a local date-time plus an
IANA zone (or as an aware datetime) and stored in UTC; see ``dari.core.time.to_utc``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.core.services import Fields, lock, only, require, unique_key
from dari.core.time import set_moment
from dari.core.transitions import Transitions

from .models import ActionItem, Agreement, AgreementParty, CooperationArea, ProgressNote
from .permissions import (
    can_add_progress_note,
    can_change_action_item,
    can_change_agreement,
    can_create_agreement,
)

AGREEMENT_FIELDS = (
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
)
# An agreement's key may be corrected on its page (nothing imports agreements by key).
AGREEMENT = Fields(creatable=AGREEMENT_FIELDS, editable=AGREEMENT_FIELDS)
PARTY = Fields(
    creatable=(
        "position",
        "head",
        "head_title_ko",
        "head_title_en",
        "signatory",
        "signatory_title_ko",
        "signatory_title_en",
    ),
    also_audited=("agreement", "organization"),
)
AREA = Fields(
    creatable=("number", "title_ko", "title_en", "description_ko", "description_en"),
    also_audited=("agreement",),
)
ACTION_ITEM = Fields(
    creatable=("key", "title_ko", "title_en", "area", "owner_party", "due_at", "due_time_zone"),
    also_audited=("agreement", "status"),
)
NOTE = Fields(creatable=("text_ko", "text_en"), also_audited=("action_item", "author"))

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


# --- agreements --------------------------------------------------------------------------------------


@transaction.atomic
def create_agreement(actor: Actor, values: dict) -> Agreement:
    """Create an agreement (staff only). ``signed_at`` is a local date-time in ``signed_time_zone``."""
    require(can_create_agreement(actor.user), _("Only partnership staff may create agreements."))
    agreement = Agreement()
    values = set_moment(agreement, values, "signed_at", "signed_time_zone")
    return audit.create(actor, agreement, values, AGREEMENT, "agreements.agreement.created")


@transaction.atomic
def update_agreement(actor: Actor, agreement: Agreement, values: dict) -> Agreement:
    """Change an agreement's fields (staff, administrators of a party organization)."""
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    values = set_moment(agreement, values, "signed_at", "signed_time_zone")
    return audit.update(actor, agreement, values, AGREEMENT, "agreements.agreement.changed")


# --- parties and cooperation areas -------------------------------------------------------------------


@transaction.atomic
def add_party(actor: Actor, agreement: Agreement, organization, values: dict | None = None) -> AgreementParty:
    """Make ``organization`` a party, with its head, signatory and their titles."""
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    values = dict(values or {})
    if values.get("position") is None:
        last = agreement.parties.order_by("-position").values_list("position", flat=True).first()
        values["position"] = (last or 0) + 1
    party = AgreementParty(agreement=agreement, organization=organization)
    return audit.create(actor, party, values, PARTY, "agreements.party.added")


@transaction.atomic
def remove_party(actor: Actor, party: AgreementParty) -> None:
    """Remove a party; action items it owned keep existing without an owner."""
    require(can_change_agreement(actor.user, party.agreement), _("You may not change this agreement."))
    audit.delete(actor, lock(party), PARTY, "agreements.party.removed")


@transaction.atomic
def add_area(actor: Actor, agreement: Agreement, values: dict) -> CooperationArea:
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    values = dict(values)
    if values.get("number") is None:
        last = agreement.areas.order_by("-number").values_list("number", flat=True).first()
        values["number"] = (last or 0) + 1
    return audit.create(actor, CooperationArea(agreement=agreement), values, AREA, "agreements.area.added")


@transaction.atomic
def update_area(actor: Actor, area: CooperationArea, values: dict) -> CooperationArea:
    require(can_change_agreement(actor.user, area.agreement), _("You may not change this agreement."))
    return audit.update(actor, area, values, AREA, "agreements.area.changed")


# --- action items ------------------------------------------------------------------------------------


@transaction.atomic
def create_action_item(actor: Actor, agreement: Agreement, values: dict) -> ActionItem:
    """Create an open action item (staff, administrators of a party organization). ``due_at`` is a
    local date-time in ``due_time_zone``; without ``key`` one is made from the English title."""
    require(can_change_agreement(actor.user, agreement), _("You may not change this agreement."))
    item = ActionItem(agreement=agreement, status=Status.OPEN)
    values = set_moment(item, values, "due_at", "due_time_zone")
    if not values.get("key"):
        values["key"] = unique_key(
            agreement.action_items.all(),
            values.get("title_en", ""),
            values.get("title_ko", ""),
            fallback="action-item",
            max_length=80,
        )
    return audit.create(actor, item, values, ACTION_ITEM, "agreements.action_item.created")


@transaction.atomic
def update_action_item(actor: Actor, item: ActionItem, values: dict) -> ActionItem:
    """Change an item's titles, area, due time or owner (staff, members of the owner's organization).
    Handing the item to another party needs the right to change the agreement. Status changes go
    through ``change_action_item_status``."""
    require(can_change_action_item(actor.user, item), _("You may not change this action item."))
    if "owner_party" in values and getattr(values["owner_party"], "pk", None) != item.owner_party_id:
        require(
            can_change_agreement(actor.user, item.agreement),
            _("Only those who may change the agreement may give the item to another party."),
        )
    values = set_moment(item, values, "due_at", "due_time_zone")
    return audit.update(actor, item, values, ACTION_ITEM, "agreements.action_item.changed")


@transaction.atomic
def change_action_item_status(actor: Actor, item: ActionItem, status: str) -> ActionItem:
    """Move an item along open → in_progress → done, or to dropped from open or in progress.

    Effects: the status is saved and one ``agreements.action_item.status_changed`` entry written.
    Raises PermissionDenied (not staff nor a member of the owner's organization) or ValidationError
    (unknown status or a transition the state machine does not allow). Same status: nothing happens.
    """
    require(can_change_action_item(actor.user, item), _("You may not change this action item."))
    item = lock(item)
    if status == item.status:
        return item
    ITEM_STATUS.check(item.status, status)
    old = item.status
    item.status = status
    item.save(update_fields=["status"])
    log_action(actor, "agreements.action_item.status_changed", item, {"status": [old, status]})
    return item


@transaction.atomic
def add_progress_note(actor: Actor, item: ActionItem, values: dict) -> ProgressNote:
    """Record progress on an item (``text_ko``, ``text_en``), written now by the acting user."""
    require(can_add_progress_note(actor.user, item), _("You may not add notes to this action item."))
    values = {name: (text or "").strip() for name, text in only(values, NOTE.creatable).items()}
    note = ProgressNote(
        action_item=item,
        written_at=timezone.now(),
        author=actor.user,
        author_name=actor.user.get_full_name() or actor.user.get_username(),
    )
    return audit.create(actor, note, values, NOTE, "agreements.progress_note.added")


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
