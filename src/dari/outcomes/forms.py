from django import forms
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin

from .vocabulary import Kind, Stage


class OutcomeFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *Kind.choices])
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("all")), *Stage.choices])

    def filter(self, outcomes):
        if not self.is_valid():
            return outcomes
        data = self.cleaned_data
        return outcomes.filtered(kind=data["kind"], stage=data["stage"], text=data["q"])


class StageForm(CleanTextMixin, forms.Form):
    """Move an outcome to one of the stages its kind allows next."""

    stage = forms.ChoiceField(label=_("New stage"))
    on = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    note_ko = forms.CharField(
        label=_("note (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_en = forms.CharField(
        label=_("note (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, next_stages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = next_stages
