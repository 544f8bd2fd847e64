"""``dari rank_reviews``: a committee's spreadsheet of reviews ranked by the scoring engine, with no
database; a bad row is named on stderr, the command exits 1 and writes nothing."""

import csv
import io
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from dari.engines.scoring import Criterion, Review, Scale, rank_reviews
from dari.exchange.management.commands.rank_reviews import OUTPUT

ROOT = Path(__file__).resolve().parents[2]
BOM = b"\xef\xbb\xbf"
# Two criteria, team weighing twice market; three reviewers, three Korean-named applications.
REVIEWS = [
    ("바이오센서", "김민수", "team", 2, 5),
    ("바이오센서", "김민수", "market", 1, 4),
    ("바이오센서", "Lee", "team", 2, 3),
    ("바이오센서", "Lee", "market", 1, 3),
    ("디지털치료제", "김민수", "team", 2, 3),
    ("디지털치료제", "김민수", "market", 1, 3),
    ("디지털치료제", "Park", "team", 2, 5),
    ("디지털치료제", "Park", "market", 1, 5),
    ("의료영상 AI", "Lee", "team", 2, 1),
    ("의료영상 AI", "Lee", "market", 1, 2),
    ("의료영상 AI", "Park", "team", 2, 5),
    ("의료영상 AI", "Park", "market", 1, 4),
]


