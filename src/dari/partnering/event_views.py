"""Event pages: the list, an event with its days, locations, delegates and status, the availability
grid and the event's meeting requests. Thin views over ``services`` and ``visible_to``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.access import access_for
from dari.accounts.audit import Actor
from dari.core.documents import pdf_response, render_pdf, requested_language
from dari.core.forms import add_service_errors, edit_status, form_status, posted, saved_or_errors
from dari.core.pagination import paginate
from dari.core.services import Conflict
from dari.core.time import format_in_zone, in_zone, partnership_zones, viewer_zones
from dari.registry.models import Organization

from . import services
from .forms import (
    DayForm,
    DelegateForm,
    EventForm,
    EventItemForm,
    EventRequestForm,
    LocationForm,
    MeetingReportForm,
)
from .models import CalendarFeed, Delegate, Event, Meeting, MeetingReport, MeetingRequest
from .permissions import (
    can_act_for,
    can_change_event,
    can_create_event,
    can_mark_availability,
    can_view_event_analytics,
)
from .queries import event_follow_up_figures, meeting_for_report, meeting_report_sides, programme
from .views import with_actions


def visible_event(request, pk: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), pk=pk)


def changeable_event(request, pk: int) -> Event:
    event = visible_event(request, pk)
    if not can_change_event(request.user, event):
        raise PermissionDenied(_("You may not change this event."))
    return event


def acting_for(user, event) -> list[Organization]:
    """The organizations ``user`` may register delegates for at ``event``."""
    access = access_for(user)
    found = Organization.objects.visible_to(user)
    if not can_change_event(user, event):
        found = found.filter(pk__in=access.organization_ids)
    return list(found.order_by("name_en", "name_ko", "pk"))


def event_list(request):
    events = Event.objects.visible_to(request.user)
    context = {"page": paginate(request, events), "may_create": can_create_event(request.user)}
    return render(request, "partnering/event_list.html", context)


def event_detail(request, pk: int, *, forms=None, status=200):
    """An event: its times and rules, days, locations and delegates; for its organizers, the forms
    that set it up (``forms`` when one was sent with errors)."""
    event = visible_event(request, pk)
    may_change = can_change_event(request.user, event)
    user = request.user
    delegates = Delegate.objects.visible_to(user).filter(event=event).select_related("organization", "user")
    delegates = delegates.annotate(free=Count("available"))
    forms = forms or {}
    context = {
        "event": event,
        "may_change": may_change,
        "days": event.days.prefetch_related("slots"),
        "locations": event.locations.all(),
        "delegates": delegates,
        "next_states": [Event.Status(state) for state in services.EVENT_STATUS.next_states(event.status)]
        if may_change
        else [],
        "own": Delegate.objects.of_user(user, event),
        "meeting_count": event.meetings.filter(state=Meeting.State.SCHEDULED).count() if may_change else None,
        "figures": event_follow_up_figures(user, event) if can_view_event_analytics(user, event) else None,
        "day_form": forms.get("day") or (DayForm() if may_change else None),
        "location_form": forms.get("location") or (LocationForm() if may_change else None),
        "items": programme(event, user),
        "item_form": forms.get("item") or (EventItemForm(user=user) if may_change else None),
    }
    if user.is_authenticated:
        organizations = acting_for(user, event)
        if organizations:
            context["delegate_form"] = forms.get("delegate") or DelegateForm(organizations=organizations)
        context["removable"] = {
            delegate.pk
            for delegate in delegates
            if delegate.user_id == user.pk or can_act_for(user, event, delegate.organization)
        }
    return render(request, "partnering/event_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not can_create_event(request.user):
        raise PermissionDenied(_("Only partnership staff may create events."))
    form = EventForm(posted(request))
    if request.method == "POST" and form.is_valid():
        event = saved_or_errors(
            form, lambda values: services.create_event(Actor.from_request(request), values)
        )
        if event is not None:
            messages.success(request, _("The event was created as a draft. Add its days and locations."))
            return redirect(event)
    context = {"form": form, "title": _("New event"), "cancel_url": reverse("partnering:event-list")}
    return render(request, "partnering/event_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = changeable_event(request, pk)
    form = EventForm(posted(request), instance=event)
    if request.method == "POST" and form.is_valid():
        saved = saved_or_errors(
            form,
            lambda values: services.update_event(
                Actor.from_request(request), event, values, version=form.seen_version
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(saved)
    context = {"form": form, "title": _("Edit the event"), "cancel_url": event.get_absolute_url()}
    return render(request, "partnering/event_form.html", context, status=edit_status(form))


def refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def event_status(request, pk: int):
    event = changeable_event(request, pk)
    try:
        services.set_event_status(Actor.from_request(request), event, request.POST.get("status", ""))
        messages.success(request, _("The event's status was changed."))
    except ValidationError as error:
        refused(request, error)
    return redirect(event)


def added_from_form(request, pk: int, form_class, name: str, add, done: str):
    """Add a part of the event (a day, a location) from its form: back to the event, or the event
    page again with the form's errors (400)."""
    event = changeable_event(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(Actor.from_request(request), event, form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(event)
    return event_detail(request, pk, forms={name: form}, status=400)


@login_required
@require_POST
def event_day_add(request, pk: int):
    done = _("The day was added with its meeting slots.")
    return added_from_form(request, pk, DayForm, "day", services.add_event_day, done)


@login_required
@require_POST
def event_day_remove(request, pk: int, day_pk: int):
    event = changeable_event(request, pk)
    try:
        services.remove_event_day(Actor.from_request(request), get_object_or_404(event.days, pk=day_pk))
        messages.success(request, _("The day was removed with its meeting slots."))
    except ValidationError as error:
        refused(request, error)
    return redirect(event)


@login_required
@require_POST
def location_add(request, pk: int):
    return added_from_form(
        request, pk, LocationForm, "location", services.add_location, _("The location was added.")
    )


@login_required
@require_POST
def event_item_add(request, pk: int):
    def form(data):
        return EventItemForm(data, user=request.user)

    done = _("The moment was added to the programme.")
    return added_from_form(request, pk, form, "item", services.add_event_item, done)


@login_required
@require_POST
def event_item_remove(request, pk: int, item_pk: int):
    event = changeable_event(request, pk)
    services.remove_event_item(Actor.from_request(request), get_object_or_404(event.items, pk=item_pk))
    messages.success(request, _("The moment was removed from the programme."))
    return redirect(event)


@login_required
@require_POST
def location_remove(request, pk: int, location_pk: int):
    event = changeable_event(request, pk)
    services.remove_location(Actor.from_request(request), get_object_or_404(event.locations, pk=location_pk))
    messages.success(request, _("The location was removed."))
    return redirect(event)


@login_required
@require_POST
def delegate_register(request, pk: int):
    event = visible_event(request, pk)
    organizations = acting_for(request.user, event)
    if not organizations:
        raise PermissionDenied(
            _("Only the organization's members and the event's organizers may register its delegates.")
        )
    form = DelegateForm(request.POST, organizations=organizations)
    if form.is_valid():
        organization = form.organizations[form.cleaned_data["organization"]]
        try:
            services.register_delegate(
                Actor.from_request(request), event, organization, form.cleaned_data["username"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The delegate was registered."))
            return redirect(event)
    return event_detail(request, pk, forms={"delegate": form}, status=400)


@login_required
@require_POST
def delegate_remove(request, pk: int, delegate_pk: int):
    event = visible_event(request, pk)
    delegate = get_object_or_404(event.delegates.select_related("organization"), pk=delegate_pk)
    try:
        services.remove_delegate(Actor.from_request(request), delegate)
        messages.success(request, _("The delegate was taken off the event."))
    except ValidationError as error:
        refused(request, error)
    return redirect(event)


# --- availability ------------------------------------------------------------------------------------


def grid_zones(event: Event, user) -> list[str]:
    """The two zones of the availability grid: the event's, then the viewer's own (or, when they
    are the same, the partnership's other zone)."""
    others = [zone for zone in [*viewer_zones(user), *partnership_zones()] if zone != event.time_zone]
    return [event.time_zone, others[0] if others else "UTC"]


def slot_cell(moment, zone: str) -> dict:
    local = in_zone(moment, zone)
    return {
        "time": f"{local:%H:%M} {local.tzname()}",
        "date": f"{local:%Y-%m-%d}",
        "text": format_in_zone(moment, zone),
    }


def availability_grid(event: Event, delegate: Delegate, zones: list[str]) -> list[dict]:
    """The event's slots by day, each with its time in both zones and whether the delegate is free."""
    chosen = set(delegate.available.values_list("pk", flat=True))
    days = []
    for day in event.days.prefetch_related("slots"):
        rows = [
            {
                "slot": slot,
                "checked": slot.pk in chosen,
                "cells": [slot_cell(slot.starts_at, zone) for zone in zones],
            }
            for slot in day.slots.all()
        ]
        days.append({"day": day, "rows": rows})
    return days


@login_required
@require_http_methods(["GET", "POST"])
def availability(request, pk: int):
    """A delegate's availability on the event's slots, in the event's zone and the viewer's side
    by side: the signed-in delegate's own, or ``?delegate=`` for whoever may mark it."""
    event = visible_event(request, pk)
    chosen = request.GET.get("delegate", "")
    if chosen.isdigit():
        delegate = get_object_or_404(
            event.delegates.select_related("event", "organization", "user"), pk=chosen
        )
    else:
        delegate = Delegate.objects.of_user(request.user, event)
    if delegate is None or not can_mark_availability(request.user, delegate):
        raise Http404
    if request.method == "POST":
        try:
            services.set_availability(Actor.from_request(request), delegate, request.POST.getlist("slot"))
        except ValidationError as error:
            refused(request, error)
        else:
            messages.success(request, _("Your availability was saved."))
        return redirect(f"{reverse('partnering:event-availability', args=[event.pk])}?delegate={delegate.pk}")
    zones = grid_zones(event, request.user)
    context = {
        "event": event,
        "delegate": delegate,
        "zones": zones,
        "days": availability_grid(event, delegate, zones),
        "editable": event.status in (Event.Status.REGISTRATION, Event.Status.SCHEDULING),
    }
    return render(request, "partnering/availability.html", context)


# --- meeting requests at an event --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def event_requests(request, pk: int):
    """The event's meeting requests the user may see, and the form to ask for one."""
    event = visible_event(request, pk)
    user = request.user
    delegates = event.delegates.select_related("organization", "user")
    taking_part = {delegate.organization_id: delegate.organization for delegate in delegates}
    subjects = [org for org in taking_part.values() if can_act_for(user, event, org)]
    form = None
    if subjects and event.status == Event.Status.REGISTRATION:
        own = [delegate for delegate in delegates if delegate.organization_id in {org.pk for org in subjects}]
        form = EventRequestForm(
            posted(request), subjects=subjects, candidates=list(taking_part.values()), own_delegates=own
        )
        if request.method == "POST" and form.is_valid():
            subject = taking_part[int(form.cleaned_data["subject"])]
            candidate = taking_part[int(form.cleaned_data["candidate"])]
            try:
                services.request_event_meeting(
                    Actor.from_request(request), event, subject, candidate, form.values()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Meeting requested. The organization's members are told."))
                return redirect("partnering:event-requests", pk=event.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the members of organizations taking part may ask for meetings here."))
    found = (
        MeetingRequest.objects.visible_to(user)
        .filter(event=event)
        .for_listing(user)
        .prefetch_related("delegates__user")
        .order_by("-created_at", "-pk")
    )
    page = with_actions(user, paginate(request, found))
    context = {"event": event, "page": page, "form": form, "reply_limit": services.MESSAGE_LIMIT}
    return render(
        request, "partnering/event_requests.html", context, status=form_status(form) if form else 200
    )


@login_required
@require_POST
def event_schedule_generate(request, pk: int):
    """Start generating the event's schedule (organizers and staff): on to the job's progress."""
    event = changeable_event(request, pk)
    try:
        job = services.start_schedule_generation(Actor.from_request(request), event)
    except ValidationError as error:
        refused(request, error)
        return redirect(event)
    messages.success(request, _("The schedule is being generated. This page shows how far it got."))
    return redirect("jobs:job-detail", pk=job.pk)


# --- agendas -----------------------------------------------------------------------------------------


def agenda_rows(meetings, zones: list[str], viewer) -> list[dict]:
    """Each meeting with its times in both zones and, for ``viewer``, the other side."""
    access = access_for(viewer)
    now = timezone.now()
    rows = []
    for meeting in meetings:
        request = meeting.request
        own_side = request.candidate if request.candidate_id in access.organization_ids else request.subject
        rows.append(
            {
                "meeting": meeting,
                "cells": [
                    {
                        **slot_cell(meeting.slot.starts_at, zone),
                        "end": f"{in_zone(meeting.slot.ends_at, zone):%H:%M}",
                    }
                    for zone in zones
                ],
                "other": request.subject if own_side == request.candidate else request.candidate,
                "delegates": list(request.delegates.all()),
                "started": meeting.slot.starts_at <= now,
            }
        )
    return rows


def agenda_context(user, event: Event, now) -> dict:
    """``user``'s meetings at ``event`` (their agenda), in the event's zone and the viewer's side by
    side, and the next one still to come; the page and its PDF show the same."""
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(event=event)
        .attended_by(user)
        .for_agenda()
        .order_by("slot__starts_at", "pk")
    )
    zones = grid_zones(event, user)
    rows = agenda_rows(meetings, zones, user)
    upcoming = [
        row
        for row in rows
        if row["meeting"].state == Meeting.State.SCHEDULED and row["meeting"].slot.ends_at > now
    ]
    return {
        "event": event,
        "zones": zones,
        "next": upcoming[0] if upcoming else None,
        "rows": rows,
        "published": event.status in (Event.Status.PUBLISHED, Event.Status.CLOSED),
        "may_change": can_change_event(user, event),
    }


@login_required
def agenda(request, pk: int):
    """The signed-in delegate's meetings at the event, the next one first (its location and video
    link as large buttons)."""
    event = visible_event(request, pk)
    return render(request, "partnering/agenda.html", agenda_context(request.user, event, timezone.now()))


def printed(request, event: Event, name: str, context_at) -> HttpResponse:
    """``partnering/<name>_print.html`` as a PDF (``?lang=ko|en``, else the page's language) with
    ``context_at(now)``; dated in the event's zone."""
    language, now = requested_language(request.GET), timezone.now()
    context = {**context_at(now), "user": request.user}
    content = render_pdf(
        f"partnering/{name}_print.html",
        context,
        language=language,
        report_date=in_zone(now, event.time_zone).date(),
        data_as_of=now,
    )
    return pdf_response(content, f"{name}-{event.pk}-{language}.pdf")


@login_required
def agenda_pdf(request, pk: int):
    """The signed-in delegate's agenda as a PDF to print."""
    event = visible_event(request, pk)
    return printed(request, event, "agenda", lambda now: agenda_context(request.user, event, now))


def rooms_context(user, event: Event) -> dict:
    """Each location of ``event`` with its meetings by slot, for the organizers."""
    zones = grid_zones(event, user)
    meetings = event.meetings.for_agenda().order_by("location", "slot__starts_at", "pk")
    by_location = {}
    for row in agenda_rows(meetings, zones, user):
        by_location.setdefault(row["meeting"].location_id, []).append(row)
    locations = [
        {"location": location, "rows": by_location.get(location.pk, [])} for location in event.locations.all()
    ]
    return {"event": event, "zones": zones, "locations": locations}


@login_required
def rooms(request, pk: int):
    """The organizers' view of the schedule: each location with its meetings by slot."""
    event = changeable_event(request, pk)
    return render(request, "partnering/rooms.html", rooms_context(request.user, event))


@login_required
def rooms_pdf(request, pk: int):
    """Each location's meetings on a page of its own, to post at the room or table (organizers)."""
    event = changeable_event(request, pk)
    return printed(request, event, "rooms", lambda now: rooms_context(request.user, event))


# --- after the meeting -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_report(request, pk: int):
    """After a meeting: both sides' reports as the viewer may read them (a note only its own side's),
    and a form for each side the viewer reports for. A POST saves one side's report (its
    ``organization``): 403 for a side the viewer does not report for, 400 with the errors."""
    meeting = meeting_for_report(request.user, pk)
    if meeting is None:
        raise Http404
    sides = meeting_report_sides(request.user, meeting)
    status, sent = 200, None
    if request.method == "POST":
        sent = MeetingReportForm(request.POST)
        chosen = request.POST.get("organization", "")
        side = next((side for side in sides if str(side["organization"].pk) == chosen), None)
        if side is None or not side["editable"]:
            raise PermissionDenied(_("Only the organization's own people report on its side of a meeting."))
        if sent.is_valid():
            try:
                services.report_meeting(
                    Actor.from_request(request),
                    meeting,
                    side["organization"],
                    sent.values(),
                    outcome_kind=sent.cleaned_data["outcome_kind"],
                    version=sent.cleaned_data["version"],
                )
            except ValidationError as error:
                add_service_errors(sent, error)
            except Conflict as error:
                # Shown with the saved report above it; sending the form again overwrites it.
                sent.add_error(None, str(error))
                sent.data = sent.data.copy()
                sent.data["version"] = MeetingReport.objects.get(
                    meeting=meeting, organization=side["organization"]
                ).version
                status = 409
            else:
                messages.success(request, _("Your report on the meeting was saved."))
                return redirect("partnering:meeting-report", pk=meeting.pk)
        status = status if status == 409 else 400
    for side in sides:
        if not side["editable"]:
            continue
        if sent is not None and str(side["organization"].pk) == request.POST.get("organization"):
            side["form"] = sent
            continue
        report = side["report"]
        initial = {"organization": side["organization"].pk, "version": report.version if report else None}
        if report is not None:
            initial |= {"attendance": report.attendance, "result": report.result, "note": report.note}
        side["form"] = MeetingReportForm(initial=initial)
    context = {
        "meeting": meeting,
        "event": meeting.event,
        "sides": sides,
        "started": meeting.slot.starts_at <= timezone.now(),
    }
    return render(request, "partnering/meeting_report.html", context, status=status)


# --- the calendar feed -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed(request):
    """The signed-in person's calendar feed: a button that makes its secret URL (or a new one,
    closing the old), shown once, right after."""
    context = {"has_feed": CalendarFeed.objects.filter(user=request.user).exists(), "url": ""}
    if request.method == "POST":
        secret = services.rotate_calendar_feed(Actor.from_request(request))
        url = request.build_absolute_uri(reverse("partnering:calendar-ics", args=[secret]))
        context = {"has_feed": True, "url": url, "webcal_url": "webcal:" + url.split(":", 1)[1]}
    return render(request, "partnering/calendar_feed.html", context)


def calendar_ics(request, secret: str):
    """The feed itself, for calendar apps: no sign-in, the secret is the key (404 for any other)."""
    user = services.feed_owner(secret)
    if user is None:
        raise Http404
    data = services.calendar_of(user, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dari.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
