"""An object's change history as one viewer may see it: the entries, fields, related objects and
actors that the object's own pages and API would show that viewer, and nothing more.

Deny by default. Each app registers, per model and per action prefix, a rule saying whether a viewer
sees an entry and which of its fields are hidden (``register(Organization, "matching.profile.",
rule)``), reading the same permission predicates its pages and API read; an action without a rule
is shown to staff only. Fields holding ids of related objects are named with a resolver
(``references``) that shows only the objects the viewer may see. Who made a change is shown by
username to staff, to the viewer themself and to the object's insiders (``register_insiders``:
those who may change it); others read "a member of <organization>", "partnership staff" or
"someone". The object's own confidential fields (``dari.core.redaction``) are redacted in every
entry. The caller has already checked that the viewer may see the object itself.

Each entry reads as a sentence in the UI language: the verb its app registered for the action
(``register_verbs``, from the app's ``history_rules``), and, for a change, the fields changed by
their verbose names: "Organization changed: description (Korean)" / "기관 정보 변경: 설명(한국어)".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from dari.core import redaction

from .access import ORGANIZATION_ROLES, access_for
from .models import AuditEntry, Membership, Role, User
from .services.personal_data import DELETED_ACTOR_LABEL

REDACTED = "•••"
# What a rule returns: the names of the fields hidden from the viewer, or None to leave the entry out.
SHOWN: frozenset[str] = frozenset()
LEFT_OUT = None
# The label ``Actor.system()`` records.
SYSTEM_LABEL = "system"
# Entries read per query while collecting ``limit`` entries the viewer may see; at most
# ``SCAN_FACTOR`` times ``limit`` are read, so a flood of hidden entries cannot make a page slow.
SCAN_FACTOR = 10


class Viewer:
    """One viewer of one object's history: what the rules ask, computed once per history."""

    def __init__(self, user, obj, insiders: Callable | None):
        self.user = user
        self.obj = obj
        self.access = access_for(user)
        self._insiders = insiders
        self._computed: dict[str, object] = {}

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.access.is_authenticated else None

    @property
    def sees_everything(self) -> bool:
        return self.access.sees_everything

    @cached_property
    def is_insider(self) -> bool:
        """Staff, and those the object's app names as its insiders (those who may change it)."""
        if self.access.sees_everything:
            return True
        return bool(self.access.is_authenticated and self._insiders and self._insiders(self.user, self.obj))

    def made(self, entry: AuditEntry) -> bool:
        """Whether the viewer made the change recorded by ``entry``."""
        return self.user_id is not None and entry.actor_id == self.user_id

    def once(self, key: str, compute: Callable[[], object]):
        """``compute()``, run at most once per history (a rule's query for all its entries)."""
        if key not in self._computed:
            self._computed[key] = compute()
        return self._computed[key]


EntryRule = Callable[[Viewer, AuditEntry], Iterable[str] | None]
# Names the related objects of the given ids that the viewer may see: {id: label}; others are redacted.
Resolver = Callable[[Viewer, set[int]], dict[int, object]]


@dataclass(frozen=True)
class Registration:
    prefix: str
    rule: EntryRule
    references: dict[str, Resolver] = field(default_factory=dict)
    labels: type | None = None  # the model whose verbose names label the fields (default: the object's)


@dataclass(frozen=True)
class Insiders:
    may_change: Callable[[object, object], bool]
    organizations: Callable[[Viewer], Iterable] | None = None


_registrations: dict[type, list[Registration]] = {}
_insiders: dict[type, Insiders] = {}
_verbs: dict[str, object] = {}


def register(
    model: type,
    prefix: str,
    rule: EntryRule,
    references: dict[str, Resolver] | None = None,
    labels: type | None = None,
) -> None:
    """Show the entries of ``model`` objects whose action starts with ``prefix`` as ``rule`` says.
    The longest matching prefix wins. ``references``: fields holding ids of related objects, each
    with its resolver. ``labels``: the model whose fields the entries record, if not ``model``."""
    found = [item for item in _registrations.get(model, []) if item.prefix != prefix]
    found.append(Registration(prefix, rule, references or {}, labels))
    found.sort(key=lambda item: len(item.prefix), reverse=True)
    _registrations[model] = found


