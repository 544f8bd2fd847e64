from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dari.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import history_rules  # noqa: F401  (who sees a membership's history)
