from django import forms
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin


class PreferencesForm(CleanTextMixin, forms.Form):
    """Two checkboxes per kind that can be turned off: ``<kind>:email`` and ``<kind>:app``."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferences = preferences
        for preference in preferences:
            key = preference.kind.key
            self.fields[f"{key}:email"] = forms.BooleanField(
                label=_("by e-mail"), required=False, initial=preference.by_email
            )
            self.fields[f"{key}:app"] = forms.BooleanField(
                label=_("in the app"), required=False, initial=preference.in_app
            )

    def rows(self):
        """(preference, e-mail field, in-app field) per kind, for the table."""
        return [
            (preference, self[f"{preference.kind.key}:email"], self[f"{preference.kind.key}:app"])
            for preference in self.preferences
        ]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            preference.kind.key: (
                self.cleaned_data[f"{preference.kind.key}:email"],
                self.cleaned_data[f"{preference.kind.key}:app"],
            )
            for preference in self.preferences
        }
