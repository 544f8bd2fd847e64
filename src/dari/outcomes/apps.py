from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "dari.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from . import panels  # noqa: F401  (registers this app's panels on earlier apps' pages)
