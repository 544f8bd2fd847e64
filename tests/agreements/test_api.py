"""The agreements API: /api/v1/agreements, with parties, cooperation areas and action items."""

from datetime import UTC, datetime

import pytest

from dari.agreements.models import Agreement
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AgreementPartyFactory,
    CooperationAreaFactory,
)
from tests.helpers import DEMO_PASSWORD, DEMO_USERNAME, basic_auth, count_queries, get_json, listed_keys

MOU = "ulsan-san-diego-bio-mou-2024"


@pytest.mark.django_db
def test_demo_superuser_sees_the_mou_with_four_parties_signed_in_san_diego_time(scenario, client, superuser):
    page = get_json(client, "/api/v1/agreements", **basic_auth(DEMO_USERNAME, DEMO_PASSWORD))

    assert page["count"] == 1
    (mou,) = page["items"]
    assert (mou["key"], mou["kind"]) == (MOU, "mou")
    assert mou["title_ko"] == "바이오산업 육성 협력 기반 구축 업무 협약"
    assert mou["signed_at"] == "2024-01-17T10:30:00-08:00"
    assert mou["signed_time_zone"] == "America/Los_Angeles"
    assert mou["place_en"] == "UC San Diego, San Diego, California, USA"
    assert [
        (party["organization"]["key"], party["head"]["key"], party["signatory"]["key"])
        for party in mou["parties"]
    ] == [
        ("ulsan-city", "kim-doo-gyeom", "kim-doo-gyeom"),
        ("san-diego-city", "todd-gloria", "javier-gomez"),
        ("unist", "lee-yong-hoon", "kwon-soon-yong"),
        ("ucsd", "pradeep-khosla", "elizabeth-simmons"),
    ]
    san_diego = mou["parties"][1]
    assert san_diego == {
        "id": san_diego["id"],
        "organization": {
            "id": san_diego["organization"]["id"],
            "key": "san-diego-city",
            "name_ko": "샌디에이고시",
            "name_en": "City of San Diego",
        },
        "head": {
            "id": san_diego["head"]["id"],
            "key": "todd-gloria",
            "name_ko": "토드 글로리아",
            "name_en": "Todd Gloria",
        },
        "head_title_ko": "샌디에이고 시장",
        "head_title_en": "Mayor of San Diego",
        "signatory": {
            "id": san_diego["signatory"]["id"],
            "key": "javier-gomez",
            "name_ko": "하비에 고메즈",
            "name_en": "Javier Gomez",
        },
        "signatory_title_ko": "샌디에이고시 글로벌 본부장",
        "signatory_title_en": "Global Director, City of San Diego",
    }


@pytest.mark.django_db
def test_mou_detail_has_id_web_url_two_areas_and_two_action_items_owned_by_ulsan_city(scenario, client):
    mou = Agreement.objects.get(key=MOU)

    body = get_json(client, f"/api/v1/agreements/{mou.pk}")

    assert (body["id"], body["key"]) == (mou.pk, MOU)
    assert body["web_url"] == f"http://testserver/agreements/{mou.pk}/"
    assert body["signed_at"] == "2024-01-17T10:30:00-08:00"
    assert [area["number"] for area in body["areas"]] == [1, 2]
    assert body["areas"][1]["title_en"] == (
        "Developing digital-health technology and supporting bio startups' global expansion"
    )
    assert [
        (item["key"], item["owner"]["key"], item["status"], item["due_at"], item["due_time_zone"])
        for item in body["action_items"]
    ] == [
        ("run-cooperation-projects-smoothly", "ulsan-city", "open", None, ""),
        ("widen-exchanges-with-san-diego", "ulsan-city", "open", None, ""),
    ]
    assert listed_keys(client, "/api/v1/agreements?q=바이오산업") == [MOU]
    assert listed_keys(client, "/api/v1/agreements?q=MOU on building") == [MOU]
    assert listed_keys(client, "/api/v1/agreements?q=Boston") == []


