"""Pages of a participant's support: its milestone plan and the services delivered, read by the
program's managers, staff and the startup's own members, written by the first two. Thin views
over ``support`` and ``visible_to``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dari.accounts.access import access_for
from dari.accounts.audit import Actor
from dari.core.forms import edit_status, posted, saved_or_errors

from . import support
from .models import Milestone, Participant, ServiceDelivery
from .permissions import can_manage_support, can_mark_milestone
from .support_forms import MilestoneForm, ServiceForm


def visible_participant(request, pk: int) -> Participant:
    """A participant whose support the user may read (else 404: nobody learns it is there)."""
    participants = Participant.objects.support_visible_to(request.user).select_related(
        "program", "organization", "cohort__call"
    )
    return get_object_or_404(participants, pk=pk)


def managed_participant(request, pk: int) -> Participant:
    participant = visible_participant(request, pk)
    if not can_manage_support(request.user, participant):
        raise PermissionDenied(_("Only the program's managers change a startup's plan and services."))
    return participant


def managed_row(request, model, pk: int):
    """A milestone or service the user may read, and may change (else 403)."""
    row = get_object_or_404(
        model.objects.visible_to(request.user).select_related(
            "participant__program", "participant__organization"
        ),
        pk=pk,
    )
    if not can_manage_support(request.user, row.participant):
        raise PermissionDenied(_("Only the program's managers change a startup's plan and services."))
    return row


@login_required
@require_GET
def participant_detail(request, pk: int):
    """A participating startup's milestone plan and the services delivered to it."""
    participant = visible_participant(request, pk)
    services = ServiceDelivery.objects.filter(participant=participant).select_related(
        "provider_organization", "provider_person"
    )
    context = {
        "participant": participant,
        "milestones": Milestone.objects.filter(participant=participant),
        "services": services,
        "total_hours": services.aggregate(total=Sum("hours"))["total"],
        "may_manage": can_manage_support(request.user, participant),
        "may_mark": can_manage_support(request.user, participant)
        or participant.organization_id in access_for(request.user).organization_ids,
    }
    return render(request, "programs/participant_detail.html", context)


def edit_page(request, form, save, participant, *, title: str, saved_message: str):
    """The form page of a milestone or a service: on a valid POST run ``save(values, version)``
    (the service's errors go on the form, 400; someone else's change since, 409) and go back to
    the participant's page; else show the form."""
    if request.method == "POST" and form.is_valid():
        saved = saved_or_errors(form, lambda values: save(values, form.seen_version))
        if saved is not None:
            messages.success(request, saved_message)
            return redirect(participant)
    context = {"form": form, "participant": participant, "title": title}
    return render(request, "programs/support_form.html", context, status=edit_status(form))


# --- milestones --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request, pk: int):
    participant = managed_participant(request, pk)
    return edit_page(
        request,
        MilestoneForm(posted(request)),
        lambda values, version: support.add_milestone(Actor.from_request(request), participant, values),
        participant,
        title=_("New milestone"),
        saved_message=_("The milestone was added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk: int):
    milestone = managed_row(request, Milestone, pk)
    return edit_page(
        request,
        MilestoneForm(posted(request), instance=milestone),
        lambda values, version: support.update_milestone(
            Actor.from_request(request), milestone, values, version=version
        ),
        milestone.participant,
        title=_("Edit milestone"),
        saved_message=_("The changes were saved."),
    )


@login_required
@require_POST
def milestone_delete(request, pk: int):
    milestone = managed_row(request, Milestone, pk)
    support.delete_milestone(Actor.from_request(request), milestone)
    messages.success(request, _("The milestone was deleted."))
    return redirect(milestone.participant)


@login_required
@require_POST
def milestone_status(request, pk: int):
    """Mark a milestone done or planned again (the startup's members too), or missed (managers)."""
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related("participant__program"), pk=pk
    )
    if not can_mark_milestone(request.user, milestone):
        raise PermissionDenied(_("You may not change this milestone's status."))
    try:
        support.set_milestone_status(Actor.from_request(request), milestone, request.POST.get("status", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The milestone's status was saved."))
    return redirect(milestone.participant)


# --- services delivered ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request, pk: int):
    participant = managed_participant(request, pk)
    return edit_page(
        request,
        ServiceForm(posted(request), user=request.user),
        lambda values, version: support.add_service(Actor.from_request(request), participant, values),
        participant,
        title=_("Record a service"),
        saved_message=_("The service was recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk: int):
    service = managed_row(request, ServiceDelivery, pk)
    return edit_page(
        request,
        ServiceForm(posted(request), instance=service, user=request.user),
        lambda values, version: support.update_service(
            Actor.from_request(request), service, values, version=version
        ),
        service.participant,
        title=_("Edit service"),
        saved_message=_("The changes were saved."),
    )


@login_required
@require_POST
def service_delete(request, pk: int):
    service = managed_row(request, ServiceDelivery, pk)
    support.delete_service(Actor.from_request(request), service)
    messages.success(request, _("The service was deleted."))
    return redirect(service.participant)
