"""What every form of Dari shares."""

from django import forms

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
