from django.contrib import admin

from .models import ActionItem, Agreement, AgreementParty, CooperationArea, ProgressNote, ReminderSent


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["organization", "head", "signatory"]


class AreaInline(admin.TabularInline):
    model = CooperationArea
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["key", "title_ko", "title_en", "kind", "signed_at", "signed_time_zone"]
    search_fields = ["key", "title_ko", "title_en"]
    inlines = [PartyInline, AreaInline]


@admin.register(AgreementParty)
class AgreementPartyAdmin(admin.ModelAdmin):
    list_display = ["agreement", "organization", "head", "signatory"]


@admin.register(CooperationArea)
class CooperationAreaAdmin(admin.ModelAdmin):
    list_display = ["agreement", "number", "title_ko", "title_en"]


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["agreement", "key", "title_en", "owner_party", "due_at", "status"]
    list_filter = ["status"]
    inlines = [ProgressNoteInline]


@admin.register(ProgressNote)
class ProgressNoteAdmin(admin.ModelAdmin):
    list_display = ["action_item", "written_at", "author_name"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["action_item", "user", "sent_on", "sent_at"]
    list_filter = ["sent_on"]
    raw_id_fields = ["action_item", "user"]
