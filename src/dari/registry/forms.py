from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin

from .models import Affiliation, Cluster, Organization, Person, Relationship, Sector


class OrganizationFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        required=False,
        queryset=Cluster.objects.all(),
        to_field_name="key",
        empty_label=_("all"),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="key",
        empty_label=_("all"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")), *Organization.Kind.choices]

    def filter(self, organizations):
        """Apply the valid filters; an invalid form filters nothing and shows its errors."""
        if not self.is_valid():
            return organizations
        data = self.cleaned_data
        if data["kind"]:
            organizations = organizations.filter(kind=data["kind"])
        if data["cluster"]:
            organizations = organizations.filter(cluster=data["cluster"])
        if data["sector"]:
            organizations = organizations.filter(
                sectors__in=Sector.objects.with_descendants(data["sector"].key)
            ).distinct()
        if data["q"]:
            organizations = organizations.search(data["q"])
        return organizations


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationForm(CleanTextMixin, forms.ModelForm):
    """An organization's profile. The ``key`` is asked only when adding (and may be left empty)."""

    class Meta:
        model = Organization
        fields = [
            "key",
            "name_ko",
            "name_ko_origin",
            "name_en",
            "name_en_origin",
            "short_name_ko",
            "short_name_en",
            "kind",
            "cluster",
            "sectors",
            "description_ko",
            "description_en",
            "website",
            "country",
            "city_ko",
            "city_en",
            "is_public",
        ]
        widgets = {
            "description_ko": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["key"]
        else:
            self.fields["key"].required = False
            self.fields["key"].help_text = _("Leave empty to make one from the English name.")


class PersonForm(CleanTextMixin, forms.ModelForm):
    """A person's names and contact. When adding, also where they work (members: one of their
    organizations)."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    title_ko = forms.CharField(label=_("title (Korean)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=200, required=False)

    class Meta:
        model = Person
        fields = [
            "key",
            "name_ko",
            "name_ko_origin",
            "name_en",
            "name_en_origin",
            "email",
            "is_public",
            "public_listing_basis",
        ]

    def __init__(self, *args, organizations=None, organization_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("key", "organization", "title_ko", "title_en"):
                del self.fields[name]
        else:
            self.fields["key"].required = False
            self.fields["key"].help_text = _("Leave empty to make one from the English name.")
            self.fields["organization"].queryset = organizations
            self.fields["organization"].required = organization_required


class AffiliationForm(CleanTextMixin, forms.ModelForm):
    """A position at an organization; the person is chosen only when adding."""

    class Meta:
        model = Affiliation
        fields = ["person", "title_ko", "title_en", "started_on", "ended_on"]
        widgets = {"started_on": DATE_INPUT, "ended_on": DATE_INPUT}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people


class RelationshipForm(CleanTextMixin, forms.Form):
    """A tie between the organization whose page this is and another one, in either direction."""

    OUTGOING, INCOMING = "outgoing", "incoming"

    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            (OUTGOING, _("this organization → the other")),
            (INCOMING, _("the other → this organization")),
        ],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Relationship.Kind.choices)
    other = forms.ModelChoiceField(label=_("Other organization"), queryset=Organization.objects.none())
    started_on = forms.DateField(label=_("from"), required=False, widget=DATE_INPUT)
    ended_on = forms.DateField(label=_("until"), required=False, widget=DATE_INPUT)
    note_ko = forms.CharField(
        label=_("note (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_en = forms.CharField(
        label=_("note (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = organizations


class MergeForm(CleanTextMixin, forms.Form):
    duplicate = forms.ModelChoiceField(
        label=_("Duplicate to merge into this organization"), queryset=Organization.objects.none()
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = organizations


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on the field it names when the form has it,
    above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
