"""Outcomes of the partnership (investments, contracts, partnerships, ...) and their stage history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dari.agreements.models import CooperationArea
from dari.core.bilingual import localized
from dari.core.money import CURRENCY_CHOICES
from dari.core.services import Versioned
from dari.core.time import validate_in_range
from dari.files.models import StoredFile
from dari.programs.models import Program
from dari.registry.models import KEY_HELP, Organization, Source

from .queries import OutcomeQuerySet
from .vocabulary import NEGOTIATION_STAGES, STAGES_BY_KIND, Disclosure, Kind, Period, Stage, is_valid_stage


class Outcome(Versioned):
    key = models.SlugField(_("key"), max_length=100, unique=True, help_text=KEY_HELP)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    startup = models.ForeignKey(
        Organization, verbose_name=_("startup"), related_name="outcomes", on_delete=models.PROTECT
    )
    counterparty = models.ForeignKey(
        Organization,
        verbose_name=_("counterparty"),
        null=True,
        blank=True,
        related_name="counterparty_outcomes",
        on_delete=models.PROTECT,
    )
    counterparty_description_ko = models.CharField(
        _("counterparty description (Korean)"),
        max_length=300,
        blank=True,
        help_text=_("For a counterparty the source does not name."),
    )
    counterparty_description_en = models.CharField(
        _("counterparty description (English)"), max_length=300, blank=True
    )
    counterparty_kind = models.CharField(
        _("kind of counterparty"), max_length=24, choices=Organization.Kind.choices, blank=True
    )
    counterparty_country = models.CharField(_("country of counterparty (ISO 3166)"), max_length=2, blank=True)
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        related_name="outcomes",
        on_delete=models.SET_NULL,
    )
    cooperation_area = models.ForeignKey(
        CooperationArea,
        verbose_name=_("cooperation area"),
        null=True,
        blank=True,
        related_name="outcomes",
        on_delete=models.SET_NULL,
        help_text=_("The area of the cooperation agreement this outcome serves."),
    )
    regulator = models.CharField(
        _("regulator"), max_length=100, blank=True, help_text=_("For a regulatory outcome, e.g. FDA, MFDS.")
    )
    pathway = models.CharField(
        _("pathway"),
        max_length=100,
        blank=True,
        help_text=_("For a regulatory outcome, e.g. 510(k), De Novo, class II approval."),
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_ko = models.TextField(_("summary (Korean)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    # While the amount is hidden from a viewer, so are the title, summary and counterparty
    # description (they may repeat it): the viewer reads these instead (see permissions).
    public_title_ko = models.CharField(
        _("public title (Korean)"),
        max_length=300,
        blank=True,
        help_text=_("Shown instead of the title to those who may not see a confidential amount."),
    )
    public_title_en = models.CharField(_("public title (English)"), max_length=300, blank=True)
    public_summary_ko = models.TextField(
        _("public summary (Korean)"),
        blank=True,
        help_text=_("What may be said publicly while the amount is confidential, without the amount."),
    )
    public_summary_en = models.TextField(_("public summary (English)"), blank=True)
    market_country = models.CharField(_("market (ISO 3166)"), max_length=2, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True)
    amount_disclosure = models.CharField(
        _("amount is"),
        max_length=12,
        choices=Disclosure.choices,
        default=Disclosure.AUTO,
        help_text=_("Who outside the startup and its program managers may see the amount."),
    )
    # The amount in USD and KRW, locked with the ECB rates of one day (``values``): set when the amount
    # is recorded or changed, empty while that day's rate is not published ("rate pending").
    usd_value = models.DecimalField(_("value in USD"), max_digits=22, decimal_places=2, null=True, blank=True)
    krw_value = models.DecimalField(_("value in KRW"), max_digits=22, decimal_places=0, null=True, blank=True)
    usd_rate = models.DecimalField(
        _("rate to USD"), max_digits=20, decimal_places=6, null=True, blank=True, help_text=_("1 unit in USD")
    )
    krw_rate = models.DecimalField(
        _("rate to KRW"), max_digits=20, decimal_places=6, null=True, blank=True, help_text=_("1 unit in KRW")
    )
    rate_on = models.DateField(
        _("rate of"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_("The day of the ECB reference rates the values were converted at."),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=2, null=True, blank=True)
    quantity_unit_ko = models.CharField(_("unit (Korean)"), max_length=40, blank=True)
    quantity_unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    quantity_period = models.CharField(_("period"), max_length=8, choices=Period.choices, blank=True)
    reported_on = models.DateField(_("reported on"), validators=[validate_in_range])
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True, validators=[validate_in_range])
    is_public = models.BooleanField(_("public"), default=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-reported_on", "key"]
        indexes = [
            models.Index(fields=["kind", "stage"]),
            # The latest outcomes (the dashboard, a program page): read backwards, a few rows, not
            # every outcome sorted (~30 ms -> under 1 ms over 31,619 on PostgreSQL).
            models.Index(fields=["reported_on", "id"], name="outcome_reported_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | ~models.Q(currency=""),
                name="outcome_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="outcome_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=False) | models.Q(rate_on__isnull=True),
                name="outcome_values_have_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gte=0),
                name="outcome_quantity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(localized(self, "title")) or self.key

    def get_absolute_url(self) -> str:
        return reverse("outcomes:outcome-detail", args=[self.pk])

    @property
    def is_amount_confidential(self) -> bool:
        if self.amount_disclosure == Disclosure.AUTO:
            return self.stage in NEGOTIATION_STAGES
        return self.amount_disclosure == Disclosure.CONFIDENTIAL

    @property
    def is_rate_pending(self) -> bool:
        """An amount whose USD and KRW values wait for its day's ECB rate (``values``)."""
        return self.amount is not None and self.rate_on is None

    def clean(self):
        super().clean()
        errors = {}
        if self.kind and self.stage and not is_valid_stage(self.kind, self.stage):
            allowed = ", ".join(STAGES_BY_KIND.get(self.kind, ()))
            errors["stage"] = _("Stage %(stage)s does not apply to %(kind)s; use one of: %(allowed)s.") % {
                "stage": self.stage,
                "kind": self.kind,
                "allowed": allowed,
            }
        if self.amount is not None and not self.currency:
            errors["currency"] = _("An amount needs its currency.")
        if self.counterparty_id is None and not (
            self.counterparty_description_ko or self.counterparty_description_en
        ):
            if self.kind in {Kind.INVESTMENT, Kind.CONTRACT, Kind.PARTNERSHIP}:
                errors["counterparty"] = _("Name the counterparty or describe it.")
        if self.kind == Kind.REGULATORY:
            for name in ("regulator", "pathway"):
                if not getattr(self, name).strip():
                    errors[name] = _("A regulatory outcome names its regulator and pathway.")
        else:
            for name in ("regulator", "pathway"):
                if getattr(self, name):
                    errors[name] = _("Only a regulatory outcome has a regulator and a pathway.")
        if self.occurred_on and self.reported_on and self.occurred_on > self.reported_on:
            errors["occurred_on"] = _("An outcome cannot occur after it was reported.")
        if errors:
            raise ValidationError(errors)


