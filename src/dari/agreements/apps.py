from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "dari.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from dari.jobs.kinds import register_kind
        from dari.jobs.periodic import register_periodic
        from dari.notifications.kinds import register_kind as register_notification_kind

        from . import (
            history_rules,  # noqa: F401  (who sees what in agreements' and action items' histories)
            panels,  # noqa: F401  (registers this app's panels on earlier apps' pages)
        )
        from .reminders import ACTION_ITEM_DUE, send_reminders_periodically
        from .tasks import AGREEMENT_PDF

        # Hourly, although each member gets at most one reminder a day: their day starts at their own
        # midnight, which falls on a different hour in Seoul and in San Diego.
        register_periodic("action-item-reminders", timedelta(hours=1), send_reminders_periodically)

        register_kind(AGREEMENT_PDF, _("Agreement as PDF"))
        register_notification_kind(ACTION_ITEM_DUE, _("Action items of my organization due soon or overdue"))
