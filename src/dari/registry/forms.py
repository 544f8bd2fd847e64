from functools import cache, cached_property, lru_cache

from django import forms
from django.db import connection
from django.db.models import CharField, Value
from django.utils.translation import gettext_lazy as _

from dari.core.bilingual import current_language, localized, name_order
from dari.core.forms import (
    CleanTextMixin,
    CountryField,
    ModelChoiceField,
    SearchableCheckboxes,
    VersionedForm,
)
from dari.core.pagination import Row
from dari.core.text import clean_text

from .models import Affiliation, Cluster, Organization, Person, Relationship, Sector
from .services import AFFILIATION, ORGANIZATION, PERSON


@cache
def filter_choices_query(alias: str, vendor: str, language: str) -> tuple[str, tuple]:
    """The SQL of the organization list's filter choices in ``language``: clusters then sectors,
    each by name (``name_order``). The same for every request, so built once a process: building
    the name order twice a page cost more than the query's reading."""
    columns = ("list", "key", "name_ko", "name_en", "order")

    def rows(queryset, name: str):
        ordered = queryset.order_by().annotate(list=Value(name, CharField()), order=name_order(language))
        return ordered.values_list(*columns)

    read = rows(Cluster.objects.all(), "cluster").union(rows(Sector.objects.all(), "sector"), all=True)
    return read.order_by("list", "order", "key").query.get_compiler(alias).as_sql()


@lru_cache(maxsize=16)
def filter_choices_from(
    language: str, names: tuple[str, ...], rows: tuple[tuple, ...]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """The filter choices of ``rows`` (``filter_choices_query``'s, with its column ``names``) in
    ``language``, kept for the same rows: the same on most requests, and never stale, since the
    rows read on each request are the key."""
    choices = {"cluster": [], "sector": []}
    for values in rows:
        row = Row(zip(names, values, strict=True))
        choices[row["list"]].append((row["key"], str(localized(row, "name", language))))
    return {name: tuple(listed) for name, listed in choices.items()}  # shared: not to be changed


class OrganizationFilterForm(CleanTextMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    cluster = ModelChoiceField(
        label=_("Cluster"),
        required=False,
        queryset=Cluster.objects.all(),
        to_field_name="key",
        empty_label=_("all"),
    )
    sector = ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.all(),
        to_field_name="key",
        empty_label=_("all"),
    )
    illustrative = forms.BooleanField(label=_("Include illustrative organizations"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")), *Organization.Kind.choices]
        # Shown: both lists read together, when the page renders them (``filter_choices``); a value
        # sent is still looked up in the field's queryset.
        for name in ("cluster", "sector"):
            self.fields[name].choices = lambda name=name: [("", _("all")), *self.filter_choices[name]]

    @cached_property
    def filter_choices(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """The cluster and sector choices, each list by name in the page's language, as
        ``(key, name)``: read in one query of plain values, not two of model instances."""
        language = current_language()
        sql, params = filter_choices_query(connection.alias, connection.vendor, language)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = tuple(column[0] for column in cursor.description)
            return filter_choices_from(language, names, tuple(cursor.fetchall()))

    @property
    def includes_illustrative(self) -> bool:
        return self.is_valid() and self.cleaned_data["illustrative"]

    def filter(self, organizations, *, illustrative: bool | None = None):
        """Apply the valid filters; an invalid form filters nothing and shows its errors. The
        illustrative organizations are left out unless asked for (by the form, or ``illustrative``),
        even then."""
        if not (self.includes_illustrative if illustrative is None else illustrative):
            organizations = organizations.reported()
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


def sector_terms(value) -> str:
    """Every name a search may use for a sector: both languages' names and synonyms."""
    return " ".join(value.instance.all_terms())


class SectorChoiceField(forms.ModelMultipleChoiceField):
    """Sectors and technologies as a list of boxes to tick, searchable by their names and synonyms
    in either language; each reads in the page's language with the other's name beside it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Sector.objects.all())
        kwargs.setdefault("widget", SearchableCheckboxes(option_terms=sector_terms))
        super().__init__(**kwargs)

    def label_from_instance(self, sector) -> str:
        shown = localized(sector, "name")
        other = sector.name_en if shown.language == "ko" else sector.name_ko
        return f"{shown} ({other})" if other and other != str(shown) else str(shown)


class LinesField(forms.CharField):
    """A list of short texts, one per line (blank lines and surrounding spaces dropped)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = clean_text(super().to_python(value) or "", multiline=True)
        return [line.strip() for line in text.splitlines() if line.strip()]


class OrganizationForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    """An organization's profile. The ``key`` is asked only when adding (and may be left empty). The
    country is chosen by name and stored as its ISO code; sectors are searched by name or synonym."""

    country = CountryField()
    aliases = LinesField(
        label=_("Other names"),
        help_text=_(
            "One per line: other names and common spellings, in either language (유니스트 for UNIST)."
        ),
    )

    class Meta:
        model = Organization
        fields = ORGANIZATION.creatable  # what the service takes, declared once
        widgets = {
            "description_ko": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"sectors": SectorChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.order_by(name_order(), "key")
        if self.instance.pk:
            del self.fields["key"]
        else:
            self.fields["key"].required = False
            self.fields["key"].help_text = _("Leave empty to make one from the English name.")


class PersonForm(VersionedForm, CleanTextMixin, forms.ModelForm):
    """A person's names and contact. When adding, also where they work (members: one of their
    organizations)."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    title_ko = forms.CharField(label=_("title (Korean)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=200, required=False)

    class Meta:
        model = Person
        fields = PERSON.creatable

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
        fields = ["person", *AFFILIATION.creatable]
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
