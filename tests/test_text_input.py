"""Text sent to any write, through the API or a page's form, follows the one rule of
``dari.core.text``: a lone surrogate, NUL or other control character is refused on its field (422 in
the API, a field error on the page) and nothing changes; invisible bidirectional and zero-width
characters are removed from names before they are saved."""

from types import SimpleNamespace
from typing import get_args

import pytest
from django.apps import apps
from django.forms import BaseForm
from django.test import Client
from django.utils import translation
from pydantic import BaseModel

from dari.accounts.models import AuditEntry
from dari.agreements.models import ActionItem
from dari.api import api
from dari.core.api import InputSchema, Pagination
from dari.core.forms import CleanTextMixin
from dari.matching.models import MatchingProfile
from dari.partnering.models import MeetingRequest
from dari.registry.models import Organization, Person

from .factories import (
    ActionItemFactory,
    AffiliationFactory,
    AgreementFactory,
    AgreementPartyFactory,
    CooperationAreaFactory,
    OrganizationFactory,
    UserFactory,
)
from .registry.test_edit_pages import profile

pytestmark = pytest.mark.django_db

WRITTEN_MODELS = [
    "registry.Organization",
    "registry.Person",
    "registry.Affiliation",
    "registry.Relationship",
    "agreements.Agreement",
    "agreements.AgreementParty",
    "agreements.CooperationArea",
    "agreements.ActionItem",
    "agreements.ProgressNote",
    "matching.MatchingProfile",
    "partnering.MeetingRequest",
    "notifications.NotificationPreference",
    "accounts.AuditEntry",
]


def stored() -> dict:
    """Every row the writes below could touch, to compare before and after a refused request."""
    return {label: list(apps.get_model(label).objects.order_by("pk").values()) for label in WRITTEN_MODELS}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    a = OrganizationFactory(key="startup-a", name_en="Startup A")
    b = OrganizationFactory(key="fund-b", name_en="Fund B", kind=Organization.Kind.INVESTOR)
    person = AffiliationFactory(person__key="kim", person__name_en="Kim", organization=a).person
    affiliation = person.affiliations.get()
    agreement = AgreementFactory(key="mou", title_en="The MOU")
    party = AgreementPartyFactory(agreement=agreement, organization=a, position=1)
    CooperationAreaFactory(agreement=agreement, number=1)
    item = ActionItemFactory(agreement=agreement, key="item", title_en="Send the roster", owner_party=party)
    staff = UserFactory(username="staff-user", is_staff=True)
    MatchingProfile.objects.create(organization=a, needs_en="Partners")
    meeting = MeetingRequest.objects.create(requested_by=staff, subject=b, candidate=a, message="Hello")
    AuditEntry.objects.all().delete()
    client = Client()
    client.cookies["django_language"] = "en"  # the messages below are asserted in English
    client.force_login(staff)
    return SimpleNamespace(
        a=a,
        b=b,
        person=person,
        affiliation=affiliation,
        agreement=agreement,
        item=item,
        meeting=meeting,
        client=client,
    )


