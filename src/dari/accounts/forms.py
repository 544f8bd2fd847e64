"""Forms of the account pages. They validate input; the writes are the services' job."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordMixin, UsernameField
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dari.core.forms import CleanTextMixin
from dari.core.time import TimeZoneField

from .models import ROLE_SCOPES, RegistrationRequest, Role, User
from .queries import grantable_roles, grantable_scopes
from .services import can_grant
from .services.registrations import claimable_organizations


def language_field():
    return forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class NewAccountForm(CleanTextMixin, SetPasswordMixin, forms.Form):
    """Username, password (checked by Django's password validators), language and time zone."""

    username = UsernameField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Password"), label2=_("Password (again)")
    )
    language = language_field()
    time_zone = TimeZoneField(initial="Asia/Seoul")

    def email_for_validation(self) -> str:
        return ""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken. Choose another one."), code="taken")
        return username

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        candidate = User(username=cleaned.get("username", ""), email=self.email_for_validation())
        self.validate_password_for_user(candidate)
        return cleaned

    def account_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "password": data["password1"],
            "language": data["language"],
            "time_zone": data["time_zone"],
        }


class AcceptInvitationForm(NewAccountForm):
    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def email_for_validation(self) -> str:
        return self.invitation.email


class RegistrationForm(NewAccountForm):
    email = forms.EmailField(label=_("E-mail address"))
    kind = forms.ChoiceField(
        label=_("I am registering"), choices=RegistrationRequest.Kind.choices, widget=forms.RadioSelect
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=None,
        required=False,
        help_text=_("For an existing organization: the one you belong to."),
    )
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description_ko = forms.CharField(label=_("Description (Korean)"), required=False, widget=forms.Textarea)
    description_en = forms.CharField(label=_("Description (English)"), required=False, widget=forms.Textarea)
    message = forms.CharField(
        label=_("Message to the reviewers"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Who you are and your role in the organization."),
    )

    field_order = ["username", "email", "password1", "password2", "language", "time_zone", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = claimable_organizations()

    def email_for_validation(self) -> str:
        return self.cleaned_data.get("email", "")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == RegistrationRequest.Kind.CLAIM and not cleaned.get("organization"):
            self.add_error("organization", _("Choose the organization you belong to."))
        if kind == RegistrationRequest.Kind.NEW_ORGANIZATION and not (
            cleaned.get("name_ko", "").strip() or cleaned.get("name_en", "").strip()
        ):
            self.add_error("name_en", _("Give a name in Korean or in English."))
        return cleaned

    def organization_details(self) -> dict:
        names = ["name_ko", "name_en", "website", "description_ko", "description_en"]
        return {name: self.cleaned_data.get(name, "") for name in names}


class InvitationForm(CleanTextMixin, forms.Form):
    """E-mail, role and scope, offering only what the inviting user may grant."""

    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    scope = forms.ChoiceField(
        label=_("Where"), required=False, help_text=_("Leave empty for the partnership-wide staff role.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        roles = grantable_roles(user)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        self.scopes = {}
        groups = [("", "—")]
        group_labels = {
            "registry.organization": _("Organizations"),
            "programs.program": _("Programs"),
            "partnering.event": _("Partnering events"),
        }
        for label, objects in grantable_scopes(user).items():
            options = []
            for obj in objects:
                value = f"{label}:{obj.pk}"
                self.scopes[value] = obj
                options.append((value, str(obj)))
            if options:
                groups.append((group_labels[label], options))
        self.fields["scope"].choices = groups

    def clean(self):
        cleaned = super().clean()
        role, value = cleaned.get("role"), cleaned.get("scope") or ""
        if not role:
            return cleaned
        scope = self.scopes.get(value)
        expected = ROLE_SCOPES[role]
        actual = value.rpartition(":")[0] or None
        if expected != actual:
            message = (
                _("This role holds everywhere: leave “Where” empty.")
                if expected is None
                else _("Choose an organization for this role.")
                if expected == "registry.organization"
                else _("Choose a partnering event for this role.")
                if expected == "partnering.event"
                else _("Choose a program for this role.")
            )
            self.add_error("scope", message)
        elif not can_grant(self.user, role, scope):
            self.add_error("scope", _("You may not grant this role here."))
        cleaned["scope_object"] = scope
        return cleaned


class ProfileForm(CleanTextMixin, forms.Form):
    language = language_field()
    time_zone = TimeZoneField()


class ApiTokenForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “monthly KPI export”.")
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Leave empty for a token that stays valid until you revoke it."),
    )


class RejectRegistrationForm(CleanTextMixin, forms.Form):
    note = forms.CharField(
        label=_("Reason (sent to the applicant)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeleteAccountForm(CleanTextMixin, forms.Form):
    """The user confirms by typing their username and their password.

    The password is checked through ``authenticate``, as at sign-in, so django-axes counts wrong
    ones and locks the username and address out after five: whoever holds a session cannot guess
    the password without limit here either. Bind it with the ``request``."""

    username = forms.CharField(label=_("Your username"), max_length=150)
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username != self.user.get_username():
            raise ValidationError(_("Type your username exactly as shown."), code="wrong_username")
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        confirmed = authenticate(self.request, username=self.user.get_username(), password=password)
        if getattr(self.request, "axes_locked_out", False):
            raise ValidationError(_("Too many wrong passwords: try again later."), code="locked_out")
        if confirmed is None or confirmed.pk != self.user.pk:
            raise ValidationError(_("The password is not correct."), code="wrong_password")
        return password
