"""Program use cases: programs (with the organizations that run them and their managers), calls for
applications (with their form and review phases) and applications. Each runs in one transaction,
checks permission first (``PermissionDenied``), validates (``ValidationError``) and writes its audit
entries. A call's and an application's status move by one function each (:func:`set_call_status`,
:func:`set_application_status`), never by an edit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dari.accounts import audit
from dari.accounts.audit import Actor, log_action
from dari.accounts.models import Membership, Role
from dari.accounts.services import grant_membership, revoke_membership
from dari.core.services import Fields, lock, require, unique_key
from dari.core.time import set_moment, to_utc
from dari.core.transitions import Transitions
from dari.files.models import Purpose, StoredFile
from dari.files.services import store_upload

from .application_form import answer_field, check_answers, check_form
from .models import Application, Call, Decision, Program, ProgramRole, ReviewPhase
from .permissions import (
    can_apply,
    can_change_call,
    can_change_program,
    can_create_program,
    can_edit_answers,
    is_applicant,
)

# --- programs ----------------------------------------------------------------------------------------

PROGRAM = Fields(
    creatable=(
        "key",
        "name_ko",
        "name_en",
        "name_ko_origin",
        "name_en_origin",
        "description_ko",
        "description_en",
        "start_year",
        "started_on",
        "ended_on",
        "is_public",
    ),
)


@transaction.atomic
def create_program(actor: Actor, values: dict) -> Program:
    """Create a program (staff only). ``values``: ``PROGRAM.creatable``, the ``key`` made from the
    English name when missing; ``roles`` (see :func:`set_program_roles`) and ``managers`` (see
    :func:`set_program_managers`) when given.
    Audit: programs.program.created, then those of the roles and managers."""
    require(
        actor.is_system or can_create_program(actor.user), _("Only partnership staff may create programs.")
    )
    values = dict(values)
    roles, managers = values.pop("roles", None), values.pop("managers", None)
    if not values.get("key"):
        values["key"] = unique_key(Program, values.get("name_en", ""), fallback="program")
    program = audit.create(actor, Program(), values, PROGRAM, "programs.program.created")
    if roles is not None:
        set_program_roles(actor, program, roles)
    if managers is not None:
        set_program_managers(actor, program, managers)
    return program


@transaction.atomic
def update_program(actor: Actor, program: Program, values: dict, *, version: int | None = None) -> Program:
    """Change a program's fields (not its key) from the ``version`` the editor saw (``Conflict`` if
    someone saved since); ``roles`` and ``managers``, when given, replace those it has. Allowed: staff
    and the program's managers. Audit: programs.program.changed with the changed fields, if any."""
    require(actor.is_system or can_change_program(actor.user, program), _("You may not change this program."))
    values = dict(values)
    roles, managers = values.pop("roles", None), values.pop("managers", None)
    program = audit.update(actor, program, values, PROGRAM, "programs.program.changed", version=version)
    if roles is not None:
        set_program_roles(actor, program, roles)
    if managers is not None:
        set_program_managers(actor, program, managers)
    return program


def set_program_roles(actor: Actor, program: Program, roles: list[dict]) -> None:
    """Make ``roles`` (dicts of ``organization`` and ``role``: operator, supporter or funder) the
    organizations that run, support or fund ``program``, replacing those it had (a role's source is
    kept when the role stays). Audit: programs.program.roles_changed with the old and new lists."""
    wanted = {(item["organization"].pk, item["role"]) for item in roles}
    if len(wanted) != len(roles):
        raise ValidationError({"roles": _("Each organization is listed once per role.")})
    for role in {role for _organization, role in wanted}:
        if role not in ProgramRole.Role.values:
            raise ValidationError({"roles": _("Unknown role %(role)s.") % {"role": role}})
    existing = {(row.organization_id, row.role): row for row in program.roles.all()}
    before = sorted(map(list, existing))
    for pair, row in existing.items():
        if pair not in wanted:
            row.delete()
    ProgramRole.objects.bulk_create(
        ProgramRole(program=program, organization_id=organization_id, role=role)
        for organization_id, role in sorted(wanted - set(existing))
    )
    after = sorted(map(list, wanted))
    if before != after:
        log_action(actor, "programs.program.roles_changed", program, {"roles": [before, after]})


