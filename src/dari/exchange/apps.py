from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "dari.exchange"
    label = "exchange"
    verbose_name = _("Import and export")

    def ready(self):
        from dari.files.services import register_owner
        from dari.jobs.kinds import register_kind

        from . import panels  # noqa: F401  (export links on the lists and the program page)
        from .models import ImportRun
        from .tasks import IMPORT_CHECK, IMPORT_WRITE

        register_kind(IMPORT_CHECK, _("Checking an import"))
        register_kind(IMPORT_WRITE, _("Import"))
        # The uploaded file of an import belongs to its run: its starter and staff read it back.
        register_owner(
            "exchange.importrun",
            may_upload=lambda user, run: run.started_by_id == getattr(user, "pk", None),
            visible_to=ImportRun.objects.visible_to,
        )
