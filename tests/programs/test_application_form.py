"""The application form stored as data, and the one function that checks answers against it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dari.programs.application_form import check_answers, check_form

from .calls import COMPLETE, FORM


def refusal(function, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        function(*args, **kwargs)
    return refused.value.message_dict


def test_a_form_with_every_kind_of_question_is_kept_as_given():
    assert [question["kind"] for question in check_form(FORM)] == [
        "short_text",
        "long_text",
        "choice",
        "number",
        "file",
        "url",
    ]
    assert check_form(FORM)[2]["choices"][1] == {
        "key": "series_a",
        "label_ko": "시리즈 A",
        "label_en": "Series A",
    }


@pytest.mark.parametrize(
    "question",
    [
        {"key": "Bad Key", "kind": "short_text", "label_en": "x"},
        {"key": "a", "kind": "essay", "label_en": "x"},
        {"key": "a", "kind": "short_text"},
        {"key": "a", "kind": "choice", "label_en": "x", "choices": [{"key": "only", "label_en": "One"}]},
        {"key": "a", "kind": "short_text", "label_en": "x", "choices": [{"key": "b", "label_en": "B"}]},
        {"key": "a", "kind": "short_text", "label_en": "x", "required": "yes"},
        {"key": "a", "kind": "short_text", "label_en": "x", "colour": "red"},
    ],
)
def test_a_malformed_question_is_refused_on_the_form(question):
    assert list(refusal(check_form, [question])) == ["form"]


def test_two_questions_with_one_key_are_refused():
    assert list(refusal(check_form, [FORM[0], FORM[0]])) == ["form"]


def test_a_draft_may_be_partial_but_a_submission_answers_every_required_question():
    assert check_answers(FORM, {"plan": "Later"}, complete=False) == {"plan": "Later"}
    assert refusal(check_answers, FORM, {"plan": "Later"}, complete=True) == {
        "answers.summary": ["This question needs an answer."],
        "answers.stage": ["This question needs an answer."],
    }
    assert check_answers(FORM, COMPLETE, complete=True) == COMPLETE


def test_each_kind_checks_its_value():
    errors = refusal(
        check_answers,
        FORM,
        {"summary": "a\nb", "stage": "series_z", "staff": "many", "deck": 7, "site": "ftp://x.example"},
        complete=False,
        file_ids={8},
    )
    assert sorted(errors) == [
        "answers.deck",
        "answers.site",
        "answers.staff",
        "answers.stage",
        "answers.summary",
    ]
    cleaned = check_answers(
        FORM,
        {
            "summary": " One line ",
            "staff": "1,200",
            "deck": 8,
            "site": "https://thyroscope.example",
            "plan": "",
        },
        complete=False,
        file_ids={8},
    )
    assert cleaned == {
        "summary": "One line",
        "staff": "1200",
        "deck": 8,
        "site": "https://thyroscope.example",
    }


def test_an_answer_to_no_question_is_refused():
    assert refusal(check_answers, FORM, {"colour": "red"}, complete=False) == {
        "answers": ["No such question: colour."]
    }


def test_a_short_text_is_one_line_of_at_most_300_characters():
    assert list(refusal(check_answers, FORM, {"summary": "x" * 301}, complete=False)) == ["answers.summary"]
    assert check_answers(FORM, {"plan": "line one\nline two"}, complete=False) == {
        "plan": "line one\nline two"
    }
