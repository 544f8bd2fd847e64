from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "dari.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from dari.core import redaction

        from . import (
            panels,  # noqa: F401  (registers this app's panels on earlier apps' pages)
            permissions,
        )
        from .models import Outcome, StageChange

        redaction.register(
            Outcome,
            permissions.confidential_fields,
            public_fields=permissions.PUBLIC_TEXT_FIELDS,
            placeholder=permissions.hidden_text_label,
        )
        redaction.register(
            StageChange,
            permissions.confidential_stage_change_fields,
            placeholder=lambda change: permissions.hidden_text_label(change.outcome),
        )
