"""Notifications are personal data: in the export, erased with the account, and on the profile page.

Registered on ``dari.core.personal_data`` and ``dari.core.panels.profile_panels`` in
``NotificationsConfig.ready``, because accounts, an earlier app, cannot import this one.
"""

from dari.core.panels import Panel, profile_panels
from dari.core.personal_data import register_eraser, register_exporter

from .models import Notification, NotificationPreference, OutgoingEmail
from .services import preferences_of


@register_exporter("notifications")
def export_notifications(user) -> dict:
    return {
        "notifications": [
            {
                "kind": notification.kind,
                "title_ko": notification.title_ko,
                "title_en": notification.title_en,
                "body_ko": notification.body_ko,
                "body_en": notification.body_en,
                "link": notification.link,
                "created_at": notification.created_at.isoformat(),
                "read_at": notification.read_at.isoformat() if notification.read_at else None,
            }
            for notification in Notification.objects.filter(recipient=user)
        ],
        "preferences": [
            {"kind": row.kind, "by_email": row.by_email, "in_app": row.in_app}
            for row in NotificationPreference.objects.filter(user=user).order_by("kind")
        ],
    }


@register_eraser
def erase_notifications(actor, user) -> None:
    """The notices quote the user's records in their own words: nobody else may read them, so they go."""
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    OutgoingEmail.objects.filter(recipient=user).delete()


@profile_panels.register(order=20)
def notifications_panel(request, user):
    turned_off = [p for p in preferences_of(user) if not (p.by_email and p.in_app)]
    return Panel("notifications/_profile_panel.html", {"turned_off": turned_off})
