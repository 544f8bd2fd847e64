"""The review's pages in both languages: the manager's rubric and assignments pages (with the
conflicts and their reasons), the reviewer's list and review page; what a reviewer must not see is
not on any page."""

import pytest
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs import reviews
from dari.programs.models import Application, DeclaredConflict, Review, ReviewPhase

from ..factories import AffiliationFactory, PersonFactory, UserFactory
from .reviewing import make_panel

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_manager_sets_the_rubric_on_its_page():
    panel = make_panel(startups=1, reviewers=1)
    manager = client_for(panel.manager)
    url = f"/programs/calls/{panel.call.pk}/rubric/"
    page = manager.get(url)
    assert page.status_code == 200 and "1 | 미흡 | Weak" in page.content.decode()
    form = {
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-key": "science",
        "criteria-0-label_ko": "과학",
        "criteria-0-label_en": "Science",
        "criteria-0-weight": "2",
        "criteria-0-scale": "1 | 약함 | Weak\n5 | 강함 | Strong",
        "blind_review": "on",
    }
    answer = manager.post(url, form)
    assert answer.status_code == 302
    panel.call.refresh_from_db()
    assert panel.call.blind_review
    assert panel.call.rubric[0]["scale"] == [
        {"value": 1, "label_ko": "약함", "label_en": "Weak"},
        {"value": 5, "label_ko": "강함", "label_en": "Strong"},
    ]
    bad = manager.post(url, {**form, "criteria-0-scale": "1 | only one"})
    assert bad.status_code == 400


def test_the_assignments_page_shows_conflicts_with_their_reasons_in_both_languages():
    panel = make_panel(startups=2, reviewers=2)
    AffiliationFactory(person=PersonFactory(user=panel.reviewers[1]), organization=panel.startups[0])
    for language, text in (("en", "works or worked at the applicant"), ("ko", '<html lang="ko"')):
        page = client_for(panel.manager, language).get(f"/programs/calls/{panel.call.pk}/assignments/")
        assert page.status_code == 200
        assert text in page.content.decode()
    answer = client_for(panel.manager).post(
        f"/programs/calls/{panel.call.pk}/assignments/auto/", {"per_application": "1"}
    )
    assert answer.status_code == 302
    assert not Review.objects.filter(reviewer=panel.reviewers[1], application=panel.applications[0]).exists()
    refused = client_for(panel.manager).post(
        f"/programs/calls/{panel.call.pk}/assignments/auto/", {"per_application": "3"}
    )
    assert refused.status_code == 400 and "Nothing was assigned" in refused.content.decode()


def test_assigning_by_hand_in_bulk_refuses_a_conflict_whole():
    panel = make_panel(startups=2, reviewers=2)
    AffiliationFactory(person=PersonFactory(user=panel.reviewers[1]), organization=panel.startups[0])
    url = f"/programs/calls/{panel.call.pk}/assignments/"
    body = {
        "applications": [str(application.pk) for application in panel.applications],
        "reviewers": [str(reviewer.pk) for reviewer in panel.reviewers],
    }
    refused = client_for(panel.manager).post(url, body)
    assert refused.status_code == 400 and "works or worked at the applicant" in refused.content.decode()
    assert not Review.objects.exists()
    body["reviewers"] = [str(panel.reviewers[0].pk)]
    assert client_for(panel.manager).post(url, body).status_code == 302
    assert Review.objects.count() == 2


def test_a_reviewer_scores_saves_and_submits_on_the_review_page():
    panel = make_panel(startups=1, reviewers=1)
    (review,) = reviews.assign_reviewers(
        Actor(panel.manager), panel.call, None, [(panel.applications[0], panel.reviewers[0])]
    )
    reviewer = client_for(panel.reviewers[0])
    listing = reviewer.get("/programs/reviews/").content.decode()
    assert review.get_absolute_url() in listing
    page = reviewer.get(review.get_absolute_url())
    assert page.status_code == 200 and "Secret plan 0" in page.content.decode()
    draft = reviewer.post(
        review.get_absolute_url(), {"scores.team": "3", "comment": "Strong", "version": "1", "save": ""}
    )
    assert draft.status_code == 302
    incomplete = reviewer.post(review.get_absolute_url(), {"scores.team": "3", "version": "2", "submit": ""})
    assert incomplete.status_code == 400
    review.refresh_from_db()
    done = reviewer.post(
        review.get_absolute_url(),
        {
            "scores.team": "3",
            "scores.market": "2",
            "comment": "Strong",
            "version": str(review.version),
            "submit": "",
        },
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.scores) == ("submitted", {"team": 3, "market": 2})
    assert "Weighted total" in reviewer.get(review.get_absolute_url()).content.decode()


