"""Registry use cases. Pages, the API, the CLI and tasks all write through these functions.

Each function runs in one transaction, checks the actor's permission first (``PermissionDenied``),
validates with the model's ``full_clean`` (``ValidationError`` with field errors), writes, and records
an audit entry with the field-level changes (``registry.<model>.<verb>``). The caller has already
checked that the actor may *see* the objects it passes (pages and the API answer 404 otherwise).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dari.accounts.audit import Actor, diff, log_action, snapshot
from dari.accounts.models import AuditEntry
from dari.core.merging import reassign_references
from dari.notifications.services import notify

from .models import Affiliation, Organization, Person, Relationship
from .permissions import (
    can_change_affiliation,
    can_change_organization,
    can_change_person,
    can_change_relationship,
    can_confirm_affiliation,
    can_create_organization,
    can_create_person,
    can_decide_listing,
    can_merge_organizations,
    can_remove_affiliation,
    can_set_public_role,
)

#: Notice to a person (their linked account) that an organization claims an affiliation with them.
AFFILIATION_REQUESTED = "registry.affiliation_requested"
#: The audit action of such a claim; an actor makes at most ``CLAIMS_PER_DAY`` in 24 hours.
CLAIM_ACTION = "registry.affiliation.requested"
CLAIMS_PER_DAY = 10

ORGANIZATION_FIELDS = [
    "key",
    "kind",
    "name_ko",
    "name_ko_origin",
    "name_en",
    "name_en_origin",
    "short_name_ko",
    "short_name_en",
    "description_ko",
    "description_en",
    "cluster",
    "sectors",
    "website",
    "country",
    "city_ko",
    "city_en",
    "is_public",
]
# The natural key stays fixed after creation: imports and the scenario find the organization by it.
ORGANIZATION_EDITABLE_FIELDS = [name for name in ORGANIZATION_FIELDS if name != "key"]
PERSON_FIELDS = [
    "key",
    "name_ko",
    "name_ko_origin",
    "name_en",
    "name_en_origin",
    "email",
    "is_public",
    "public_listing_basis",
]
# Written by the services themselves when the basis becomes, or stops being, consent.
CONSENT_FIELDS = ["listing_consent_at", "listing_consent_recorded_by"]
PERSON_EDITABLE_FIELDS = [name for name in PERSON_FIELDS if name != "key"]
AFFILIATION_FIELDS = [
    "person",
    "organization",
    "title_ko",
    "title_en",
    "started_on",
    "ended_on",
    "confirmed_at",
    "confirmed_by",
]
AFFILIATION_EDITABLE_FIELDS = ["title_ko", "title_en", "started_on", "ended_on"]
RELATIONSHIP_FIELDS = ["subject", "kind", "object", "started_on", "ended_on", "note_ko", "note_en"]
RELATIONSHIP_VALUE_FIELDS = ["started_on", "ended_on", "note_ko", "note_en"]


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def only(values: dict, allowed: list[str]) -> dict:
    unknown = set(values) - set(allowed)
    if unknown:
        raise TypeError(f"Fields that cannot be set here: {', '.join(sorted(unknown))}")
    return dict(values)


def unique_key(model, *candidates: str, fallback: str) -> str:
    """A free natural key made from the first candidate that slugifies to something (names in Hangul
    do not), numbered when taken: ``acme``, ``acme-2``, ..."""
    base = next((slugify(text) for text in candidates if slugify(text or "")), fallback)[:90]
    key, number = base, 1
    while model.objects.filter(key=key).exists():
        number += 1
        key = f"{base}-{number}"
    return key


def created_changes(obj, fields: list[str]) -> dict:
    """The fields of a new object that differ from a blank one, as ``{field: [None, value]}``."""
    blank = snapshot(type(obj)(), fields)
    return {name: [None, value] for name, value in snapshot(obj, fields).items() if value != blank[name]}


def deleted_changes(obj, fields: list[str]) -> dict:
    """What a deleted object held, as ``{field: [value, None]}``, empty fields left out."""
    return {
        name: [value, None] for name, value in snapshot(obj, fields).items() if value not in ("", None, [])
    }


# --- organizations ---------------------------------------------------------------------------------


@transaction.atomic
def create_organization(actor: Actor, values: dict) -> Organization:
    """Register an organization. ``values``: fields of ``ORGANIZATION_FIELDS`` (``sectors`` a list of
    sectors; ``key`` made from the English name when missing). Audit: registry.organization.created."""
    require(can_create_organization(actor.user), _("You may not add organizations."))
    values = only(values, ORGANIZATION_FIELDS)
    sectors = values.pop("sectors", [])
    if not values.get("key"):
        values["key"] = unique_key(
            Organization, values.get("name_en", ""), values.get("short_name_en", ""), fallback="organization"
        )
    organization = Organization(**values)
    organization.full_clean()
    organization.save()
    organization.sectors.set(sectors)
    log_action(
        actor,
        "registry.organization.created",
        organization,
        created_changes(organization, ORGANIZATION_FIELDS),
    )
    return organization


@transaction.atomic
def update_organization(actor: Actor, organization: Organization, values: dict) -> Organization:
    """Change an organization's profile (``ORGANIZATION_EDITABLE_FIELDS``, sectors included); returns
    the saved organization. Audit: registry.organization.changed with the changed fields, if any."""
    require(can_change_organization(actor.user, organization), _("You may not edit this organization."))
    values = only(values, ORGANIZATION_EDITABLE_FIELDS)
    # Read the row again under a lock: the snapshot must be what is stored, not what a form changed.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(organization, ORGANIZATION_FIELDS)
    sectors = values.pop("sectors", None)
    for name, value in values.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    if sectors is not None:
        organization.sectors.set(sectors)
    changes = diff(before, snapshot(organization, ORGANIZATION_FIELDS))
    if changes:
        log_action(actor, "registry.organization.changed", organization, changes)
    return organization


# Fields a merge copies from the duplicate when the kept organization has them empty; a name brings
# its origin mark along.
FILLABLE_FIELDS = [
    name for name in ORGANIZATION_EDITABLE_FIELDS if name not in {"kind", "is_public", "sectors"}
] + ["description_source", "source"]
COMPANION_FIELDS = {"name_ko": "name_ko_origin", "name_en": "name_en_origin"}
MERGE_AUDIT_FIELDS = ORGANIZATION_FIELDS + ["description_source", "source"]


@transaction.atomic
def merge_organizations(actor: Actor, keep: Organization, duplicate: Organization) -> Organization:
    """Fold ``duplicate`` into ``keep`` and delete ``duplicate``.

    Every row of any app that points at the duplicate (agreement parties, program roles and
    participants, outcomes as startup or counterparty, affiliations, relationships, sectors, scoped
    memberships, ...) is moved to ``keep``; a row ``keep`` already has (both party to one agreement)
    is merged into that row, a relationship between the two is dropped. Empty fields of ``keep`` are
    filled from ``duplicate``. Audit: registry.organization.merged on both, listing what moved.
    The duplicate's own history stays in the audit log under its old id.
    """
    require(can_merge_organizations(actor.user), _("You may not merge organizations."))
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("Choose another organization than the one kept.")})
    keep = Organization.objects.select_for_update().get(pk=keep.pk)
    duplicate = Organization.objects.select_for_update().get(pk=duplicate.pk)
    before = snapshot(keep, MERGE_AUDIT_FIELDS)
    duplicate_label = f"{duplicate} (#{duplicate.pk}, {duplicate.key})"

    for name in FILLABLE_FIELDS:
        field = Organization._meta.get_field(name)
        if getattr(keep, field.attname) in ("", None) and getattr(duplicate, field.attname) not in ("", None):
            setattr(keep, field.attname, getattr(duplicate, field.attname))
            if name in COMPANION_FIELDS:
                setattr(keep, COMPANION_FIELDS[name], getattr(duplicate, COMPANION_FIELDS[name]))
    keep.full_clean()
    keep.save()

    moved = reassign_references(keep, duplicate)
    log_action(
        actor,
        "registry.organization.merged",
        duplicate,
        {"merged_into": [None, f"{keep} (#{keep.pk}, {keep.key})"]},
    )
    duplicate.delete()
    changes = diff(before, snapshot(keep, MERGE_AUDIT_FIELDS))
    changes["merged_from"] = [None, duplicate_label]
    changes["moved"] = [None, dict(sorted(moved.items()))]
    log_action(actor, "registry.organization.merged", keep, changes)
    return keep


# --- people ----------------------------------------------------------------------------------------


@transaction.atomic
def create_person(
    actor: Actor,
    values: dict,
    organization: Organization | None = None,
    title_ko: str = "",
    title_en: str = "",
) -> Person:
    """Add a person (``PERSON_FIELDS``), affiliated with ``organization`` when given (members of an
    organization add people only to it). Audit: registry.person.created, and
    registry.affiliation.created for the affiliation."""
    require(can_create_person(actor.user, organization), _("You may not add people here."))
    values = only(values, PERSON_FIELDS)
    if not values.get("key"):
        values["key"] = unique_key(Person, values.get("name_en", ""), fallback="person")
    person = Person(**values)
    require_public_role_right(actor, "", person.public_listing_basis)
    stamp_consent(actor, person, previous_basis="")
    person.full_clean()
    person.save()
    log_action(
        actor, "registry.person.created", person, created_changes(person, PERSON_FIELDS + CONSENT_FIELDS)
    )
    if organization is not None:
        # The organization made this record: its affiliation is no claim on someone else's person.
        affiliation = Affiliation(
            person=person,
            organization=organization,
            title_ko=title_ko,
            title_en=title_en,
            confirmed_at=timezone.now(),
            confirmed_by=actor.user,
        )
        affiliation.full_clean()
        affiliation.save()
        log_action(
            actor,
            "registry.affiliation.created",
            affiliation,
            created_changes(affiliation, AFFILIATION_FIELDS),
        )
    return person


@transaction.atomic
def update_person(actor: Actor, person: Person, values: dict) -> Person:
    """Change a person's names, e-mail or visibility. Audit: registry.person.changed."""
    require(can_change_person(actor.user, person), _("You may not edit this person."))
    values = only(values, PERSON_EDITABLE_FIELDS)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS + CONSENT_FIELDS)
    for name, value in values.items():
        setattr(person, name, value)
    require_public_role_right(actor, before["public_listing_basis"], person.public_listing_basis)
    stamp_consent(actor, person, previous_basis=before["public_listing_basis"])
    person.full_clean()
    person.save()
    changes = diff(before, snapshot(person, PERSON_FIELDS + CONSENT_FIELDS))
    if changes:
        log_action(actor, "registry.person.changed", person, changes)
    return person


