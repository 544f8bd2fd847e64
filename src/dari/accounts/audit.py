"""The audit log: every service that writes records who did what, to which object, from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import models

from dari.core.services import Fields, assign, lock, only

from .models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who performs a use case: a user (None for the system, e.g. a scheduled job) and their IP."""

    user: object | None
    ip_address: str | None = None
    #: Dari itself (the scenario loader, a scheduled job), never a request: an anonymous visitor
    #: also has no user, so use cases that trust the system ask for this, not for ``user is None``.
    is_system: bool = False

    @classmethod
    def from_request(cls, request) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip_address=request.META.get("REMOTE_ADDR") or None)

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None, is_system=True)

    @property
    def label(self) -> str:
        return self.user.get_username() if self.user is not None else "system"


def json_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(json_value(item) for item in value)
    return value


#: Values ``json_value`` returns as they are.
JSON_PLAIN = frozenset({str, int, bool, float, type(None)})
MANY, RELATED, VALUE = "many", "related", "value"


@cache
def _read(model, fields: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """How ``snapshot`` reads each of ``fields``: ``(name, kind, attribute)``, once per model."""
    plan = []
    for name in fields:
        field = model._meta.get_field(name)
        if field.many_to_many:
            plan.append((name, MANY, name))
        elif field.is_relation:
            plan.append((name, RELATED, field.attname))
        else:
            plan.append((name, VALUE, name))
    return tuple(plan)


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """JSON-safe values of ``fields`` of ``obj`` (foreign keys as ids)."""
    values = {}
    for name, kind, attribute in _read(obj._meta.model, tuple(fields)):
        if kind is VALUE:
            value = getattr(obj, attribute)
            values[name] = value if type(value) in JSON_PLAIN else json_value(value)
        elif kind is RELATED:
            values[name] = getattr(obj, attribute)
        else:
            related = getattr(obj, name).values_list("pk", flat=True) if obj.pk else []
            values[name] = sorted(related)
    return values


def diff(before: dict, after: dict) -> dict[str, list]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def log_action(actor: Actor, action: str, obj: models.Model, changes: dict | None = None) -> AuditEntry:
    """Write one audit entry. Call inside the service's transaction, after the write."""
    return AuditEntry.objects.create(
        actor=actor.user,
        actor_label=actor.label,
        action=action,
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_label=str(obj)[:300],
        changes=changes or {},
        ip_address=actor.ip_address,
    )


# --- the audited writes every use case is made of (see dari.core.services) ---------------------------


EMPTY = ("", None, [])


def created_changes(obj: models.Model, fields: list[str]) -> dict:
    """What a new object holds, as ``{field: [None, value]}``, empty fields left out (defaults kept:
    the entry says what was made without knowing the model's defaults)."""
    return {name: [None, value] for name, value in snapshot(obj, fields).items() if value not in EMPTY}


def deleted_changes(obj: models.Model, fields: list[str]) -> dict:
    """What a deleted object held, as ``{field: [value, None]}``, empty fields left out."""
    return {
        name: [value, None] for name, value in snapshot(obj, fields).items() if value not in EMPTY
    }


def create(
    actor: Actor, obj: models.Model, values: dict, fields: Fields, action: str, *, prepare=None
) -> models.Model:
    """Set ``values`` (``fields.creatable``) on the unsaved ``obj``, run ``prepare(obj)`` for what the
    use case derives itself, validate, save and write the audit entry ``action`` with what the new
    object holds. Call inside the use case's transaction."""
    related = assign(obj, only(values, fields.creatable))
    if prepare is not None:
        prepare(obj)
    obj.full_clean()
    obj.save()
    for name, value in related.items():
        getattr(obj, name).set(value)
    log_action(actor, action, obj, created_changes(obj, fields.audited))
    return obj


def update(
    actor: Actor,
    obj: models.Model,
    values: dict,
    fields: Fields,
    action: str,
    *,
    version: int | None = None,
    prepare=None,
    about: models.Model | None = None,
) -> models.Model:
    """Change ``obj``: lock it (checking ``version``), snapshot, set ``values`` (``fields.changeable``),
    run ``prepare(obj, before)`` for a use case's own rules, validate, save, and write the audit entry
    ``action`` with the changed fields if any, on ``about`` (default ``obj``: an organization's
    matching profile is recorded in the organization's history). Returns ``obj``, saved; its
    ``audited_changes`` attribute holds what changed (empty when nothing did), for side effects."""
    values = only(values, fields.changeable)
    obj = lock(obj, version)
    before = snapshot(obj, fields.audited)
    related = assign(obj, values)
    if prepare is not None:
        prepare(obj, before)
    obj.full_clean()
    obj.save()
    for name, value in related.items():
        getattr(obj, name).set(value)
    changes = diff(before, snapshot(obj, fields.audited))
    if changes:
        log_action(actor, action, about or obj, changes)
    obj.audited_changes = changes
    return obj


def delete(actor: Actor, obj: models.Model, fields: Fields, action: str) -> None:
    """Delete ``obj`` and write the audit entry ``action`` with what it held."""
    changes = deleted_changes(obj, fields.audited)
    log_action(actor, action, obj, changes)
    obj.delete()
