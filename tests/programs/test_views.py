import pytest

from dari.programs.models import Program

from ..factories import ParticipantFactory, ProgramRoleFactory
from ..pages import get_page, page_queries

pytestmark = pytest.mark.django_db


def test_program_page_shows_operators_participants_and_outcomes_in_korean(client, scenario):
    program = Program.objects.get(key="digital-healthcare-global-support")

    html = get_page(client, program.get_absolute_url(), "ko")

    assert "디지털 헬스케어 글로벌 지원 사업" in html
    assert "2023" in html
    assert "운영 기관" in html and "지원 기관" in html
    for startup in ["㈜타이로스코프", "㈜에스비솔루션", "㈜디엔에이코퍼레이션"]:
        assert startup in html
    assert "항저우 기업과 연 20만 대 가계약" in html
    assert "연간 200,000대" in html


def test_program_page_in_english(client, scenario):
    program = Program.objects.get(key="digital-healthcare-global-support")

    html = get_page(client, program.get_absolute_url(), "en")

    assert "Digital Healthcare Global Support Program" in html
    assert "operator" in html and "supporter" in html
    assert "Local partnerships with global medical-device companies" in html


def test_program_list_query_count_does_not_grow_with_rows(client):
    for _ in range(3):
        ProgramRoleFactory()
    few = page_queries(client, "/programs/")
    for _ in range(27):
        ProgramRoleFactory()

    assert page_queries(client, "/programs/") == few


def test_program_page_leaves_out_private_participants(client):
    hidden = ParticipantFactory(organization__name_en="Stealth Startup", organization__is_public=False)
    shown = ParticipantFactory(program=hidden.program, organization__name_en="Open Startup")

    html = get_page(client, shown.program.get_absolute_url(), "en")

    assert "Open Startup" in html
    assert "Stealth Startup" not in html
