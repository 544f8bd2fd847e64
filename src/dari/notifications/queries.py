"""Notifications are private: each user sees only their own, staff included (they are personal mail)."""

from django.db import models


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)
