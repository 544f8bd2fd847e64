"""The hybrid search index: cross-lingual semantics, BM25 over morphemes, fuzzy names; storable as bytes.

    index = SearchIndex.build(documents)                 # encodes, tokenizes, indexes
    hits = index.search("갑상선", k=10, kinds={"startup"})  # -> [Hit(id, score, semantic, lexical, name, …)]
    blob = index.to_bytes(); SearchIndex.from_bytes(blob)   # float16 vectors + lexical + names, versioned
    index.update([changed_document]); index.remove(["42"])  # only the changed ones are encoded again
    index.similarities(index.vector("17"))                  # text scores for the recommender, by ids

Three signals, each computed for every document with numpy (no candidate cut-off to miss things):

- **semantic**: cosine between the query's USE vector and each document's (the mean of its English
  and Korean text vectors), the query's vector plus ``EXPANSION_WEIGHT`` times the mean of its
  glossary expansions';
- **lexical**: BM25 (bm25s) over Korean morphemes + syllable bigrams and English words of names and
  texts, expansion tokens weighted the same way, divided by the query's best score (so in [0, 1]);
- **name**: trigram Dice similarity between the query and the document's names in both scripts
  (Hangul as jamo, so one-letter typos still match); counted only from ``NAME_THRESHOLD`` up.

The score is ``WEIGHTS`` applied to the three. Documents are kept sorted by id, so an index updated
incrementally equals one rebuilt from the same documents. ``to_bytes`` refuses nothing, but
``from_bytes`` refuses bytes written by another index format or encoder model (``IndexVersionError``):
vectors from different models are not comparable.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from . import text as encoder
from .glossary import Glossary
from .names import NameIndex
from .tokens import tokenize

INDEX_FORMAT = 1
#: What a stored snapshot must match to be loaded (the lead's ``IndexSnapshot.engine_version``).
ENGINE_VERSION = f"dari-search-{INDEX_FORMAT}/{encoder.MODEL_VERSION}"
SIGNALS = ("semantic", "lexical", "name")
#: Weights of the three signals in the hybrid score.
WEIGHTS = {"semantic": 1.0, "lexical": 0.5, "name": 1.0}
#: How much the glossary's expansions count beside the query's own words (in both signals).
EXPANSION_WEIGHT = 1.0
#: Below this name similarity a name "match" is noise (shared trigrams of unrelated names).
NAME_THRESHOLD = 0.45
#: Below this cosine the semantic signal is not reported as a reason the document matched.
SEMANTIC_MATCH = 0.35


class IndexVersionError(ValueError):
    """The bytes were written by another index format or another encoder model."""


@dataclass(frozen=True)
class Document:
    """What the index knows of one searchable thing (an organization, a person, a corpus entry)."""

    id: str
    kind: str = ""
    name_en: str = ""
    name_ko: str = ""
    text_en: str = ""
    text_ko: str = ""
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_profile(cls, profile, aliases: Iterable[str] = ()) -> Document:
        """A matching ``Profile`` as a search document (its names, descriptions and needs)."""
        return cls(
            id=str(profile.id),
            kind=profile.kind,
            name_en=profile.name_en,
            name_ko=profile.name_ko,
            text_en=profile.text_en,
            text_ko=profile.text_ko,
            aliases=tuple(aliases),
        )

    @property
    def names(self) -> list[str]:
        return [name for name in (self.name_en, self.name_ko, *self.aliases) if name]

    @property
    def lexical_text(self) -> str:
        return "\n".join(part for part in (*self.names, self.text_en, self.text_ko) if part)


@dataclass(frozen=True)
class Hit:
    """One result: the hybrid ``score`` and each signal's part, and which signals matched."""

    id: str
    kind: str
    score: float
    semantic: float
    lexical: float
    name: float
    matched: tuple[str, ...] = field(default=())


