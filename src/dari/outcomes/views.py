from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.audit import Actor
from dari.core.forms import add_service_errors, edit_status, posted, saved_or_errors
from dari.core.pagination import paginate

from . import services
from .forms import InvestorFormSet, OutcomeFilterForm, OutcomeForm, StageForm
from .models import Outcome, StageChange
from .permissions import can_change_outcome, is_insider, may_record_outcomes
from .vocabulary import Stage


def outcome_list(request):
    form = OutcomeFilterForm(request.GET or None, user=request.user)
    outcomes = form.filter(Outcome.objects.visible_to(request.user).for_listing(request.user))
    context = {
        "form": form,
        "page": paginate(request, outcomes),
        "may_record": may_record_outcomes(request.user),
    }
    return render(request, "outcomes/outcome_list.html", context)


def render_outcome_form(request, form, investors, *, title: str, submit: str, cancel_url: str):
    context = {
        "form": form,
        "investors": investors,
        "title": title,
        "submit": submit,
        "cancel_url": cancel_url,
    }
    status = edit_status(form)
    if status == 200 and investors.sent and not investors.is_valid():
        status = 400
    return render(request, "outcomes/outcome_form.html", context, status=status)


def with_investors(values: dict, investors: InvestorFormSet) -> dict:
    """The form's values, with the round's investors when the formset was sent."""
    rows = investors.investors()
    return values if rows is None else {**values, "investors": rows}


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request):
    if not may_record_outcomes(request.user):
        raise PermissionDenied(_("You may not record outcomes."))
    investors = InvestorFormSet(posted(request), user=request.user)
    form = OutcomeForm(posted(request), user=request.user, round_lead=investors.lead())
    if request.method == "POST" and form.is_valid() and (not investors.sent or investors.is_valid()):
        outcome = saved_or_errors(
            form,
            lambda values: services.record_outcome(
                Actor.from_request(request), with_investors(values, investors)
            ),
        )
        if outcome is not None:
            messages.success(request, _("The outcome was recorded."))
            return redirect(outcome)
    return render_outcome_form(
        request,
        form,
        investors,
        title=_("Record an outcome"),
        submit=_("Record"),
        cancel_url=reverse("outcomes:outcome-list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request, pk: int):
    outcome = get_object_or_404(Outcome.objects.visible_to(request.user), pk=pk)
    if not can_change_outcome(request.user, outcome):
        raise PermissionDenied(_("You may not change this outcome."))
    investors = InvestorFormSet(posted(request), user=request.user, outcome=outcome)
    form = OutcomeForm(posted(request), instance=outcome, user=request.user, round_lead=investors.lead())
    if request.method == "POST" and form.is_valid() and (not investors.sent or investors.is_valid()):
        saved = saved_or_errors(
            form,
            lambda values: services.update_outcome(
                Actor.from_request(request),
                outcome,
                with_investors(values, investors),
                version=form.seen_version,
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(saved)
    return render_outcome_form(
        request,
        form,
        investors,
        title=_("Edit %(name)s") % {"name": Outcome.objects.get(pk=pk)},
        submit=_("Save"),
        cancel_url=outcome.get_absolute_url(),
    )


def outcome_detail(request, pk: int, stage_form: StageForm | None = None, status: int = 200):
    outcome = get_object_or_404(
        Outcome.objects.visible_to(request.user)
        .for_listing(request.user)
        .select_related("cooperation_area__agreement")
        .prefetch_related(
            Prefetch(
                "stage_history",
                queryset=StageChange.objects.select_related("source", "recorded_by", "evidence_file"),
            )
        ),
        pk=pk,
    )
    may_change = can_change_outcome(request.user, outcome)
    if stage_form is None and may_change:
        stage_form = new_stage_form(outcome)
    context = {
        "outcome": outcome,
        "stage_form": stage_form,
        "may_change": may_change,
        # Who recorded a change is for the outcome's insiders; the evidence for those who see the amount.
        "shows_recorder": is_insider(request.user, outcome),
        "shows_evidence": not outcome.amount_hidden,
    }
    return render(request, "outcomes/outcome_detail.html", context, status=status)


def new_stage_form(outcome: Outcome, data=None, files=None) -> StageForm | None:
    """The form moving ``outcome`` on, or None when its stage is final."""
    next_stages = services.STAGE_MACHINES[outcome.kind].next_states(outcome.stage)
    if not next_stages:
        return None
    today = timezone.localdate(timezone=ZoneInfo(settings.PARTNERSHIP_TIME_ZONES[0]))
    return StageForm(
        data, files, next_stages=[(stage, Stage(stage).label) for stage in next_stages], initial={"on": today}
    )


@login_required
@require_POST
def outcome_stage(request, pk: int):
    outcome = get_object_or_404(Outcome.objects.visible_to(request.user), pk=pk)
    if not can_change_outcome(request.user, outcome):
        raise PermissionDenied(_("You may not change this outcome."))
    form = new_stage_form(outcome, request.POST, request.FILES)
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
                evidence_file=values["evidence_file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome moved to its new stage."))
            return redirect(outcome)
    return outcome_detail(request, pk, stage_form=form, status=400)
