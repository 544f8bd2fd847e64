"""Forms of meeting requests and events. They collect input; the services validate and write. An
event's days are entered as local times in the event's zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dari.core.bilingual import localized
from dari.core.forms import CleanTextMixin, SearchableSelect, VersionedForm
from dari.core.time import LocalDateTimeField, TimeZoneField
from dari.outcomes.vocabulary import Kind
from dari.registry.models import Organization

from .models import Attendance, Event, EventDay, EventItem, FollowUp, Location, Preference, Priority
from .services import (
    EVENT,
    LOCATION,
    MEETING_REQUEST,
    MESSAGE_LIMIT,
    NOTE_LIMIT,
    OUTCOME_KINDS,
    active_users_named,
    event_organizers,
)


def message_field():
    return forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the meeting is for, in Korean or English. The partnership's staff read it too."),
    )


class MeetingRequestForm(CleanTextMixin, forms.Form):
    message = message_field()
    event = forms.ChoiceField(
        label=_("At an event (optional)"),
        required=False,
        help_text=_("Ask at a partnering event where both organizations take part: its rules apply."),
    )

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.events = {str(event.pk): event for event in events}
        if self.events:
            choices = [(pk, str(localized(event, "name"))) for pk, event in self.events.items()]
            self.fields["event"].choices = [("", _("No event: a meeting to arrange")), *choices]
        else:
            del self.fields["event"]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEETING_REQUEST.creatable}

    def chosen_event(self):
        return self.events.get(self.cleaned_data.get("event") or "")


# --- events ------------------------------------------------------------------------------------------

KIND_CHOICES = Organization.Kind.choices


class EventForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    time_zone = TimeZoneField(label=_("Host time zone"))
    meet_kinds_a = forms.MultipleChoiceField(
        label=_("These kinds of organizations…"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meet_kinds_b = forms.MultipleChoiceField(
        label=_("…meet only these kinds (and the other way round)"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "E.g. startups on one side, investors and corporates on the other. None: anyone meets anyone."
        ),
    )
    organizers = forms.CharField(
        label=_("Organizers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Usernames, one a line. Someone without an account yet: invite them from Accounts."),
    )

    class Meta:
        model = Event
        fields = EVENT.creatable  # what the service takes, declared once
        widgets = {
            "description_ko": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["organizers"] = "\n".join(user.username for user in event_organizers(self.instance))

    def clean_organizers(self):
        names = [name.strip() for name in self.cleaned_data["organizers"].splitlines() if name.strip()]
        return active_users_named(names, "organizers")


class DayForm(CleanTextMixin, forms.ModelForm):
    breaks = forms.CharField(
        label=_("Breaks"),
        required=False,
        help_text=_("Local times, e.g. 12:00-13:00, 15:00-15:15."),
    )

    class Meta:
        model = EventDay
        fields = ("date", "starts", "ends")
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("date", "starts", "ends", "breaks")}


class EventItemForm(CleanTextMixin, forms.ModelForm):
    """A moment of the programme: its local time in the event's zone, and an agreement the user sees."""

    starts_at = LocalDateTimeField(label=_("Local time"))
    field_order = ["starts_at", "title_ko", "title_en", "place_ko", "place_en", "agreement"]

    class Meta:
        model = EventItem
        # ``starts_at`` is not the model's (an instant): it is read in the event's zone by the service.
        fields = ("title_ko", "title_en", "place_ko", "place_en", "agreement")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from dari.agreements.models import Agreement

        visible = Agreement.objects.visible_to(user) if user else Agreement.objects.none()
        self.fields["agreement"].queryset = visible

    def values(self) -> dict:
        # ``starts_at`` is a wall-clock time: the service reads it in the event's zone.
        return {name: self.cleaned_data[name] for name in ("starts_at", *self.Meta.fields)}


class LocationForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = LOCATION.creatable

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in LOCATION.creatable}


class DelegateForm(CleanTextMixin, forms.Form):
    """An organization the user acts for, and one of its members by username."""

    organization = forms.ChoiceField(label=_("Organization"), widget=SearchableSelect)
    username = forms.CharField(label=_("Username of the delegate"), max_length=150)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {str(organization.pk): organization for organization in organizations}
        self.fields["organization"].choices = [
            (pk, str(localized(organization, "name"))) for pk, organization in self.organizations.items()
        ]

    def clean_username(self):
        try:
            (user,) = active_users_named([self.cleaned_data["username"]], "username")
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["username"]) from None
        return user


class EventRequestForm(CleanTextMixin, forms.Form):
    """A meeting request at an event: for which of the user's organizations, with whom, who goes."""

    subject = forms.ChoiceField(label=_("For"))
    candidate = forms.ChoiceField(label=_("With"), widget=SearchableSelect)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    requester_preference = forms.ChoiceField(
        label=_("How much you want it"),
        choices=[
            (Preference.MUST_MEET, Preference.MUST_MEET.label),
            (Preference.WOULD_LIKE, Preference.WOULD_LIKE.label),
        ],
        initial=Preference.WOULD_LIKE,
        widget=forms.RadioSelect,
    )
    delegates = forms.MultipleChoiceField(
        label=_("Your delegates who attend"), required=False, widget=forms.CheckboxSelectMultiple
    )
    message = message_field()

    def __init__(self, *args, subjects=(), candidates=(), own_delegates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(str(org.pk), str(localized(org, "name"))) for org in subjects]
        self.fields["candidate"].choices = [(str(org.pk), str(localized(org, "name"))) for org in candidates]
        self.fields["delegates"].choices = [
            (str(delegate.pk), f"{delegate.user.get_username()} ({localized(delegate.organization, 'name')})")
            for delegate in own_delegates
        ]

    def values(self) -> dict:
        return {
            "message": self.cleaned_data["message"],
            "priority": self.cleaned_data["priority"],
            "requester_preference": self.cleaned_data["requester_preference"],
            "delegates": [int(pk) for pk in self.cleaned_data["delegates"]],
        }


class MeetingReportForm(CleanTextMixin, forms.Form):
    """One side's report on a meeting (``services.MEETING_REPORT``), for the side in ``organization``."""

    organization = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attendance = forms.ChoiceField(
        label=_("Did the meeting happen?"), choices=Attendance.choices, widget=forms.RadioSelect
    )
    result = forms.ChoiceField(
        label=_("What came of it"),
        choices=FollowUp.choices,
        required=False,
        help_text=_("Leave it as it is while you do not know yet."),
    )
    outcome_kind = forms.ChoiceField(
        label=_("Outcome to open"),
        required=False,
        help_text=_(
            "When a negotiation started, Dari opens an outcome of this kind for your organization, "
            "with the other side as its counterparty (not public), once."
        ),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For your organization only: the other side and the organizers do not see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_kind"].choices = [(kind, Kind(kind).label) for kind in OUTCOME_KINDS]
        self.fields["outcome_kind"].initial = OUTCOME_KINDS[0]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("attendance", "result", "note")}
