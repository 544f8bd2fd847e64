from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "dari.files"
    label = "files"
    verbose_name = _("Files")

    def ready(self):
        from . import checks, panels  # noqa: F401  (registers the system check and the organization panel)