# (what is written, method, path, the other fields of the body, the text field under test)
WRITES = [
    ("organization added", "post", "/api/v1/organizations", {"kind": "startup"}, "name_en"),
    ("organization changed", "patch", "/api/v1/organizations/{a}", {}, "short_name_en"),
    ("organization description", "patch", "/api/v1/organizations/{a}", {}, "description_en"),
    ("person added", "post", "/api/v1/people", {"organization_id": "{a}"}, "name_en"),
    ("person changed", "patch", "/api/v1/people/{person}", {}, "name_ko"),
    (
        "affiliation added",
        "post",
        "/api/v1/affiliations",
        {"person_id": "{person}", "organization_id": "{b}"},
        "title_en",
    ),
    ("affiliation changed", "patch", "/api/v1/affiliations/{affiliation}", {}, "title_en"),
    (
        "relationship added",
        "post",
        "/api/v1/relationships",
        {"subject_id": "{b}", "kind": "invests_in", "object_id": "{a}"},
        "note_en",
    ),
    ("agreement added", "post", "/api/v1/agreements", {"key": "new-mou"}, "title_en"),
    ("agreement changed", "patch", "/api/v1/agreements/{agreement}", {}, "place_ko"),
    ("agreement summary", "patch", "/api/v1/agreements/{agreement}", {}, "summary_en"),
    (
        "party added",
        "post",
        "/api/v1/agreements/{agreement}/parties",
        {"organization": "{b}"},
        "head_title_en",
    ),
    ("area added", "post", "/api/v1/agreements/{agreement}/areas", {"number": 2}, "title_ko"),
    (
        "action item added",
        "post",
        "/api/v1/agreements/{agreement}/action-items",
        {"key": "new-item"},
        "title_en",
    ),
    ("action item changed", "patch", "/api/v1/action-items/{item}", {}, "title_en"),
    ("progress note added", "post", "/api/v1/action-items/{item}/notes", {}, "text_en"),
    ("matching profile changed", "patch", "/api/v1/organizations/{a}/matching-profile", {}, "needs_en"),
    (
        "meeting requested",
        "post",
        "/api/v1/organizations/{a}/meeting-requests",
        {"candidate_id": "{b}"},
        "message",
    ),
    ("meeting accepted", "post", "/api/v1/meeting-requests/{meeting}/accept", {}, "reply"),
]


def ids(world) -> dict[str, int]:
    names = ("a", "b", "person", "affiliation", "agreement", "item", "meeting")
    return {name: getattr(world, name).pk for name in names}


def resolved(value, known: dict[str, int]):
    return known[value[1:-1]] if isinstance(value, str) and value.startswith("{") else value


def send(world, method, path, others, field, value):
    """The write with ``field`` set to ``value``; ids in ``{name}`` form are the world's."""
    known = ids(world)
    body = {key: resolved(item, known) for key, item in others.items()}
    body[field] = value
    return getattr(world.client, method)(path.format(**known), body, content_type="application/json")


@pytest.mark.parametrize(
    ("write", "method", "path", "others", "field"), WRITES, ids=[row[0] for row in WRITES]
)
@pytest.mark.parametrize(("value", "character"), [("Name\ud800", "U+D800"), ("Na\x00me", "U+0000")])
def test_a_lone_surrogate_or_nul_in_any_write_is_refused_on_its_field_and_nothing_changes(
    world, write, method, path, others, field, value, character
):
    before = stored()

    response = send(world, method, path, others, field, value)

    assert response.status_code == 422, response.content
    assert response.json() == {
        "detail": [
            {
                "type": "not_text",
                "loc": ["body", "payload", field],
                "msg": f"Contains the character {character}, which cannot be stored; remove it.",
            }
        ]
    }
    assert stored() == before


def test_a_refused_character_inside_a_list_or_a_nested_object_is_refused_too(world):
    before = stored()

    regions = world.client.patch(
        f"/api/v1/organizations/{world.a.pk}/matching-profile",
        {"regions_of_interest": ["Ulsan", "San\x00Diego"]},
        content_type="application/json",
    )
    preferences = world.client.put(
        "/api/v1/notifications/preferences",
        {"preferences": [{"kind": "meeting\ud800", "by_email": False}]},
        content_type="application/json",
    )

    assert (regions.status_code, preferences.status_code) == (422, 422)
    assert regions.json()["detail"][0]["loc"] == ["body", "payload", "regions_of_interest"]
    assert preferences.json()["detail"][0]["loc"] == ["body", "payload", "preferences", 0, "kind"]
    assert stored() == before


def test_a_name_must_be_one_line_while_a_description_may_have_many(world):
    url = f"/api/v1/organizations/{world.a.pk}"

    name = world.client.patch(url, {"name_en": "Startup\nA"}, content_type="application/json")
    description = world.client.patch(
        url, {"description_en": "First line.\r\n\tSecond line.\n"}, content_type="application/json"
    )

    assert name.status_code == 422
    assert name.json()["detail"] == [
        {
            "type": "line_break",
            "loc": ["body", "payload", "name_en"],
            "msg": "Must be a single line: remove the line break or tab (U+000A).",
        }
    ]
    assert description.status_code == 200, description.content
    organization = Organization.objects.get(pk=world.a.pk)
    assert (organization.name_en, organization.description_en) == (
        "Startup A",
        "First line.\r\n\tSecond line.\n",
    )


