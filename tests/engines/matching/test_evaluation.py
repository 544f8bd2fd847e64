"""The evaluation on real investments: metrics, the cut-off, the two protocols, the command."""

import csv
import json
import os
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from dari.engines.matching import crunchbase, evaluation
from dari.engines.matching.cli import main as evaluate_matching
from dari.engines.matching.recommend import RecommendationIndex

COMPANY_COLUMNS = (
    "permalink,name,category_code,funding_total_usd,status,country_code,state_code,region,city,funding_rounds,"
    "founded_at,founded_month,founded_quarter,founded_year,first_funding_at,last_funding_at,last_milestone_at"
).split(",")
ROUND_COLUMNS = (
    "company_permalink,company_name,company_category_code,company_country_code,company_state_code,company_region,"
    "company_city,funding_round_type,funded_at,funded_month,funded_quarter,funded_year,raised_amount_usd"
).split(",")
INVESTMENT_COLUMNS = ["company_name", "investor_name", "funded_when", "amount_usd"]


def write(path: Path, columns: list[str], rows: list[dict]) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def company(name: str, category: str, region: str = "San Diego", **snapshot) -> dict:
    return {
        "permalink": f"/company/{name.lower()}",
        "name": name,
        "category_code": category,
        "country_code": "USA",
        "region": region,
        "founded_at": "2009-01-01",
        **snapshot,
    }


@pytest.fixture
def tiny(tmp_path):
    """Three investors, four companies; the cut-off is 2012-01-01.

    Gene (biotech) was funded by Alpha in 2011 and by Alpha, Beta and Gamma in 2012. Its snapshot
    columns and its 2013 round describe the future and must not be read.
    """
    companies = write(
        tmp_path / "companies.csv",
        COMPANY_COLUMNS,
        [
            company(
                "Gene",
                "biotech",
                funding_total_usd="99000000",
                status="ipo",
                funding_rounds="9",
                last_funding_at="2013-05-01",
            ),
            company("Cure", "biotech"),
            company("Chip", "software", region="SF Bay"),
            company("Web", "web", region="SF Bay"),
        ],
    )
    rounds = write(
        tmp_path / "rounds.csv",
        ROUND_COLUMNS,
        [
            {
                "company_name": "Gene",
                "funding_round_type": "series-a",
                "funded_at": "2011-03-01",
                "raised_amount_usd": "5000000",
                "company_category_code": "biotech",
            },
            {
                "company_name": "Gene",
                "funding_round_type": "series-c+",
                "funded_at": "2013-05-01",
                "raised_amount_usd": "90000000",
                "company_category_code": "biotech",
            },
        ],
    )
    train = write(
        tmp_path / "train.csv",
        INVESTMENT_COLUMNS,
        [
            {"company_name": "Gene", "investor_name": "Alpha Ventures", "funded_when": "2011-03-01"},
            {"company_name": "Cure", "investor_name": "alpha ventures", "funded_when": "2010-05-01"},
            {"company_name": "Cure", "investor_name": "Beta Bio", "funded_when": "2010-05-01"},
            {"company_name": "Chip", "investor_name": "Gamma Capital", "funded_when": "2010-07-01"},
            {"company_name": "Web", "investor_name": "Gamma Capital", "funded_when": "2010-08-01"},
            # Dated after the cut-off in the training file: never read.
            {"company_name": "Web", "investor_name": "Late Fund", "funded_when": "2012-02-01"},
        ],
    )
    test = write(
        tmp_path / "test.csv",
        INVESTMENT_COLUMNS,
        [
            {"company_name": "Gene", "investor_name": "Alpha Ventures", "funded_when": "2012-01-01"},
            {"company_name": "Gene", "investor_name": "Beta Bio", "funded_when": "2012-01-01"},
            {"company_name": "Gene", "investor_name": "Gamma Capital", "funded_when": "2012-01-01"},
            {"company_name": "Web", "investor_name": "Unseen Angel", "funded_when": "2012-04-01"},
        ],
    )
    return {"companies": companies, "rounds": rounds, "train": train, "test": test}


def load(files, **options):
    return crunchbase.load_split(
        files["companies"], files["rounds"], files["train"], files["test"], **options
    )


