from django.db import models

from dari.registry.queries import sees_everything


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        return self.filter(is_public=True, startup__is_public=True)

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
                models.Q(title_ko__icontains=text)
                | models.Q(title_en__icontains=text)
                | models.Q(startup__name_ko__icontains=text)
                | models.Q(startup__name_en__icontains=text)
                | models.Q(counterparty_description_ko__icontains=text)
                | models.Q(counterparty_description_en__icontains=text)
            )
        return outcomes
