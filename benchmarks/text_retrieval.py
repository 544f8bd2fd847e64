"""Text retrieval on the labelled bilingual set: Recall@10 and nDCG@10, same- and cross-language.

    .venv/bin/python benchmarks/text_retrieval.py [--out benchmarks/results/text-retrieval]

Builds the corpus from ``$DARI_SHARED_DATA`` (KRX 주요제품 in Korean, ClinicalTrials.gov titles in
English; see benchmarks/matching/README.md), indexes it with ``SearchIndex``, runs every query of
``benchmarks/matching/labelled_queries.json`` and scores the top 10 of the whole corpus with the
semantic signal alone, the lexical alone, the hybrid, and the hybrid without glossary expansion.

Same-language / cross-language: a query's relevant documents are split by their language; the part
in the query's language is scored as same-language, the other part as cross-language (documents of
the other part count as not relevant there). Recall@10 is capped (hits / min(10, relevant)), nDCG@10
binary. Each split's figure is the mean over the queries that have documents in it. Writes
``<out>.json`` and ``<out>.md``.
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

from dari.engines.matching.glossary import Glossary  # noqa: E402
from dari.engines.matching.search import SIGNALS, SearchIndex  # noqa: E402

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


def evaluate(index: SearchIndex, queries: list[dict], signals) -> dict:
    per_split: dict[str, dict[str, list[float]]] = {}
    started = time.perf_counter()
    for query in queries:
        ranked = [hit.id for hit in index.search(query["query"], k=K, signals=signals)]
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
    return result


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
        "| mode | same-lang R@10 | cross-lang R@10 | cross/same | same nDCG@10 | cross nDCG@10 | "
        "ko→ko R@10 | en→en R@10 | ko→en R@10 | en→ko R@10 | ms/query |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, result in report["modes"].items():

        def cell(key, metric="recall@10", result=result):
            return f"{result[key][metric]:.3f}" if key in result else "–"

        lines.append(
            f"| {mode} | {cell('same_language')} | {cell('cross_language')} | "
            f"{result['cross_vs_same_recall']:.3f} | {cell('same_language', 'ndcg@10')} | "
            f"{cell('cross_language', 'ndcg@10')} | {cell('same_language.ko_query')} | "
            f"{cell('same_language.en_query')} | {cell('cross_language.ko_query')} | "
            f"{cell('cross_language.en_query')} | {result['ms_per_query']} |"
        )
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
    queries = labelled["queries"]
    documents = corpus_documents()
    started = time.perf_counter()
    index = SearchIndex.build(documents)
    build_seconds = round(time.perf_counter() - started, 1)
    modes = {}
    for mode, options in MODES.items():
        index.glossary = Glossary.default() if options["glossary"] else Glossary([])
        modes[mode] = evaluate(index, queries, options["signals"])
        print(mode, json.dumps(modes[mode]["same_language"]), json.dumps(modes[mode]["cross_language"]))
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
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")
    out.with_suffix(".md").write_text(markdown(report), "utf-8")
    print(f"wrote {out}.json and {out}.md")


if __name__ == "__main__":
    main()
