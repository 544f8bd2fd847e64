"""Reads for matching. Profiles follow their organization's visibility; feedback is the user's own."""

from django.db import models


class MatchingProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        from dari.registry.models import Organization

        return self.filter(organization__in=Organization.objects.visible_to(user))


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's feedback is theirs alone: it tunes their suggestions, nobody else reads it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)
