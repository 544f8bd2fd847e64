from django.contrib import admin

from .models import Investor, Outcome, StageChange


class StageChangeInline(admin.TabularInline):
    """The stage history, read-only: stages move through ``services.advance_outcome`` (pages, API)."""

    model = StageChange
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvestorInline(admin.TabularInline):
    """A round's investors, read-only: ``services.write_investors`` (pages, API) checks and audits them."""

    model = Investor
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "stage", "startup", "counterparty", "amount", "currency", "reported_on"]
    list_filter = ["kind", "stage", "program"]
    search_fields = ["key", "title_ko", "title_en"]
    autocomplete_fields = ["startup", "counterparty"]
    inlines = [InvestorInline, StageChangeInline]

    def get_readonly_fields(self, request, obj=None):
        # A stage changes only through advance_outcome, which writes the history and the audit entry.
        return ["stage"] if obj is not None else []


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["outcome", "stage", "recorded_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Investor)
class InvestorAdmin(admin.ModelAdmin):
    list_display = ["outcome", "organization", "role", "share"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
