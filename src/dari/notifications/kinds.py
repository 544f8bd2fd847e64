"""The notification kinds: one line per kind, registered by the app that sends it.

A kind is a dotted key (``agreements.action_item_due``), a bilingual label (shown on the preferences
page), whether it is essential (account security: sent whatever the preferences say, without an
unsubscribe link) and the templates it is rendered from: ``<templates>_subject.txt`` (the e-mail's
subject and the in-app title) and ``<templates>_body.txt`` (the e-mail's body and the in-app text),
rendered in the recipient's language. By default the templates are ``<app>/notifications/<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: object  # a lazy translation, shown in the viewer's language
    essential: bool = False
    templates: str = ""

    @property
    def subject_template(self) -> str:
        return f"{self.templates}_subject.txt"

    @property
    def body_template(self) -> str:
        return f"{self.templates}_body.txt"


_kinds: dict[str, NotificationKind] = {}


def register_kind(key: str, label, *, essential: bool = False, templates: str = "") -> NotificationKind:
    """Register ``key`` (``app.name``); call it from the sending app's ``AppConfig.ready``."""
    app, _dot, name = key.partition(".")
    if not app or not name:
        raise ValueError(f"A notification kind is a dotted name such as app.event, not {key!r}")
    kind = NotificationKind(key, label, essential, templates or f"{app}/notifications/{name}")
    _kinds[key] = kind
    return kind


def unregister_kind(key: str) -> None:
    """Tests only: forget a kind they registered."""
    _kinds.pop(key, None)


def get_kind(key: str) -> NotificationKind:
    """The registered kind ``key``; ``LookupError`` for an unknown one (a typo must not go unnoticed)."""
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}; register it with register_kind") from None


def is_registered(key: str) -> bool:
    return key in _kinds


def optional_kinds() -> list[NotificationKind]:
    """The kinds a user may turn off, in a stable order (by key)."""
    return sorted((kind for kind in _kinds.values() if not kind.essential), key=lambda kind: kind.key)
