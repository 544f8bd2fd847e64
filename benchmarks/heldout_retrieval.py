"""Search on the labelled set's development and held-out halves: recall and precision, glossary on and off.

    .venv/bin/python benchmarks/heldout_retrieval.py [--out benchmarks/results/heldout-retrieval]
    .venv/bin/python benchmarks/heldout_retrieval.py --choose-floor   # on the dev half only
    .venv/bin/python benchmarks/heldout_retrieval.py --choose-names   # on the dev half only
    .venv/bin/python benchmarks/heldout_retrieval.py --probe-names    # dev half + the corpus's words
    .venv/bin/python benchmarks/heldout_retrieval.py --choose-exact-names  # dev half + corpus words
    .venv/bin/python benchmarks/heldout_retrieval.py --probe-loanwords  # dev half + KRX names + words
    .venv/bin/python benchmarks/heldout_retrieval.py --choose-cross-language  # on the dev half only
    .venv/bin/python benchmarks/heldout_retrieval.py --choose-place-offset  # on the dev half only
    .venv/bin/python benchmarks/heldout_retrieval.py --probe-group-names  # KRX names + corpus words
    .venv/bin/python benchmarks/heldout_retrieval.py --choose-public-terms  # on the dev half only
    .venv/bin/python benchmarks/heldout_retrieval.py --smoke          # CI: a few documents and queries

Several steps may be asked for at once; they run in one process, and the report with them when
``--report`` is given.

The labelled set (``benchmarks/matching/labelled_queries.json``) stores each topic's half: ``dev``
(the glossary, weights and the relevance floor are chosen on it) and ``heldout`` (reported only).
``--choose-floor`` reads the dev half alone and writes ``text-retrieval-floor.json``; the report
reads both halves and the held-out half's ``issue-15`` topics alone (the glossary was written with
the first 68 topics, so only those are held out from everyone who tuned it).

The fresh set (split ``fresh``, origin ``issue-15-fresh``, ``benchmarks/matching/topics_fresh.py``)
is a third split, written on 2026-12-07 after the held-out half had been reported after many changes
and some name rules had been written from its failed name queries, so that its figures were no
longer a clean held-out measurement. Its topics and labels were written without looking at the
engine's results, its glossary or its rules, and checked by reading every match
(``build_labelled_queries.py --review fresh``). The report gives it a table of its own (every mode,
the same metrics); no ``--choose-*`` or ``--probe-*`` step reads it, ``--dev-only`` does not run it,
and it must never be tuned on: nothing (a rule, a word list, a weight, a threshold) may be chosen
or written from its queries or its results. Once that has happened, it is no longer fresh.

Modes, all in one run on the same corpus (ratios are within the run):

- ``today``: the search as it was before issue 15 (shipped glossary, no places, no website names, no
  relevance floor, every expansion counted alike);
- ``today_no_glossary``: the same without the glossary;
- ``served``: as served now: ``RELEVANCE_FLOOR``, places in the documents, the shipped glossary (the
  hand-written groups and the public terms, ``Glossary.default``) plus the scenario taxonomy's names
  and synonyms (as ``dari.matching.engine.glossary``), expansions weighted by specificity;
- ``served_no_glossary``: the same, glossary off;
- ``served_spelled_names``: served, but names matched as before (spelling only: no beginning of a
  name, no sound keys across scripts, no ``NAMED_RELATIVE`` floor); ``--choose-names`` chooses
  ``SOUND_THRESHOLD`` and ``NAMED_RELATIVE`` on the dev half;
- ``served_names_before_exact``: served, but names as before a name was shown alone (no
  ``EXACT_NAMES_ONLY``, ``EXACT_SOUNDS_ONLY``, ``COMPANY_WORD_SOUNDS``, ``NAMES_WITHIN``;
  ``--choose-exact-names`` chooses them on the dev half);
- ``served_without_websites``: served, but the KRX companies without the name their 홈페이지 address
  gives them (``names.website_name``; an organization's website in the registry);
- ``served_no_loanwords``: served, but a query in Latin letters sounded only as before (no
  ``names.LOANWORD_SOUNDS``: an r after a vowel heard, tz as t + z); ``--probe-loanwords`` chooses
  ``names.LOANWORD_MINIMUM`` on the dev half, the KRX rows' name / web-address pairs and the corpus's
  words;
- ``served_no_language_offset``: served, but without ``CROSS_LANGUAGE_OFFSET`` nor
  ``PLACE_LANGUAGE_OFFSET`` (a document written only in the other language than the query's scored
  on its cosine alone); ``--choose-cross-language`` chooses the first on the dev half;
- ``served_place_offset_as_others``: served, but a query naming a place given ``CROSS_LANGUAGE_OFFSET``
  like any other (as before ``PLACE_LANGUAGE_OFFSET``); ``--choose-place-offset`` chooses that one on
  the dev half;
- ``served_flat``: served, but every expansion counts alike (``SPECIFIC_EXPANSIONS`` off;
  ``--choose-specificity`` chooses ``SPECIFICITY_POWER`` on the dev half);
- ``served_no_taxonomy``: served with the shipped glossary only (no taxonomy synonyms);
- ``served_public_terms``: served with every public term (``glossary.PUBLIC_TERM_FILES``: headwords
  and alternatives) whatever ``glossary.PUBLIC_TERMS`` serves; ``--choose-public-terms`` chooses
  that on the dev half between none, the headwords, and the headwords with alternatives;
- ``semantic`` / ``lexical``: one signal alone (served documents, no floor, no language offset);
- with ``--dev-only`` also ``DEV_VARIANTS`` (more weight on meaning or on the expansions), so that
  such a change is chosen on the dev half before the held-out half ever runs it.

``--probe-names`` chooses when a name match counts (``search.UNWRITTEN_SOUND_WEIGHT``,
``search.HANGUL_SOUND_MINIMUM``, ``names.PREFIX_HANGUL_SYLLABLES``) on the dev half and on queries no
one labelled: every word of the corpus's own texts (Korean words of 2-8 syllables in three or more
KRX rows, English words of 4 letters or more in three or more trials; places left out), searched as
served and as before the name matching (``served_spelled_names``). A word is a subject, not a name,
so a word whose shown results lose half of those it showed before was hidden by a name match (레이저
showing 레이저옵텍 alone, "tires" 탈로스). No labels are read for the words, and the held-out
half is never run.

Metrics per query, averaged: Recall@10 capped at min(10, relevant) over every relevant document
(R@10), and on the same-language and the cross-language part (as ``text_retrieval.py``);
precision@10, the share of the results shown (at most 10; fewer when the floor stops them) that are
relevant, 0 when none is shown; by query kind too
(company names, places, subjects). A name query has one relevant document, so its precision@10 is
1 only when nothing else is shown; its mean reciprocal rank (MRR) and success@1 (the right one
first) are reported beside it. Writes ``<out>.json`` and ``<out>.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import itertools
import json
import re
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "matching"))
sys.path.insert(0, str(ROOT / "src"))

from corpus import corpus_documents, document_language, load_krx  # noqa: E402

from dari.engines.matching import glossary as glossary_module  # noqa: E402
from dari.engines.matching import names as name_matching  # noqa: E402
from dari.engines.matching import search as engine  # noqa: E402
from dari.engines.matching.glossary import Glossary, domain_groups, public_groups  # noqa: E402
from dari.engines.matching.search import SIGNALS, SearchIndex  # noqa: E402

K = 10
LABELLED = ROOT / "benchmarks" / "matching" / "labelled_queries.json"
RESULTS = ROOT / "benchmarks" / "results"
_TODAY = {
    "signals": SIGNALS,
    "cross_offset": 0.0,
    "place_offset": 0.0,
    "glossary": "hand_written",
    "places": False,
    "websites": False,
    "floor": False,
    "specific": False,
    "names": "spelled",
    "longest": False,
    "phrases": False,
}
_SERVED = {
    "signals": SIGNALS,
    "cross_offset": engine.CROSS_LANGUAGE_OFFSET,
    "place_offset": engine.PLACE_LANGUAGE_OFFSET,
    "glossary": "served",
    "places": True,
    "websites": True,
    "floor": True,
    "specific": True,
    "names": "served",
}
_SERVED_LOANWORD_MINIMUM = name_matching.LOANWORD_MINIMUM
#: The name matching as served (the engine's constants when this module is loaded).
_SERVED_NAMES = {
    "prefix": name_matching.PREFIX_SIMILARITY,
    "sound": engine.SOUND_THRESHOLD,
    "named": engine.NAMED_RELATIVE,
    "sound_names": engine.SOUND_NAMES,
    "exact": engine.EXACT_NAMES_ONLY,
    "exact_sounds": engine.EXACT_SOUNDS_ONLY,
    "company_words": engine.COMPANY_WORD_SOUNDS,
    "within": engine.NAMES_WITHIN,
    "within_minimum": name_matching.WITHIN_MINIMUM,
    "loanwords": name_matching.LOANWORD_SOUNDS,
    "endings": engine.NAME_ENDINGS,
    "spelled": name_matching.SPELLED_VARIANTS,
}
MODES = {
    "today": _TODAY,
    "today_no_glossary": {**_TODAY, "glossary": "none"},
    "served": _SERVED,
    "served_no_glossary": {**_SERVED, "glossary": "none"},
    "served_spelled_names": {**_SERVED, "names": "spelled"},
    "served_names_before_exact": {**_SERVED, "names": "before_exact"},
    "served_without_websites": {**_SERVED, "websites": False},
    "served_no_loanwords": {**_SERVED, "names": "no_loanwords"},
    "served_no_name_spellings": {**_SERVED, "names": "no_spellings"},
    "served_no_language_offset": {**_SERVED, "cross_offset": 0.0, "place_offset": 0.0},
    "served_place_offset_as_others": {**_SERVED, "place_offset": engine.CROSS_LANGUAGE_OFFSET},
    "served_flat": {**_SERVED, "specific": False},
    "served_no_taxonomy": {**_SERVED, "glossary": "shipped"},
    "served_public_terms": {**_SERVED, "glossary": "served_public_alternatives"},
    "served_no_domain_terms": {**_SERVED, "glossary": "served_no_domain"},
    "served_words_of_phrases": {**_SERVED, "phrases": False},
    "served_no_domain_terms_all_matches": {**_SERVED, "glossary": "served_no_domain", "longest": False},
    "semantic": {
        **_SERVED,
        "signals": ("semantic",),
        "floor": False,
        "cross_offset": 0.0,
        "place_offset": 0.0,
    },
    "lexical": {**_SERVED, "signals": ("lexical",), "floor": False},
}
#: Whether the glossary's longest match wins, and whether an expansion of several words counts as a
#: phrase, as served.
_SERVED_LONGEST = glossary_module.LONGEST_MATCH
_SERVED_PHRASES = engine.PHRASE_EXPANSIONS
#: Signal weights and the expansions' weight as served (the engine's constants when this module loads).
_SERVED_WEIGHTS = {"weights": dict(engine.WEIGHTS), "expansion": engine.EXPANSION_WEIGHT}
#: Variants run with --dev-only alone, to choose on the dev half (the held-out half never sees them):
#: more weight on meaning or on the expansions, for cross-language recall.
DEV_VARIANTS = {
    "dev_expansion_1.5": {**_SERVED, "expansion": 1.5},
    "dev_expansion_2": {**_SERVED, "expansion": 2.0},
    "dev_lexical_0.75": {**_SERVED, "weights": {**_SERVED_WEIGHTS["weights"], "lexical": 0.75}},
    "dev_semantic_1.5": {**_SERVED, "weights": {**_SERVED_WEIGHTS["weights"], "semantic": 1.5}},
    "dev_semantic_1.5_expansion_2": {
        **_SERVED,
        "weights": {**_SERVED_WEIGHTS["weights"], "semantic": 1.5},
        "expansion": 2.0,
    },
}
#: The floors tried by --choose-floor: (absolute, relative to the best result).
ABSOLUTE_FLOORS = (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
RELATIVE_FLOORS = (0.0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
TOLERANCE = 0.005
#: The settings tried by --choose-names: SOUND_THRESHOLD (above 1: no sound keys) and NAMED_RELATIVE
#: (at the floor's own relative 0.4: no rise; not 1, which shows only what ties with the best and so
#: hides the organization asked for whenever a longer name it begins scores a little higher).
SOUND_THRESHOLDS = (0.7, 0.8, 0.9, 1.0, 1.01)
NAMED_RELATIVES = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
SPECIFICITY_POWERS = (0.25, 0.5, 1.0, 2.0)
#: The settings tried by --probe-names: (UNWRITTEN_SOUND_WEIGHT, PREFIX_HANGUL_SYLLABLES,
#: HANGUL_SOUND_MINIMUM); (1, 2, 0) is the name matching of 6da6ab0.
NAME_GATES = tuple(itertools.product((1.0, 0.5, 0.0), (2, 3, 4), (0, 5, 6)))
RULE = (
    "mean F1 of capped Recall@10 and precision@10 on the dev half; the strictest floor within 0.5% of "
    "the best F1"
)


def per_query(ranked: list[str], query: dict) -> dict:
    """Recall@10 on each language part, precision@10 of what is shown."""
    shown = ranked[:K]
    relevant = set(query["relevant"])
    hits = sum(1 for doc_id in shown if doc_id in relevant)
    found = {
        "precision@10": (hits / len(shown)) if shown else 0.0,
        # Both languages together: a relevant document shown in the other language is not lost.
        "recall@10": hits / min(K, len(relevant)),
        "reciprocal_rank": next(
            (1 / rank for rank, doc_id in enumerate(shown, start=1) if doc_id in relevant), 0.0
        ),
    }
    for language in ("ko", "en"):
        part = {doc_id for doc_id in relevant if document_language(doc_id) == language}
        if part:
            split = "same" if language == query["language"] else "cross"
            found[f"{split}_recall@10"] = sum(1 for doc_id in shown if doc_id in part) / min(K, len(part))
    return found


def summary(rows: list[tuple[dict, dict]]) -> dict:
    """Means over the queries (each metric over the queries that have it)."""

    def mean(values):
        return round(sum(values) / len(values), 4) if values else None

    result = {"n_queries": len(rows)}
    for metric in ("recall@10", "same_recall@10", "cross_recall@10", "precision@10"):
        values = [found[metric] for _query, found in rows if metric in found]
        result[metric] = mean(values)
        result[f"{metric}.n"] = len(values)
    same, cross = result["same_recall@10"], result["cross_recall@10"]
    result["cross/same"] = round(cross / same, 4) if same and cross is not None else None
    for kind in ("name", "place"):
        values = [found["precision@10"] for query, found in rows if query["kind"] == kind]
        result[f"precision@10.{kind}"] = mean(values)
    names = [found["reciprocal_rank"] for query, found in rows if query["kind"] == "name"]
    result["mrr.name"] = mean(names)
    result["success@1.name"] = mean([1.0 if value == 1.0 else 0.0 for value in names])
    values = [found["precision@10"] for query, found in rows if query["kind"] not in ("name", "place")]
    result["precision@10.subject"] = mean(values)
    return result


def subsets(queries: list[dict]) -> dict[str, list[dict]]:
    """The halves reported: dev, held-out, held-out issue-15 topics, and the fresh set (a split of
    its own, reported only: no step that chooses anything is given it)."""
    return {
        "dev": [query for query in queries if query["split"] == "dev"],
        "heldout": [query for query in queries if query["split"] == "heldout"],
        "heldout_issue15": [
            query for query in queries if query["split"] == "heldout" and query["origin"] == "issue-15"
        ],
        "fresh": [query for query in queries if query["split"] == "fresh"],
    }


def taxonomy_groups() -> list[list[str]]:
    """The scenario taxonomy's names and synonyms, as the served glossary adds them
    (dari.matching.engine.glossary): the sectors' ko/en names and synonyms in
    src/dari/scenario/ulsan_san_diego.yaml."""
    import yaml

    data = yaml.safe_load((ROOT / "src" / "dari" / "scenario" / "ulsan_san_diego.yaml").read_text("utf-8"))
    return [
        [
            term
            for term in [sector.get("name_en"), sector.get("name_ko")]
            + list(sector.get("synonyms_en", []))
            + list(sector.get("synonyms_ko", []))
            if term
        ]
        for sector in data.get("sectors", [])
    ]


def glossary(kind: str) -> Glossary:
    """``none``: empty; ``hand_written``: data/glossary.json alone (as before issue 15); ``shipped``:
    ``Glossary.default()`` (the hand-written groups and the public terms ``PUBLIC_TERMS`` names);
    ``served``: shipped plus the taxonomy; ``served_hand_written``, ``served_public_heads`` and
    ``served_public_alternatives``: the hand-written groups (and the domain terms as
    ``DOMAIN_TERMS`` says) and the taxonomy with no public term, with their headwords, or with their
    headwords and alternatives (whatever ``PUBLIC_TERMS`` says); ``served_no_domain`` and
    ``served_domain``: served without or with the domain terms (``glossary.DOMAIN_TERM_FILE``),
    whatever ``DOMAIN_TERMS`` says."""
    if kind == "none":
        return Glossary([])
    if kind in ("hand_written", "shipped"):
        return Glossary.hand_written() if kind == "hand_written" else Glossary.default()
    base = {
        "served": Glossary.default,
        "served_hand_written": lambda: Glossary.with_public_terms("none"),
        "served_public_heads": lambda: Glossary.with_public_terms("heads"),
        "served_public_alternatives": lambda: Glossary.with_public_terms("alternatives"),
        "served_no_domain": lambda: Glossary.with_public_terms(glossary_module.PUBLIC_TERMS, "none"),
        "served_domain_across": lambda: Glossary.with_public_terms(glossary_module.PUBLIC_TERMS, "across", 1),
        "served_domain": lambda: Glossary.with_public_terms(glossary_module.PUBLIC_TERMS, "all", 1),
        "served_domain_across_tier_2": lambda: Glossary.with_public_terms(
            glossary_module.PUBLIC_TERMS, "across", 2
        ),
        "served_domain_tier_2": lambda: Glossary.with_public_terms(glossary_module.PUBLIC_TERMS, "all", 2),
    }[kind]()
    return base.with_groups(taxonomy_groups())


def use_names(kind: str) -> None:
    """``served``: name matching as served; ``spelled``: as before (spelling only, no beginning of a
    name, no sound keys, no raised floor after a named result); ``before_exact``: as served before
    exact names were shown alone (no ``EXACT_NAMES_ONLY``, ``EXACT_SOUNDS_ONLY``,
    ``COMPANY_WORD_SOUNDS``, ``NAMES_WITHIN``); ``no_loanwords``: served without
    ``names.LOANWORD_SOUNDS``; ``no_spellings``: served without ``NAME_ENDINGS`` and
    ``names.SPELLED_VARIANTS`` (ninth stop)."""
    served = kind in ("served", "before_exact", "no_loanwords", "no_spellings")
    name_matching.PREFIX_SIMILARITY = _SERVED_NAMES["prefix"] if served else 0.0
    engine.SOUND_THRESHOLD = _SERVED_NAMES["sound"] if served else float("inf")
    engine.NAMED_RELATIVE = _SERVED_NAMES["named"] if served else 0.0
    engine.SOUND_NAMES = _SERVED_NAMES["sound_names"] and served
    exact = kind in ("served", "no_loanwords", "no_spellings")
    engine.EXACT_NAMES_ONLY = _SERVED_NAMES["exact"] and exact
    engine.EXACT_SOUNDS_ONLY = _SERVED_NAMES["exact_sounds"] and exact
    engine.COMPANY_WORD_SOUNDS = _SERVED_NAMES["company_words"] and exact
    engine.NAMES_WITHIN = _SERVED_NAMES["within"] and exact
    name_matching.WITHIN_MINIMUM = _SERVED_NAMES["within_minimum"]
    name_matching.LOANWORD_SOUNDS = _SERVED_NAMES["loanwords"] and exact and kind != "no_loanwords"
    spellings = exact and kind != "no_spellings"
    engine.NAME_ENDINGS = _SERVED_NAMES["endings"] and spellings
    name_matching.SPELLED_VARIANTS = _SERVED_NAMES["spelled"] and spellings


def rankings(index: SearchIndex, queries: list[dict], options: dict, floor) -> tuple[dict, float]:
    index.glossary = glossary(options["glossary"])
    glossary_module.LONGEST_MATCH = options.get("longest", _SERVED_LONGEST)
    engine.PHRASE_EXPANSIONS = options.get("phrases", _SERVED_PHRASES)
    engine.SPECIFIC_EXPANSIONS = options["specific"]
    engine.WEIGHTS = dict(options.get("weights", _SERVED_WEIGHTS["weights"]))
    engine.EXPANSION_WEIGHT = options.get("expansion", _SERVED_WEIGHTS["expansion"])
    engine.CROSS_LANGUAGE_OFFSET = options["cross_offset"]
    engine.PLACE_LANGUAGE_OFFSET = options["place_offset"]
    use_names(options["names"])
    started = time.perf_counter()
    found = {
        query["id"]: [
            hit.id
            for hit in index.search(
                query["query"], k=K, signals=options["signals"], floor=floor if options["floor"] else None
            )
        ]
        for query in queries
    }
    return found, 1000 * (time.perf_counter() - started) / max(1, len(queries))


def build_indexes(documents, smoke: bool) -> tuple[dict[tuple[bool, bool], SearchIndex], float]:
    """The indexes by (places, website names): served (both), today (neither), and served without
    the website names, sharing one vector cache."""
    cache: dict = {}
    started = time.perf_counter()
    served = SearchIndex.build(documents, vector_cache=cache)
    seconds = time.perf_counter() - started
    indexes = {(True, True): served}
    for places, websites in ((False, False), (True, False)):
        indexes[places, websites] = SearchIndex.build(
            [
                dataclasses.replace(
                    document,
                    places=document.places if places else (),
                    website_names=document.website_names if websites else (),
                )
                for document in documents
            ],
            vector_cache=cache,
        )
    return indexes, round(seconds, 1)


def choose_floor(index: SearchIndex, dev: list[dict]) -> dict:
    """The floor with the best mean F1 of (capped recall over all relevant, precision) on ``dev``."""
    index.glossary = glossary("served")
    scored = {}
    for query in dev:
        hits = index.search(query["query"], k=K, floor=None)
        scored[query["id"]] = [(hit.id, hit.score) for hit in hits]
    grid = []
    for absolute in ABSOLUTE_FLOORS:
        for relative in RELATIVE_FLOORS:
            f1s, recalls, precisions = [], [], []
            for query in dev:
                hits = scored[query["id"]]
                best = hits[0][1] if hits else 0.0
                shown = [doc for doc, score in hits if score >= max(absolute, relative * best) and score > 0]
                relevant = set(query["relevant"])
                hit_count = sum(1 for doc in shown if doc in relevant)
                recall = hit_count / min(K, len(relevant))
                precision = hit_count / len(shown) if shown else 0.0
                recalls.append(recall)
                precisions.append(precision)
                f1s.append(2 * recall * precision / (recall + precision) if recall + precision else 0.0)
            grid.append(
                {
                    "absolute": absolute,
                    "relative": relative,
                    "f1": round(sum(f1s) / len(f1s), 4),
                    "recall@10": round(sum(recalls) / len(recalls), 4),
                    "precision@10": round(sum(precisions) / len(precisions), 4),
                }
            )
    # The strictest floor (highest absolute, then relative) whose F1 is within TOLERANCE of the best:
    # a new user is better served by less noise when the figures cannot tell the floors apart.
    top = max(row["f1"] for row in grid)
    close = [row for row in grid if row["f1"] >= (1 - TOLERANCE) * top]
    best = max(close, key=lambda row: (row["absolute"], row["relative"]))
    return {"chosen": best, "rule": RULE, "n_dev_queries": len(dev), "grid": grid}


def choose_specificity(indexes: dict[bool, SearchIndex], dev: list[dict]) -> dict:
    """``SPECIFICITY_POWER`` on ``dev``: the highest cross-language recall among the powers (and flat
    weights) whose same-language recall is no worse than today's search on the same half."""
    index = indexes[True, True]
    today, _ = rankings(indexes[False, False], dev, MODES["today"], None)
    baseline = summary([(query, per_query(today[query["id"]], query)) for query in dev])
    rows = []
    for power in (None, *SPECIFICITY_POWERS):
        options = {**MODES["served"], "specific": power is not None}
        engine.SPECIFICITY_POWER = power or 1.0
        ranked, _ = rankings(index, dev, options, engine.RELEVANCE_FLOOR)
        found = summary([(query, per_query(ranked[query["id"]], query)) for query in dev])
        rows.append(
            {
                "power": power,
                **{key: found[key] for key in ("same_recall@10", "cross_recall@10", "precision@10")},
            }
        )
    allowed = [row for row in rows if row["same_recall@10"] >= baseline["same_recall@10"]] or rows
    chosen = max(allowed, key=lambda row: (row["cross_recall@10"], row["precision@10"]))
    return {
        "rule": "highest dev cross-language R@10 among the settings whose dev same-language R@10 is no worse "
        "than today's search (power None: every expansion counts alike)",
        "today": {key: baseline[key] for key in ("same_recall@10", "cross_recall@10", "precision@10")},
        "chosen": chosen,
        "grid": rows,
    }


