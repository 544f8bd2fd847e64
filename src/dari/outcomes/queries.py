"""Outcomes.

Rows: a public outcome of a startup the viewer may see; every outcome of the viewer's own
organizations; every outcome of the programs the viewer manages; everything for staff.
Confidential fields (see ``permissions.confidential_fields``): the amount while under negotiation,
and the texts that may repeat it.
"""

from django.db import models
from django.db.models import Q

from dari.accounts.access import access_for

#: The filter value of "none": the outcomes without a program, a cluster, a country, an area or a cohort.
NONE = "none"


def cohort_year():
    """The year the outcome's startup joined the outcome's program: the year of its first cohort
    there (``Cohort.year``; for a participant whose cohort has none, the year of its ``since``), or
    None: no program, not a participant, or no year. A startup that joined again in a later round
    keeps its first year, so it is counted in one cohort only."""
    from django.db.models.functions import Coalesce, ExtractYear

    from dari.programs.models import Participant

    joined = (
        Participant.objects.filter(
            organization=models.OuterRef("startup_id"), program=models.OuterRef("program_id")
        )
        .annotate(year=Coalesce("cohort__year", ExtractYear("since")))
        .order_by(models.F("year").asc(nulls_last=True), "pk")
    )
    return models.Subquery(joined.values("year")[:1], output_field=models.IntegerField())


def _insiders(access) -> Q | None:
    """The outcomes ``access`` is an insider of (``permissions.is_insider``, staff aside), or None."""
    condition = None
    if access.organization_ids:
        condition = Q(startup_id__in=access.organization_ids)
    if access.managed_program_ids:
        managed = Q(program_id__in=access.managed_program_ids)
        condition = managed if condition is None else condition | managed
    return condition


