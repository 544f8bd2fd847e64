"""Meeting requests move from matching to partnering (matching 0005, partnering 0001 and 0002):
the rows stay in their table, and what pointed at their content type stays attached."""

import pytest
from django.contrib.contenttypes.models import ContentType

from dari.accounts.models import AuditEntry
from dari.notifications.models import Notification
from dari.partnering.models import MeetingRequest

from ..helpers import latest_migrations, migrate_to

BEFORE = [("matching", "0004_dates_within_bounds"), ("partnering", None)]



@pytest.mark.django_db(transaction=True)
def test_meeting_requests_and_what_points_at_them_survive_the_move_to_partnering():
    try:
        old = migrate_to(BEFORE)
        assert "partnering" not in {model._meta.app_label for model in old.get_models()}
        User = old.get_model("accounts", "User")
        Organization = old.get_model("registry", "Organization")
        Request = old.get_model("matching", "MeetingRequest")
        Entry = old.get_model("accounts", "AuditEntry")
        Notice = old.get_model("notifications", "Notification")
        Type = old.get_model("contenttypes", "ContentType")
        # An upgraded database has matching's content type, and none yet for partnering (Django
        # creates content types after migrating).
        Type.objects.filter(app_label="partnering").delete()
        request_type, _created = Type.objects.get_or_create(app_label="matching", model="meetingrequest")
        startup = Organization.objects.create(key="startup", kind="startup", name_en="Startup")
        clinic = Organization.objects.create(key="clinic", kind="hospital", name_en="Clinic")
        fund = Organization.objects.create(key="fund", kind="investor", name_en="Fund")
        user = User.objects.create(username="requester")
        answered = Request.objects.create(
            requested_by=user, subject=startup, candidate=clinic, message="Shall we meet?", status="declined"
        )
        Request.objects.filter(pk=answered.pk).update(reply="Not now", answered_by=user)
        open_one = Request.objects.create(requested_by=user, subject=startup, candidate=fund)
        entry = Entry.objects.create(
            action="matching.meeting_request.declined",
            object_type=request_type,
            object_id=answered.pk,
            changes={"status": ["open", "declined"]},
        )
        notice = Notice.objects.create(
            recipient=user,
            kind="matching.meeting_answered",
            title_en="Clinic declined your meeting request",
            subject_type=request_type,
            subject_id=answered.pk,
        )

        migrate_to(latest_migrations())
        ContentType.objects.clear_cache()

        rows = MeetingRequest.objects.order_by("pk")
        assert [(row.pk, row.subject.key, row.candidate.key, row.status) for row in rows] == [
            (answered.pk, "startup", "clinic", "declined"),
            (open_one.pk, "startup", "fund", "open"),
        ]
        declined = rows[0]
        assert (declined.message, declined.reply, declined.answered_by.username) == (
            "Shall we meet?",
            "Not now",
            "requester",
        )
        moved_type = ContentType.objects.get_for_model(MeetingRequest)
        assert (moved_type.pk, moved_type.app_label) == (request_type.pk, "partnering")
        assert not ContentType.objects.filter(app_label="matching", model="meetingrequest").exists()
        assert AuditEntry.objects.get(pk=entry.pk).object_type == moved_type
        assert Notification.objects.get(pk=notice.pk).subject_type == moved_type
    finally:
        migrate_to(latest_migrations())
        ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_requests_made_before_events_stay_requests_outside_any_event():
    """partnering 0003: the requests made from suggestions keep their rows and states, at no event,
    of normal priority, with no interest said on either side; the one-open-request rule still holds
    for them."""
    try:
        old = migrate_to([("partnering", "0002_meeting_request_content_type")])
        User = old.get_model("accounts", "User")
        Organization = old.get_model("registry", "Organization")
        Request = old.get_model("partnering", "MeetingRequest")
        user = User.objects.create(username="requester")
        startup = Organization.objects.create(key="startup", kind="startup", name_en="Startup")
        fund = Organization.objects.create(key="fund", kind="investor", name_en="Fund")
        made = Request.objects.create(requested_by=user, subject=startup, candidate=fund, message="Hello")

        migrate_to(latest_migrations())

        request = MeetingRequest.objects.get()
        assert (request.pk, request.status, request.message, request.event) == (
            made.pk,
            "open",
            "Hello",
            None,
        )
        assert (request.priority, request.requester_preference, request.candidate_preference) == (2, "", "")
        assert list(request.delegates.all()) == []
        assert list(MeetingRequest.objects.live(request.subject, request.candidate)) == [request]
    finally:
        migrate_to(latest_migrations())
