import pytest

from dari.agreements.models import Agreement

from ..factories import AgreementFactory, AgreementPartyFactory
from ..pages import get_page, page_queries

pytestmark = pytest.mark.django_db


def mou():
    return Agreement.objects.get(key="ulsan-san-diego-bio-mou-2024")


def test_agreement_page_in_korean_shows_parties_heads_signatories_areas_and_signing_times(client, scenario):
    html = get_page(client, mou().get_absolute_url(), "ko")

    assert '<html lang="ko">' in html
    assert "바이오산업 육성 협력 기반 구축 업무 협약" in html
    assert "2024-01-17 10:30 PST" in html
    assert "2024-01-18 03:30 KST" in html
    for name in ["울산광역시", "샌디에이고시", "울산과학기술원", "캘리포니아대학교 샌디에이고캠퍼스"]:
        assert name in html
    for head in ["김두겸", "토드 글로리아", "이용훈", "프라디프 코슬라"]:
        assert head in html
    for signatory in ["권순용", "하비에 고메즈", "엘리자베스 시몬스"]:
        assert signatory in html
    assert "생명(바이오) 산업 육성 및 타 분야의 산업 협력 기반 구축" in html
    assert "샌디에이고시와의 교류 확대" in html
    assert "협력사업이 원활하게 추진될 수 있도록 적극 노력" in html
    assert "서명자" in html


def test_agreement_page_in_english_shows_the_same_facts(client, scenario):
    html = get_page(client, mou().get_absolute_url(), "en")

    assert '<html lang="en">' in html
    assert "MOU on building a cooperation base for fostering the bio industry" in html
    assert "2024-01-17 10:30 PST" in html
    assert "2024-01-18 03:30 KST" in html
    assert "Javier Gomez" in html and "Todd Gloria" in html
    assert "Elizabeth Simmons" in html and "Pradeep Khosla" in html
    assert "Widen exchanges with the City of San Diego" in html
    assert "Signed for the party by" in html


def test_a_viewer_time_zone_adds_a_third_rendering(client, scenario, member_user):
    member_user.time_zone = "Europe/Berlin"
    member_user.save()
    client.force_login(member_user)

    html = get_page(client, mou().get_absolute_url(), "en")

    assert "2024-01-17 19:30 CET" in html


def test_hidden_agreement_is_not_found_for_anonymous_but_shown_to_staff(client, staff_user):
    agreement = AgreementFactory(is_public=False)

    get_page(client, agreement.get_absolute_url(), status=404)
    client.force_login(staff_user)
    get_page(client, agreement.get_absolute_url(), status=200)


def test_agreement_list_shows_public_agreements_only(client):
    AgreementFactory(title_en="Public MOU")
    AgreementFactory(title_en="Secret MOU", is_public=False)

    html = get_page(client, "/agreements/", "en")

    assert "Public MOU" in html
    assert "Secret MOU" not in html


def test_agreement_list_query_count_does_not_grow_with_rows(client):
    for _ in range(3):
        AgreementPartyFactory()
    few = page_queries(client, "/agreements/")
    for _ in range(17):
        AgreementPartyFactory()

    assert page_queries(client, "/agreements/") == few