def test_bidirectional_and_zero_width_characters_are_removed_from_saved_names(world):
    spoofed = "\ufeffStart\u202eup\u202c A\u200b\u2066\u2069"

    changed = world.client.patch(
        f"/api/v1/organizations/{world.a.pk}", {"name_en": spoofed}, content_type="application/json"
    )
    added = world.client.post(
        "/api/v1/people",
        {"name_en": "Lee\u200d Mi\u200bn", "name_ko": "이\u202e민", "organization_id": world.a.pk},
        content_type="application/json",
    )
    item = world.client.patch(
        f"/api/v1/action-items/{world.item.pk}",
        {"title_en": "Send\u2067 the roster"},
        content_type="application/json",
    )

    assert (changed.status_code, added.status_code, item.status_code) == (200, 201, 200)
    assert changed.json()["name_en"] == Organization.objects.get(pk=world.a.pk).name_en == "Startup A"
    assert added.json()["name_en"] == "Lee Min"
    assert Person.objects.get(pk=added.json()["id"]).name_ko == "이민"
    assert ActionItem.objects.get(pk=world.item.pk).title_en == "Send the roster"


@pytest.mark.parametrize(("value", "character"), [("Startup\x07 A", "U+0007"), ("Startup\x1b A", "U+001B")])
def test_a_page_form_shows_a_control_character_as_the_fields_error_and_changes_nothing(
    world, value, character
):
    world.client.cookies["django_language"] = "en"
    before = stored()

    response = world.client.post(f"/organizations/{world.a.pk}/edit/", profile(world.a, name_en=value))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name_en": [f"Contains the character {character}, which cannot be stored; remove it."]
    }
    assert stored() == before


def test_a_page_form_removes_invisible_characters_from_a_name_and_keeps_a_descriptions_lines(world):
    world.client.cookies["django_language"] = "en"

    response = world.client.post(
        f"/organizations/{world.a.pk}/edit/",
        profile(world.a, name_en="Start\u202eup A\u200b", description_en="One.\r\nTwo."),
    )

    assert response.status_code == 302
    organization = Organization.objects.get(pk=world.a.pk)
    assert (organization.name_en, organization.description_en) == ("Startup A", "One.\r\nTwo.")


def test_a_meeting_reply_on_the_page_with_a_nul_is_refused_and_the_request_stays_open(world):
    world.client.cookies["django_language"] = "en"

    response = world.client.post(
        f"/meeting-requests/{world.meeting.pk}/answer/",
        {"decision": "accept", "reply": "Gladly\x00"},
        follow=True,
    )

    assert "Contains the character U+0000, which cannot be stored; remove it." in response.content.decode()
    assert MeetingRequest.objects.get(pk=world.meeting.pk).status == "open"


def subclasses(cls) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *subclasses(direct)}}


def test_every_form_of_dari_follows_the_text_rule():
    import dari.urls  # noqa: F401  (loads every view, and so every form)

    forms = {form for form in subclasses(BaseForm) if form.__module__.startswith("dari.")}

    assert len(forms) > 20
    assert (
        sorted(f"{form.__module__}.{form.__name__}" for form in forms if not issubclass(form, CleanTextMixin))
        == []
    )


def schemas_in(annotation) -> list[type]:
    """The pydantic models an annotation names, and those nested in their fields."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields.values()
        return [annotation, *(schema for field in fields for schema in schemas_in(field.annotation))]
    return [schema for argument in get_args(annotation) for schema in schemas_in(argument)]


def test_every_api_body_and_query_schema_follows_the_text_rule():
    """Plain query parameters (``?q=``) are cleaned by the query-string middleware instead."""
    inputs = {}
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.models:
                    for name, field in model.model_fields.items():
                        for schema in schemas_in(field.annotation):
                            if schema is not Pagination.Input:
                                inputs[f"{operation.methods} {prefix}{path} {name}"] = schema

    assert len(inputs) > 20
    assert {
        where: schema.__name__ for where, schema in inputs.items() if not issubclass(schema, InputSchema)
    } == {}
