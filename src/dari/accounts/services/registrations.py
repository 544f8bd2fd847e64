"""Self-registration: a person signs up for a new startup or to join an existing organization, and
staff (or, for a claim, the organization's administrators) approve or reject the request.

The registry is a later app than accounts (apps import one way: accounts → registry), so it hands
accounts what registration needs from it (``register_organizations`` in its ``AppConfig.ready``):
the organizations one may claim to belong to, and its own service that creates the approved startup
(with the registry's checks and audit entry). Accounts imports nothing from the registry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core.services import require

from ..access import access_for
from ..audit import Actor, log_action, snapshot
from ..mail import absolute, send_bilingual_mail
from ..models import RegistrationRequest, Role, User
from .memberships import grant_membership
from .profile import send_verification_email

NEW_ORGANIZATION_FIELDS = ["name_ko", "name_en", "website", "description_ko", "description_en"]


@dataclass(frozen=True)
class Organizations:
    """What the registry offers registration: ``claimable()``, the organizations a person may say
    they belong to (a queryset); ``create_startup(actor, values)``, the registry's use case that adds
    an approved new startup from ``NEW_ORGANIZATION_FIELDS`` and returns it."""

    claimable: Callable[[], object]
    create_startup: Callable[[Actor, dict], object]


_organizations: Organizations | None = None


def register_organizations(*, claimable, create_startup) -> None:
    """Called once by the registry's ``AppConfig.ready`` (see ``Organizations``)."""
    global _organizations
    _organizations = Organizations(claimable, create_startup)


def organizations() -> Organizations:
    if _organizations is None:
        raise ImproperlyConfigured(
            "The registry app has not registered its organizations (register_organizations)."
        )
    return _organizations


def claimable_organizations():
    """The organizations a registering person may claim to belong to (the registry's public ones)."""
    return organizations().claimable()


@transaction.atomic
def register(
    *,
    username: str,
    email: str,
    password: str,
    language: str,
    time_zone: str,
    kind: str,
    organization=None,
    details: dict | None = None,
    message: str = "",
    ip_address: str | None = None,
) -> RegistrationRequest:
    """Create an account and its pending registration request.

    ``kind`` is ``new_organization`` (``details`` holds ``name_ko``/``name_en``/``website``/
    ``description_ko``/``description_en``) or ``claim`` (``organization`` is the claimed one).
    Effects: the user (active, e-mail not yet verified), the request, audit entries for both, and,
    after commit, the verification e-mail. Raises ``ValidationError`` for an incomplete request.
    """
    details = details or {}
    if kind == RegistrationRequest.Kind.CLAIM:
        if organization is None:
            raise ValidationError({"organization": _("Choose the organization you belong to.")})
        details = {}
    elif kind == RegistrationRequest.Kind.NEW_ORGANIZATION:
        if not (details.get("name_ko", "").strip() or details.get("name_en", "").strip()):
            raise ValidationError({"name_en": _("Give a name in Korean or in English.")})
        organization = None
    else:
        raise ValidationError({"kind": f"Unknown kind {kind!r}"})
    user = User(username=username, email=User.objects.normalize_email(email), language=language)
    user.time_zone = time_zone
    user.set_password(password)
    user.save()
    actor = Actor(user, ip_address)
    log_action(actor, "accounts.user.registered", user, {"email": user.email})
    request = RegistrationRequest.objects.create(
        user=user,
        kind=kind,
        organization=organization,
        message=message,
        **{name: details.get(name, "") for name in NEW_ORGANIZATION_FIELDS},
    )
    log_action(
        actor,
        "accounts.registration.requested",
        request,
        {"kind": kind, "organization": request.organization_id, **snapshot(request, NEW_ORGANIZATION_FIELDS)},
    )
    send_verification_email(user)
    return request


def can_decide_registration(user, request: RegistrationRequest) -> bool:
    """Staff decide every request; an organization's administrators also decide claims on it."""
    access = access_for(user)
    if access.sees_everything:
        return True
    return request.kind == RegistrationRequest.Kind.CLAIM and (
        request.organization_id in access.administered_organization_ids
    )


def locked_pending(request: RegistrationRequest) -> RegistrationRequest:
    request = RegistrationRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if request.status != RegistrationRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return request


@transaction.atomic
def approve_registration(actor: Actor, request: RegistrationRequest) -> RegistrationRequest:
    """Approve a pending request.

    A new startup is created by the registry's own service (see ``register_organizations``), private
    until its administrator publishes it, and the requester becomes its ``organization_admin``; a
    claim makes the requester an ``organization_member`` of the claimed organization. Effects: audit
    entries for the decision, the new organization (the registry's ``registry.organization.created``)
    and the membership; after commit, an e-mail to the requester.
    Raises ``PermissionDenied`` (see ``can_decide_registration``) or ``ValidationError`` if decided.
    """
    require(
        actor.user is not None and can_decide_registration(actor.user, request),
        "You may not decide this registration request.",
    )
    request = locked_pending(request)
    if request.kind == RegistrationRequest.Kind.NEW_ORGANIZATION:
        values = {name: getattr(request, name) for name in NEW_ORGANIZATION_FIELDS}
        request.organization = organizations().create_startup(actor, values)
        role = Role.ORGANIZATION_ADMIN
    else:
        role = Role.ORGANIZATION_MEMBER
    organization = request.organization
    grant_membership(actor, request.user, role, organization)
    decide(actor, request, RegistrationRequest.Status.APPROVED, "")
    return request


@transaction.atomic
def reject_registration(actor: Actor, request: RegistrationRequest, note: str = "") -> RegistrationRequest:
    """Reject a pending request with an optional ``note`` sent to the requester. The account stays
    (its owner may still use public pages or be invited later). Same permission and errors as
    ``approve_registration``."""
    require(
        actor.user is not None and can_decide_registration(actor.user, request),
        "You may not decide this registration request.",
    )
    request = locked_pending(request)
    decide(actor, request, RegistrationRequest.Status.REJECTED, note)
    return request


def decide(actor: Actor, request: RegistrationRequest, status: str, note: str) -> None:
    request.status = status
    request.decided_at = timezone.now()
    request.decided_by = actor.user
    request.decision_note = note
    request.save()
    log_action(
        actor,
        f"accounts.registration.{status}",
        request,
        {
            "status": [RegistrationRequest.Status.PENDING.value, status],
            "organization": request.organization_id,
        },
    )
    context = {
        "registration": request,
        "organization_name": str(request.organization or request.name_en or request.name_ko),
        "approved": status == RegistrationRequest.Status.APPROVED,
        "profile_url": absolute(reverse("accounts:profile")),
    }
    if request.user.email:
        send_bilingual_mail([request.user.email], "registration_decided", context, recipient=request.user)
