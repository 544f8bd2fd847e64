from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Cluster, Organization, Sector


class OrganizationFilterForm(forms.Form):
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
