"""Pages of the review: a call's rubric and settings, its assignments and conflicts (managers), a
reviewer's list of reviews and the review itself. Thin views over ``reviews`` and ``visible_to``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dari.accounts.audit import Actor
from dari.core.forms import add_service_errors, edit_status, form_status, posted, saved_or_errors
from dari.files.sniffing import XLSX

from . import ranking, reviews
from .conflicts import conflicts_of
from .decision_views import decisions_by_application
from .models import Call, Decision, Review, ReviewPhase
from .permissions import blind_application_ids, can_manage_reviews, can_write_review
from .review_forms import (
    AssignForm,
    AutoAssignForm,
    ExpertiseForm,
    RecusalForm,
    ReviewForm,
    ReviewSetupForm,
    RubricFormSet,
)
from .rubric import weighted_total
from .views import refused_after_saving, shown_answers


def managed_call(request, pk: int) -> Call:
    call = get_object_or_404(Call.objects.visible_to(request.user).select_related("program"), pk=pk)
    if not can_manage_reviews(request.user, call):
        raise PermissionDenied(_("Only the program's managers run its reviews."))
    return call


def phase_of(call: Call, position: int | None) -> ReviewPhase | None:
    return None if position is None else get_object_or_404(call.phases, position=position)


# --- rubric and settings -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_setup(request, pk: int, position: int | None = None):
    """The rubric, sharing and blindness of a call (or of one of its phases)."""
    call = managed_call(request, pk)
    phase = phase_of(call, position)
    target = phase or call
    form = ReviewSetupForm(
        posted(request),
        initial={"reviews_shared": target.reviews_shared, "blind_review": target.blind_review},
    )
    criteria = RubricFormSet(posted(request), rubric=target.rubric)
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        try:
            reviews.set_review_setup(
                Actor.from_request(request), call, phase, {**form.cleaned_data, "rubric": criteria.rubric()}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review setup was saved."))
            return redirect("programs:review-assignments", pk=call.pk)
    status = form_status(form)
    if status == 200 and request.method == "POST" and not criteria.is_valid():
        status = 400
    context = {"call": call, "phase": phase, "form": form, "criteria": criteria}
    return render(request, "programs/review_setup.html", context, status=status)


# --- assignments -------------------------------------------------------------------------------------


def assignments_page(request, call, phase, assign_form=None, auto_form=None, status=200):
    applications = list(reviews.reviewable_applications(call).select_related("startup").order_by("pk"))
    reviewers = list(reviews.program_reviewers(call.program))
    found = conflicts_of([user.pk for user in reviewers])
    by_application = {application.pk: [] for application in applications}
    for review in reviews.scope_reviews(call, phase).select_related("reviewer"):
        by_application.setdefault(review.application_id, []).append(review)
    conflicts = [
        {
            "application": application,
            "reviewer": reviewer,
            "reasons": found[reviewer.pk][application.startup_id],
        }
        for application in applications
        for reviewer in reviewers
        if application.startup_id in found[reviewer.pk]
    ]
    loads = {reviewer.pk: 0 for reviewer in reviewers}
    for items in by_application.values():
        for review in items:
            if review.reviewer_id in loads and review.status != Review.Status.RECUSED:
                loads[review.reviewer_id] += 1
    context = {
        "call": call,
        "phase": phase,
        "phases": list(call.phases.all()),
        "rows": [(application, by_application[application.pk]) for application in applications],
        "reviewers": [(reviewer, loads[reviewer.pk]) for reviewer in reviewers],
        "conflicts": conflicts,
        "assign_form": assign_form or AssignForm(applications=applications, reviewers=reviewers),
        "auto_form": auto_form or AutoAssignForm(),
        "setup": reviews.review_setup(call, phase),
    }
    return render(request, "programs/review_assignments.html", context, status=status)


def position_in(request) -> int | None:
    value = request.GET.get("phase") or request.POST.get("phase")
    return int(value) if value and value.isdigit() else None


@login_required
@require_http_methods(["GET", "POST"])
def review_assignments(request, pk: int):
    """Managers see every application with its reviewers and the conflicts (with their reasons),
    assign by hand or in bulk (POST here) or automatically (``review-assign-auto``)."""
    call = managed_call(request, pk)
    phase = phase_of(call, position_in(request))
    if request.method == "GET":
        return assignments_page(request, call, phase)
    applications = reviews.reviewable_applications(call).select_related("startup")
    reviewers = reviews.program_reviewers(call.program)
    form = AssignForm(request.POST, applications=applications, reviewers=reviewers)
    if form.is_valid():
        chosen = applications.filter(pk__in=form.cleaned_data["applications"])
        people = reviewers.filter(pk__in=form.cleaned_data["reviewers"])
        pairs = [(application, reviewer) for application in chosen for reviewer in people]
        try:
            created = reviews.assign_reviewers(Actor.from_request(request), call, phase, pairs)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return assigned(request, created, call, phase)
    return assignments_page(request, call, phase, assign_form=form, status=400)


def assigned(request, created, call, phase):
    messages.success(request, _("%(count)s reviews assigned.") % {"count": len(created)})
    return redirect(assignments_url(call, phase))


def assignments_url(call, phase) -> str:
    url = reverse("programs:review-assignments", args=[call.pk])
    return f"{url}?phase={phase.position}" if phase is not None else url


@login_required
@require_POST
def review_assign_auto(request, pk: int):
    call = managed_call(request, pk)
    phase = phase_of(call, position_in(request))
    form = AutoAssignForm(request.POST)
    if form.is_valid():
        try:
            created = reviews.auto_assign(
                Actor.from_request(request), call, phase, form.cleaned_data["per_application"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return assigned(request, created, call, phase)
    return assignments_page(request, call, phase, auto_form=form, status=400)


@login_required
@require_POST
def review_remove(request, pk: int):
    review = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("application__call"), pk=pk
    )
    call = review.application.call
    if not can_manage_reviews(request.user, call):
        raise PermissionDenied(_("Only the program's managers run its reviews."))
    try:
        reviews.unassign(Actor.from_request(request), review)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The review was taken back."))
    return redirect(assignments_url(call, review.phase))


@login_required
@require_POST
def review_feedback(request, pk: int):
    """Withhold a review's comment for the applicant (``withheld=on``) or pass it on again."""
    review = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("application__call"), pk=pk
    )
    try:
        review = reviews.set_feedback_withheld(
            Actor.from_request(request), review, request.POST.get("withheld") == "on"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Withheld: the applicant will not read this comment.")
            if review.feedback_withheld
            else _("The applicant reads this comment with the released decision."),
        )
    return redirect(review)


