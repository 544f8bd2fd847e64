from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin

from .models import Target
from .targets import kpi_choices


class TargetForm(CleanTextMixin, forms.Form):
    """A yearly target of a program (``targets.set_target`` adds it or changes the one there)."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    kpi = forms.ChoiceField(label=_("Figure"), choices=())
    measure = forms.ChoiceField(
        label=_("Measure"), choices=Target.Measure.choices, initial=Target.Measure.COUNT
    )
    value = forms.DecimalField(label=_("Target"), min_value=0, max_digits=20, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = kpi_choices()
        self.fields["year"].initial = timezone.localdate().year


class ProgramReportForm(CleanTextMixin, forms.Form):
    """Which report of a program to make: the period, the format and the language."""

    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("A year such as 2024, or a quarter such as 2024-Q1.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "XLSX")], initial="pdf")
    language = forms.ChoiceField(label=_("Language"), choices=[("ko", "한국어"), ("en", "English")])

    def __init__(self, *args, language: str = "ko", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = str(timezone.localdate().year)
        self.fields["language"].initial = language
