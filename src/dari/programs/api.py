"""``/api/v1/programs``, ``/api/v1/calls`` and ``/api/v1/applications``: read what the caller may
see, and write through the services (401 signed out, 403 not allowed, 404 not visible, 409 a stale
``version``, 422 invalid input)."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from dari.accounts.audit import Actor
from dari.core.api import (
    EDIT_ERRORS,
    WRITE_ERRORS,
    InputSchema,
    MultilineText,
    Pagination,
    Ref,
    absolute_url,
    errors,
    signed_in,
    visible_or_422,
)
from dari.core.schemas import in_own_zone
from dari.registry.api import VERSION_IN
from dari.registry.models import Organization

from . import services
from .models import Application, Call, Decision, Participant, Program
from .permissions import blind_application_ids, can_change_program
from .queries import feedback_reviews

router = Router(tags=["programs"])
calls_router = Router(tags=["programs"])
applications_router = Router(tags=["programs"])


# --- programs ----------------------------------------------------------------------------------------


class RoleOut(Schema):
    organization: Ref
    role: str


class CohortOut(Schema):
    id: int
    call_id: int | None = Field(
        description="The call whose accepted startups form the cohort; null: a year's"
    )
    year: int | None


class ParticipantOut(Schema):
    organization: Ref
    cohort: CohortOut = Field(description="A startup may take part once per cohort")
    since: str | None
    status: str

    @staticmethod
    def resolve_since(obj: Participant) -> str | None:
        return obj.since.isoformat() if obj.since else None


class ProgramOut(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str
    name_ko_origin: str
    name_en_origin: str
    description_ko: str
    description_en: str
    start_year: int | None
    started_on: date | None
    ended_on: date | None
    is_public: bool
    roles: list[RoleOut]
    participants: list[ParticipantOut]
    version: int
    web_url: str

    @staticmethod
    def resolve_roles(obj: Program) -> list:
        return list(obj.roles.all())

    @staticmethod
    def resolve_participants(obj: Program) -> list:
        return list(obj.participants.all())

    @staticmethod
    def resolve_web_url(obj: Program, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


class ProgramDetailOut(ProgramOut):
    managers: list[str] | None = Field(
        description="The usernames of the program's managers: for staff and the managers, else null"
    )

    @staticmethod
    def resolve_managers(obj: Program, context) -> list[str] | None:
        if not can_change_program(context["request"].user, obj):
            return None
        return [user.username for user in services.program_managers(obj)]


def programs_for(request):
    return Program.objects.visible_to(request.user).with_details(request.user)


@router.get(
    "", response=list[ProgramOut], summary="List programs with operators, supporters and participants"
)
@paginate(Pagination)
def list_programs(request, q: str | None = None):
    programs = programs_for(request)
    if q:
        programs = programs.search(q)
    return programs


@router.get("/{program_id}", response=ProgramDetailOut, summary="One program")
def get_program(request, program_id: int):
    return get_object_or_404(programs_for(request), pk=program_id)


class RoleIn(InputSchema):
    organization: int
    role: str = Field(description="operator, supporter or funder")


class ProgramIn(InputSchema):
    """A new program (staff). ``roles``: the organizations that run, support or fund it (ids of
    organizations you may see); ``managers``: usernames of its managers."""

    key: str = ""
    name_ko: str = ""
    name_en: str = ""
    name_ko_origin: str = "original"
    name_en_origin: str = "original"
    description_ko: MultilineText = ""
    description_en: MultilineText = ""
    start_year: int | None = Field(None, ge=1900, le=2200)
    started_on: date | None = None
    ended_on: date | None = None
    is_public: bool = True
    roles: list[RoleIn] = []
    managers: list[str] = []


class ProgramPatch(InputSchema):
    """Only the fields sent change (not the key); ``roles`` and ``managers`` replace the lists."""

    name_ko: str = None
    name_en: str = None
    name_ko_origin: str = None
    name_en_origin: str = None
    description_ko: MultilineText = None
    description_en: MultilineText = None
    start_year: int | None = Field(None, ge=1900, le=2200)
    started_on: date | None = None
    ended_on: date | None = None
    is_public: bool = None
    roles: list[RoleIn] = None
    managers: list[str] = None
    version: int | None = Field(None, description=VERSION_IN)


def program_values(request, values: dict) -> dict:
    """Ids and usernames of the payload turned into objects (one the caller may not see: 422)."""
    if values.get("roles") is not None:
        organizations = Organization.objects.visible_to(request.user)
        values["roles"] = [
            {
                "organization": visible_or_422(organizations, item["organization"], "roles"),
                "role": item["role"],
            }
            for item in values["roles"]
        ]
    if values.get("managers") is not None:
        users = get_user_model().objects.filter(is_active=True)
        found = {user.username: user for user in users.filter(username__in=values["managers"])}
        missing = sorted(set(values["managers"]) - set(found))
        if missing:
            raise ValidationError({"managers": f"No such user: {', '.join(missing)}"})
        values["managers"] = list(found.values())
    return values


def shown_program(request, program: Program) -> Program:
    return programs_for(request).get(pk=program.pk)


@router.post("", response={201: ProgramDetailOut, **WRITE_ERRORS}, auth=signed_in, summary="Create a program")
def create_program(request, payload: ProgramIn):
    """Staff only. The ``key`` is made from the English name when left empty."""
    program = services.create_program(Actor.from_request(request), program_values(request, payload.dict()))
    return Status(201, shown_program(request, program))


@router.patch(
    "/{program_id}",
    response={200: ProgramDetailOut, **EDIT_ERRORS},
    auth=signed_in,
    summary="Change a program",
)
def update_program(request, program_id: int, payload: ProgramPatch):
    """Staff and the program's managers. With ``version``, a change made by someone else since
    answers 409."""
    program = get_object_or_404(Program.objects.visible_to(request.user), pk=program_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    services.update_program(
        Actor.from_request(request), program, program_values(request, values), version=version
    )
    return shown_program(request, program)


# --- calls -------------------------------------------------------------------------------------------


class ProgramRef(Schema):
    id: int
    key: str
    name_ko: str
    name_en: str


class PhaseOut(Schema):
    position: int
    name_ko: str
    name_en: str
    opens_at: datetime | None
    closes_at: datetime | None


class CallOut(Schema):
    id: int
    program: ProgramRef
    round: int
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str
    eligibility_ko: str
    eligibility_en: str
    opens_at: datetime = Field(description="In the call's own zone (time_zone)")
    closes_at: datetime = Field(description="The deadline: applications are refused from this second on")
    time_zone: str
    status: str
    is_illustrative: bool = Field(description="Made up for the demo: not a real call")
    form: list[dict] = Field(description="The application form's questions")
    phases: list[PhaseOut]
    version: int
    web_url: str

    @staticmethod
    def resolve_opens_at(obj: Call):
        return in_own_zone(obj.opens_at, obj.time_zone)

    @staticmethod
    def resolve_closes_at(obj: Call):
        return in_own_zone(obj.closes_at, obj.time_zone)

    @staticmethod
    def resolve_phases(obj: Call) -> list:
        return [
            {
                "position": phase.position,
                "name_ko": phase.name_ko,
                "name_en": phase.name_en,
                "opens_at": in_own_zone(phase.opens_at, obj.time_zone),
                "closes_at": in_own_zone(phase.closes_at, obj.time_zone),
            }
            for phase in obj.phases.all()
        ]

    @staticmethod
    def resolve_web_url(obj: Call, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


def calls_for(request):
    return Call.objects.visible_to(request.user).select_related("program").prefetch_related("phases")


@calls_router.get("", response={200: list[CallOut], **errors(422)}, summary="List calls for applications")
@paginate(Pagination)
def list_calls(request, program: int | None = None, status: str | None = None):
    """The calls you may see (drafts only for the program's managers and staff), newest round first;
    filter by ``program`` (id) and ``status``."""
    calls = calls_for(request)
    if program is not None:
        calls = calls.filter(program_id=program)
    if status:
        calls = calls.filter(status=status)
    return calls


@calls_router.get("/{call_id}", response=CallOut, summary="One call")
def get_call(request, call_id: int):
    return get_object_or_404(calls_for(request), pk=call_id)


class PhaseIn(InputSchema):
    name_ko: str = ""
    name_en: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None


class CallIn(InputSchema):
    """A new call (a draft) of ``program``. Times without an offset are read in ``time_zone``;
    ``form``: the questions (``key``, ``kind`` short_text|long_text|choice|number|file|url,
    ``required``, ``label_ko``, ``label_en``, optional ``help_ko``/``help_en``, and for a choice
    ``choices``: ``[{"key", "label_ko", "label_en"}]``)."""

    program: int
    round: int | None = Field(None, ge=1, le=32767)
    title_ko: str = ""
    title_en: str = ""
    description_ko: MultilineText = ""
    description_en: MultilineText = ""
    eligibility_ko: MultilineText = ""
    eligibility_en: MultilineText = ""
    opens_at: datetime
    closes_at: datetime
    time_zone: str
    form: list[dict] = []
    phases: list[PhaseIn] = []


class CallPatch(InputSchema):
    """Only the fields sent change; the form only while the call is a draft; ``phases`` replace."""

    round: int = Field(None, ge=1, le=32767)
    title_ko: str = None
    title_en: str = None
    description_ko: MultilineText = None
    description_en: MultilineText = None
    eligibility_ko: MultilineText = None
    eligibility_en: MultilineText = None
    opens_at: datetime = None
    closes_at: datetime = None
    time_zone: str = None
    form: list[dict] = None
    phases: list[PhaseIn] = None
    version: int | None = Field(None, description=VERSION_IN)


@calls_router.post("", response={201: CallOut, **WRITE_ERRORS}, auth=signed_in, summary="Create a call")
def create_call(request, payload: CallIn):
    """Staff and the program's managers; the call starts as a draft."""
    values = payload.dict()
    program = visible_or_422(Program.objects.visible_to(request.user), values.pop("program"), "program")
    call = services.create_call(Actor.from_request(request), program, values)
    return Status(201, calls_for(request).get(pk=call.pk))


@calls_router.patch(
    "/{call_id}", response={200: CallOut, **EDIT_ERRORS}, auth=signed_in, summary="Change a call"
)
def update_call(request, call_id: int, payload: CallPatch):
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=call_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    services.update_call(Actor.from_request(request), call, values, version=version)
    return calls_for(request).get(pk=call.pk)


class StatusIn(InputSchema):
    status: str
    note: MultilineText = ""


@calls_router.post(
    "/{call_id}/status",
    response={200: CallOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Open, close or decide a call",
)
def set_call_status(request, call_id: int, payload: StatusIn):
    """draft → open → closed (→ open again) → decided; any other move answers 422."""
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=call_id)
    services.set_call_status(Actor.from_request(request), call, payload.status)
    return calls_for(request).get(pk=call.pk)


# --- applications ------------------------------------------------------------------------------------


class CallRef(Schema):
    id: int
    program_id: int
    round: int
    title_ko: str
    title_en: str
    is_illustrative: bool


class ApplicationDecisionOut(Schema):
    outcome: str = Field(description="accepted, waitlisted or rejected")
    status: str = Field(description="pending (never shown to the applicant) or released")
    released_at: datetime | None = Field(description="In the call's zone")

    @staticmethod
    def resolve_released_at(obj: Decision):
        return in_own_zone(obj.released_at, obj.application.call.time_zone)


class ApplicationOut(Schema):
    id: int
    call: CallRef
    startup: Ref | None = Field(description="null for a reviewer in a blind review")
    status: str
    answers: dict = Field(
        description="Question key → answer; a file question holds a file id (/api/v1/files); "
        "in a blind review, reviewers get no answer to the identifying questions"
    )
    submitted_at: datetime | None = Field(description="In the call's zone (time_zone)")
    time_zone: str
    revisions_note: str
    decision: ApplicationDecisionOut | None = Field(
        description="The decision: for the applicant once released (null before); for the program's "
        "managers and staff also while pending; null for reviewers"
    )
    feedback: list[str] = Field(
        description="The reviewers' comments for the applicant, without their names, scores or comments "
        "for the managers, once the decision is released, for those who see it; empty before"
    )
    version: int
    web_url: str

    @staticmethod
    def resolve_decision(obj: Application):
        return getattr(obj, "visible_decision", None)

    @staticmethod
    def resolve_feedback(obj: Application) -> list[str]:
        # The same rule as the page's (``queries.released_feedback``), over the prefetched rows.
        decision = getattr(obj, "visible_decision", None)
        if decision is None or decision.status != Decision.Status.RELEASED:
            return []
        return [review.comment_to_applicant for review in obj.feedback_reviews]

    @staticmethod
    def resolve_startup(obj: Application, context):
        return None if obj.pk in blind_application_ids(context["request"].user) else obj.startup

    @staticmethod
    def resolve_answers(obj: Application, context) -> dict:
        if obj.pk not in blind_application_ids(context["request"].user):
            return obj.answers
        hidden = {question["key"] for question in obj.call.form if question.get("identifying")}
        return {key: value for key, value in obj.answers.items() if key not in hidden}

    @staticmethod
    def resolve_submitted_at(obj: Application):
        return in_own_zone(obj.submitted_at, obj.call.time_zone)

    @staticmethod
    def resolve_time_zone(obj: Application) -> str:
        return obj.call.time_zone

    @staticmethod
    def resolve_web_url(obj: Application, context) -> str:
        return absolute_url(context, obj.get_absolute_url())


def applications_for(request):
    """The applications the caller sees, each with the decision they may see (``visible_decision``:
    a pending one only for those who make it) and the reviews that may go with it once released."""
    visible = Decision.objects.visible_to(request.user)
    return (
        Application.objects.visible_to(request.user)
        .select_related("call", "startup")
        .prefetch_related(
            Prefetch("decision", queryset=visible, to_attr="visible_decision"),
            Prefetch("reviews", queryset=feedback_reviews(), to_attr="feedback_reviews"),
        )
    )


@applications_router.get("", response={200: list[ApplicationOut], **errors(422)}, summary="List applications")
@paginate(Pagination)
def list_applications(request, call: int | None = None, status: str | None = None):
    """Your organizations' applications; a program's managers and staff also see every application
    to the program's calls. Filter by ``call`` (id) and ``status``."""
    applications = applications_for(request)
    if call is not None:
        applications = applications.filter(call_id=call)
    if status:
        applications = applications.filter(status=status)
    return applications


@applications_router.get("/{application_id}", response=ApplicationOut, summary="One application")
def get_application(request, application_id: int):
    return get_object_or_404(applications_for(request), pk=application_id)


class ApplicationIn(InputSchema):
    """A draft application of ``startup`` (an organization you are a member of) to ``call``, with
    the answers given so far."""

    call: int
    startup: int
    answers: dict = {}


class ApplicationPatch(InputSchema):
    """Answers to change (question key → value; null or "" clears one); the others stay."""

    answers: dict
    version: int | None = Field(None, description=VERSION_IN)


@applications_router.post(
    "", response={201: ApplicationOut, **WRITE_ERRORS}, auth=signed_in, summary="Start an application"
)
def start_application(request, payload: ApplicationIn):
    call = visible_or_422(Call.objects.visible_to(request.user), payload.call, "call")
    startup = visible_or_422(Organization.objects.visible_to(request.user), payload.startup, "startup")
    application = services.start_application(
        Actor.from_request(request), call, startup, {"answers": payload.answers}
    )
    return Status(201, applications_for(request).get(pk=application.pk))


@applications_router.patch(
    "/{application_id}",
    response={200: ApplicationOut, **EDIT_ERRORS},
    auth=signed_in,
    summary="Change an application's answers",
)
def save_answers(request, application_id: int, payload: ApplicationPatch):
    """The startup's members, while the application is a draft or revisions are requested."""
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=application_id)
    services.save_answers(Actor.from_request(request), application, payload.answers, version=payload.version)
    return applications_for(request).get(pk=application.pk)


@applications_router.post(
    "/{application_id}/status",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Submit, withdraw or ask for revisions",
)
def set_application_status(request, application_id: int, payload: StatusIn):
    """``submitted`` and ``withdrawn``: the startup's members (submission before the call's closing
    second; answers to revisions until the call is decided); ``revisions_requested`` with a ``note``:
    the program's managers and staff."""
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=application_id)
    services.set_application_status(
        Actor.from_request(request), application, payload.status, note=payload.note
    )
    return applications_for(request).get(pk=application.pk)


@applications_router.post(
    "/{application_id}/files",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=signed_in,
    summary="Upload the file that answers a question",
)
def attach_file(request, application_id: int, question: Form[str], file: File[UploadedFile] = None):
    """A protected file (type read from its content, size limited), seen only by those who see the
    application; it becomes the answer to the file ``question``."""
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=application_id)
    if file is None:
        raise ValidationError({"file": "Send the file as the multipart part “file”."})
    services.attach_file(Actor.from_request(request), application, question, file)
    return applications_for(request).get(pk=application.pk)
