"""Who may create and change agreements, their parties, areas and action items, and who may read
progress notes. Each predicate reads the viewer's cached access plus, at most, the agreement's parties.

- create an agreement: staff;
- change an agreement, its parties and areas, create action items, give an item to another party:
  staff and administrators of a party organization;
- change an action item and its status, add a progress note: staff and members (or administrators)
  of the owner party's organization;
- read progress notes: staff and members of any party organization of the agreement.
"""

from dari.accounts.access import access_for


def party_organization_ids(agreement) -> set[int]:
    return set(agreement.parties.values_list("organization_id", flat=True))


def can_create_agreement(user) -> bool:
    return access_for(user).sees_everything


def can_change_agreement(user, agreement) -> bool:
    access = access_for(user)
    if access.sees_everything:
        return True
    if not access.administered_organization_ids:
        return False
    return bool(party_organization_ids(agreement) & access.administered_organization_ids)


def can_change_action_item(user, item) -> bool:
    access = access_for(user)
    if access.sees_everything:
        return True
    if item.owner_party_id is None:
        return False
    return item.owner_party.organization_id in access.organization_ids


def can_add_progress_note(user, item) -> bool:
    return can_change_action_item(user, item)


def can_see_progress_notes(user, agreement) -> bool:
    access = access_for(user)
    if access.sees_everything:
        return True
    if not access.organization_ids:
        return False
    return bool(party_organization_ids(agreement) & access.organization_ids)
