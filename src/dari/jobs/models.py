"""Jobs (the record of a background task that users see) and the last run of each periodic task."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dari.core.time import validate_in_range

from .queries import JobQuerySet


class Job(models.Model):
    """One run of a background task as users see it: its state, its progress, its result or error.

    The tasks backend keeps its own row (``task_result_id``) for retries and tracebacks; this row is
    what pages and the API show, and what the task updates as it advances (``dari.jobs.progress``).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=100, help_text=_("Dotted name, e.g. jobs.registry_check."))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        related_name="jobs",
        on_delete=models.SET_NULL,
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, validators=[validate_in_range])
    finished_at = models.DateTimeField(
        _("finished at"), null=True, blank=True, validators=[validate_in_range]
    )
    # The last sign of life of a running job (its claim, then each step): the stale-job clean-up
    # marks a job failed when this is too old, as its worker has most likely died.
    progress_updated_at = models.DateTimeField(
        _("progress updated at"), null=True, blank=True, validators=[validate_in_range]
    )
    task_result_id = models.CharField(_("task result id"), max_length=64, blank=True)
    # The object the job works on (an import into an organization, a report of a program), if any.
    object_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_started_by_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        """0–100, or None while the number of steps is unknown (100 once the job succeeded)."""
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def kind_label(self) -> str:
        from .kinds import kind_label

        return kind_label(self.kind)

    @property
    def result_templates(self) -> list[str]:
        """The template that shows this kind's result, falling back to a generic list of its values."""
        return [f"jobs/results/{self.kind}.html", "jobs/results/default.html"]

    @property
    def result_url(self) -> str:
        """A link to what the job produced (a file, a report), when its result names one."""
        url = self.result.get("url") if isinstance(self.result, dict) else None
        return url if isinstance(url, str) and url.startswith("/") else ""


class PeriodicRun(models.Model):
    """When a periodic task last ran, so that ``dari run_periodic`` may be called every minute."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_started_at = models.DateTimeField(
        _("last started at"), null=True, blank=True, validators=[validate_in_range]
    )
    last_finished_at = models.DateTimeField(
        _("last finished at"), null=True, blank=True, validators=[validate_in_range]
    )
    last_succeeded = models.BooleanField(_("last run succeeded"), null=True, blank=True)
    last_summary = models.CharField(_("last summary"), max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
