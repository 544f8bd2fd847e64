from django.contrib import admin

from .models import Notification, NotificationPreference


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
