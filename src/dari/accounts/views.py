"""Account pages: invitations, self-registration, registration decisions, profile, e-mail
verification and API tokens. Thin: forms validate, services write, queries decide what is listed."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dari.core.forms import form_status, posted
from dari.core.panels import profile_panels

from . import services
from .audit import Actor
from .forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    DeleteAccountForm,
    InvitationForm,
    ProfileForm,
    RegistrationForm,
    RejectRegistrationForm,
)
from .models import ApiToken, Invitation, Membership, RegistrationRequest
from .queries import (
    can_invite,
    can_review_registrations,
    invitations_visible_to,
    registration_requests_for,
    with_organizations,
)
from .services.invitations import UNUSABLE

# Users created on these pages sign in at once; several backends are configured, so name the one.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def first_message(error: ValidationError) -> str:
    return error.messages[0] if error.messages else str(error)


# Invitations ----------------------------------------------------------------------------------------


@login_required
def invitation_new(request):
    if not can_invite(request.user):
        raise PermissionDenied
    form = InvitationForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite(Actor.from_request(request), data["email"], data["role"], data["scope_object"])
        except PermissionDenied:
            form.add_error(None, _("You may not grant this role here."))
        except ValidationError as error:
            form.add_error(None, first_message(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect("accounts:invitation-new")
    invitations = invitations_visible_to(request.user).select_related("invited_by")
    context = {"form": form, "invitations": invitations}
    return render(request, "accounts/invitation_new.html", context, status=form_status(form))


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(invitations_visible_to(request.user), pk=pk)
    try:
        services.revoke_invitation(Actor.from_request(request), invitation)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("accounts:invitation-new")


def invitation_problem(request, message: str, status: int):
    return render(request, "accounts/invitation_problem.html", {"message": message}, status=status)


def invitation_accept(request, token):
    invitation = services.find_invitation(token)
    if invitation is None:
        return invitation_problem(
            request, _("This invitation link is not valid. Check that it was copied whole."), 404
        )
    if invitation.status != Invitation.Status.PENDING:
        return invitation_problem(request, str(UNUSABLE[invitation.status]), 410)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(posted(request), invitation=invitation)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                user = services.accept_invitation(invitation, request.user)
            else:
                user = services.accept_invitation(invitation, new_user=form.account_fields())
                login(request, user, backend=PASSWORD_BACKEND)
        except ValidationError as error:
            return invitation_problem(request, first_message(error), 410)
        except PermissionDenied:
            return invitation_problem(
                request, _("The person who invited you may no longer grant this role. Ask them again."), 403
            )
        messages.success(
            request, _("Welcome! You are now %(role)s.") % {"role": invitation.get_role_display()}
        )
        response = redirect("accounts:profile")
        set_language_cookie(response, user.language)
        return response
    context = {"invitation": invitation, "form": form, "scope": invitation.scope}
    status = form_status(form) if form else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)


# Self-registration ----------------------------------------------------------------------------------


def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(
                **form.account_fields(),
                email=data["email"],
                kind=data["kind"],
                organization=data.get("organization"),
                details=form.organization_details(),
                message=data.get("message", ""),
                ip_address=request.META.get("REMOTE_ADDR") or None,
            )
        except ValidationError as error:
            form.add_error(None, first_message(error))
        else:
            login(request, registration.user, backend=PASSWORD_BACKEND)
            messages.success(
                request,
                _(
                    "Your account is ready. We sent a link to %(email)s to verify your address; your request "
                    "will be reviewed."
                )
                % {"email": registration.user.email},
            )
            response = redirect("accounts:profile")
            set_language_cookie(response, registration.user.language)
            return response
    return render(request, "accounts/register.html", {"form": form}, status=form_status(form))


@login_required
def registration_list(request):
    if not can_review_registrations(request.user):
        raise PermissionDenied
    requests = registration_requests_for(request.user)
    pending = with_organizations(
        requests.filter(status=RegistrationRequest.Status.PENDING).order_by("created_at", "pk")
    )
    decided = with_organizations(requests.exclude(status=RegistrationRequest.Status.PENDING)[:50])
    context = {"pending": pending, "decided": decided, "reject_form": RejectRegistrationForm()}
    return render(request, "accounts/registration_list.html", context)


@login_required
@require_POST
def registration_decide(request, pk, decision):
    registration = get_object_or_404(registration_requests_for(request.user), pk=pk)
    actor = Actor.from_request(request)
    try:
        if decision == "approve":
            services.approve_registration(actor, registration)
            messages.success(request, _("Request approved."))
        else:
            form = RejectRegistrationForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.reject_registration(actor, registration, note)
            messages.success(request, _("Request rejected."))
    except ValidationError as error:
        messages.error(request, first_message(error))
    return redirect("accounts:registration-list")


# Profile, e-mail verification, API tokens ---------------------------------------------------------


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def profile_context(request, **extra):
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related("scope_type", "granted_by")
    return {
        "memberships": [(membership, membership.scope) for membership in memberships],
        "tokens": ApiToken.objects.filter(user=user),
        "registrations": RegistrationRequest.objects.filter(user=user).select_related("organization"),
        "token_form": ApiTokenForm(),
        "delete_form": DeleteAccountForm(user=user, request=request),
        "can_invite": can_invite(user),
        "can_review_registrations": can_review_registrations(user),
        "panels": profile_panels.panels_for(request, user),
        **extra,
    }


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(posted(request), initial={"language": user.language, "time_zone": user.time_zone})
    if request.method == "POST" and form.is_valid():
        services.update_profile(Actor.from_request(request), user, form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        set_language_cookie(response, user.language)
        return response
    status = 400 if form.is_bound else 200
    return render(request, "accounts/profile.html", profile_context(request, form=form), status=status)


@login_required
@require_POST
def api_token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        context = profile_context(
            request, form=ProfileForm(initial=model_initial(request.user)), token_form=form
        )
        return render(request, "accounts/profile.html", context, status=400)
    days = form.cleaned_data["expires_in_days"]
    expires_at = timezone.now() + timedelta(days=days) if days else None
    token, key = services.create_api_token(
        Actor.from_request(request), request.user, form.cleaned_data["name"], expires_at
    )
    # Shown here once, never stored in clear: the page is rendered, not redirected to.
    response = render(request, "accounts/api_token_created.html", {"token": token, "key": key}, status=201)
    response["Cache-Control"] = "no-store"
    return response


def model_initial(user) -> dict:
    return {"language": user.language, "time_zone": user.time_zone}


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(Actor.from_request(request), token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:profile")


def verify_email(request, token):
    try:
        user = services.verify_email(token)
    except ValidationError as error:
        return render(request, "accounts/verify_email.html", {"error": first_message(error)}, status=400)
    return render(request, "accounts/verify_email.html", {"verified_user": user})


@login_required
@require_POST
def verify_email_resend(request):
    if request.user.email_verified_at is None and request.user.email:
        services.send_verification_email(request.user)
        messages.success(
            request, _("We sent a new verification link to %(email)s.") % {"email": request.user.email}
        )
    return redirect("accounts:profile")


# Personal data: the export and the deletion of one's own account ------------------------------------


@login_required
@require_GET
def personal_data_download(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"dari-personal-data-{request.user.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def account_delete(request):
    user = request.user
    form = DeleteAccountForm(request.POST, user=user, request=request)
    if form.is_valid():
        try:
            services.delete_account(Actor.from_request(request), user)
        except ValidationError as error:
            form.add_error(None, first_message(error))
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for using Dari."))
            return redirect("home")
    context = profile_context(request, form=ProfileForm(initial=model_initial(user)), delete_form=form)
    return render(request, "accounts/profile.html", context, status=400)
