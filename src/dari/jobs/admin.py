from django.contrib import admin

from .models import Job, PeriodicRun


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "state", "started_by", "progress_done", "progress_total", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "message", "error", "started_by__username"]
    list_select_related = ["started_by"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False  # jobs are started by start_job, which also enqueues the task


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_succeeded", "last_summary"]
    readonly_fields = [field.name for field in PeriodicRun._meta.fields]

    def has_add_permission(self, request):
        return False