def test_recusal_on_the_page_takes_the_application_away():
    panel = make_panel(startups=1, reviewers=1)
    (review,) = reviews.assign_reviewers(
        Actor(panel.manager), panel.call, None, [(panel.applications[0], panel.reviewers[0])]
    )
    reviewer = client_for(panel.reviewers[0])
    assert reviewer.post(f"/programs/reviews/{review.pk}/recuse/", {"reason": ""}).status_code == 400
    assert (
        reviewer.post(f"/programs/reviews/{review.pk}/recuse/", {"reason": "Former adviser"}).status_code
        == 302
    )
    assert DeclaredConflict.objects.get().reason == "Former adviser"
    assert reviewer.get(review.get_absolute_url()).status_code == 404
    assert reviewer.get(panel.applications[0].get_absolute_url()).status_code == 404
    assigned = client_for(panel.manager).get(f"/programs/calls/{panel.call.pk}/assignments/").content.decode()
    assert "declared a conflict: Former adviser" in assigned


def test_a_reviewer_sees_no_page_of_what_is_not_assigned_to_them():
    panel = make_panel(startups=2, reviewers=2)
    reviews.assign_reviewers(
        Actor(panel.manager), panel.call, None, [(panel.applications[0], panel.reviewers[0])]
    )
    reviewer = client_for(panel.reviewers[0])
    assert reviewer.get(panel.applications[1].get_absolute_url()).status_code == 404
    assert reviewer.get(f"/organizations/{panel.startups[0].pk}/").status_code == 404
    assert reviewer.get(f"/programs/calls/{panel.call.pk}/assignments/").status_code == 403
    call_page = reviewer.get(panel.call.get_absolute_url()).content.decode()
    assert "Stealth Startup 1" not in call_page
    other = client_for(panel.reviewers[1])
    assert other.get(panel.applications[0].get_absolute_url()).status_code == 404
    assert "Stealth" not in other.get("/programs/applications/").content.decode()


def test_a_blind_review_hides_the_name_on_every_page_the_reviewer_reads():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dari.programs import services

    panel = make_panel(startups=1, reviewers=1)
    # A pitch deck (not an identifying question) whose file name gives the startup away.
    application = panel.applications[0]
    application.status = "draft"
    application.save(update_fields=["status"])
    member = UserFactory()
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, panel.startups[0])
    deck = SimpleUploadedFile(
        "Stealth Startup deck.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
    )
    services.attach_file(Actor(member), application, "deck", deck)
    Application.objects.filter(pk=application.pk).update(status="submitted")
    phase = ReviewPhase.objects.create(call=panel.call, position=1, name_en="Panel", blind_review=True)
    (review,) = reviews.assign_reviewers(
        Actor(panel.manager), panel.call, phase, [(panel.applications[0], panel.reviewers[0])]
    )
    reviewer = client_for(panel.reviewers[0])
    pages = [
        "/programs/reviews/",
        review.get_absolute_url(),
        panel.applications[0].get_absolute_url(),
        "/programs/applications/",
        panel.call.get_absolute_url(),
        "/notifications/",
    ]
    for url in pages:
        page = reviewer.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert "Stealth Startup" not in text and "stealth.example" not in text, url
    assert (
        f"Applicant #{panel.applications[0].pk}" in reviewer.get(review.get_absolute_url()).content.decode()
    )
    managed = client_for(panel.manager).get(review.get_absolute_url()).content.decode()
    assert "Stealth Startup 0" in managed


def queries_for(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_reviewers_lists_take_as_many_queries_for_many_reviews_as_for_few():
    panel = make_panel(startups=6, reviewers=1)
    reviewer = panel.reviewers[0]
    reviews.assign_reviewers(Actor(panel.manager), panel.call, None, [(panel.applications[0], reviewer)])
    client = client_for(reviewer)
    few = {path: queries_for(client, path) for path in ("/programs/reviews/", "/api/v1/reviews")}
    pairs = [(application, reviewer) for application in panel.applications[1:]]
    reviews.assign_reviewers(Actor(panel.manager), panel.call, None, pairs)
    many = {path: queries_for(client, path) for path in few}
    assert many == few
    assert "/programs/reviews/" in client.get("/programs/applications/").content.decode()
