from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dari.core"
    label = "core"
