"""A reviewer's stated expertise (issue 17, item 3: "preferences and expertise respected where
given"): each reviewer states the sectors they know, on their reviews page or through the API, and
automatic assignment follows it where the balance allows, unless the manager gives expertise of their
own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.programs import reviews
from dari.programs.models import Review

from ..factories import SectorFactory, UserFactory
from .reviewing import make_panel

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def pairs() -> set:
    return set(Review.objects.values_list("application", "reviewer"))


def test_stated_expertise_steers_automatic_assignment():
    panel = make_panel(startups=2, reviewers=2)
    first, second = panel.reviewers
    eyes, blood = SectorFactory(key="eyes"), SectorFactory(key="blood")
    panel.startups[0].sectors.add(eyes)
    panel.startups[1].sectors.add(blood)
    # Without any, the first reviewer would take the first application; they know blood instead.
    reviews.set_expertise(Actor(first), [blood])
    reviews.set_expertise(Actor(second), [eyes])

    reviews.auto_assign(Actor(panel.manager), panel.call, None, 1)

    assert pairs() == {(panel.applications[1].pk, first.pk), (panel.applications[0].pk, second.pk)}


def test_expertise_the_manager_gives_replaces_what_reviewers_stated():
    panel = make_panel(startups=2, reviewers=2)
    first, second = panel.reviewers
    eyes, blood = SectorFactory(key="eyes"), SectorFactory(key="blood")
    panel.startups[0].sectors.add(eyes)
    panel.startups[1].sectors.add(blood)
    reviews.set_expertise(Actor(first), [blood])

    reviews.auto_assign(Actor(panel.manager), panel.call, None, 1, expertise={first: [eyes]})

    assert pairs() == {(panel.applications[0].pk, first.pk), (panel.applications[1].pk, second.pk)}


def test_a_reviewer_states_expertise_on_their_page_and_it_is_audited():
    panel = make_panel(startups=1, reviewers=1)
    reviewer = panel.reviewers[0]
    eyes, blood = SectorFactory(key="eyes", name_en="Ophthalmology"), SectorFactory(key="blood")
    client = signed_in(reviewer)
    assert "Your expertise" in client.get("/programs/reviews/").content.decode()

    answer = client.post("/programs/reviews/expertise/", {"sectors": [eyes.pk, blood.pk]})

    assert answer.status_code == 302
    assert [sector.key for sector in reviews.expertise_of(reviewer)] == ["blood", "eyes"]
    entry = AuditEntry.objects.get(action="programs.reviewer.expertise_changed")
    assert entry.changes == {"sectors": [[], ["blood", "eyes"]]} and entry.actor == reviewer
    # The same again changes nothing, and a sector that does not exist is refused on the page.
    client.post("/programs/reviews/expertise/", {"sectors": [eyes.pk, blood.pk]})
    assert AuditEntry.objects.filter(action="programs.reviewer.expertise_changed").count() == 1
    review = Review.objects.create(application=panel.applications[0], reviewer=reviewer)
    refused = client.post("/programs/reviews/expertise/", {"sectors": [999999]})
    assert refused.status_code == 400
    # The refusal is shown on the reviewer's page as it is, their reviews listed under it.
    shown = refused.content.decode()
    assert "Your expertise" in shown and f"/programs/reviews/{review.pk}/" in shown
    assert [sector.key for sector in reviews.expertise_of(reviewer)] == ["blood", "eyes"]


def test_the_api_reads_and_states_expertise_and_refuses_an_unknown_sector():
    panel = make_panel(startups=1, reviewers=1)
    SectorFactory(key="eyes")
    client = signed_in(panel.reviewers[0])

    assert client.get("/api/v1/reviews/expertise").json() == {"sectors": []}
    answer = client.put("/api/v1/reviews/expertise", {"sectors": ["eyes"]}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"sectors": ["eyes"]}
    unknown = client.put(
        "/api/v1/reviews/expertise", {"sectors": ["eyes", "nowhere"]}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "payload", "sectors"]
    assert client.get("/api/v1/reviews/expertise").json() == {"sectors": ["eyes"]}


def test_only_a_programs_reviewer_or_staff_states_expertise():
    panel = make_panel(startups=1, reviewers=1)
    eyes = SectorFactory(key="eyes")
    for user in (panel.outsider, panel.manager, UserFactory()):
        with pytest.raises(PermissionDenied):
            reviews.set_expertise(Actor(user), [eyes])
        client = signed_in(user)
        assert "Your expertise" not in client.get("/programs/reviews/").content.decode()
        assert client.post("/programs/reviews/expertise/", {"sectors": [eyes.pk]}).status_code == 403
        answer = client.put(
            "/api/v1/reviews/expertise", {"sectors": ["eyes"]}, content_type="application/json"
        )
        assert answer.status_code == 403
    assert (
        Client()
        .put("/api/v1/reviews/expertise", {"sectors": []}, content_type="application/json")
        .status_code
        == 401
    )
