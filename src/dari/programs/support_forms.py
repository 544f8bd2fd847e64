"""Forms of a participant's support: its milestones and the services delivered. They collect
input; ``support`` validates and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin, ModelChoiceField, SearchableSelect, VersionedForm
from dari.registry.models import Organization, Person

from .models import MAX_SERVICE_HOURS, Milestone, ServiceDelivery
from .support import MILESTONE, SERVICE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def check_bounds_early(form, *names: str) -> None:
    """Give ``names`` the model fields' own validators (date range, hours bounds), so a form shows
    those errors together with the others rather than only once the rest is right: Django's form
    fields for dates and decimals do not take them from the model. The service checks them again."""
    for name in names:
        if name in form.fields:
            form.fields[name].validators = [
                *form.fields[name].validators,
                *form._meta.model._meta.get_field(name).validators,
            ]


class MilestoneForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    """A milestone; editing one also sets its status (and the day it was done)."""

    class Meta:
        model = Milestone
        fields = (*MILESTONE.creatable, "status", "done_on")
        widgets = {"due_on": DATE, "done_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # a new milestone is planned
            del self.fields["status"], self.fields["done_on"]
        else:
            self.fields["done_on"].help_text = _("When done; today if left empty.")
        check_bounds_early(self, "due_on", "done_on")

    def _post_clean(self):
        # The service validates (``support``): the form must not run the model's checks on a half-set
        # instance (a done milestone without its date is the service's to complete).
        pass


class ServiceForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = ServiceDelivery
        fields = SERVICE.creatable
        field_classes = {"provider_organization": ModelChoiceField, "provider_person": ModelChoiceField}
        widgets = {
            "delivered_on": DATE,
            "provider_organization": SearchableSelect,
            "provider_person": SearchableSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_organization"].queryset = Organization.objects.visible_to(user)
        self.fields["provider_person"].queryset = Person.objects.visible_to(user)
        self.fields["hours"].widget.attrs.update({"min": "0", "max": str(MAX_SERVICE_HOURS), "step": "0.25"})
        check_bounds_early(self, "delivered_on", "hours")

    def _post_clean(self):
        pass
