from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dari.accounts.access import access_for
from dari.agreements.models import Agreement, CooperationArea
from dari.core.bilingual import localized
from dari.core.countries import country_name
from dari.core.forms import CleanTextMixin, CountryField, SearchableSelect, VersionedForm
from dari.programs.models import Program
from dari.registry.models import Cluster, Organization, Source

from . import services
from .models import Investor, Outcome
from .queries import NONE
from .services import OUTCOME, STAGE_MACHINES, starting_stages
from .vocabulary import Kind, Stage


def id_or_none(value: str) -> None:
    if value != NONE and not value.isdigit():
        raise forms.ValidationError(_("Give a number, or “none”."))


class OutcomeFilterForm(CleanTextMixin, forms.Form):
    """The outcome list's filters (``OutcomeQuerySet.filtered``). Those a KPI links with beyond the
    visible ones (program, cluster, country, area, cohort) travel as hidden fields and are named
    above the list (``extra_filters``). Like the dashboard, the list leaves out the outcomes of the
    organizations the demo made up unless ``illustrative=on``."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *Kind.choices])
    # Several stages when a KPI counts several (investment under review: sourced, in review, term sheet).
    stage = forms.MultipleChoiceField(label=_("Stage"), required=False, choices=Stage.choices)
    year = forms.IntegerField(label=_("Year reported"), required=False, min_value=1900, max_value=2200)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("all")), *((number, f"Q{number}") for number in range(1, 5))],
    )
    program = forms.SlugField(label=_("Program"), required=False)
    cluster = forms.SlugField(label=_("Cluster"), required=False)
    country = forms.RegexField(
        label=_("Country of counterparty"), required=False, regex=r"^([A-Za-z]{2}|none)$"
    )
    area = forms.CharField(label=_("Cooperation area"), required=False, validators=[id_or_none])
    cohort = forms.CharField(label=_("Cohort"), required=False, validators=[id_or_none])
    illustrative = forms.BooleanField(label=_("Include illustrative organizations"), required=False)

    HIDDEN = ("program", "cluster", "country", "area", "cohort", "illustrative")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Whose view the filters are named in: a program or an area only by a name they may see.
        self.user = user

    def filter(self, outcomes):
        if not self.is_valid():
            return outcomes.filtered(illustrative=False)
        data = self.cleaned_data
        return outcomes.filtered(
            kind=data["kind"],
            stage=data["stage"],
            text=data["q"],
            year=data["year"],
            quarter=data["quarter"],
            program=data["program"],
            cluster=data["cluster"],
            country=data["country"],
            area=data["area"],
            cohort=data["cohort"],
            illustrative=data["illustrative"],
        )

    def hidden_values(self) -> list[tuple[str, str]]:
        """(name, value) of the filters set that have no control of their own on the page."""
        if not self.is_valid():
            return []
        values = [(name, self.data.get(name, "")) for name in self.HIDDEN]
        return [(name, value) for name, value in values if value]

    def extra_filters(self) -> list[tuple[str, str]]:
        """(label, value) of those filters, for the sentence above the list."""
        shown = []
        for name, value in self.hidden_values():
            if value == NONE:
                value = _("none")
            elif name == "country":
                value = country_name(value)
            elif name == "illustrative":
                value = _("yes")
            else:
                value = self._named(name, value)
            shown.append((self.fields[name].label, value))
        return shown

    def _named(self, name: str, value: str) -> str:
        """The name of the program, cluster or area a filter gives by key or id, where the viewer
        may see it; else the value as given."""
        found = {
            "program": lambda: Program.objects.visible_to(self.user).filter(key=value).first(),
            "cluster": lambda: Cluster.objects.filter(key=value).first(),
            "area": lambda: CooperationArea.objects.filter(
                pk=value, agreement__in=Agreement.objects.visible_to(self.user)
            ).first(),
        }.get(name, lambda: None)()
        if found is None:
            return value
        return str(found) if name == "area" else str(localized(found, "name"))


class StageForm(CleanTextMixin, forms.Form):
    """Move an outcome to one of the stages its kind allows next."""

    stage = forms.ChoiceField(label=_("New stage"))
    on = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    note_ko = forms.CharField(
        label=_("note (Korean)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note_en = forms.CharField(
        label=_("note (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_(
            "A PDF or image proving the change (a term sheet, a signed contract); "
            "shown only to those who may see the amount."
        ),
    )

    def __init__(self, *args, next_stages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = next_stages


def recordable_startups(user):
    """The organizations ``user`` may record outcomes of: all for staff; their own organizations and
    the participants of the programs they manage (``permissions.can_record_outcome``)."""
    access = access_for(user)
    organizations = Organization.objects.visible_to(user)
    if access.sees_everything:
        return organizations
    return organizations.filter(
        Q(pk__in=access.organization_ids) | Q(participations__program_id__in=access.managed_program_ids)
    ).distinct()


def recordable_programs(user):
    """The programs an outcome recorded by ``user`` may name: all for staff; those their
    organizations take part in and those they manage."""
    access = access_for(user)
    programs = Program.objects.visible_to(user)
    if access.sees_everything:
        return programs
    return programs.filter(
        Q(pk__in=access.managed_program_ids) | Q(participants__organization_id__in=access.organization_ids)
    ).distinct()


def starting_stage_choices() -> list:
    """The starting stages, grouped by kind (the service checks that the stage fits the kind)."""
    return [
        (Kind(kind).label, [(stage, Stage(stage).label) for stage in starting_stages(kind)])
        for kind in STAGE_MACHINES
    ]


class OutcomeForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    """Record an outcome, or edit one. The kind, first stage and startup are chosen when recording
    only; later the stage moves through the stage form."""

    counterparty_country = CountryField(label=_("country of counterparty"))
    market_country = CountryField(label=_("market"))

    class Meta:
        model = Outcome
        fields = OUTCOME.creatable  # what the service takes, declared once
        widgets = {
            "summary_ko": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "public_summary_ko": forms.Textarea(attrs={"rows": 2}),
            "public_summary_en": forms.Textarea(attrs={"rows": 2}),
            "reported_on": forms.DateInput(attrs={"type": "date"}),
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "startup": SearchableSelect,
            "counterparty": SearchableSelect,
        }

    def __init__(self, *args, user, round_lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round_lead = round_lead
        fields = self.fields
        fields["program"].queryset = recordable_programs(user)
        fields["counterparty"].queryset = Organization.objects.visible_to(user)
        fields["cooperation_area"].queryset = CooperationArea.objects.filter(
            agreement__in=Agreement.objects.visible_to(user)
        ).select_related("agreement")
        fields["source"].queryset = Source.objects.all()
        if self.instance.pk:
            for name in ("key", "kind", "stage", "startup"):
                del fields[name]
        else:
            fields["startup"].queryset = recordable_startups(user)
            fields["stage"] = forms.ChoiceField(
                label=_("First stage"),
                choices=[("", "—"), *starting_stage_choices()],
                help_text=_("Where the outcome stands now; later stages are recorded on its page."),
            )
            fields["key"].required = False
            fields["key"].help_text = _("Leave empty to make one from the English title.")
            self.order_fields(["kind", "stage", "startup", "program", "cooperation_area"])

    def clean(self):
        data = super().clean()
        if self.round_lead is not None and not data.get("counterparty"):
            data["counterparty"] = self.round_lead  # a round's counterparty is its lead (the service's rule)
        return data


class InvestorForm(CleanTextMixin, forms.Form):
    """One investor of a round; a row left without an organization is ignored."""

    organization = forms.ModelChoiceField(
        label=_("investor"), required=False, queryset=Organization.objects.none(), widget=SearchableSelect
    )
    role = forms.ChoiceField(
        label=_("role"), choices=Investor.Role.choices, initial=Investor.Role.PARTICIPANT
    )
    share = forms.DecimalField(
        label=_("share"),
        required=False,
        min_value=0,
        max_digits=20,
        decimal_places=2,
        help_text=_("Its part of the round's amount, in the round's currency, if known."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user)


BaseInvestorFormSet = forms.formset_factory(InvestorForm, extra=3)


class InvestorFormSet(BaseInvestorFormSet):
    """A round's investors on the outcome form (prefix ``investors``). A POST without the formset
    (a script sending only the outcome's fields) leaves the investors as they are."""

    def __init__(self, data=None, *, user, outcome=None):
        self.sent = data is not None and "investors-TOTAL_FORMS" in data
        initial = None
        if outcome is not None and outcome.pk:
            initial = [
                {"organization": item.organization_id, "role": item.role, "share": item.share}
                for item in outcome.investors.all()
            ]
        super().__init__(
            data if self.sent else None, prefix="investors", initial=initial, form_kwargs={"user": user}
        )

    def lead(self):
        """The lead's organization (else the first investor's) of a valid sent formset, or None."""
        rows = self.investors() if self.sent and self.is_valid() else None
        return services.lead_of(rows) if rows else None

    def investors(self) -> list[dict] | None:
        """The rows with an organization, for the service; None when the formset was not sent."""
        if not self.sent:
            return None
        return [
            {"organization": row["organization"], "role": row["role"], "share": row["share"]}
            for row in self.cleaned_data
            if row.get("organization")
        ]
