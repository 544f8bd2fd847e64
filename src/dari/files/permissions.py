"""Who may see and add files. Pages, the API and the services ask the same predicates."""


def can_view_file(user, stored_file) -> bool:
    """The row-level twin of ``StoredFile.objects.visible_to``: the same rule, asked for one file."""
    from .models import StoredFile

    return StoredFile.objects.visible_to(user).filter(pk=stored_file.pk).exists()
