from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "dari.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from dari.jobs.kinds import register_kind
        from dari.notifications.kinds import register_kind as register_notification_kind

        from . import (
            history_rules,  # noqa: F401  (who sees what in agreements' and action items' histories)
            panels,  # noqa: F401  (registers this app's panels on earlier apps' pages)
        )
        from .reminders import ACTION_ITEM_DUE
        from .tasks import AGREEMENT_PDF

        register_kind(AGREEMENT_PDF, _("Agreement as PDF"))
        register_notification_kind(ACTION_ITEM_DUE, _("Action items of my organization due soon or overdue"))