def dev_figures(ranked: dict[str, list[str]], dev: list[dict]) -> dict:
    """Mean F1 of capped Recall@10 and precision@10 over ``dev``, and the summary's figures."""
    f1s = []
    for query in dev:
        shown = ranked[query["id"]]
        relevant = set(query["relevant"])
        hits = sum(1 for doc_id in shown if doc_id in relevant)
        recall = hits / min(K, len(relevant))
        precision = hits / len(shown) if shown else 0.0
        f1s.append(2 * recall * precision / (recall + precision) if recall + precision else 0.0)
    found = summary([(query, per_query(ranked[query["id"]], query)) for query in dev])
    keys = (
        "same_recall@10",
        "cross_recall@10",
        "precision@10",
        "precision@10.name",
        "mrr.name",
        "success@1.name",
        "precision@10.place",
        "precision@10.subject",
    )
    return {"f1": round(sum(f1s) / len(f1s), 4), **{key: found[key] for key in keys}}


#: ``CROSS_LANGUAGE_OFFSET`` values tried by --choose-cross-language.
CROSS_OFFSETS = (0.0, 0.02, 0.04, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.15, 0.2)


#: The public terms tried by --choose-public-terms, fewest first (the ``glossary`` kinds).
PUBLIC_TERMS = ("served_hand_written", "served_public_heads", "served_public_alternatives")


