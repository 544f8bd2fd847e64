"""User content in Korean and English: pick the viewer's language, fall back visibly."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, F, Value
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


class NameOrder(models.Expression):
    """``name_order(language, field)`` as one expression node, for the lists ordered by name on every
    request (``OrganizationQuerySet.in_name_order``): the same SQL, so the database reads it from
    the same indexes, but written from a template made once a process (``_name_order_template``)
    around the two name columns. Resolving, hashing and compiling the tree of eleven functions cost
    about 0.85 ms a query (benchmarks/results/load.md); indexes keep ``name_order``, which
    migrations can write."""

    output_field = CharField()

    def __init__(self, language: str, field: str = "name"):
        super().__init__()
        self.language, self.name_field = language, field
        other = "en" if language == "ko" else "ko"
        self.names = [F(f"{field}_{language}"), F(f"{field}_{other}")]

    def get_source_expressions(self):
        return self.names

    def set_source_expressions(self, expressions):
        self.names = list(expressions)

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.names = [
            name.resolve_expression(query, allow_joins, reuse, summarize, for_save) for name in self.names
        ]
        return resolved

    def as_sql(self, compiler, connection):
        pieces, params = _name_order_template(compiler, connection.vendor)
        requested, requested_params = compiler.compile(self.names[0])
        other, other_params = compiler.compile(self.names[1])
        sql = f"{pieces[0]}{requested}{pieces[1]}{other}{pieces[2]}"
        return sql, (*params[0], *requested_params, *params[1], *other_params, *params[2])


_NAME_MARK = "\x00dari-name\x00"


class _Name(models.Expression):
    """A stand-in for a name column in ``_name_order_template``."""

    output_field = CharField()

    def as_sql(self, compiler, connection):
        return _NAME_MARK, []


_name_order_templates: dict[str, tuple[list[str], list[tuple]]] = {}


def _name_order_template(compiler, vendor: str) -> tuple[list[str], list[tuple]]:
    """``name_order``'s SQL on ``vendor`` in three pieces around its two name columns, with the
    parameters of each piece: the same for every language and field."""
    if vendor not in _name_order_templates:
        name = Coalesce(NullIf(_Name(), Value("")), _Name())
        for mark in KOREAN_LEGAL_FORM_MARKS:
            name = Replace(name, Value(mark), Value(""))
        sql, params = compiler.compile(Lower(Trim(name)))
        pieces = sql.split(_NAME_MARK)
        split, start = [], 0
        for piece in pieces:
            split.append(tuple(params[start : start + piece.count("%s")]))
            start += piece.count("%s")
        _name_order_templates[vendor] = (pieces, split)
    return _name_order_templates[vendor]