def register_insiders(model: type, may_change, organizations=None) -> None:
    """Who, besides staff, sees the usernames in ``model`` objects' histories: ``may_change(user,
    obj)``. ``organizations(viewer)``: the organizations of the object the viewer may see; an actor
    who belongs to one is shown to others as "a member of" it."""
    _insiders[model] = Insiders(may_change, organizations)


def register_verbs(verbs: dict[str, object]) -> None:
    """How each action reads, e.g. ``{"registry.organization.changed": gettext_lazy("Organization
    changed")}``; each app registers its own from its ``history_rules``. See ``sentence``."""
    _verbs.update(verbs)


def sentence(action: str, labels: list[str]) -> str:
    """An entry as a sentence in the active language: its verb, and for a change (an action ending
    in ``.changed``) the ``labels`` of the fields it changed. An action no app named reads as a
    change recorded, never as its dotted key."""
    verb = _verbs.get(action)
    if verb is None:
        return _("Change recorded")
    if action.endswith(".changed") and labels:
        return _("%(verb)s: %(fields)s") % {"verb": verb, "fields": ", ".join(labels)}
    return str(verb)


def staff_only(viewer: Viewer, entry: AuditEntry):
    """The rule of an action no app registered a rule for."""
    return SHOWN if viewer.sees_everything else LEFT_OUT


def page_fields(fields: Iterable[str]) -> EntryRule:
    """A rule for entries that record an object's own fields: ``fields`` (those its page and API show
    to whoever sees it) to everyone who sees the object; anything else an entry records, to insiders."""
    public = frozenset(fields)

    def rule(viewer: Viewer, entry: AuditEntry):
        if viewer.is_insider:
            return SHOWN
        return {name for name in entry.changes if name not in public}

    return rule


def visible_names(visible: Callable) -> Resolver:
    """A resolver naming the objects of ``visible(user)`` (a queryset of what the user may see)."""

    def resolve(viewer: Viewer, ids: set[int]) -> dict[int, object]:
        return {row.pk: str(row) for row in visible(viewer.user).filter(pk__in=ids)}

    return resolve


def usernames(viewer: Viewer, ids: set[int]) -> dict[int, object]:
    """A resolver for fields holding user ids: usernames follow the same rule as the actor's."""
    if not viewer.is_insider:
        ids = {pk for pk in ids if pk == viewer.user_id}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryEntry:
    entry: AuditEntry
    actor: str
    changes: list[FieldChange]

    @property
    def summary(self) -> str:
        """The entry as a sentence (``sentence``), in the language active when it is read."""
        return sentence(self.entry.action, [change.label for change in self.changes])


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the entry was written keeps its raw name
        return name


def registration_for(model: type, action: str) -> Registration:
    for registration in _registrations.get(model, []):
        if action.startswith(registration.prefix):
            return registration
    return Registration("", staff_only)


def history_for(user, obj, limit: int = 100) -> list[HistoryEntry]:
    """The newest ``limit`` audit entries of ``obj`` that ``user`` may see, each with the fields,
    related objects and actor that ``user`` may see; the rest reads ``REDACTED``."""
    model = type(obj)
    insiders = _insiders.get(model)
    viewer = Viewer(user, obj, insiders.may_change if insiders else None)
    always_hidden = redaction.hidden_fields(user, obj)
    shown: list[tuple[AuditEntry, Registration, set[str]]] = []
    for entry in entries_of(obj, limit):
        registration = registration_for(model, entry.action)
        hidden = registration.rule(viewer, entry)
        if hidden is not LEFT_OUT:
            shown.append((entry, registration, set(hidden) | always_hidden))
            if len(shown) == limit:
                break
    names = resolve_references(viewer, shown)
    actors = actor_labels(viewer, insiders, [entry for entry, _registration, _hidden in shown])
    history = []
    for entry, registration, hidden in shown:
        changes = []
        for name, values in sorted(entry.changes.items()):
            old, new = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            if name in hidden:
                old, new = REDACTED, REDACTED
            elif name in registration.references:
                old, new = named(old, names[name]), named(new, names[name])
            label = field_label(registration.labels or model, name)
            changes.append(FieldChange(name, label, old, new))
        history.append(HistoryEntry(entry, actors[entry.pk], changes))
    return history


