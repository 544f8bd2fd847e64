"""Support programs, the organizations that run or fund them, and their participating startups."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dari.core.bilingual import BilingualNamed
from dari.core.time import validate_in_range
from dari.registry.models import KEY_HELP, Organization, Source

from .queries import ProgramQuerySet


class Program(BilingualNamed):
    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    description_ko = models.TextField(_("description (Korean)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("running since (year)"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[validate_in_range])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_in_range])
    is_public = models.BooleanField(_("public"), default=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["key"]

    def get_absolute_url(self) -> str:
        return reverse("programs:program-detail", args=[self.pk])


class ProgramRole(models.Model):
    """An organization's role in running a program."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("operator")
        SUPPORTER = "supporter", _("supporter")
        FUNDER = "funder", _("funder")

    program = models.ForeignKey(Program, related_name="roles", on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, related_name="program_roles", on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        ordering = ["program", "role", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["program", "organization", "role"], name="unique_program_role")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Participant(models.Model):
    """A startup taking part in a program."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ALUMNI = "alumni", _("alumni")
        WITHDRAWN = "withdrawn", _("withdrawn")

    program = models.ForeignKey(Program, related_name="participants", on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, related_name="participations", on_delete=models.PROTECT)
    since = models.DateField(_("since"), null=True, blank=True, validators=[validate_in_range])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["program", "organization"]
        constraints = [models.UniqueConstraint(fields=["program", "organization"], name="unique_participant")]

    def __str__(self) -> str:
        return str(self.organization)
