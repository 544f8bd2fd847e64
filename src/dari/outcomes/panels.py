from django.db.models import Prefetch

from dari.core.panels import Panel, organization_panels, program_panels

from .models import Outcome, StageChange


@organization_panels.register(order=10)
def outcome_timeline(request, organization):
    """A startup's outcomes, newest first, each with its stage history: the startup page's timeline."""
    visible = Outcome.objects.visible_to(request.user).for_listing(request.user)
    outcomes = (
        visible.filter(startup=organization)
        .prefetch_related(
            Prefetch("stage_history", queryset=StageChange.objects.order_by("recorded_on", "pk"))
        )
        .order_by("-reported_on", "-pk")
    )
    as_counterparty = visible.filter(counterparty=organization)
    if not outcomes and not as_counterparty:
        return None
    return Panel(
        "outcomes/_organization_panel.html", {"outcomes": outcomes, "as_counterparty": as_counterparty}
    )


@program_panels.register(order=10)
def outcomes_of_program(request, program):
    outcomes = Outcome.objects.visible_to(request.user).for_listing(request.user).filter(program=program)
    return Panel("outcomes/_program_panel.html", {"outcomes": outcomes})
