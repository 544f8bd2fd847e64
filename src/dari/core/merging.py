"""Moving every reference from a duplicate row to the row that is kept, for any model.

References are found from the models themselves, not listed by hand, so an app added later (its
foreign keys to an organization, its generic ``scope`` pointing at one) is covered without the
merging code importing it:

- every foreign key and one-to-one key to the model, including the hidden ones of many-to-many
  tables (``Model._meta.get_fields(include_hidden=True)``);
- every ``GenericForeignKey`` of any installed model (e.g. a membership scoped to an organization).

A moved row can collide with a row the kept object already has: both organizations party to the same
agreement, both tagged with the same sector, a relationship that already exists. The moved row is then
*absorbed* into the existing one (its own references move there, recursively) and deleted. A row that
would break a check constraint once moved (an organization related to itself) is deleted.

Call it inside a transaction; it runs a few queries per moved row, which suits a rare, deliberate
operation such as a merge, not a bulk import.
"""

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models


@dataclass(frozen=True)
class Pointer:
    """One way rows of ``model`` point at an object: ``id_field`` (plus, for a generic key, its type)."""

    model: type[models.Model]
    id_field: str  # the attname holding the target's pk
    type_field: str | None = None  # the attname holding the target's content type, for generic keys

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.id_field}"

    def filter_for(self, target: models.Model) -> dict:
        lookup = {self.id_field: target.pk}
        if self.type_field is not None:
            lookup[self.type_field] = ContentType.objects.get_for_model(target, for_concrete_model=False).pk
        return lookup

    @property
    def names(self) -> set[str]:
        """The field names (and attnames) that make up this pointer."""
        names = {self.id_field}
        if self.type_field is not None:
            names.add(self.type_field)
        for field in self.model._meta.concrete_fields:
            if field.attname in names:
                names.add(field.name)
        return names


def pointers_to(model: type[models.Model]) -> list[Pointer]:
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            found.append(Pointer(relation.related_model, relation.field.attname))
    for other in apps.get_models():
        for field in other._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                type_field = other._meta.get_field(field.ct_field).attname
                found.append(Pointer(other, other._meta.get_field(field.fk_field).attname, type_field))
    return found


def unique_field_sets(model: type[models.Model]) -> list[tuple[tuple[str, ...], bool]]:
    """Every set of fields that must be unique together, with whether NULLs count as distinct."""
    sets: list[tuple[tuple[str, ...], bool]] = [
        ((field.name,), True)
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key
    ]
    sets += [(tuple(fields), True) for fields in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            sets.append((tuple(constraint.fields), constraint.nulls_distinct is not False))
    return sets


def colliding_row(row: models.Model, pointer: Pointer, keep: models.Model) -> models.Model | None:
    """The row that already points at ``keep`` and that ``row`` would duplicate once moved."""
    target = pointer.filter_for(keep)
    for fields, nulls_distinct in unique_field_sets(pointer.model):
        if not pointer.names & set(fields):
            continue
        lookup = {}
        for name in fields:
            attname = pointer.model._meta.get_field(name).attname
            lookup[attname] = target.get(attname, getattr(row, attname))
        if nulls_distinct and any(value is None for value in lookup.values()):
            continue
        existing = pointer.model._default_manager.filter(**lookup).exclude(pk=row.pk).first()
        if existing is not None:
            return existing
    return None


def breaks_check_constraints(row: models.Model) -> bool:
    for constraint in row._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            try:
                constraint.validate(type(row), row)
            except ValidationError:
                return True
    return False


def reassign_references(keep: models.Model, duplicate: models.Model) -> Counter:
    """Point every reference to ``duplicate`` at ``keep``; returns how many rows moved, per pointer.

    Rows that would collide are absorbed into the row ``keep`` already has, and counted under
    ``"<pointer> (merged)"``; rows that would break a check constraint are deleted, counted under
    ``"<pointer> (dropped)"``. ``duplicate`` itself is left in place, with nothing pointing at it.
    """
    moved: Counter = Counter()
    for pointer in pointers_to(type(duplicate)):
        rows = pointer.model._default_manager.filter(**pointer.filter_for(duplicate)).order_by("pk")
        for row in rows:
            existing = colliding_row(row, pointer, keep)
            if existing is not None:
                absorb(existing, row)
                moved[f"{pointer.label} (merged)"] += 1
                continue
            setattr(row, pointer.id_field, keep.pk)
            if breaks_check_constraints(row):
                setattr(row, pointer.id_field, duplicate.pk)
                absorb(None, row)
                moved[f"{pointer.label} (dropped)"] += 1
                continue
            pointer.model._default_manager.filter(pk=row.pk).update(**{pointer.id_field: keep.pk})
            moved[pointer.label] += 1
    return moved


def absorb(survivor: models.Model | None, row: models.Model) -> None:
    """Move what points at ``row`` to ``survivor`` (e.g. a dropped party's action items), then delete it.

    Without a survivor, rows that point at ``row`` follow its foreign keys' ``on_delete``."""
    if survivor is not None:
        reassign_references(survivor, row)
    type(row)._default_manager.filter(pk=row.pk).delete()


def count_references(obj: models.Model) -> list[tuple[str, int]]:
    """How many rows of each kind point at ``obj`` (what a merge would move), for a confirmation page."""
    counts: Counter = Counter()
    for pointer in pointers_to(type(obj)):
        found = pointer.model._default_manager.filter(**pointer.filter_for(obj)).count()
        if found and not pointer.model._meta.auto_created:
            counts[str(pointer.model._meta.verbose_name_plural)] += found
    return sorted(counts.items())
