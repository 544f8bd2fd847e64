from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from dari.core.api import Pagination, Ref, absolute_url

from .models import Participant, Program

router = Router(tags=["programs"])


class RoleOut(Schema):
    organization: Ref
    role: str


class ParticipantOut(Schema):
    organization: Ref
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
    roles: list[RoleOut]
    participants: list[ParticipantOut]
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


@router.get("/{program_id}", response=ProgramOut, summary="One program")
def get_program(request, program_id: int):
    return get_object_or_404(programs_for(request), pk=program_id)
