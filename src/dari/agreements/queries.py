"""Agreements: anyone sees public agreements; members of a party see its agreements; staff see all.

Action items are seen with their agreement. Progress notes are confidential: only staff and members of
the agreement's party organizations see them.
"""

from datetime import timedelta

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
            condition |= Q(pk__in=party_agreement_ids(access.organization_ids))
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

        from .models import ActionItem

        organizations = Organization.objects.visible_to(user)
        people = Person.objects.visible_to(user)
        parties = visible_parties(user)
        action_items = (
            ActionItem.objects.select_related("owner_party__organization", "area", "stated_by")
            .prefetch_related(visible_notes_prefetch(user))
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


def visible_parties(user):
    """Parties whose organization ``user`` may see, ``head_visible``/``signatory_visible`` saying
    whether the people named may be shown."""
    from dari.registry.models import Organization, Person

    from .models import AgreementParty

    people = Person.objects.visible_to(user)
    return (
        AgreementParty.objects.filter(organization__in=Organization.objects.visible_to(user))
        .select_related("organization", "head", "signatory")
        .annotate(
            head_visible=models.Exists(people.filter(pk=models.OuterRef("head_id"))),
            signatory_visible=models.Exists(people.filter(pk=models.OuterRef("signatory_id"))),
        )
    )


def visible_notes_prefetch(user) -> models.Prefetch:
    """Prefetch an action item's ``progress_notes`` as ``user`` may see them (possibly none)."""
    from .models import ProgressNote

    return models.Prefetch("progress_notes", queryset=ProgressNote.objects.visible_to(user))


def party_agreement_ids(organization_ids):
    from .models import AgreementParty

    return AgreementParty.objects.filter(organization_id__in=organization_ids).values("agreement_id")


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Action items of the agreements ``user`` may see."""
        from .models import Agreement

        access = access_for(user)
        if access.sees_everything:
            return self
        return self.filter(agreement__in=Agreement.objects.visible_to(user))

    def unfinished(self):
        return self.filter(status__in=["open", "in_progress"])

    def overdue(self, now):
        """Open or in progress, and due before ``now``."""
        return self.unfinished().filter(due_at__lt=now)

    def due_within(self, now, days: int):
        """Open or in progress and due before ``now`` + ``days`` (overdue ones included)."""
        return self.unfinished().filter(due_at__lt=now + timedelta(days=days))

    def filtered(self, *, status="", owner=None, agreement=None, overdue_at=None):
        """Filter by status, owner organization (id), agreement (id), and overdue at a moment."""
        items = self
        if status:
            items = items.filter(status=status)
        if owner is not None:
            items = items.filter(owner_party__organization_id=owner)
        if agreement is not None:
            items = items.filter(agreement_id=agreement)
        if overdue_at is not None:
            items = items.overdue(overdue_at)
        return items

    def with_details(self, user):
        """Action items with their agreement, area and owner, ``owner_visible`` saying whether
        ``user`` may see the owner organization, and the progress notes ``user`` may see."""
        from dari.registry.models import Organization

        organizations = Organization.objects.visible_to(user)
        return (
            self.select_related("agreement", "area", "owner_party__organization", "stated_by")
            .prefetch_related(visible_notes_prefetch(user))
            .annotate(
                owner_visible=models.Exists(
                    organizations.filter(pk=models.OuterRef("owner_party__organization_id"))
                )
            )
        )


class ProgressNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Notes on the action items of agreements that ``user``'s organizations are party to; all for
        staff; none for anyone else (notes are confidential even on public agreements)."""
        access = access_for(user)
        if access.sees_everything:
            return self
        if not access.organization_ids:
            return self.none()
        return self.filter(action_item__agreement_id__in=party_agreement_ids(access.organization_ids))
