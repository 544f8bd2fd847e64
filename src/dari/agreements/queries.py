"""Agreements: anyone sees public agreements; members of a party see its agreements; staff see all."""

from django.db import models
from django.db.models import Q

from dari.accounts.access import access_for


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(is_public=True)
        if access.organization_ids:
            from .models import AgreementParty

            parties = AgreementParty.objects.filter(organization_id__in=access.organization_ids)
            condition |= Q(pk__in=parties.values("agreement_id"))
        return self.filter(condition)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(title_ko__icontains=text) | Q(title_en__icontains=text) | Q(key__icontains=text))

    def with_details(self, user):
        """Agreements with parties, areas and action items as ``user`` may see them: parties whose
        organization ``user`` may not see are left out, and ``head_visible``/``signatory_visible``
        say whether the people named may be shown."""
        from dari.registry.models import Organization, Person

        from .models import ActionItem, AgreementParty

        organizations = Organization.objects.visible_to(user)
        people = Person.objects.visible_to(user)
        parties = (
            AgreementParty.objects.filter(organization__in=organizations)
            .select_related("organization", "head", "signatory")
            .annotate(
                head_visible=models.Exists(people.filter(pk=models.OuterRef("head_id"))),
                signatory_visible=models.Exists(people.filter(pk=models.OuterRef("signatory_id"))),
            )
        )
        action_items = (
            ActionItem.objects.select_related("owner_party__organization", "area", "stated_by")
            .prefetch_related("progress_notes")
            .annotate(
                owner_visible=models.Exists(
                    organizations.filter(pk=models.OuterRef("owner_party__organization_id"))
                ),
                stated_by_visible=models.Exists(people.filter(pk=models.OuterRef("stated_by_id"))),
            )
        )
        return self.select_related("place_organization", "source").prefetch_related(
            models.Prefetch("parties", queryset=parties),
            "areas",
            models.Prefetch("action_items", queryset=action_items),
        )
