"""A call and its people for the programs tests: a program ``p`` managed by ``manager``, an open
call whose deadline is 2030-03-31 18:00:00 in Seoul, a startup with its ``member``."""

from datetime import datetime
from zoneinfo import ZoneInfo

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs.models import Call

from ..factories import OrganizationFactory, ProgramFactory, UserFactory

SEOUL = ZoneInfo("Asia/Seoul")
OPENS = datetime(2030, 3, 1, 9, 0, tzinfo=SEOUL)
CLOSES = datetime(2030, 3, 31, 18, 0, tzinfo=SEOUL)
BEFORE_CLOSING = datetime(2030, 3, 15, 12, 0, tzinfo=SEOUL)

FORM = [
    {
        "key": "summary",
        "kind": "short_text",
        "required": True,
        "label_ko": "한 줄 소개",
        "label_en": "One line",
    },
    {"key": "plan", "kind": "long_text", "required": False, "label_ko": "사업 계획", "label_en": "Plan"},
    {
        "key": "stage",
        "kind": "choice",
        "required": True,
        "label_ko": "투자 단계",
        "label_en": "Stage",
        "choices": [
            {"key": "seed", "label_ko": "시드", "label_en": "Seed"},
            {"key": "series_a", "label_ko": "시리즈 A", "label_en": "Series A"},
        ],
    },
    {"key": "staff", "kind": "number", "required": False, "label_ko": "직원 수", "label_en": "Employees"},
    {"key": "deck", "kind": "file", "required": False, "label_ko": "발표 자료", "label_en": "Pitch deck"},
    {"key": "site", "kind": "url", "required": False, "label_ko": "웹사이트", "label_en": "Website"},
]
COMPLETE = {"summary": "Thyroid care at home", "stage": "seed"}


def make_call(program=None, *, status=Call.Status.OPEN, form=None, **fields) -> Call:
    program = program or ProgramFactory()
    values = {
        "round": 1,
        "title_ko": "2030년 모집",
        "title_en": "2030 call",
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "time_zone": "Asia/Seoul",
        "form": FORM if form is None else form,
        "status": status,
        **fields,
    }
    return Call.objects.create(program=program, **values)


def people(program, startup=None):
    """``manager`` of ``program``, ``member`` of ``startup`` (a fresh private startup by default),
    ``outsider`` and ``staff``."""
    startup = startup or OrganizationFactory(kind="startup", is_public=False)
    users = {
        "manager": UserFactory(username="call-manager"),
        "member": UserFactory(username="call-member"),
        "outsider": UserFactory(username="call-outsider"),
        "staff": UserFactory(username="call-staff", is_staff=True),
    }
    grant_membership(Actor.system(), users["manager"], Role.PROGRAM_MANAGER, program)
    grant_membership(Actor.system(), users["member"], Role.ORGANIZATION_MEMBER, startup)
    return startup, users
