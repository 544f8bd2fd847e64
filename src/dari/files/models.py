"""Protected files: uploaded evidence and documents, generated reports.

A file belongs to one object of any app (``owner``, a generic relation) and is shown to whoever may
see that object. Its bytes live under ``settings.FILES_DIR`` by a random name; the row keeps the
original name, the type sniffed from the content, the size and the SHA-256.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core.time import validate_in_range

from .queries import StoredFileQuerySet


class Purpose(models.TextChoices):
    DOCUMENT = "document", _("Document")
    EVIDENCE = "evidence", _("Evidence")
    REPORT = "report", _("Report")


class StoredFile(models.Model):
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    original_filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, validators=[validate_in_range])

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="files_owner_idx")]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self):
        return self.original_filename

    def get_absolute_url(self):
        return reverse("files:download", args=[self.pk])

    @property
    def relative_path(self) -> str:
        """Where the bytes sit below ``FILES_DIR``: two-level fan-out keeps directories small."""
        return f"{self.storage_name[:2]}/{self.storage_name}"
