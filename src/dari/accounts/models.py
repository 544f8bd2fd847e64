"""Users, their scoped memberships (who holds which role where) and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core.time import validate_in_range, validate_zone


class User(AbstractUser):
    """A person who signs in. Language and time zone decide how pages and e-mails read."""

    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="ko")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_zone]
    )
    email_verified_at = models.DateTimeField(
        _("e-mail verified at"), null=True, blank=True, validators=[validate_in_range]
    )
    # Django's own two dates, bounded like every other (the admin edits them on the user's page).
    last_login = models.DateTimeField(_("last login"), blank=True, null=True, validators=[validate_in_range])
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now, validators=[validate_in_range])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None


class Role(models.TextChoices):
    """Every role a user can hold. A role belongs to one kind of scope (see ``ROLE_SCOPES``)."""

    ORGANIZATION_MEMBER = "organization_member", _("organization member")
    ORGANIZATION_ADMIN = "organization_admin", _("organization administrator")
    PROGRAM_MANAGER = "program_manager", _("program manager")
    PROGRAM_REVIEWER = "program_reviewer", _("reviewer")
    EVENT_ORGANIZER = "event_organizer", _("event organizer")
    EVENT_DELEGATE = "event_delegate", _("event delegate")
    STAFF = "staff", _("partnership staff")


# The model each role is scoped to, as "app_label.model_name"; None: the role holds everywhere.
# A later scope is one more line here, not a new mechanism (a partnering event's organizers and
# delegates: the partnering app's ``Event``).
ROLE_SCOPES: dict[str, str | None] = {
    Role.ORGANIZATION_MEMBER: "registry.organization",
    Role.ORGANIZATION_ADMIN: "registry.organization",
    Role.PROGRAM_MANAGER: "programs.program",
    Role.PROGRAM_REVIEWER: "programs.program",
    Role.EVENT_ORGANIZER: "partnering.event",
    Role.EVENT_DELEGATE: "partnering.event",
    Role.STAFF: None,
}


class Membership(models.Model):
    """One user's role in one scope (an organization, a program, ...), or everywhere for staff."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="memberships", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_type = models.ForeignKey(
        ContentType, verbose_name=_("scope type"), null=True, blank=True, on_delete=models.CASCADE
    )
    scope_id = models.PositiveBigIntegerField(_("scope"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"],
                name="unique_membership",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(scope_type__isnull=True, scope_id__isnull=True)
                | models.Q(scope_type__isnull=False, scope_id__isnull=False),
                name="membership_scope_complete",
            ),
        ]
        indexes = [models.Index(fields=["scope_type", "scope_id"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.scope or '*'}"

    def clean(self):
        from django.core.exceptions import ValidationError

        expected = ROLE_SCOPES.get(self.role)
        actual = f"{self.scope_type.app_label}.{self.scope_type.model}" if self.scope_type_id else None
        if expected != actual:
            raise ValidationError(
                {
                    "scope_type": _("The role %(role)s needs a scope of type %(scope)s.")
                    % {"role": self.role, "scope": expected or _("none")}
                }
            )


class AuditEntry(models.Model):
    """Who changed what, when and from where: written by every service function that writes."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("actor (as recorded)"), max_length=200, blank=True)
    action = models.CharField(
        _("action"), max_length=100, help_text=_("A dotted verb, e.g. registry.organization.changed")
    )
    object_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object"))
    object_label = models.CharField(_("object (as recorded)"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class Invitation(models.Model):
    """An e-mailed offer of one role in one scope. Only a hash of the link's token is stored, so the
    database alone cannot be used to accept someone else's invitation."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_type = models.ForeignKey(
        ContentType, verbose_name=_("scope type"), null=True, blank=True, on_delete=models.CASCADE
    )
    scope_id = models.PositiveBigIntegerField(_("scope"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        related_name="invitations_sent",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False, validators=[validate_in_range]
    )
    expires_at = models.DateTimeField(_("expires at"), validators=[validate_in_range])
    accepted_at = models.DateTimeField(
        _("accepted at"), null=True, blank=True, validators=[validate_in_range]
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, validators=[validate_in_range])

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope_type__isnull=True, scope_id__isnull=True)
                | models.Q(scope_type__isnull=False, scope_id__isnull=False),
                name="invitation_scope_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.scope or '*'}"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class RegistrationRequest(models.Model):
    """A self-registered person's request to run a new startup or to join an existing organization.

    A new organization is only created when staff approve the request (through the registry's own
    service, which the registry hands to accounts: see ``services.registrations``), so rejected
    requests leave nothing behind in the registry. The key to the organization is a real foreign
    key, so that a merge of organizations (``dari.core.merging``) carries the requests along.
    """

    class Kind(models.TextChoices):
        NEW_ORGANIZATION = "new_organization", _("new startup")
        CLAIM = "claim", _("existing organization")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        related_name="registration_requests",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        related_name="registration_requests",
        # A merge moves the requests to the organization kept; nothing else deletes an organization.
        on_delete=models.PROTECT,
        help_text=_("The claimed organization, or the new one once the request is approved."),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    message = models.TextField(_("message to the reviewers"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, validators=[validate_in_range])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="claim") | models.Q(organization__isnull=False),
                name="registration_claim_names_organization",
            ),
        ]

    def __str__(self) -> str:
        subject = self.name_en or self.name_ko or self.organization_id
        return f"{self.user} – {self.get_kind_display()} – {subject}"


class ApiToken(models.Model):
    """A key a script sends as ``Authorization: Bearer <key>``. The key is shown once; only its
    SHA-256 hash is stored (a random 256-bit key needs no slow hash) and its prefix, to recognise it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="api_tokens", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=16, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(
        _("last used at"), null=True, blank=True, validators=[validate_in_range]
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, validators=[validate_in_range])
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, validators=[validate_in_range])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
