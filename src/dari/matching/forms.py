from django import forms
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin, CountryField
from dari.engines.matching.profiles import PARTNER_KINDS, STARTUP_KIND
from dari.registry.models import Cluster, Organization

from .models import MatchingProfile, Stage
from .services import PROFILE

SEARCH_KINDS = [("", _("everything")), ("person", _("people")), *Organization.Kind.choices]


class SearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=SEARCH_KINDS)


class SuggestionFilterForm(CleanTextMixin, forms.Form):
    """Filters on a subject's suggestions; the kinds offered depend on whether it is a startup."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        required=False,
        queryset=Cluster.objects.all(),
        to_field_name="key",
        empty_label=_("all"),
    )
    country = CountryField()
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("all")), *Stage.choices])
    include_related = forms.BooleanField(
        label=_("Include organizations it already works with"), required=False
    )

    def __init__(self, *args, subject: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = PARTNER_KINDS if subject.kind == STARTUP_KIND else (STARTUP_KIND,)
        labels = dict(Organization.Kind.choices)
        self.fields["kind"].choices = [("", _("all")), *[(kind, labels[kind]) for kind in kinds]]

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def full_clean(self):
        # An address typed by hand may give the country in lower case (?country=kr).
        if self.is_bound and self.data.get("country"):
            self.data = self.data.copy()
            self.data["country"] = self.data["country"].upper()
        super().full_clean()


class StageListField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class MatchingProfileForm(CleanTextMixin, forms.ModelForm):
    stages_of_interest = StageListField(label=_("Stages of interest"), required=False, choices=Stage.choices)
    regions_of_interest = forms.CharField(
        label=_("Regions of interest"),
        required=False,
        max_length=500,
        help_text=_("Cities or regions in English, separated by commas, e.g. Ulsan, San Diego."),
    )

    class Meta:
        model = MatchingProfile
        fields = PROFILE.creatable  # what the service takes, declared once
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("needs_ko", "needs_en", "thesis_ko", "thesis_en")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["regions_of_interest"] = ", ".join(self.instance.regions_of_interest)

    def clean_regions_of_interest(self):
        return [part.strip() for part in self.cleaned_data["regions_of_interest"].split(",") if part.strip()]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
