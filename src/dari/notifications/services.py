"""Notifying a user, and the user's choices about it. ``notify`` is the one way to tell a user something.

A notice goes to the bell (an in-app ``Notification``) and by e-mail, each unless the user turned that
channel off for the kind; essential kinds (account security) ignore the preferences. The e-mail is
sent only after the surrounding transaction commits, so a rolled-back change mails nobody.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from dari.accounts.audit import Actor, log_action
from dari.core.bilingual import LANGUAGES

from .kinds import NotificationKind, get_kind, optional_kinds
from .models import Notification, NotificationPreference, OutgoingEmail

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "dari.notifications.unsubscribe"
# How long an e-mail being sent is left to its sender before another may try it: longer than any send.
CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Channels:
    """Whether a kind reaches a user by e-mail and in the app."""

    by_email: bool = True
    in_app: bool = True


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@dataclass(frozen=True)
class Delivery:
    """What ``notify`` did: the in-app notification (None if that channel is off) and whether an
    e-mail will be sent when the transaction commits."""

    notification: Notification | None
    emailed: bool


def channels_for(user, kind: NotificationKind) -> Channels:
    if kind.essential:
        return Channels()
    choice = NotificationPreference.objects.filter(user=user, kind=kind.key).first()
    return Channels(choice.by_email, choice.in_app) if choice is not None else Channels()


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def render_kind(kind: NotificationKind, context: dict, language: str) -> Rendered:
    with translation.override(language):
        subject = render_to_string(kind.subject_template, context)
        body = render_to_string(kind.body_template, context).strip()
    return Rendered(" ".join(subject.split()), body)


def notify(
    user,
    kind: str,
    *,
    subject_object: models.Model | None = None,
    context: dict | None = None,
    link: str | None = None,
) -> Delivery:
    """Tell ``user`` about ``subject_object`` with the templates of ``kind``.

    ``context`` is given to the templates, with ``recipient`` (the user), ``subject_object`` and
    ``link_url``. The templates are rendered in Korean and in English; each language is active while
    it renders, so ``{% loc_text %}`` and ``{% translate %}`` pick it, and ``{% in_zones %}`` shows a
    time in its own zone and the recipient's. ``link`` (a path) defaults to the object's page.

    Effects, in one transaction: a ``Notification`` holding both languages, unless the user turned the
    kind off in the app; an e-mail in the user's language, queued for after the commit, unless they
    turned it off by e-mail or have no address. Non-essential e-mails carry a one-click unsubscribe
    link (and the RFC 8058 headers). Raises ``LookupError`` for an unregistered kind. Not audited: a
    notice is a message to the user, not a change of the records.
    """
    definition = get_kind(kind)
    channels = channels_for(user, definition)
    by_email = channels.by_email and bool(user.email) and user.is_active
    if not (by_email or channels.in_app):
        return Delivery(None, False)
    if link is None:
        link = subject_object.get_absolute_url() if hasattr(subject_object, "get_absolute_url") else ""
    full_context = {
        **(context or {}),
        "recipient": user,
        "subject_object": subject_object,
        "link_url": absolute(link) if link else "",
    }
    rendered = {language: render_kind(definition, full_context, language) for language in LANGUAGES}
    notification = None
    with transaction.atomic():
        if channels.in_app:
            notification = Notification.objects.create(
                recipient=user,
                kind=definition.key,
                title_ko=rendered["ko"].subject[:300],
                title_en=rendered["en"].subject[:300],
                body_ko=rendered["ko"].body,
                body_en=rendered["en"].body,
                link=link[:500],
                subject_type=content_type_of(subject_object),
                subject_id=subject_object.pk if subject_object is not None else None,
            )
        if by_email:
            language = user.language if user.language in LANGUAGES else "ko"
            message = email_message(user, definition, rendered[language], full_context["link_url"], language)
            queue_email(
                definition.key,
                message.to,
                message.subject,
                message.body,
                recipient=user,
                headers=message.extra_headers,
            )
    return Delivery(notification, by_email)


def queue_email(
    kind: str,
    to: list[str],
    subject: str,
    body: str,
    *,
    recipient=None,
    headers: dict | None = None,
    holds_secret: bool = False,
) -> OutgoingEmail:
    """Keep an e-mail in the outbox, in the current transaction, and send it once that commits.

    After the commit, so that a rolled-back change mails nobody. A mail server that refuses leaves the
    e-mail waiting for the periodic runner (``send_waiting_emails``); it fails neither the change that
    was just committed nor the other e-mails (robust). ``recipient`` is the account it is for, if any
    (erasing it deletes the e-mail); ``holds_secret`` blanks the text once it has left."""
    email = OutgoingEmail.objects.create(
        recipient=recipient,
        kind=kind,
        to=list(to),
        subject=subject[:300],
        body=body,
        headers=headers or {},
        holds_secret=holds_secret,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: send_email(email.pk), robust=True)
    return email


def queue_account_mail(mail) -> OutgoingEmail:
    """The outbox of ``dari.accounts.mail`` (set in ``NotificationsConfig.ready``)."""
    return queue_email(
        mail.kind,
        mail.to,
        mail.subject,
        mail.body,
        recipient=mail.recipient,
        holds_secret=mail.holds_secret,
    )


def retry_delay(attempts: int) -> timedelta:
    """The wait before attempt ``attempts + 1``: 1, 2, 4 ... minutes, at most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def send_email(email_id: int, now: datetime | None = None) -> bool:
    """Send the waiting e-mail ``email_id`` once, if no other process is sending it; True if it left.

    The row is claimed first (its next attempt moved ahead in one UPDATE), so two periodic runners or
    a runner and a request never send it twice. A failure is counted, its error class kept, and the
    next attempt set after ``retry_delay``; after ``MAX_ATTEMPTS`` it stays unsent, with a log line."""
    now = now or timezone.now()
    waiting = OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True, next_attempt_at__lte=now)
    if not waiting.update(next_attempt_at=now + CLAIM):
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMessage(email.subject, email.body, None, email.to, headers=email.headers)
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 (whatever the mail server or its library raised)
        email.attempts += 1
        email.last_error = type(error).__name__[:200]
        email.next_attempt_at = now + retry_delay(email.attempts)
        email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        log = logger.error if email.attempts >= OutgoingEmail.MAX_ATTEMPTS else logger.warning
        log("E-mail %s not sent (attempt %s, %s)", email.pk, email.attempts, email.last_error)
        return False
    email.attempts += 1
    email.sent_at = timezone.now()
    if email.holds_secret:
        email.body = ""  # the link it carried is the recipient's alone now
    email.save(update_fields=["attempts", "sent_at", "body"])
    return True


