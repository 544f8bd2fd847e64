"""An object's change history, as the viewer may see it: field-level diffs with confidential
fields redacted. The caller has already checked that the viewer may see the object itself."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from dari.core import redaction

from .models import AuditEntry

REDACTED = "•••"


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryEntry:
    entry: AuditEntry
    changes: list[FieldChange]


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the entry was written keeps its raw name
        return name


def history_for(user, obj, limit: int = 100) -> list[HistoryEntry]:
    """The newest ``limit`` audit entries of ``obj``, confidential values replaced by ``REDACTED``."""
    hidden = redaction.hidden_fields(user, obj)
    entries = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
    ).order_by("-created_at", "-pk")[:limit]
    history = []
    for entry in entries:
        changes = []
        for name, values in sorted(entry.changes.items()):
            old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            if name in hidden:
                old, new = REDACTED, REDACTED
            changes.append(FieldChange(name, field_label(type(obj), name), old, new))
        history.append(HistoryEntry(entry, changes))
    return history
