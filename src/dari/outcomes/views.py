from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dari.accounts.audit import Actor
from dari.core.pagination import paginate

from . import services
from .forms import OutcomeFilterForm, StageForm
from .models import Outcome, StageChange
from .permissions import can_change_outcome
from .vocabulary import Stage


def outcome_list(request):
    form = OutcomeFilterForm(request.GET or None)
    outcomes = form.filter(Outcome.objects.visible_to(request.user).for_listing(request.user))
    return render(request, "outcomes/outcome_list.html", {"form": form, "page": paginate(request, outcomes)})


def outcome_detail(request, pk: int, stage_form: StageForm | None = None, status: int = 200):
    outcome = get_object_or_404(
        Outcome.objects.visible_to(request.user)
        .for_listing(request.user)
        .prefetch_related(Prefetch("stage_history", queryset=StageChange.objects.select_related("source"))),
        pk=pk,
    )
    if stage_form is None and can_change_outcome(request.user, outcome):
        stage_form = new_stage_form(outcome)
    return render(
        request, "outcomes/outcome_detail.html", {"outcome": outcome, "stage_form": stage_form}, status=status
    )


def new_stage_form(outcome: Outcome, data=None) -> StageForm | None:
    """The form moving ``outcome`` on, or None when its stage is final."""
    next_stages = services.STAGE_MACHINES[outcome.kind].next_states(outcome.stage)
    if not next_stages:
        return None
    today = timezone.localdate(timezone=ZoneInfo(settings.PARTNERSHIP_TIME_ZONES[0]))
    return StageForm(
        data, next_stages=[(stage, Stage(stage).label) for stage in next_stages], initial={"on": today}
    )


@login_required
@require_POST
def outcome_stage(request, pk: int):
    outcome = get_object_or_404(Outcome.objects.visible_to(request.user), pk=pk)
    if not can_change_outcome(request.user, outcome):
        raise PermissionDenied(_("You may not change this outcome."))
    form = new_stage_form(outcome, request.POST)
    if form is None:
        messages.error(request, _("This outcome has reached its last stage."))
        return redirect(outcome)
    if form.is_valid():
        values = form.cleaned_data
        try:
            services.advance_outcome(
                Actor.from_request(request),
                outcome,
                values["stage"],
                on=values["on"],
                note_ko=values["note_ko"],
                note_en=values["note_en"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The outcome moved to its new stage."))
            return redirect(outcome)
    return outcome_detail(request, pk, stage_form=form, status=400)