class StageChange(models.Model):
    """One entry of an outcome's stage history."""

    outcome = models.ForeignKey(Outcome, related_name="stage_history", on_delete=models.CASCADE)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    recorded_on = models.DateField(_("recorded on"), validators=[validate_in_range])
    note_ko = models.TextField(_("note (Korean)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Who recorded the change and when (empty on changes recorded before Dari kept them, and for
    # Dari itself), and the protected file that proves it (owned by the outcome).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), null=True, blank=True, validators=[validate_in_range]
    )
    evidence_file = models.ForeignKey(
        StoredFile,
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["outcome", "recorded_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "stage", "recorded_on"], name="unique_stage_change")
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.stage} ({self.recorded_on})"


class Investor(models.Model):
    """One investor of a round (an investment outcome with several counterparties): the lead or a
    participant, with its share of the round's amount where known. The round's amount stays on the
    outcome and is counted once; a share is never summed in its place."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead investor")
        PARTICIPANT = "participant", pgettext_lazy("investor role", "participant")

    outcome = models.ForeignKey(Outcome, related_name="investors", on_delete=models.CASCADE)
    organization = models.ForeignKey(
        Organization, verbose_name=_("investor"), related_name="round_investments", on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    share = models.DecimalField(
        _("share"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("This investor's part of the round's amount, in the round's currency, where known."),
    )

    class Meta:
        verbose_name = _("investor")
        verbose_name_plural = _("investors")
        ordering = ["outcome", "role", "pk"]  # the lead first
        constraints = [
            models.UniqueConstraint(fields=["outcome", "organization"], name="unique_round_investor"),
            models.UniqueConstraint(
                fields=["outcome"], condition=models.Q(role="lead"), name="one_lead_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(share__isnull=True) | models.Q(share__gte=0),
                name="investor_share_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"
