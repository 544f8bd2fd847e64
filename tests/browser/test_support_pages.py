"""The cohort support pages with rows in them: a participant's milestone plan and services for its
program's manager (with the editing controls) and for the startup's member (read-only, marking
milestones done), a service's form with its errors, and the startup's history panel on its
organization page, in Korean and English at 390 and 1400 px: nothing wider than the window, no
cramped cell, no serious axe-core violation. With ``DARI_SHOTS`` set to a folder, each page is
also saved there as a full-page screenshot to look at."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs import support
from dari.programs.decisions import decide, release_decisions
from dari.programs.models import Application, Call, Participant, Review

from ..factories import OrganizationFactory, ProgramFactory, UserFactory
from ..programs.calls import make_call
from .pages import SIZES, axe_problems, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def supported_startup():
    """A startup accepted in two calls of a program (two cohorts), with a plan and services in the
    second and a third application still pending, each with a reviewer's comment for the applicant;
    its member and the program's manager."""
    program = ProgramFactory(
        name_ko="울산 바이오 스타트업 육성 사업", name_en="Ulsan Bio Startup Accelerator"
    )
    startup = OrganizationFactory(
        kind="startup", is_public=False, name_ko="스텔스바이오 주식회사", name_en="Stealth Bio Inc."
    )
    manager, member = UserFactory(username="manager"), UserFactory(username="member")
    reviewer = UserFactory(username="reviewer")
    grant_membership(Actor.system(), manager, Role.PROGRAM_MANAGER, program)
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, startup)
    actor = Actor(manager)
    for number in (1, 2, 3):
        call = make_call(
            program,
            round=number,
            status=Call.Status.CLOSED,
            title_ko=f"2030년 {number}차 모집",
            title_en=f"2030 call, round {number}",
        )
        application = Application.objects.create(
            call=call, startup=startup, status="submitted", answers={"summary": "x", "stage": "seed"}
        )
        Review.objects.create(
            application=application,
            reviewer=reviewer,
            status="submitted",
            submitted_at=call.closes_at,
            comment_to_applicant="임상 실증 계획이 구체적입니다. 규제 일정은 식약처와 먼저 확인하세요.",
        )
        decide(actor, application, "accepted")
        if number < 3:
            release_decisions(actor, call)
    participant = Participant.objects.filter(organization=startup).order_by("-pk").first()
    plan = [
        ("임상시험심사위원회(IRB) 승인", "IRB approval of the pilot protocol", date(2030, 6, 30)),
        ("식약처 의료기기 품목허가 신청", "MFDS device approval filed", date(2030, 9, 30)),
        (
            "미국 샌디에이고 병원과 공동 실증 착수",
            "Joint pilot started with a San Diego hospital",
            date(2030, 12, 15),
        ),
    ]
    for title_ko, title_en, due_on in plan:
        support.add_milestone(
            actor, participant, {"title_ko": title_ko, "title_en": title_en, "due_on": due_on, "notes": ""}
        )
    first = participant.milestones.first()
    support.set_milestone_status(actor, first, "done", done_on=date(2030, 6, 20))
    for kind, day, hours, provider, notes, follow_up in [
        (
            "regulatory",
            date(2030, 5, 12),
            Decimal("6"),
            "한국의료기기안전정보원 컨설턴트",
            "품목 분류와 임상 요건 검토",
            "기술문서 초안 6월 5일까지 제출\nGMP 심사 일정 확인",
        ),
        ("investor_introduction", date(2030, 5, 20), Decimal("1.5"), "UC San Diego Health", "", ""),
        ("clinical_pilot", date(2030, 7, 1), Decimal("120"), "", "Pilot with 40 patients", ""),
    ]:
        support.add_service(
            actor,
            participant,
            {
                "kind": kind,
                "delivered_on": day,
                "hours": hours,
                "provider_name": provider,
                "notes": notes,
                "follow_up": follow_up,
            },
        )
    return startup, participant, manager, member


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_support_pages_fit_a_phone_and_a_laptop(live_server, browser, signed_in_context, language):
    startup, participant, manager, member = supported_startup()
    shots = os.environ.get("DARI_SHOTS")
    pages = {
        "manager": [
            participant.get_absolute_url(),
            f"/programs/participants/{participant.pk}/services/new/",
            startup.get_absolute_url(),
            participant.program.get_absolute_url(),
        ],
        "member": [participant.get_absolute_url(), startup.get_absolute_url()],
    }
    problems = []
    for label, user in (("manager", manager), ("member", member)):
        for size, viewport in SIZES.items():
            page = signed_in_context(user, language, viewport).new_page()
            for number, path in enumerate(pages[label]):
                page.goto(live_server.url + path)
                if "/services/new/" in path:  # the form sent with a negative number of hours: its errors
                    page.fill("#id_delivered_on", "2030-05-01")
                    page.fill("#id_hours", "-3")
                    page.click("form.form button[type=submit]")
                    assert page.locator(".errorlist").count() == 2  # the service's kind, the hours
                where = f"{path} [{language}, {size}, {label}]"
                problems += layout_problems(page, where, wide=size == "wide")
                problems += axe_problems(page, where)
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{shots}/{label}-{number}-{language}-{size}.png", full_page=True)
    assert not problems, "\n".join(problems)
