from django.db import models

from dari.registry.queries import sees_everything


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if sees_everything(user) else self.filter(is_public=True)

    def with_details(self):
        from .models import ActionItem, AgreementParty

        return self.select_related("place_organization", "source").prefetch_related(
            models.Prefetch(
                "parties", queryset=AgreementParty.objects.select_related("organization", "head", "signatory")
            ),
            "areas",
            models.Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related(
                    "owner_party__organization", "area", "stated_by"
                ).prefetch_related("progress_notes"),
            ),
        )

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(title_ko__icontains=text)
            | models.Q(title_en__icontains=text)
            | models.Q(key__icontains=text)
        )