def entries_of(obj, limit: int):
    """``obj``'s entries, newest first, read ``limit`` at a time (at most ``SCAN_FACTOR`` times)."""
    entries = AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
    ).order_by("-created_at", "-pk")
    for start in range(0, limit * SCAN_FACTOR, limit):
        batch = list(entries[start : start + limit])
        yield from batch
        if len(batch) < limit:
            return


def ids_in(value) -> set[int]:
    if isinstance(value, list):
        return {item for item in value if isinstance(item, int)}
    return {value} if isinstance(value, int) else set()


def resolve_references(viewer: Viewer, shown) -> dict[str, dict[int, object]]:
    """{field: {id: label}} for every reference field of the shown entries, one query per field."""
    wanted: dict[str, tuple[Resolver, set[int]]] = {}
    for entry, registration, hidden in shown:
        for name, resolver in registration.references.items():
            if name in entry.changes and name not in hidden:
                values = entry.changes[name]
                ids = set().union(*map(ids_in, values)) if isinstance(values, list) else ids_in(values)
                wanted.setdefault(name, (resolver, set()))[1].update(ids)
    return {name: resolver(viewer, ids) if ids else {} for name, (resolver, ids) in wanted.items()}


def named(value, names: dict[int, object]):
    if value is None:
        return None
    if isinstance(value, list):
        return [names.get(item, REDACTED) for item in value]
    return names.get(value, REDACTED)


def actor_labels(viewer: Viewer, insiders: Insiders | None, entries: list[AuditEntry]) -> dict[int, str]:
    """{entry id: who made the change, as the viewer may see it}."""
    labels = {}
    hidden_actor_ids = set()
    for entry in entries:
        if viewer.is_insider or viewer.made(entry):
            labels[entry.pk] = entry.actor_label
        elif entry.actor_id is None:
            labels[entry.pk] = _("system") if entry.actor_label == SYSTEM_LABEL else _("someone")
        elif entry.actor_label == DELETED_ACTOR_LABEL:
            labels[entry.pk] = _("deleted user")
        else:
            hidden_actor_ids.add(entry.actor_id)
    if not hidden_actor_ids:
        return labels
    organizations = list(insiders.organizations(viewer)) if insiders and insiders.organizations else []
    staff, member_of = actor_affiliations(hidden_actor_ids, organizations)
    for entry in entries:
        if entry.pk in labels:
            continue
        if entry.actor_id in staff:
            labels[entry.pk] = _("partnership staff")
        elif entry.actor_id in member_of:
            labels[entry.pk] = _("a member of %(organization)s") % {"organization": member_of[entry.actor_id]}
        else:
            labels[entry.pk] = _("someone")
    return labels


def actor_affiliations(actor_ids: set[int], organizations: list) -> tuple[set[int], dict[int, object]]:
    """The actors among ``actor_ids`` who are staff, and {actor id: one of ``organizations`` they
    belong to}; two queries, whatever the number of entries."""
    staff = set(
        User.objects.filter(pk__in=actor_ids)
        .filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(memberships__role=Role.STAFF, memberships__scope_id__isnull=True)
        )
        .values_list("pk", flat=True)
    )
    member_of = {}
    if organizations:
        by_pk = {organization.pk: organization for organization in organizations}
        rows = Membership.objects.filter(
            user_id__in=actor_ids - staff,
            role__in=ORGANIZATION_ROLES,
            scope_type=ContentType.objects.get_for_model(organizations[0]),
            scope_id__in=list(by_pk),
        ).values_list("user_id", "scope_id")
        for user_id, scope_id in sorted(rows):
            member_of.setdefault(user_id, by_pk[scope_id])
    return staff, member_of
