"""A meeting request's entries in its organization's history read as sentences."""

import pytest
from django.utils import translation

from dari.accounts.audit import Actor
from dari.accounts.history import history_for
from dari.partnering.services import request_meeting, set_meeting_request_status

from ..factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_request_and_its_answer_read_as_sentences(staff_user):
    startup = OrganizationFactory(key="startup", kind="startup")
    staff = Actor(staff_user)
    declined = request_meeting(staff, startup, OrganizationFactory(key="clinic", kind="hospital"))
    set_meeting_request_status(staff, declined, "declined")
    withdrawn = request_meeting(staff, startup, OrganizationFactory(key="fund", kind="investor"))
    set_meeting_request_status(staff, withdrawn, "withdrawn")
    accepted = request_meeting(staff, startup, OrganizationFactory(key="corporate", kind="corporate"))
    set_meeting_request_status(staff, accepted, "accepted")

    with translation.override("en"):
        summaries = sorted(item.summary for item in history_for(staff_user, startup))

    assert summaries == sorted(
        ["Meeting requested"] * 3
        + ["Meeting request declined", "Meeting request withdrawn", "Meeting request accepted"]
    )