def csv_bytes(rows, header=("application", "reviewer", "criterion", "weight", "score"), encoding="utf-8"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def run(path, *args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("rank_reviews", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def read_ranking(path):
    data = path.read_bytes()
    assert data.startswith(BOM)  # so that Excel opens the Korean names right
    return list(csv.DictReader(io.StringIO(data[len(BOM) :].decode("utf-8"))))


def test_a_csv_with_bom_and_korean_names_is_ranked_like_the_engine_ranks_it(tmp_path):
    source, out = tmp_path / "심사.csv", tmp_path / "ranking.csv"
    source.write_bytes(BOM + csv_bytes(REVIEWS))

    code, stdout, stderr = run(source, "--scale", "1-5", "--out", str(out))

    assert (code, stderr) == (0, "")
    expected = rank_reviews(
        [
            Review(application, reviewer, {"team": team, "market": market})
            for (application, reviewer, _c, _w, team), (*_same, market) in zip(
                REVIEWS[::2], REVIEWS[1::2], strict=True
            )
        ],
        Scale(1, 5),
        criteria=[Criterion("team", 2), Criterion("market", 1)],
    )
    rows = read_ranking(out)
    assert [row["application"] for row in rows] == [line.application for line in expected.applications]
    first, line = rows[0], expected.applications[0]
    assert first["rank"] == "1" and float(first["normalized"]) == round(line.normalized, 3)
    assert float(first["raw"]) == round(line.raw, 3) and first["raw_rank"] == str(line.raw_rank)
    assert {row["application"]: row["disagreement"] for row in rows}["의료영상 AI"] == "true"
    assert {row["application"]: row["reviewers"] for row in rows}["바이오센서"] == "Lee; 김민수"
    assert tuple(rows[0]) == OUTPUT
    assert "Applications ranked: 3 (reviews: 6, reviewers: 3, by the mean)" in stdout
    assert "Strong disagreement: 1." in stdout


def test_the_same_file_without_bom_or_in_cp949_and_its_rows_shuffled_gives_the_same_ranking(tmp_path):
    outputs = []
    for index, data in enumerate(
        (
            BOM + csv_bytes(REVIEWS),
            csv_bytes(REVIEWS[::-1]),
            csv_bytes(REVIEWS[3:] + REVIEWS[:3], encoding="cp949"),
        )
    ):
        source, out = tmp_path / f"reviews-{index}.csv", tmp_path / f"ranking-{index}.csv"
        source.write_bytes(data)
        assert run(source, "--scale", "1-5", "--out", str(out))[0] == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_an_xlsx_workbook_is_read_like_the_csv(tmp_path):
    workbook = Workbook()
    workbook.active.append(["application", "reviewer", "criterion", "weight", "score"])
    for row in REVIEWS:
        workbook.active.append(list(row))
    workbook.save(tmp_path / "reviews.xlsx")
    (tmp_path / "reviews.csv").write_bytes(BOM + csv_bytes(REVIEWS))

    for name in ("reviews.xlsx", "reviews.csv"):
        assert run(tmp_path / name, "--scale", "1-5", "--out", str(tmp_path / f"{name}.ranking.csv"))[0] == 0
    assert (tmp_path / "reviews.xlsx.ranking.csv").read_bytes() == (
        tmp_path / "reviews.csv.ranking.csv"
    ).read_bytes()


def test_ties_are_ordered_by_the_application_s_name(tmp_path):
    source, out = tmp_path / "reviews.csv", tmp_path / "ranking.csv"
    rows = [(name, "kim", 4) for name in ("나", "가", "B", "A")]
    source.write_bytes(csv_bytes(rows, header=("application", "reviewer", "score")))

    assert run(source, "--scale", "1-5", "--out", str(out))[0] == 0

    assert [row["application"] for row in read_ranking(out)] == ["A", "B", "가", "나"]


def test_the_median_is_taken_when_asked(tmp_path):
    source, out = tmp_path / "reviews.csv", tmp_path / "ranking.csv"
    rows = [("A", "kim", 1), ("A", "lee", 2), ("A", "park", 5)]
    source.write_bytes(csv_bytes(rows, header=("application", "reviewer", "score")))

    code, stdout, _err = run(source, "--scale", "1-5", "--aggregate", "median", "--out", str(out))

    assert code == 0 and "by the median" in stdout
    assert read_ranking(out)[0]["raw"] == "2.0"


@pytest.mark.parametrize(
    ("rows", "header", "expected"),
    [
        ([("A", "kim", 4)], ("application", "reviewer"), ["row 1, score: This column is missing."]),
        ([("A", "kim", "four")], None, ["row 2, score: four is not a number."]),
        ([("A", "kim", 4), ("B", "kim", 6)], None, ["row 3, score: 6 is outside the scale 1-5."]),
        ([("A", "kim", 0)], None, ["row 2, score: 0 is outside the scale 1-5."]),
        (
            [("A", "", 3), ("B", "kim", "")],
            None,
            ["row 2, reviewer: This cell is empty.", "row 3, score: This cell is empty."],
        ),
        ([("A", "kim", 4), ("A", "kim", 5)], None, ["row 3, score: The same score is already on row 2."]),
        (
            [("A", "kim", "team", 2, 4), ("B", "kim", "team", 3, 4)],
            ("application", "reviewer", "criterion", "weight", "score"),
            ["row 3, weight: This criterion's weight is 2 on row 2."],
        ),
        (
            [("A", "kim", "team", -1, 4)],
            ("application", "reviewer", "criterion", "weight", "score"),
            ["row 2, weight: A weight is a number above 0, not -1."],
        ),
        (
            [("A", "kim", "team", 4), ("A", "kim", "market", 3), ("B", "lee", "team", 5)],
            ("application", "reviewer", "criterion", "score"),
            ["row 4, criterion: This review has no score for market, which other reviews score."],
        ),
        ([], ("application", "reviewer", "score"), ["row 2, -: The file has no reviews."]),
    ],
)
def test_a_bad_file_names_the_row_exits_1_and_writes_nothing(tmp_path, rows, header, expected):
    source, out = tmp_path / "reviews.csv", tmp_path / "ranking.csv"
    source.write_bytes(BOM + csv_bytes(rows, header=header or ("application", "reviewer", "score")))
    out.write_text("the ranking of last week\n", encoding="utf-8")

    code, stdout, stderr = run(source, "--scale", "1-5", "--out", str(out))

    assert code == 1 and stdout == ""
    lines = stderr.strip().splitlines()
    assert lines[:-1] == expected
    assert lines[-1].endswith("nothing was written.")
    assert out.read_text(encoding="utf-8") == "the ranking of last week\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ranking.csv", "reviews.csv"]


def test_messages_follow_the_language_asked(tmp_path):
    source = tmp_path / "reviews.csv"
    source.write_bytes(csv_bytes([("A", "kim", "넷")], header=("application", "reviewer", "score")))

    _code, _out, stderr = run(source, "--scale", "1-5", "--out", str(tmp_path / "r.csv"), "--lang", "ko")

    assert "2행, score: 넷은(는) 숫자가 아닙니다." in stderr


def test_a_scale_that_cannot_be_read_is_refused(tmp_path):
    source = tmp_path / "reviews.csv"
    source.write_bytes(csv_bytes([("A", "kim", 3)], header=("application", "reviewer", "score")))

    with pytest.raises(Exception, match="Write the scale like 1-5, not 5-1."):
        call_command("rank_reviews", str(source), "--scale", "5-1", "--out", str(tmp_path / "r.csv"))
    assert not (tmp_path / "r.csv").exists()


def test_dari_rank_reviews_runs_without_a_database(tmp_path):
    source, out = tmp_path / "reviews.csv", tmp_path / "ranking.csv"
    source.write_bytes(BOM + csv_bytes(REVIEWS))
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DARI_SECRET_KEY": "a-key-for-this-test-only-0123456789-abcdefghijklmnopqrstuvwxyz",
        # Nothing answers here: any query would fail the command.
        "DARI_DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dari",
            "rank_reviews",
            str(source),
            "--scale",
            "1-5",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert len(read_ranking(out)) == 3
