"""What a suggestion offers beside matching's own relevance marks, registered by later apps.

Matching cannot import the apps built on it (partnering, ...), so each registers its action from
its ``AppConfig.ready``, as apps register file owners and job kinds::

    register_suggestion_action(
        "partnering.request_meeting",
        template="partnering/_request_meeting_action.html",
        prepare=lambda user, subject: {"requested": ...},
    )

``prepare(user, subject)`` runs once per list of suggestions (the page, the organization panel) and
returns what the template needs for every suggestion, or ``None`` to offer nothing to ``user``. The
template is included for each suggestion with ``subject``, ``suggestion`` and ``data`` (what
``prepare`` returned), in the order the actions were registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SuggestionAction:
    key: str
    template: str
    prepare: Callable[[object, object], dict | None]


@dataclass(frozen=True)
class PreparedAction:
    template: str
    data: dict


_actions: dict[str, SuggestionAction] = {}


def register_suggestion_action(key: str, *, template: str, prepare: Callable[[object, object], dict | None]):
    """Offer the action ``key`` (``app.name``) on every suggestion; registering a key again replaces it."""
    _actions[key] = SuggestionAction(key, template, prepare)


def unregister_suggestion_action(key: str) -> None:
    """Tests only: forget an action they registered."""
    _actions.pop(key, None)


def suggestion_actions(user, subject) -> list[PreparedAction]:
    """The registered actions prepared for ``user`` looking at ``subject``'s suggestions."""
    prepared = []
    for action in _actions.values():
        data = action.prepare(user, subject)
        if data is not None:
            prepared.append(PreparedAction(action.template, data))
    return prepared