def _document_vectors(documents: list[Document], cache: dict | None = None) -> np.ndarray:
    """Per document, the normalized mean of its English and Korean text vectors (name if no text).

    ``cache`` (text -> vector) is read and filled: many documents share texts, and a benchmark can
    keep it between runs. Each distinct text is encoded once.
    """
    english = [document.text_en or ("" if document.text_ko else document.name_en) for document in documents]
    korean = [document.text_ko or ("" if document.text_en else document.name_ko) for document in documents]
    cache = {} if cache is None else cache
    missing = sorted({text for text in english + korean if text and text not in cache})
    for text, vector in zip(missing, encoder.encode(missing), strict=True):
        cache[text] = vector
    zero = np.zeros(encoder.DIMENSIONS, dtype=np.float32)
    vectors = np.asarray(
        [
            np.asarray(cache.get(en, zero), dtype=np.float32)
            + np.asarray(cache.get(ko, zero), dtype=np.float32)
            for en, ko in zip(english, korean, strict=True)
        ],
        dtype=np.float32,
    ).reshape(len(documents), encoder.DIMENSIONS)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class SearchIndex:
    """Search over documents in Korean and English; see the module docstring."""

    def __init__(self, ids, kinds, vectors16, tokens, names, glossary: Glossary, lexical=None):
        self.ids: list[str] = list(ids)
        self.kinds = np.asarray(kinds, dtype=object)
        self._vectors16 = np.asarray(vectors16, dtype=np.float16).reshape(len(self.ids), encoder.DIMENSIONS)
        self._vectors = self._vectors16.astype(np.float32)
        self._tokens: list[list[str]] = [list(t) for t in tokens]
        self._names: list[list[str]] = [list(n) for n in names]
        self.glossary = glossary
        self._position = {doc_id: index for index, doc_id in enumerate(self.ids)}
        self._lexical = lexical if lexical is not None else _build_bm25(self._tokens)
        self._name_index = NameIndex(self._names)

    # ----- building -----
    @classmethod
    def build(
        cls, documents: Iterable[Document], glossary: Glossary | None = None, vector_cache: dict | None = None
    ) -> SearchIndex:
        """Encode and index ``documents`` (ids must be unique); ``vector_cache``: text -> vector, filled."""
        documents = sorted(documents, key=lambda document: document.id)
        if len({document.id for document in documents}) != len(documents):
            raise ValueError("document ids must be unique")
        return cls(
            [document.id for document in documents],
            [document.kind for document in documents],
            encoder.to_float16(_document_vectors(documents, vector_cache)),
            [tokenize(document.lexical_text) for document in documents],
            [document.names for document in documents],
            glossary or Glossary.default(),
        )

    def update(self, documents: Iterable[Document]) -> None:
        """Add or replace ``documents``; only they are encoded and tokenized again."""
        documents = list(documents)
        if not documents:
            return
        entries = self._entries()
        vectors = encoder.to_float16(_document_vectors(documents))
        for document, vector in zip(documents, vectors, strict=True):
            entries[document.id] = (document.kind, vector, tokenize(document.lexical_text), document.names)
        self._reset(entries)

    def remove(self, ids: Iterable[str]) -> None:
        """Drop these documents (unknown ids are ignored)."""
        entries = self._entries()
        for doc_id in ids:
            entries.pop(str(doc_id), None)
        self._reset(entries)

    def _entries(self) -> dict:
        return {
            doc_id: (self.kinds[index], self._vectors16[index], self._tokens[index], self._names[index])
            for index, doc_id in enumerate(self.ids)
        }

    def _reset(self, entries: dict) -> None:
        ordered = sorted(entries)
        rebuilt = SearchIndex(
            ordered,
            [entries[doc_id][0] for doc_id in ordered],
            np.asarray([entries[doc_id][1] for doc_id in ordered], dtype=np.float16).reshape(
                len(ordered), encoder.DIMENSIONS
            ),
            [entries[doc_id][2] for doc_id in ordered],
            [entries[doc_id][3] for doc_id in ordered],
            self.glossary,
        )
        self.__dict__.update(rebuilt.__dict__)

    def __len__(self) -> int:
        return len(self.ids)

    # ----- querying -----
    def expand(self, query: str) -> list[str]:
        """The glossary terms this query is expanded with."""
        return self.glossary.expand(query)

    def query_vector(self, query: str, expansions: list[str] | None = None) -> np.ndarray:
        """The query's unit vector: its own, plus the mean of its expansions' when there are any."""
        expansions = self.expand(query) if expansions is None else expansions
        vectors = encoder.encode([query, *expansions])
        vector = vectors[0] + (EXPANSION_WEIGHT * vectors[1:].mean(axis=0) if expansions else 0)
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def signal_scores(self, query: str) -> dict[str, np.ndarray]:
        """Each signal's score for every document (aligned with ``ids``), before weighting."""
        expansions = self.expand(query)
        semantic = self._vectors @ self.query_vector(query, expansions) if len(self) else np.zeros(0)
        query_tokens = tokenize(query)
        expansion_tokens = [token for token in tokenize(" ".join(expansions)) if token not in query_tokens]
        lexical = np.zeros(len(self), dtype=np.float32)
        if (query_tokens or expansion_tokens) and len(self):
            raw = np.asarray(self._lexical.get_scores(query_tokens), dtype=np.float32)
            if expansion_tokens:
                raw = raw + EXPANSION_WEIGHT * np.asarray(
                    self._lexical.get_scores(expansion_tokens), dtype=np.float32
                )
            best = float(raw.max()) if raw.size else 0.0
            if best > 0:
                lexical = raw / best
        name = self._name_index.scores(query)
        name = np.where(name >= NAME_THRESHOLD, name, 0).astype(np.float32)
        return {"semantic": semantic.astype(np.float32), "lexical": lexical, "name": name}

    def search(
        self,
        query: str,
        k: int = 10,
        allowed_ids: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        signals: Iterable[str] = SIGNALS,
    ) -> list[Hit]:
        """The ``k`` best documents for ``query``, best first.

        ``allowed_ids`` (what the user may see) and ``kinds`` restrict the results; ``signals`` picks
        which signals score (the benchmark measures each alone). An empty query finds nothing.
        """
        if not query.strip() or not len(self):
            return []
        signals = tuple(signals)
        parts = self.signal_scores(query)
        score = np.zeros(len(self), dtype=np.float32)
        for signal in signals:
            score += WEIGHTS[signal] * parts[signal]
        mask = self._mask(allowed_ids, kinds)
        if mask is not None:
            score = np.where(mask, score, -np.inf)
        k = min(k, int(np.isfinite(score).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-score, k - 1)[:k]
        top = top[np.lexsort((top, -score[top]))]
        return [self._hit(int(index), float(score[index]), parts, signals) for index in top]

    def _mask(self, allowed_ids, kinds) -> np.ndarray | None:
        mask = None
        if allowed_ids is not None:
            mask = np.zeros(len(self), dtype=bool)
            positions = [
                self._position[str(doc_id)] for doc_id in allowed_ids if str(doc_id) in self._position
            ]
            mask[positions] = True
        if kinds is not None:
            kind_mask = np.isin(self.kinds, list(kinds))
            mask = kind_mask if mask is None else mask & kind_mask
        return mask

    def _hit(self, index: int, score: float, parts: dict, signals: tuple[str, ...]) -> Hit:
        semantic, lexical, name = (float(parts[signal][index]) for signal in SIGNALS)
        matched = tuple(
            signal
            for signal, matched in (
                ("semantic", semantic >= SEMANTIC_MATCH),
                ("lexical", lexical > 0),
                ("name", name > 0),
            )
            if matched and signal in signals
        )
        return Hit(self.ids[index], str(self.kinds[index]), score, semantic, lexical, name, matched)

    # ----- for the recommender -----
    def vector(self, doc_id: str) -> np.ndarray:
        """The stored unit vector of one document (float32; KeyError if unknown)."""
        return self._vectors[self._position[str(doc_id)]].copy()

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of ``vector`` with every document, aligned with ``ids``."""
        return self._vectors @ np.asarray(vector, dtype=np.float32)

    def position(self, doc_id: str) -> int | None:
        return self._position.get(str(doc_id))

    # ----- storage -----
    def to_bytes(self) -> bytes:
        """The whole index as one ``.npz`` blob (float16 vectors, BM25 arrays, tokens, names, versions)."""
        scores = self._lexical.scores
        arrays = {
            "engine_version": _utf8(ENGINE_VERSION),
            "meta": _utf8(json.dumps({"ids": self.ids, "kinds": [str(kind) for kind in self.kinds]})),
            "vectors": self._vectors16,
            "tokens": _utf8(json.dumps(self._tokens, ensure_ascii=False)),
            "names": _utf8(json.dumps(self._names, ensure_ascii=False)),
            "glossary": _utf8(json.dumps(self.glossary.groups, ensure_ascii=False)),
            "bm25_vocab": _utf8(json.dumps(self._lexical.vocab_dict, ensure_ascii=False)),
            "bm25_data": scores["data"],
            "bm25_indices": scores["indices"],
            "bm25_indptr": scores["indptr"],
            "bm25_num_docs": np.asarray([scores["num_docs"]], dtype=np.int64),
        }
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SearchIndex:
        """An index written by ``to_bytes`` (IndexVersionError if another format or model wrote it)."""
        try:
            arrays = np.load(io.BytesIO(data), allow_pickle=False)
            version = _text(arrays["engine_version"])
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            raise IndexVersionError("these bytes are not a Dari search index") from error
        with arrays:
            if version != ENGINE_VERSION:
                raise IndexVersionError(f"index written by {version!r}, this engine is {ENGINE_VERSION!r}")
            meta = json.loads(_text(arrays["meta"]))
            lexical = _bm25_from_arrays(
                json.loads(_text(arrays["bm25_vocab"])),
                {
                    "data": arrays["bm25_data"],
                    "indices": arrays["bm25_indices"],
                    "indptr": arrays["bm25_indptr"],
                    "num_docs": int(arrays["bm25_num_docs"][0]),
                },
            )
            return cls(
                meta["ids"],
                meta["kinds"],
                arrays["vectors"],
                json.loads(_text(arrays["tokens"])),
                json.loads(_text(arrays["names"])),
                Glossary(json.loads(_text(arrays["glossary"]))),
                lexical,
            )


def _utf8(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-8"), dtype=np.uint8)


def _text(array: np.ndarray) -> str:
    return array.tobytes().decode("utf-8")


def _build_bm25(tokens: list[list[str]]):
    import bm25s

    retriever = bm25s.BM25()
    # An empty corpus or a document without tokens still needs one token for bm25s.
    retriever.index([doc_tokens or [""] for doc_tokens in tokens] or [[""]], show_progress=False)
    return retriever


def _bm25_from_arrays(vocab: dict, scores: dict):
    import bm25s

    # What ``BM25.index`` leaves behind, set from the stored arrays (lucene BM25 needs no
    # non-occurrence array).
    retriever = bm25s.BM25()
    retriever.vocab_dict = vocab
    retriever.scores = scores
    retriever.unique_token_ids_set = set(vocab.values())
    retriever.nonoccurrence_array = None
    return retriever
