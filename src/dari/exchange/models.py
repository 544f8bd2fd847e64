"""An import as a person runs it on the Import page: the file, the dry run's report, then the import."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dari.accounts.access import access_for
from dari.files.models import StoredFile
from dari.jobs.models import Job


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Its starter's; staff see all."""
        access = access_for(user)
        if access.sees_everything:
            return self
        if not access.is_authenticated:
            return self.none()
        return self.filter(started_by=user)


class ImportRun(models.Model):
    class State(models.TextChoices):
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("importing")
        IMPORTED = "imported", _("imported")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, on_delete=models.SET_NULL
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    file = models.ForeignKey(
        StoredFile, verbose_name=_("file"), null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.CHECKING)
    check_job = models.ForeignKey(Job, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    import_job = models.ForeignKey(Job, null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:import-detail", args=[self.pk])
