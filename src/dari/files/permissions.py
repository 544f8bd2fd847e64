"""Who may see and add files. Pages, the API and the services ask the same predicates."""

from dari.accounts.access import access_for


def can_view_file(user, stored_file) -> bool:
    """Staff, the uploader, and whoever may see the object the file belongs to."""
    access = access_for(user)
    if access.sees_everything:
        return True
    if access.is_authenticated and stored_file.uploaded_by_id == user.pk:
        return True
    model = stored_file.owner_type.model_class()
    visible_to = getattr(model._default_manager, "visible_to", None) if model is not None else None
    if visible_to is None:
        return False
    return visible_to(user).filter(pk=stored_file.owner_id).exists()


def can_add_organization_file(user, organization) -> bool:
    """Whoever may change the organization's profile (its members, staff) may add its documents.

    The registry comes after this platform app in the import order, so its predicate is imported
    here, when asked, not at module level."""
    from dari.registry.permissions import can_change_organization

    return can_change_organization(user, organization)
