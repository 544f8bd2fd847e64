"""``dari rank_reviews FILE --scale 1-5 [--aggregate mean|median] --out ranking.csv``: a committee's
spreadsheet of reviews ranked by ``dari.engines.scoring``, with no database.

The file is read like every import (``dari.exchange.tables``: CSV in UTF-8 with or without BOM, or
CP949, or XLSX), one row per score: ``application``, ``reviewer``, ``score``, and optionally
``criterion`` and ``weight`` (a criterion's weight, the same on each of its rows; 1 when left out).
Every row is checked first; a bad one is reported on stderr with its row and column, the command
exits 1 and writes nothing.
"""

import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from dari.engines.scoring import (
    AGGREGATES,
    MIN_REVIEWS,
    OVERALL,
    Criterion,
    Review,
    Scale,
    ScoringError,
    rank_reviews,
)
from dari.exchange.tables import TableError, read_number, read_table, read_text, write_csv

REQUIRED = ("application", "reviewer", "score")
OUTPUT = (
    "rank",
    "application",
    "normalized",
    "raw",
    "raw_rank",
    "reviews",
    "raw_sd",
    "raw_range",
    "normalized_sd",
    "normalized_range",
    "disagreement",
    "reviewers",
)


class Command(BaseCommand):
    help = (
        "Rank the applications of a spreadsheet of reviews (CSV in UTF-8 with or without BOM or CP949, "
        "or XLSX; columns application, reviewer, score, and optionally criterion and weight): weighted "
        "totals, each reviewer's scores normalized (z-score mapped back onto the scale; reviewers with "
        f"fewer than {MIN_REVIEWS} reviews pooled toward the panel), raw and normalized scores side by "
        "side with the spread between reviewers and a flag for strong disagreement. A bad row is "
        "reported on stderr (row, column, reason), the command exits 1 and writes nothing. Needs no "
        "database."
    )
    # Reads a file and writes a file: no model, no database, so no system checks either.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the reviews, .csv or .xlsx")
        parser.add_argument("--scale", required=True, help="the scores' scale, e.g. 1-5 or 0-10")
        parser.add_argument("--aggregate", choices=AGGREGATES, default="mean", help="per application")
        parser.add_argument("--out", type=Path, required=True, help="the ranking CSV to write")
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language of the messages (default: the installation's)",
        )

    def handle(self, *args, file: Path, scale: str, aggregate: str, out: Path, lang: str | None, **options):
        with translation.override(lang or translation.get_language()):
            self.rank(file, scale, aggregate, out)

    def rank(self, file: Path, scale_text: str, aggregate: str, out: Path) -> None:
        try:
            scale = Scale.parse(scale_text)
        except ScoringError:
            raise CommandError(
                _("Write the scale like 1-5, not %(value)s.") % {"value": scale_text}
            ) from None
        try:
            table = read_table(file.read_bytes(), file.name)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
        except TableError as error:
            raise CommandError(f"{file}: {error}") from None

        sheet = read_sheet(table, scale)
        ranking = None
        if not sheet.problems:
            try:
                ranking = rank_reviews(sheet.reviews_to_rank(), scale, sheet.criteria(), aggregate)
            except ScoringError as error:
                sheet.problems.append(sheet.problem_of(error))
        if sheet.problems:
            for row, column, message in sheet.problems:
                self.stderr.write(
                    _("row %(row)d, %(column)s: %(message)s")
                    % {"row": row, "column": column or "-", "message": message}
                )
            count = len(sheet.problems)
            self.stderr.write(
                ngettext(
                    "%(count)d problem; nothing was written.",
                    "%(count)d problems; nothing was written.",
                    count,
                )
                % {"count": count}
            )
            sys.exit(1)

        write_atomically(out, write_csv(list(OUTPUT), (output_row(line) for line in ranking.applications)))
        self.stdout.write(
            _(
                "Applications ranked: %(applications)d (reviews: %(reviews)d, reviewers: %(reviewers)d, "
                "by the %(aggregate)s). Strong disagreement: %(flagged)d. Reviewers with fewer than "
                "%(minimum)d reviews, pooled toward the panel: %(pooled)d. Written to %(path)s."
            )
            % {
                "applications": len(ranking.applications),
                "reviews": len(ranking.reviews),
                "reviewers": len(ranking.reviewers),
                "aggregate": aggregate_name(aggregate),
                "flagged": sum(line.disagreement for line in ranking.applications),
                "minimum": MIN_REVIEWS,
                "pooled": sum(each.method == "pooled" for each in ranking.reviewers.values()),
                "path": out,
            }
        )


