"""Outcomes.

Rows: a public outcome of a startup the viewer may see; every outcome of the viewer's own
organizations; every outcome of the programs the viewer manages; everything for staff.
Confidential fields (see ``permissions.confidential_fields``): the amount while under negotiation.
"""

from django.db import models
from django.db.models import Q

from dari.accounts.access import access_for


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        from dari.registry.models import Organization

        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(is_public=True, startup__in=Organization.objects.visible_to(user))
        if access.organization_ids:
            condition |= Q(startup_id__in=access.organization_ids)
        if access.managed_program_ids:
            condition |= Q(program_id__in=access.managed_program_ids)
        return self.filter(condition)

    def for_listing(self, user):
        """Rows ready to show to ``user``: related rows joined, and ``counterparty_visible`` telling
        whether ``user`` may see the named counterparty (a private one is shown as hidden)."""
        from dari.registry.models import Organization

        visible_counterparty = Organization.objects.visible_to(user).filter(
            pk=models.OuterRef("counterparty_id")
        )
        return self.select_related("startup", "counterparty", "program", "source").annotate(
            counterparty_visible=models.Exists(visible_counterparty)
        )

    def filtered(
        self, *, kind=None, stage=None, startup=None, program=None, cluster=None, sector=None, text=None
    ):
        from dari.registry.models import Sector

        outcomes = self
        if kind:
            outcomes = outcomes.filter(kind=kind)
        if stage:
            outcomes = outcomes.filter(stage=stage)
        if startup:
            outcomes = outcomes.filter(startup_id=startup)
        if program:
            outcomes = outcomes.filter(program__key=program)
        if cluster:
            outcomes = outcomes.filter(startup__cluster__key=cluster)
        if sector:
            outcomes = outcomes.filter(
                startup__sectors__in=Sector.objects.with_descendants(sector)
            ).distinct()
        if text and text.strip():
            text = text.strip()
            outcomes = outcomes.filter(
                Q(title_ko__icontains=text)
                | Q(title_en__icontains=text)
                | Q(startup__name_ko__icontains=text)
                | Q(startup__name_en__icontains=text)
                | Q(counterparty_description_ko__icontains=text)
                | Q(counterparty_description_en__icontains=text)
            )
        return outcomes
