"""Suggestions: ranked with reasons in both languages, steered by the user's own marks, scoped."""

import pytest
from django.utils import translation

from dari.accounts.audit import Actor
from dari.matching import engine
from dari.matching.models import Feedback
from dari.matching.services import mark_suggestion
from dari.registry.models import Relationship

from ..helpers import get_json

pytestmark = pytest.mark.django_db


def ranked(user, subject, **filters) -> list[str]:
    return [suggestion.organization.key for suggestion in engine.suggestions(user, subject, **filters)]


def test_a_startup_gets_fitting_partners_first(world):
    found = ranked(world["member"], world["startup"])
    assert found.index("endo-clinic") < found.index("tumor-capital")
    assert found.index("pacific-health-fund") < found.index("tumor-capital")


def test_reasons_come_in_both_languages(world):
    with translation.override("ko"):
        suggestion = next(
            s
            for s in engine.suggestions(world["member"], world["startup"])
            if s.organization.key == "endo-clinic"
        )
    assert suggestion.reasons
    for reason in suggestion.reasons:
        assert reason.en and reason.ko and reason.text == reason.ko
    assert any("갑상선" in reason.ko for reason in suggestion.reasons)
    assert any("thyroid" in reason.en for reason in suggestion.reasons)


def test_private_candidates_the_user_cannot_see_are_never_suggested(world):
    assert "quiet-partner" not in ranked(world["member"], world["startup"])


def test_filters(world):
    assert set(ranked(world["member"], world["startup"], kinds=["investor"])) == {
        "pacific-health-fund",
        "tumor-capital",
    }
    assert ranked(world["member"], world["startup"], country="KR") == []


def test_organizations_it_already_works_with_are_left_out_unless_asked(world):
    Relationship.objects.create(
        subject=world["fund"], kind=Relationship.Kind.INVESTS_IN, object=world["startup"]
    )
    engine.forget_loaded()
    assert "pacific-health-fund" not in ranked(world["member"], world["startup"])
    suggestions = engine.suggestions(world["member"], world["startup"], include_related=True)
    assert [s.is_related for s in suggestions if s.organization.key == "pacific-health-fund"] == [True]


def test_a_not_relevant_mark_demotes_the_candidate_for_that_user_only(world, django_user_model):
    before = ranked(world["member"], world["startup"])
    top = world["fit"] if before[0] == "endo-clinic" else world["fund"]
    assert before[0] == top.key
    mark_suggestion(Actor(world["member"]), world["startup"], top, False)
    after = ranked(world["member"], world["startup"])
    assert after[-1] == top.key
    staff = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    assert ranked(staff, world["startup"])[0] == top.key  # another user's list is unchanged


def test_suggestions_page_shows_reasons_and_mark_buttons(world, client):
    client.force_login(world["member"])
    page = client.get(f"/organizations/{world['startup'].pk}/suggestions/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and "Harbor Endocrine Clinics" in text and "Not relevant" in text


def test_marking_from_the_page(world, client):
    client.force_login(world["member"])
    url = f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/mark/"
    assert client.post(url, {"verdict": "not_relevant"}).status_code == 302
    assert Feedback.objects.get(user=world["member"]).is_relevant is False
    client.post(url, {"verdict": "clear"})
    assert not Feedback.objects.exists()
    client.post(url, {"verdict": "maybe"})
    assert not Feedback.objects.exists()


def test_outsiders_cannot_see_or_mark_suggestions(world, client):
    client.force_login(world["outsider"])
    assert client.get(f"/organizations/{world['startup'].pk}/suggestions/").status_code == 404
    public_partner = world["fund"]
    assert client.get(f"/organizations/{public_partner.pk}/suggestions/").status_code == 403
    url = f"/organizations/{public_partner.pk}/suggestions/{world['fit'].pk}/mark/"
    assert client.post(url, {"verdict": "relevant"}).status_code == 403
    assert not Feedback.objects.exists()


def test_the_organization_page_shows_the_top_suggestions_to_members_only(world, client):
    client.force_login(world["member"])
    page = client.get(f"/organizations/{world['startup'].pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Suggested partners" in page and "Harbor Endocrine Clinics" in page
    client.force_login(world["outsider"])
    page = client.get(f"/organizations/{world['fund'].pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Suggested startups" not in page


def test_suggestions_api_and_marks(world, api_client):
    client = api_client(world["member"])
    base = f"/api/v1/organizations/{world['startup'].pk}/suggestions"
    items = get_json(client, base + "?limit=10")
    first = items[0]
    assert first["name_en"] in ("Harbor Endocrine Clinics", "Pacific Health Fund") and first["mark"] is None
    assert all(reason["en"] and reason["ko"] for reason in first["reasons"])
    response = client.put(
        f"{base}/{world['fit'].pk}/mark", {"relevant": False}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {
        "candidate_id": world["fit"].pk,
        "relevant": False,
    }
    assert get_json(client, base)[-1]["mark"] is False
    assert client.delete(f"{base}/{world['fit'].pk}/mark").status_code == 204
    assert not Feedback.objects.exists()


def test_suggestions_api_rejects_bad_filters(world, api_client):
    client = api_client(world["member"])
    base = f"/api/v1/organizations/{world['startup'].pk}/suggestions"
    assert client.get(base + "?kind=spaceship").status_code == 422
    assert client.get(base + "?stage=mega").status_code == 422
    assert client.get(base + "?cluster=atlantis").status_code == 422
    assert client.get(base + "?country=KOR").status_code == 422
    assert client.get(base + "?limit=0").status_code == 422


def test_a_mark_on_the_subject_itself_is_refused(world, api_client):
    client = api_client(world["member"])
    url = f"/api/v1/organizations/{world['startup'].pk}/suggestions/{world['startup'].pk}/mark"
    assert client.put(url, {"relevant": True}, content_type="application/json").status_code == 422
