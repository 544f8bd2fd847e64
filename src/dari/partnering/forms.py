from django import forms
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin

from .services import MEETING_REQUEST, MESSAGE_LIMIT


class MeetingRequestForm(CleanTextMixin, forms.Form):
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the meeting is for, in Korean or English. The partnership's staff read it too."),
    )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEETING_REQUEST.creatable}
