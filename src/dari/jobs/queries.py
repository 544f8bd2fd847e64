"""Jobs are private to whoever started them; staff see every job."""

from django.db import models

from dari.accounts.access import access_for


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        access = access_for(user)
        if access.sees_everything:
            return self
        if not access.is_authenticated:
            return self.none()
        return self.filter(started_by=user)
