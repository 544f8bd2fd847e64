"""A blind reviewer and the application's files: the file answering an identifying question is
withheld everywhere (no link on the page, 404 by its ``/files/<id>/`` address and in the API, as for
any file one may not see); the other files are served without their original names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs import reviews, services
from dari.programs.models import Application, ReviewPhase

from ..factories import UserFactory
from .reviewing import IDENTIFYING_FORM, make_panel

pytestmark = pytest.mark.django_db

# The team's CVs name the founders: an identifying question, hidden in a blind review.
CV_QUESTION = {
    "key": "cv",
    "kind": "file",
    "required": False,
    "label_ko": "대표자 이력서",
    "label_en": "Founders' CVs",
    "identifying": True,
}


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def panel_with_files(*, blind: bool):
    """One application with a pitch deck and the founders' CVs, reviewed by ``reviewers[0]`` in a
    phase that is blind or not."""
    panel = make_panel(startups=1, reviewers=1)
    panel.call.form = [*IDENTIFYING_FORM, CV_QUESTION]
    panel.call.save(update_fields=["form"])
    application = panel.applications[0]
    Application.objects.filter(pk=application.pk).update(status="draft")
    application.refresh_from_db()
    member = UserFactory()
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, panel.startups[0])
    services.attach_file(Actor(member), application, "deck", pdf("Stealth Startup deck.pdf"))
    # A CV replaced by a newer one: the older file, named by no answer, is withheld too.
    services.attach_file(Actor(member), application, "cv", pdf("Kim Stealth CV draft.pdf"))
    application = services.attach_file(Actor(member), application, "cv", pdf("Kim Stealth CV.pdf"))
    Application.objects.filter(pk=application.pk).update(status="submitted")
    phase = ReviewPhase.objects.create(call=panel.call, position=1, name_en="Panel", blind_review=blind)
    (review,) = reviews.assign_reviewers(
        Actor(panel.manager), panel.call, phase, [(application, panel.reviewers[0])]
    )
    return panel, application, review


def files_of(application):
    from dari.files.models import StoredFile

    return {stored.original_filename: stored for stored in StoredFile.objects.owned_by(application)}


def test_a_blind_reviewer_cannot_fetch_an_identifying_answers_file(api_client):
    panel, application, review = panel_with_files(blind=True)
    files = files_of(application)
    reviewer = client_for(panel.reviewers[0])
    for name in ("Kim Stealth CV.pdf", "Kim Stealth CV draft.pdf"):
        url = files[name].get_absolute_url()
        assert reviewer.get(url).status_code == 404
        assert api_client(panel.reviewers[0]).get(f"/api/v1/files/{files[name].pk}").status_code == 404
        for page in (review.get_absolute_url(), application.get_absolute_url()):
            assert url not in reviewer.get(page).content.decode()


def test_a_blind_reviewer_gets_the_other_files_without_their_names(api_client):
    panel, application, review = panel_with_files(blind=True)
    deck = files_of(application)["Stealth Startup deck.pdf"]
    reviewer = client_for(panel.reviewers[0])
    page = reviewer.get(review.get_absolute_url()).content.decode()
    assert deck.get_absolute_url() in page and "Stealth" not in page
    download = reviewer.get(deck.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="attachment.pdf"'
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    metadata = api_client(panel.reviewers[0]).get(f"/api/v1/files/{deck.pk}")
    assert metadata.status_code == 200 and metadata.json()["filename"] == "attachment.pdf"
    assert "Stealth" not in metadata.content.decode()


def test_the_manager_and_a_reviewer_not_in_a_blind_phase_get_every_file_by_its_name(api_client):
    panel, application, review = panel_with_files(blind=False)
    cv = files_of(application)["Kim Stealth CV.pdf"]
    for user in (panel.manager, panel.reviewers[0]):
        download = client_for(user).get(cv.get_absolute_url())
        assert download.status_code == 200
        assert 'filename="Kim Stealth CV.pdf"' in download["Content-Disposition"]
        assert api_client(user).get(f"/api/v1/files/{cv.pk}").json()["filename"] == "Kim Stealth CV.pdf"


def test_in_a_blind_phase_the_manager_still_gets_the_identifying_file_by_its_name():
    panel, application, review = panel_with_files(blind=True)
    cv = files_of(application)["Kim Stealth CV.pdf"]
    download = client_for(panel.manager).get(cv.get_absolute_url())
    assert download.status_code == 200 and 'filename="Kim Stealth CV.pdf"' in download["Content-Disposition"]
