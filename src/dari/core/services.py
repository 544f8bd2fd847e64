"""How a use case is written in Dari: the plumbing every app's ``services`` module shares.

A use case is one function in an app's ``services.py``, called the same way by pages, the API, the
CLI and tasks::

    THING = Fields(creatable=("key", "name_ko", "name_en"))   # declared once; forms read it too

    @transaction.atomic
    def update_thing(actor: Actor, thing: Thing, values: dict, *, version: int | None = None) -> Thing:
        require(can_change_thing(actor.user, thing), _("You may not edit this thing."))
        return audit.update(actor, thing, values, THING, "things.thing.changed", version=version)

- the first argument is the :class:`~dari.accounts.audit.Actor`, then the objects acted on, then
  the field values as one ``dict`` (``values``), then keyword-only options;
- it checks permission first (:func:`require`, ``PermissionDenied``, 403 in the API), validates with
  the model's ``full_clean`` (``ValidationError`` with field errors, 422), writes in one transaction
  and records one audit entry per object written (``<app>.<model>.<verb>``): the audited
  ``create``/``update``/``delete`` of :mod:`dari.accounts.audit`, where the audit log lives, do
  these steps, built from this module's pieces;
- the fields a caller may set are declared once, in a :class:`Fields` next to the use cases; forms
  and API schemas read their field lists from it;
- an edit takes the ``version`` the user saw (models with :class:`Versioned`): if someone saved
  in between, it raises :class:`Conflict` (409 in the API; pages show the other person's change);
- natural keys are made by :func:`unique_key`.

State changes do not go through :func:`update`: each machine has a transition table
(:class:`dari.core.transitions.Transitions`) and one function that lists its side effects.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _


class Conflict(Exception):
    """The change was refused because the data changed meanwhile or clashes with what exists: 409."""


class Versioned(models.Model):
    """A row edited by people who may edit it at the same time: each saved edit adds one to
    ``version``, and an edit made from an older version is refused (:class:`Conflict`)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Fields:
    """The fields of one model that its use cases write, declared once.

    ``creatable``: what a caller may give when creating; ``editable``: what a caller may change later
    (by default ``creatable`` without the natural key); ``audited``: what audit entries record (by
    default ``creatable`` plus anything the services set themselves, given as ``also_audited``).
    """

    creatable: tuple[str, ...]
    editable: tuple[str, ...] | None = None
    also_audited: tuple[str, ...] = ()

    @property
    def changeable(self) -> tuple[str, ...]:
        if self.editable is not None:
            return self.editable
        return tuple(name for name in self.creatable if name != "key")

    @property
    def audited(self) -> list[str]:
        return [*self.creatable, *(name for name in self.also_audited if name not in self.creatable)]


def require(allowed: bool, message: str) -> None:
    """Refuse the use case (``PermissionDenied``, 403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def only(values: dict, allowed) -> dict:
    """A copy of ``values``; a field outside ``allowed`` is a programming error (``TypeError``)."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")
    return dict(values)


def unique_key(queryset, *candidates: str, fallback: str, field: str = "key", max_length: int = 90) -> str:
    """A free natural key made from the first candidate that slugifies to something (names in Hangul
    do not), numbered when taken: ``acme``, ``acme-2``, ... ``queryset`` (or a model) is where the key
    must be free, e.g. ``agreement.action_items.all()``."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    base = next((slugify(text) for text in candidates if slugify(text or "")), fallback)[:max_length]
    taken = set(queryset.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def lock(obj: models.Model, version: int | None = None) -> models.Model:
    """Read ``obj`` again from its stored row, under a lock (a form may have changed ``obj``), and
    return it: callers keep working with the instance they hold.

    For a :class:`Versioned` model, claim the next version now: the conditional UPDATE takes the
    row's write lock on every database, so of two edits made from the same version exactly one
    goes through and the other raises :class:`Conflict`.
    """
    manager = obj._meta.model._default_manager  # (request.user is a lazy object, not a model class)
    if isinstance(obj, Versioned):
        if version is None:
            version = manager.filter(pk=obj.pk).values_list("version", flat=True)[0]
        if not manager.filter(pk=obj.pk, version=version).update(version=F("version") + 1):
            raise Conflict(
                _(
                    "Someone else saved this %(thing)s while you were editing it. "
                    "Review their change and try again."
                )
                % {"thing": obj._meta.verbose_name}
            )
    obj.refresh_from_db(from_queryset=manager.select_for_update())
    return obj


def assign(obj: models.Model, values: dict) -> dict:
    """Set the plain fields of ``values`` on ``obj``; return the many-to-many ones, set after saving."""
    related = {}
    for name, value in values.items():
        if obj._meta.get_field(name).many_to_many:
            related[name] = value
        else:
            setattr(obj, name, value)
    return related
