"""Later apps add actions to each suggestion (matching cannot import them): partnering's meeting
request is one, registered in its AppConfig.ready."""

import pytest

from dari.matching.actions import register_suggestion_action, suggestion_actions, unregister_suggestion_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlist(world):
    """An action offered to the startup's member only, which marks the candidates it holds."""
    member = world["member"]
    register_suggestion_action(
        "tests.shortlist",
        template="tests/shortlist.html",
        prepare=lambda user, subject: {"held": {7}} if user == member else None,
    )
    yield
    unregister_suggestion_action("tests.shortlist")


def test_an_action_is_prepared_for_the_list_and_only_for_whom_it_offers_something(world, shortlist):
    offered = suggestion_actions(world["member"], world["startup"])
    not_offered = suggestion_actions(world["outsider"], world["startup"])

    assert [(action.template, action.data) for action in offered][-1] == (
        "tests/shortlist.html",
        {"held": {7}},
    )
    assert "tests/shortlist.html" not in [action.template for action in not_offered]


def test_partnering_offers_a_meeting_request_on_every_suggestion(world):
    (action,) = suggestion_actions(world["member"], world["startup"])
    assert (action.template, action.data) == ("partnering/_request_meeting_action.html", {"requested": set()})
