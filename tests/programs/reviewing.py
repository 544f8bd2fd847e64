"""A call under review for the programs tests: ``make_panel`` gives a program with its manager, an
open call with a rubric, startups with submitted applications and reviewers of the program."""

from dataclasses import dataclass

from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs.models import Application, Call

from ..factories import OrganizationFactory, ProgramFactory, UserFactory
from .calls import FORM, make_call

SCALE = [
    {"value": 1, "label_ko": "미흡", "label_en": "Weak"},
    {"value": 2, "label_ko": "보통", "label_en": "Fair"},
    {"value": 3, "label_ko": "우수", "label_en": "Strong"},
]
# The website names the startup: hidden in a blind review.
IDENTIFYING_FORM = [
    {**question, "identifying": True} if question["key"] == "site" else question for question in FORM
]
RUBRIC = [
    {"key": "team", "label_ko": "팀 역량", "label_en": "Team", "weight": 2, "scale": SCALE},
    {"key": "market", "label_ko": "시장성", "label_en": "Market", "weight": 1, "scale": SCALE},
]


@dataclass
class Panel:
    call: Call
    manager: object
    reviewers: list
    startups: list
    applications: list
    outsider: object


def make_panel(*, startups: int = 3, reviewers: int = 3, private: bool = True, **call_fields) -> Panel:
    program = ProgramFactory()
    call = make_call(program, rubric=RUBRIC, form=IDENTIFYING_FORM, **call_fields)
    manager = UserFactory(username="panel-manager")
    grant_membership(Actor.system(), manager, Role.PROGRAM_MANAGER, program)
    people = []
    for number in range(reviewers):
        reviewer = UserFactory(username=f"reviewer-{number}")
        grant_membership(Actor.system(), reviewer, Role.PROGRAM_REVIEWER, program)
        people.append(reviewer)
    organizations = [
        OrganizationFactory(kind="startup", is_public=not private, name_en=f"Stealth Startup {number}")
        for number in range(startups)
    ]
    applications = [
        Application.objects.create(
            call=call,
            startup=startup,
            status=Application.Status.SUBMITTED,
            answers={"summary": f"Secret plan {number}", "stage": "seed", "site": "https://stealth.example"},
            submitted_at=timezone.now(),
        )
        for number, startup in enumerate(organizations)
    ]
    return Panel(call, manager, people, organizations, applications, UserFactory(username="panel-outsider"))