def amount_confidential() -> Q:
    """Outcomes with an amount that only insiders may see (``Outcome.is_amount_confidential``)."""
    from .vocabulary import NEGOTIATION_STAGES, Disclosure

    return Q(amount__isnull=False) & (
        Q(amount_disclosure=Disclosure.CONFIDENTIAL)
        | Q(amount_disclosure=Disclosure.AUTO, stage__in=NEGOTIATION_STAGES)
    )


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        from dari.registry.queries import organization_seen

        access = access_for(user)
        if access.sees_everything:
            return self
        condition = Q(is_public=True) & organization_seen(user, "startup")
        insiders = _insiders(access)
        return self.filter(condition if insiders is None else condition | insiders)

    def for_listing(self, user):
        """Rows ready to show to ``user``: related rows joined, a round's investors prefetched
        (``investors_for``), ``counterparty_visible`` telling
        whether ``user`` may see the named counterparty (a private one is shown as hidden), and
        ``amount_hidden`` (``with_amount_hidden``)."""
        from dari.registry.models import Organization

        visible_counterparty = Organization.objects.visible_to(user).filter(
            pk=models.OuterRef("counterparty_id")
        )
        return (
            self.with_amount_hidden(user)
            .select_related("startup", "counterparty", "program", "source")
            .annotate(counterparty_visible=models.Exists(visible_counterparty))
            .prefetch_related(models.Prefetch("investors", queryset=self.investors_for(user)))
        )

    def latest_for_listing(self, user, count: int):
        """The ``count`` outcomes of these reported last (then the newest first), ``for_listing``
        ``user``. They are picked inside by their ids alone, so that only they are joined to their
        startup, counterparty, program and source, not every outcome sorted with those wide rows
        (the dashboard's latest 8 of 31,619 on PostgreSQL: 200 -> 35 ms); still one query."""
        newest = self.order_by("-reported_on", "-pk").values("pk")[:count]
        chosen = self.model._default_manager.filter(pk__in=newest)
        return chosen.for_listing(user).order_by("-reported_on", "-pk")

    def with_amount_hidden(self, user):
        """``amount_hidden``: whether the amount, and the texts that may repeat it, are hidden from
        ``user`` (``permissions.is_amount_hidden``; ``filtered`` searches those texts only when not).
        All that aggregates need (the KPIs): no join, no subquery per row."""
        access = access_for(user)
        if access.sees_everything:
            amount_hidden = models.Value(False)
        else:
            insiders = _insiders(access)
            hidden = amount_confidential() if insiders is None else amount_confidential() & ~insiders
            amount_hidden = models.ExpressionWrapper(hidden, output_field=models.BooleanField())
        return self.annotate(amount_hidden=amount_hidden)

    @staticmethod
    def investors_for(user):
        """A round's investors as ``user`` sees them: ``organization_visible`` tells whether ``user``
        may see the investor's profile (a private one is shown as unnamed)."""
        from dari.registry.models import Organization

        from .models import Investor

        visible = Organization.objects.visible_to(user).filter(pk=models.OuterRef("organization_id"))
        return Investor.objects.select_related("organization").annotate(
            organization_visible=models.Exists(visible)
        )

    def filtered(
        self,
        *,
        kind=None,
        stage=None,
        startup=None,
        program=None,
        cluster=None,
        sector=None,
        text=None,
        year=None,
        quarter=None,
        country=None,
        area=None,
        cohort=None,
        illustrative=None,
    ):
        """The outcomes matching every filter given (an empty one filters nothing): ``kind``;
        ``stage``, one or a list; ``startup`` (id); ``program`` and the startup's ``cluster`` and
        ``sector`` (keys); ``text``; ``year`` and ``quarter`` (1-4) of ``reported_on``; the
        counterparty's ``country`` (ISO code); the cooperation ``area`` (id); the ``cohort``, the
        year the startup joined the outcome's program (``Participant.since``); ``illustrative``
        False leaves out the outcomes of the organizations the demo made up. ``program``,
        ``cluster``, ``country``, ``area`` and ``cohort`` take ``NONE`` for the outcomes without one:
        the KPI breakdowns (``dari.reports.kpis``) link here with the values they group by."""
        from dari.registry.models import Sector

        outcomes = self
        if kind:
            outcomes = outcomes.filter(kind=kind)
        if stage:
            outcomes = outcomes.filter(stage__in=[stage] if isinstance(stage, str) else stage)
        if startup:
            outcomes = outcomes.filter(startup_id=startup)
        if program:
            outcomes = outcomes.filter(
                Q(program__isnull=True) if program == NONE else Q(program__key=program)
            )
        if cluster:
            outcomes = outcomes.filter(
                Q(startup__cluster__isnull=True) if cluster == NONE else Q(startup__cluster__key=cluster)
            )
        if year:
            outcomes = outcomes.filter(reported_on__year=year)
        if quarter:
            outcomes = outcomes.filter(reported_on__quarter=quarter)
        if country:
            outcomes = outcomes.filter(counterparty_country="" if country == NONE else country.upper())
        if area:
            outcomes = outcomes.filter(
                Q(cooperation_area__isnull=True) if area == NONE else Q(cooperation_area_id=area)
            )
        if cohort:
            outcomes = outcomes.annotate(cohort=cohort_year()).filter(
                Q(cohort__isnull=True) if cohort == NONE else Q(cohort=cohort)
            )
        if illustrative is False:
            outcomes = outcomes.filter(startup__is_illustrative=False)
        if sector:
            outcomes = outcomes.filter(
                startup__sectors__in=Sector.objects.with_descendants(sector)
            ).distinct()
        if text and text.strip():
            text = text.strip()
            # A text that may repeat a hidden amount is not searched, or a search would reveal it.
            # Without ``for_listing``'s ``amount_hidden``, only where no amount is confidential.
            annotated = "amount_hidden" in self.query.annotations
            shown = Q(amount_hidden=False) if annotated else ~amount_confidential()
            outcomes = outcomes.filter(
                Q(public_title_ko__icontains=text)
                | Q(public_title_en__icontains=text)
                | Q(startup__name_ko__icontains=text)
                | Q(startup__name_en__icontains=text)
                | shown
                & (
                    Q(title_ko__icontains=text)
                    | Q(title_en__icontains=text)
                    | Q(counterparty_description_ko__icontains=text)
                    | Q(counterparty_description_en__icontains=text)
                )
            )
        return outcomes

    def files_visible_to(self, user):
        """The outcomes whose files (stage evidence) ``user`` may see: those they may see, unless
        the amount is hidden from them, as a term sheet or contract repeats it (like the stage
        notes, see ``permissions.confidential_stage_change_fields``)."""
        return self.visible_to(user).for_listing(user).filter(amount_hidden=False)