def program_managers(program: Program):
    """The users who manage ``program`` (its ``program_manager`` memberships)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(pk__in=manager_memberships(program).values("user_id"))
        .order_by("username")
    )


def manager_memberships(program: Program):
    from django.contrib.contenttypes.models import ContentType

    return Membership.objects.filter(
        role=Role.PROGRAM_MANAGER, scope_type=ContentType.objects.get_for_model(Program), scope_id=program.pk
    )


def set_program_managers(actor: Actor, program: Program, users) -> None:
    """Make ``users`` the program's managers: grants the ``program_manager`` membership scoped to it
    to each new one and revokes it from the others (``accounts.membership.granted`` / ``revoked``
    audit entries; staff and the program's managers may do it)."""
    wanted = {user.pk: user for user in users}
    for membership in manager_memberships(program).select_related("user"):
        if membership.user_id not in wanted:
            revoke_membership(actor, membership)
    for user in wanted.values():
        grant_membership(actor, user, Role.PROGRAM_MANAGER, program)


# --- calls -------------------------------------------------------------------------------------------

CALL = Fields(
    creatable=(
        "round",
        "title_ko",
        "title_en",
        "description_ko",
        "description_en",
        "eligibility_ko",
        "eligibility_en",
        "opens_at",
        "closes_at",
        "time_zone",
    ),
    also_audited=("program", "status"),
)
# The form (``Call.form``, a list of questions) is written beside these fields and audited on its own
# (programs.call.form_changed, the questions before and after): an audit snapshot sorts lists.
PHASE = Fields(creatable=("position", "name_ko", "name_en", "opens_at", "closes_at"))

CallStatus = Call.Status
#: A call is prepared as a draft, opened, closed (and opened again to extend it), then decided.
CALL_STATUS = Transitions(
    CallStatus,
    {
        CallStatus.DRAFT: {CallStatus.OPEN},
        CallStatus.OPEN: {CallStatus.CLOSED},
        CallStatus.CLOSED: {CallStatus.OPEN, CallStatus.DECIDED},
    },
    field="status",
    refusal=gettext_lazy("A call cannot go from %(old)s to %(new)s."),
)


def call_times(call: Call, values: dict) -> dict:
    """``opens_at`` and ``closes_at`` given as local times read in the call's ``time_zone``."""
    values = set_moment(call, values, "opens_at", "time_zone")
    return set_moment(call, values, "closes_at", "time_zone")


def checked_form(call: Call, form) -> list | None:
    """``form`` checked (``application_form.check_form``), or None when not given; it may change only
    while the call is a draft: answers already given must keep meaning what they meant."""
    if form is None:
        return None
    form = check_form(form)
    if call.pk and call.status != CallStatus.DRAFT and form != call.form:
        raise ValidationError({"form": _("The form is fixed once the call has opened.")})
    return form


def write_form(actor: Actor, call: Call, form: list | None, before: list) -> None:
    if form is not None and form != before:
        call.form = form
        call.save(update_fields=["form"])
        log_action(actor, "programs.call.form_changed", call, {"form": [before, form]})


@transaction.atomic
def create_call(actor: Actor, program: Program, values: dict) -> Call:
    """Create a draft call of ``program``. ``values``: ``CALL.creatable``, the times as local
    date-times in ``time_zone`` (or aware ones), ``round`` the next one when missing, ``form`` a list
    of questions (``application_form.check_form``); ``phases`` (see :func:`set_review_phases`).
    Allowed: staff and the program's managers. Audit: programs.call.created, programs.call.form_changed
    (the questions), programs.call.phases_changed."""
    require(
        actor.is_system or can_change_program(actor.user, program),
        _("You may not run calls of this program."),
    )
    values = dict(values)
    phases, form = values.pop("phases", None), values.pop("form", None)
    if values.get("round") is None:
        last = program.calls.order_by("-round").values_list("round", flat=True).first()
        values["round"] = (last or 0) + 1
    call = Call(program=program)
    form = checked_form(call, form)
    call = audit.create(actor, call, call_times(call, values), CALL, "programs.call.created")
    write_form(actor, call, form, [])
    if phases is not None:
        set_review_phases(actor, call, phases)
    return call


@transaction.atomic
def update_call(actor: Actor, call: Call, values: dict, *, version: int | None = None) -> Call:
    """Change a call's fields from the ``version`` the editor saw; its form only while it is a draft.
    ``phases``, when given, replace its review phases. Allowed: staff and the program's managers.
    Audit: programs.call.changed with the changed fields, programs.call.form_changed and
    programs.call.phases_changed, each if anything changed."""
    require(actor.is_system or can_change_call(actor.user, call), _("You may not change this call."))
    values = dict(values)
    phases, form = values.pop("phases", None), values.pop("form", None)
    form = checked_form(call, form)
    before = call.form
    call = audit.update(actor, call, call_times(call, values), CALL, "programs.call.changed", version=version)
    write_form(actor, call, form, before)
    if phases is not None:
        set_review_phases(actor, call, phases)
    return call


def set_review_phases(actor: Actor, call: Call, phases: list[dict]) -> None:
    """Make ``phases`` (dicts of ``name_ko``, ``name_en``, ``opens_at``, ``closes_at``, the times
    local in the call's zone or aware) the call's review phases, in order, replacing those it had.
    Audit: programs.call.phases_changed with the old and new phases."""

    def listed():
        return [
            audit.snapshot(phase, ["name_ko", "name_en", "opens_at", "closes_at"])
            for phase in call.phases.order_by("position")
        ]

    before = listed()
    # Phases are kept by position (their rubrics, settings and reviews stay with them); those past
    # the new last one go, unless reviews hang from them.
    kept = {phase.position: phase for phase in call.phases.all()}
    dropped = [phase for position, phase in kept.items() if position > len(phases)]
    if any(phase.reviews.exists() for phase in dropped):
        raise ValidationError({"phases": _("A phase with reviews cannot be removed.")})
    for phase in dropped:
        phase.delete()
    for position, item in enumerate(phases, start=1):
        values = {
            "position": position,
            "name_ko": item.get("name_ko") or "",
            "name_en": item.get("name_en") or "",
        }
        try:
            for name in ("opens_at", "closes_at"):
                values[name] = to_utc(item.get(name), call.time_zone, name, "time_zone")
            phase = kept.get(position) or ReviewPhase(call=call)
            for name, value in values.items():
                setattr(phase, name, value)
            phase.full_clean(exclude=["call"], validate_unique=False)
        except ValidationError as error:
            raise ValidationError(
                {
                    "phases": [
                        _("Phase %(number)s: %(error)s") % {"number": position, "error": message}
                        for message in error.messages
                    ]
                }
            ) from None
        phase.save()
    after = listed()
    if before != after:
        log_action(actor, "programs.call.phases_changed", call, {"phases": [before, after]})


@transaction.atomic
def set_call_status(actor: Actor, call: Call, status: str, *, now=None) -> Call:
    """Move ``call`` to ``status`` along ``CALL_STATUS`` (draft → open → closed → decided; a closed
    call may open again). Allowed: staff and the program's managers.

    Opening needs a form with at least one question and a closing time after ``now`` (default: the
    current time); closing before ``closes_at`` stops submissions at once (the deadline still holds
    on its own: an open call accepts applications only until its closing second).

    Side effects, in one transaction: ``Call.status`` saved; one audit entry
    ``programs.call.status_changed`` with ``{"status": [old, new]}``. No notification is sent and
    nothing happens to the applications. A call with pending decisions is decided by releasing them
    (``decisions.release_decisions``), not here (refused).
    Raises ``PermissionDenied``, or ``ValidationError`` on ``status`` (nothing written). The same
    status again changes nothing."""
    require(actor.is_system or can_change_call(actor.user, call), _("You may not change this call."))
    call = lock(call)
    if status == call.status:
        return call
    CALL_STATUS.check(call.status, status)
    if status == CallStatus.OPEN:
        if not call.form:
            raise ValidationError(
                {"status": _("Add at least one question to the form before opening the call.")}
            )
        if call.closes_at <= (now or timezone.now()):
            raise ValidationError({"status": _("The call's closing time has passed: set a later one first.")})
    if (
        status == CallStatus.DECIDED
        and Decision.objects.filter(application__call=call, status="pending").exists()
    ):
        # Deciding the call by hand would strand its pending decisions: they are decided on, and told,
        # only by their release (``decisions.release_decisions``), which decides the call.
        raise ValidationError(
            {"status": _("Release the call's pending decisions instead: that decides the call.")}
        )
    old = call.status
    call.status = status
    call.save(update_fields=["status"])
    log_action(actor, "programs.call.status_changed", call, {"status": [old, status]})
    return call


# --- applications ------------------------------------------------------------------------------------

APPLICATION = Fields(creatable=("answers",), also_audited=("call", "startup", "status"))

AppStatus = Application.Status
#: An application is a draft until submitted; a manager may ask for revisions, which the startup
#: answers by submitting again; the startup may withdraw it at any point before (final).
APPLICATION_STATUS = Transitions(
    AppStatus,
    {
        AppStatus.DRAFT: {AppStatus.SUBMITTED, AppStatus.WITHDRAWN},
        AppStatus.SUBMITTED: {AppStatus.REVISIONS_REQUESTED, AppStatus.WITHDRAWN},
        AppStatus.REVISIONS_REQUESTED: {AppStatus.SUBMITTED, AppStatus.WITHDRAWN},
    },
    field="status",
    refusal=gettext_lazy("An application cannot go from %(old)s to %(new)s."),
)


def own_file_ids(application: Application) -> frozenset[int]:
    if application.pk is None:
        return frozenset()
    return frozenset(StoredFile.objects.owned_by(application).values_list("pk", flat=True))


def check_open(call: Call, now=None) -> None:
    if not call.accepts_submissions_at(now or timezone.now()):
        raise ValidationError({"call": _("This call does not take applications now.")})


@transaction.atomic
def start_application(
    actor: Actor, call: Call, startup, values: dict | None = None, *, now=None
) -> Application:
    """A draft application of ``startup`` to ``call``, with the ``answers`` given so far (partial
    answers allowed; files are added afterwards, :func:`attach_file`). Allowed: the startup's members
    (and staff), while the call takes applications; one application per startup and call.
    Audit: programs.application.created."""
    require(
        actor.is_system or can_apply(actor.user, startup), _("You may only apply for your own organization.")
    )
    check_open(call, now)
    if Application.objects.filter(call=call, startup=startup).exists():
        raise ValidationError({"startup": _("This organization has already applied to this call.")})
    values = {"answers": check_answers(call.form, (values or {}).get("answers") or {}, complete=False)}
    application = Application(call=call, startup=startup, created_by=actor.user)
    return audit.create(actor, application, values, APPLICATION, "programs.application.created")


@transaction.atomic
def save_answers(
    actor: Actor, application: Application, answers: dict, *, version: int | None = None
) -> Application:
    """Change some answers (the questions given; an empty value clears one) from the ``version`` the
    editor saw. Allowed: the startup's members while the application is a draft or waits for
    revisions. Partial answers are allowed until it is submitted.
    Audit: programs.application.changed with the answers before and after, if they changed."""
    require(
        actor.is_system or can_edit_answers(actor.user, application),
        _("You may not change this application now."),
    )
    merged = {**application.answers, **answers}
    cleaned = check_answers(application.call.form, merged, complete=False, file_ids=own_file_ids(application))
    return audit.update(
        actor, application, {"answers": cleaned}, APPLICATION, "programs.application.changed", version=version
    )


@transaction.atomic
def attach_file(actor: Actor, application: Application, question: str, uploaded_file) -> Application:
    """Store ``uploaded_file`` as a protected file owned by the application (``store_upload``: type
    read from the content, size limit; audit files.file.uploaded) and make it the answer to the file
    question ``question``. Allowed as :func:`save_answers`."""
    require(
        actor.is_system or can_edit_answers(actor.user, application),
        _("You may not change this application now."),
    )
    kinds = {item["key"]: item["kind"] for item in application.call.form}
    if kinds.get(question) != "file":
        raise ValidationError({answer_field(question): _("This question takes no file.")})
    try:
        stored = store_upload(actor, uploaded_file, application, Purpose.DOCUMENT)
    except ValidationError as error:
        raise ValidationError({answer_field(question): error.messages}) from None
    return save_answers(actor, application, {question: stored.pk})


@transaction.atomic
def set_application_status(
    actor: Actor, application: Application, status: str, *, note: str = "", now=None
) -> Application:
    """Move ``application`` to ``status`` along ``APPLICATION_STATUS``:

    - **submitted** (the startup's members): every required question answered; from a draft only
      while the call takes applications (open, and ``now`` before its closing second: the instant
      compared is the call's ``closes_at``, entered in the call's zone to the second); an answer to
      requested revisions may come after the deadline, until the call is decided;
    - **revisions_requested** (staff and the program's managers), with a ``note`` saying what to revise;
    - **withdrawn** (the startup's members), final.

    Side effects, in one transaction: ``status`` saved; ``submitted_at`` set to ``now`` on each
    submission; ``revisions_note`` set on a request for revisions; one audit entry
    ``programs.application.status_changed`` with ``{"status": [old, new]}`` (and the note). No
    notification is sent yet. Raises ``PermissionDenied`` or ``ValidationError`` (nothing written).
    The same status again changes nothing."""
    now = now or timezone.now()
    if status == AppStatus.REVISIONS_REQUESTED:
        allowed = can_change_call(actor.user, application.call)
    else:
        allowed = is_applicant(actor.user, application)
    require(actor.is_system or allowed, _("You may not change this application's status."))
    application = lock(application)
    if status == application.status:
        return application
    APPLICATION_STATUS.check(application.status, status)
    changes = {"status": [application.status, status]}
    if status == AppStatus.SUBMITTED:
        call = application.call
        if application.status == AppStatus.DRAFT:
            check_open(call, now)
        elif call.status == CallStatus.DECIDED:
            raise ValidationError({"call": _("This call has been decided.")})
        application.answers = check_answers(
            call.form, application.answers, complete=True, file_ids=own_file_ids(application)
        )
        application.submitted_at = now
    elif status == AppStatus.REVISIONS_REQUESTED:
        note = note.strip()
        if not note:
            raise ValidationError({"note": _("Say what the startup should revise.")})
        application.revisions_note = note
        changes["revisions_note"] = [None, note]
    application.status = status
    application.save(update_fields=["status", "answers", "submitted_at", "revisions_note"])
    log_action(actor, "programs.application.status_changed", application, changes)
    return application
