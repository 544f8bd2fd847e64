"""What every form of Dari shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .countries import country_choices, country_terms
from .services import Conflict
from .text import clean_text


class CleanTextMixin:
    """Every text field of the form follows ``dari.core.text.clean_text``: a refused character is the
    field's error, invisible formatting characters are removed from single-line fields.

    A field is multi-line when its widget is a text area; passwords are left exactly as typed. The rule
    runs inside the field's own ``to_python`` (where Django strips surrounding spaces), so the length
    limits, validators and ``clean_<field>`` methods all see the cleaned value. Fields are covered when
    the form is cleaned, so fields a form adds in its ``__init__`` are covered too.
    """

    def full_clean(self):
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.PasswordInput)
                and not isinstance(field.to_python, TextCleaner)
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                field.to_python = TextCleaner(field.to_python, multiline=multiline)
        super().full_clean()


class TextCleaner:
    """A field's ``to_python`` followed by the text rule."""

    def __init__(self, to_python, *, multiline: bool):
        self.to_python = to_python
        self.multiline = multiline

    def __call__(self, value):
        value = self.to_python(value)
        return clean_text(value, multiline=self.multiline) if isinstance(value, str) else value


def posted(request):
    """The form data of a POST, else None (an unbound form). Not ``request.POST or None``: an empty POST
    is falsy, and would show the blank form instead of the errors of a form sent with nothing in it."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on the field it names when the form has it,
    above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def saved_or_errors(form, save):
    """Run ``save(values)`` with the valid form's data (the version aside); on a ``ValidationError``
    from the service put its messages on the form, on a ``Conflict`` (someone saved the row since the
    editor opened the form) show what they saved (``VersionedForm.show_conflict``), and return None."""
    values = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
    try:
        return save(values)
    except ValidationError as error:
        add_service_errors(form, error)
    except Conflict as conflict:
        form.show_conflict(conflict, form.instance._meta.model.objects.get(pk=form.instance.pk))
    return None


def edit_status(form) -> int:
    """409 while the form shows someone else's change, else as ``form_status``."""
    return 409 if getattr(form, "conflict", False) else form_status(form)


def form_status(form) -> int:
    """The HTTP status of a page showing ``form``: 400 when it was sent and has errors (so a script or
    a test sees the refusal, as the API's 422), else 200."""
    return 400 if form.is_bound and form.errors else 200


# --- searchable choices ------------------------------------------------------------------------------

FILTER_PLACEHOLDER = _("Type to narrow the list")


class SearchableChoices:
    """A choice widget with a search box above it (``dari/forms.js``; without script, the plain widget).
    ``option_terms(value)`` gives what else a search may match for an option: other names, synonyms,
    codes."""

    def __init__(self, attrs=None, choices=(), option_terms=None):
        super().__init__(attrs, choices)
        self.option_terms = option_terms

    class Media:
        js = ["dari/forms.js"]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if self.option_terms and value not in ("", None):
            option["attrs"]["data-terms"] = self.option_terms(value)
        return option


class SearchableSelect(SearchableChoices, forms.Select):
    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "data-filterable": "", "data-filter-placeholder": FILTER_PLACEHOLDER}
        return super().get_context(name, value, attrs)


class SearchableCheckboxes(SearchableChoices, forms.CheckboxSelectMultiple):
    """Checkboxes (every choice in view, several chosen at once) with a search box above the list."""

    template_name = "dari/widgets/searchable_checkboxes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filter_placeholder"] = FILTER_PLACEHOLDER  # on the list, which it filters
        return context


class CountryField(forms.ChoiceField):
    """A country, stored as its ISO 3166-1 alpha-2 code, chosen by its name in the page's language
    (searchable by its name in either language or its code)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Country"))
        kwargs.setdefault("required", False)
        widget = SearchableSelect(option_terms=country_terms)
        super().__init__(choices=self.choices_now, widget=widget, **kwargs)

    @staticmethod
    def choices_now():
        return [("", "—"), *country_choices()]


# --- edits from the version the editor saw -----------------------------------------------------------


class VersionedForm:
    """A model form of a ``dari.core.services.Versioned`` row carries, hidden, the version the editor
    saw. The view passes ``seen_version`` to the editing service; when that raises ``Conflict``,
    ``show_conflict(stored)`` keeps the editor's input, names what the other person saved where it
    differs from it, and takes the stored version, so that saving again replaces their change knowingly.
    The view answers 409 while ``conflict`` is set."""

    conflict = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            initial=instance.version if instance is not None and instance.pk else None,
        )

    @property
    def seen_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def values(self) -> dict:
        """The cleaned values for the service, without the version."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}

    def show_conflict(self, error, stored) -> None:
        self.conflict = True
        self.add_error(None, str(error))
        for name, value in self.values().items():
            field = stored._meta.get_field(name)
            theirs = getattr(stored, name)
            if field.many_to_many:
                theirs = list(theirs.all())
                differs = {item.pk for item in theirs} != {item.pk for item in value}
                shown = ", ".join(str(item) for item in theirs) or "—"
            else:
                differs = theirs != value and not (theirs in ("", None) and value in ("", None))
                shown = str(theirs) if theirs not in ("", None) else "—"
            if differs:
                self.add_error(
                    None,
                    _("Saved meanwhile: %(field)s: %(value)s")
                    % {"field": field.verbose_name, "value": shown},
                )
        self.data = self.data.copy()
        self.data["version"] = str(stored.version)


class ReadChoices(forms.models.ModelChoiceIterator):
    """Reads a choice list in one plain query. Django's iterator streams it through a server-side
    cursor, which PostgreSQL opens, holds and closes in three round trips (``DECLARE ... WITH HOLD``):
    ~10 ms a list on the organization list's filters, for a handful of rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose choices are read in one plain query (``ReadChoices``)."""

    iterator = ReadChoices
