from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "dari.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self):
        from . import panels  # noqa: F401  (registers this app's panels on earlier apps' pages)
