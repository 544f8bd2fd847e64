from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "dari.programs"
    label = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from . import panels  # noqa: F401  (registers this app's panels on earlier apps' pages)
