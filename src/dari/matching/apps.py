from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "dari.matching"
    label = "matching"
    verbose_name = _("Matching and search")

    def ready(self):
        from dari.notifications.kinds import register_kind

        from . import (
            history_rules,  # noqa: F401  (who sees matching's entries in histories)
            panels,  # noqa: F401  (registers the suggestions panel on the organization page)
        )
        from .services import MEETING_ANSWERED, MEETING_REQUESTED

        register_kind(MEETING_REQUESTED, _("Meeting requests to my organization"))
        register_kind(MEETING_ANSWERED, _("Answers to my organization's meeting requests"))
