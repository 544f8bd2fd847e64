"""E-mails in both languages: the recipient may not have an account (an invitation) or may read the
other language better, so every mail carries its Korean and its English text, one after the other.

The mail is not sent here but handed to the outbox, inside the caller's transaction: the outbox keeps
it, sends it after the commit (a rolled-back change mails nobody) and, when the mail server refused or
was away, again later from the periodic runner, once. The outbox (``OutgoingEmail``) belongs to
``dari.notifications``, an app above this one, which accounts may not import: it hands its function
over with ``set_outbox`` in ``NotificationsConfig.ready``, as later apps register their erasers.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import translation

LANGUAGES = ("ko", "en")
SEPARATOR = "\n\n— — —\n\n"


@dataclass(frozen=True)
class Mail:
    """One account e-mail, rendered. ``recipient`` is the account it is addressed to, if there is one
    (an invitation's address may have none): erasing that account deletes the kept copy.
    ``holds_secret``: its text carries a link that grants something (an invitation's token), so the
    outbox blanks the text once it has left."""

    kind: str
    to: list[str]
    subject: str
    body: str
    recipient: object | None = None
    holds_secret: bool = False


Outbox = Callable[[Mail], None]
_outbox: Outbox | None = None


def set_outbox(outbox: Outbox) -> None:
    """Called once, by ``NotificationsConfig.ready``: ``outbox(mail)`` keeps ``mail`` in the current
    transaction and sends it after the commit, retrying while the mail server is away."""
    global _outbox
    _outbox = outbox


def render_in_both_languages(template_name: str, context: dict) -> list[str]:
    """``template_name`` rendered once per language, without repeats (a part not yet translated
    reads the same in both)."""
    texts: list[str] = []
    for language in LANGUAGES:
        with translation.override(language):
            text = render_to_string(template_name, context).strip()
        if text not in texts:
            texts.append(text)
    return texts


def bilingual_mail(
    recipients: list[str], template: str, context: dict, *, recipient=None, holds_secret: bool = False
) -> Mail:
    """``accounts/email/<template>_subject.txt`` and ``<template>_body.txt`` in both languages."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " / ".join(render_in_both_languages(f"accounts/email/{template}_subject.txt", context))
    body = SEPARATOR.join(render_in_both_languages(f"accounts/email/{template}_body.txt", context))
    return Mail(
        f"accounts.{template}",
        list(recipients),
        " ".join(subject.split()),
        body + "\n",
        recipient,
        holds_secret,
    )


def send_bilingual_mail(
    recipients: list[str], template: str, context: dict, *, recipient=None, holds_secret: bool = False
) -> None:
    """Render ``template`` in both languages now and hand the mail to the outbox, which sends it once
    the current transaction commits (see the module's text). Call it inside the change's transaction,
    not from ``on_commit``: the kept copy must be written with the change."""
    if _outbox is None:
        raise ImproperlyConfigured("No outbox for e-mails: dari.notifications sets it in its ready().")
    _outbox(bilingual_mail(recipients, template, context, recipient=recipient, holds_secret=holds_secret))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
