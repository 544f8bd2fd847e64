"""The one rule for text sent in (``dari.core.text``): what is refused, what is removed, and how query
strings are cleaned before any page or API view reads them."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from dari.core.text import clean_query, clean_text

from ..factories import OrganizationFactory

RLO, LRI, PDI, ZWSP, ZWJ, BOM = "\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff"


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (the catalog also has them in Korean, the default)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("value", "multiline", "character"),
    [
        ("a\ud800b", False, "U+D800"),  # a lone surrogate: no database can store it
        ("a\udfffb", True, "U+DFFF"),
        ("a\x00b", True, "U+0000"),
        ("a\x07b", False, "U+0007"),
        ("a\x1bb", True, "U+001B"),
        ("a\x7fb", False, "U+007F"),
        ("a\x85b", True, "U+0085"),  # C1, NEXT LINE
        ("a\x9fb", False, "U+009F"),
    ],
)
def test_lone_surrogates_nul_and_control_characters_are_refused_everywhere(value, multiline, character):
    with pytest.raises(ValidationError) as refused:
        clean_text(value, multiline=multiline)

    assert refused.value.code == "not_text"
    assert refused.value.messages == [
        f"Contains the character {character}, which cannot be stored; remove it."
    ]


@pytest.mark.parametrize(
    ("value", "character"),
    [
        ("a\nb", "U+000A"),
        ("a\r\nb", "U+000D"),
        ("a\tb", "U+0009"),
        ("a\u2028b", "U+2028"),
        ("a\u2029b", "U+2029"),
    ],
)
def test_a_single_line_refuses_line_breaks_and_tabs(value, character):
    with pytest.raises(ValidationError) as refused:
        clean_text(value, multiline=False)

    assert refused.value.code == "line_break"
    assert refused.value.messages == [f"Must be a single line: remove the line break or tab ({character})."]


def test_a_single_line_loses_its_bidirectional_and_zero_width_characters():
    name = f"{BOM}Start{RLO}up{PDI} {LRI}A{ZWSP}\u200c{ZWJ}\u2060\u200e\u200f\u061c\u202a\u202b\u202c\u202d"

    assert clean_text(name, multiline=False) == "Startup A"


def test_multi_line_text_keeps_line_breaks_tabs_and_joiners():
    text = f"첫 줄\r\n\tsecond line 👩{ZWJ}💻 {RLO}"

    assert clean_text(text, multiline=True) == text


def test_ordinary_text_in_any_script_is_kept_as_it_is():
    for text in ["울산 바이오 클러스터", "San Diego · Ulsan — 2024", "Zürich 株式会社 😀", ""]:
        assert clean_text(text, multiline=False) == text


def test_a_query_turns_control_characters_into_spaces_and_drops_invisible_ones():
    assert clean_query(f"Gland{ZWSP}scope\x00x\ud800\ny{RLO}") == "Glandscope x  y"


@pytest.mark.parametrize(
    "query", ["Gland%E2%80%8Bscope", "Gland%E2%80%AEscope", "Glandscope%00", "Glandscope%1B"]
)
def test_a_search_ignores_characters_no_one_can_mean_on_pages_and_in_the_api(db, query):
    OrganizationFactory(key="glandscope", name_en="Glandscope")
    OrganizationFactory(key="other", name_en="Other")

    api = Client().get(f"/api/v1/organizations?q={query}")
    page = Client().get(f"/organizations/?q={query}")

    assert [item["key"] for item in api.json()["items"]] == ["glandscope"]
    assert [organization.key for organization in page.context["page"]] == ["glandscope"]
