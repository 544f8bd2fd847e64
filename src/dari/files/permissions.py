"""Who may see and add files. Pages, the API and the services ask the same predicates."""


def can_view_file(user, stored_file) -> bool:
    """The row-level twin of ``StoredFile.objects.visible_to``: the same rule, asked for one file."""
    from .models import StoredFile

    return StoredFile.objects.visible_to(user).filter(pk=stored_file.pk).exists()


def shown_filename(user, stored_file) -> str:
    """The name ``stored_file`` is shown and served under to ``user``: its original name, or a
    neutral one ("attachment.pdf") where its owner withholds names from ``user`` (a blind review:
    a file's name often gives its author away)."""
    from . import sniffing
    from .queries import owner_hook

    nameless = owner_hook(stored_file.owner_type.model_class(), "owner_ids_with_nameless_files")
    if nameless is None or stored_file.owner_id not in nameless(user):
        return stored_file.original_filename
    extensions = {file_type.content_type: file_type.extensions[0] for file_type in sniffing.ALLOWED}
    return "attachment" + extensions.get(stored_file.content_type, "")