def test_metrics_on_a_hand_computed_ranking():
    # Relevant items at ranks 2 and 12, of 2 relevant.
    metrics = evaluation.metrics_from_ranks([12, 2], n_relevant=2)

    assert metrics["hit_rate@10"] == 1.0
    assert metrics["recall@10"] == 0.5
    assert metrics["recall@50"] == 1.0
    assert metrics["mrr"] == 0.5
    # DCG = 1/log2(3); ideal DCG = 1 + 1/log2(3)
    assert metrics["ndcg@10"] == pytest.approx((1 / np.log2(3)) / (1 + 1 / np.log2(3)))


def test_metrics_when_nothing_relevant_is_in_the_top_ten():
    metrics = evaluation.metrics_from_ranks([11], n_relevant=1)

    assert metrics == {"hit_rate@10": 0.0, "recall@10": 0.0, "recall@50": 1.0, "mrr": 1 / 11, "ndcg@10": 0.0}


def test_ranks_break_ties_by_the_secondary_key_then_by_row():
    primary = np.array([1.0, 3.0, 3.0, 0.0])
    secondary = np.array([0.0, 1.0, 2.0, 0.0])

    assert evaluation.ranks_of(np.array([1, 2, 0]), primary, secondary, np.ones(4, dtype=bool)) == [2, 1, 3]
    assert evaluation.ranks_of(np.array([1]), primary, secondary, np.array([True, True, False, True])) == [1]


def test_cutoff_defaults_to_the_test_files_first_date(tiny):
    assert load(tiny).cutoff == date(2012, 1, 1)


def test_nothing_dated_on_or_after_the_cutoff_reaches_the_model(tiny):
    split = load(tiny)

    gene = split.companies["/company/gene"]
    assert gene.stage == "series_a"  # the 2013 series C is not known yet
    assert gene.amount_sought_usd == 2 * 5_000_000
    assert "investor:late fund" not in {profile.id for profile in split.investors}
    dates = [deal.on for profile in split.investors for deal in profile.deals]
    assert all(day < date(2012, 1, 1) for day in dates)


def test_snapshot_columns_are_never_read(tiny):
    split = load(tiny)

    gene = split.companies["/company/gene"]
    known = repr(gene) + repr(split.investors)
    for future in ("99000000", "ipo", "2013-05-01", "90000000"):
        assert future not in known
    assert crunchbase.SNAPSHOT_COLUMNS.isdisjoint(gene.extra)


def test_investors_are_one_identity_whatever_the_case():
    assert crunchbase.normalize_name(" Alpha  Ventures.") == crunchbase.normalize_name("alpha ventures")


def test_new_relationships_leave_prior_investors_out_of_relevant_sets_and_rankings(tiny):
    split = load(tiny)
    index = RecommendationIndex.build(split.investors, as_of=split.cutoff)
    alpha = index.row_of["investor:alpha ventures"]

    new = evaluation.cases(split, index, "new_relationships")
    every = evaluation.cases(split, index, "all_relationships")

    assert [case.company for case in new] == ["/company/gene"]  # Web's only test investor is unseen
    assert alpha not in new[0].relevant and not new[0].eligible[alpha]
    assert alpha in every[0].relevant and every[0].eligible[alpha]
    results = evaluation.evaluate(split, index)
    # Two new investors among the two eligible ones: every ranking finds both in its top 10.
    for ranker in evaluation.RANKERS:
        assert results["new_relationships"]["all"][ranker]["recall@10"] == 1.0
    assert results["new_relationships"]["bio_health"]["n_companies"] == 1


def check_shape(results: dict) -> None:
    assert set(results) == set(evaluation.PROTOCOLS)
    for protocol in evaluation.PROTOCOLS:
        assert set(results[protocol]) == {"all", "bio_health"}
        for subset in results[protocol].values():
            assert set(subset) == {"n_companies", *evaluation.RANKERS}
            for ranker in evaluation.RANKERS:
                assert set(subset[ranker]) == set(evaluation.METRICS)


def test_command_writes_the_results_in_the_issues_shape(tiny, tmp_path):
    out = tmp_path / "results.json"
    arguments = ["--out", str(out), "--cutoff", "2012-01-01"]
    for name in ("companies", "rounds", "train", "test"):
        arguments += [f"--{name}", str(tiny[name])]

    assert evaluate_matching(arguments) == 0

    results = json.loads(out.read_text())
    check_shape(results)
    assert results["new_relationships"]["all"]["n_companies"] == 1
    assert json.loads(out.with_suffix(".meta.json").read_text())["cutoff"] == "2012-01-01"


