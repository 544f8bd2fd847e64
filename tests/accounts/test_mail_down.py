"""A mail server that is down: an invitation, a registration and its decision, a new verification link
all succeed; their e-mails wait in the outbox and leave once, in both languages, when the server is
back and the periodic runner runs; a rolled-back change mails nobody."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from dari.accounts.audit import Actor
from dari.accounts.mail import SEPARATOR, render_in_both_languages
from dari.accounts.models import Invitation, RegistrationRequest, Role, User
from dari.accounts.services import delete_account, invite
from dari.jobs.periodic import periodic_tasks, run_due
from dari.notifications.models import OutgoingEmail
from dari.notifications.services import retry_delay

from ..factories import UserFactory
from .mailbox import only_link, sent_to

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()
PASSWORD = "kelp-forest-nineteen"


def server_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def run_the_outbox(now) -> str:
    """The periodic runner, with only its e-mail task, as ``dari run_periodic`` runs it."""
    [task] = [task for task in periodic_tasks() if task.name == "waiting-e-mails"]
    [outcome] = run_due(now, [task])
    assert outcome.ran and outcome.succeeded, outcome
    return outcome.summary


def invite_on_the_page(client, startup, email, capture):
    with capture(execute=True):
        return client.post(
            "/accounts/invitations/new/",
            {
                "email": email,
                "role": Role.ORGANIZATION_MEMBER,
                "scope": f"registry.organization:{startup.pk}",
            },
        )


def test_an_invitation_succeeds_and_its_email_is_sent_once_when_the_server_is_back(
    client, org_admin, startup, mail_server_down, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    client.cookies["django_language"] = "en"

    response = invite_on_the_page(client, startup, "new@example.com", django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == "/accounts/invitations/new/"
    invitation = Invitation.objects.get(email="new@example.com")
    waiting = OutgoingEmail.objects.get()
    assert (waiting.kind, waiting.to, waiting.recipient) == ("accounts.invitation", ["new@example.com"], None)
    assert waiting.attempts == 1 and waiting.sent_at is None and waiting.holds_secret
    assert waiting.last_error == "ConnectionRefusedError"  # the class only, never the host
    assert mail.outbox == []
    assert "new@example.com" in client.get("/accounts/invitations/new/").content.decode()  # listed as pending

    server_back(mail_server_down)
    later = timezone.now() + retry_delay(1)
    assert run_the_outbox(later) == "1 e-mail(s) sent, 0 waiting"
    assert run_the_outbox(later + timedelta(hours=3)) == "0 e-mail(s) sent, 0 waiting"

    [message] = mail.outbox
    assert message.to == ["new@example.com"]
    assert message.subject == "다리(Dari) 초대 / Invitation to Dari"
    korean, english = message.body.split(SEPARATOR)
    assert "org-admin invites you to Dari as organization member of Ulsan Startup." in english
    assert "Open this link to accept:" not in korean and "Open this link to accept:" in english
    waiting.refresh_from_db()
    assert waiting.sent_at is not None and waiting.attempts == 2
    assert waiting.body == ""  # it carried the token: gone from the database once sent
    link = only_link(message, "/accounts/invitations/")
    assert invitation.token_hash not in link
    page = client.__class__().get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert "Create your account for new@example.com." in page.content.decode()


def test_registration_its_decision_and_a_new_link_succeed_and_wait_for_the_server(
    client, staff_user, mail_server_down, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/register/",
            {
                "username": "founder",
                "email": "founder@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "language": "en",
                "time_zone": "Asia/Seoul",
                "kind": "new_organization",
                "name_en": "BioLab",
            },
        )
    assert response.status_code == 302, response.content.decode()
    founder = User.objects.get(username="founder")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/verify-email/send/").status_code == 302
    staff = client.__class__()
    staff.force_login(staff_user)
    registration = RegistrationRequest.objects.get(user=founder)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/accounts/registrations/{registration.pk}/approve/", {})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationRequest.Status.APPROVED

    waiting = OutgoingEmail.objects.order_by("pk")
    assert [(email.kind, email.recipient_id, email.attempts) for email in waiting] == [
        ("accounts.verify_email", founder.pk, 1),
        ("accounts.verify_email", founder.pk, 1),
        ("accounts.registration_decided", founder.pk, 1),
    ]
    assert mail.outbox == []

    server_back(mail_server_down)
    later = timezone.now() + retry_delay(1)
    assert run_the_outbox(later) == "3 e-mail(s) sent, 0 waiting"
    assert run_the_outbox(later + timedelta(hours=3)) == "0 e-mail(s) sent, 0 waiting"
    messages = sent_to("founder@example.com")
    assert len(messages) == len(mail.outbox) == 3
    # The text as it always was: each part in Korean, then in English.
    decided = messages[2]
    assert decided.body.count(SEPARATOR) == 1 and decided.body.endswith("\n")
    assert " / " in decided.subject
    verify = client.get(only_link(messages[1], "/accounts/verify-email/"))
    assert verify.status_code == 200
    founder.refresh_from_db()
    assert founder.email_verified_at is not None


def test_the_text_is_the_same_as_when_it_was_sent_at_once(client, django_capture_on_commit_callbacks):
    from django.conf import settings
    from django.urls import reverse

    from dari.accounts.services.profile import send_verification_email

    user = UserFactory(username="ana", email="ana@example.com")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_verification_email(user)

    [message] = mail.outbox
    path = only_link(message, "/accounts/verify-email/")
    context = {
        "site_url": settings.SITE_URL,
        "user": user,
        "verify_url": f"{settings.SITE_URL}{path}",
        "max_age_days": settings.EMAIL_VERIFICATION_MAX_AGE.days,
    }
    subject = " / ".join(render_in_both_languages("accounts/email/verify_email_subject.txt", context))
    body = SEPARATOR.join(render_in_both_languages("accounts/email/verify_email_body.txt", context))
    assert message.subject == " ".join(subject.split())
    assert message.body == body + "\n"
    assert message.to == ["ana@example.com"] and message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.extra_headers == {}
    assert path.startswith(reverse("accounts:verify-email", args=["x"]).rsplit("x", 1)[0])
    assert OutgoingEmail.objects.get().attempts == 1  # left at once, kept as sent


def test_a_rolled_back_invitation_mails_nobody(org_admin, startup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            invite(Actor(org_admin), "new@example.com", Role.ORGANIZATION_MEMBER, startup)
            raise RuntimeError("the change failed after the invitation")

    assert not Invitation.objects.exists() and not OutgoingEmail.objects.exists()
    assert run_the_outbox(timezone.now() + timedelta(hours=3)) == "0 e-mail(s) sent, 0 waiting"
    assert mail.outbox == []


def test_deleting_an_account_deletes_its_waiting_account_emails(
    org_admin, startup, mail_server_down, django_capture_on_commit_callbacks
):
    from dari.accounts.services.profile import send_verification_email

    ana = UserFactory(username="ana", email="ana@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        send_verification_email(ana)
        invite(Actor(org_admin), "ANA@example.com", Role.ORGANIZATION_MEMBER, startup)
        invite(Actor(org_admin), "someone@example.com", Role.ORGANIZATION_MEMBER, startup)
    assert OutgoingEmail.objects.filter(recipient=ana).count() == 2  # the invitation to her address too

    delete_account(Actor(ana), ana)

    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [["someone@example.com"]]


def test_the_outbox_is_read_only_in_the_admin(
    client, superuser, org_admin, startup, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(Actor(org_admin), "new@example.com", Role.ORGANIZATION_MEMBER, startup)
    email = OutgoingEmail.objects.get()
    client.force_login(superuser)

    changelist = client.get("/admin/notifications/outgoingemail/")
    change = client.get(f"/admin/notifications/outgoingemail/{email.pk}/change/")

    assert changelist.status_code == 200 and "new@example.com" in changelist.content.decode()
    assert change.status_code == 200 and "ConnectionRefusedError" in change.content.decode()
    assert "/accounts/invitations/" not in change.content.decode()  # not the text with its token
    assert client.get("/admin/notifications/outgoingemail/add/").status_code == 403
    assert client.post(f"/admin/notifications/outgoingemail/{email.pk}/change/", {}).status_code == 403
