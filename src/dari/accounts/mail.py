"""E-mails in both languages: the recipient may not have an account (an invitation) or may read the
other language better, so every mail carries its Korean and its English text, one after the other."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

LANGUAGES = ("ko", "en")
SEPARATOR = "\n\n— — —\n\n"


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


def send_bilingual_mail(recipients: list[str], template: str, context: dict) -> None:
    """Send ``accounts/email/<template>_subject.txt`` and ``<template>_body.txt`` in both languages."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " / ".join(render_in_both_languages(f"accounts/email/{template}_subject.txt", context))
    body = SEPARATOR.join(render_in_both_languages(f"accounts/email/{template}_body.txt", context))
    send_mail(" ".join(subject.split()), body + "\n", None, recipients)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