@pytest.mark.slow
def test_command_on_the_real_crunchbase_files(tmp_path):
    data = Path(os.environ.get("DARI_SHARED_DATA", Path(__file__).parents[3] / ".." / "shared" / "data"))
    folder = data / "crunchbase-2013"
    if not (folder / "investments-through-2012.csv").exists():
        pytest.skip("the Crunchbase 2013 files are not available")
    rows = crunchbase.read_rows(folder / "investments-through-2012.csv")
    train = write(
        tmp_path / "train.csv",
        INVESTMENT_COLUMNS,
        [r for r in rows if "2010-07-01" <= r["funded_when"] < "2012-10-01"],
    )
    test = write(
        tmp_path / "test.csv",
        INVESTMENT_COLUMNS,
        [r for r in rows if "2012-10-01" <= r["funded_when"] < "2012-12-01"],
    )
    out = tmp_path / "results.json"

    evaluate_matching(
        [
            "--companies",
            str(folder / "companies.csv"),
            "--rounds",
            str(folder / "rounds.csv"),
            "--train",
            str(train),
            "--test",
            str(test),
            "--out",
            str(out),
        ]
    )

    results = json.loads(out.read_text())
    check_shape(results)
    assert results["new_relationships"]["all"]["n_companies"] > 100


def test_command_learns_a_model_on_earlier_periods_saves_it_and_reports_with_it(tiny, tmp_path):
    out, model = tmp_path / "results.json", tmp_path / "model" / "reranker.json"
    arguments = ["--out", str(out), "--cutoff", "2012-01-01", "--save-model", str(model)]
    for name in ("companies", "rounds", "train", "test"):
        arguments += [f"--{name}", str(tiny[name])]
    # The tiny history, as if it were two earlier periods (the model may not learn much from it).
    for _ in range(2):
        arguments += ["--tune-train", str(tiny["train"]), "--tune-test", str(tiny["test"])]
        arguments += ["--tune-cutoff", "2012-01-01"]

    assert evaluate_matching(arguments) == 0

    check_shape(json.loads(out.read_text()))
    meta = json.loads(out.with_suffix(".meta.json").read_text())
    assert meta["tuned_on"]["cutoff"] == ["2012-01-01", "2012-01-01"]
    assert meta["reranker"]["pool_size"] == 300
    saved = json.loads(model.read_text())
    assert saved["cutoffs"] == ["2012-01-01", "2012-01-01"] and len(saved["models"]) == 3
    assert all((model.parent / name).exists() for name in saved["models"])


def test_command_refuses_unpaired_tuning_files_and_a_model_without_tuning(tiny, tmp_path, capsys):
    base = ["--out", str(tmp_path / "r.json")]
    for name in ("companies", "rounds", "train", "test"):
        base += [f"--{name}", str(tiny[name])]
    for extra in (
        ["--tune-train", str(tiny["train"])],
        ["--tune-train", str(tiny["train"]), "--tune-test", str(tiny["test"]), "--tune-cutoff", "2012-01-01"]
        + ["--tune-train", str(tiny["train"]), "--tune-test", str(tiny["test"])],
        ["--save-model", str(tmp_path / "m.json")],
        ["--no-rerank", "--tune-train", str(tiny["train"]), "--tune-test", str(tiny["test"])],
    ):
        with pytest.raises(SystemExit):
            evaluate_matching(base + extra)
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "m.json").exists()


def test_the_coinvestment_baseline_ranks_who_invested_with_the_earlier_investors():
    from types import SimpleNamespace

    index = SimpleNamespace(row_of={"a": 0, "b": 1, "c": 2, "d": 3}, n=4)
    split = SimpleNamespace(prior_investors={"x": {"a", "b"}, "y": {"a", "b", "c"}, "z": {"c", "d"}})
    together = evaluation.coinvestments(split, index)
    assert together[0] == {1: 2, 2: 1} and together[3] == {2: 1}
    activity = np.array([0.0, 0.0, 0.5, 3.0])
    primary, secondary = evaluation.coinvestment_ranking(together, {"a"}, index, activity)
    assert primary.tolist() == [0, 2, 1, 0]
    eligible = np.array([False, True, True, True])  # "a" invested before: left out
    assert evaluation.ranks_of(np.array([1, 2, 3]), primary, secondary, eligible) == [1, 2, 3]
    # Without earlier investors, the activity in the company's region and category decides.
    primary, secondary = evaluation.coinvestment_ranking(together, set(), index, activity)
    assert evaluation.ranks_of(np.array([3]), primary, secondary, np.ones(4, dtype=bool)) == [1]
