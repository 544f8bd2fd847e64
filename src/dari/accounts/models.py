from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from dari.core.timezones import validate_zone


class User(AbstractUser):
    """A person who signs in. Language and time zone decide how pages and e-mails read."""

    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="ko")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_zone]
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
