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
