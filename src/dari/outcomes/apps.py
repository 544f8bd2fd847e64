from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "dari.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from dari.core import redaction

        from . import panels  # noqa: F401  (registers this app's panels on earlier apps' pages)
        from .models import Outcome
        from .permissions import confidential_fields

        redaction.register(Outcome, confidential_fields)
