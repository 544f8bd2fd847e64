from django import forms
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin

KIND_LABELS = {
    "organizations": _("Organizations"),
    "people": _("People"),
    "participants": _("Program participants"),
    "outcomes": _("Outcomes"),
}


class ImportForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("UTF-8 (with or without BOM) or CP949 CSV, or XLSX")
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
