"""A call's application form, stored as data, and the one function that checks answers against it.

A form is a list of questions (``Call.form``)::

    {"key": "team", "kind": "long_text", "required": true,
     "label_ko": "팀 소개", "label_en": "Your team", "help_ko": "", "help_en": "",
     "choices": [{"key": "seed", "label_ko": "시드", "label_en": "Seed"}, ...]}   # choice only

A question marked ``"identifying": true`` (the team's names, the website) is hidden from reviewers
in a blind review, with the applicant's name.

Kinds: ``short_text`` (one line, at most 300 characters), ``long_text`` (at most 10,000),
``choice`` (one of the choices' keys), ``number`` (a decimal, kept as its text), ``file`` (the id
of a protected file the application owns), ``url`` (http or https).

:func:`check_form` validates a form when a call is saved; :func:`check_answers` validates answers
when a draft is saved (``complete=False``: partial answers allowed) and when it is submitted
(``complete=True``: every required question answered). Errors name the question,
``answers.<key>``, in the page's language.

Why not a JSON Schema library: the rules are few and fixed, the messages must be Korean and English
per question (a schema validator's are English only), and a file answer must be checked against the
application's own files, which no schema can express.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dari.core.text import clean_text

KINDS = ("short_text", "long_text", "choice", "number", "file", "url")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SHORT_TEXT_LIMIT = 300
LONG_TEXT_LIMIT = 10_000
MAX_QUESTIONS = 100
LABEL_LIMIT = 500


def kind_labels() -> dict[str, str]:
    # In a context of their own: "number" and "choice" read otherwise elsewhere (a sequence number).
    return {
        "short_text": pgettext("question kind", "short text"),
        "long_text": pgettext("question kind", "long text"),
        "choice": pgettext("question kind", "choice"),
        "number": pgettext("question kind", "number"),
        "file": pgettext("question kind", "file upload"),
        "url": pgettext("question kind", "web address (URL)"),
    }


def answer_field(key: str) -> str:
    """The name an answer's errors (and its page field) go under."""
    return f"answers.{key}"


