"""Account use cases."""

from django.db import transaction

from .models import User


@transaction.atomic
def ensure_demo_superuser(username: str, password: str) -> User:
    """Create the demo superuser, or reset its password and rights; idempotent."""
    user, _created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@dari.invalid"}
    )
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    if not user.check_password(password):
        user.set_password(password)
    user.save()
    return user
