"""Meeting requests from suggestions: the link, the form, the API, the scoping, the withdrawal."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry, Role
from dari.accounts.services import grant_membership
from dari.notifications.models import Notification
from dari.partnering.models import MeetingRequest

from ..factories import ParticipantFactory, ProgramFactory, UserFactory
from ..helpers import get_json

pytestmark = pytest.mark.django_db


def test_each_suggestion_links_to_a_meeting_request_and_shows_when_one_is_open(world, client):
    client.force_login(world["member"])
    suggestions = f"/organizations/{world['startup'].pk}/suggestions/"
    link = f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/"
    assert link in client.get(suggestions, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    form = client.get(link, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "미팅 요청" in form and "Harbor Endocrine Clinics" in form
    response = client.post(link, {"message": "Glandy 임상 협력을 논의하고 싶습니다."})

    assert response.status_code == 302 and response["Location"] == suggestions
    request = MeetingRequest.objects.get()
    assert (request.subject, request.candidate, request.requested_by) == (
        world["startup"],
        world["fit"],
        world["member"],
    )
    assert request.status == "open" and request.message.startswith("Glandy")
    assert AuditEntry.objects.filter(action="matching.meeting_request.created").count() == 1
    page = client.get(suggestions, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Meeting requested" in page
    again = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "already requested" in again


def test_a_second_open_request_and_a_too_long_message_are_refused(world, client):
    client.force_login(world["member"])
    link = f"/organizations/{world['startup'].pk}/suggestions/{world['fund'].pk}/meeting/"
    too_long = client.post(link, {"message": "x" * 2001}, HTTP_ACCEPT_LANGUAGE="en")
    assert too_long.status_code == 200 and not MeetingRequest.objects.exists()
    client.post(link, {"message": ""})
    refused = client.post(link, {"message": "again"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "already requested" in refused.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_outsiders_cannot_request_meetings_or_see_requests(world, client, api_client):
    client.force_login(world["member"])
    client.post(f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/", {})
    request = MeetingRequest.objects.get()

    client.force_login(world["outsider"])
    # The private startup is invisible (404); a public partner's suggestions are not theirs (403).
    assert (
        client.post(
            f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/"
        ).status_code
        == 404
    )
    assert (
        client.post(f"/organizations/{world['fund'].pk}/suggestions/{world['fit'].pk}/meeting/").status_code
        == 403
    )
    # Nor can a member reach a private candidate they do not see.
    client.force_login(world["member"])
    hidden = f"/organizations/{world['startup'].pk}/suggestions/{world['hidden'].pk}/meeting/"
    assert client.post(hidden, {}).status_code == 404
    assert MeetingRequest.objects.count() == 1

    outsider = api_client(world["outsider"])
    assert get_json(outsider, "/api/v1/meeting-requests")["count"] == 0
    assert outsider.post(f"/api/v1/meeting-requests/{request.pk}/withdraw").status_code == 404
    client.force_login(world["outsider"])
    assert "Harbor Endocrine" not in client.get("/meeting-requests/").content.decode()
    assert client.post(f"/meeting-requests/{request.pk}/withdraw/").status_code == 404
    assert MeetingRequest.objects.get().status == "open"


def test_meeting_requests_through_the_api(world, api_client):
    client = api_client(world["member"])
    url = f"/api/v1/organizations/{world['startup'].pk}/meeting-requests"
    created = client.post(
        url, {"candidate_id": world["fit"].pk, "message": "hello"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["candidate_id"] == world["fit"].pk and body["status"] == "open"
    assert body["requested_by"] == "startup-member" and body["created_at"].endswith("+00:00")
    duplicate = client.post(url, {"candidate_id": world["fit"].pk}, content_type="application/json")
    assert duplicate.status_code == 422
    itself = client.post(url, {"candidate_id": world["startup"].pk}, content_type="application/json")
    assert itself.status_code == 422
    unknown = client.post(url, {"candidate_id": 10**6}, content_type="application/json")
    assert unknown.status_code == 404
    long = client.post(
        url, {"candidate_id": world["fund"].pk, "message": "x" * 2001}, content_type="application/json"
    )
    assert long.status_code == 422

    listed = get_json(client, "/api/v1/meeting-requests?status=open")
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert client.get("/api/v1/meeting-requests?status=maybe").status_code == 422

    # Another user of no organization can neither see nor withdraw it; the requester can.
    stranger = api_client(UserFactory(username="stranger"))
    assert stranger.post(f"/api/v1/meeting-requests/{body['id']}/withdraw").status_code == 404
    withdrawn = client.post(f"/api/v1/meeting-requests/{body['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/meeting-requests/{body['id']}/withdraw").status_code == 422
    # Withdrawn, the pair may be asked again.
    assert (
        client.post(url, {"candidate_id": world["fit"].pk}, content_type="application/json").status_code
        == 201
    )


def test_the_list_page_shows_requests_with_their_zone_and_withdraws(world, client):
    client.force_login(world["member"])
    client.post(
        f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/", {"message": "hi"}
    )
    page = client.get("/meeting-requests/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Harbor Endocrine Clinics" in page and "Withdraw" in page
    # Times in the viewer's zone first (the member's is Seoul), then San Diego's; never UTC.
    assert " KST</time>" in page and (" PDT</span>" in page or " PST</span>" in page)
    assert "UTC" not in page
    request = MeetingRequest.objects.get()
    assert client.post(f"/meeting-requests/{request.pk}/withdraw/").status_code == 302
    assert MeetingRequest.objects.get().status == "withdrawn"
    assert "Withdraw</button>" not in client.get("/meeting-requests/?status=withdrawn").content.decode()


def test_managers_of_the_subjects_program_see_and_withdraw_its_requests(world, client, api_client):
    client.force_login(world["member"])
    client.post(f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/", {})
    request = MeetingRequest.objects.get()
    program, elsewhere = ProgramFactory(), ProgramFactory()
    ParticipantFactory(program=program, organization=world["startup"])
    manager, other = UserFactory(username="pm"), UserFactory(username="other-pm")
    grant_membership(Actor.system(), manager, Role.PROGRAM_MANAGER, program)
    grant_membership(Actor.system(), other, Role.PROGRAM_MANAGER, elsewhere)

    outsider_manager = api_client(other)
    assert get_json(outsider_manager, "/api/v1/meeting-requests")["items"] == []
    assert outsider_manager.post(f"/api/v1/meeting-requests/{request.pk}/withdraw").status_code == 404

    manager_client = api_client(manager)
    assert [found["id"] for found in get_json(manager_client, "/api/v1/meeting-requests")["items"]] == [
        request.pk
    ]
    assert manager_client.post(f"/api/v1/meeting-requests/{request.pk}/withdraw").status_code == 200
    assert MeetingRequest.objects.get().status == "withdrawn"


def test_the_requested_organizations_members_are_notified_in_both_languages(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    clinician = UserFactory(username="clinician", email="clinician@example.org", language="en")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    client.force_login(world["member"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/",
            {"message": "Glandy 임상 협력을 논의하고 싶습니다."},
        )

    notice = Notification.objects.get()
    assert notice.recipient == clinician and notice.kind == "matching.meeting_requested"
    assert notice.title_en == "Meeting request from Glandscope"
    assert notice.title_ko == "글랜드스코프의 미팅 요청"
    assert "would like to meet Harbor Endocrine Clinics" in notice.body_en
    assert "미팅을 요청했습니다" in notice.body_ko and "Glandy 임상 협력" in notice.body_ko
    assert notice.link == "/meeting-requests/"
    assert [message.to for message in mailoutbox] == [["clinician@example.org"]]
    # The clinician sees the request they were told about.
    client.force_login(clinician)
    assert "Glandscope" in client.get("/meeting-requests/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_mail_server_that_refuses_does_not_fail_the_request_or_the_other_notices(
    world, client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from smtplib import SMTPRecipientsRefused

    from django.core.mail import EmailMessage

    first = UserFactory(username="a-clinician", email="refused@example.org")
    second = UserFactory(username="b-clinician", email="second@example.org")
    for member in (first, second):
        grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, world["fit"])
    send = EmailMessage.send

    def refusing(message, *args, **kwargs):
        if message.to == ["refused@example.org"]:
            raise SMTPRecipientsRefused({"refused@example.org": (550, b"no such user")})
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refusing)
    client.force_login(world["member"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/", {}
        )

    assert response.status_code == 302 and MeetingRequest.objects.count() == 1
    assert Notification.objects.filter(recipient__in=[first, second]).count() == 2
    assert [message.to for message in mailoutbox] == [["second@example.org"]]


def test_notice_titles_are_plain_text_not_html(world, client):
    clinician = UserFactory(username="clinician")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    world["startup"].name_en = "Glands & <Co>"
    world["startup"].save()
    client.force_login(world["member"])
    client.post(f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/", {})

    assert Notification.objects.get().title_en == "Meeting request from Glands & <Co>"
    client.force_login(clinician)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Glands &amp; &lt;Co&gt;" in page and "<Co>" not in page  # escaped once, where shown


JSON = "application/json"


def _requested(world, client, message="Glandy 임상 협력을 논의하고 싶습니다."):
    client.force_login(world["member"])
    client.post(
        f"/organizations/{world['startup'].pk}/suggestions/{world['fit'].pk}/meeting/", {"message": message}
    )
    return MeetingRequest.objects.get()


def test_the_requested_organization_accepts_on_the_page_and_the_requesting_side_is_told(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    world["member"].email, world["member"].language = "member@example.org", "ko"
    world["member"].save()
    request = _requested(world, client)
    clinician = UserFactory(username="clinician", time_zone="America/Los_Angeles")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    # The requesting side sees no answer buttons; the requested side does.
    assert 'value="accept"' not in client.get("/meeting-requests/").content.decode()
    client.force_login(clinician)
    page = client.get("/meeting-requests/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="accept"' in page and 'value="decline"' in page and "Withdraw</button>" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/meeting-requests/{request.pk}/answer/", {"decision": "accept", "reply": "Happy to meet."}
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reply, request.answered_by) == ("accepted", "Happy to meet.", clinician)
    assert request.answered_at is not None
    assert AuditEntry.objects.filter(action="matching.meeting_request.accepted").count() == 1
    notice = Notification.objects.get(kind="matching.meeting_answered")
    assert notice.recipient == world["member"]
    assert notice.title_en == "Harbor Endocrine Clinics accepted your meeting request"
    assert "미팅 요청을 수락했습니다" in notice.title_ko and "Happy to meet." in notice.body_ko
    assert [message.to for message in mailoutbox] == [["member@example.org"]]
    assert "수락" in mailoutbox[0].subject
    answered = client.get("/meeting-requests/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "accepted" in answered and "Happy to meet." in answered and 'value="accept"' not in answered
    # Answered once: a second answer is refused with a message, and the answer stays.
    client.post(f"/meeting-requests/{request.pk}/answer/", {"decision": "decline"})
    request.refresh_from_db()
    assert request.status == "accepted"


def test_only_the_requested_side_answers_and_only_open_requests(world, client, api_client):
    request = _requested(world, client)
    # The requester sees the request but may not answer it for the other side (403), in either way.
    assert client.post(f"/meeting-requests/{request.pk}/answer/", {"decision": "accept"}).status_code == 403
    requester = api_client(world["member"])
    assert (
        requester.post(f"/api/v1/meeting-requests/{request.pk}/accept", content_type=JSON).status_code == 403
    )
    # Someone who cannot see it gets 404; a bad decision is refused without a change.
    assert (
        api_client(world["outsider"])
        .post(f"/api/v1/meeting-requests/{request.pk}/decline", content_type=JSON)
        .status_code
        == 404
    )
    clinician = UserFactory(username="clinician")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    client.force_login(clinician)
    assert client.post(f"/meeting-requests/{request.pk}/answer/", {"decision": "maybe"}).status_code == 302
    too_long = api_client(clinician).post(
        f"/api/v1/meeting-requests/{request.pk}/decline",
        {"reply": "x" * 2001},
        content_type=JSON,
    )
    assert too_long.status_code == 422
    request.refresh_from_db()
    assert request.status == "open" and request.answered_by is None

    declined = api_client(clinician).post(
        f"/api/v1/meeting-requests/{request.pk}/decline",
        {"reply": "Not this year."},
        content_type=JSON,
    )
    assert declined.status_code == 200, declined.content
    body = declined.json()
    assert (body["status"], body["reply"], body["answered_by"]) == ("declined", "Not this year.", "clinician")
    assert body["answered_at"].endswith("+00:00")
    # Declined: neither side may answer or withdraw it again.
    assert (
        api_client(clinician)
        .post(f"/api/v1/meeting-requests/{request.pk}/accept", content_type=JSON)
        .status_code
        == 422
    )
    assert requester.post(f"/api/v1/meeting-requests/{request.pk}/withdraw").status_code == 422
    listed = get_json(requester, "/api/v1/meeting-requests?status=declined")
    assert [item["reply"] for item in listed["items"]] == ["Not this year."]


def test_a_withdrawn_request_cannot_be_accepted(world, client, api_client):
    request = _requested(world, client)
    client.post(f"/meeting-requests/{request.pk}/withdraw/")
    clinician = UserFactory(username="clinician")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    assert (
        api_client(clinician)
        .post(f"/api/v1/meeting-requests/{request.pk}/accept", content_type=JSON)
        .status_code
        == 422
    )
    assert MeetingRequest.objects.get().status == "withdrawn"


def test_an_accepted_meeting_cannot_be_requested_again_but_a_declined_one_can(world, client, api_client):
    request = _requested(world, client)
    clinician = UserFactory(username="clinician")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    answering = api_client(clinician)
    assert (
        answering.post(f"/api/v1/meeting-requests/{request.pk}/accept", content_type=JSON).status_code == 200
    )
    url = f"/api/v1/organizations/{world['startup'].pk}/meeting-requests"
    requester = api_client(world["member"])
    again = requester.post(url, {"candidate_id": world["fit"].pk}, content_type=JSON)
    assert again.status_code == 422  # the meeting is to be arranged, not asked for twice
    page = client.get(f"/organizations/{world['startup'].pk}/suggestions/", HTTP_ACCEPT_LANGUAGE="en")
    assert f"/suggestions/{world['fit'].pk}/meeting/" not in page.content.decode()

    MeetingRequest.objects.filter(pk=request.pk).update(status="declined")
    assert requester.post(url, {"candidate_id": world["fit"].pk}, content_type=JSON).status_code == 201


def test_an_answer_is_audited_with_its_request_and_a_long_reply_is_explained(world, client, api_client):
    request = _requested(world, client)
    clinician = UserFactory(username="clinician")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    answering = api_client(clinician)
    too_long = answering.post(
        f"/api/v1/meeting-requests/{request.pk}/decline",
        {"reply": "x" * 2001},
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert too_long.status_code == 422
    client.force_login(clinician)
    client.post(f"/meeting-requests/{request.pk}/answer/", {"decision": "decline", "reply": "x" * 2001})
    assert MeetingRequest.objects.get().status == "open"
    assert (
        answering.post(f"/api/v1/meeting-requests/{request.pk}/decline", content_type=JSON).status_code == 200
    )
    entry = AuditEntry.objects.get(action="matching.meeting_request.declined")
    assert entry.changes["request"] == [None, request.pk] and entry.changes["status"] == ["open", "declined"]
    page = client.get("/meeting-requests/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "거절됨" in page and "답변자: clinician" in page


def test_asking_and_withdrawing_cannot_mail_an_organization_without_end(world, api_client):
    """Security finding 11: each request-and-withdraw cycle e-mailed every member of the requested
    organization, with no limit. Withdrawn requests count towards the daily limit per organization."""
    clinician = UserFactory(username="clinician", email="clinician@harbor.invalid")
    grant_membership(Actor.system(), clinician, Role.ORGANIZATION_MEMBER, world["fit"])
    client = api_client(world["member"])
    client.cookies["django_language"] = "en"
    url = f"/api/v1/organizations/{world['startup'].pk}/meeting-requests"

    answers = []
    for _cycle in range(3):
        made = client.post(url, {"candidate_id": world["fit"].pk}, content_type="application/json")
        answers.append(made.status_code)
        if made.status_code == 201:
            client.post(f"/api/v1/meeting-requests/{made.json()['id']}/withdraw")

    assert answers == [201, 201, 422]
    assert "in the last 24 hours" in json.dumps(made.json())
    assert Notification.objects.filter(recipient=clinician, kind="matching.meeting_requested").count() == 2
    # Another organization may still be asked.
    other = client.post(url, {"candidate_id": world["fund"].pk}, content_type="application/json")
    assert other.status_code == 201


def test_a_user_makes_a_limited_number_of_meeting_requests_a_day(world, api_client, settings):
    settings.MEETING_REQUESTS_PER_DAY = 1
    client = api_client(world["member"])
    client.cookies["django_language"] = "en"
    url = f"/api/v1/organizations/{world['startup'].pk}/meeting-requests"

    first = client.post(url, {"candidate_id": world["fit"].pk}, content_type="application/json")
    second = client.post(url, {"candidate_id": world["fund"].pk}, content_type="application/json")
    MeetingRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    next_day = client.post(url, {"candidate_id": world["fund"].pk}, content_type="application/json")

    assert (first.status_code, second.status_code, next_day.status_code) == (201, 422, 201)
    assert "You have made 1 meeting request in the last 24 hours" in second.json()["detail"][0]["msg"]