def choose_public_terms(index: SearchIndex, dev: list[dict]) -> dict:
    """Which of the public terms the served glossary adds (``PUBLIC_TERMS``) on ``dev``: the best mean
    F1 of capped Recall@10 and precision@10 over every dev query, the fewer terms when equal (within
    ``TOLERANCE``, as the floor: terms that change nothing on dev are not taken on trust); the dev
    queries that any public term expands and those whose shown results differ are listed."""
    rows, shown = [], []
    for kind in PUBLIC_TERMS:
        ranked, _ = rankings(index, dev, {**MODES["served"], "glossary": kind}, engine.RELEVANCE_FLOOR)
        rows.append({"glossary": kind, **dev_figures(ranked, dev)})
        shown.append(ranked)
        print(json.dumps(rows[-1]), flush=True)
    top = max(row["f1"] for row in rows)
    chosen = next(row for row in rows if row["f1"] >= (1 - TOLERANCE) * top)
    public = Glossary(*public_groups(True))
    return {
        "rule": "best mean F1 of capped Recall@10 and precision@10 over all dev queries; within 0.5% of "
        "the best: the fewer terms (none, headwords, headwords and alternatives)",
        "chosen": chosen,
        "n_dev_queries": len(dev),
        "queries_expanded": sorted(query["id"] for query in dev if public.expand(query["query"])),
        "queries_changed": sorted(
            query["id"] for query in dev if len({tuple(ranked[query["id"]]) for ranked in shown}) > 1
        ),
        "grid": rows,
    }


