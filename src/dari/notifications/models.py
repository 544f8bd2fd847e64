"""In-app notifications and each user's choices about which kinds reach them, and how."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from dari.core.bilingual import localized
from dari.core.time import validate_in_range

from .queries import NotificationQuerySet


class Notification(models.Model):
    """One notice to one user, shown under the bell until read.

    The title and text are rendered when the notice is sent, in both languages, so that the bell reads
    in whichever language the viewer has chosen now; ``link`` is the page of the object it is about.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=100)
    title_ko = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    body_ko = models.TextField(_("text (Korean)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("about (type)"), null=True, blank=True, on_delete=models.CASCADE
    )
    subject_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, validators=[validate_in_range])

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list (newest first) and the bell's unread count, both per recipient.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(fields=["recipient", "read_at"], name="notification_recipient_read"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.title_en or self.title_ko}"

    @property
    def title(self):
        return localized(self, "title")

    @property
    def body(self):
        return localized(self, "body")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for one kind. No row means the default: in the app and by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="notification_preferences",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=100)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in the app"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_notification_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: e-mail {self.by_email}, app {self.in_app}"


class OutgoingEmail(models.Model):
    """An e-mail notice, kept until it has left: written in the notice's transaction, sent after the
    commit, and, when the mail server refused or was away, sent again by the periodic runner
    (``services.send_waiting_emails``) with longer and longer waits, up to ``MAX_ATTEMPTS``. So a mail
    server that is down loses no notice and fails nothing else (the bell has its copy meanwhile).

    The account e-mails (an invitation, a registration decided, an address to verify) wait here too,
    handed over by ``dari.accounts.mail``; an invitation's address may have no account, so
    ``recipient`` may be empty (``to`` holds the address)."""

    MAX_ATTEMPTS = 8

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        related_name="outgoing_emails",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=100)
    to = models.JSONField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), validators=[validate_in_range])
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, validators=[validate_in_range])
    # The error's class only (e.g. ConnectionRefusedError): its text may name the mail server's host.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    # The text carries a link that grants something (an invitation's token): blanked once sent.
    holds_secret = models.BooleanField(_("holds a secret link"), default=False)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outgoing_email_waiting")]

    def __str__(self) -> str:
        to = self.recipient_id if self.recipient_id is not None else ", ".join(self.to or [])
        return f"{self.kind} → {to} ({'sent' if self.sent_at else 'waiting'})"
