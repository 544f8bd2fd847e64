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
