"""Who sees what in the histories of agreements and action items (see ``dari.accounts.history``).

Their pages show the fields their entries record to whoever sees them; an action item's owner is
named only when the viewer may see its organization, as on the agreement's page.
"""

from django.utils.translation import gettext_lazy as _

from dari.accounts import history
from dari.registry.models import Organization

from .models import ActionItem, Agreement
from .permissions import can_change_action_item, can_change_agreement
from .queries import visible_parties
from .services import ACTION_ITEM, AGREEMENT


def party_organizations(viewer):
    return Organization.objects.visible_to(viewer.user).filter(agreement_parties__agreement=viewer.obj)


def owner_organization(viewer):
    owner_party_id = viewer.obj.owner_party_id
    return Organization.objects.visible_to(viewer.user).filter(agreement_parties__pk=owner_party_id)


history.register_insiders(Agreement, can_change_agreement, organizations=party_organizations)
history.register(Agreement, "agreements.agreement.", history.page_fields(AGREEMENT.audited))
history.register_insiders(ActionItem, can_change_action_item, organizations=owner_organization)
history.register(
    ActionItem,
    "agreements.action_item.",
    history.page_fields(ACTION_ITEM.audited),
    references={"owner_party": history.visible_names(visible_parties)},
)
history.register_verbs(
    {
        "agreements.agreement.created": _("Agreement added"),
        "agreements.agreement.changed": _("Agreement changed"),
        "agreements.party.added": _("Party added"),
        "agreements.party.removed": _("Party removed"),
        "agreements.area.added": _("Cooperation area added"),
        "agreements.area.changed": _("Cooperation area changed"),
        "agreements.action_item.created": _("Action item added"),
        "agreements.action_item.changed": _("Action item changed"),
        "agreements.action_item.status_changed": _("Action item status changed"),
        "agreements.progress_note.added": _("Progress note added"),
    }
)
