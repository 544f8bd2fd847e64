"""The decision pages with decisions in them (the permission matrix's walk sees them with an open
call, empty): the call's decisions, the ranking with its decision column and the application, for a
manager while pending and for the applicant once released, in Korean and English, at 390 and 1400
px: nothing wider than the window, no cramped cell, no serious axe-core violation."""

import pytest

from dari.accounts.audit import Actor
from dari.accounts.models import Role
from dari.accounts.services import grant_membership
from dari.programs.decisions import decide, release_decisions
from dari.programs.models import Call, Review

from ..factories import UserFactory
from ..programs.reviewing import make_panel
from .pages import SIZES, axe_problems, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_decision_pages_fit_a_phone_and_a_laptop(live_server, browser, signed_in_context, language):
    panel = make_panel(startups=3, status=Call.Status.CLOSED)
    member = UserFactory(username="member")
    grant_membership(Actor.system(), member, Role.ORGANIZATION_MEMBER, panel.startups[0])
    for number, (application, outcome) in enumerate(
        zip(panel.applications, ("accepted", "waitlisted", "rejected"), strict=True)
    ):
        Review.objects.create(
            application=application,
            reviewer=panel.reviewers[0],
            status="submitted",
            scores={"team": 1 + number, "market": 2},
        )
        decide(Actor(panel.manager), application, outcome)
    decisions = f"/programs/calls/{panel.call.pk}/decisions/"
    pending = [
        decisions,
        f"/programs/calls/{panel.call.pk}/ranking/",
        panel.applications[0].get_absolute_url(),
    ]

    def check(user, paths, label) -> list[str]:
        problems = []
        for size, viewport in SIZES.items():
            page = signed_in_context(user, language, viewport).new_page()
            for path in paths:
                page.goto(live_server.url + path)
                where = f"{path} [{language}, {size}, {label}]"
                problems += layout_problems(page, where, wide=size == "wide")
                problems += axe_problems(page, where)
        return problems

    problems = check(panel.manager, pending, "pending")
    release_decisions(Actor(panel.manager), panel.call)
    problems += check(member, [panel.applications[0].get_absolute_url()], "released, applicant")
    problems += check(panel.manager, [decisions], "released")

    assert not problems, "\n".join(problems)
