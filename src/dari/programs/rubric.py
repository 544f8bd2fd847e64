"""A review rubric, stored as data (``Call.rubric``, ``ReviewPhase.rubric``), and the one function
that checks a review's scores against it.

A rubric is a list of criteria::

    {"key": "team", "label_ko": "팀 역량", "label_en": "Team", "help_ko": "", "help_en": "",
     "weight": 2,
     "scale": [{"value": 1, "label_ko": "미흡", "label_en": "Weak"}, ...,
               {"value": 5, "label_ko": "탁월", "label_en": "Excellent"}]}

A weight is a positive number (the criteria's weights need not add up to anything: a weighted
total divides by their sum); a scale has 2 to 11 points, whole numbers in increasing order, each
with a label in Korean or English. A review gives one of the scale's values per criterion.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .application_form import KEY, LABEL_LIMIT, _text

MAX_CRITERIA = 30
MAX_POINTS = 11
MAX_WEIGHT = Decimal(1000)
CRITERION_FIELDS = {"key", "label_ko", "label_en", "help_ko", "help_en", "weight", "scale"}


def score_field(key: str) -> str:
    """The name a score's errors (and its page field) go under."""
    return f"scores.{key}"


def check_rubric(criteria) -> list[dict]:
    """``criteria`` as stored, or ``ValidationError`` on ``rubric`` naming the criterion at fault."""

    def refuse(message):
        raise ValidationError({"rubric": message})

    if not isinstance(criteria, list):
        refuse(_("A rubric is a list of criteria."))
    if len(criteria) > MAX_CRITERIA:
        refuse(_("A rubric has at most %(count)s criteria.") % {"count": MAX_CRITERIA})
    cleaned, keys = [], set()
    for number, criterion in enumerate(criteria, start=1):
        if not isinstance(criterion, dict):
            refuse(_("Criterion %(number)s is not a criterion.") % {"number": number})
        try:
            key = _text(criterion.get("key", ""))
            texts = {name: _text(criterion.get(name, "")) for name in ("label_ko", "label_en")}
            texts |= {name: _text(criterion.get(name, ""), True) for name in ("help_ko", "help_en")}
        except ValidationError as error:
            refuse(_("Criterion %(number)s: %(error)s") % {"number": number, "error": error.messages[0]})
        if not KEY.match(key):
            refuse(
                _(
                    "Criterion %(number)s: its key is lower-case letters, digits and _, "
                    "starting with a letter."
                )
                % {"number": number}
            )
        if key in keys:
            refuse(_("Two criteria have the key %(key)s.") % {"key": key})
        keys.add(key)
        unknown = set(criterion) - CRITERION_FIELDS
        if unknown:
            refuse(
                _("Criterion %(key)s: unknown fields %(fields)s.")
                % {"key": key, "fields": ", ".join(sorted(unknown))}
            )
        if not (texts["label_ko"] or texts["label_en"]):
            refuse(_("Criterion %(key)s: give a label in Korean or in English.") % {"key": key})
        if any(len(texts[name]) > LABEL_LIMIT for name in ("label_ko", "label_en")):
            refuse(
                _("Criterion %(key)s: a label is at most %(limit)s characters.")
                % {"key": key, "limit": LABEL_LIMIT}
            )
        weight = _weight(criterion.get("weight", 1))
        if weight is None:
            refuse(_("Criterion %(key)s: its weight is a number above 0, at most 1000.") % {"key": key})
        scale = _check_scale(key, criterion.get("scale"), refuse)
        cleaned.append({"key": key, **texts, "weight": weight, "scale": scale})
    return cleaned


def _weight(value):
    """A weight as stored (an int when whole, else a float), or None when it is no weight."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0 or number > MAX_WEIGHT:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _check_scale(key: str, scale, refuse) -> list[dict]:
    if not isinstance(scale, list) or not 2 <= len(scale) <= MAX_POINTS:
        refuse(
            _("Criterion %(key)s: a scale has from 2 to %(count)s points.")
            % {"key": key, "count": MAX_POINTS}
        )
    cleaned = []
    for point in scale:
        if not isinstance(point, dict) or set(point) - {"value", "label_ko", "label_en"}:
            refuse(_("Criterion %(key)s: each point has a value, label_ko and label_en.") % {"key": key})
        value = point.get("value")
        if isinstance(value, bool) or not isinstance(value, int) or not -100 <= value <= 100:
            refuse(_("Criterion %(key)s: a point's value is a whole number.") % {"key": key})
        try:
            labels = {name: _text(point.get(name, "")) for name in ("label_ko", "label_en")}
        except ValidationError as error:
            refuse(_("Criterion %(key)s: %(error)s") % {"key": key, "error": error.messages[0]})
        if not (labels["label_ko"] or labels["label_en"]):
            refuse(_("Criterion %(key)s: each point needs a label.") % {"key": key})
        if cleaned and value <= cleaned[-1]["value"]:
            refuse(_("Criterion %(key)s: the points' values increase.") % {"key": key})
        cleaned.append({"value": value, **labels})
    return cleaned


def check_scores(criteria: list[dict], scores, *, complete: bool) -> dict:
    """``scores`` (criterion key → a value of its scale) cleaned for storing, empty ones left out.
    Refused (``ValidationError`` naming ``scores.<key>``): a score for no criterion, a value off the
    scale and, when ``complete``, a criterion left without a score."""
    if not isinstance(scores, dict):
        raise ValidationError({"scores": _("Scores are given by criterion key.")})
    by_key = {criterion["key"]: criterion for criterion in criteria}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(scores) - set(by_key))
    if unknown:
        errors["scores"] = [_("No such criterion: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}]
    cleaned = {}
    for key, criterion in by_key.items():
        value = scores.get(key)
        if value is None or value == "":
            if complete:
                errors[score_field(key)] = [_("Give a score for this criterion.")]
            continue
        values = [point["value"] for point in criterion["scale"]]
        try:
            number = int(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number not in values or (isinstance(value, float) and value != number):
            errors[score_field(key)] = [
                _("Choose one of the scale's values: %(values)s.") % {"values": ", ".join(map(str, values))}
            ]
            continue
        cleaned[key] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def weighted_total(criteria: list[dict], scores: dict) -> float | None:
    """The weighted mean of ``scores`` on the rubric's own scale, or None until every criterion is
    scored (shown beside a review; rankings are the scoring engine's)."""
    if not criteria or any(criterion["key"] not in scores for criterion in criteria):
        return None
    weights = sum(criterion["weight"] for criterion in criteria)
    return sum(criterion["weight"] * scores[criterion["key"]] for criterion in criteria) / weights
