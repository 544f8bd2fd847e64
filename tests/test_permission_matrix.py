"""The permission matrix: every page route and every API operation, for five personas.

A route missing from the table fails ``test_every_route_is_in_the_matrix``, so a new endpoint
cannot ship without its permission row. Each cell is the expected status; every request runs in a
savepoint that is rolled back, and for a denied write the database must be unchanged.

Personas: ``anonymous``; ``outsider`` (signed in, no membership); ``member`` (member of the private
startup ``S``); ``manager`` (manager of the public program ``P`` that ``S`` takes part in);
``staff`` (the partnership-wide staff role); ``reviewer`` (reviewer of ``P``, assigned to review
``S``'s application). The reviewer's column is the outsider's unless a row says otherwise: apart
from the applications assigned to them, a reviewer sees no more than someone with no role at all.

The rows of partnering events also give the two event personas (``EVENT_PERSONAS``, ``Row.more``):
``organizer`` (organizer of the private event ``event``) and ``delegate`` (member of ``public``, its
delegate at ``event``).

World: ``S`` is private, with a private person ``person`` affiliated to it, a relationship to the
public organization ``public``, and an investment outcome in ``P``. ``S`` and ``public`` are the
parties of the private agreement ``agreement``, with a cooperation area and an action item owned
by ``S``. Staff has invited someone to ``S`` and a pending registration claims ``public``.
``event`` (private, taking registrations) has a day of slots and a location; ``member`` is ``S``'s
delegate there (``delegate_member``), ``delegate`` is ``public``'s (``delegate_public``), and
``member`` has asked ``public`` for a meeting there (``event_request``). At ``past_event`` (private,
closed, also organized by ``organizer``) ``member`` and ``delegate`` met for ``S`` and ``public``
(``held_meeting``, 2024-01-17 10:00 PST), which nobody has reported on yet.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import create_api_token, grant_membership, invite, register
from dari.api import api
from dari.exchange.models import ImportRun
from dari.files.links import signed_file_token
from dari.files.services import store_generated
from dari.jobs.models import Job
from dari.notifications.models import Notification
from dari.notifications.services import unsubscribe_token
from dari.partnering.models import Event, Meeting, MeetingRequest
from dari.partnering.services import add_event_day, add_event_item, add_location, register_delegate
from dari.programs.models import Application, Call, Milestone, Review, ReviewPhase, ServiceDelivery
from dari.registry.models import Relationship
from dari.reports.models import Target

from .factories import (
    ActionItemFactory,
    AffiliationFactory,
    AgreementFactory,
    AgreementPartyFactory,
    CooperationAreaFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipantFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "outsider", "member", "manager", "staff")
#: Personas that only the rows of partnering events name (``Row.more``).
EVENT_PERSONAS = ("organizer", "delegate")
LOGIN = "login"  # a redirect to the sign-in page
# An invalid form re-renders with its errors (200); an id in an API body that the caller may not
# see is refused as invalid (422), so that the answer does not reveal that the object exists.
ANY = "any"  # the route answers, whatever the status (e.g. a form page), below 500


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # with {names} filled from the world
    expect: tuple  # one status per persona, in PERSONAS order
    body: dict | None = None
    json: bool = False
    more: dict | None = None  # statuses for personas beyond PERSONAS (the event personas)
    reviewer: object = None  # the reviewer's status; None: the same as the outsider's


def same(status) -> tuple:
    return (status,) * len(PERSONAS)


def event_personas(organizer, delegate) -> dict:
    return {"organizer": organizer, "delegate": delegate}


EV = "/events/{event}"
AEV = "/api/v1/events/{event}"


# ----------------------------------------------------------------------------------------------
# Pages: keyed by the URL pattern; statuses for anonymous, outsider, member, manager, staff.
# ----------------------------------------------------------------------------------------------
PAGES: dict[str, list[Row]] = {
    "": [Row("GET", "/", same(200))],
    "organizations/": [Row("GET", "/organizations/", same(200))],
    # An empty form sent by someone allowed shows its errors: 400 (``dari.core.forms.form_status``).
    "organizations/new/": [
        Row("GET", "/organizations/new/", (LOGIN, 403, 403, 200, 200)),
        Row("POST", "/organizations/new/", (LOGIN, 403, 403, 400, 400), body={}),
    ],
    "organizations/<int:pk>/": [Row("GET", "/organizations/{startup}/", (404, 404, 200, 200, 200))],
    "organizations/<int:pk>/edit/": [
        Row("GET", "/organizations/{startup}/edit/", (LOGIN, 404, 200, 403, 200)),
        Row("POST", "/organizations/{startup}/edit/", (LOGIN, 404, 400, 403, 400), body={}),
    ],
    "organizations/<int:pk>/merge/": [
        Row("GET", "/organizations/{startup}/merge/", (LOGIN, 404, 403, 403, 200)),
        Row("POST", "/organizations/{startup}/merge/", (LOGIN, 404, 403, 403, 400), body={}),
    ],
    "organizations/<int:pk>/affiliations/new/": [
        Row("GET", "/organizations/{startup}/affiliations/new/", (LOGIN, 404, 200, 403, 200)),
        Row("POST", "/organizations/{startup}/affiliations/new/", (LOGIN, 404, 400, 403, 400), body={}),
    ],
    "organizations/<int:pk>/relationships/new/": [
        Row("GET", "/organizations/{startup}/relationships/new/", (LOGIN, 404, 200, 403, 200)),
        Row("POST", "/organizations/{startup}/relationships/new/", (LOGIN, 404, 400, 403, 400), body={}),
    ],
    "organizations/affiliations/awaiting/": [
        Row("GET", "/organizations/affiliations/awaiting/", (LOGIN, 200, 200, 200, 200)),
    ],
    "organizations/affiliations/<int:pk>/confirm/": [
        # ``claim``: the public organization says that ``person`` (the member's own entry) works there.
        Row("POST", "/organizations/affiliations/{claim}/confirm/", (LOGIN, 404, 302, 404, 302), body={}),
    ],
    "organizations/affiliations/<int:pk>/edit/": [
        Row("GET", "/organizations/affiliations/{affiliation}/edit/", (LOGIN, 404, 200, 404, 200)),
    ],
    "organizations/affiliations/<int:pk>/remove/": [
        Row(
            "POST", "/organizations/affiliations/{affiliation}/remove/", (LOGIN, 404, 302, 404, 302), body={}
        ),
    ],
    "organizations/relationships/<int:pk>/remove/": [
        Row(
            "POST",
            "/organizations/relationships/{relationship}/remove/",
            (LOGIN, 404, 302, 403, 302),
            body={},
        ),
    ],
    "organizations/people/new/": [
        Row("GET", "/organizations/people/new/?organization={startup}", (LOGIN, 403, 200, 403, 200)),
    ],
    "organizations/people/<int:pk>/": [
        Row("GET", "/organizations/people/{person}/", (404, 404, 200, 404, 200))
    ],
    "organizations/people/<int:pk>/edit/": [
        Row("GET", "/organizations/people/{person}/edit/", (LOGIN, 404, 200, 404, 200)),
    ],
    # Consent to the public listing: the person themselves (``person`` is linked to ``member``) and staff.
    "organizations/people/<int:pk>/listing-consent/": [
        Row("POST", "/organizations/people/{person}/listing-consent/", (LOGIN, 404, 302, 404, 302), body={}),
    ],
    "organizations/people/<int:pk>/listing-consent/withdraw/": [
        Row(
            "POST",
            "/organizations/people/{person}/listing-consent/withdraw/",
            (LOGIN, 404, 302, 404, 302),
            body={},
        ),
    ],
    "organizations/clusters/<int:pk>/": [Row("GET", "/organizations/clusters/{cluster}/", same(200))],
    # Search: anyone; results are scoped (tests/matching). Suggestions: the organization's members,
    # the managers of its programs and staff; a matching profile: its members and staff.
    "search/": [Row("GET", "/search/?q=thyroid", same(200))],
    "organizations/<int:pk>/suggestions/": [
        Row("GET", "/organizations/{startup}/suggestions/", (LOGIN, 404, 200, 200, 200)),
    ],
    "organizations/<int:pk>/suggestions/<int:candidate_pk>/mark/": [
        Row(
            "POST",
            "/organizations/{startup}/suggestions/{public}/mark/",
            (LOGIN, 404, 302, 302, 302),
            {"verdict": "relevant"},
        ),
    ],
    # Meeting requests: whoever sees the subject's suggestions may ask; ``meeting`` (the member's
    # request for S with ``public``) is seen and withdrawn by its requester, S's members, the
    # manager of S's program and staff.
    "organizations/<int:pk>/suggestions/<int:candidate_pk>/meeting/": [
        Row("GET", "/organizations/{startup}/suggestions/{third}/meeting/", (LOGIN, 404, 200, 200, 200)),
        Row(
            "POST",
            "/organizations/{startup}/suggestions/{third}/meeting/",
            (LOGIN, 404, 302, 302, 302),
            {"message": "hello"},
        ),
    ],
    "meeting-requests/": [Row("GET", "/meeting-requests/", (LOGIN, 200, 200, 200, 200))],
    "meeting-requests/<int:request_pk>/withdraw/": [
        Row("POST", "/meeting-requests/{meeting}/withdraw/", (LOGIN, 404, 302, 302, 302), body={}),
    ],
    "meeting-requests/<int:request_pk>/answer/": [
        Row(
            "POST",
            "/meeting-requests/{meeting}/answer/",
            (LOGIN, 404, 403, 403, 302),
            {"decision": "accept", "reply": "yes"},
        ),
    ],
    # Partnering events: ``event`` is private: seen by staff, its organizer, its delegates and the
    # members of the organizations taking part (``member``, for S); staff create events, staff and
    # its organizer set it up; each organization acts for itself (registers delegates, marks
    # availability, asks for meetings).
    "events/": [Row("GET", "/events/", same(200), more=event_personas(200, 200))],
    "events/new/": [
        Row("GET", "/events/new/", (LOGIN, 403, 403, 403, 200), more=event_personas(403, 403)),
        Row("POST", "/events/new/", (LOGIN, 403, 403, 403, 400), body={}, more=event_personas(403, 403)),
    ],
    "events/<int:pk>/": [Row("GET", EV + "/", (404, 404, 200, 404, 200), more=event_personas(200, 200))],
    "events/<int:pk>/edit/": [
        Row("GET", EV + "/edit/", (LOGIN, 404, 403, 404, 200), more=event_personas(200, 403)),
        Row("POST", EV + "/edit/", (LOGIN, 404, 403, 404, 400), body={}, more=event_personas(400, 403)),
    ],
    "events/<int:pk>/status/": [
        Row(
            "POST",
            EV + "/status/",
            (LOGIN, 404, 403, 404, 302),
            {"status": "scheduling"},
            more=event_personas(302, 403),
        ),
    ],
    "events/<int:pk>/days/": [
        Row("POST", EV + "/days/", (LOGIN, 404, 403, 404, 400), body={}, more=event_personas(400, 403)),
    ],
    "events/<int:pk>/days/<int:day_pk>/remove/": [
        Row(
            "POST",
            EV + "/days/{event_day}/remove/",
            (LOGIN, 404, 403, 404, 302),
            body={},
            more=event_personas(302, 403),
        ),
    ],
    "events/<int:pk>/items/": [
        Row("POST", EV + "/items/", (LOGIN, 404, 403, 404, 400), body={}, more=event_personas(400, 403)),
    ],
    "events/<int:pk>/items/<int:item_pk>/remove/": [
        Row(
            "POST",
            EV + "/items/{event_item}/remove/",
            (LOGIN, 404, 403, 404, 302),
            body={},
            more=event_personas(302, 403),
        ),
    ],
    "events/<int:pk>/locations/": [
        Row("POST", EV + "/locations/", (LOGIN, 404, 403, 404, 400), body={}, more=event_personas(400, 403)),
    ],
    "events/<int:pk>/locations/<int:location_pk>/remove/": [
        Row(
            "POST",
            EV + "/locations/{location}/remove/",
            (LOGIN, 404, 403, 404, 302),
            body={},
            more=event_personas(302, 403),
        ),
    ],
    "events/<int:pk>/delegates/": [
        Row("POST", EV + "/delegates/", (LOGIN, 404, 400, 404, 400), body={}, more=event_personas(400, 400)),
    ],
    "events/<int:pk>/delegates/<int:delegate_pk>/remove/": [
        Row(
            "POST",
            EV + "/delegates/{delegate_public}/remove/",
            (LOGIN, 404, 403, 404, 302),
            body={},
            more=event_personas(302, 302),
        ),
    ],
    # Availability: the delegate, their organization's members, the organizer and staff.
    "events/<int:pk>/availability/": [
        Row(
            "GET",
            EV + "/availability/?delegate={delegate_member}",
            (LOGIN, 404, 200, 404, 200),
            more=event_personas(200, 404),
        ),
        Row(
            "POST",
            EV + "/availability/?delegate={delegate_member}",
            (LOGIN, 404, 302, 404, 302),
            {"slot": "{slot}"},
            more=event_personas(302, 404),
        ),
    ],
    # The event's requests: each side sees its own; an empty request form answers 400.
    "events/<int:pk>/requests/": [
        Row("GET", EV + "/requests/", (LOGIN, 404, 200, 404, 200), more=event_personas(200, 200)),
        Row("POST", EV + "/requests/", (LOGIN, 404, 400, 404, 400), body={}, more=event_personas(400, 400)),
    ],
    # Generating the schedule: the organizer and staff; ``event`` takes registrations, so they are
    # sent back to it with the reason (no job is started).
    # A delegate's agenda: anyone who sees the event (theirs is empty until a schedule is published);
    # the meetings by location: the organizer and staff.
    # Anyone signed in has a calendar feed; a POST makes (or replaces) its secret address and shows it
    # once. The feed itself needs no sign-in: an unknown secret is 404 for everyone.
    "calendar/": [
        Row("GET", "/calendar/", (LOGIN, 200, 200, 200, 200), more=event_personas(200, 200)),
        Row("POST", "/calendar/", (LOGIN, 200, 200, 200, 200), body={}, more=event_personas(200, 200)),
    ],
    "calendar/<str:secret>.ics": [
        Row("GET", "/calendar/not-a-secret.ics", same(404), more=event_personas(404, 404)),
    ],
    "events/<int:pk>/agenda/": [
        Row("GET", EV + "/agenda/", (LOGIN, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    "events/<int:pk>/agenda/pdf/": [
        Row("GET", EV + "/agenda/pdf/", (LOGIN, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    "events/<int:pk>/rooms/": [
        Row("GET", EV + "/rooms/", (LOGIN, 404, 403, 404, 200), more=event_personas(200, 403)),
    ],
    "events/<int:pk>/rooms/pdf/": [
        Row("GET", EV + "/rooms/pdf/", (LOGIN, 404, 403, 404, 200), more=event_personas(200, 403)),
    ],
    # After a meeting (``held_meeting``): whoever sees it reads both sides' reports (its two sides,
    # the organizer, staff); only S's own people report for S (``delegate`` is the other side).
    "meetings/<int:pk>/report/": [
        Row(
            "GET",
            "/meetings/{held_meeting}/report/",
            (LOGIN, 404, 200, 404, 200),
            more=event_personas(200, 200),
        ),
        Row(
            "POST",
            "/meetings/{held_meeting}/report/",
            (LOGIN, 404, 302, 404, 403),
            {"organization": "{startup}", "attendance": "held", "result": "follow_up"},
            more=event_personas(403, 403),
        ),
    ],
    "events/<int:pk>/schedule/": [
        Row("POST", EV + "/schedule/", (LOGIN, 404, 403, 404, 302), body={}, more=event_personas(302, 403)),
    ],
    "organizations/<int:pk>/matching-profile/": [
        Row("GET", "/organizations/{startup}/matching-profile/", (LOGIN, 404, 200, 403, 200)),
        Row("POST", "/organizations/{startup}/matching-profile/", (LOGIN, 404, 302, 403, 302), body={}),
    ],
    "agreements/": [Row("GET", "/agreements/", same(200))],
    "agreements/new/": [
        Row("GET", "/agreements/new/", (LOGIN, 403, 403, 403, 200)),
        Row("POST", "/agreements/new/", (LOGIN, 403, 403, 403, 400), body={}),
    ],
    "agreements/<int:pk>/": [Row("GET", "/agreements/{agreement}/", (404, 404, 200, 404, 200))],
    "agreements/<int:pk>/pdf/": [
        Row("GET", "/agreements/{agreement}/pdf/?lang=en", (404, 404, 200, 404, 200))
    ],
    "agreements/<int:pk>/pdf/job/": [
        Row("POST", "/agreements/{agreement}/pdf/job/", (LOGIN, 404, 302, 404, 302), {"lang": "en"}),
    ],
    "agreements/<int:pk>/edit/": [
        Row("GET", "/agreements/{agreement}/edit/", (LOGIN, 404, 403, 404, 200)),
        Row("POST", "/agreements/{agreement}/edit/", (LOGIN, 404, 403, 404, 400), body={}),
    ],
    "agreements/<int:pk>/parties/": [
        Row("GET", "/agreements/{agreement}/parties/", (LOGIN, 404, 403, 404, 200)),
    ],
    "agreements/<int:pk>/parties/<int:party_pk>/remove/": [
        Row(
            "POST",
            "/agreements/{agreement}/parties/{party_public}/remove/",
            (LOGIN, 404, 403, 404, 302),
            body={},
        ),
    ],
    "agreements/<int:pk>/areas/new/": [
        Row("GET", "/agreements/{agreement}/areas/new/", (LOGIN, 404, 403, 404, 200)),
    ],
    "agreements/<int:pk>/areas/<int:area_pk>/edit/": [
        Row("GET", "/agreements/{agreement}/areas/{area}/edit/", (LOGIN, 404, 403, 404, 200)),
    ],
    "agreements/<int:pk>/action-items/new/": [
        Row("GET", "/agreements/{agreement}/action-items/new/", (LOGIN, 404, 403, 404, 200)),
    ],
    "agreements/<int:pk>/board/": [Row("GET", "/agreements/{agreement}/board/", (404, 404, 200, 404, 200))],
    "agreements/action-items/": [Row("GET", "/agreements/action-items/", same(200))],
    "agreements/action-items/overdue/": [Row("GET", "/agreements/action-items/overdue/", same(200))],
    "agreements/action-items/<int:pk>/": [
        Row("GET", "/agreements/action-items/{item}/", (404, 404, 200, 404, 200)),
    ],
    "agreements/action-items/<int:pk>/edit/": [
        Row("GET", "/agreements/action-items/{item}/edit/", (LOGIN, 404, 200, 404, 200)),
    ],
    "agreements/action-items/<int:pk>/status/": [
        Row(
            "POST",
            "/agreements/action-items/{item}/status/",
            (LOGIN, 404, 302, 404, 302),
            {"status": "in_progress"},
        ),
    ],
    "agreements/action-items/<int:pk>/notes/": [
        Row(
            "POST",
            "/agreements/action-items/{item}/notes/",
            (LOGIN, 404, 302, 404, 302),
            {"text_en": "Sent."},
        ),
    ],
    "programs/": [Row("GET", "/programs/", same(200))],
    "programs/<int:pk>/": [Row("GET", "/programs/{program}/", same(200))],
    # Programs: staff create them; staff and the program's managers edit them and run their calls.
    "programs/new/": [
        Row("GET", "/programs/new/", (LOGIN, 403, 403, 403, 200)),
        Row("POST", "/programs/new/", (LOGIN, 403, 403, 403, 400), body={}),
    ],
    "programs/<int:pk>/edit/": [
        Row("GET", "/programs/{program}/edit/", (LOGIN, 403, 403, 200, 200)),
        Row("POST", "/programs/{program}/edit/", (LOGIN, 403, 403, 400, 400), body={}),
    ],
    "programs/<int:pk>/calls/new/": [
        Row("GET", "/programs/{program}/calls/new/", (LOGIN, 403, 403, 200, 200)),
        Row("POST", "/programs/{program}/calls/new/", (LOGIN, 403, 403, 400, 400), body={}),
    ],
    "programs/calls/<int:pk>/": [Row("GET", "/programs/calls/{call}/", same(200))],
    "programs/calls/<int:pk>/edit/": [
        Row("GET", "/programs/calls/{call}/edit/", (LOGIN, 403, 403, 200, 200)),
        Row("POST", "/programs/calls/{call}/edit/", (LOGIN, 403, 403, 400, 400), body={}),
    ],
    "programs/calls/<int:pk>/status/": [
        Row("POST", "/programs/calls/{call}/status/", (LOGIN, 403, 403, 302, 302), body={"status": "closed"}),
    ],
    # Startup members apply for their own organization (S has applied already: the form says so).
    "programs/calls/<int:pk>/apply/": [
        Row("GET", "/programs/calls/{call}/apply/", (LOGIN, 403, 200, 403, 403)),
        Row("POST", "/programs/calls/{call}/apply/", (LOGIN, 403, 400, 403, 403), body={}),
    ],
    "programs/applications/": [Row("GET", "/programs/applications/", (LOGIN, 200, 200, 200, 200))],
    # S's submitted application: its members, the program's managers and staff see it; nobody edits
    # a submitted application's answers; its members withdraw it, managers ask for revisions.
    "programs/applications/<int:pk>/": [
        Row("GET", "/programs/applications/{application}/", (LOGIN, 404, 200, 200, 200), reviewer=200),
        Row(
            "POST",
            "/programs/applications/{application}/",
            (LOGIN, 404, 403, 403, 403),
            body={},
            reviewer=403,
        ),
    ],
    "programs/applications/<int:pk>/status/": [
        Row(
            "POST",
            "/programs/applications/{application}/status/",
            (LOGIN, 404, 302, 403, 403),
            body={"status": "withdrawn"},
            reviewer=403,
        ),
    ],
    # Review: the program's managers and staff set the rubric and assign; the reviewer writes their
    # review (S's application); the applicant sees no review here.
    "programs/calls/<int:pk>/rubric/": [
        Row("GET", "/programs/calls/{call}/rubric/", (LOGIN, 403, 403, 200, 200), reviewer=403),
        Row("POST", "/programs/calls/{call}/rubric/", (LOGIN, 403, 403, 400, 400), body={}, reviewer=403),
    ],
    "programs/calls/<int:pk>/phases/<int:position>/rubric/": [
        Row(
            "GET", "/programs/calls/{call}/phases/{phase}/rubric/", (LOGIN, 403, 403, 200, 200), reviewer=403
        ),
    ],
    "programs/calls/<int:pk>/assignments/": [
        Row("GET", "/programs/calls/{call}/assignments/", (LOGIN, 403, 403, 200, 200), reviewer=403),
        Row(
            "POST", "/programs/calls/{call}/assignments/", (LOGIN, 403, 403, 400, 400), body={}, reviewer=403
        ),
    ],
    "programs/calls/<int:pk>/assignments/auto/": [
        Row(
            "POST",
            "/programs/calls/{call}/assignments/auto/",
            (LOGIN, 403, 403, 302, 302),
            body={"per_application": "1"},
            reviewer=403,
        ),
    ],
    # The ranking and its export: the program's managers and staff only.
    "programs/calls/<int:pk>/ranking/": [
        Row("GET", "/programs/calls/{call}/ranking/", (LOGIN, 403, 403, 200, 200), reviewer=403)
    ],
    "programs/calls/<int:pk>/ranking.xlsx": [
        Row("GET", "/programs/calls/{call}/ranking.xlsx", (LOGIN, 403, 403, 200, 200), reviewer=403)
    ],
    # Decisions: the program's managers and staff only (the call is open in this world, so their
    # decisions are refused with a message: 302 back to the page); the applicant decides nothing.
    "programs/calls/<int:pk>/decisions/": [
        Row("GET", "/programs/calls/{call}/decisions/", (LOGIN, 403, 403, 200, 200), reviewer=403)
    ],
    "programs/calls/<int:pk>/decisions/release/": [
        Row(
            "POST",
            "/programs/calls/{call}/decisions/release/",
            (LOGIN, 403, 403, 302, 302),
            body={},
            reviewer=403,
        )
    ],
    "programs/applications/<int:pk>/decision/": [
        Row(
            "POST",
            "/programs/applications/{application}/decision/",
            (LOGIN, 404, 403, 302, 302),
            body={"outcome": "accepted"},
            reviewer=403,
        )
    ],
    # Accepting from the waitlist: nothing is released in this world, so the managers are refused
    # with a message (302 back to the decisions page); the others may not decide.
    "programs/applications/<int:pk>/decision/accept-waitlisted/": [
        Row(
            "POST",
            "/programs/applications/{application}/decision/accept-waitlisted/",
            (LOGIN, 404, 403, 302, 302),
            body={},
            reviewer=403,
        )
    ],
    # Cohort support: S's milestone plan and services delivered. The program's managers and staff
    # write them; S's members read them and mark milestones done; nobody else sees them (404),
    # reviewers included.
    "programs/participants/<int:pk>/": [
        Row("GET", "/programs/participants/{participant}/", (LOGIN, 404, 200, 200, 200))
    ],
    "programs/participants/<int:pk>/milestones/new/": [
        Row("GET", "/programs/participants/{participant}/milestones/new/", (LOGIN, 404, 403, 200, 200)),
        Row(
            "POST",
            "/programs/participants/{participant}/milestones/new/",
            (LOGIN, 404, 403, 400, 400),
            body={},
        ),
    ],
    "programs/milestones/<int:pk>/edit/": [
        Row("GET", "/programs/milestones/{milestone}/edit/", (LOGIN, 404, 403, 200, 200)),
        Row("POST", "/programs/milestones/{milestone}/edit/", (LOGIN, 404, 403, 400, 400), body={}),
    ],
    "programs/milestones/<int:pk>/delete/": [
        Row("POST", "/programs/milestones/{milestone}/delete/", (LOGIN, 404, 403, 302, 302), body={})
    ],
    "programs/milestones/<int:pk>/status/": [
        Row(
            "POST",
            "/programs/milestones/{milestone}/status/",
            (LOGIN, 404, 302, 302, 302),
            body={"status": "done"},
        )
    ],
    "programs/participants/<int:pk>/services/new/": [
        Row("GET", "/programs/participants/{participant}/services/new/", (LOGIN, 404, 403, 200, 200)),
        Row(
            "POST", "/programs/participants/{participant}/services/new/", (LOGIN, 404, 403, 400, 400), body={}
        ),
    ],
    "programs/services/<int:pk>/edit/": [
        Row("GET", "/programs/services/{service}/edit/", (LOGIN, 404, 403, 200, 200)),
        Row("POST", "/programs/services/{service}/edit/", (LOGIN, 404, 403, 400, 400), body={}),
    ],
    "programs/services/<int:pk>/delete/": [
        Row("POST", "/programs/services/{service}/delete/", (LOGIN, 404, 403, 302, 302), body={})
    ],
    "programs/reviews/": [Row("GET", "/programs/reviews/", (LOGIN, 200, 200, 200, 200), reviewer=200)],
    # A reviewer (or staff, who may review anything) states the sectors they know; nobody else.
    "programs/reviews/expertise/": [
        Row("POST", "/programs/reviews/expertise/", (LOGIN, 403, 403, 403, 302), body={}, reviewer=302)
    ],
    "programs/reviews/<int:pk>/": [
        Row("GET", "/programs/reviews/{review}/", (LOGIN, 404, 404, 200, 200), reviewer=200),
        Row("POST", "/programs/reviews/{review}/", (LOGIN, 404, 404, 403, 403), body={}, reviewer=302),
    ],
    "programs/reviews/<int:pk>/recuse/": [
        Row(
            "POST",
            "/programs/reviews/{review}/recuse/",
            (LOGIN, 404, 404, 403, 403),
            body={"reason": "I advised them"},
            reviewer=302,
        ),
    ],
    "programs/reviews/<int:pk>/remove/": [
        Row("POST", "/programs/reviews/{review}/remove/", (LOGIN, 404, 404, 302, 302), body={}, reviewer=403),
    ],
    # The review here is still to do, so the managers are refused with a message (302 back to it).
    "programs/reviews/<int:pk>/feedback/": [
        Row(
            "POST",
            "/programs/reviews/{review}/feedback/",
            (LOGIN, 404, 404, 302, 302),
            body={"withheld": "on"},
            reviewer=403,
        ),
    ],
    "reports/programs/<int:pk>/targets/": [
        Row(
            "POST",
            "/reports/programs/{program}/targets/",
            (LOGIN, 403, 403, 302, 302),
            body={"year": 2024, "kpi": "contracts", "measure": "count", "value": "2"},
        ),
    ],
    # Anyone signed in who sees the program may make its report (of what they may see).
    "reports/programs/<int:pk>/report/": [
        Row(
            "POST",
            "/reports/programs/{program}/report/",
            (LOGIN, 302, 302, 302, 302),
            body={"period": "2024", "format": "pdf", "language": "en"},
        ),
    ],
    "reports/targets/<int:pk>/delete/": [
        Row("POST", "/reports/targets/{target}/delete/", (LOGIN, 403, 403, 302, 302)),
    ],
    "outcomes/": [Row("GET", "/outcomes/", same(200))],
    "outcomes/<int:pk>/": [Row("GET", "/outcomes/{outcome}/", (404, 404, 200, 200, 200))],
    # Members of a startup and program managers record outcomes; the empty form answers 400 for them.
    "outcomes/new/": [
        Row("GET", "/outcomes/new/", (LOGIN, 403, 200, 200, 200)),
        Row("POST", "/outcomes/new/", (LOGIN, 403, 400, 400, 400), body={}),
    ],
    "outcomes/<int:pk>/edit/": [
        Row("GET", "/outcomes/{outcome}/edit/", (LOGIN, 404, 200, 200, 200)),
        Row("POST", "/outcomes/{outcome}/edit/", (LOGIN, 404, 400, 400, 400), body={}),
    ],
    # The empty form is refused (400) by those who may move the outcome; nobody else gets as far.
    "outcomes/<int:pk>/stage/": [
        Row("POST", "/outcomes/{outcome}/stage/", (LOGIN, 404, 400, 400, 400), body={})
    ],
    # Imports: staff every kind, program managers participants and outcomes (an empty form: 400).
    "imports/": [
        Row("GET", "/imports/", (LOGIN, 403, 403, 200, 200)),
        Row("POST", "/imports/", (LOGIN, 403, 403, 400, 400), body={}),
    ],
    # ``import_run`` is staff's own: nobody else sees it; an unchecked run is not imported (a message).
    "imports/<int:pk>/": [Row("GET", "/imports/{import_run}/", (LOGIN, 404, 404, 404, 200))],
    "imports/<int:pk>/confirm/": [
        Row("POST", "/imports/{import_run}/confirm/", (LOGIN, 404, 404, 404, 302), body={})
    ],
    "imports/templates/<str:kind>.<str:fmt>": [
        Row("GET", "/imports/templates/outcomes.xlsx", (LOGIN, 200, 200, 200, 200))
    ],
    # What each persona finds in an export is tested in tests/exchange/test_exports.py.
    "exports/<str:kind>.<str:fmt>": [Row("GET", "/exports/outcomes.csv", (LOGIN, 200, 200, 200, 200))],
    # ``document`` belongs to ``S``: whoever sees ``S`` may download it; a signed link needs no sign-in.
    "files/<int:pk>/": [Row("GET", "/files/{document}/", (404, 404, 200, 200, 200))],
    "files/signed/<str:token>/": [Row("GET", "/files/signed/{signed_document}/", same(200))],
    "files/organizations/<int:pk>/upload/": [
        Row(
            "POST",
            "/files/organizations/{startup}/upload/",
            (LOGIN, 404, 302, 403, 302),
            {"file": SimpleUploadedFile("plan.txt", b"Pilot plan")},
        ),
    ],
    "accounts/invitations/new/": [
        Row("GET", "/accounts/invitations/new/", (LOGIN, 403, 403, 200, 200)),
    ],
    "accounts/invitations/<int:pk>/revoke/": [
        Row("POST", "/accounts/invitations/{invitation}/revoke/", (LOGIN, 404, 404, 404, 302), body={}),
    ],
    "accounts/invitations/<str:token>/": [Row("GET", "/accounts/invitations/not-a-token/", same(404))],
    "accounts/register/": [Row("GET", "/accounts/register/", (200, ANY, ANY, ANY, ANY))],
    "accounts/registrations/": [Row("GET", "/accounts/registrations/", (LOGIN, 403, 403, 403, 200))],
    "accounts/registrations/<int:pk>/approve/": [
        Row("POST", "/accounts/registrations/{registration}/approve/", (LOGIN, 404, 404, 404, 302), body={}),
    ],
    "accounts/registrations/<int:pk>/reject/": [
        Row("POST", "/accounts/registrations/{registration}/reject/", (LOGIN, 404, 404, 404, 302), body={}),
    ],
    "accounts/profile/": [Row("GET", "/accounts/profile/", (LOGIN, 200, 200, 200, 200))],
    "accounts/profile/data.json": [Row("GET", "/accounts/profile/data.json", (LOGIN, 200, 200, 200, 200))],
    # An empty confirmation is refused (400) and deletes nothing.
    "accounts/profile/delete/": [
        Row("GET", "/accounts/profile/delete/", (LOGIN, 405, 405, 405, 405)),
        Row("POST", "/accounts/profile/delete/", (LOGIN, 400, 400, 400, 400), body={}),
    ],
    "accounts/profile/tokens/": [
        Row("POST", "/accounts/profile/tokens/", (LOGIN, 201, 201, 201, 201), {"name": "script"}),
    ],
    "accounts/profile/tokens/<int:pk>/revoke/": [
        Row("POST", "/accounts/profile/tokens/{token}/revoke/", (LOGIN, 404, 302, 404, 404), body={}),
    ],
    "accounts/verify-email/send/": [
        Row("POST", "/accounts/verify-email/send/", (LOGIN, 302, 302, 302, 302), {})
    ],
    "accounts/verify-email/<str:token>/": [Row("GET", "/accounts/verify-email/not-a-token/", same(ANY))],
    "accounts/login/": [Row("GET", "/accounts/login/", same(200))],
    "accounts/logout/": [Row("POST", "/accounts/logout/", same(302), body={})],
    "accounts/password_change/": [Row("GET", "/accounts/password_change/", (LOGIN, 200, 200, 200, 200))],
    "accounts/password_change/done/": [
        Row("GET", "/accounts/password_change/done/", (LOGIN, 200, 200, 200, 200))
    ],
    "accounts/password_reset/": [Row("GET", "/accounts/password_reset/", same(200))],
    "accounts/password_reset/done/": [Row("GET", "/accounts/password_reset/done/", same(200))],
    "accounts/reset/<uidb64>/<token>/": [Row("GET", "/accounts/reset/MQ/not-a-token/", same(200))],
    "accounts/reset/done/": [Row("GET", "/accounts/reset/done/", same(200))],
    "jobs/": [Row("GET", "/jobs/", (LOGIN, 200, 200, 200, 200))],
    "organizations/check/": [
        Row("POST", "/organizations/check/", (LOGIN, 302, 302, 302, 302), body={}),
    ],
    "jobs/<int:pk>/": [Row("GET", "/jobs/{job}/", (LOGIN, 404, 200, 404, 200))],
    "jobs/<int:pk>/progress/": [Row("GET", "/jobs/{job}/progress/", (LOGIN, 404, 200, 404, 200))],
    # Notifications are personal: ``notification`` is the member's, and not even staff may mark it.
    "notifications/": [Row("GET", "/notifications/", (LOGIN, 200, 200, 200, 200))],
    "notifications/<int:pk>/read/": [
        Row("POST", "/notifications/{notification}/read/", (LOGIN, 404, 302, 404, 404), body={}),
    ],
    "notifications/read-all/": [
        Row("POST", "/notifications/read-all/", (LOGIN, 302, 302, 302, 302), body={})
    ],
    "notifications/preferences/": [
        Row("GET", "/notifications/preferences/", (LOGIN, 200, 200, 200, 200)),
        Row("POST", "/notifications/preferences/", (LOGIN, 302, 302, 302, 302), body={}),
    ],
    # The signed token is the proof (no sign-in: it comes from an e-mail); a tampered one is 400.
    "notifications/unsubscribe/<str:token>/": [
        Row("GET", "/notifications/unsubscribe/{unsubscribe}/", same(200)),
        Row("POST", "/notifications/unsubscribe/{unsubscribe}/", same(200), body={}),
        Row("POST", "/notifications/unsubscribe/{unsubscribe}x/", same(400), body={}),
    ],
    "i18n/setlang/": [Row("POST", "/i18n/setlang/", same(302), {"language": "en", "next": "/"})],
    # For load balancers: ages and counts only, the same for everyone (tests/test_health.py).
    "healthz": [Row("GET", "/healthz", same(200))],
}

# ----------------------------------------------------------------------------------------------
# API operations: keyed by (method, OpenAPI path).
# ----------------------------------------------------------------------------------------------
ORG = "/api/v1/organizations"
API: dict[tuple[str, str], list[Row]] = {
    ("GET", "/api/v1/"): [Row("GET", "/api/v1/", same(200))],
    ("GET", "/api/v1/clusters"): [Row("GET", "/api/v1/clusters", same(200))],
    ("GET", "/api/v1/clusters/{cluster_id}"): [Row("GET", "/api/v1/clusters/{cluster}", same(200))],
    ("GET", ORG): [Row("GET", ORG, same(200))],
    ("POST", ORG): [
        Row("POST", ORG, (401, 403, 403, 201, 201), {"kind": "startup", "name_en": "New Bio"}, json=True),
    ],
    ("GET", ORG + "/{organization_id}"): [Row("GET", ORG + "/{startup}", (404, 404, 200, 200, 200))],
    ("PATCH", ORG + "/{organization_id}"): [
        Row(
            "PATCH",
            ORG + "/{startup}",
            (401, 404, 200, 403, 200),
            {"website": "https://s.example"},
            json=True,
        ),
    ],
    ("POST", ORG + "/{organization_id}/merge"): [
        Row(
            "POST",
            ORG + "/{startup}/merge",
            (401, 404, 403, 403, 200),
            {"duplicate_id": "{duplicate}"},
            json=True,
        ),
    ],
    ("GET", ORG + "/{organization_id}/history"): [
        Row("GET", ORG + "/{startup}/history", (404, 404, 200, 200, 200)),
    ],
    ("GET", "/api/v1/people"): [Row("GET", "/api/v1/people", same(200))],
    ("POST", "/api/v1/people"): [
        Row(
            "POST",
            "/api/v1/people",
            (401, 422, 201, 403, 201),
            {"name_en": "New Person", "organization_id": "{startup}"},
            json=True,
        ),
    ],
    ("GET", "/api/v1/people/{person_id}"): [Row("GET", "/api/v1/people/{person}", (404, 404, 200, 404, 200))],
    ("PATCH", "/api/v1/people/{person_id}"): [
        Row("PATCH", "/api/v1/people/{person}", (401, 404, 200, 404, 200), {"name_en": "Renamed"}, json=True),
    ],
    ("POST", "/api/v1/affiliations"): [
        Row(
            "POST",
            "/api/v1/affiliations",
            (401, 422, 201, 422, 201),
            {"person_id": "{person}", "organization_id": "{startup}", "title_en": "Advisor"},
            json=True,
        ),
    ],
    ("PATCH", "/api/v1/affiliations/{affiliation_id}"): [
        Row(
            "PATCH",
            "/api/v1/affiliations/{affiliation}",
            (401, 404, 200, 404, 200),
            {"title_en": "CTO"},
            json=True,
        ),
    ],
    ("GET", "/api/v1/affiliations/awaiting-confirmation"): [
        Row("GET", "/api/v1/affiliations/awaiting-confirmation", (401, 200, 200, 200, 200)),
    ],
    ("POST", "/api/v1/affiliations/{affiliation_id}/confirm"): [
        Row("POST", "/api/v1/affiliations/{claim}/confirm", (401, 404, 200, 404, 200)),
    ],
    ("DELETE", "/api/v1/affiliations/{affiliation_id}"): [
        Row("DELETE", "/api/v1/affiliations/{affiliation}", (401, 404, 204, 404, 204)),
    ],
    ("POST", "/api/v1/relationships"): [
        Row(
            "POST",
            "/api/v1/relationships",
            (401, 422, 201, 403, 201),
            {"subject_id": "{startup}", "kind": "supplies", "object_id": "{public}"},
            json=True,
        ),
    ],
    ("DELETE", "/api/v1/relationships/{relationship_id}"): [
        Row("DELETE", "/api/v1/relationships/{relationship}", (401, 404, 204, 403, 204)),
    ],
    ("GET", "/api/v1/agreements"): [Row("GET", "/api/v1/agreements", same(200))],
    ("POST", "/api/v1/agreements"): [
        Row(
            "POST",
            "/api/v1/agreements",
            (401, 403, 403, 403, 201),
            {"key": "new-mou", "title_en": "New"},
            json=True,
        ),
    ],
    ("GET", "/api/v1/agreements/{agreement_id}"): [
        Row("GET", "/api/v1/agreements/{agreement}", (404, 404, 200, 404, 200)),
    ],
    ("PATCH", "/api/v1/agreements/{agreement_id}"): [
        Row(
            "PATCH",
            "/api/v1/agreements/{agreement}",
            (401, 404, 403, 404, 200),
            {"title_en": "Renamed"},
            json=True,
        ),
    ],
    ("POST", "/api/v1/agreements/{agreement_id}/parties"): [
        Row(
            "POST",
            "/api/v1/agreements/{agreement}/parties",
            (401, 404, 403, 404, 201),
            {"organization": "{third}"},
            json=True,
        ),
    ],
    ("DELETE", "/api/v1/agreements/{agreement_id}/parties/{party_id}"): [
        Row("DELETE", "/api/v1/agreements/{agreement}/parties/{party_public}", (401, 404, 403, 404, 204)),
    ],
    ("POST", "/api/v1/agreements/{agreement_id}/areas"): [
        Row(
            "POST",
            "/api/v1/agreements/{agreement}/areas",
            (401, 404, 403, 404, 201),
            {"title_en": "Trade"},
            json=True,
        ),
    ],
    ("POST", "/api/v1/agreements/{agreement_id}/action-items"): [
        Row(
            "POST",
            "/api/v1/agreements/{agreement}/action-items",
            (401, 404, 403, 404, 201),
            {"title_en": "Visit"},
            json=True,
        ),
    ],
    ("GET", "/api/v1/action-items"): [Row("GET", "/api/v1/action-items", same(200))],
    ("GET", "/api/v1/action-items/{item_id}"): [
        Row("GET", "/api/v1/action-items/{item}", (404, 404, 200, 404, 200))
    ],
    ("PATCH", "/api/v1/action-items/{item_id}"): [
        Row(
            "PATCH",
            "/api/v1/action-items/{item}",
            (401, 404, 200, 404, 200),
            {"status": "in_progress"},
            json=True,
        ),
    ],
    ("POST", "/api/v1/action-items/{item_id}/notes"): [
        Row(
            "POST",
            "/api/v1/action-items/{item}/notes",
            (401, 404, 201, 404, 201),
            {"text_en": "Sent"},
            json=True,
        ),
    ],
    ("GET", "/api/v1/programs"): [Row("GET", "/api/v1/programs", same(200))],
    ("GET", "/api/v1/programs/{program_id}"): [Row("GET", "/api/v1/programs/{program}", same(200))],
    ("POST", "/api/v1/programs"): [
        Row("POST", "/api/v1/programs", (401, 403, 403, 403, 201), body={"name_en": "New program"}, json=True)
    ],
    ("PATCH", "/api/v1/programs/{program_id}"): [
        Row(
            "PATCH",
            "/api/v1/programs/{program}",
            (401, 403, 403, 200, 200),
            body={"description_en": "x"},
            json=True,
        )
    ],
    ("GET", "/api/v1/calls"): [Row("GET", "/api/v1/calls", same(200))],
    ("GET", "/api/v1/calls/{call_id}"): [Row("GET", "/api/v1/calls/{call}", same(200))],
    ("POST", "/api/v1/calls"): [
        Row(
            "POST",
            "/api/v1/calls",
            (401, 403, 403, 201, 201),
            body={
                "program": "{program}",
                "title_en": "Second round",
                "opens_at": "2030-01-05T09:00:00",
                "closes_at": "2030-02-05T18:00:00",
                "time_zone": "Asia/Seoul",
            },
            json=True,
        )
    ],
    ("PATCH", "/api/v1/calls/{call_id}"): [
        Row("PATCH", "/api/v1/calls/{call}", (401, 403, 403, 200, 200), body={"title_en": "x"}, json=True)
    ],
    ("POST", "/api/v1/calls/{call_id}/status"): [
        Row(
            "POST",
            "/api/v1/calls/{call}/status",
            (401, 403, 403, 200, 200),
            body={"status": "closed"},
            json=True,
        )
    ],
    ("GET", "/api/v1/applications"): [Row("GET", "/api/v1/applications", same(200))],
    ("GET", "/api/v1/applications/{application_id}"): [
        Row("GET", "/api/v1/applications/{application}", (404, 404, 200, 200, 200), reviewer=200)
    ],
    # S has applied already (422 for its member); S is private, so the outsider cannot name it (422);
    # the manager and staff see S but never apply for it.
    ("POST", "/api/v1/applications"): [
        Row(
            "POST",
            "/api/v1/applications",
            (401, 422, 422, 403, 403),
            body={"call": "{call}", "startup": "{startup}"},
            json=True,
        )
    ],
    ("PATCH", "/api/v1/applications/{application_id}"): [
        Row(
            "PATCH",
            "/api/v1/applications/{application}",
            (401, 404, 403, 403, 403),
            body={"answers": {"summary": "Changed"}},
            json=True,
            reviewer=403,
        )
    ],
    ("POST", "/api/v1/applications/{application_id}/status"): [
        Row(
            "POST",
            "/api/v1/applications/{application}/status",
            (401, 404, 200, 403, 403),
            body={"status": "withdrawn"},
            json=True,
            reviewer=403,
        )
    ],
    ("POST", "/api/v1/applications/{application_id}/files"): [
        Row(
            "POST",
            "/api/v1/applications/{application}/files",
            (401, 404, 403, 403, 403),
            body={"question": "summary", "file": SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n")},
            reviewer=403,
        )
    ],
    # Review: the program's managers and staff set the rubric, see the conflicts and assign; the
    # reviewer (assigned to S's application) writes their review; the applicant sees none.
    ("GET", "/api/v1/calls/{call_id}/review-setup"): [
        Row("GET", "/api/v1/calls/{call}/review-setup", (401, 403, 403, 200, 200), reviewer=403)
    ],
    ("PUT", "/api/v1/calls/{call_id}/review-setup"): [
        Row(
            "PUT",
            "/api/v1/calls/{call}/review-setup",
            (401, 403, 403, 200, 200),
            body={"reviews_shared": True},
            json=True,
            reviewer=403,
        )
    ],
    ("GET", "/api/v1/calls/{call_id}/conflicts"): [
        Row("GET", "/api/v1/calls/{call}/conflicts", (401, 403, 403, 200, 200), reviewer=403)
    ],
    ("POST", "/api/v1/calls/{call_id}/assignments"): [
        Row(
            "POST",
            "/api/v1/calls/{call}/assignments",
            (401, 403, 403, 201, 201),
            body={"pairs": [{"application": "{application}", "reviewer": "reviewer"}]},
            json=True,
            reviewer=403,
        )
    ],
    ("POST", "/api/v1/calls/{call_id}/assignments/auto"): [
        Row(
            "POST",
            "/api/v1/calls/{call}/assignments/auto",
            (401, 403, 403, 201, 201),
            body={"per_application": 1},
            json=True,
            reviewer=403,
        )
    ],
    ("GET", "/api/v1/calls/{call_id}/ranking"): [
        Row("GET", "/api/v1/calls/{call}/ranking", (401, 403, 403, 200, 200), reviewer=403)
    ],
    # Decisions: the program's managers and staff; the call is still open here, so deciding and
    # releasing answer 422 for them (a decision is made on a closed call).
    ("GET", "/api/v1/calls/{call_id}/decisions"): [
        Row("GET", "/api/v1/calls/{call}/decisions", (401, 403, 403, 200, 200), reviewer=403)
    ],
    ("POST", "/api/v1/calls/{call_id}/decisions/release"): [
        Row("POST", "/api/v1/calls/{call}/decisions/release", (401, 403, 403, 422, 422), reviewer=403)
    ],
    ("PUT", "/api/v1/applications/{application_id}/decision"): [
        Row(
            "PUT",
            "/api/v1/applications/{application}/decision",
            (401, 404, 403, 422, 422),
            body={"outcome": "accepted"},
            json=True,
            reviewer=403,
        )
    ],
    ("DELETE", "/api/v1/applications/{application_id}/decision"): [
        Row("DELETE", "/api/v1/applications/{application}/decision", (401, 404, 403, 422, 422), reviewer=403)
    ],
    ("POST", "/api/v1/applications/{application_id}/decision/accept-waitlisted"): [
        Row(
            "POST",
            "/api/v1/applications/{application}/decision/accept-waitlisted",
            (401, 404, 403, 422, 422),
            reviewer=403,
        )
    ],
    # Cohort support and a startup's history across calls: as the pages above (a signed-out caller
    # gets 401, someone who may not see the participant 404; S's members read and mark milestones).
    ("GET", "/api/v1/participants/{participant_id}/milestones"): [
        Row("GET", "/api/v1/participants/{participant}/milestones", (401, 404, 200, 200, 200))
    ],
    ("POST", "/api/v1/participants/{participant_id}/milestones"): [
        Row(
            "POST",
            "/api/v1/participants/{participant}/milestones",
            (401, 404, 403, 201, 201),
            body={"title_en": "First sale", "due_on": "2030-12-31"},
            json=True,
        )
    ],
    ("PATCH", "/api/v1/participants/{participant_id}/milestones/{milestone_id}"): [
        Row(
            "PATCH",
            "/api/v1/participants/{participant}/milestones/{milestone}",
            (401, 404, 200, 200, 200),
            body={"status": "done"},
            json=True,
        ),
        Row(
            "PATCH",
            "/api/v1/participants/{participant}/milestones/{milestone}",
            (401, 404, 403, 200, 200),
            body={"notes": "Rescheduled"},
            json=True,
        ),
    ],
    ("DELETE", "/api/v1/participants/{participant_id}/milestones/{milestone_id}"): [
        Row("DELETE", "/api/v1/participants/{participant}/milestones/{milestone}", (401, 404, 403, 204, 204))
    ],
    ("GET", "/api/v1/participants/{participant_id}/services"): [
        Row("GET", "/api/v1/participants/{participant}/services", (401, 404, 200, 200, 200))
    ],
    ("POST", "/api/v1/participants/{participant_id}/services"): [
        Row(
            "POST",
            "/api/v1/participants/{participant}/services",
            (401, 404, 403, 201, 201),
            body={"kind": "mentoring", "delivered_on": "2030-05-01", "hours": "2"},
            json=True,
        )
    ],
    ("PATCH", "/api/v1/participants/{participant_id}/services/{service_id}"): [
        Row(
            "PATCH",
            "/api/v1/participants/{participant}/services/{service}",
            (401, 404, 403, 200, 200),
            body={"hours": "3.5"},
            json=True,
        )
    ],
    ("DELETE", "/api/v1/participants/{participant_id}/services/{service_id}"): [
        Row("DELETE", "/api/v1/participants/{participant}/services/{service}", (401, 404, 403, 204, 204))
    ],
    ("GET", "/api/v1/organizations/{organization_id}/program-history"): [
        Row("GET", "/api/v1/organizations/{startup}/program-history", (401, 404, 200, 200, 200))
    ],
    ("GET", "/api/v1/reviews"): [Row("GET", "/api/v1/reviews", same(200), reviewer=200)],
    ("GET", "/api/v1/reviews/expertise"): [
        Row("GET", "/api/v1/reviews/expertise", (401, 200, 200, 200, 200), reviewer=200)
    ],
    ("PUT", "/api/v1/reviews/expertise"): [
        Row(
            "PUT",
            "/api/v1/reviews/expertise",
            (401, 403, 403, 403, 200),
            body={"sectors": []},
            json=True,
            reviewer=200,
        )
    ],
    ("GET", "/api/v1/reviews/{review_id}"): [
        Row("GET", "/api/v1/reviews/{review}", (404, 404, 404, 200, 200), reviewer=200)
    ],
    ("PATCH", "/api/v1/reviews/{review_id}"): [
        Row(
            "PATCH",
            "/api/v1/reviews/{review}",
            (401, 404, 404, 403, 403),
            body={"scores": {"team": 2}, "comment": "Strong"},
            json=True,
            reviewer=200,
        )
    ],
    ("POST", "/api/v1/reviews/{review_id}/status"): [
        Row(
            "POST",
            "/api/v1/reviews/{review}/status",
            (401, 404, 404, 403, 403),
            body={"status": "recused", "reason": "I advised them"},
            json=True,
            reviewer=200,
        )
    ],
    ("DELETE", "/api/v1/reviews/{review_id}"): [
        Row("DELETE", "/api/v1/reviews/{review}", (401, 404, 404, 204, 204), reviewer=403)
    ],
    ("PUT", "/api/v1/reviews/{review_id}/feedback"): [
        Row(
            "PUT",
            "/api/v1/reviews/{review}/feedback",
            (401, 404, 404, 422, 422),
            body={"withheld": True},
            json=True,
            reviewer=403,
        )
    ],
    ("GET", "/api/v1/outcomes"): [Row("GET", "/api/v1/outcomes", same(200))],
    # Everyone gets the figures; what each sees in them is tested in tests/reports/test_kpis.py.
    ("GET", "/api/v1/kpis"): [Row("GET", "/api/v1/kpis", same(200))],
    # A program's targets: everyone reads them (with the figures they may see); staff and the
    # program's managers set and remove them.
    ("GET", "/api/v1/kpis/targets"): [Row("GET", "/api/v1/kpis/targets?program=p", same(200))],
    ("POST", "/api/v1/kpis/targets"): [
        Row(
            "POST",
            "/api/v1/kpis/targets",
            (401, 403, 403, 201, 201),
            body={"program": "p", "year": 2024, "kpi": "contracts", "measure": "count", "value": "2"},
            json=True,
        ),
    ],
    ("POST", "/api/v1/kpis/reports"): [
        Row(
            "POST",
            "/api/v1/kpis/reports",
            (401, 202, 202, 202, 202),
            body={"program": "p", "period": "2024", "format": "xlsx", "language": "ko"},
            json=True,
        ),
    ],
    ("DELETE", "/api/v1/kpis/targets/{target_id}"): [
        Row("DELETE", "/api/v1/kpis/targets/{target}", (401, 403, 403, 204, 204)),
    ],
    # The same per group (tests/reports/test_breakdowns.py).
    ("GET", "/api/v1/kpis/breakdown"): [Row("GET", "/api/v1/kpis/breakdown?by=program", same(200))],
    ("GET", "/api/v1/jobs"): [Row("GET", "/api/v1/jobs", same(200))],
    ("GET", "/api/v1/jobs/{job_id}"): [Row("GET", "/api/v1/jobs/{job}", (404, 404, 200, 404, 200))],
    ("GET", "/api/v1/me/data"): [Row("GET", "/api/v1/me/data", (401, 200, 200, 200, 200))],
    ("GET", "/api/v1/notifications"): [Row("GET", "/api/v1/notifications", (401, 200, 200, 200, 200))],
    ("POST", "/api/v1/notifications/{notification_id}/read"): [
        Row("POST", "/api/v1/notifications/{notification}/read", (401, 404, 200, 404, 404), body={}),
    ],
    ("POST", "/api/v1/notifications/read-all"): [
        Row("POST", "/api/v1/notifications/read-all", (401, 200, 200, 200, 200), body={}),
    ],
    ("GET", "/api/v1/notifications/preferences"): [
        Row("GET", "/api/v1/notifications/preferences", (401, 200, 200, 200, 200)),
    ],
    ("PUT", "/api/v1/notifications/preferences"): [
        Row(
            "PUT",
            "/api/v1/notifications/preferences",
            (401, 200, 200, 200, 200),
            {"preferences": [{"kind": "agreements.action_item_due", "by_email": False}]},
            json=True,
        ),
    ],
    ("GET", "/api/v1/outcomes/{outcome_id}"): [
        Row("GET", "/api/v1/outcomes/{outcome}", (404, 404, 200, 200, 200))
    ],
    # ``S`` is private: the outsider cannot name it (422); ``public`` takes part in no program and
    # has no members here, so only staff may record its outcomes.
    ("POST", "/api/v1/outcomes"): [
        Row(
            "POST",
            "/api/v1/outcomes",
            (401, 422, 201, 201, 201),
            body={
                "kind": "market_entry",
                "stage": "preparing",
                "startup": "{startup}",
                "program": "{program}",
                "title_en": "Entry into Japan",
                "market_country": "JP",
                "reported_on": "2024-05-02",
            },
            json=True,
        ),
        Row(
            "POST",
            "/api/v1/outcomes",
            (401, 403, 403, 403, 201),
            body={
                "kind": "partnership",
                "stage": "discussing",
                "startup": "{public}",
                "counterparty": "{third}",
                "reported_on": "2024-05-02",
            },
            json=True,
        ),
    ],
    ("PATCH", "/api/v1/outcomes/{outcome_id}"): [
        Row(
            "PATCH",
            "/api/v1/outcomes/{outcome}",
            (401, 404, 200, 200, 200),
            body={"title_en": "A larger round", "counterparty_description_en": "A fund", "version": 1},
            json=True,
        )
    ],
    ("POST", "/api/v1/outcomes/{outcome_id}/stage"): [
        Row(
            "POST",
            "/api/v1/outcomes/{outcome}/stage",
            (401, 404, 200, 200, 200),
            body={"stage": "term_sheet", "on": "2024-05-02"},
            json=True,
        )
    ],
    ("GET", "/api/v1/files/{file_id}"): [Row("GET", "/api/v1/files/{document}", (404, 404, 200, 200, 200))],
    ("GET", "/api/v1/search"): [Row("GET", "/api/v1/search?q=thyroid", same(200))],
    ("POST", "/api/v1/organizations/{organization_id}/meeting-requests"): [
        Row(
            "POST",
            ORG + "/{startup}/meeting-requests",
            (401, 404, 201, 201, 201),
            {"candidate_id": "{third}", "message": "hello"},
            json=True,
        ),
    ],
    # Partnering events (see the pages above).
    ("GET", "/api/v1/events"): [Row("GET", "/api/v1/events", same(200), more=event_personas(200, 200))],
    ("POST", "/api/v1/events"): [
        Row(
            "POST",
            "/api/v1/events",
            (401, 403, 403, 403, 201),
            {"name_en": "New event", "time_zone": "Asia/Seoul"},
            json=True,
            more=event_personas(403, 403),
        ),
    ],
    ("GET", "/api/v1/events/{event_id}"): [
        Row("GET", AEV, (404, 404, 200, 404, 200), more=event_personas(200, 200))
    ],
    ("PATCH", "/api/v1/events/{event_id}"): [
        Row(
            "PATCH",
            AEV,
            (401, 404, 403, 404, 200),
            {"name_en": "Renamed"},
            json=True,
            more=event_personas(200, 403),
        ),
    ],
    ("POST", "/api/v1/events/{event_id}/status"): [
        Row(
            "POST",
            AEV + "/status",
            (401, 404, 403, 404, 200),
            {"status": "scheduling"},
            json=True,
            more=event_personas(200, 403),
        ),
    ],
    ("POST", "/api/v1/events/{event_id}/days"): [
        Row(
            "POST",
            AEV + "/days",
            (401, 404, 403, 404, 201),
            {"date": "2030-01-02", "starts": "09:00", "ends": "10:00"},
            json=True,
            more=event_personas(201, 403),
        ),
    ],
    ("DELETE", "/api/v1/events/{event_id}/days/{day_id}"): [
        Row("DELETE", AEV + "/days/{event_day}", (401, 404, 403, 404, 204), more=event_personas(204, 403)),
    ],
    ("GET", "/api/v1/events/{event_id}/slots"): [
        Row("GET", AEV + "/slots", (404, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    ("GET", "/api/v1/events/{event_id}/items"): [
        Row("GET", AEV + "/items", (404, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    ("POST", "/api/v1/events/{event_id}/items"): [
        Row(
            "POST",
            AEV + "/items",
            (401, 404, 403, 404, 201),
            {"starts_at": "2030-01-01T11:00", "title_en": "Closing remarks"},
            json=True,
            more=event_personas(201, 403),
        ),
    ],
    ("DELETE", "/api/v1/events/{event_id}/items/{item_id}"): [
        Row("DELETE", AEV + "/items/{event_item}", (401, 404, 403, 404, 204), more=event_personas(204, 403)),
    ],
    ("POST", "/api/v1/events/{event_id}/locations"): [
        Row(
            "POST",
            AEV + "/locations",
            (401, 404, 403, 404, 201),
            {"name_en": "Table 2"},
            json=True,
            more=event_personas(201, 403),
        ),
    ],
    ("DELETE", "/api/v1/events/{event_id}/locations/{location_id}"): [
        Row(
            "DELETE", AEV + "/locations/{location}", (401, 404, 403, 404, 204), more=event_personas(204, 403)
        ),
    ],
    ("GET", "/api/v1/events/{event_id}/delegates"): [
        Row("GET", AEV + "/delegates", (404, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    # ``member`` is S's delegate already: allowed callers get 422.
    ("POST", "/api/v1/events/{event_id}/delegates"): [
        Row(
            "POST",
            AEV + "/delegates",
            (401, 404, 422, 404, 422),
            {"organization_id": "{startup}", "username": "member"},
            json=True,
            more=event_personas(422, 403),
        ),
    ],
    ("DELETE", "/api/v1/events/{event_id}/delegates/{delegate_id}"): [
        Row(
            "DELETE",
            AEV + "/delegates/{delegate_public}",
            (401, 404, 403, 404, 204),
            more=event_personas(204, 204),
        ),
    ],
    ("GET", "/api/v1/events/{event_id}/delegates/{delegate_id}/availability"): [
        Row(
            "GET",
            AEV + "/delegates/{delegate_member}/availability",
            (401, 404, 200, 404, 200),
            more=event_personas(200, 404),
        ),
    ],
    ("PUT", "/api/v1/events/{event_id}/delegates/{delegate_id}/availability"): [
        Row(
            "PUT",
            AEV + "/delegates/{delegate_member}/availability",
            (401, 404, 200, 404, 200),
            {"slots": []},
            json=True,
            more=event_personas(200, 404),
        ),
    ],
    # Every delegate's availability: the organizer and staff.
    ("GET", "/api/v1/events/{event_id}/availability"): [
        Row("GET", AEV + "/availability", (401, 404, 403, 404, 200), more=event_personas(200, 403)),
    ],
    ("GET", "/api/v1/events/{event_id}/meeting-requests"): [
        Row("GET", AEV + "/meeting-requests", (401, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    # S has asked ``public`` already: allowed callers get 422; ``delegate`` does not act for S.
    ("POST", "/api/v1/events/{event_id}/meeting-requests"): [
        Row(
            "POST",
            AEV + "/meeting-requests",
            (401, 404, 422, 404, 422),
            {"subject_id": "{startup}", "candidate_id": "{public}"},
            json=True,
            more=event_personas(422, 403),
        ),
    ],
    # The caller's meetings, and those the caller may see (organizers: all; each side: its own).
    ("GET", "/api/v1/events/{event_id}/agenda"): [
        Row("GET", AEV + "/agenda", (401, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    ("GET", "/api/v1/events/{event_id}/meetings"): [
        Row("GET", AEV + "/meetings", (401, 404, 200, 404, 200), more=event_personas(200, 200)),
    ],
    # What the event's meetings led to: its organizer and staff.
    ("GET", "/api/v1/events/{event_id}/analytics"): [
        Row("GET", AEV + "/analytics", (401, 404, 403, 404, 200), more=event_personas(200, 403)),
    ],
    # Reports on ``held_meeting``: read by whoever sees it; S's report put by S's own people only.
    ("GET", "/api/v1/meetings/{meeting_id}/reports"): [
        Row(
            "GET",
            "/api/v1/meetings/{held_meeting}/reports",
            (401, 404, 200, 404, 200),
            more=event_personas(200, 200),
        ),
    ],
    ("PUT", "/api/v1/meetings/{meeting_id}/reports/{organization_id}"): [
        Row(
            "PUT",
            "/api/v1/meetings/{held_meeting}/reports/{startup}",
            (401, 404, 200, 404, 403),
            {"attendance": "held", "result": "follow_up"},
            json=True,
            more=event_personas(403, 403),
        ),
    ],
    # The organizer and staff generate the schedule once the event is in scheduling (422 before).
    ("POST", "/api/v1/events/{event_id}/schedule"): [
        Row("POST", AEV + "/schedule", (401, 404, 403, 404, 422), more=event_personas(422, 403)),
    ],
    # ``event_request`` (S asks ``public``): the requested side (``delegate``), the organizer and
    # staff propose delegates; the requesting side and the manager of S's program see it, 403.
    ("POST", "/api/v1/meeting-requests/{request_id}/propose"): [
        Row(
            "POST",
            "/api/v1/meeting-requests/{event_request}/propose",
            (401, 404, 403, 403, 200),
            {"delegate_ids": ["{delegate_public}"]},
            json=True,
            more=event_personas(200, 200),
        ),
    ],
    ("GET", "/api/v1/meeting-requests"): [Row("GET", "/api/v1/meeting-requests", (401, 200, 200, 200, 200))],
    ("POST", "/api/v1/meeting-requests/{request_id}/withdraw"): [
        Row("POST", "/api/v1/meeting-requests/{meeting}/withdraw", (401, 404, 200, 200, 200), body={}),
    ],
    # Only the requested organization (``public``: none of the personas is its member) and staff answer.
    ("POST", "/api/v1/meeting-requests/{request_id}/accept"): [
        Row(
            "POST",
            "/api/v1/meeting-requests/{meeting}/accept",
            (401, 404, 403, 403, 200),
            {"reply": "yes"},
            json=True,
        ),
    ],
    ("POST", "/api/v1/meeting-requests/{request_id}/decline"): [
        Row("POST", "/api/v1/meeting-requests/{meeting}/decline", (401, 404, 403, 403, 200), {}, json=True),
    ],
    ("GET", "/api/v1/organizations/{organization_id}/suggestions"): [
        Row("GET", ORG + "/{startup}/suggestions", (401, 404, 200, 200, 200)),
    ],
    ("PUT", "/api/v1/organizations/{organization_id}/suggestions/{candidate_id}/mark"): [
        Row(
            "PUT",
            ORG + "/{startup}/suggestions/{public}/mark",
            (401, 404, 200, 200, 200),
            {"relevant": True},
            json=True,
        ),
    ],
    ("DELETE", "/api/v1/organizations/{organization_id}/suggestions/{candidate_id}/mark"): [
        Row("DELETE", ORG + "/{startup}/suggestions/{public}/mark", (401, 404, 204, 204, 204)),
    ],
    ("GET", "/api/v1/organizations/{organization_id}/matching-profile"): [
        Row("GET", ORG + "/{startup}/matching-profile", (401, 404, 200, 200, 200)),
    ],
    ("PATCH", "/api/v1/organizations/{organization_id}/matching-profile"): [
        Row(
            "PATCH",
            ORG + "/{startup}/matching-profile",
            (401, 404, 200, 403, 200),
            {"needs_en": "A pilot"},
            json=True,
        ),
    ],
    # One import operation per kind: staff every kind, program managers participants and outcomes.
    ("POST", "/api/v1/imports/participants"): [
        Row(
            "POST",
            "/api/v1/imports/participants?dry_run=true",
            (401, 403, 403, 200, 200),
            {"file": SimpleUploadedFile("participants.csv", b"program,organization\np,s\n")},
        ),
    ],
    ("POST", "/api/v1/imports/outcomes"): [
        Row(
            "POST",
            "/api/v1/imports/outcomes?dry_run=true",
            (401, 403, 403, 200, 200),
            {
                "file": SimpleUploadedFile(
                    "outcomes.csv",
                    b"key,kind,stage,startup,program,market_country,reported_on\n"
                    b"entry-jp,market_entry,preparing,s,p,JP,2024-05-02\n",
                )
            },
        ),
    ],
    ("POST", "/api/v1/imports/organizations"): [
        Row(
            "POST",
            "/api/v1/imports/organizations?dry_run=true",
            (401, 403, 403, 403, 200),
            {"file": SimpleUploadedFile("organizations.csv", b"key,kind,name_en\nnew-bio,startup,New Bio\n")},
        ),
    ],
    ("POST", "/api/v1/imports/people"): [
        Row(
            "POST",
            "/api/v1/imports/people?dry_run=true",
            (401, 403, 403, 403, 200),
            {"file": SimpleUploadedFile("people.csv", b"key,name_en\nnew-person,New Person\n")},
        ),
    ],
    # ``import_run`` is staff's own and unchecked: nobody else sees it, and it cannot be imported yet.
    ("GET", "/api/v1/imports/runs/{run_id}"): [
        Row("GET", "/api/v1/imports/runs/{import_run}", (401, 404, 404, 404, 200))
    ],
    ("POST", "/api/v1/imports/runs/{run_id}/confirm"): [
        Row("POST", "/api/v1/imports/runs/{import_run}/confirm", (401, 404, 404, 404, 422), body={})
    ],
    ("GET", "/api/v1/imports/templates/{kind}"): [
        Row("GET", "/api/v1/imports/templates/people?format=xlsx", (401, 200, 200, 200, 200))
    ],
    ("GET", "/api/v1/exports/{kind}"): [Row("GET", "/api/v1/exports/people", (401, 200, 200, 200, 200))],
    ("POST", "/api/v1/files"): [
        Row(
            "POST",
            "/api/v1/files",
            (401, 404, 201, 403, 201),
            {"organization_id": "{startup}", "file": SimpleUploadedFile("plan.txt", b"Pilot plan")},
        ),
    ],
}


def page_routes() -> set[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return {
        route for route in walk(get_resolver().url_patterns) if not route.startswith(("admin/", "api/v1/"))
    }


def api_operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def test_every_route_is_in_the_matrix():
    assert sorted(page_routes() - set(PAGES)) == []
    assert sorted(api_operations() - set(API)) == []
    assert sorted(set(PAGES) - page_routes()) == []
    assert sorted(set(API) - api_operations()) == []


def test_every_event_row_names_the_event_personas():
    rows = [*PAGES.items(), *((path, rows) for (_method, path), rows in API.items())]
    for route, route_rows in rows:
        if "events" in route.split("/"):
            for row in route_rows:
                assert row.more is not None and set(row.more) == set(EVENT_PERSONAS), route


def test_matrix_size():
    rows = sum(len(rows) for rows in PAGES.values()) + sum(len(rows) for rows in API.values())
    assert len(PAGES) + len(API) == len(page_routes()) + len(api_operations())
    assert rows * len(PERSONAS) >= 400


@pytest.fixture
def world(db):
    startup = OrganizationFactory(key="s", kind="startup", is_public=False, name_en="Stealth Bio")
    public = OrganizationFactory(key="public", kind="corporate", is_public=True)
    third = OrganizationFactory(key="third", kind="hospital", is_public=True)
    duplicate = OrganizationFactory(key="s-duplicate", kind="startup", is_public=True)
    program = ProgramFactory(key="p", is_public=True)
    participant = ParticipantFactory(program=program, organization=startup)
    milestone = Milestone.objects.create(
        participant=participant, title_en="Prototype", due_on=date(2030, 6, 30)
    )
    service = ServiceDelivery.objects.create(
        participant=participant, kind="mentoring", delivered_on=date(2030, 5, 2)
    )
    person = PersonFactory(key="person", is_public=False)
    affiliation = AffiliationFactory(person=person, organization=startup)
    claim = AffiliationFactory(person=person, organization=public, confirmed_at=None)
    relationship = Relationship.objects.create(subject=startup, kind="partners_with", object=public)
    agreement = AgreementFactory(key="agreement", is_public=False)
    party = AgreementPartyFactory(agreement=agreement, organization=startup, position=1)
    party_public = AgreementPartyFactory(agreement=agreement, organization=public, position=2)
    area = CooperationAreaFactory(agreement=agreement, number=1)
    item = ActionItemFactory(
        agreement=agreement,
        key="item",
        owner_party=party,
        due_at=datetime(2030, 6, 30, 15, 0, tzinfo=UTC),
        due_time_zone="America/Los_Angeles",
    )
    outcome = OutcomeFactory(
        startup=startup,
        program=program,
        kind="investment",
        stage="in_review",
        amount="1000000",
        currency="USD",
    )
    users = {
        "outsider": UserFactory(username="outsider"),
        "member": UserFactory(username="member"),
        "manager": UserFactory(username="manager"),
        "staff": UserFactory(username="staff-user"),
    }
    system = Actor.system()
    grant_membership(system, users["member"], Role.ORGANIZATION_MEMBER, startup)
    grant_membership(system, users["manager"], Role.PROGRAM_MANAGER, program)
    grant_membership(system, users["staff"], Role.STAFF)
    users["reviewer"] = UserFactory(username="reviewer")
    grant_membership(system, users["reviewer"], Role.PROGRAM_REVIEWER, program)
    invitation = invite(Actor(users["staff"]), "new@dari.invalid", Role.ORGANIZATION_MEMBER, startup)
    registration = register(
        username="claimant",
        email="claimant@dari.invalid",
        password="a-long-unusual-passphrase",
        language="en",
        time_zone="Asia/Seoul",
        kind="claim",
        organization=public,
    )
    token, _key = create_api_token(Actor(users["member"]), users["member"], "member script")
    job = Job.objects.create(kind="jobs.registry_check", started_by=users["member"])
    notification = Notification.objects.create(
        recipient=users["member"], kind="jobs.finished", title_ko="작업 완료", title_en="Job finished"
    )
    person.user = users["member"]
    person.save(update_fields=["user"])
    document = store_generated(system, b"Business plan", "plan.txt", "text/plain", startup, "document")
    meeting = MeetingRequest.objects.create(requested_by=users["member"], subject=startup, candidate=public)
    target = Target.objects.create(program=program, year=2024, kpi="market_entries", value=3)
    import_run = ImportRun.objects.create(kind="organizations", started_by=users["staff"])
    users["organizer"] = UserFactory(username="organizer")
    users["delegate"] = UserFactory(username="delegate")
    grant_membership(system, users["delegate"], Role.ORGANIZATION_MEMBER, public)
    event = Event.objects.create(name_en="Partnering day", time_zone="America/Los_Angeles", is_public=False)
    grant_membership(system, users["organizer"], Role.EVENT_ORGANIZER, event)
    day = datetime(2030, 1, 1, 9)
    event_day = add_event_day(system, event, {"date": day.date(), "starts": day.time(), "ends": time(10)})
    location = add_location(system, event, {"name_en": "Table 1"})
    event_item = add_event_item(system, event, {"starts_at": day, "title_en": "Opening"})
    Event.objects.filter(pk=event.pk).update(status="registration")
    event.refresh_from_db()
    delegate_member = register_delegate(Actor(users["staff"]), event, startup, users["member"])
    delegate_public = register_delegate(Actor(users["staff"]), event, public, users["delegate"])
    event_request = MeetingRequest.objects.create(
        requested_by=users["member"], subject=startup, candidate=public, event=event
    )
    event_request.delegates.set([delegate_member])
    past_event = Event.objects.create(
        name_en="Delegation visit", time_zone="America/Los_Angeles", is_public=False, status="registration"
    )
    grant_membership(system, users["organizer"], Role.EVENT_ORGANIZER, past_event)
    add_event_day(system, past_event, {"date": date(2024, 1, 17), "starts": time(10), "ends": time(11)})
    past_location = add_location(system, past_event, {"name_en": "Table A"})
    held_request = MeetingRequest.objects.create(
        requested_by=users["member"], subject=startup, candidate=public, event=past_event, status="accepted"
    )
    held_request.delegates.set(
        [
            register_delegate(Actor(users["staff"]), past_event, startup, users["member"]),
            register_delegate(Actor(users["staff"]), past_event, public, users["delegate"]),
        ]
    )
    held_meeting = Meeting.objects.create(
        event=past_event, request=held_request, slot=past_event.slots.first(), location=past_location
    )
    Event.objects.filter(pk=past_event.pk).update(status="closed")
    now = datetime.now(UTC)
    call = Call.objects.create(
        program=program,
        round=1,
        title_en="First round",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        time_zone="Asia/Seoul",
        form=[
            {
                "key": "summary",
                "kind": "short_text",
                "required": True,
                "label_ko": "요약",
                "label_en": "Summary",
            }
        ],
        status="open",
    )
    application = Application.objects.create(
        call=call, startup=startup, status="submitted", answers={"summary": "Stealth plan"}, submitted_at=now
    )
    phase = ReviewPhase.objects.create(call=call, position=1, name_en="Screening")
    call.rubric = [
        {
            "key": "team",
            "label_ko": "팀",
            "label_en": "Team",
            "weight": 1,
            "scale": [
                {"value": 1, "label_ko": "약함", "label_en": "Weak"},
                {"value": 2, "label_ko": "강함", "label_en": "Strong"},
            ],
        }
    ]
    call.save(update_fields=["rubric"])
    review = Review.objects.create(application=application, reviewer=users["reviewer"])
    ids = {
        "phase": phase.position,
        "review": review.pk,
        "startup": startup.pk,
        "public": public.pk,
        "third": third.pk,
        "duplicate": duplicate.pk,
        "program": program.pk,
        "person": person.pk,
        "affiliation": affiliation.pk,
        "claim": claim.pk,
        "relationship": relationship.pk,
        "agreement": agreement.pk,
        "party_public": party_public.pk,
        "area": area.pk,
        "item": item.pk,
        "outcome": outcome.pk,
        "cluster": startup.cluster_id,
        "invitation": invitation.pk,
        "registration": registration.pk,
        "token": token.pk,
        "job": job.pk,
        "notification": notification.pk,
        "unsubscribe": unsubscribe_token(users["member"], "agreements.action_item_due"),
        "document": document.pk,
        "signed_document": signed_file_token(document),
        "meeting": meeting.pk,
        "target": target.pk,
        "import_run": import_run.pk,
        "call": call.pk,
        "application": application.pk,
        "event": event.pk,
        "event_day": event_day.pk,
        "slot": event.slots.first().pk,
        "location": location.pk,
        "event_item": event_item.pk,
        "delegate_member": delegate_member.pk,
        "delegate_public": delegate_public.pk,
        "event_request": event_request.pk,
        "held_meeting": held_meeting.pk,
        "participant": participant.pk,
        "milestone": milestone.pk,
        "service": service.pk,
    }
    return ids, users


def fill(value, ids):
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


#: The apps whose tables a denied request must not write to.
DARI_APPS = (
    "accounts",
    "registry",
    "agreements",
    "programs",
    "outcomes",
    "partnering",
    "reports",
    "exchange",
    "files",
    "notifications",
    "jobs",
)
#: The table an INSERT, UPDATE or DELETE statement writes to (Django quotes table names with ").
WRITE_STATEMENT = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)


@functools.cache
def dari_tables() -> frozenset[str]:
    return frozenset(
        model._meta.db_table
        for label in DARI_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


@contextlib.contextmanager
def writes_recorded():
    """The Dari tables written to inside the block, on every database connection, in order.

    A denied request must send no INSERT, UPDATE or DELETE to a Dari table at all: stricter than
    comparing the tables' rows before and after (a write undone or writing the same values counts
    too), and without reading every row twice for every persona, which made the matrix the slowest
    part of CI. Every write goes through a connection's cursor (the import's COPY on PostgreSQL
    comes after its statements, so a denied import would show here by those).
    """
    written: list[str] = []

    def record(execute, sql, params, many, context):
        match = WRITE_STATEMENT.match(sql)
        if match and match.group(1) in dari_tables():
            written.append(match.group(1))
        return execute(sql, params, many, context)

    with contextlib.ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(record))
        yield written


def request(client: Client, row: Row, ids: dict):
    path = fill(row.path, ids)
    if row.method == "GET":
        return client.get(path)
    body = fill(row.body, ids) if row.body is not None else None
    for value in (body or {}).values():
        if hasattr(value, "seek"):  # an uploaded file, sent again for each persona
            value.seek(0)
    if row.json:
        import json

        return client.generic(row.method, path, json.dumps(body or {}), content_type="application/json")
    if row.method == "POST":
        return client.post(path, body or {})
    return client.generic(row.method, path)


def expectations(row: Row):
    yield from zip(PERSONAS, row.expect, strict=True)
    yield from (row.more or {}).items()
    yield "reviewer", row.reviewer if row.reviewer is not None else row.expect[PERSONAS.index("outsider")]


def check(row: Row, world):
    ids, users = world
    for persona, expected in expectations(row):
        client = Client()
        if persona != "anonymous":
            client.force_login(users[persona])
        with transaction.atomic(), writes_recorded() as written:
            response = request(client, row, ids)
            transaction.set_rollback(True)
        where = f"{row.method} {row.path} as {persona}"
        if expected == LOGIN:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
        elif expected == ANY:
            assert response.status_code < 500, where
        else:
            assert response.status_code == expected, (
                f"{where}: {response.status_code} {response.content[:300]}"
            )
        denied = expected == LOGIN or (isinstance(expected, int) and expected >= 400 and expected != 422)
        if denied:
            assert written == [], f"{where} was denied but wrote to {written}"


@pytest.mark.parametrize("route", sorted(PAGES))
def test_page_permissions(world, route):
    for row in PAGES[route]:
        check(row, world)


@pytest.mark.parametrize("operation", sorted(API), ids=lambda operation: " ".join(operation))
def test_api_permissions(world, operation):
    for row in API[operation]:
        check(row, world)
