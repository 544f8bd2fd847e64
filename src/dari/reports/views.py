from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from dari.agreements.models import Agreement
from dari.outcomes.models import Outcome
from dari.programs.models import Program
from dari.registry.models import Cluster, ClusterStatistic, Organization

from .kpis import Filters, figures


def home(request):
    """The dashboard: what the partnership holds and its latest outcomes, as far as the viewer may see.
    Its counts are the reported partnership's unless ``?illustrative=on`` adds the organizations the
    demo made up (and their outcomes); the number of each is shown either way."""
    user = request.user
    includes_illustrative = request.GET.get("illustrative") == "on"
    visible = Organization.objects.visible_to(user)
    counts = visible.aggregate(
        reported=Count("pk", filter=Q(is_illustrative=False)),
        illustrative=Count("pk", filter=Q(is_illustrative=True)),
    )
    organizations = visible if includes_illustrative else visible.reported()
    kind_counts = {
        row["kind"]: row["total"] for row in organizations.values("kind").annotate(total=Count("pk"))
    }
    outcomes = Outcome.objects.visible_to(user)
    if not includes_illustrative:
        outcomes = outcomes.filter(startup__is_illustrative=False)
    outcome_count = outcomes.count()
    context = {
        "includes_illustrative": includes_illustrative,
        "counts": counts,
        "organization_count": sum(kind_counts.values()),
        "kind_counts": [
            (label, kind_counts.get(value, 0), value)
            for value, label in Organization.Kind.choices
            if kind_counts.get(value)
        ],
        "agreement_count": Agreement.objects.visible_to(user).count(),
        "program_count": Program.objects.visible_to(user).count(),
        "outcome_count": outcome_count,
        "kpis": figures(user, Filters(include_illustrative=includes_illustrative)),
        "latest_outcomes": outcomes.for_listing(user).order_by("-reported_on", "-pk")[:8],
        "agreements": Agreement.objects.visible_to(user).select_related("place_organization")[:5],
        "clusters": Cluster.objects.prefetch_related(
            Prefetch("statistics", queryset=ClusterStatistic.objects.select_related("source"))
        ),
    }
    return render(request, "reports/home.html", context)
