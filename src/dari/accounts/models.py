"""Users, their scoped memberships (who holds which role where) and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from dari.core.timezones import validate_zone


class User(AbstractUser):
    """A person who signs in. Language and time zone decide how pages and e-mails read."""

    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="ko")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_zone]
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    """Every role a user can hold. A role belongs to one kind of scope (see ``ROLE_SCOPES``)."""

    ORGANIZATION_MEMBER = "organization_member", _("organization member")
    ORGANIZATION_ADMIN = "organization_admin", _("organization administrator")
    PROGRAM_MANAGER = "program_manager", _("program manager")
    PROGRAM_REVIEWER = "program_reviewer", _("reviewer")
    STAFF = "staff", _("partnership staff")


# The model each role is scoped to, as "app_label.model_name"; None: the role holds everywhere.
# A later scope (an event organizer, a delegate) is one more line here, not a new mechanism.
ROLE_SCOPES: dict[str, str | None] = {
    Role.ORGANIZATION_MEMBER: "registry.organization",
    Role.ORGANIZATION_ADMIN: "registry.organization",
    Role.PROGRAM_MANAGER: "programs.program",
    Role.PROGRAM_REVIEWER: "programs.program",
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
