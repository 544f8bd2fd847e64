"""Partnering: the meetings organizations ask for and arrange.

A ``MeetingRequest`` is made from a suggestion (``dari.matching``) and answered by the requested
organization. Its table is still ``matching_meetingrequest``: the model moved here from matching
without moving its rows (migrations matching 0005 and partnering 0001).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dari.core.time import validate_in_range
from dari.registry.models import Organization

from .queries import MeetingRequestQuerySet


class MeetingRequest(models.Model):
    """A request, made from a suggestion, that ``subject`` meet ``candidate``.

    The requested organization's people accept or decline it, with a reply; until then the
    requester may withdraw it (``services.REQUEST_STATUS``). The partnering work (meetings, slots,
    delegations) arranges the accepted ones. One open request per pair: asking again while one is
    open is refused.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("requested")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", pgettext_lazy("meeting request", "declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        related_name="meeting_requests",
        on_delete=models.PROTECT,
    )
    subject = models.ForeignKey(
        Organization, verbose_name=_("for"), related_name="meeting_requests_made", on_delete=models.CASCADE
    )
    candidate = models.ForeignKey(
        Organization,
        verbose_name=_("with"),
        related_name="meeting_requests_received",
        on_delete=models.CASCADE,
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reply = models.TextField(_("reply"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(
        _("answered at"), null=True, blank=True, validators=[validate_in_range]
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved from matching: no row had to move.
        db_table = "matching_meetingrequest"
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "candidate"],
                condition=models.Q(status="open"),
                name="matching_meeting_request_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.candidate} ({self.get_status_display()})"
