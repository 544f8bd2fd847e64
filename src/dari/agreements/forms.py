"""Agreement forms. Times are entered as a local date-time plus the IANA zone it is in; the services
convert to UTC. Forms only collect input: the services validate and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin, add_service_errors
from dari.core.time import LocalDateTimeField, local_initial, zone_field
from dari.registry.models import Organization, Person

from .models import ActionItem, Agreement, AgreementParty, CooperationArea


class ServiceForm(CleanTextMixin, forms.Form):
    """A form whose ``cleaned_data`` goes to a service; the service's ValidationError lands here."""

    def add_service_error(self, error: ValidationError) -> None:
        add_service_errors(self, error)


class AgreementForm(ServiceForm):
    key = forms.SlugField(label=_("key"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=Agreement.Kind.choices)
    title_ko = forms.CharField(label=_("title (Korean)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    summary_ko = forms.CharField(
        label=_("summary (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_en = forms.CharField(
        label=_("summary (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signed_at = LocalDateTimeField(label=_("signed at (local time)"), required=False)
    signed_time_zone = zone_field(_("time zone of signing"))
    place_ko = forms.CharField(label=_("place (Korean)"), max_length=300, required=False)
    place_en = forms.CharField(label=_("place (English)"), max_length=300, required=False)
    is_public = forms.BooleanField(label=_("public"), required=False, initial=True)

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict:
        initial = {name: getattr(agreement, name) for name in cls.base_fields if name != "signed_at"}
        initial["signed_at"] = local_initial(agreement.signed_at, agreement.signed_time_zone)
        return initial


class PartyForm(ServiceForm):
    organization = forms.ModelChoiceField(label=_("organization"), queryset=Organization.objects.none())
    head = forms.ModelChoiceField(label=_("head"), queryset=Person.objects.none(), required=False)
    head_title_ko = forms.CharField(label=_("head's title (Korean)"), max_length=200, required=False)
    head_title_en = forms.CharField(label=_("head's title (English)"), max_length=200, required=False)
    signatory = forms.ModelChoiceField(label=_("signatory"), queryset=Person.objects.none(), required=False)
    signatory_title_ko = forms.CharField(
        label=_("signatory's title (Korean)"), max_length=200, required=False
    )
    signatory_title_en = forms.CharField(
        label=_("signatory's title (English)"), max_length=200, required=False
    )

    def __init__(self, *args, user, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        taken = AgreementParty.objects.filter(agreement=agreement).values("organization_id")
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user).exclude(pk__in=taken).order_by("name_en", "name_ko")
        )
        people = Person.objects.visible_to(user).order_by("name_en", "name_ko")
        self.fields["head"].queryset = people
        self.fields["signatory"].queryset = people


class AreaForm(ServiceForm):
    number = forms.IntegerField(label=_("number"), min_value=1, required=False)
    title_ko = forms.CharField(label=_("title (Korean)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    description_ko = forms.CharField(
        label=_("description (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, area: CooperationArea) -> dict:
        return {name: getattr(area, name) for name in cls.base_fields}


class ActionItemForm(ServiceForm):
    title_ko = forms.CharField(label=_("title (Korean)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    area = forms.ModelChoiceField(
        label=_("cooperation area"), queryset=CooperationArea.objects.none(), required=False
    )
    owner_party = forms.ModelChoiceField(
        label=_("owner"), queryset=AgreementParty.objects.none(), required=False
    )
    due_at = LocalDateTimeField(label=_("due (local time)"), required=False)
    due_time_zone = zone_field(_("time zone of due date"))

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = agreement.areas.all()
        self.fields["owner_party"].queryset = agreement.parties.select_related("organization")

    @classmethod
    def initial_for(cls, item: ActionItem) -> dict:
        initial = {name: getattr(item, name) for name in ["title_ko", "title_en", "due_time_zone"]}
        initial.update(
            area=item.area_id,
            owner_party=item.owner_party_id,
            due_at=local_initial(item.due_at, item.due_time_zone),
        )
        return initial


class StatusForm(ServiceForm):
    status = forms.ChoiceField(label=_("status"), choices=ActionItem.Status.choices)


class ProgressNoteForm(ServiceForm):
    text_ko = forms.CharField(
        label=_("text (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text_en = forms.CharField(
        label=_("text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionItemFilterForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *ActionItem.Status.choices]
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=Organization.objects.none(), empty_label=_("all")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organizations that own an item somewhere the viewer can see, not the whole registry.
        owners = ActionItem.objects.visible_to(user).values("owner_party__organization_id")
        self.fields["owner"].queryset = (
            Organization.objects.visible_to(user).filter(pk__in=owners).order_by("name_en", "name_ko")
        )

    def filter(self, items, now):
        if not self.is_valid():
            return items
        data = self.cleaned_data
        return items.filtered(
            status=data["status"],
            owner=data["owner"].pk if data["owner"] else None,
            overdue_at=now if data["overdue"] else None,
        )
