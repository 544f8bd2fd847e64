"""An organization's other names (유니스트 for UNIST) are edited on its page, one per line, and
through the API as a list; bad lists are refused with a clear message."""

import json

import pytest

from dari.accounts.audit import Actor
from dari.registry import services
from dari.registry.models import MAX_ALIASES


def test_the_edit_page_takes_one_name_per_line(world, client):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    url = f"/organizations/{world.a.pk}/edit/"
    page = client.get(url)
    form = page.context["form"]
    posted = {name: value for name, value in form.initial.items() if value is not None}
    posted["sectors"] = [sector.pk for sector in form.initial.get("sectors", [])]
    posted["version"] = world.a.version

    answer = client.post(url, posted | {"aliases": "  에이 스타트업 \n\nStartup-A Inc.\n"})

    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    world.a.refresh_from_db()
    assert world.a.aliases == ["에이 스타트업", "Startup-A Inc."]
    shown = client.get(url).content.decode()
    assert "에이 스타트업\nStartup-A Inc." in shown  # the textarea shows them one per line


def test_the_api_sets_other_names_as_a_list(world, client):
    client.force_login(world.users["staff"])
    url = f"/api/v1/organizations/{world.a.pk}"

    answer = client.patch(url, json.dumps({"aliases": ["에이", "A Corp"]}), content_type="application/json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["aliases"] == ["에이", "A Corp"]


@pytest.mark.parametrize(
    "aliases",
    [["", "A"], ["A", "a"], ["x" * 101], [f"name {number}" for number in range(MAX_ALIASES + 1)]],
)
def test_bad_lists_are_refused_and_change_nothing(world, aliases):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.update_organization(Actor(world.users["staff"]), world.a, {"aliases": aliases})

    assert list(refused.value.message_dict) == ["aliases"]
    world.a.refresh_from_db()
    assert world.a.aliases == []
