from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "dari.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from dari.accounts.services.registrations import register_organizations
        from dari.files.services import register_owner
        from dari.jobs.kinds import register_kind as register_job_kind
        from dari.notifications.kinds import register_kind

        from . import (
            history_rules,  # noqa: F401  (who sees what in organizations' and people's histories)
            personal_data,  # noqa: F401  (the profile panel, the export and the erasure)
        )
        from .jobs import REGISTRY_CHECK
        from .models import Organization
        from .permissions import can_change_organization
        from .registrations import claimable_organizations, create_registered_startup
        from .services import AFFILIATION_REQUESTED

        register_kind(AFFILIATION_REQUESTED, _("Organizations saying that I work with them"))
        register_job_kind(
            REGISTRY_CHECK,
            _("Check the registry"),
            start_url="registry:registry-check",
            start_help=_("A short demonstration job: counts the organizations you can see, in batches."),
        )
        # Organizations own documents: whoever may change the profile (members, staff) adds them.
        register_owner(
            "registry.organization",
            may_upload=can_change_organization,
            visible_to=lambda user: Organization.objects.visible_to(user),
        )
        # Self-registration (accounts) offers the public organizations and approves new startups
        # through the registry's own service.
        register_organizations(claimable=claimable_organizations, create_startup=create_registered_startup)
