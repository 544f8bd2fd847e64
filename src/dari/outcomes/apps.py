from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "dari.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from datetime import timedelta

        from dari.core import redaction
        from dari.files.services import register_owner
        from dari.jobs.periodic import register_periodic

        from . import (
            panels,  # noqa: F401  (registers this app's panels on earlier apps' pages)
            permissions,
        )
        from .models import Investor, Outcome, StageChange
        from .services import lock_pending_values

        # An amount dated after the last ECB rate known is locked once ``dari load_ecb_rates`` brings it.
        register_periodic("outcome-values", timedelta(hours=1), lock_pending_values)

        redaction.register(
            Outcome,
            permissions.confidential_fields,
            public_fields=permissions.PUBLIC_TEXT_FIELDS,
            placeholder=permissions.hidden_text_label,
        )
        # An outcome owns the evidence of its stage changes: those who may change it add files, those
        # who may see its amount see them (``OutcomeQuerySet.files_visible_to``).
        register_owner(
            "outcomes.outcome",
            may_upload=permissions.can_change_outcome,
            visible_to=lambda user: Outcome.objects.files_visible_to(user),
        )
        redaction.register(
            Investor,
            permissions.confidential_investor_fields,
            placeholder=lambda investor: permissions.hidden_text_label(investor.outcome),
        )
        redaction.register(
            StageChange,
            permissions.confidential_stage_change_fields,
            placeholder=lambda change: permissions.hidden_text_label(change.outcome),
        )