# --- the reviewer's pages ----------------------------------------------------------------------------


@login_required
def review_list(request, form=None, status=200):
    """The reviews assigned to the viewer (and, for managers, nothing more: they use each call's
    assignments page); ``form`` is the expertise form sent back with its errors."""
    mine = (
        Review.objects.visible_to(request.user)
        .filter(reviewer=request.user)
        .select_related("application__call__program", "application__startup", "phase")
        .order_by("status", "-assigned_at")
    )
    context = {
        "reviews": mine,
        "blind_ids": blind_application_ids(request.user),
        "expertise_form": form or expertise_form(request.user),
    }
    return render(request, "programs/review_list.html", context, status=status)


def expertise_form(user, data=None) -> ExpertiseForm | None:
    """The reviewer's expertise form (None for those who review nothing)."""
    if not reviews.may_state_expertise(user):
        return None
    return ExpertiseForm(data, initial={"sectors": reviews.expertise_of(user)})


@login_required
@require_POST
def review_expertise(request):
    """The reviewer states the sectors they know; back to their reviews."""
    form = expertise_form(request.user, request.POST)
    if form is None:
        raise PermissionDenied(_("Only a program's reviewers state their expertise."))
    if not form.is_valid():
        return review_list(request, form=form, status=400)
    reviews.set_expertise(Actor.from_request(request), form.cleaned_data["sectors"])
    messages.success(request, _("Your expertise was saved."))
    return redirect("programs:review-list")


def review_page(request, review, form=None, recusal=None, status=200):

    application = review.application
    setup = reviews.setup_of(review)
    blind = application.pk in blind_application_ids(request.user)
    writable = can_write_review(request.user, review)
    if form is None and writable:
        form = ReviewForm(instance=review, rubric=setup.rubric)
    others = (
        Review.objects.visible_to(request.user)
        .filter(application=application, phase=review.phase)
        .exclude(pk=review.pk)
        .select_related("reviewer")
    )
    context = {
        "review": review,
        "application": application,
        "call": application.call,
        "setup": setup,
        "answers": shown_answers(request, application, blind=blind),
        "blind_ids": {application.pk} if blind else set(),
        "form": form if writable else None,
        "recusal_form": recusal or (RecusalForm() if writable else None),
        "may_choose_feedback": review.status == Review.Status.SUBMITTED
        and can_manage_reviews(request.user, application.call),
        "scores": score_rows(setup.rubric, review.scores),
        "total": weighted_total(setup.rubric, review.scores),
        "others": [
            {
                "review": other,
                "scores": score_rows(setup.rubric, other.scores),
                "total": weighted_total(setup.rubric, other.scores),
            }
            for other in others
        ],
        "may_remove": can_manage_reviews(request.user, application.call)
        and review.status != Review.Status.SUBMITTED,
    }
    return render(request, "programs/review_detail.html", context, status=status)


