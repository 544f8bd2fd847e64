from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScenarioConfig(AppConfig):
    """Holds the demo scenario and the ``demo`` and ``load_scenario`` commands; it has no models."""

    name = "dari.scenario"
    label = "scenario"
    verbose_name = _("Scenario")