def _text(value, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Give text."))
    return clean_text(value.strip(), multiline=multiline)


def check_form(questions) -> list[dict]:
    """``questions`` as stored: each question with exactly the known fields, its key unique, its
    kind known, a label in Korean or English, and for a choice two or more choices with unique keys
    and a label each. Raises ``ValidationError`` on ``form``."""

    def refuse(message):
        raise ValidationError({"form": message})

    if not isinstance(questions, list):
        refuse(_("The form is a list of questions."))
    if len(questions) > MAX_QUESTIONS:
        refuse(_("A form has at most %(count)s questions.") % {"count": MAX_QUESTIONS})
    cleaned, keys = [], set()
    for number, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            refuse(_("Question %(number)s is not a question.") % {"number": number})
        try:
            key = _text(question.get("key", ""))
            kind = question.get("kind")
            labels = {name: _text(question.get(name, "")) for name in ("label_ko", "label_en")}
            helps = {name: _text(question.get(name, ""), True) for name in ("help_ko", "help_en")}
        except ValidationError as error:
            refuse(_("Question %(number)s: %(error)s") % {"number": number, "error": error.messages[0]})
        if not KEY.match(key):
            refuse(
                _("Question %(number)s: its key is lower-case letters, digits and _, starting with a letter.")
                % {"number": number}
            )
        if key in keys:
            refuse(_("Two questions have the key %(key)s.") % {"key": key})
        keys.add(key)
        if kind not in KINDS:
            refuse(_("Question %(key)s: unknown kind %(kind)s.") % {"key": key, "kind": kind})
        if not (labels["label_ko"] or labels["label_en"]):
            refuse(_("Question %(key)s: give a label in Korean or in English.") % {"key": key})
        if any(len(text) > LABEL_LIMIT for text in labels.values()):
            refuse(
                _("Question %(key)s: a label is at most %(limit)s characters.")
                % {"key": key, "limit": LABEL_LIMIT}
            )
        unknown = set(question) - {
            "key",
            "kind",
            "required",
            "label_ko",
            "label_en",
            "help_ko",
            "help_en",
            "choices",
            "identifying",
        }
        if unknown:
            refuse(
                _("Question %(key)s: unknown fields %(fields)s.")
                % {"key": key, "fields": ", ".join(sorted(unknown))}
            )
        if not isinstance(question.get("required", False), bool):
            refuse(_("Question %(key)s: required is true or false.") % {"key": key})
        if not isinstance(question.get("identifying", False), bool):
            refuse(_("Question %(key)s: identifying is true or false.") % {"key": key})
        item = {"key": key, "kind": kind, "required": question.get("required", False), **labels, **helps}
        if question.get("identifying"):
            item["identifying"] = True  # hidden from reviewers in a blind review
        if kind == "choice":
            item["choices"] = _check_choices(key, question.get("choices"), refuse)
        elif question.get("choices"):
            refuse(_("Question %(key)s: only a choice has choices.") % {"key": key})
        cleaned.append(item)
    return cleaned


def _check_choices(key: str, choices, refuse) -> list[dict]:
    if not isinstance(choices, list) or len(choices) < 2:
        refuse(_("Question %(key)s: a choice needs two choices or more.") % {"key": key})
    cleaned, seen = [], set()
    for choice in choices:
        if not isinstance(choice, dict) or set(choice) - {"key", "label_ko", "label_en"}:
            refuse(_("Question %(key)s: each choice has a key, label_ko and label_en.") % {"key": key})
        try:
            item = {name: _text(choice.get(name, "")) for name in ("key", "label_ko", "label_en")}
        except ValidationError as error:
            refuse(_("Question %(key)s: %(error)s") % {"key": key, "error": error.messages[0]})
        if not KEY.match(item["key"]) or item["key"] in seen:
            refuse(_("Question %(key)s: each choice needs its own key (letters, digits, _).") % {"key": key})
        if not (item["label_ko"] or item["label_en"]):
            refuse(_("Question %(key)s: each choice needs a label.") % {"key": key})
        seen.add(item["key"])
        cleaned.append(item)
    return cleaned


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def check_answers(questions: list[dict], answers, *, complete: bool, file_ids=frozenset()) -> dict:
    """``answers`` (question key → value) cleaned for storing; empty answers left out. Refused, with a
    ``ValidationError`` naming each question (``answers.<key>``): an answer to no question, a value of
    the wrong kind, a choice not offered, a file that is not one of the application's (``file_ids``),
    and, when ``complete``, a required question left empty."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Answers are given by question key.")})
    by_key = {question["key"]: question for question in questions}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(answers) - set(by_key))
    if unknown:
        errors["answers"] = [_("No such question: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}]
    cleaned = {}
    for key, question in by_key.items():
        value = answers.get(key)
        if is_empty(value):
            if complete and question.get("required"):
                errors[answer_field(key)] = [_("This question needs an answer.")]
            continue
        try:
            cleaned[key] = _check_answer(question, value, file_ids)
        except ValidationError as error:
            errors[answer_field(key)] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_answer(question: dict, value, file_ids):
    kind = question["kind"]
    if kind in ("short_text", "long_text"):
        text = _text(value, multiline=kind == "long_text")
        limit = SHORT_TEXT_LIMIT if kind == "short_text" else LONG_TEXT_LIMIT
        if len(text) > limit:
            raise ValidationError(_("At most %(limit)s characters.") % {"limit": f"{limit:,}"})
        return text
    if kind == "choice":
        offered = [choice["key"] for choice in question.get("choices", [])]
        if value not in offered:
            raise ValidationError(_("Choose one of the choices offered."))
        return value
    if kind == "number":
        if isinstance(value, bool):
            raise ValidationError(_("Give a number."))
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationError(_("Give a number.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e18"):
            raise ValidationError(_("Give a number."))
        return str(number)
    if kind == "url":
        text = _text(value)
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValidationError(_("Give a web address starting with http:// or https://.")) from None
        return text
    if kind == "file":
        if isinstance(value, bool) or not isinstance(value, int) or value not in file_ids:
            raise ValidationError(_("Upload the file to this application first."))
        return value
    raise ValidationError(_("Unknown kind of question."))
