"""Agreement pages. Reads come from ``queries``, writes go through ``services``; a view only finds
the object the viewer may see (404 otherwise), checks the permission to show a form (403), and maps a
service's ValidationError onto the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dari.accounts.audit import Actor
from dari.accounts.history import history_for
from dari.core.documents import pdf_response, requested_language
from dari.core.forms import form_status, posted
from dari.core.pagination import paginate

from . import documents, services
from .documents import action_items_by_status_chart
from .forms import (
    ActionItemFilterForm,
    ActionItemForm,
    AgreementForm,
    AreaForm,
    PartyForm,
    ProgressNoteForm,
    StatusForm,
)
from .models import ActionItem, Agreement
from .permissions import (
    can_add_progress_note,
    can_change_action_item,
    can_change_agreement,
    can_create_agreement,
    can_see_progress_notes,
)
from .queries import visible_parties
from .services import ITEM_STATUS


def agreement_list(request):
    query = request.GET.get("q", "")[:200]
    agreements = (
        Agreement.objects.visible_to(request.user)
        .select_related("place_organization")
        .prefetch_related(Prefetch("parties", queryset=visible_parties(request.user)))
    )
    if query:
        agreements = agreements.search(query)
    return render(
        request,
        "agreements/agreement_list.html",
        {"page": paginate(request, agreements), "q": query, "can_create": can_create_agreement(request.user)},
    )


def agreement_detail(request, pk: int):
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).with_details(request.user), pk=pk
    )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "can_change": can_change_agreement(request.user, agreement),
            "history": history_for(request.user, agreement),
            "charts": {"status": action_items_by_status_chart(agreement, agreement.action_items.all())},
        },
    )


def agreement_pdf(request, pk: int):
    """The agreement as a PDF in ``?lang=ko|en``, else in the page's language; 404 when hidden."""
    language = requested_language(request.GET)
    try:
        content = documents.agreement_pdf(request.user, pk, language)
    except Agreement.DoesNotExist as error:
        raise Http404 from error
    return pdf_response(content, f"agreement-{pk}-{language}.pdf")


@login_required
@require_POST
def agreement_pdf_job(request, pk: int):
    """Start rendering the agreement's PDF in the background; the job page shows the progress and,
    when done, the link to the stored file."""
    agreement = visible_agreement(request, pk)
    language = requested_language(request.POST)
    job = services.start_agreement_pdf(Actor.from_request(request), agreement, language)
    messages.success(request, _("The PDF is being made; this page shows its progress."))
    return redirect(job)


def visible_agreement(request, pk: int) -> Agreement:
    return get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)


def changeable_agreement(request, pk: int) -> Agreement:
    agreement = visible_agreement(request, pk)
    if not can_change_agreement(request.user, agreement):
        raise PermissionDenied
    return agreement


def run_service(form, call) -> bool:
    """Call the service; on ValidationError put its messages on the form and return False."""
    try:
        call()
    except ValidationError as error:
        form.add_service_error(error)
        return False
    return True


# --- agreements, parties, areas ----------------------------------------------------------------------


@login_required
def agreement_create(request):
    if not can_create_agreement(request.user):
        raise PermissionDenied
    form = AgreementForm(posted(request))
    created = []
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: created.append(services.create_agreement(Actor.from_request(request), form.cleaned_data)),
        ):
            messages.success(request, _("Agreement created."))
            return redirect(created[0])
    context = {"form": form, "agreement": None}
    return render(request, "agreements/agreement_form.html", context, status=form_status(form))


@login_required
def agreement_edit(request, pk: int):
    agreement = changeable_agreement(request, pk)
    form = AgreementForm(posted(request), initial=AgreementForm.initial_for(agreement))
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.update_agreement(Actor.from_request(request), agreement, form.cleaned_data),
        ):
            messages.success(request, _("Agreement saved."))
            return redirect(agreement)
    context = {"form": form, "agreement": agreement}
    return render(request, "agreements/agreement_form.html", context, status=form_status(form))


@login_required
def agreement_parties(request, pk: int):
    agreement = changeable_agreement(request, pk)
    form = PartyForm(posted(request), user=request.user, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organization = values.pop("organization")
        if run_service(
            form, lambda: services.add_party(Actor.from_request(request), agreement, organization, values)
        ):
            messages.success(request, _("Party added."))
            return redirect("agreements:agreement-parties", pk=agreement.pk)
    parties = visible_parties(request.user).filter(agreement=agreement)
    return render(
        request,
        "agreements/agreement_parties.html",
        {"agreement": agreement, "parties": parties, "form": form},
        status=form_status(form),
    )


@login_required
@require_POST
def party_remove(request, pk: int, party_pk: int):
    agreement = changeable_agreement(request, pk)
    party = get_object_or_404(agreement.parties.select_related("agreement", "organization"), pk=party_pk)
    services.remove_party(Actor.from_request(request), party)
    messages.success(request, _("Party removed."))
    return redirect("agreements:agreement-parties", pk=agreement.pk)


@login_required
def area_create(request, pk: int):
    agreement = changeable_agreement(request, pk)
    form = AreaForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.add_area(Actor.from_request(request), agreement, form.cleaned_data)
        ):
            messages.success(request, _("Cooperation area added."))
            return redirect(agreement)
    context = {"agreement": agreement, "form": form, "area": None}
    return render(request, "agreements/area_form.html", context, status=form_status(form))


