from django.contrib import admin

from .models import (
    Application,
    Call,
    Cohort,
    Decision,
    DeclaredConflict,
    Milestone,
    Participant,
    Program,
    ProgramRole,
    Review,
    ReviewerExpertise,
    ReviewPhase,
    ServiceDelivery,
)


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
    list_display = ["program", "cohort", "organization", "since", "status"]
    list_filter = ["status", "program"]


class PhaseInline(admin.TabularInline):
    model = ReviewPhase
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """The status moves by ``services.set_call_status`` only: read-only here once the call exists."""

    list_display = ["program", "round", "title_ko", "title_en", "status", "closes_at", "time_zone"]
    list_filter = ["status", "program"]
    inlines = [PhaseInline]

    def get_readonly_fields(self, request, obj=None):
        return ["status"] if obj is not None else []


@admin.register(ReviewPhase)
class ReviewPhaseAdmin(admin.ModelAdmin):
    list_display = ["call", "position", "name_ko", "name_en", "opens_at", "closes_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """The status moves by ``services.set_application_status`` only."""

    list_display = ["call", "startup", "status", "submitted_at"]
    list_filter = ["status", "call"]
    autocomplete_fields = ["startup"]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "submitted_at"] if obj is not None else []


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The status moves by ``reviews.set_review_status`` only; scores are checked by the service."""

    list_display = ["application", "phase", "reviewer", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["application", "reviewer", "assigned_by"]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "scores", "submitted_at"] if obj is not None else []


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "organization", "declared_at"]
    raw_id_fields = ["reviewer", "organization"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["program", "call", "year"]
    list_filter = ["program"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read only: decisions are made and released by ``decisions`` (pending ones are never shown to
    applicants, and a release notifies them)."""

    list_display = ["application", "outcome", "status", "decided_at", "released_at"]
    list_filter = ["status", "outcome"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    """A participant's milestone plan. Its status moves by ``support.set_milestone_status`` (a
    transition table, with the day it was done), so it is read only here once the milestone exists."""

    list_display = ["participant", "title_ko", "title_en", "due_on", "status", "done_on"]
    list_filter = ["status"]
    raw_id_fields = ["participant"]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "done_on"] if obj is not None else []


@admin.register(ServiceDelivery)
class ServiceDeliveryAdmin(admin.ModelAdmin):
    list_display = ["participant", "kind", "delivered_on", "hours"]
    list_filter = ["kind"]
    raw_id_fields = ["participant", "provider_organization", "provider_person"]


@admin.register(ReviewerExpertise)
class ReviewerExpertiseAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "updated_at"]
    raw_id_fields = ["reviewer"]
    filter_horizontal = ["sectors"]
