"""One redaction helper for confidential fields, called by pages, the API and every export.

Each app registers, per model, a rule saying which fields of one object a viewer may not see
(``register(Outcome, rule)``); callers ask ``hidden_fields(user, obj)`` or ``shown(user, obj, field)``.
A rule must not query the database per object: it reads the viewer's cached access and the
object's own columns.
"""

from collections.abc import Callable

Rule = Callable[[object, object], frozenset[str]]

_rules: dict[type, Rule] = {}


def register(model: type, rule: Rule) -> None:
    _rules[model] = rule


def hidden_fields(user, obj) -> frozenset[str]:
    """The names of ``obj``'s fields that ``user`` may not see (empty when nothing is confidential)."""
    rule = _rules.get(type(obj))
    return rule(user, obj) if rule is not None else frozenset()


def shown(user, obj, field: str, default=None):
    """``obj.<field>``, or ``default`` when it is confidential for ``user``."""
    return default if field in hidden_fields(user, obj) else getattr(obj, field)
