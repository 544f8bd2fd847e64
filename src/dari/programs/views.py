"""Pages of programs, calls and applications: thin views over the services and ``visible_to``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dari.accounts.access import access_for
from dari.accounts.audit import Actor
from dari.core.forms import add_service_errors, edit_status, posted, saved_or_errors
from dari.core.pagination import paginate
from dari.core.panels import program_panels
from dari.files.models import StoredFile

from . import services
from .application_form import answer_field
from .forms import (
    AnswersForm,
    CallForm,
    ManagersForm,
    PhaseFormSet,
    ProgramForm,
    QuestionFormSet,
    RevisionsForm,
    RoleFormSet,
    StartApplicationForm,
    localized_label,
)
from .models import Application, Call, Decision, Participant, Program
from .permissions import (
    blind_application_ids,
    can_change_call,
    can_change_program,
    can_create_program,
    can_edit_answers,
    is_applicant,
)
from .queries import released_feedback

# --- programs ----------------------------------------------------------------------------------------


def program_list(request):
    # The list shows each program's operators, not its participants (read only on its own page).
    programs = Program.objects.visible_to(request.user).with_roles(request.user)
    context = {"page": paginate(request, programs), "may_create": can_create_program(request.user)}
    return render(request, "programs/program_list.html", context)


def program_detail(request, pk: int):
    """A program with its operators, participants (a page at a time) and calls; outcomes add their
    panel through the outcomes app."""
    program = get_object_or_404(Program.objects.visible_to(request.user).with_roles(request.user), pk=pk)
    return render(request, "programs/program_detail.html", program_page_context(request, program))


def program_page_context(request, program, panels=None) -> dict:
    """What the program page shows of ``program`` (read ``with_roles``), with the panels given (a
    form with its errors) or the program's own."""
    # A page of participants, as the other lists page (a program may have a thousand of them).
    participants = paginate(request, Participant.objects.seen_by(request.user).filter(program=program))
    return {
        "program": program,
        "panels": program_panels.panels_for(request, program) if panels is None else panels,
        "calls": Call.objects.visible_to(request.user).filter(program=program),
        "may_change": can_change_program(request.user, program),
        "participants": participants,
        # The participants of the page whose plan and services the viewer may open
        # (``support_visible_to``).
        "support_ids": set(
            Participant.objects.support_visible_to(request.user)
            .filter(pk__in=[participant.pk for participant in participants])
            .values_list("pk", flat=True)
        ),
    }


def render_program_form(request, form, roles, managers, *, title: str, cancel_url: str):
    status = edit_status(form)
    if status == 200 and request.method == "POST" and not (roles.is_valid() and managers.is_valid()):
        status = 400
    context = {"form": form, "roles": roles, "managers": managers, "title": title, "cancel_url": cancel_url}
    return render(request, "programs/program_form.html", context, status=status)


