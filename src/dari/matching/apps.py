from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "dari.matching"
    label = "matching"
    verbose_name = _("Matching and search")

    def ready(self):
        from dari.jobs.periodic import register_periodic

        from . import (
            history_rules,  # noqa: F401  (who sees matching's entries in histories)
            panels,  # noqa: F401  (registers the suggestions panel on the organization page)
        )
        from .tasks import refresh_periodically

        # Registry edits from any app reach search and suggestions within a minute (only what changed
        # is encoded again; nothing is done when nothing changed).
        register_periodic("matching-index", timedelta(minutes=1), refresh_periodically)

    def warm_up(self):
        """What ``dari serve`` loads before it forks its workers (see ``engine.warm_up``)."""
        from .engine import warm_up

        warm_up()
