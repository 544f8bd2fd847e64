from django.contrib import admin

from .models import Outcome, StageChange


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "stage", "startup", "counterparty", "amount", "currency", "reported_on"]
    list_filter = ["kind", "stage", "program"]
    search_fields = ["key", "title_ko", "title_en"]
    autocomplete_fields = ["startup", "counterparty"]
    inlines = [StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["outcome", "stage", "recorded_on"]
