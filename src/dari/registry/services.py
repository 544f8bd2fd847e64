"""Registry use cases. Pages, the API, the CLI and tasks all write through these functions.

Each function runs in one transaction, checks the actor's permission first (``PermissionDenied``),
validates with the model's ``full_clean`` (``ValidationError`` with field errors), writes, and records
an audit entry with the field-level changes (``registry.<model>.<verb>``). The caller has already
checked that the actor may *see* the objects it passes (pages and the API answer 404 otherwise).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dari.accounts import audit
from dari.accounts.audit import Actor, created_changes, diff, log_action, snapshot
from dari.accounts.models import AuditEntry
from dari.core.merging import reassign_references
from dari.core.services import Fields, lock, only, require, unique_key
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

ORGANIZATION = Fields(
    creatable=(
        "key",
        "kind",
        "name_ko",
        "name_ko_origin",
        "name_en",
        "name_en_origin",
        "short_name_ko",
        "short_name_en",
        "aliases",
        "description_ko",
        "description_en",
        "cluster",
        "sectors",
        "website",
        "country",
        "city_ko",
        "city_en",
        "is_public",
    ),
    # The natural key stays fixed after creation: imports and the scenario find the organization by it.
)
PERSON = Fields(
    creatable=(
        "key",
        "name_ko",
        "name_ko_origin",
        "name_en",
        "name_en_origin",
        "email",
        "is_public",
        "public_listing_basis",
    ),
    # Written by the services themselves when the basis becomes, or stops being, consent.
    also_audited=("listing_consent_at", "listing_consent_recorded_by"),
)
AFFILIATION = Fields(
    creatable=("title_ko", "title_en", "started_on", "ended_on"),
    also_audited=("person", "organization", "confirmed_at", "confirmed_by"),
)
RELATIONSHIP = Fields(
    creatable=("started_on", "ended_on", "note_ko", "note_en"),
    also_audited=("subject", "kind", "object"),
)


# --- organizations ---------------------------------------------------------------------------------


@transaction.atomic
def create_organization(actor: Actor, values: dict) -> Organization:
    """Register an organization. ``values``: fields of ``ORGANIZATION.creatable`` (``sectors`` a list of
    sectors; ``key`` made from the English name when missing). Audit: registry.organization.created."""
    require(can_create_organization(actor.user), _("You may not add organizations."))
    values = dict(values)
    if not values.get("key"):
        values["key"] = unique_key(
            Organization, values.get("name_en", ""), values.get("short_name_en", ""), fallback="organization"
        )
    return audit.create(actor, Organization(), values, ORGANIZATION, "registry.organization.created")


@transaction.atomic
def update_organization(
    actor: Actor, organization: Organization, values: dict, *, version: int | None = None
) -> Organization:
    """Change an organization's profile (``ORGANIZATION.changeable``, sectors included) from the
    ``version`` the editor saw (``Conflict`` if someone saved since); returns the saved organization.
    Audit: registry.organization.changed with the changed fields, if any."""
    require(can_change_organization(actor.user, organization), _("You may not edit this organization."))
    return audit.update(
        actor, organization, values, ORGANIZATION, "registry.organization.changed", version=version
    )


# Fields a merge copies from the duplicate when the kept organization has them empty; a name brings
# its origin mark along.
FILLABLE_FIELDS = [
    name for name in ORGANIZATION.changeable if name not in {"kind", "is_public", "sectors"}
] + ["description_source", "source"]
COMPANION_FIELDS = {"name_ko": "name_ko_origin", "name_en": "name_en_origin"}
MERGE_AUDIT_FIELDS = ORGANIZATION.audited + ["description_source", "source"]


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
    keep = lock(keep)
    duplicate = lock(duplicate)
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
    """Add a person (``PERSON.creatable``), affiliated with ``organization`` when given (members of an
    organization add people only to it). Audit: registry.person.created, and
    registry.affiliation.created for the affiliation."""
    require(can_create_person(actor.user, organization), _("You may not add people here."))
    values = only(values, PERSON.creatable)
    if not values.get("key"):
        values["key"] = unique_key(Person, values.get("name_en", ""), fallback="person")
    person = Person(**values)
    require_public_role_right(actor, "", person.public_listing_basis)
    stamp_consent(actor, person, previous_basis="")
    person.full_clean()
    person.save()
    log_action(actor, "registry.person.created", person, created_changes(person, PERSON.audited))
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
            created_changes(affiliation, AFFILIATION.audited),
        )
    return person


@transaction.atomic
def update_person(actor: Actor, person: Person, values: dict, *, version: int | None = None) -> Person:
    """Change a person's names, e-mail or visibility from the ``version`` the editor saw.
    Audit: registry.person.changed."""
    require(can_change_person(actor.user, person), _("You may not edit this person."))

    def listing_rules(person: Person, before: dict) -> None:
        require_public_role_right(actor, before["public_listing_basis"], person.public_listing_basis)
        stamp_consent(actor, person, previous_basis=before["public_listing_basis"])

    return audit.update(
        actor, person, values, PERSON, "registry.person.changed", version=version, prepare=listing_rules
    )


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

    def consent(person: Person, before: dict) -> None:
        person.listing_consent_at = timezone.now()
        person.listing_consent_recorded_by = actor.user
        if not person.public_listing_basis:
            person.public_listing_basis = Person.ListingBasis.CONSENT
        person.is_public = True

    return audit.update(actor, person, {}, PERSON, "registry.person.listing_consent_given", prepare=consent)


@transaction.atomic
def withdraw_listing_consent(actor: Actor, person: Person) -> Person:
    """``person`` withdraws their consent. When consent was the basis, the profile is hidden at once;
    a person named in a public source in an official role stays listed, since that basis does not
    rest on consent. Audit: registry.person.listing_consent_withdrawn. Raises ``PermissionDenied``."""
    require(can_decide_listing(actor.user, person), _("You may not decide on this listing."))

    def withdraw(person: Person, before: dict) -> None:
        person.listing_consent_at = None
        person.listing_consent_recorded_by = None
        if person.public_listing_basis != Person.ListingBasis.PUBLIC_ROLE:
            person.public_listing_basis = ""
            person.is_public = False

    return audit.update(
        actor, person, {}, PERSON, "registry.person.listing_consent_withdrawn", prepare=withdraw
    )


# --- affiliations ----------------------------------------------------------------------------------


@transaction.atomic
def add_affiliation(actor: Actor, person: Person, organization: Organization, values: dict) -> Affiliation:
    """Record that ``person`` holds a position at ``organization`` (``AFFILIATION.creatable``).

    The organization's members may say who works there, but not take over someone's record: unless
    the actor has the right over the person (``can_change_person``: the person themself, staff, an
    administrator of an organization already confirmed as theirs), the affiliation is unconfirmed, a
    request that the person or staff confirms (``confirm_affiliation``), and grants the organization
    nothing over the person until then. The person's account, if any, is notified of the request.
    A request is refused while one from the same organization awaits the person, and beyond
    ``CLAIMS_PER_DAY`` a day per actor (each one e-mails the person).
    Audit: registry.affiliation.created (confirmed at once) or registry.affiliation.requested."""
    affiliation = Affiliation(person=person, organization=organization, **only(values, AFFILIATION.creatable))
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
    log_action(actor, action, affiliation, created_changes(affiliation, AFFILIATION.audited))
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
    affiliation = lock(affiliation)
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
    reopened = False

    def reopen_claim(affiliation: Affiliation, before: dict) -> None:
        # The person confirmed what it said, not what it says now: a change by someone without the
        # right over the person makes it a request again.
        nonlocal reopened
        reopened = bool(
            affiliation.is_confirmed
            and diff(before, snapshot(affiliation, AFFILIATION.audited))
            and not can_change_person(actor.user, affiliation.person)
        )
        if reopened:
            affiliation.confirmed_at = affiliation.confirmed_by = None

    affiliation = audit.update(
        actor, affiliation, values, AFFILIATION, "registry.affiliation.changed", prepare=reopen_claim
    )
    if reopened:
        notify_claim(actor, affiliation)
    return affiliation


@transaction.atomic
def remove_affiliation(actor: Actor, affiliation: Affiliation) -> None:
    """Delete an affiliation (its organization's members, staff, or the person turning a claim on
    them down). Audit: registry.affiliation.deleted with what it held."""
    require(can_remove_affiliation(actor.user, affiliation), _("You may not edit this affiliation."))
    audit.delete(actor, lock(affiliation), AFFILIATION, "registry.affiliation.deleted")


# --- relationships ---------------------------------------------------------------------------------


@transaction.atomic
def add_relationship(
    actor: Actor, subject: Organization, kind: str, object: Organization, values: dict | None = None
) -> Relationship:
    """Record that ``subject`` <kind> ``object`` (invests in, partners with, ...), with optional dates
    and notes. Staff, members of either organization, and Dari itself (e.g. the outcomes app's rule
    when an investment closes). Audit: registry.relationship.created."""
    relationship = Relationship(
        subject=subject, kind=kind, object=object, **only(values or {}, RELATIONSHIP.creatable)
    )
    require(
        actor.is_system or can_change_relationship(actor.user, relationship),
        _("You may not record relationships of these organizations."),
    )
    relationship.full_clean()
    relationship.save()
    log_action(
        actor,
        "registry.relationship.created",
        relationship,
        created_changes(relationship, RELATIONSHIP.audited),
    )
    return relationship


@transaction.atomic
def remove_relationship(actor: Actor, relationship: Relationship) -> None:
    """Delete a relationship. Audit: registry.relationship.deleted with what it held."""
    require(can_change_relationship(actor.user, relationship), _("You may not edit this relationship."))
    audit.delete(actor, lock(relationship), RELATIONSHIP, "registry.relationship.deleted")
