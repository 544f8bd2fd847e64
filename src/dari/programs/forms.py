"""Forms of programs, calls and applications. They collect input; the services validate and write.
Times of a call are entered as local date-times in the call's zone."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dari.accounts.access import access_for
from dari.core.bilingual import localized
from dari.core.forms import CleanTextMixin, SearchableSelect, VersionedForm
from dari.core.time import LocalDateTimeField, local_initial, zone_field
from dari.registry.models import Organization

from .application_form import KINDS, answer_field, kind_labels
from .models import Application, Call, Program, ProgramRole
from .services import CALL, PROGRAM, program_managers

# --- programs ----------------------------------------------------------------------------------------


class ProgramForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Program
        fields = PROGRAM.creatable  # what the service takes, declared once
        widgets = {
            "description_ko": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["key"]
        else:
            self.fields["key"].required = False
            self.fields["key"].help_text = _("Leave empty to make one from the English name.")


class ManagersForm(CleanTextMixin, forms.Form):
    """The program's managers by username, one a line (their ``program_manager`` memberships)."""

    managers = forms.CharField(
        label=_("Managers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Usernames, one a line. Someone without an account yet: invite them from Accounts."),
    )

    def __init__(self, *args, program=None, **kwargs):
        if program is not None and program.pk:
            kwargs.setdefault(
                "initial", {"managers": "\n".join(user.username for user in program_managers(program))}
            )
        super().__init__(*args, prefix="people", **kwargs)

    def clean_managers(self):
        names = [name.strip() for name in self.cleaned_data["managers"].splitlines() if name.strip()]
        users = {
            user.username: user
            for user in get_user_model().objects.filter(is_active=True, username__in=names)
        }
        missing = [name for name in names if name not in users]
        if missing:
            raise forms.ValidationError(_("No such user: %(names)s") % {"names": ", ".join(missing)})
        return list(users.values())


class RoleForm(CleanTextMixin, forms.Form):
    """One organization that runs, supports or funds the program; a row without one is ignored."""

    organization = forms.ModelChoiceField(
        label=_("organization"), required=False, queryset=Organization.objects.none(), widget=SearchableSelect
    )
    role = forms.ChoiceField(label=_("role"), choices=ProgramRole.Role.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user)


class RoleFormSet(forms.formset_factory(RoleForm, extra=2)):
    def __init__(self, data=None, *, user, program=None):
        initial = None
        if program is not None and program.pk:
            initial = [{"organization": row.organization_id, "role": row.role} for row in program.roles.all()]
        super().__init__(data, prefix="roles", initial=initial, form_kwargs={"user": user})

    def roles(self) -> list[dict]:
        return [
            {"organization": row["organization"], "role": row["role"]}
            for row in self.cleaned_data
            if row.get("organization")
        ]


# --- calls -------------------------------------------------------------------------------------------


class CallForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    opens_at = LocalDateTimeField(label=_("opens at (local time)"))
    closes_at = LocalDateTimeField(
        label=_("closes at (local time)"),
        help_text=_("The deadline, to the second: applications are refused from this moment on."),
    )
    time_zone = zone_field(_("time zone of the call"), required=True)

    class Meta:
        model = Call
        fields = CALL.creatable
        widgets = {
            "description_ko": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "eligibility_ko": forms.Textarea(attrs={"rows": 2}),
            "eligibility_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault(
                "initial",
                {
                    "opens_at": local_initial(instance.opens_at, instance.time_zone),
                    "closes_at": local_initial(instance.closes_at, instance.time_zone),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["round"].required = False
        self.fields["round"].help_text = _("Leave empty for the program's next round.")
        self.fields["closes_at"].widget.attrs["step"] = 1
        self.fields["closes_at"].widget.format = "%Y-%m-%dT%H:%M:%S"

    def _post_clean(self):
        # The times are local in the chosen zone: the service reads them (``set_moment``), not the model.
        pass


def parse_choices(text: str) -> list[dict]:
    """``key | 한국어 | English`` a line into choices."""
    choices = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        parts += [""] * (3 - len(parts))
        choices.append({"key": parts[0], "label_ko": parts[1], "label_en": parts[2]})
    return choices


class QuestionForm(CleanTextMixin, forms.Form):
    """One question of the application form; a row without a key and labels is ignored."""

    key = forms.CharField(label=_("key"), required=False, max_length=40, help_text=_("e.g. team, pitch_deck"))
    kind = forms.ChoiceField(label=_("kind of answer"), choices=[])
    required = forms.BooleanField(label=_("required"), required=False)
    label_ko = forms.CharField(label=_("question (Korean)"), required=False, max_length=500)
    label_en = forms.CharField(label=_("question (English)"), required=False, max_length=500)
    choices = forms.CharField(
        label=_("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a choice: one a line, as key | 한국어 | English."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = kind_labels()
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in KINDS]

    def question(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("key") or data.get("label_ko") or data.get("label_en")):
            return None
        question = {name: data[name] for name in ("key", "kind", "required", "label_ko", "label_en")}
        if data["kind"] == "choice":
            question["choices"] = parse_choices(data["choices"])
        return question


class QuestionFormSet(forms.formset_factory(QuestionForm, extra=2)):
    def __init__(self, data=None, *, call=None):
        initial = None
        if call is not None and call.pk:
            initial = [
                {
                    **{name: question.get(name, "") for name in ("key", "kind", "label_ko", "label_en")},
                    "required": question.get("required", False),
                    "choices": "\n".join(
                        f"{choice['key']} | {choice['label_ko']} | {choice['label_en']}"
                        for choice in question.get("choices", [])
                    ),
                }
                for question in call.form
            ]
        super().__init__(data, prefix="questions", initial=initial)

    def questions(self) -> list[dict]:
        return [question for form in self.forms if (question := form.question()) is not None]


class PhaseForm(CleanTextMixin, forms.Form):
    """One review phase; a row without a name is ignored."""

    name_ko = forms.CharField(label=_("phase (Korean)"), required=False, max_length=200)
    name_en = forms.CharField(label=_("phase (English)"), required=False, max_length=200)
    opens_at = LocalDateTimeField(label=_("opens at (local time)"), required=False)
    closes_at = LocalDateTimeField(label=_("closes at (local time)"), required=False)


class PhaseFormSet(forms.formset_factory(PhaseForm, extra=1)):
    def __init__(self, data=None, *, call=None):
        initial = None
        if call is not None and call.pk:
            initial = [
                {
                    "name_ko": phase.name_ko,
                    "name_en": phase.name_en,
                    "opens_at": local_initial(phase.opens_at, call.time_zone),
                    "closes_at": local_initial(phase.closes_at, call.time_zone),
                }
                for phase in call.phases.all()
            ]
        super().__init__(data, prefix="phases", initial=initial)

    def phases(self) -> list[dict]:
        return [row for row in self.cleaned_data if row.get("name_ko") or row.get("name_en")]


# --- applications ------------------------------------------------------------------------------------


class StartApplicationForm(CleanTextMixin, forms.Form):
    startup = forms.ModelChoiceField(label=_("Apply as"), queryset=Organization.objects.none())

    def __init__(self, *args, user, call, **kwargs):
        super().__init__(*args, **kwargs)
        access = access_for(user)
        taken = Application.objects.filter(call=call).values("startup_id")
        self.fields["startup"].queryset = Organization.objects.filter(pk__in=access.organization_ids).exclude(
            pk__in=taken
        )


class AnswersForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    """The call's questions as fields named ``answers.<key>`` (where the service's errors land);
    none is required here: a draft may be partial, and submitting checks the required ones."""

    class Meta:
        model = Application
        fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        application = self.instance
        for question in application.call.form:
            name = answer_field(question["key"])
            self.fields[name] = self.field_for(question)
            if not self.is_bound:
                self.initial[name] = application.answers.get(question["key"], "")

    @staticmethod
    def field_for(question: dict) -> forms.Field:
        label = str(localized_label(question))
        if question.get("required"):
            label = f"{label} *"
        kind = question["kind"]
        if kind == "long_text":
            return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}))
        if kind == "choice":
            choices = [
                ("", "—"),
                *((choice["key"], str(localized_label(choice))) for choice in question["choices"]),
            ]
            return forms.ChoiceField(label=label, required=False, choices=choices)
        if kind == "file":
            return forms.FileField(label=label, required=False)
        widget = {"number": forms.TextInput(attrs={"inputmode": "decimal"}), "url": forms.URLInput}.get(kind)
        return forms.CharField(label=label, required=False, widget=widget)

    def answers(self) -> dict:
        """The typed answers (files apart) by question key."""
        kinds = {question["key"]: question["kind"] for question in self.instance.call.form}
        return {key: self.cleaned_data[answer_field(key)] for key, kind in kinds.items() if kind != "file"}

    def files_sent(self) -> dict:
        kinds = {question["key"]: question["kind"] for question in self.instance.call.form}
        return {
            key: self.cleaned_data[answer_field(key)]
            for key, kind in kinds.items()
            if kind == "file" and self.cleaned_data.get(answer_field(key))
        }

    def show_conflict(self, error, stored) -> None:
        self.conflict = True
        self.add_error(None, str(error))
        self.data = self.data.copy()
        self.data["version"] = str(stored.version)


def localized_label(item: dict):
    """A question's or a choice's label in the page's language, else the other one."""

    class Labels:
        label_ko = item.get("label_ko", "")
        label_en = item.get("label_en", "")

    return localized(Labels, "label")


class RevisionsForm(CleanTextMixin, forms.Form):
    note = forms.CharField(
        label=_("What should the startup revise?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
