"""User content in Korean and English: pick the viewer's language, fall back visibly."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf, Replace, Trim
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("ko", "en")


class NameOrigin(models.TextChoices):
    ORIGINAL = "original", _("original")
    TRANSLATION = "translation", _("translation")


@dataclass(frozen=True)
class LocalizedText:
    """A text in the language it is shown in; ``language`` differs from the requested one on fallback."""

    text: str
    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.requested

    def __str__(self) -> str:
        return self.text


def current_language() -> str:
    language = (get_language() or "ko")[:2]
    return language if language in LANGUAGES else "ko"


def localized(obj, field: str, language: str | None = None) -> LocalizedText:
    """The ``field_ko``/``field_en`` value of ``obj`` in ``language``, or the other one."""
    requested = language or current_language()
    other = "en" if requested == "ko" else "ko"
    for candidate in (requested, other):
        value = getattr(obj, f"{field}_{candidate}", "") or ""
        if value:
            return LocalizedText(value, candidate, requested)
    return LocalizedText("", requested, requested)


class BilingualNamed(models.Model):
    """A name in Korean and English, each marked as the original or a translation."""

    name_ko = models.CharField(_("name (Korean)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_ko_origin = models.CharField(
        _("Korean name is"), max_length=12, choices=NameOrigin.choices, default=NameOrigin.ORIGINAL
    )
    name_en_origin = models.CharField(
        _("English name is"), max_length=12, choices=NameOrigin.choices, default=NameOrigin.ORIGINAL
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.name) or f"#{self.pk}"

    @property
    def name(self) -> LocalizedText:
        return localized(self, "name")

    def clean(self):
        super().clean()
        if not (self.name_ko.strip() or self.name_en.strip()):
            raise ValidationError(_("Give a name in Korean or in English."))


# Legal-form marks that open many Korean company names (㈜타이로스코프, (주)에스비솔루션): a Korean
# reader looks such a name up under its first real syllable, as directories do.
KOREAN_LEGAL_FORM_MARKS = ("㈜", "(주)", "（주）", "(유)", "㈔", "(사)", "(재)")


def name_order(language: str | None = None, field: str = "name") -> models.Func:
    """An expression that sorts rows by their name in ``language`` (the active one by default): the
    ``field_ko`` name, else the English one, in Korean; ``field_en``, else the Korean one, in English.
    Case is ignored, and so are Korean legal-form marks such as ㈜. Hangul syllables are in Unicode
    in 가나다 order, so the same expression gives the Korean order on SQLite (byte order) and on
    PostgreSQL."""
    requested = language or current_language()
    other = "en" if requested == "ko" else "ko"
    name = Coalesce(NullIf(f"{field}_{requested}", Value("")), f"{field}_{other}")
    for mark in KOREAN_LEGAL_FORM_MARKS:
        name = Replace(name, Value(mark), Value(""))
    return Lower(Trim(name))