@dataclass
class Sheet:
    """The reviews of a table, each criterion's weight, and the problems found on the way."""

    scores: dict[tuple[str, str], dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    score_rows: dict[tuple[str, str, str], int] = field(default_factory=dict)  # each score's row
    review_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # each review's first row
    weights: dict[str, tuple[float, int]] = field(default_factory=dict)
    criterion_keys: set[str] = field(default_factory=set)
    problems: list[tuple[int, str, str]] = field(default_factory=list)

    def reviews_to_rank(self) -> list[Review]:
        return [
            Review(application, reviewer, scores) for (application, reviewer), scores in self.scores.items()
        ]

    def criteria(self) -> list[Criterion]:
        return [Criterion(key, self.weights.get(key, (1.0, 0))[0]) for key in sorted(self.criterion_keys)]

    def problem_of(self, error: ScoringError) -> tuple[int, str, str]:
        """The engine's refusal of a whole review (a criterion the others score is missing) as a row's."""
        row = self.review_rows.get((error.params.get("application"), error.params.get("reviewer")), 1)
        if error.code == "missing_criterion":
            return (
                row,
                "criterion",
                _("This review has no score for %(criterion)s, which other reviews score.") % error.params,
            )
        return (row, "", str(error))


def read_sheet(table, scale: Scale) -> Sheet:
    sheet = Sheet()
    sheet.problems += [
        (1, name, _("This column is missing.")) for name in REQUIRED if name not in table.header
    ]
    if sheet.problems:
        return sheet
    for row, values in table.records():
        review = (read_text(values["application"]), read_text(values["reviewer"]))
        criterion = read_text(values.get("criterion", "")) or OVERALL
        for column, text in zip(("application", "reviewer"), review, strict=True):
            if not text:
                sheet.problems.append((row, column, _("This cell is empty.")))
        score = _cell_number(sheet, row, values, "score", required=True)
        if score is not None:
            try:
                score = scale.check(score)
            except ScoringError as error:
                sheet.problems.append(
                    (row, "score", _("%(value)s is outside the scale %(scale)s.") % error.params)
                )
                score = None
        _claim_weight(sheet, row, criterion, _cell_number(sheet, row, values, "weight", required=False))
        if all(review) and score is not None:
            first = sheet.score_rows.setdefault((*review, criterion), row)
            if first != row:
                message = _("The same score is already on row %(row)d.") % {"row": first}
                sheet.problems.append((row, "criterion" if criterion else "score", message))
            sheet.review_rows.setdefault(review, row)
            sheet.scores[review][criterion] = score
            sheet.criterion_keys.add(criterion)
    if not sheet.problems and not sheet.scores:
        sheet.problems.append((2, "", _("The file has no reviews.")))
    return sheet


def _cell_number(sheet: Sheet, row: int, values: dict, column: str, required: bool) -> float | None:
    try:
        number = read_number(values.get(column, ""))
    except ValueError:
        sheet.problems.append((row, column, _("%(value)s is not a number.") % {"value": values[column]}))
        return None
    if number is None and required:
        sheet.problems.append((row, column, _("This cell is empty.")))
    return None if number is None else float(number)


def _claim_weight(sheet: Sheet, row: int, criterion: str, weight: float | None) -> None:
    """A criterion's weight is given once, or the same on each of its rows."""
    if weight is None:
        return
    try:
        Criterion(criterion, weight)
    except ScoringError:
        sheet.problems.append(
            (row, "weight", _("A weight is a number above 0, not %(value)s.") % {"value": f"{weight:g}"})
        )
        return
    known, known_row = sheet.weights.setdefault(criterion, (weight, row))
    if known != weight:
        message = _("This criterion's weight is %(weight)s on row %(row)d.") % {
            "weight": f"{known:g}",
            "row": known_row,
        }
        sheet.problems.append((row, "weight", message))


def aggregate_name(aggregate: str) -> str:
    names = {"mean": pgettext("review scores", "mean"), "median": pgettext("review scores", "median")}
    return names[aggregate]


def output_row(line) -> list:
    return [
        line.rank,
        line.application,
        round(line.normalized, 3),
        round(line.raw, 3),
        line.raw_rank,
        line.reviews,
        round(line.raw_sd, 3),
        round(line.raw_range, 3),
        round(line.normalized_sd, 3),
        round(line.normalized_range, 3),
        line.disagreement,
        "; ".join(line.reviewers),
    ]


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` in ``path`` whole or not at all (a half-written ranking would read as a short one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as out:
        out.write(data)
    os.replace(out.name, path)
