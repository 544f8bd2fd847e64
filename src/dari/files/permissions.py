"""Who may see and add files. Pages, the API and the services ask the same predicates."""


def can_view_file(user, stored_file) -> bool:
    """The row-level twin of ``StoredFile.objects.visible_to``: the same rule, asked for one file."""
    from .models import StoredFile

    return StoredFile.objects.visible_to(user).filter(pk=stored_file.pk).exists()


def can_add_organization_file(user, organization) -> bool:
    """Whoever may change the organization's profile (its members, staff) may add its documents.

    The registry comes after this platform app in the import order, so its predicate is imported
    here, when asked, not at module level."""
    from dari.registry.permissions import can_change_organization

    return can_change_organization(user, organization)
