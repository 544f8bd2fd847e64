from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dari.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import personal_data  # noqa: F401  (the profile panel, the export and the erasure)
