from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from dari.core.admin import ReadOnlyAdmin

from .audit import Actor
from .models import ApiToken, AuditEntry, Invitation, Membership, RegistrationRequest, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ["language", "time_zone", "email_verified_at"]}),
    ]
    list_display = ["username", "email", "language", "time_zone", "is_staff"]
    actions = ["delete_accounts"]

    @admin.action(description=_("Delete the accounts and their personal data (kept records stay)"))
    def delete_accounts(self, request, queryset):
        """For deletion requests received by mail: the same service as the profile page's form."""
        from .services import delete_account

        actor = Actor.from_request(request)
        for user in queryset:
            try:
                delete_account(actor, user)
            except (PermissionDenied, ValidationError) as error:
                reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{user}: {reason}", messages.ERROR)
            else:
                self.message_user(request, _("Account %(id)s deleted.") % {"id": user.pk}, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "scope_type", "scope_id", "granted_by", "granted_at"]
    list_filter = ["role", "scope_type"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user", "granted_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is written by services only."""

    list_display = [
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "action"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the Invite page (the link's token exists only in the e-mail)."""

    list_display = ["email", "role", "scope_type", "scope_id", "invited_by", "created_at", "expires_at"]
    list_filter = ["role", "scope_type"]
    search_fields = ["email", "invited_by__username"]
    raw_id_fields = ["invited_by", "accepted_by"]
    readonly_fields = ["accepted_at", "accepted_by"]


@admin.register(RegistrationRequest)
class RegistrationRequestAdmin(admin.ModelAdmin):
    """Decide requests on the Registration requests page, which grants the roles and notifies."""

    list_display = ["user", "kind", "organization", "name_en", "name_ko", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__username", "user__email", "name_ko", "name_en"]
    raw_id_fields = ["user", "decided_by", "organization"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners on the profile page; here staff can see and revoke them."""

    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