def require_public_role_right(actor: Actor, previous_basis: str, basis: str) -> None:
    """Only staff move a person's basis to or from a public role (``can_set_public_role``)."""
    changed = previous_basis != basis and Person.ListingBasis.PUBLIC_ROLE in (previous_basis, basis)
    if changed and not can_set_public_role(actor.user):
        raise ValidationError(
            {
                "public_listing_basis": _(
                    "Only partnership staff may record, or remove, that a public source names someone "
                    "in an official role."
                )
            }
        )


def stamp_consent(actor: Actor, person: Person, previous_basis: str) -> None:
    """An editor who sets the basis to consent records a consent received (by mail, on paper): note
    when and by whom. A basis that stops being consent forgets the consent's date."""
    basis = person.public_listing_basis
    if basis == Person.ListingBasis.CONSENT and previous_basis != Person.ListingBasis.CONSENT:
        person.listing_consent_at = timezone.now()
        person.listing_consent_recorded_by = actor.user
    elif basis != Person.ListingBasis.CONSENT and previous_basis == Person.ListingBasis.CONSENT:
        person.listing_consent_at = None
        person.listing_consent_recorded_by = None


# --- consent to the public listing (PIPA, GDPR) ------------------------------------------------------


@transaction.atomic
def record_listing_consent(actor: Actor, person: Person) -> Person:
    """``person`` consents to being listed publicly: the consent's time and recorder are stored, the
    basis becomes consent (a public role, which needs no consent, stays the basis) and the profile
    becomes public. Audit: registry.person.listing_consent_given. Raises ``PermissionDenied``."""
    require(can_decide_listing(actor.user, person), _("You may not decide on this listing."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS + CONSENT_FIELDS)
    person.listing_consent_at = timezone.now()
    person.listing_consent_recorded_by = actor.user
    if not person.public_listing_basis:
        person.public_listing_basis = Person.ListingBasis.CONSENT
    person.is_public = True
    person.full_clean()
    person.save()
    log_action(
        actor,
        "registry.person.listing_consent_given",
        person,
        diff(before, snapshot(person, PERSON_FIELDS + CONSENT_FIELDS)),
    )
    return person


@transaction.atomic
def withdraw_listing_consent(actor: Actor, person: Person) -> Person:
    """``person`` withdraws their consent. When consent was the basis, the profile is hidden at once;
    a person named in a public source in an official role stays listed, since that basis does not
    rest on consent. Audit: registry.person.listing_consent_withdrawn. Raises ``PermissionDenied``."""
    require(can_decide_listing(actor.user, person), _("You may not decide on this listing."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS + CONSENT_FIELDS)
    person.listing_consent_at = None
    person.listing_consent_recorded_by = None
    if person.public_listing_basis != Person.ListingBasis.PUBLIC_ROLE:
        person.public_listing_basis = ""
        person.is_public = False
    person.full_clean()
    person.save()
    log_action(
        actor,
        "registry.person.listing_consent_withdrawn",
        person,
        diff(before, snapshot(person, PERSON_FIELDS + CONSENT_FIELDS)),
    )
    return person


# --- affiliations ----------------------------------------------------------------------------------


@transaction.atomic
def add_affiliation(actor: Actor, person: Person, organization: Organization, values: dict) -> Affiliation:
    """Record that ``person`` holds a position at ``organization`` (``AFFILIATION_EDITABLE_FIELDS``).

    The organization's members may say who works there, but not take over someone's record: unless
    the actor has the right over the person (``can_change_person``: the person themself, staff, an
    administrator of an organization already confirmed as theirs), the affiliation is unconfirmed, a
    request that the person or staff confirms (``confirm_affiliation``), and grants the organization
    nothing over the person until then. The person's account, if any, is notified of the request.
    A request is refused while one from the same organization awaits the person, and beyond
    ``CLAIMS_PER_DAY`` a day per actor (each one e-mails the person).
    Audit: registry.affiliation.created (confirmed at once) or registry.affiliation.requested."""
    affiliation = Affiliation(
        person=person, organization=organization, **only(values, AFFILIATION_EDITABLE_FIELDS)
    )
    require(
        can_change_affiliation(actor.user, affiliation), _("You may not add people to this organization.")
    )
    if can_change_person(actor.user, person):
        affiliation.confirmed_at = timezone.now()
        affiliation.confirmed_by = actor.user
    else:
        check_claim_limits(actor, person, organization)
    affiliation.full_clean()
    affiliation.save()
    action = "registry.affiliation.created" if affiliation.is_confirmed else CLAIM_ACTION
    log_action(actor, action, affiliation, created_changes(affiliation, AFFILIATION_FIELDS))
    if not affiliation.is_confirmed:
        notify_claim(actor, affiliation)
    return affiliation


def check_claim_limits(actor: Actor, person: Person, organization: Organization) -> None:
    awaiting = Affiliation.objects.filter(person=person, organization=organization, confirmed_at__isnull=True)
    if awaiting.exists():
        raise ValidationError(
            {"person": _("This person already has a request from this organization to confirm.")}
        )
    since = timezone.now() - timedelta(days=1)
    made = AuditEntry.objects.filter(actor=actor.user, action=CLAIM_ACTION, created_at__gte=since).count()
    if made >= CLAIMS_PER_DAY:
        message = ngettext(
            "You have asked %(limit)d person to confirm an affiliation in the last 24 hours, the most "
            "allowed. Try again later.",
            "You have asked %(limit)d people to confirm an affiliation in the last 24 hours, the most "
            "allowed. Try again later.",
            CLAIMS_PER_DAY,
        )
        raise ValidationError({"person": message % {"limit": CLAIMS_PER_DAY}})


def notify_claim(actor: Actor, affiliation: Affiliation) -> None:
    person = affiliation.person
    if person.user is not None and person.user != actor.user:
        notify(person.user, AFFILIATION_REQUESTED, subject_object=affiliation, link=person.get_absolute_url())


@transaction.atomic
def confirm_affiliation(actor: Actor, affiliation: Affiliation) -> Affiliation:
    """The person themself or staff confirm that ``affiliation`` is true; from then on it counts
    for the organization (its administrators may keep the person's record, its members see them).
    Confirming a confirmed one changes nothing. Audit: registry.affiliation.confirmed."""
    require(can_confirm_affiliation(actor.user, affiliation), _("You may not confirm this affiliation."))
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if affiliation.is_confirmed:
        return affiliation
    affiliation.confirmed_at = timezone.now()
    affiliation.confirmed_by = actor.user
    affiliation.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    log_action(
        actor,
        "registry.affiliation.confirmed",
        affiliation,
        {"confirmed_at": [None, affiliation.confirmed_at.isoformat()], "confirmed_by": [None, actor.user.pk]},
    )
    return affiliation


@transaction.atomic
def update_affiliation(actor: Actor, affiliation: Affiliation, values: dict) -> Affiliation:
    """Change an affiliation's title or dates. Audit: registry.affiliation.changed."""
    require(can_change_affiliation(actor.user, affiliation), _("You may not edit this affiliation."))
    values = only(values, AFFILIATION_EDITABLE_FIELDS)
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    before = snapshot(affiliation, AFFILIATION_FIELDS)
    for name, value in values.items():
        setattr(affiliation, name, value)
    # The person confirmed what it said, not what it says now: a change by someone without the
    # right over the person makes it a request again.
    reopened = (
        affiliation.is_confirmed
        and diff(before, snapshot(affiliation, AFFILIATION_FIELDS))
        and not can_change_person(actor.user, affiliation.person)
    )
    if reopened:
        affiliation.confirmed_at = affiliation.confirmed_by = None
    affiliation.full_clean()
    affiliation.save()
    changes = diff(before, snapshot(affiliation, AFFILIATION_FIELDS))
    if changes:
        log_action(actor, "registry.affiliation.changed", affiliation, changes)
    if reopened:
        notify_claim(actor, affiliation)
    return affiliation


@transaction.atomic
def remove_affiliation(actor: Actor, affiliation: Affiliation) -> None:
    """Delete an affiliation (its organization's members, staff, or the person turning a claim on
    them down). Audit: registry.affiliation.deleted with what it held."""
    require(can_remove_affiliation(actor.user, affiliation), _("You may not edit this affiliation."))
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)  # log what is stored
    log_action(
        actor,
        "registry.affiliation.deleted",
        affiliation,
        deleted_changes(affiliation, AFFILIATION_FIELDS),
    )
    affiliation.delete()


# --- relationships ---------------------------------------------------------------------------------


@transaction.atomic
def add_relationship(
    actor: Actor, subject: Organization, kind: str, object: Organization, values: dict | None = None
) -> Relationship:
    """Record that ``subject`` <kind> ``object`` (invests in, partners with, ...), with optional dates
    and notes. Audit: registry.relationship.created."""
    relationship = Relationship(
        subject=subject, kind=kind, object=object, **only(values or {}, RELATIONSHIP_VALUE_FIELDS)
    )
    require(
        can_change_relationship(actor.user, relationship),
        _("You may not record relationships of these organizations."),
    )
    relationship.full_clean()
    relationship.save()
    log_action(
        actor,
        "registry.relationship.created",
        relationship,
        created_changes(relationship, RELATIONSHIP_FIELDS),
    )
    return relationship


@transaction.atomic
def remove_relationship(actor: Actor, relationship: Relationship) -> None:
    """Delete a relationship. Audit: registry.relationship.deleted with what it held."""
    require(can_change_relationship(actor.user, relationship), _("You may not edit this relationship."))
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)  # log what is stored
    log_action(
        actor,
        "registry.relationship.deleted",
        relationship,
        deleted_changes(relationship, RELATIONSHIP_FIELDS),
    )
    relationship.delete()
