from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dari.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from dari.files.services import register_owner
        from dari.jobs.kinds import register_kind
        from dari.programs.models import Program

        from . import panels  # noqa: F401  (the program page's targets and reports)
        from .tasks import PROGRAM_REPORT

        register_kind(PROGRAM_REPORT, _("Program report"))
        # A program owns the reports made of it; a report stays with its maker and staff (files app).
        register_owner(
            "programs.program", may_upload=lambda user, program: False, visible_to=Program.objects.visible_to
        )