#: The domain-term choices tried by --choose-domain-terms, fewest terms first (``glossary`` kinds).
DOMAIN_TERMS = (
    "served_no_domain",
    "served_domain_across",
    "served_domain",
    "served_domain_across_tier_2",
    "served_domain_tier_2",
)


def choose_domain_terms(index: SearchIndex, dev: list[dict]) -> dict:
    """Whether the served glossary adds the domain terms (``glossary.DOMAIN_TERM_FILE``) on ``dev``, by
    ``choose_public_terms``'s rule: the best mean F1 of capped Recall@10 and precision@10 over every
    dev query, without them when within ``TOLERANCE``; with the figures of each and the dev queries
    they expand or change."""
    rows, shown = [], []
    for longest, kind in itertools.product((False, True), DOMAIN_TERMS):
        options = {**MODES["served"], "glossary": kind, "longest": longest}
        ranked, _ = rankings(index, dev, options, engine.RELEVANCE_FLOOR)
        rows.append({"glossary": kind, "longest_match": longest, **dev_figures(ranked, dev)})
        shown.append(ranked)
        print(json.dumps(rows[-1]), flush=True)
    top = max(row["f1"] for row in rows)
    chosen = next(row for row in rows if row["f1"] >= (1 - TOLERANCE) * top)
    domain = Glossary(*domain_groups(tiers=2))
    return {
        "rule": "best mean F1 of capped Recall@10 and precision@10 over all dev queries; within 0.5% of "
        "the best: the first of (every match, then the longest match only) x (no domain term, the other "
        "language's terms only, every term; tier 1, then tiers 1 and 2)",
        "chosen": chosen,
        "n_dev_queries": len(dev),
        "n_groups": len(domain.groups),
        "queries_expanded": sorted(query["id"] for query in dev if domain.expand(query["query"])),
        "queries_changed": sorted(
            query["id"] for query in dev if len({tuple(ranked[query["id"]]) for ranked in shown}) > 1
        ),
        "grid": rows,
    }


def choose_cross_language(index: SearchIndex, dev: list[dict]) -> dict:
    """``CROSS_LANGUAGE_OFFSET`` on ``dev`` (as served otherwise), by ``choose_offset``."""
    return choose_offset(index, dev, "cross_offset", "cross_language_offset", CROSS_OFFSETS)


#: ``PLACE_LANGUAGE_OFFSET`` values tried by --choose-place-offset (up to the served
#: ``CROSS_LANGUAGE_OFFSET``: a place's name given the offset like any other query).
PLACE_OFFSETS = (0.0, 0.03, 0.06, 0.09)


def choose_place_offset(index: SearchIndex, dev: list[dict]) -> dict:
    """``PLACE_LANGUAGE_OFFSET`` on ``dev`` (as served otherwise), by ``choose_offset``; with the
    number of dev queries that name a place."""
    result = choose_offset(index, dev, "place_offset", "place_language_offset", PLACE_OFFSETS)
    result["n_dev_place_queries"] = sum(1 for query in dev if index.names_a_place(query["query"]))
    return result


