from django.contrib import admin

from .models import Participant, Program, ProgramRole


class RoleInline(admin.TabularInline):
    model = ProgramRole
    extra = 0
    autocomplete_fields = ["organization"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["key", "name_ko", "name_en", "start_year", "is_public"]
    search_fields = ["key", "name_ko", "name_en"]
    inlines = [RoleInline, ParticipantInline]


@admin.register(ProgramRole)
class ProgramRoleAdmin(admin.ModelAdmin):
    list_display = ["program", "organization", "role"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["program", "organization", "since", "status"]
    list_filter = ["status", "program"]
