"""A program's yearly targets, one per KPI and measure, which the program page and its reports
compare with the KPI figures (``kpis``)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dari.core.services import Versioned
from dari.programs.models import Program


class Target(Versioned):
    class Measure(models.TextChoices):
        COUNT = "count", _("number of outcomes")
        USD = "usd", _("amount in USD")
        KRW = "krw", _("amount in KRW")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), related_name="targets", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    kpi = models.CharField(_("figure"), max_length=40)
    measure = models.CharField(_("measure"), max_length=8, choices=Measure.choices, default=Measure.COUNT)
    value = models.DecimalField(
        _("target"), max_digits=20, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["program", "year", "kpi", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "kpi", "measure"], name="one_target_per_measure"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.program.key} {self.year} {self.kpi} {self.measure}"