def score_rows(rubric, scores) -> list[dict]:
    from .forms import localized_label

    rows = []
    for criterion in rubric:
        value = scores.get(criterion["key"])
        point = next((point for point in criterion["scale"] if point["value"] == value), None)
        rows.append(
            {
                "label": localized_label(criterion),
                "weight": criterion["weight"],
                "value": value,
                "point": localized_label(point) if point else "",
            }
        )
    return rows


def visible_review(request, pk: int) -> Review:
    return get_object_or_404(
        Review.objects.visible_to(request.user).select_related(
            "application__call__program", "application__startup", "phase"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk: int):
    """The review with the application it is about; its reviewer scores and comments here
    (``Save draft``) and sends it (``Submit``)."""
    review = visible_review(request, pk)
    if request.method == "GET":
        return review_page(request, review)
    if not can_write_review(request.user, review):
        raise PermissionDenied(_("You may not change this review now."))
    form = ReviewForm(request.POST, instance=review, rubric=reviews.setup_of(review).rubric)
    actor = Actor.from_request(request)
    if form.is_valid():
        saved = saved_or_errors(
            form, lambda _values: reviews.save_review(actor, review, form.values(), version=form.seen_version)
        )
        if saved is not None:
            try:
                if "submit" in request.POST:
                    reviews.set_review_status(actor, saved, Review.Status.SUBMITTED)
            except ValidationError as error:
                refused_after_saving(form, error, Review.objects.get(pk=pk).version)
            else:
                submitted = "submit" in request.POST
                messages.success(
                    request, _("Your review was submitted.") if submitted else _("Your draft was saved.")
                )
                return redirect(saved)
    review.refresh_from_db()
    return review_page(request, review, form=form, status=edit_status(form))


@login_required
@require_POST
def review_recuse(request, pk: int):
    review = visible_review(request, pk)
    if not can_write_review(request.user, review):
        raise PermissionDenied(_("You may not change this review now."))
    form = RecusalForm(request.POST)
    if form.is_valid():
        reviews.set_review_status(
            Actor.from_request(request), review, Review.Status.RECUSED, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("You stepped aside; the managers see your reason."))
        return redirect("programs:review-list")
    return review_page(request, review, recusal=form, status=400)


# --- ranking -----------------------------------------------------------------------------------------


def ranking_of(request, pk: int):
    """The ranking a manager asked for: the call, ``?phase=`` (position) and ``?aggregate=``."""
    call = managed_call(request, pk)
    phase = phase_of(call, position_in(request))
    aggregate = request.GET.get("aggregate")
    return ranking.rank_call(call, phase, aggregate if aggregate in ranking.AGGREGATES else "mean")


@login_required
@require_GET
def review_ranking(request, pk: int):
    """The managers' ranking: raw and normalized scores side by side, the spread between reviewers,
    the disagreement flag and the number of reviews, per phase."""
    result = ranking_of(request, pk)
    decided = decisions_by_application(request.user, result.call)
    context = {
        "lines": [(line, decided.get(line.application.pk)) for line in result.lines],
        "may_decide": result.call.status == Call.Status.CLOSED,
        "outcomes": Decision.Outcome.choices,
        "here": request.get_full_path(),
        "call": result.call,
        "phase": result.phase,
        "phases": list(result.call.phases.all()),
        "ranking": result,
        "aggregates": ranking.AGGREGATES,
        "query": request.GET.urlencode(),
    }
    return render(request, "programs/review_ranking.html", context)


@login_required
@require_GET
def review_ranking_export(request, pk: int):
    """The ranking with every score and comment as XLSX (blind phases stay blind: ``ranking``)."""
    result = ranking_of(request, pk)
    name = f"ranking-call-{result.call.pk}" + (f"-phase-{result.phase.position}" if result.phase else "")
    response = HttpResponse(ranking.ranking_xlsx(result), content_type=XLSX.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