@login_required
def area_edit(request, pk: int, area_pk: int):
    agreement = changeable_agreement(request, pk)
    area = get_object_or_404(agreement.areas.select_related("agreement"), pk=area_pk)
    form = AreaForm(posted(request), initial=AreaForm.initial_for(area))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if values["number"] is None:
            values["number"] = area.number
        if run_service(form, lambda: services.update_area(Actor.from_request(request), area, values)):
            messages.success(request, _("Cooperation area saved."))
            return redirect(agreement)
    context = {"agreement": agreement, "form": form, "area": area}
    return render(request, "agreements/area_form.html", context, status=form_status(form))


# --- action items ------------------------------------------------------------------------------------


def visible_item(request, pk: int) -> ActionItem:
    return get_object_or_404(ActionItem.objects.visible_to(request.user).with_details(request.user), pk=pk)


@login_required
def action_item_create(request, pk: int):
    agreement = changeable_agreement(request, pk)
    form = ActionItemForm(posted(request), agreement=agreement)
    created = []
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: created.append(
                services.create_action_item(Actor.from_request(request), agreement, form.cleaned_data)
            ),
        ):
            messages.success(request, _("Action item created."))
            return redirect(created[0])
    context = {"agreement": agreement, "form": form, "item": None}
    return render(request, "agreements/action_item_form.html", context, status=form_status(form))


def action_item_detail(request, pk: int):
    item = visible_item(request, pk)
    return render_item(request, item)


def render_item(request, item, note_form=None, status_form=None, status=200):
    user = request.user
    context = {
        "item": item,
        "agreement": item.agreement,
        "can_change": can_change_action_item(user, item),
        "can_add_note": can_add_progress_note(user, item),
        "sees_notes": can_see_progress_notes(user, item.agreement),
        "next_statuses": [ActionItem.Status(s) for s in ITEM_STATUS.next_states(item.status)],
        "note_form": note_form or ProgressNoteForm(),
        "status_form": status_form,
        "history": history_for(user, item),
    }
    return render(request, "agreements/action_item_detail.html", context, status=status)


@login_required
def action_item_edit(request, pk: int):
    item = visible_item(request, pk)
    if not can_change_action_item(request.user, item):
        raise PermissionDenied
    form = ActionItemForm(posted(request), agreement=item.agreement, initial=ActionItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.update_action_item(Actor.from_request(request), item, form.cleaned_data)
        ):
            messages.success(request, _("Action item saved."))
            return redirect(item)
    context = {"agreement": item.agreement, "form": form, "item": item}
    return render(request, "agreements/action_item_form.html", context, status=form_status(form))


@login_required
@require_POST
def action_item_status(request, pk: int):
    item = visible_item(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid() and run_service(
        form,
        lambda: services.change_action_item_status(
            Actor.from_request(request), item, form.cleaned_data["status"]
        ),
    ):
        messages.success(request, _("Status changed."))
        return redirect(item)
    return render_item(request, visible_item(request, pk), status_form=form, status=400)


@login_required
@require_POST
def action_item_note(request, pk: int):
    item = visible_item(request, pk)
    form = ProgressNoteForm(request.POST)
    if form.is_valid() and run_service(
        form, lambda: services.add_progress_note(Actor.from_request(request), item, form.cleaned_data)
    ):
        messages.success(request, _("Progress note added."))
        return redirect(item)
    return render_item(request, item, note_form=form, status=400)


# --- boards and lists --------------------------------------------------------------------------------


def agreement_board(request, pk: int):
    """One agreement's action items in columns by status."""
    agreement = visible_agreement(request, pk)
    items = (
        ActionItem.objects.filter(agreement=agreement).with_details(request.user).order_by("due_at", "key")
    )
    columns = {status: [] for status in ActionItem.Status}
    for item in items:
        columns[ActionItem.Status(item.status)].append(item)
    return render(
        request,
        "agreements/agreement_board.html",
        {
            "agreement": agreement,
            "columns": [(status, columns[status]) for status in ActionItem.Status],
            "can_change": can_change_agreement(request.user, agreement),
        },
    )


def action_item_list(request, overdue_only: bool = False):
    """Action items across the agreements the viewer may see, filtered and paginated."""
    now = timezone.now()
    form = ActionItemFilterForm(request.GET or None, user=request.user)
    items = ActionItem.objects.visible_to(request.user)
    if overdue_only:
        items = items.overdue(now)
    if form.is_bound:
        items = form.filter(items, now)
    items = items.with_details(request.user).order_by("due_at", "agreement_id", "key")
    return render(
        request,
        "agreements/action_item_list.html",
        {"form": form, "page": paginate(request, items), "overdue_only": overdue_only},
    )


def overdue_list(request):
    return action_item_list(request, overdue_only=True)
