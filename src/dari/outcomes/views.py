from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from dari.core.pagination import paginate

from .forms import OutcomeFilterForm
from .models import Outcome, StageChange


def outcome_list(request):
    form = OutcomeFilterForm(request.GET or None)
    outcomes = form.filter(Outcome.objects.visible_to(request.user).for_listing(request.user))
    return render(request, "outcomes/outcome_list.html", {"form": form, "page": paginate(request, outcomes)})


def outcome_detail(request, pk: int):
    outcome = get_object_or_404(
        Outcome.objects.visible_to(request.user)
        .for_listing(request.user)
        .prefetch_related(Prefetch("stage_history", queryset=StageChange.objects.select_related("source"))),
        pk=pk,
    )
    return render(request, "outcomes/outcome_detail.html", {"outcome": outcome})
