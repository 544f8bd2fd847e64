from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dari.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from dari.accounts.mail import set_outbox

        from . import personal_data  # noqa: F401  (the profile panel, the export and the erasure)
        from .services import queue_account_mail

        # Accounts' e-mails (invitations, registrations, addresses to verify) wait in this outbox too:
        # accounts, an earlier app, cannot import it.
        set_outbox(queue_account_mail)
