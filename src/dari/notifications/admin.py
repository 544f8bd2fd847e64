from django.contrib import admin

from .models import Notification, NotificationPreference, OutgoingEmail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "recipient", "title_en", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["kind", "title_ko", "title_en", "recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False  # notices are sent by notify(), which renders them and sends the e-mail


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "by_email", "in_app", "updated_at"]
    list_filter = ["kind", "by_email", "in_app"]
    search_fields = ["user__username", "kind"]
    list_select_related = ["user"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, to see what waits while the mail server is away; read only (the periodic runner
    sends it)."""

    list_display = [
        "id",
        "kind",
        "recipient",
        "to",
        "subject",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["kind", "last_error"]
    search_fields = ["kind", "subject", "recipient__username"]
    list_select_related = ["recipient"]
    # Not the text: an invitation's holds its token until sent (a notice's is in the bell anyway).
    exclude = ["body"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields if field.name != "body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
