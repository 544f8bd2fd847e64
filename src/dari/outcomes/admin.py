from django.contrib import admin

from dari.core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Investor, Outcome, StageChange


class StageChangeInline(ReadOnlyInline):
    """The stage history, read-only: stages move through ``services.advance_outcome`` (pages, API)."""

    model = StageChange


class InvestorInline(ReadOnlyInline):
    """A round's investors, read-only: ``services.write_investors`` (pages, API) checks and audits them."""

    model = Investor


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
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["outcome", "stage", "recorded_on"]


@admin.register(Investor)
class InvestorAdmin(ReadOnlyAdmin):
    list_display = ["outcome", "organization", "role", "share"]
