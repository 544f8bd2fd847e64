from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse

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


#: How many of a program's outcomes its page lists; the rest are a link away (the outcome list).
PROGRAM_PAGE_OUTCOMES = 20


@program_panels.register(order=10)
def outcomes_of_program(request, program):
    """The program's latest outcomes, and how many there are with a link to all of them."""
    outcomes = Outcome.objects.visible_to(request.user).filter(program=program)
    latest = outcomes.latest_for_listing(request.user, PROGRAM_PAGE_OUTCOMES)
    every = reverse("outcomes:outcome-list") + "?" + urlencode({"program": program.key, "illustrative": "on"})
    return Panel(
        "outcomes/_program_panel.html", {"outcomes": latest, "count": outcomes.count(), "every": every}
    )