@pytest.mark.django_db
def test_signed_at_is_given_in_the_zone_of_signing(client):
    AgreementFactory(signed_at=datetime(2024, 3, 4, 1, 0, tzinfo=UTC), signed_time_zone="Asia/Seoul")

    (agreement,) = get_json(client, "/api/v1/agreements")["items"]

    assert (agreement["signed_at"], agreement["signed_time_zone"]) == (
        "2024-03-04T10:00:00+09:00",
        "Asia/Seoul",
    )


@pytest.mark.django_db
def test_action_item_due_time_is_given_in_its_own_zone(client):
    due_at = datetime(2024, 6, 30, 15, 0, tzinfo=UTC)
    item = ActionItemFactory(due_at=due_at, due_time_zone="America/Los_Angeles")
    item.area = CooperationAreaFactory(agreement=item.agreement, number=2)
    item.save()

    (agreement,) = get_json(client, "/api/v1/agreements")["items"]

    assert [(i["due_at"], i["due_time_zone"], i["area_number"]) for i in agreement["action_items"]] == [
        ("2024-06-30T08:00:00-07:00", "America/Los_Angeles", 2)
    ]


@pytest.mark.django_db
def test_unsigned_agreement_has_no_signing_time(client):
    AgreementFactory(signed_at=None, signed_time_zone="")

    (agreement,) = get_json(client, "/api/v1/agreements")["items"]

    assert (agreement["signed_at"], agreement["signed_time_zone"]) == (None, "")


@pytest.mark.django_db
def test_agreement_list_pages_with_limit_and_offset(client):
    AgreementFactory.create_batch(5)
    all_keys = listed_keys(client, "/api/v1/agreements")

    page = get_json(client, "/api/v1/agreements?limit=2&offset=1")

    assert page["count"] == 5
    assert [item["key"] for item in page["items"]] == all_keys[1:3]


@pytest.mark.django_db
def test_agreement_text_filter_matches_either_title_or_the_key(client):
    AgreementFactory(key="bio-mou", title_ko="바이오산업 육성 협약", title_en="Bio MOU")
    AgreementFactory(key="chips-mou", title_ko="반도체 협약", title_en="Semiconductor MOU")
    filters = {
        "q=바이오": ["bio-mou"],
        "q=semiconductor": ["chips-mou"],
        "q=chips": ["chips-mou"],
        "q=MOU": ["bio-mou", "chips-mou"],
        "q=pilot": [],
    }

    assert {query: sorted(listed_keys(client, f"/api/v1/agreements?{query}")) for query in filters} == filters


@pytest.mark.django_db
def test_unknown_agreement_is_404(client):
    assert client.get("/api/v1/agreements/999999").status_code == 404


@pytest.mark.django_db
def test_agreement_list_runs_the_same_queries_for_3_or_30_agreements(client):
    def agreement_with_everything():
        agreement = AgreementFactory()
        AgreementPartyFactory.create_batch(2, agreement=agreement)
        area = CooperationAreaFactory(agreement=agreement)
        ActionItemFactory.create_batch(2, agreement=agreement, area=area)

    for _ in range(3):
        agreement_with_everything()
    queries_for_3 = count_queries(client, "/api/v1/agreements")
    for _ in range(27):
        agreement_with_everything()

    # Anonymous callers see no progress notes, so the notes are not even queried.
    assert count_queries(client, "/api/v1/agreements") == queries_for_3 == 5


# --- visibility --------------------------------------------------------------------------------------

VISIBILITY = [("anonymous", False), ("member", False), ("staff", True), ("superuser", True)]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "sees_private"), VISIBILITY)
def test_private_agreement_is_listed_and_shown_to_staff_only(client_as, persona, sees_private):
    AgreementFactory(key="public-mou")
    private = AgreementFactory(key="private-mou", is_public=False)
    client = client_as(persona)

    listed = sorted(listed_keys(client, "/api/v1/agreements"))
    detail = client.get(f"/api/v1/agreements/{private.pk}")

    if sees_private:
        assert listed == ["private-mou", "public-mou"]
        assert detail.status_code == 200
    else:
        assert listed == ["public-mou"]
        assert detail.status_code == 404


@pytest.mark.django_db
def test_wrong_password_is_401(client, superuser):
    response = client.get("/api/v1/agreements", **basic_auth(DEMO_USERNAME, "not the password"))

    assert response.status_code == 401
