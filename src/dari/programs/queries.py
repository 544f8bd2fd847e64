from django.db import models

from dari.registry.queries import sees_everything


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_everything(user) else self.filter(is_public=True)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(name_ko__icontains=text)
            | models.Q(name_en__icontains=text)
            | models.Q(key__icontains=text)
        )

    def with_details(self, user):
        """Programs with the roles and participants whose organizations ``user`` may see."""
        from dari.registry.models import Organization

        from .models import Participant, ProgramRole

        organizations = Organization.objects.visible_to(user)
        return self.select_related("source").prefetch_related(
            models.Prefetch(
                "roles",
                queryset=ProgramRole.objects.filter(organization__in=organizations).select_related(
                    "organization"
                ),
            ),
            models.Prefetch(
                "participants",
                queryset=Participant.objects.filter(organization__in=organizations).select_related(
                    "organization"
                ),
            ),
        )
