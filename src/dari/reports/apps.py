from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dari.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import panels  # noqa: F401  (the program page's targets)
