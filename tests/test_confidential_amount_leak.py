"""A confidential amount reaches nobody who may not see it, in any text.

An investment of USD 10,000,000 is in review (so its amount is confidential) and every free text
around it repeats the figure: its title, summary, counterparty description and a stage note. Every
page and API route of the permission matrix is answered for every persona, in Korean and English,
once with the matrix's ids and once pointed at this outcome and its startup; no answer to a persona
who may not see the amount (anonymous, an outsider, a member of another startup) spells it in any
way, while the program's manager and staff read it.
"""

import re

import pytest
from django.test import Client

from dari.outcomes.models import StageChange

from .factories import OrganizationFactory, OutcomeFactory
from .route_walk import walk
from .test_permission_matrix import PERSONAS, world  # noqa: F401  (the matrix's world, extended below)

pytestmark = pytest.mark.django_db

# Every way the texts below, or a page, could write ten million US dollars.
SPELLINGS = {
    "10000000": r"10000000",
    "10,000,000": r"10,000,000",
    "10M": r"\b10(\.0+)?\s?m\b",
    "10 million": r"\b10(\.0+)?\s?million",
    "$10": r"\$\s?10(?![\d,])",
    "1,000만": r"1,000\s?만",
    "1천만": r"1천\s?만",
    "천만": r"천만",
}
MAY_SEE = {"manager", "staff"}  # the outcome is in the manager's program
MAY_NOT_SEE = set(PERSONAS) - MAY_SEE


@pytest.fixture
def leak_world(world):  # noqa: F811
    """The matrix's world plus a public startup's investment in review, in the matrix's program,
    whose texts all carry the amount; the ids a second time, pointed at it."""
    ids, users = world
    startup = OrganizationFactory(key="open-thyroid", kind="startup", name_en="Open Thyroid", is_public=True)
    outcome = OutcomeFactory(
        key="thyroid-investment",
        startup=startup,
        program_id=ids["program"],
        kind="investment",
        stage="in_review",
        amount="10000000",
        currency="USD",
        title_en="US$10M investment from a San Diego fund",
        title_ko="샌디에이고 펀드 1천만 달러 투자",
        summary_en="A US$10 million (USD 10,000,000) investment is under review.",
        summary_ko="1,000만 달러 투자 심사 중.",
        counterparty_description_en="A San Diego fund offering $10 million",
        counterparty_description_ko="1천만 달러를 제안한 샌디에이고 펀드",
        public_title_en="Investment from a San Diego fund",
        public_title_ko="샌디에이고 펀드 투자",
        public_summary_en="An investment is under review.",
        public_summary_ko="투자 심사 중.",
    )
    StageChange.objects.create(
        outcome=outcome,
        stage="in_review",
        recorded_on=outcome.reported_on,
        note_en="Term sheet expected at 10,000,000 USD (10M).",
        note_ko="1천만 달러 규모로 조건 협의 예정.",
    )
    return [ids, ids | {"startup": startup.pk, "outcome": outcome.pk}], users


def spellings_in(text: str) -> set[str]:
    return {name for name, pattern in SPELLINGS.items() if re.search(pattern, text, re.IGNORECASE)}


@pytest.mark.parametrize("persona", sorted(MAY_NOT_SEE))
def test_no_answer_spells_a_hidden_amount(leak_world, persona):
    id_sets, users = leak_world
    leaks = [
        f"{answer.where}: {sorted(spellings_in(answer.text))}"
        for answer in walk(users.get(persona), id_sets)
        if spellings_in(answer.text)
    ]
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("persona", sorted(MAY_SEE))
def test_those_who_may_see_the_amount_read_it(leak_world, persona):
    """The same walk: the outcome's page and API spell the amount in each of the texts' ways."""
    id_sets, users = leak_world
    seen: set[str] = set()
    for answer in walk(users[persona], id_sets, reads_only=True):
        seen |= spellings_in(answer.text)
    assert seen == set(SPELLINGS)


@pytest.mark.parametrize("query", ["10M", "1천만", "offering $10 million", "Investment from a San Diego"])
def test_searching_for_the_amount_finds_the_outcome_only_for_those_who_may_see_it(leak_world, query):
    """A search that matched the hidden texts would tell the amount by finding the outcome; the
    public title is searched for everyone."""
    id_sets, users = leak_world
    found = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(users[persona])
        keys = [item["key"] for item in client.get("/api/v1/outcomes", {"q": query}).json()["items"]]
        page = client.get("/outcomes/", {"q": query}).content.decode()
        found[persona] = ("thyroid-investment" in keys, f"/outcomes/{id_sets[1]['outcome']}/" in page)
    public = query.startswith("Investment")
    assert found == {persona: (public or persona in MAY_SEE,) * 2 for persona in PERSONAS}