def choose_offset(index: SearchIndex, dev: list[dict], option: str, name: str, offsets) -> dict:
    """The value of the mode option ``option`` among ``offsets`` with the best mean F1 of capped
    Recall@10 and precision@10 over every dev query (equal F1: the smaller offset); the dev queries
    whose shown results differ between the offsets are listed."""
    rows, shown = [], []
    for offset in offsets:
        ranked, _ = rankings(index, dev, {**MODES["served"], option: offset}, engine.RELEVANCE_FLOOR)
        rows.append({name: offset, **dev_figures(ranked, dev)})
        shown.append(ranked)
        print(json.dumps(rows[-1]), flush=True)
    chosen = max(rows, key=lambda row: (row["f1"], -row[name]))
    return {
        "rule": "best mean F1 of capped Recall@10 and precision@10 over all dev queries; equal F1: the "
        "smaller offset",
        "chosen": chosen,
        "n_dev_queries": len(dev),
        "queries_changed": sorted(
            query["id"] for query in dev if len({tuple(ranked[query["id"]]) for ranked in shown}) > 1
        ),
        "grid": rows,
    }


def choose_names(index: SearchIndex, dev: list[dict]) -> dict:
    """``SOUND_THRESHOLD``, ``NAMED_RELATIVE`` and ``SOUND_NAMES`` on ``dev``, as served otherwise:
    the best mean F1 of capped Recall@10 and precision@10 over every dev query (names, places and
    subjects, so that a name rule cannot buy name precision with other queries' recall); among
    settings within ``TOLERANCE`` of it, the strictest (highest threshold, then highest relative
    floor, then sound matches raising it too)."""
    options = MODES["served"]
    rows = []
    for sound, named, sound_names in itertools.product(SOUND_THRESHOLDS, NAMED_RELATIVES, (False, True)):
        _SERVED_NAMES.update(sound=sound, named=named, sound_names=sound_names)
        ranked, _ = rankings(index, dev, options, engine.RELEVANCE_FLOOR)
        rows.append(
            {
                "sound_threshold": sound,
                "named_relative": named,
                "sound_names": sound_names,
                **dev_figures(ranked, dev),
            }
        )
    top = max(row["f1"] for row in rows)
    close = [row for row in rows if row["f1"] >= (1 - TOLERANCE) * top]
    chosen = max(close, key=lambda row: (row["sound_threshold"], row["named_relative"], row["sound_names"]))
    return {
        "rule": "best mean F1 of capped Recall@10 and precision@10 over all dev queries; among settings "
        "within 0.5% of it, the highest sound threshold, then the highest named relative floor, then a "
        "floor raised by sound matches too (the strictest)",
        "chosen": chosen,
        "n_dev_queries": len(dev),
        "grid": rows,
    }


#: The settings tried by --choose-exact-names: (EXACT_NAMES_ONLY, EXACT_SOUNDS_ONLY,
#: COMPANY_WORD_SOUNDS, NAMES_WITHIN, names.WITHIN_MINIMUM).
EXACT_NAME_RULES = tuple(
    (exact, sounds, words, within, minimum)
    for exact, sounds, words, within in itertools.product((False, True), repeat=4)
    for minimum in ((6, 8, 10) if within else (8,))
    if exact or not sounds
)


