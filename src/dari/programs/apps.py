from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "dari.programs"
    label = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from dari.registry.queries import organization_visibility_grants

        from . import panels  # noqa: F401  (registers this app's panels on earlier apps' pages)
        from .queries import program_staff_see_their_organizations

        organization_visibility_grants.append(program_staff_see_their_organizations)

        from dari.files.services import register_owner

        from .models import Application
        from .permissions import can_edit_answers

        # An application owns the files of its answers: its startup's members add them while they may
        # edit its answers; those who see the application (its startup, the program's managers,
        # staff) see them.
        register_owner(
            "programs.application",
            may_upload=can_edit_answers,
            visible_to=lambda user: Application.objects.visible_to(user),
        )

        from dari.notifications.kinds import register_kind

        from .decisions import DECISION_RELEASED
        from .reviews import REVIEW_ASSIGNED

        # The notice names the call and a count, never an applicant: it holds for blind reviews.
        register_kind(REVIEW_ASSIGNED, _("Applications assigned to me for review"))
        # Sent only when a call's decisions are released, never while they are pending.
        register_kind(DECISION_RELEASED, _("Decisions on my organization's applications"))