def send_waiting_emails(now: datetime) -> str:
    """The periodic runner's task: every e-mail whose next attempt is due, oldest first."""
    due = OutgoingEmail.objects.filter(
        sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=OutgoingEmail.MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    sent = sum(send_email(email_id, now) for email_id in list(due))
    waiting = OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=OutgoingEmail.MAX_ATTEMPTS)
    return f"{sent} e-mail(s) sent, {waiting.count()} waiting"


def content_type_of(obj):
    return ContentType.objects.get_for_model(obj) if obj is not None else None


def email_message(user, kind: NotificationKind, rendered: Rendered, link_url: str, language: str):
    unsubscribe_url = (
        ""
        if kind.essential
        else absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind.key)]))
    )
    context = {
        "body": rendered.body,
        "link_url": link_url,
        "kind": kind,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": absolute(reverse("notifications:preferences")),
    }
    with translation.override(language):
        body = render_to_string("notifications/email/message.txt", context)
    headers = {}
    if unsubscribe_url:
        # RFC 8058: a mail client may unsubscribe with one POST, without opening the page.
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return EmailMessage(rendered.subject, body, None, [user.email], headers=headers)


# Preferences ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preference:
    kind: NotificationKind
    by_email: bool
    in_app: bool


def preferences_of(user) -> list[Preference]:
    """Every kind the user may turn off, with their current choice (default: both on)."""
    saved = {row.kind: row for row in NotificationPreference.objects.filter(user=user)}
    preferences = []
    for kind in optional_kinds():
        row = saved.get(kind.key)
        preferences.append(Preference(kind, row.by_email if row else True, row.in_app if row else True))
    return preferences


def set_preference(
    actor: Actor, user, kind: str, *, by_email: bool | None = None, in_app: bool | None = None
):
    """Turn ``kind``'s e-mail and/or in-app notices on or off for ``user`` (None: leave as is).

    Only the user themselves may (``actor.user`` must be ``user``); essential kinds cannot be turned
    off (``ValidationError``). Audited as ``notifications.preference.changed``.
    """
    if actor.user is None or actor.user.pk != user.pk:
        raise PermissionDenied
    definition = get_optional_kind(kind)
    with transaction.atomic():
        preference, created = NotificationPreference.objects.select_for_update().get_or_create(
            user=user, kind=definition.key
        )
        before = {"by_email": preference.by_email, "in_app": preference.in_app}
        if by_email is not None:
            preference.by_email = by_email
        if in_app is not None:
            preference.in_app = in_app
        after = {"by_email": preference.by_email, "in_app": preference.in_app}
        if after != before or created:
            preference.save()
            changes = {
                field: [before[field], after[field]] for field in before if before[field] != after[field]
            }
            log_action(
                actor, "notifications.preference.changed", preference, {"kind": [None, kind], **changes}
            )
    return preference


def get_optional_kind(kind: str) -> NotificationKind:
    try:
        definition = get_kind(kind)
    except LookupError:
        definition = None
    if definition is None or definition.essential:
        raise ValidationError(
            _("“%(kind)s” is not a kind of notification you can turn off.") % {"kind": kind}
        )
    return definition


# Unsubscribing from an e-mail link, without signing in ------------------------------------------------


def unsubscribe_token(user, kind: str) -> str:
    """A signed token naming (user, kind): the unsubscribe link works without a session, and only for
    what it names. It does not expire, as mail clients keep old messages."""
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str):
    """The (user, kind) a token names; ``ValidationError`` if it was tampered with or names nothing
    that can be turned off."""
    invalid = ValidationError(_("This unsubscribe link is not valid."))
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise invalid
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        raise invalid
    try:
        kind = get_optional_kind(str(data.get("kind")))
    except ValidationError:
        raise invalid from None
    return user, kind


def unsubscribe(token: str, ip_address: str | None = None):
    """Turn off the e-mails of the kind the token names, for the user it names; return (user, kind)."""
    user, kind = read_unsubscribe_token(token)
    set_preference(Actor(user, ip_address), user, kind.key, by_email=False)
    return user, kind


# Reading ---------------------------------------------------------------------------------------------


def mark_read(user, notification: Notification) -> None:
    """Mark one of ``user``'s notifications read. Not audited: it changes nothing others see."""
    Notification.objects.visible_to(user).filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read; return how many."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())
