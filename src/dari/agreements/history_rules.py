"""Who sees what in the histories of agreements and action items (see ``dari.accounts.history``).

Their pages show the fields their entries record to whoever sees them; an action item's owner is
named only when the viewer may see its organization, as on the agreement's page.
"""

from dari.accounts import history
from dari.registry.models import Organization

from .models import ActionItem, Agreement
from .permissions import can_change_action_item, can_change_agreement
from .queries import visible_parties
from .services import ACTION_ITEM_FIELDS, AGREEMENT_FIELDS


def party_organizations(viewer):
    return Organization.objects.visible_to(viewer.user).filter(agreement_parties__agreement=viewer.obj)


def owner_organization(viewer):
    owner_party_id = viewer.obj.owner_party_id
    return Organization.objects.visible_to(viewer.user).filter(agreement_parties__pk=owner_party_id)


history.register_insiders(Agreement, can_change_agreement, organizations=party_organizations)
history.register(Agreement, "agreements.agreement.", history.page_fields(AGREEMENT_FIELDS))
history.register_insiders(ActionItem, can_change_action_item, organizations=owner_organization)
history.register(
    ActionItem,
    "agreements.action_item.",
    history.page_fields(ACTION_ITEM_FIELDS),
    references={"owner_party": history.visible_names(visible_parties)},
)
