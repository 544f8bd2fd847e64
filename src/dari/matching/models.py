"""What matching needs beyond the registry: profiles for fit, feedback, and the stored index.

``MatchingProfile`` holds what a startup seeks and what a partner looks for (stage, amounts,
theses, needs). Amounts are in US dollars: they only rank candidates by size fit, they are never
reported or added up. ``Feedback`` is one user's verdict on one suggestion. ``IndexSnapshot`` keeps
the search index (float16 vectors and the lexical index) in the database, so every web process
loads the same current snapshot and a restart loses nothing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dari.registry.models import Organization

from .queries import FeedbackQuerySet, MatchingProfileQuerySet


class Stage(models.TextChoices):
    PRE_SEED = "pre_seed", _("pre-seed")
    SEED = "seed", _("seed")
    SERIES_A = "series_a", _("Series A")
    SERIES_B = "series_b", _("Series B")
    SERIES_C = "series_c", _("Series C or later")
    GROWTH = "growth", _("growth")
    PUBLIC = "public", _("listed")


def validate_stage_list(value):
    if not isinstance(value, list) or any(item not in Stage.values for item in value):
        raise ValidationError(
            _("Choose stages among: %(stages)s."), params={"stages": ", ".join(Stage.values)}, code="invalid"
        )


def validate_text_list(value):
    if not isinstance(value, list) or any(not isinstance(item, str) or not item.strip() for item in value):
        raise ValidationError(_("Give a list of names."), code="invalid")


class MatchingProfile(models.Model):
    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        related_name="matching_profile",
        on_delete=models.CASCADE,
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, blank=True)
    amount_sought_usd = models.DecimalField(
        _("amount sought (USD)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    needs_ko = models.TextField(_("what it seeks (Korean)"), blank=True)
    needs_en = models.TextField(_("what it seeks (English)"), blank=True)
    thesis_ko = models.TextField(_("what it looks for in startups (Korean)"), blank=True)
    thesis_en = models.TextField(_("what it looks for in startups (English)"), blank=True)
    check_min_usd = models.DecimalField(
        _("smallest investment (USD)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    check_max_usd = models.DecimalField(
        _("largest investment (USD)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    stages_of_interest = models.JSONField(
        _("stages of interest"), default=list, blank=True, validators=[validate_stage_list]
    )
    regions_of_interest = models.JSONField(
        _("regions of interest"),
        default=list,
        blank=True,
        validators=[validate_text_list],
        help_text=_("Cities or regions in English, e.g. Ulsan, San Diego."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MatchingProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching profile")
        verbose_name_plural = _("matching profiles")

    def __str__(self):
        return str(self.organization)

    def clean(self):
        if self.check_min_usd is not None and self.check_max_usd is not None:
            if self.check_min_usd > self.check_max_usd:
                raise ValidationError(
                    {"check_max_usd": _("The largest investment is smaller than the smallest.")}
                )
        for field in ("amount_sought_usd", "check_min_usd", "check_max_usd"):
            value = getattr(self, field)
            if value is not None and value < 0:
                raise ValidationError({field: _("An amount cannot be negative.")})


class Feedback(models.Model):
    """A user's mark on one suggestion for one subject: relevant or not, once per pair."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="matching_feedback",
        on_delete=models.CASCADE,
    )
    subject = models.ForeignKey(
        Organization, verbose_name=_("for"), related_name="+", on_delete=models.CASCADE
    )
    candidate = models.ForeignKey(
        Organization, verbose_name=_("suggestion"), related_name="+", on_delete=models.CASCADE
    )
    is_relevant = models.BooleanField(_("relevant"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback on a suggestion")
        verbose_name_plural = _("feedback on suggestions")
        constraints = [
            models.UniqueConstraint(fields=["user", "subject", "candidate"], name="matching_feedback_once"),
        ]

    def __str__(self):
        return f"{self.user} · {self.subject} → {self.candidate}: {self.is_relevant}"


class IndexSnapshot(models.Model):
    """One built search index: its bytes, the engine version that reads them, and what it covers.

    ``version`` grows by one per snapshot; web processes compare it with the one they hold (one small
    query) and load the newer snapshot lazily. ``fingerprint`` digests what it was built from, so the
    periodic refresh knows whether anything changed since.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    engine_version = models.CharField(_("engine version"), max_length=100)
    document_count = models.PositiveIntegerField(_("documents"))
    fingerprint = models.CharField(_("built from"), max_length=64)
    digests = models.JSONField(_("document digests"), default=dict, help_text=_("What each document held."))
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)
    data = models.BinaryField(_("data"))

    class Meta:
        verbose_name = _("search index snapshot")
        verbose_name_plural = _("search index snapshots")
        ordering = ["-version"]

    def __str__(self):
        return f"v{self.version} ({self.document_count})"