def with_people(values: dict, roles: RoleFormSet, managers: ManagersForm) -> dict:
    return {**values, "roles": roles.roles(), "managers": managers.cleaned_data["managers"]}


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request):
    if not can_create_program(request.user):
        raise PermissionDenied(_("Only partnership staff may create programs."))
    form = ProgramForm(posted(request))
    roles = RoleFormSet(posted(request), user=request.user)
    managers = ManagersForm(posted(request))
    if request.method == "POST" and all([form.is_valid(), roles.is_valid(), managers.is_valid()]):
        program = saved_or_errors(
            form,
            lambda values: services.create_program(
                Actor.from_request(request), with_people(values, roles, managers)
            ),
        )
        if program is not None:
            messages.success(request, _("The program was created."))
            return redirect(program)
    return render_program_form(
        request, form, roles, managers, title=_("New program"), cancel_url=reverse("programs:program-list")
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk: int):
    program = get_object_or_404(Program.objects.visible_to(request.user), pk=pk)
    if not can_change_program(request.user, program):
        raise PermissionDenied(_("You may not change this program."))
    form = ProgramForm(posted(request), instance=program)
    roles = RoleFormSet(posted(request), user=request.user, program=program)
    managers = ManagersForm(posted(request), program=program)
    if request.method == "POST" and all([form.is_valid(), roles.is_valid(), managers.is_valid()]):
        saved = saved_or_errors(
            form,
            lambda values: services.update_program(
                Actor.from_request(request),
                program,
                with_people(values, roles, managers),
                version=form.seen_version,
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(saved)
    title = _("Edit %(name)s") % {"name": Program.objects.get(pk=pk)}
    return render_program_form(
        request, form, roles, managers, title=title, cancel_url=program.get_absolute_url()
    )


# --- calls -------------------------------------------------------------------------------------------


def render_call_form(request, form, questions, phases, *, program, title: str, cancel_url: str):
    status = edit_status(form)
    if status == 200 and request.method == "POST" and not (questions.is_valid() and phases.is_valid()):
        status = 400
    context = {
        "form": form,
        "questions": questions,
        "phases": phases,
        "program": program,
        "title": title,
        "cancel_url": cancel_url,
        "form_is_fixed": form.instance.pk and form.instance.status != Call.Status.DRAFT,
    }
    return render(request, "programs/call_form.html", context, status=status)


def with_form_and_phases(values: dict, questions: QuestionFormSet, phases: PhaseFormSet, call=None) -> dict:
    values = {**values, "phases": phases.phases()}
    if call is None or call.status == Call.Status.DRAFT:
        values["form"] = questions.questions()
    return values


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request, pk: int):
    program = get_object_or_404(Program.objects.visible_to(request.user), pk=pk)
    if not can_change_program(request.user, program):
        raise PermissionDenied(_("You may not run calls of this program."))
    form = CallForm(posted(request))
    questions = QuestionFormSet(posted(request))
    phases = PhaseFormSet(posted(request))
    if request.method == "POST" and all([form.is_valid(), questions.is_valid(), phases.is_valid()]):
        call = saved_or_errors(
            form,
            lambda values: services.create_call(
                Actor.from_request(request), program, with_form_and_phases(values, questions, phases)
            ),
        )
        if call is not None:
            messages.success(request, _("The call was created as a draft."))
            return redirect(call)
    return render_call_form(
        request,
        form,
        questions,
        phases,
        program=program,
        title=_("New call for applications"),
        cancel_url=program.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int):
    call = get_object_or_404(Call.objects.visible_to(request.user).select_related("program"), pk=pk)
    if not can_change_call(request.user, call):
        raise PermissionDenied(_("You may not change this call."))
    form = CallForm(posted(request), instance=call)
    questions = QuestionFormSet(posted(request), call=call)
    phases = PhaseFormSet(posted(request), call=call)
    if request.method == "POST" and all([form.is_valid(), questions.is_valid(), phases.is_valid()]):
        saved = saved_or_errors(
            form,
            lambda values: services.update_call(
                Actor.from_request(request),
                call,
                with_form_and_phases(values, questions, phases, call),
                version=form.seen_version,
            ),
        )
        if saved is not None:
            messages.success(request, _("The changes were saved."))
            return redirect(saved)
    return render_call_form(
        request,
        form,
        questions,
        phases,
        program=call.program,
        title=_("Edit %(name)s") % {"name": Call.objects.get(pk=pk)},
        cancel_url=call.get_absolute_url(),
    )


def call_detail(request, pk: int):
    call = get_object_or_404(
        Call.objects.visible_to(request.user).select_related("program").prefetch_related("phases"), pk=pk
    )
    may_change = can_change_call(request.user, call)
    applications = Application.objects.visible_to(request.user).filter(call=call).select_related("startup")
    context = {
        "call": call,
        "may_change": may_change,
        "next_statuses": [Call.Status(status) for status in services.CALL_STATUS.next_states(call.status)]
        if may_change
        else [],
        "questions": [
            {**question, "label": localized_label(question), "kind_label": kind_label(question["kind"])}
            for question in call.form
        ],
        "applications": applications,
        "blind_ids": blind_application_ids(request.user),
        "may_manage_reviews": may_change,
        "may_apply": call.accepts_submissions_at(timezone.now())
        and bool(access_for(request.user).organization_ids),
    }
    return render(request, "programs/call_detail.html", context)


def kind_label(kind: str) -> str:
    from .application_form import kind_labels

    return kind_labels().get(kind, kind)


@login_required
@require_POST
def call_status(request, pk: int):
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=pk)
    if not can_change_call(request.user, call):
        raise PermissionDenied(_("You may not change this call."))
    try:
        services.set_call_status(Actor.from_request(request), call, request.POST.get("status", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The call is now %(status)s.") % {"status": call.get_status_display()})
    return redirect(call)


# --- applications ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk: int):
    call = get_object_or_404(Call.objects.visible_to(request.user).select_related("program"), pk=pk)
    if not access_for(request.user).organization_ids:
        raise PermissionDenied(_("You may only apply for your own organization."))
    form = StartApplicationForm(posted(request), user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                Actor.from_request(request), call, form.cleaned_data["startup"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your draft was saved. Answer the questions and submit it."))
            return redirect(application)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "programs/application_start.html", {"call": call, "form": form}, status=status)


@login_required
def application_list(request):
    """The applications the viewer may see: their organizations', and for managers their programs'."""
    applications = (
        Application.objects.visible_to(request.user)
        .select_related("call__program", "startup")
        .order_by("-call__closes_at", "startup__name_en")
    )
    context = {
        "page": paginate(request, applications),
        "blind_ids": blind_application_ids(request.user),
        "may_review": bool(access_for(request.user).reviewed_program_ids),
    }
    return render(request, "programs/application_list.html", context)


def shown_answers(request, application, *, blind: bool = False) -> list[dict]:
    """The application's answers as shown to the viewer; in a blind review the identifying
    questions' answers are left out."""
    files = {
        stored.pk: stored for stored in StoredFile.objects.owned_by(application).visible_to(request.user)
    }
    answers = []
    for question in application.call.form:
        if blind and question.get("identifying"):
            continue
        value = application.answers.get(question["key"])
        shown = value
        if question["kind"] == "choice":
            shown = next(
                (localized_label(choice) for choice in question["choices"] if choice["key"] == value), value
            )
        answers.append(
            {
                "label": localized_label(question),
                "kind": question["kind"],
                "value": shown,
                "file": files.get(value) if question["kind"] == "file" else None,
                "required": question.get("required"),
            }
        )
    return answers


def application_page(request, application, form=None, revisions=None, status=200):
    call = application.call
    blind_ids = blind_application_ids(request.user)
    answers = shown_answers(request, application, blind=application.pk in blind_ids)
    editable = can_edit_answers(request.user, application)
    if form is None and editable:
        form = AnswersForm(instance=application)
    may_request_revisions = (
        can_change_call(request.user, call) and application.status == Application.Status.SUBMITTED
    )
    if revisions is None and may_request_revisions:
        revisions = RevisionsForm()
    context = {
        "application": application,
        "call": call,
        # Pending decisions only for those who make them; the applicant's members once released.
        "decision": Decision.objects.visible_to(request.user).filter(application=application).first(),
        "feedback": released_feedback(request.user, application),
        "is_applicant": is_applicant(request.user, application),
        "answers": answers,
        "blind_ids": blind_ids,
        "form": form if editable else None,
        "revisions_form": revisions,
        "may_withdraw": is_applicant(request.user, application)
        and services.APPLICATION_STATUS.allows(application.status, Application.Status.WITHDRAWN),
        "file_fields": {
            answer_field(question["key"]) for question in call.form if question["kind"] == "file"
        },
    }
    return render(request, "programs/application_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request, pk: int):
    """The application; its startup's members edit the answers here while they may (``Save draft``),
    and send it (``Submit``)."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call__program", "startup"), pk=pk
    )
    if request.method == "GET":
        return application_page(request, application)
    if not can_edit_answers(request.user, application):
        raise PermissionDenied(_("You may not change this application now."))
    form = AnswersForm(request.POST, request.FILES, instance=application)
    actor = Actor.from_request(request)
    if form.is_valid():
        saved = saved_or_errors(
            form,
            lambda values: services.save_answers(
                actor, application, form.answers(), version=form.seen_version
            ),
        )
        if saved is not None:
            try:
                for question, uploaded in form.files_sent().items():
                    saved = services.attach_file(actor, saved, question, uploaded)
                if "submit" in request.POST:
                    services.set_application_status(actor, saved, Application.Status.SUBMITTED)
            except ValidationError as error:
                refused_after_saving(form, error, Application.objects.get(pk=pk).version)
            else:
                submitted = "submit" in request.POST
                messages.success(
                    request, _("Your application was submitted.") if submitted else _("Your draft was saved.")
                )
                return redirect(saved)
    application.refresh_from_db()
    return application_page(request, application, form=form, status=edit_status(form))


def refused_after_saving(form, error: ValidationError, version: int) -> None:
    """Show ``error`` (e.g. a refused submission) on a form whose draft was saved meanwhile: the
    form now edits the saved ``version``."""
    add_service_errors(form, error)
    form.data = form.data.copy()
    form.data["version"] = str(version)


@login_required
@require_POST
def application_status(request, pk: int):
    """Withdraw (the startup's members) or ask for revisions (the program's managers and staff)."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call__program", "startup"), pk=pk
    )
    status = request.POST.get("status", "")
    revisions = RevisionsForm(request.POST) if status == Application.Status.REVISIONS_REQUESTED else None
    if revisions is not None and not revisions.is_valid():
        if not can_change_call(request.user, application.call):
            raise PermissionDenied(_("You may not change this application's status."))
        return application_page(request, application, revisions=revisions, status=400)
    note = revisions.cleaned_data["note"] if revisions is not None else ""
    try:
        services.set_application_status(Actor.from_request(request), application, status, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The application is now %(status)s.") % {"status": application.get_status_display()}
        )
    return redirect(application)
