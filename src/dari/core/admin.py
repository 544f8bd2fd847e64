"""What every app's admin shares."""

from django.contrib import admin


class ReadOnly:
    """Rows that only their use cases write (the audit log, a stage history, a round's investors):
    the admin shows them and never adds, changes or deletes one, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
