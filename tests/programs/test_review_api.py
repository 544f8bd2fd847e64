"""The review through the API: a manager sets the rubric and assigns, a reviewer scores and submits;
what a reviewer must not read (an application not theirs, one they are in conflict with, the
applicant's name in a blind review) is not in any answer."""

import json

import pytest

from dari.accounts.models import AuditEntry
from dari.programs.models import Review, ReviewPhase

from ..factories import AffiliationFactory, PersonFactory
from .reviewing import RUBRIC, make_panel

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, body: dict | None = None):
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def test_a_manager_runs_the_review_and_a_reviewer_submits(api_client):
    panel = make_panel(startups=3, reviewers=3)
    manager = api_client(panel.manager)
    base = f"/api/v1/calls/{panel.call.pk}"

    setup = send(manager, "PUT", f"{base}/review-setup", {"rubric": RUBRIC[:1], "reviews_shared": True})
    assert setup.status_code == 200, setup.content
    assert [criterion["key"] for criterion in setup.json()["rubric"]] == ["team"]
    refused = send(manager, "PUT", f"{base}/review-setup", {"rubric": [{"key": "x"}]})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "rubric"

    created = send(manager, "POST", f"{base}/assignments/auto", {"per_application": 2})
    assert created.status_code == 201, created.content
    assert len(created.json()) == 6

    reviewer = api_client(panel.reviewers[0])
    mine = reviewer.get("/api/v1/reviews").json()
    assert mine["count"] == 2 and {item["reviewer"] for item in mine["items"]} == {"reviewer-0"}
    review_id = mine["items"][0]["id"]
    saved = send(
        reviewer, "PATCH", f"/api/v1/reviews/{review_id}", {"scores": {"team": 3}, "comment": "Good"}
    )
    assert (saved.status_code, saved.json()["weighted_total"]) == (200, 3.0)
    off_scale = send(reviewer, "PATCH", f"/api/v1/reviews/{review_id}", {"scores": {"team": 9}})
    assert off_scale.status_code == 422 and off_scale.json()["detail"][0]["loc"][-1] == "scores.team"
    submitted = send(reviewer, "POST", f"/api/v1/reviews/{review_id}/status", {"status": "submitted"})
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")

    all_reviews = manager.get(f"/api/v1/reviews?call={panel.call.pk}").json()
    assert all_reviews["count"] == 6


def test_an_impossible_automatic_assignment_answers_422_and_assigns_nothing(api_client):
    panel = make_panel(startups=2, reviewers=2)
    person = PersonFactory(user=panel.reviewers[0])
    AffiliationFactory(person=person, organization=panel.startups[1])
    answer = send(
        api_client(panel.manager),
        "POST",
        f"/api/v1/calls/{panel.call.pk}/assignments/auto",
        {"per_application": 2},
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][-1] == "per_application"
    assert not Review.objects.exists()
    assert not AuditEntry.objects.filter(action="programs.call.reviewers_assigned").exists()


def test_managers_read_the_conflicts_with_their_reasons_and_a_conflict_is_never_assigned(api_client):
    panel = make_panel(startups=2, reviewers=2)
    person = PersonFactory(user=panel.reviewers[1])
    AffiliationFactory(person=person, organization=panel.startups[0])
    manager = api_client(panel.manager)
    conflicts = manager.get(f"/api/v1/calls/{panel.call.pk}/conflicts", HTTP_ACCEPT_LANGUAGE="en").json()
    assert conflicts == [
        {
            "application": panel.applications[0].pk,
            "reviewer": "reviewer-1",
            "reasons": [
                {
                    "code": "worked_at",
                    "organization": None,
                    "text": "The reviewer works or worked at the applicant",
                }
            ],
        }
    ]
    refused = send(
        manager,
        "POST",
        f"/api/v1/calls/{panel.call.pk}/assignments",
        {
            "pairs": [
                {"application": panel.applications[1].pk, "reviewer": "reviewer-1"},
                {"application": panel.applications[0].pk, "reviewer": "reviewer-1"},
            ]
        },
    )
    assert refused.status_code == 422 and not Review.objects.exists()


def test_a_reviewer_reads_only_the_applications_assigned_to_them(api_client):
    panel = make_panel(startups=3, reviewers=2)
    send(
        api_client(panel.manager),
        "POST",
        f"/api/v1/calls/{panel.call.pk}/assignments",
        {"pairs": [{"application": panel.applications[0].pk, "reviewer": "reviewer-0"}]},
    )
    reviewer = api_client(panel.reviewers[0])
    listed = reviewer.get("/api/v1/applications").json()
    assert [item["id"] for item in listed["items"]] == [panel.applications[0].pk]
    assert reviewer.get(f"/api/v1/applications/{panel.applications[1].pk}").status_code == 404
    other = api_client(panel.reviewers[1])
    assert other.get("/api/v1/applications").json()["count"] == 0
    assert other.get(f"/api/v1/applications/{panel.applications[0].pk}").status_code == 404
    # Nor do the program's private startups show in the registry any more.
    for startup in panel.startups:
        assert reviewer.get(f"/api/v1/organizations/{startup.pk}").status_code == 404


def test_a_conflict_appearing_after_the_assignment_hides_the_application_and_the_review(api_client):
    panel = make_panel(startups=1, reviewers=1)
    send(
        api_client(panel.manager),
        "POST",
        f"/api/v1/calls/{panel.call.pk}/assignments",
        {"pairs": [{"application": panel.applications[0].pk, "reviewer": "reviewer-0"}]},
    )
    review = Review.objects.get()
    AffiliationFactory(person=PersonFactory(user=panel.reviewers[0]), organization=panel.startups[0])
    reviewer = api_client(panel.reviewers[0])
    assert reviewer.get(f"/api/v1/applications/{panel.applications[0].pk}").status_code == 404
    assert reviewer.get(f"/api/v1/reviews/{review.pk}").status_code == 404
    assert send(reviewer, "PATCH", f"/api/v1/reviews/{review.pk}", {"comment": "x"}).status_code == 404


def test_a_blind_review_hides_the_applicants_name_and_identifying_answers(api_client):
    panel = make_panel(startups=1, reviewers=1)
    phase = ReviewPhase.objects.create(call=panel.call, position=1, name_en="Panel", blind_review=True)
    send(
        api_client(panel.manager),
        "POST",
        f"/api/v1/calls/{panel.call.pk}/assignments",
        {"phase": 1, "pairs": [{"application": panel.applications[0].pk, "reviewer": "reviewer-0"}]},
    )
    reviewer = api_client(panel.reviewers[0])
    application = reviewer.get(f"/api/v1/applications/{panel.applications[0].pk}")
    body = application.json()
    assert body["startup"] is None
    assert "site" not in body["answers"] and body["answers"]["summary"] == "Secret plan 0"
    reviews = reviewer.get("/api/v1/reviews").content.decode()
    listed = reviewer.get("/api/v1/applications").content.decode()
    for text in (application.content.decode(), reviews, listed):
        assert "Stealth Startup" not in text and "stealth.example" not in text
    # The manager still sees who applied.
    managed = api_client(panel.manager).get(f"/api/v1/applications/{panel.applications[0].pk}").json()
    assert managed["startup"]["name_en"] == "Stealth Startup 0" and "site" in managed["answers"]
    assert phase.reviews.count() == 1
