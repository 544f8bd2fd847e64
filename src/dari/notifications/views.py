"""Notification pages: the list behind the bell, marking as read, preferences, and unsubscribing from
an e-mail link (no sign-in needed: the signed token is the proof)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.audit import Actor
from dari.core.pagination import paginate

from . import services
from .forms import PreferencesForm
from .models import Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.visible_to(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notifications = notifications.unread()
    context = {"page": paginate(request, notifications), "only_unread": only_unread}
    return render(request, "notifications/notification_list.html", context)


def back_to_list(request):
    """Where the user came from (the page of the list they were on), if it is a path on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.mark_read(request.user, notification)
    return back_to_list(request)


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)d notification(s) marked as read.") % {"count": count})
    return back_to_list(request)


@login_required
def preferences(request):
    user = request.user
    # Not ``request.POST or None``: with every box unticked, a POST may carry no field at all.
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, preferences=services.preferences_of(user))
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        with transaction.atomic():
            for kind, (by_email, in_app) in form.choices().items():
                services.set_preference(actor, user, kind, by_email=by_email, in_app=in_app)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: a mail client posts the one-click unsubscribe without cookies or a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what the link turns off and asks to confirm; POST turns it off. A tampered link is a
    400 page in both languages (the visitor may not be signed in, so their language is unknown)."""
    try:
        _user, kind = services.read_unsubscribe_token(token)
    except ValidationError:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.unsubscribe(token, request.META.get("REMOTE_ADDR") or None)
        return render(request, "notifications/unsubscribe.html", {"kind": kind, "done": True})
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "done": False, "token": token})
