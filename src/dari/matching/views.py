"""Search, suggestions and matching profiles: thin views over ``engine`` and ``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.audit import Actor
from dari.registry.models import Organization

from . import engine, services
from .actions import suggestion_actions
from .forms import MatchingProfileForm, SearchForm, SuggestionFilterForm
from .models import MatchingProfile
from .permissions import can_change_matching_profile, can_view_suggestions

SEARCH_LIMIT = 200
SUGGESTION_LIMIT = 20


def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = engine.search(
            request.user, form.cleaned_data["q"], kind=form.cleaned_data["kind"], limit=SEARCH_LIMIT
        )
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "search_query": request.GET.get("q", "")[:200],
        "index_ready": engine.is_ready(),
    }
    return render(request, "matching/search.html", context)


def visible_subject(request, pk: int) -> Organization:
    """The organization whose suggestions are asked for: 404 if unseen, 403 if seen but not theirs."""
    subject = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_view_suggestions(request.user, subject):
        raise PermissionDenied(
            _("Only the organization's members and the partnership's staff see its suggestions.")
        )
    return subject


@login_required
def suggestions(request, pk: int):
    subject = visible_subject(request, pk)
    form = SuggestionFilterForm(request.GET or None, subject=subject)
    found = []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        found = engine.suggestions(
            request.user,
            subject,
            kinds=[data["kind"]] if data.get("kind") else None,
            cluster=data.get("cluster"),
            country=data.get("country", ""),
            stage=data.get("stage", ""),
            include_related=data.get("include_related", False),
            k=SUGGESTION_LIMIT,
        )
    context = {
        "subject": subject,
        "form": form,
        "suggestions": found,
        "is_startup": subject.kind == Organization.Kind.STARTUP,
        "can_edit_profile": can_change_matching_profile(request.user, subject),
        "index_ready": engine.is_ready(),
        "suggestion_actions": suggestion_actions(request.user, subject),
    }
    return render(request, "matching/suggestions.html", context)


@login_required
@require_POST
def mark(request, pk: int, candidate_pk: int):
    """Mark a suggestion relevant (``verdict=relevant``), not relevant (``not_relevant``) or clear it."""
    subject = visible_subject(request, pk)
    candidate = get_object_or_404(Organization.objects.visible_to(request.user), pk=candidate_pk)
    verdict = request.POST.get("verdict")
    actor = Actor.from_request(request)
    try:
        if verdict in ("relevant", "not_relevant"):
            services.mark_suggestion(actor, subject, candidate, verdict == "relevant")
            messages.success(request, _("Thank you: your suggestions now take this into account."))
        elif verdict == "clear":
            services.clear_mark(actor, subject, candidate)
            messages.success(request, _("Your mark was removed."))
        else:
            messages.error(request, _("Choose relevant, not relevant or clear."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    target = request.POST.get("next")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = subject_url(subject)
    return redirect(target)


def subject_url(subject: Organization) -> str:
    from django.urls import reverse

    return reverse("matching:suggestions", args=[subject.pk])


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_change_matching_profile(request.user, organization):
        raise PermissionDenied(_("You may not change this organization's matching profile."))
    instance = MatchingProfile.objects.filter(organization=organization).first() or MatchingProfile(
        organization=organization
    )
    form = MatchingProfileForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_matching_profile(Actor.from_request(request), organization, form.values())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The matching profile was saved."))
            return redirect(organization.get_absolute_url())
    context = {
        "form": form,
        "title": _("Matching profile: %(name)s") % {"name": organization},
        "intro": _(
            "What the organization seeks or looks for. Suggestions use it, with the profile and past deals. "
            "Amounts are in US dollars and only rank suggestions by size."
        ),
        "submit": _("Save"),
        "cancel_url": organization.get_absolute_url(),
    }
    return render(request, "registry/form.html", context)