def choose_exact_names(index: SearchIndex, dev: list[dict], documents) -> dict:
    """``EXACT_NAMES_ONLY``, ``EXACT_SOUNDS_ONLY``, ``COMPANY_WORD_SOUNDS``, ``NAMES_WITHIN`` and
    ``names.WITHIN_MINIMUM`` on ``dev`` (as served otherwise): the best mean F1 of capped Recall@10 and
    precision@10 over every dev query; equal F1 broken by the fewest rules on. Then, for the chosen
    setting, the corpus's words (as --probe-names) whose shown results lose half of what they showed
    with all four rules off: a subject word hidden behind a name; the first setting in the rule's order
    with none is chosen."""
    index.glossary = glossary("served")
    rows = []
    for exact, sounds, words, within, minimum in EXACT_NAME_RULES:
        _SERVED_NAMES.update(
            exact=exact, exact_sounds=sounds, company_words=words, within=within, within_minimum=minimum
        )
        ranked, _ = rankings(index, dev, MODES["served"], engine.RELEVANCE_FLOOR)
        rows.append(
            {
                "exact_names_only": exact,
                "exact_sounds_only": sounds,
                "company_word_sounds": words,
                "names_within": within,
                "within_minimum": minimum,
                **dev_figures(ranked, dev),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    words = [word for word in probe_words(documents) if not index.names_a_place(word)]
    word_queries = [{"id": word, "query": word} for word in words]
    before, _ = rankings(index, word_queries, MODES["served_names_before_exact"], engine.RELEVANCE_FLOOR)
    # In the order of the rule, the first setting under which no corpus word loses half of what it
    # showed (a subject hidden behind a name: 남성의류 behind the company 남성 with WITHIN_MINIMUM 6).
    probed = []
    for chosen in sorted(rows, key=lambda row: (-row["f1"], sum(bool(row[key]) for key in list(row)[:4]))):
        _SERVED_NAMES.update(
            exact=chosen["exact_names_only"],
            exact_sounds=chosen["exact_sounds_only"],
            company_words=chosen["company_word_sounds"],
            within=chosen["names_within"],
            within_minimum=chosen["within_minimum"],
        )
        now, _ = rankings(index, word_queries, MODES["served"], engine.RELEVANCE_FLOOR)
        losing = losing_half(words, before, now)
        probed.append({**{key: chosen[key] for key in list(chosen)[:5]}, "words_losing_half": losing[:20]})
        if not losing:
            break
    return {
        "rule": "best mean F1 of capped Recall@10 and precision@10 over all dev queries; equal F1 broken by "
        "the fewest rules on; the first such setting under which no corpus word loses half of what it showed",
        "probed": probed,
        "chosen": chosen,
        "n_dev_queries": len(dev),
        "n_words": len(words),
        "words_losing_half": len(losing),
        "examples": losing[:20],
        "grid": rows,
    }


def choose_name_spellings(index: SearchIndex, dev: list[dict], documents) -> dict:
    """``NAME_ENDINGS`` and ``names.SPELLED_VARIANTS`` on ``dev`` (as served otherwise): for each
    setting, the dev figures and the corpus's words (as --probe-names) whose shown results lose half
    of what they showed with both off (a subject word hidden behind a name: 디스플레이 ends
    LG디스플레이); chosen: the best mean F1 among the settings with no word losing half, equal F1
    broken by the fewest rules on."""
    index.glossary = glossary("served")
    words = [word for word in probe_words(documents) if not index.names_a_place(word)]
    word_queries = [{"id": word, "query": word} for word in words]
    before, _ = rankings(index, word_queries, MODES["served_no_name_spellings"], engine.RELEVANCE_FLOOR)
    rows = []
    for endings, spelled in itertools.product((False, True), repeat=2):
        _SERVED_NAMES.update(endings=endings, spelled=spelled)
        ranked, _ = rankings(index, dev, MODES["served"], engine.RELEVANCE_FLOOR)
        now, _ = rankings(index, word_queries, MODES["served"], engine.RELEVANCE_FLOOR)
        losing = losing_half(words, before, now)
        rows.append(
            {
                "name_endings": endings,
                "spelled_variants": spelled,
                **dev_figures(ranked, dev),
                "words_losing_half": len(losing),
                "examples": losing[:20],
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    chosen = max(
        (row for row in rows if not row["words_losing_half"]),
        key=lambda row: (row["f1"], -row["name_endings"] - row["spelled_variants"]),
    )
    return {
        "rule": "best mean F1 of capped Recall@10 and precision@10 over all dev queries among the settings "
        "with no corpus word losing half of what it showed; equal F1 broken by the fewest rules on",
        "chosen": chosen,
        "n_dev_queries": len(dev),
        "n_words": len(words),
        "grid": rows,
    }


def losing_half(words: list[str], before: dict, now: dict) -> list[str]:
    """The words whose shown results ``now`` lose half or more of those shown ``before``."""
    return sorted(
        word
        for word in words
        if before[word]
        and sum(1 for doc_id in before[word] if doc_id not in set(now[word])) >= len(before[word]) / 2
    )


def probe_words(documents) -> list[str]:
    """The corpus's own words (see the module docstring): Korean ones of 2-8 syllables in three or
    more KRX rows, English ones of four letters or more in three or more trials."""
    korean: dict[str, int] = {}
    english: dict[str, int] = {}
    for document in documents:
        for word in set(re.findall(r"[\uac00-\ud7a3]{2,8}", document.text_ko)):
            korean[word] = korean.get(word, 0) + 1
        for word in set(re.findall(r"[a-z]{4,}", document.text_en.lower())):
            english[word] = english.get(word, 0) + 1
    return sorted(word for word, count in korean.items() if count >= 3) + sorted(
        word for word, count in english.items() if count >= 3
    )


def probe_names(index: SearchIndex, dev: list[dict], documents) -> dict:
    """``NAME_GATES`` on the dev half (F1 as --choose-names, and the usual figures) and on the corpus's
    words (how many lose half of what they showed before the name matching). Rule: among the settings
    within ``TOLERANCE`` of the best dev F1, the fewest words losing half; then the least strict
    (highest weight, fewest syllables, shortest minimum)."""
    from dari.engines.matching import names as name_module

    words = [word for word in probe_words(documents) if not index.names_a_place(word)]
    word_queries = [{"id": word, "query": word} for word in words]
    served = MODES["served"]
    before, _ = rankings(index, word_queries, MODES["served_spelled_names"], engine.RELEVANCE_FLOOR)
    rows = []
    for weight, syllables, minimum in NAME_GATES:
        engine.UNWRITTEN_SOUND_WEIGHT = weight
        name_module.PREFIX_HANGUL_SYLLABLES = syllables
        engine.HANGUL_SOUND_MINIMUM = minimum
        ranked, _ = rankings(index, dev, served, engine.RELEVANCE_FLOOR)
        now, _ = rankings(index, word_queries, served, engine.RELEVANCE_FLOOR)
        lost = {
            word: sum(1 for doc_id in before[word] if doc_id not in set(now[word])) / len(before[word])
            for word in words
            if before[word]
        }
        losing = sorted(word for word, share in lost.items() if share >= 0.5)
        rows.append(
            {
                "unwritten_sound_weight": weight,
                "prefix_hangul_syllables": syllables,
                "hangul_sound_minimum": minimum,
                **dev_figures(ranked, dev),
                "words_losing_half": len(losing),
                "words_losing_half.korean": sum(1 for word in losing if re.match(r"[\uac00-\ud7a3]", word)),
                "mean_share_lost": round(sum(lost.values()) / max(1, len(lost)), 4),
                "examples": losing[:12],
            }
        )
        print(json.dumps({key: value for key, value in rows[-1].items() if key != "examples"}), flush=True)
    top = max(row["f1"] for row in rows)
    close = [row for row in rows if row["f1"] >= (1 - TOLERANCE) * top]
    chosen = min(
        close,
        key=lambda row: (
            row["words_losing_half"],
            -row["unwritten_sound_weight"],
            row["prefix_hangul_syllables"],
            row["hangul_sound_minimum"],
        ),
    )
    return {
        "rule": "among the settings within 0.5% of the best dev F1 (as --choose-names), the fewest corpus "
        "words whose shown results lose half of those shown before the name matching; then the least strict",
        "n_dev_queries": len(dev),
        "n_words": len(words),
        "chosen": chosen,
        "grid": rows,
    }


#: ``names.LOANWORD_MINIMUM`` values tried by ``--probe-loanwords``.
LOANWORD_MINIMA = (6, 7, 8, 9, 10, 12)


def probe_loanwords(index: SearchIndex, dev: list[dict], documents) -> dict:
    """``names.LOANWORD_MINIMUM`` from data no one labelled, and the dev half: per minimum, how many of
    the KRX rows' pairs of a Hangul name and the name of its web address (셀트리온 / celltrion) sound
    alike only through the loanword sounds (a gain), and how many corpus words in Latin letters (as
    found and capitalized, read as names) lose half of what they showed without them (a cost). Rule:
    the most pairs gained with no word losing half and no dev figure lower."""
    pairs = [
        (company.name, name_matching.website_name(company.homepage))
        for company in load_krx()
        if name_matching.website_name(company.homepage) and name_matching.is_hangul(company.name)
    ]
    sound = name_matching.sound_key
    words = [word for word in probe_words(documents) if word.isascii()]
    words = [
        word
        for word in sorted({*words, *(word.capitalize() for word in words)})
        if sound(word, loanword=True) != sound(word) and not index.names_a_place(word)
    ]
    word_queries = [{"id": word, "query": word} for word in words]
    before, _ = rankings(index, word_queries, MODES["served_no_loanwords"], engine.RELEVANCE_FLOOR)
    ranked, _ = rankings(index, dev, MODES["served_no_loanwords"], engine.RELEVANCE_FLOOR)
    rows = [{"loanword_minimum": None, **dev_figures(ranked, dev), "pairs_gained": 0, "words_losing_half": 0}]
    for minimum in LOANWORD_MINIMA:
        name_matching.LOANWORD_MINIMUM = minimum
        ranked, _ = rankings(index, dev, MODES["served"], engine.RELEVANCE_FLOOR)
        now, _ = rankings(index, word_queries, MODES["served"], engine.RELEVANCE_FLOOR)
        losing = sorted(
            word
            for word in words
            if before[word] and len(set(before[word]) - set(now[word])) >= len(before[word]) / 2
        )
        gained = [
            (korean, latin)
            for korean, latin in pairs
            if sound(korean) != sound(latin)
            and sound(korean) == sound(latin, loanword=True)
            and len(sound(latin, loanword=True)) >= minimum
        ]
        rows.append(
            {
                "loanword_minimum": minimum,
                **dev_figures(ranked, dev),
                "pairs_gained": len(gained),
                "words_losing_half": len(losing),
                "examples_gained": gained[:8],
                "examples_losing": losing[:12],
            }
        )
        print(
            json.dumps({key: value for key, value in rows[-1].items() if "examples" not in key}), flush=True
        )
    name_matching.LOANWORD_MINIMUM = _SERVED_LOANWORD_MINIMUM
    baseline = rows[0]
    eligible = [
        row
        for row in rows[1:]
        if row["words_losing_half"] == 0
        and all(row[key] >= baseline[key] for key in ("same_recall@10", "cross_recall@10", "precision@10"))
    ]
    chosen = (
        max(eligible, key=lambda row: (row["pairs_gained"], -row["loanword_minimum"])) if eligible else None
    )
    return {
        "rule": "the most KRX name / web-address pairs gained with no corpus word losing half of what it "
        "showed and no dev figure (same R@10, cross R@10, P@10) lower than without the loanword sounds",
        "n_dev_queries": len(dev),
        "n_pairs": len(pairs),
        "pairs_equal_without": sum(1 for korean, latin in pairs if sound(korean) == sound(latin)),
        "n_words": len(words),
        "chosen": chosen,
        "grid": rows,
    }


#: ``names.GROUP_SOUND_MINIMUM`` values tried by ``--probe-group-names``.
GROUP_SOUND_MINIMA = (0, 8, 9, 10, 11, 12, 13)


def probe_group_names(documents) -> dict:
    """``names.GROUP_SOUND_MINIMUM`` from data no one labelled: per minimum, the corpus's English words
    (as --probe-names, capitalized, so read as names) with a sound variant equal to a name without its
    group's mark (a cost: such a word would show that company alone), and the KRX rows' pairs of a
    Hangul name and its web address's name that sound alike only without the mark (a gain). Rule: the
    most pairs gained with no word sounding so; equal: the smaller minimum. No index is searched."""
    stripped: dict[str, list[str]] = {}
    for document in documents:
        for name in document.sounded_names:
            if rest := name_matching.group_name(name):
                stripped.setdefault(name_matching.sound_key(rest), []).append(name)
    words = sorted({word.capitalize() for word in probe_words(documents) if word.isascii()})
    variants = {word: name_matching.sound_variants(word) for word in words}
    pairs = [
        (company.name, name_matching.website_name(company.homepage))
        for company in load_krx()
        if name_matching.website_name(company.homepage) and name_matching.is_hangul(company.name)
    ]
    rows = []
    for minimum in GROUP_SOUND_MINIMA:
        keys = {key for key in stripped if len(key) >= minimum}
        sounding = sorted({word for word in words if keys & set(variants[word])})
        gained = [
            (korean, latin)
            for korean, latin in pairs
            if (rest := name_matching.group_name(korean))
            and name_matching.sound_key(rest) in keys
            and name_matching.sound_key(rest) in name_matching.sound_variants(latin)
            and name_matching.sound_key(korean) not in name_matching.sound_variants(latin)
        ]
        rows.append(
            {
                "group_sound_minimum": minimum,
                "names_without_mark": len(keys),
                "words_sounding_so": len(sounding),
                "pairs_gained": len(gained),
                "examples_words": [
                    (word, stripped[key]) for word in sounding for key in variants[word] if key in keys
                ],
                "examples_gained": gained[:8],
            }
        )
    eligible = [row for row in rows if row["words_sounding_so"] == 0] or rows[-1:]
    chosen = max(eligible, key=lambda row: (row["pairs_gained"], -row["group_sound_minimum"]))
    return {
        "rule": "the most KRX name / web-address pairs gained with no corpus word (capitalized) sounding "
        "like a name without its group's mark; equal: the smaller minimum",
        "n_words": len(words),
        "n_pairs": len(pairs),
        "chosen": {key: value for key, value in chosen.items() if not key.startswith("examples")},
        "grid": rows,
    }


def table(report: dict, subset: str) -> list[str]:
    lines = [
        "| mode | R@10 | same R@10 | cross R@10 | cross/same | P@10 | P@10 names | MRR names | S@1 names "
        "| P@10 places | P@10 subjects | ms/query |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def cell(value):
        return "–" if value is None else f"{value:.3f}"

    for mode, by_subset in report["modes"].items():
        row = by_subset[subset]
        lines.append(
            f"| {mode} | {cell(row.get('recall@10'))} | {cell(row['same_recall@10'])} | "
            f"{cell(row['cross_recall@10'])} | "
            f"{cell(row['cross/same'])} | {cell(row['precision@10'])} | {cell(row['precision@10.name'])} | "
            f"{cell(row['mrr.name'])} | {cell(row['success@1.name'])} | {cell(row['precision@10.place'])} | "
            f"{cell(row['precision@10.subject'])} | "
            f"{by_subset['ms_per_query']:.2f} |"
        )
    return lines


def markdown(report: dict) -> str:
    counts = report["subsets"]
    lines = [
        "# Search on the held-out half and the fresh set of the labelled set (issue 15)",
        "",
        f"Command: `{report['command']}`  ",
        f"Corpus: {report['corpus']['documents']} documents ({report['corpus']['korean']} Korean KRX "
        f"companies, {report['corpus']['english']} English trials); index built in "
        f"{report['build_seconds']} s. "
        f"Relevance floor as served: {report['floor']} (absolute, relative to the best result), chosen on "
        "the dev half (text-retrieval-floor.json).",
        "",
    ]
    for subset, title in (
        *(() if "heldout" not in counts else (("heldout", "Held-out half"),)),
        *(
            ()
            if "heldout" not in counts
            else (
                (
                    "heldout_issue15",
                    "Held-out half, issue-15 topics only (never seen by the glossary's author)",
                ),
            )
        ),
        *(
            ()
            if "fresh" not in counts
            else (("fresh", "Fresh set (written 2026-12-07, never tuned on; a split of its own)"),)
        ),
        ("dev", "Development half (what was tuned on; for reference)"),
    ):
        lines += [
            f"## {title}: {counts[subset]['queries']} queries, {counts[subset]['topics']} topics",
            "",
            *table(report, subset),
            "",
        ]
    lines += [
        "today: the search before issue 15 (glossary, no places, no floor); served: as served now. "
        "R@10 capped at min(10, relevant), per language part (same: the query's language); P@10: the "
        "share of the results shown (at most 10, fewer below the floor) that are relevant, 0 when none "
        "is shown. Names: company names as people write them (one relevant document each, so P@10 is 1 "
        "only when nothing else is shown; MRR and S@1, the right one first, beside it); places: the "
        "KRX region (many relevant documents each). The fresh set: topics written after the held-out "
        "half had been reported many times, without looking at the engine's results, glossary or rules "
        "(benchmarks/matching/topics_fresh.py); nothing may be tuned on it. ms/query is over every "
        "query of the run, all tables alike.",
        "",
    ]
    return "\n".join(lines)


#: The topics ``--smoke`` runs: two dev, one held-out and one fresh (so that its table is written).
SMOKE_TOPICS = ("glucose_meter", "p_ulsan", "n_celltrion", "f_shingles")


def smoke_subset(queries: list[dict], documents) -> tuple[list[dict], list]:
    """``--smoke``: four topics' queries, their relevant documents and one document in 50."""
    queries = [query for query in queries if query["topic"] in SMOKE_TOPICS]
    wanted = {doc_id for query in queries for doc_id in query["relevant"]}
    documents = [
        document
        for document in documents
        if document.id in wanted or zlib.crc32(document.id.encode()) % 50 == 0
    ]
    return queries, documents


#: The steps that choose or probe on the dev half, in the order they run when several are asked for:
#: (flag, the flag naming its output file, that file's default name in benchmarks/results, help).
STEPS = (
    ("choose-specificity", None, None, "SPECIFICITY_POWER on the dev half"),
    (
        "choose-names",
        "names-out",
        "text-retrieval-names.json",
        "SOUND_THRESHOLD and NAMED_RELATIVE on the dev half",
    ),
    (
        "choose-exact-names",
        "exact-names-out",
        "text-retrieval-exact-names.json",
        "when a name is shown alone, on the dev half",
    ),
    (
        "probe-names",
        "probe-out",
        "text-retrieval-name-probe.json",
        "when a name match counts: the dev half and the corpus's words",
    ),
    (
        "probe-loanwords",
        "loanwords-out",
        "text-retrieval-loanwords.json",
        "LOANWORD_MINIMUM: dev + unlabelled data",
    ),
    ("choose-floor", "floor-out", "text-retrieval-floor.json", "choose the floor on the dev half only"),
    (
        "choose-cross-language",
        "cross-language-out",
        "text-retrieval-cross-language.json",
        "CROSS_LANGUAGE_OFFSET on the dev half",
    ),
    (
        "choose-place-offset",
        "place-offset-out",
        "text-retrieval-place-offset.json",
        "PLACE_LANGUAGE_OFFSET on the dev half",
    ),
    (
        "probe-group-names",
        "group-names-out",
        "text-retrieval-group-names.json",
        "GROUP_SOUND_MINIMUM: KRX names + corpus words",
    ),
    (
        "choose-public-terms",
        "public-terms-out",
        "text-retrieval-public-terms.json",
        "which public terms the glossary serves (dev half)",
    ),
    (
        "choose-domain-terms",
        "domain-terms-out",
        "text-retrieval-domain-terms.json",
        "whether the glossary serves the domain terms (dev half)",
    ),
    (
        "choose-name-spellings",
        "name-spellings-out",
        "text-retrieval-name-spellings.json",
        "NAME_ENDINGS and SPELLED_VARIANTS (dev half)",
    ),
    ("choose-phrases", "phrases-out", "text-retrieval-phrases.json", "PHRASE_EXPANSIONS on the dev half"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(RESULTS / "heldout-retrieval"))
    parser.add_argument(
        "--report", action="store_true", help="write the report as well as the steps asked for"
    )
    parser.add_argument("--smoke", action="store_true", help="a few documents and queries (CI)")
    for flag, out, filename, help_text in STEPS:
        parser.add_argument(f"--{flag}", action="store_true", help=help_text)
        if out:
            parser.add_argument(f"--{out}", default=str(RESULTS / filename))
    parser.add_argument(
        "--dev-only", action="store_true", help="the dev half only (to choose between variants)"
    )
    args = parser.parse_args()
    queries = json.loads(LABELLED.read_text("utf-8"))["queries"]
    documents = corpus_documents()
    if args.smoke:
        queries, documents = smoke_subset(queries, documents)
    halves = subsets(queries)
    if args.dev_only:  # choosing between variants: the held-out half is neither run nor written
        halves = {"dev": halves["dev"]}
        queries = halves["dev"]
    # Each step's function is named after its flag: --choose-floor runs choose_floor_step.
    steps = [
        (getattr(args, flag.replace("-", "_")), globals()[f"{flag.replace('-', '_')}_step"])
        for flag, *_rest in STEPS
    ]
    # Each step asked for runs in this one process (the encoder loads once); the report runs when no
    # step is asked for, or with --report.
    for wanted, step in steps:
        if wanted:
            with engine_settings_kept():
                step(args, documents, halves)
    if args.report or not any(wanted for wanted, _step in steps):
        write_report(args, documents, queries, halves)


@contextlib.contextmanager
def engine_settings_kept():
    """The engine's settings and this module's served ones (their upper-case module names) as they
    were, after a step that tries others: one step's trials never leak into the next step of a run."""
    modules = (engine, name_matching, glossary_module, sys.modules[__name__])
    saved = {
        module: {key: copy.copy(value) for key, value in vars(module).items() if key.isupper()}
        for module in modules
    }
    try:
        yield
    finally:
        for module, values in saved.items():
            for key, value in values.items():
                current = getattr(module, key)
                if isinstance(value, dict) and isinstance(current, dict):
                    current.clear()  # in place: other names may hold the same dictionary
                    current.update(value)
                else:
                    setattr(module, key, value)


def smoke_flag(args) -> str:
    return " --smoke" if args.smoke else ""


def choose_specificity_step(args, documents, halves) -> None:
    result = choose_specificity(build_indexes(documents, args.smoke)[0], halves["dev"])
    result["command"] = "python benchmarks/heldout_retrieval.py --choose-specificity"
    out = RESULTS / "text-retrieval-specificity.json"
    out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(json.dumps(result["chosen"]), f"-> {out}")


def choose_names_step(args, documents, halves) -> None:
    result = choose_names(build_indexes(documents, args.smoke)[0][True, True], halves["dev"])
    result["command"] = "python benchmarks/heldout_retrieval.py --choose-names" + smoke_flag(args)
    out = Path(args.names_out)
    out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(json.dumps(result["chosen"]), f"-> {out}")


def choose_exact_names_step(args, documents, halves) -> None:
    index = build_indexes(documents, args.smoke)[0][True, True]
    result = choose_exact_names(index, halves["dev"], documents)
    result["command"] = "python benchmarks/heldout_retrieval.py --choose-exact-names" + smoke_flag(args)
    out = Path(args.exact_names_out)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(result["chosen"]), result["words_losing_half"], f"-> {out}")


def choose_name_spellings_step(args, documents, halves) -> None:
    def choose(index, dev):
        return choose_name_spellings(index, dev, documents)

    served_index_step(args, documents, halves, choose, "--choose-name-spellings", args.name_spellings_out)


def probe_step(args, documents, halves, probe, flag: str, out: str) -> None:
    index = build_indexes(documents, args.smoke)[0][True, True]
    index.glossary = glossary("served")
    result = probe(index, halves["dev"], documents)
    write_step(args, result, flag, out)


def probe_names_step(args, documents, halves) -> None:
    probe_step(args, documents, halves, probe_names, "--probe-names", args.probe_out)


def probe_loanwords_step(args, documents, halves) -> None:
    probe_step(args, documents, halves, probe_loanwords, "--probe-loanwords", args.loanwords_out)


def write_step(args, result: dict, flag: str, out: str) -> None:
    """A step's result with its command, to ``out``; its choice printed."""
    result["command"] = f"python benchmarks/heldout_retrieval.py {flag}" + smoke_flag(args)
    Path(out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(result["chosen"], ensure_ascii=False), f"-> {out}")


def served_index_step(args, documents, halves, choose, flag: str, out: str) -> None:
    """``choose(index, dev)`` on the index as served (places and website names), its result written
    by ``write_step``."""
    index = build_indexes(documents, args.smoke)[0][True, True]
    write_step(args, choose(index, halves["dev"]), flag, out)


def choose_phrases_step(args, documents, halves) -> None:
    def choose(index, dev):
        return choose_offset(index, dev, "phrases", "phrase_expansions", (False, True))

    served_index_step(args, documents, halves, choose, "--choose-phrases", args.phrases_out)


def choose_cross_language_step(args, documents, halves) -> None:
    served_index_step(
        args, documents, halves, choose_cross_language, "--choose-cross-language", args.cross_language_out
    )


def choose_place_offset_step(args, documents, halves) -> None:
    served_index_step(
        args, documents, halves, choose_place_offset, "--choose-place-offset", args.place_offset_out
    )


def choose_public_terms_step(args, documents, halves) -> None:
    served_index_step(
        args, documents, halves, choose_public_terms, "--choose-public-terms", args.public_terms_out
    )


def choose_domain_terms_step(args, documents, halves) -> None:
    served_index_step(
        args, documents, halves, choose_domain_terms, "--choose-domain-terms", args.domain_terms_out
    )


def probe_group_names_step(args, documents, halves) -> None:
    write_step(args, probe_group_names(documents), "--probe-group-names", args.group_names_out)


def choose_floor_step(args, documents, halves) -> None:
    index = SearchIndex.build(documents)
    result = choose_floor(index, halves["dev"])
    result["command"] = "python benchmarks/heldout_retrieval.py --choose-floor" + smoke_flag(args)
    out = Path(args.floor_out)
    out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(json.dumps(result["chosen"]), f"-> {out}")


def write_report(args, documents, queries, halves) -> None:
    indexes, build_seconds = build_indexes(documents, args.smoke)
    modes = {}
    for mode, options in (MODES | DEV_VARIANTS if args.dev_only else MODES).items():
        index = indexes[options["places"], options["websites"]]
        ranked, ms_per_query = rankings(index, queries, options, engine.RELEVANCE_FLOOR)
        modes[mode] = {"ms_per_query": round(ms_per_query, 2)}
        for name, subset in halves.items():
            modes[mode][name] = summary([(query, per_query(ranked[query["id"]], query)) for query in subset])
        print(mode, json.dumps(modes[mode]["dev" if args.dev_only else "heldout"]))
    korean = sum(1 for document in documents if document_language(document.id) == "ko")
    report = {
        "command": "python benchmarks/heldout_retrieval.py"
        + (" --smoke" if args.smoke else "")
        + (f" --dev-only --out {args.out}" if args.dev_only else ""),
        "corpus": {"documents": len(documents), "korean": korean, "english": len(documents) - korean},
        "build_seconds": build_seconds,
        "floor": list(engine.RELEVANCE_FLOOR),
        "subsets": {
            name: {"queries": len(subset), "topics": len({query["topic"] for query in subset})}
            for name, subset in halves.items()
        },
        "modes": modes,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")
    out.with_suffix(".md").write_text(markdown(report), "utf-8")
    print(f"wrote {out}.json and {out}.md")


if __name__ == "__main__":
    main()
