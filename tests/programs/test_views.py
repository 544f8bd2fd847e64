import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs.models import Program

from ..factories import ParticipantFactory, ProgramFactory, ProgramRoleFactory, UserFactory
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


@pytest.fixture
def crowded_program():
    """A public program of 21 participants (a page of 20 and one more), named in their order."""
    program = ProgramFactory(is_public=True)
    for number in range(21):
        ParticipantFactory(
            program=program,
            organization__name_en=f"Crowded Startup {number:02}",
            organization__name_ko=f"붐비는 기업 {number:02}",
        )
    return program


def test_program_page_lists_its_participants_a_page_at_a_time(client, crowded_program):
    url = crowded_program.get_absolute_url()

    first = get_page(client, url, "en")
    second = get_page(client, url + "?page=2", "ko")

    assert "Crowded Startup 19" in first and "Crowded Startup 20" not in first
    assert 'href="?page=2" rel="next"' in first and "Page 1 of 2" in first and "21 results" in first
    assert "붐비는 기업 20" in second and "붐비는 기업 19" not in second
    assert 'href="?page=1" rel="prev"' in second and "2쪽 중 2쪽" in second


def test_program_page_links_the_plans_of_the_participants_on_its_page(client, crowded_program):
    manager = UserFactory()
    grant_membership(Actor.system(), manager, Role.PROGRAM_MANAGER, crowded_program)
    client.force_login(manager)
    last = crowded_program.participants.get(organization__name_en="Crowded Startup 20")

    second = get_page(client, crowded_program.get_absolute_url() + "?page=2", "en")

    assert f'href="{last.get_absolute_url()}"' in second and "Plan and services" in second


def test_program_page_query_count_does_not_grow_with_participants(client):
    program = ProgramFactory(is_public=True)
    ParticipantFactory(program=program)
    few = page_queries(client, program.get_absolute_url())
    for _ in range(24):
        ParticipantFactory(program=program)

    assert page_queries(client, program.get_absolute_url()) == few
