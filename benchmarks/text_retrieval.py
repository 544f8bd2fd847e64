"""Text retrieval on the labelled bilingual set: Recall@10 and nDCG@10, same- and cross-language.

    .venv/bin/python benchmarks/text_retrieval.py [--out benchmarks/results/text-retrieval]

Builds the corpus from ``$DARI_SHARED_DATA`` (KRX 주요제품 in Korean, ClinicalTrials.gov titles in
English; see benchmarks/matching/README.md), indexes it with ``SearchIndex``, runs every query of
``benchmarks/matching/labelled_queries.json`` (but the ``fresh`` split, reported by
``heldout_retrieval.py`` alone) and scores the top 10 of the whole corpus with the semantic signal
alone, the lexical alone, the hybrid, and the hybrid without glossary expansion.

Same-language / cross-language: a query's relevant documents are split by their language; the part
in the query's language is scored as same-language, the other part as cross-language (documents of
the other part count as not relevant there). Recall@10 is capped (hits / min(10, relevant)), nDCG@10
binary. Each split's figure is the mean over the queries that have documents in it. Writes
``<out>.json`` and ``<out>.md``.

The corpus (~7,000 documents) is below ``TwoStage.start``, so the index scores every document
exactly. Every mode is run a second time on the same index with the two-stage path forced
(``TwoStage(start=1)``, the default 128 dimensions and shortlist), to show what it costs in quality;
``identical_top10`` counts the queries whose two-stage top 10 equals the exact one.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "matching"))
sys.path.insert(0, str(ROOT / "src"))

from corpus import corpus_documents, document_language  # noqa: E402

from dari.engines.matching import text as encoder  # noqa: E402
from dari.engines.matching.glossary import Glossary  # noqa: E402
from dari.engines.matching.search import SIGNALS, SearchIndex, TwoStage  # noqa: E402

K = 10
MODES = {
    "semantic": {"signals": ("semantic",), "glossary": True},
    "lexical": {"signals": ("lexical",), "glossary": True},
    "hybrid": {"signals": SIGNALS, "glossary": True},
    "hybrid_no_glossary": {"signals": SIGNALS, "glossary": False},
}


def recall_at_k(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return sum(1 for doc_id in ranked[:k] if doc_id in relevant) / min(k, len(relevant))


def ndcg_at_k(ranked: list[str], relevant: set[str], k: int = K) -> float:
    gain = sum(1 / math.log2(rank + 2) for rank, doc_id in enumerate(ranked[:k]) if doc_id in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return gain / ideal


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def evaluate(index: SearchIndex, queries: list[dict], signals, reference: dict | None = None) -> dict:
    """Scores of ``index`` on ``queries``; ``reference`` (query -> ranked ids) is filled, or compared."""
    per_split: dict[str, dict[str, list[float]]] = {}
    identical = 0
    encoder.clear_cache()  # each run encodes its queries (ms/query comparable between runs)
    started = time.perf_counter()
    for query in queries:
        ranked = [hit.id for hit in index.search(query["query"], k=K, signals=signals)]
        if reference is not None:
            identical += reference.setdefault(query["query"], ranked) == ranked
        for doc_language in ("ko", "en"):
            relevant = {doc_id for doc_id in query["relevant"] if document_language(doc_id) == doc_language}
            if not relevant:
                continue
            split = "same_language" if doc_language == query["language"] else "cross_language"
            for key in (split, f"{split}.{query['language']}_query"):
                bucket = per_split.setdefault(key, {"recall@10": [], "ndcg@10": []})
                bucket["recall@10"].append(recall_at_k(ranked, relevant))
                bucket["ndcg@10"].append(ndcg_at_k(ranked, relevant))
    elapsed = time.perf_counter() - started
    result = {
        key: {"n_queries": len(bucket["recall@10"]), **{m: _mean(v) for m, v in bucket.items()}}
        for key, bucket in sorted(per_split.items())
    }
    same, cross = result["same_language"]["recall@10"], result["cross_language"]["recall@10"]
    result["cross_vs_same_recall"] = round(cross / same, 4) if same else None
    result["ms_per_query"] = round(1000 * elapsed / len(queries), 2)
    result["identical_top10"] = identical
    return result


def table(modes: dict) -> list[str]:
    lines = [
        "| mode | same-lang R@10 | cross-lang R@10 | cross/same | same nDCG@10 | cross nDCG@10 | "
        "ko→ko R@10 | en→en R@10 | ko→en R@10 | en→ko R@10 | ms/query |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, result in modes.items():

        def cell(key, metric="recall@10", result=result):
            return f"{result[key][metric]:.3f}" if key in result else "–"

        lines.append(
            f"| {mode} | {cell('same_language')} | {cell('cross_language')} | "
            f"{result['cross_vs_same_recall']:.3f} | {cell('same_language', 'ndcg@10')} | "
            f"{cell('cross_language', 'ndcg@10')} | {cell('same_language.ko_query')} | "
            f"{cell('same_language.en_query')} | {cell('cross_language.ko_query')} | "
            f"{cell('cross_language.en_query')} | {result['ms_per_query']} |"
        )
    return lines


def markdown(report: dict) -> str:
    lines = [
        "# Text retrieval on the labelled bilingual set",
        "",
        f"Command: `{report['command']}`  ",
        f"Corpus: {report['corpus']['documents']} documents ({report['corpus']['korean']} Korean KRX "
        f"companies, {report['corpus']['english']} English trials); {report['n_queries']} queries "
        f"({report['n_korean_queries']} Korean, {report['n_english_queries']} English); index built in "
        f"{report['build_seconds']} s.",
        "",
        "Exact (every document scored exactly, as at this corpus size by default):",
        "",
        *table(report["modes"]),
        "",
        f"Two-stage path forced ({report['two_stage']}): coarse cosine for every document from a PCA "
        "projection, exact for the shortlists. Queries whose top 10 is identical to the exact one: "
        + ", ".join(
            f"{mode} {result['identical_top10']}/{report['n_queries']}"
            for mode, result in report["modes_two_stage"].items()
        )
        + ".",
        "",
        *table(report["modes_two_stage"]),
    ]
    lines += [
        "",
        "Same-language: the relevant documents in the query's language; cross-language: those in the",
        "other language (see benchmarks/matching/README.md). Recall@10 is capped at min(10, relevant).",
        "Target (issue 5): cross-language recall within 10% of same-language (cross/same ≥ 0.9).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "text-retrieval"))
    args = parser.parse_args()
    labelled = json.loads((ROOT / "benchmarks" / "matching" / "labelled_queries.json").read_text("utf-8"))
    # The fresh set is reported in one place only (heldout_retrieval.py), so that no other report
    # shows its figures to someone tuning (benchmarks/matching/README.md).
    queries = [query for query in labelled["queries"] if query["split"] != "fresh"]
    documents = corpus_documents()
    started = time.perf_counter()
    index = SearchIndex.build(documents)
    build_seconds = round(time.perf_counter() - started, 1)
    two_stage = TwoStage(start=1)
    forced = index.with_two_stage(two_stage)
    modes, modes_two_stage = {}, {}
    for mode, options in MODES.items():
        glossary = Glossary.default() if options["glossary"] else Glossary([])
        index.glossary = forced.glossary = glossary
        exact_ranking: dict[str, list[str]] = {}
        modes[mode] = evaluate(index, queries, options["signals"], exact_ranking)
        modes_two_stage[mode] = evaluate(forced, queries, options["signals"], exact_ranking)
        for path, result in (("exact", modes[mode]), ("two-stage", modes_two_stage[mode])):
            print(mode, path, json.dumps(result["same_language"]), json.dumps(result["cross_language"]))
    korean = sum(1 for document in documents if document_language(document.id) == "ko")
    report = {
        "command": "python benchmarks/text_retrieval.py",
        "corpus": {"documents": len(documents), "korean": korean, "english": len(documents) - korean},
        "n_queries": len(queries),
        "n_korean_queries": sum(1 for query in queries if query["language"] == "ko"),
        "n_english_queries": sum(1 for query in queries if query["language"] == "en"),
        "build_seconds": build_seconds,
        "k": K,
        "modes": modes,
        "two_stage": str(two_stage),
        "modes_two_stage": modes_two_stage,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")
    out.with_suffix(".md").write_text(markdown(report), "utf-8")
    print(f"wrote {out}.json and {out}.md")


if __name__ == "__main__":
    main()
