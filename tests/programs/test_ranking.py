"""The managers' ranking of a call (page, API, XLSX export): raw and normalized scores side by side
from the submitted reviews, the spread and the disagreement flag; for the program's managers and
staff only; the export names applicants only by number in a blind review; the queries do not grow
with the number of applications."""

from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs import reviews
from dari.programs.models import Review, ReviewPhase

from ..factories import UserFactory
from .reviewing import make_panel

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# (application, reviewer) -> scores on the 1-3 scale; reviewer-2 is lenient. Application 0 is
# the best; the reviewers of applications 1 and 2 disagree by two points (the whole scale).
SCORES = {
    (0, 0): {"team": 2, "market": 2},
    (0, 1): {"team": 3, "market": 3},
    (0, 2): {"team": 3, "market": 3},
    (1, 0): {"team": 1, "market": 1},
    (1, 1): {"team": 1, "market": 1},
    (1, 2): {"team": 3, "market": 3},
    (2, 0): {"team": 1, "market": 1},
    (2, 1): {"team": 2, "market": 1},
    (2, 2): {"team": 3, "market": 3},
}


def reviewed_panel(*, startups=3, phase=None, blind=False):
    """``startups`` applications, each reviewed and submitted by the three reviewers."""
    panel = make_panel(startups=startups, reviewers=3)
    if blind:
        phase = ReviewPhase.objects.create(call=panel.call, position=1, name_en="Panel", blind_review=True)
    pairs = [(application, reviewer) for application in panel.applications for reviewer in panel.reviewers]
    reviews.assign_reviewers(Actor(panel.manager), panel.call, phase, pairs)
    for review in Review.objects.filter(application__call=panel.call):
        number = panel.applications.index(review.application)
        reviewer = panel.reviewers.index(review.reviewer)
        review.scores = SCORES.get((number, reviewer), {"team": 2, "market": 2})
        review.status = Review.Status.SUBMITTED
        review.submitted_at = timezone.now()
        review.comment = f"Note by {review.reviewer.username}"
        review.save()
    return panel, phase


def test_the_manager_reads_raw_and_normalized_scores_side_by_side(api_client):
    panel, _ = reviewed_panel()
    body = api_client(panel.manager).get(f"/api/v1/calls/{panel.call.pk}/ranking").json()
    assert body["count"] == 3 and body["aggregate"] == "mean" and body["error"] == ""
    first, second, third = body["items"]
    assert [line["rank"] for line in body["items"]] == [1, 2, 3]
    assert first["application"]["id"] == panel.applications[0].pk
    assert first["application"]["startup"]["name_en"] == "Stealth Startup 0"
    assert first["raw"] == pytest.approx(8 / 3) and first["reviews"] == 3 and len(first["scores"]) == 3
    assert first["disagreement"] is False and first["normalized"] != first["raw"]
    # Application 1: 1, 1 and 3: the reviewers disagree by two points.
    line = next(line for line in body["items"] if line["application"]["id"] == panel.applications[1].pk)
    assert line["raw_range"] == 2 and line["disagreement"] is True
    assert {score["reviewer"] for score in line["scores"]} == {"reviewer-0", "reviewer-1", "reviewer-2"}
    page = client_for(panel.manager).get(f"/programs/calls/{panel.call.pk}/ranking/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Stealth Startup 0" in text and "strong disagreement" in text
    korean = client_for(panel.manager, "ko").get(f"/programs/calls/{panel.call.pk}/ranking/?aggregate=median")
    assert korean.status_code == 200 and 'lang="ko"' in korean.content.decode()


def test_a_draft_review_does_not_count():
    panel, _ = reviewed_panel()
    Review.objects.filter(application=panel.applications[0], reviewer=panel.reviewers[0]).update(
        status=Review.Status.ASSIGNED
    )
    from dari.programs.ranking import rank_call

    result = rank_call(panel.call, None)
    counts = {line.application.pk: line.figures.reviews for line in result.lines}
    assert counts[panel.applications[0].pk] == 2 and counts[panel.applications[1].pk] == 3


def test_only_managers_and_staff_see_the_ranking(api_client):
    panel, _ = reviewed_panel()
    member = UserFactory()
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, panel.startups[0])
    paths = [
        f"/api/v1/calls/{panel.call.pk}/ranking",
        f"/programs/calls/{panel.call.pk}/ranking/",
        f"/programs/calls/{panel.call.pk}/ranking.xlsx",
    ]
    for user in (panel.reviewers[0], member, panel.outsider):
        for path in paths:
            assert client_for(user).get(path).status_code in (403, 404), (user, path)
    assert api_client().get(paths[0]).status_code == 401


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(response.content))


def test_the_export_has_every_score_and_comment():
    panel, _ = reviewed_panel()
    book = workbook_of(client_for(panel.manager).get(f"/programs/calls/{panel.call.pk}/ranking.xlsx"))
    ranking, detail = book.worksheets
    rows = list(ranking.iter_rows(values_only=True))
    assert rows[0][:4] == ("Rank", "Application", "Applicant", "Reviews")
    assert rows[1][:4] == (1, panel.applications[0].pk, "Stealth Startup 0", 3)
    lines = list(detail.iter_rows(values_only=True))
    assert len(lines) == 1 + 9
    assert "Note by reviewer-0" in {line[-3] for line in lines}
    assert ("Team", "Market") == lines[0][4:6]


def test_a_blind_phase_stays_blind_in_the_export():
    panel, phase = reviewed_panel(blind=True)
    response = client_for(panel.manager).get(f"/programs/calls/{panel.call.pk}/ranking.xlsx?phase=1")
    book = workbook_of(response)
    cells = [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert not any("Stealth" in cell for cell in cells)
    assert f"Applicant #{panel.applications[0].pk}" in cells
    assert "reviewer-0" in cells  # the managers assigned the reviewers: they are named


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/calls/{call}/ranking",
        "/programs/calls/{call}/ranking/",
        "/programs/calls/{call}/ranking.xlsx",
    ],
)
def test_the_ranking_takes_as_many_queries_for_many_applications_as_for_few(path):
    few, _ = reviewed_panel(startups=2)
    many, _ = reviewed_panel(startups=8)
    counted = [
        queries_for(client_for(panel.manager), path.format(call=panel.call.pk)) for panel in (few, many)
    ]
    assert counted[0] == counted[1]
