from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "dari.jobs"
    label = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from dari.notifications.kinds import register_kind

        from .notices import JOB_FINISHED

        register_kind(JOB_FINISHED, _("My background jobs finished or failed"))
