"""System checks on the settings Dari's security rests on."""

from django.conf import settings
from django.core.checks import Error, register

from dari.secret_key import KNOWN_KEYS, VARIABLE


@register()
def secret_key_not_public(app_configs=None, **kwargs):
    """A key that was ever in the public source signs nothing: anyone could forge sessions, reset
    links, unsubscribe links and signed file links with it."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(key in KNOWN_KEYS for key in keys):
        return []
    return [
        Error(
            f"{VARIABLE} (or one of DARI_SECRET_KEY_FALLBACKS) is a key published in Dari's source code.",
            hint=f"Set {VARIABLE} to a long random value of your own and keep it secret.",
            id="dari.E001",
        )
    ]
