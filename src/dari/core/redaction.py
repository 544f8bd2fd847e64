"""One redaction helper for confidential fields, called by pages, the API and every export.

Each app registers, per model, a rule saying which fields of one object a viewer may not see
(``register(Outcome, rule)``); callers ask ``hidden_fields(user, obj)`` or ``shown(user, obj, field)``.
A rule must not query the database per object: it reads the viewer's cached access and the
object's own columns.

Free text can repeat a confidential value, so a rule may hide text fields too. A hidden text field
can name the field holding what may be said publicly instead (``public_fields``, e.g. ``title_ko`` →
``public_title_ko``); a text with nothing public to show reads as the registered ``placeholder``.
Templates get this from ``{% loc %}``: ``shown_text(user, obj, "title")``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .bilingual import LocalizedText, localized

Rule = Callable[[object, object], frozenset[str]]


@dataclass(frozen=True)
class Registration:
    rule: Rule
    public_fields: dict[str, str] = field(default_factory=dict)
    placeholder: Callable[[object], str] | None = None


_rules: dict[type, Registration] = {}


def register(
    model: type,
    rule: Rule,
    *,
    public_fields: dict[str, str] | None = None,
    placeholder: Callable[[object], str] | None = None,
) -> None:
    """``rule(user, obj)`` names the fields of ``model`` objects that ``user`` may not see;
    ``public_fields`` maps a hidden field to the one shown in its place; ``placeholder(obj)`` is
    what a hidden text with nothing public reads as (default: "confidential")."""
    _rules[model] = Registration(rule, public_fields or {}, placeholder)


def hidden_fields(user, obj) -> frozenset[str]:
    """The names of ``obj``'s fields that ``user`` may not see (empty when nothing is confidential)."""
    registration = _rules.get(type(obj))
    return registration.rule(user, obj) if registration is not None else frozenset()


def shown(user, obj, field: str, default=None):
    """``obj.<field>``, or when it is confidential for ``user`` its public field, else ``default``."""
    if field not in hidden_fields(user, obj):
        return getattr(obj, field)
    public = _rules[type(obj)].public_fields.get(field)
    return (getattr(obj, public) or default) if public else default


def shown_text(user, obj, field: str, language: str | None = None) -> LocalizedText | None:
    """``obj.<field>_ko/_en`` in the viewer's language (``language``, by default the active one) as
    ``user`` may see it: the text itself, or when it is confidential the public text registered for
    it; None when nothing may be shown."""
    hidden = hidden_fields(user, obj)
    if f"{field}_ko" not in hidden and f"{field}_en" not in hidden:
        return localized(obj, field, language)
    public = _rules[type(obj)].public_fields.get(f"{field}_ko", "").removesuffix("_ko")
    text = localized(obj, public, language) if public else None
    return text if text is not None and text.text else None


def placeholder(obj) -> str:
    """What a confidential text of ``obj`` with nothing public to show reads as."""
    registration = _rules.get(type(obj))
    if registration is not None and registration.placeholder is not None:
        return registration.placeholder(obj)
    return _("confidential")
