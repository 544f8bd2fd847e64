"""Authentication by API token, as a Django backend: ``authenticate(request, api_token=key)``."""

from .models import User
from .services.api_tokens import user_for_key


class ApiTokenBackend:
    """Authenticates a Bearer key. Its signature takes no username or password, so Django skips it
    for every password sign-in."""

    def authenticate(self, request, api_token=None):
        if not api_token:
            return None
        return user_for_key(api_token)

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()


def is_api_token_attempt(request, credentials) -> bool:
    """django-axes' whitelist hook: token attempts neither count towards nor suffer a lockout."""
    return bool(credentials) and "api_token" in credentials
