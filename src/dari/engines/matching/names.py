"""Fuzzy name matching in either script: character trigrams over names, Hangul split into jamo.

A typo in a Korean name changes one jamo, not a whole syllable (``테크놀러지`` for ``테크놀로지``), so
Hangul syllables are decomposed into their jamo before taking trigrams; Latin names are lowercased
and stripped of punctuation and legal suffixes. A query is compared with every name by the Dice
coefficient of their trigram sets, through an inverted index (numpy arrays, no per-name Python loop),
so one look-up over 100,000 organizations stays in the low milliseconds. A query much longer than
every name (a pasted description) cannot reach the caller's ``minimum`` similarity with any of them,
so it is answered without touching the postings. The index stores as plain arrays (``to_arrays``):
computing the trigrams of 100,000 names again costs seconds at every load.
"""

from __future__ import annotations

import re

import numpy as np

from .tokens import normalize

_CHOSEONG = "ᄀᄁᄂᄃᄄᄅᄆᄇᄈᄉᄊᄋᄌᄍᄎᄏᄐᄑᄒ"
_JUNGSEONG = "ᅡᅢᅣᅤᅥᅦᅧᅨᅩᅪᅫᅬᅭᅮᅯᅰᅱᅲᅳᅴᅵ"
_JONGSEONG = [""] + list("ᆨᆩᆪᆫᆬᆭᆮᆯᆰᆱᆲᆳᆴᆵᆶᆷᆸᆹᆺᆻᆼᆽᆾᆿᇀᇁᇂ")
_LEGAL_FORMS = re.compile(
    r"\(주\)|㈜|주식회사|\b(inc|corp|corporation|co|ltd|llc|plc|gmbh|limited|company)\b\.?"
)
_NOT_NAME = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")


def jamo(text: str) -> str:
    """Hangul syllables -> their jamo (``한`` -> ``한``); other characters unchanged."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            out.append(_CHOSEONG[code // 588] + _JUNGSEONG[(code % 588) // 28] + _JONGSEONG[code % 28])
        else:
            out.append(char)
    return "".join(out)


def name_key(name: str) -> str:
    """The comparable form of a name: no legal form, no spaces or punctuation, Hangul as jamo."""
    text = _LEGAL_FORMS.sub(" ", normalize(name))
    return jamo(_NOT_NAME.sub("", text))


def trigrams(name: str) -> set[str]:
    key = name_key(name)
    if not key:
        return set()
    padded = f"^{key}$"
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def dice(left: str, right: str) -> float:
    """Similarity of two names in [0, 1] (1 = same name after normalization)."""
    a, b = trigrams(left), trigrams(right)
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


class NameIndex:
    """Trigram postings over every name of every document (a document may have several names)."""

    #: The keys of ``to_arrays``.
    ARRAYS = ("grams", "rows", "starts", "sizes", "owners", "document_count")

    def __init__(self, names_per_document: list[list[str]]):
        self._gram_ids: dict[str, int] = {}
        documents = np.arange(len(names_per_document))
        self._set(len(names_per_document), *self._postings(names_per_document, documents, first_row=0))

    def _postings(self, names_per_document, documents, first_row: int):
        """(gram id, row) per posting and (size, owner) per row of these documents' names; grams not
        seen before get the next ids."""
        gram_ids = self._gram_ids
        rows: list[int] = []
        grams: list[int] = []
        sizes: list[int] = []
        owners: list[int] = []
        for document, names in zip(documents, names_per_document, strict=True):
            for name in names:
                name_grams = trigrams(name)
                if not name_grams:
                    continue
                row = first_row + len(sizes)
                sizes.append(len(name_grams))
                owners.append(int(document))
                for gram in name_grams:
                    grams.append(gram_ids.setdefault(gram, len(gram_ids)))
                    rows.append(row)
        return (
            np.asarray(grams, dtype=np.int64),
            np.asarray(rows, dtype=np.int32),
            np.asarray(sizes, dtype=np.float32),
            np.asarray(owners, dtype=np.int64),
        )

    def _set(self, document_count: int, grams, rows, sizes, owners) -> None:
        self.document_count = document_count
        order = np.argsort(grams, kind="stable")
        self._rows = rows[order]
        self._starts = np.searchsorted(grams[order], np.arange(len(self._gram_ids) + 1))
        self._sizes = sizes
        self._owners = owners
        self._largest = float(self._sizes.max()) if len(self._sizes) else 0.0

    def reordered(self, old_positions: np.ndarray, names_per_document: list[list[str]]) -> NameIndex:
        """The index of another list of documents, reusing this one's postings where it can.

        ``old_positions[i]``: document ``i``'s position in this index if its names are unchanged, or
        -1, and then its ``names_per_document[i]`` are indexed. Scores equal a fresh ``NameIndex``'s
        (rows are numbered differently, which no score depends on); an update of 100,000 documents
        then costs the trigrams of the changed ones, not of all (seconds).
        """
        old_positions = np.asarray(old_positions, dtype=np.int64)
        index = NameIndex.__new__(NameIndex)
        index._gram_ids = dict(self._gram_ids)
        kept = old_positions >= 0
        new_of_old = np.full(self.document_count, -1, dtype=np.int64)
        new_of_old[old_positions[kept]] = np.flatnonzero(kept)
        row_owners = new_of_old[self._owners]
        kept_rows = row_owners >= 0
        row_numbers = (np.cumsum(kept_rows) - 1).astype(np.int32)
        posting_grams = np.repeat(np.arange(len(self._starts) - 1, dtype=np.int64), np.diff(self._starts))
        kept_postings = kept_rows[self._rows]
        fresh = np.flatnonzero(~kept)
        grams, rows, sizes, owners = index._postings(
            [names_per_document[position] for position in fresh], fresh, first_row=int(kept_rows.sum())
        )
        index._set(
            len(old_positions),
            np.concatenate([posting_grams[kept_postings], grams]),
            np.concatenate([row_numbers[self._rows[kept_postings]], rows]),
            np.concatenate([self._sizes[kept_rows], sizes]),
            np.concatenate([row_owners[kept_rows], owners]),
        )
        return index

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The postings as arrays (the grams as one newline-separated UTF-8 text; no gram holds one)."""
        grams = "\n".join(sorted(self._gram_ids, key=self._gram_ids.__getitem__))
        return {
            "grams": np.frombuffer(grams.encode("utf-8"), dtype=np.uint8),
            "rows": self._rows,
            "starts": self._starts.astype(np.int64),
            "sizes": self._sizes,
            "owners": self._owners,
            "document_count": np.asarray([self.document_count], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> NameIndex:
        """The index ``to_arrays`` wrote, without computing any trigram again."""
        index = cls.__new__(cls)
        index.document_count = int(arrays["document_count"][0])
        text = arrays["grams"].tobytes().decode("utf-8")
        index._gram_ids = {gram: number for number, gram in enumerate(text.split("\n"))} if text else {}
        index._rows = np.asarray(arrays["rows"], dtype=np.int32)
        index._starts = np.asarray(arrays["starts"], dtype=np.int64)
        index._sizes = np.asarray(arrays["sizes"], dtype=np.float32)
        index._owners = np.asarray(arrays["owners"], dtype=np.int64)
        index._largest = float(index._sizes.max()) if len(index._sizes) else 0.0
        return index

    def scores(self, query: str, minimum: float = 0.0) -> np.ndarray:
        """Best Dice similarity between the query and any name of each document (0 when none shared).

        With ``minimum`` > 0 the caller ignores smaller similarities, and a query whose trigram count
        ``t`` is such that even the largest name (``s`` trigrams) cannot reach it — Dice is at most
        ``2s / (s + t)`` — returns zeros at once (a long description pasted as a query).
        """
        result = np.zeros(self.document_count, dtype=np.float32)
        query_trigrams = trigrams(query)
        total = len(query_trigrams)
        if minimum > 0 and 2 * self._largest < minimum * (self._largest + total):
            return result
        query_grams = [self._gram_ids[gram] for gram in query_trigrams if gram in self._gram_ids]
        if not query_grams or not len(self._sizes):
            return result
        postings = np.concatenate([self._rows[self._starts[g] : self._starts[g + 1]] for g in query_grams])
        shared = np.bincount(postings, minlength=len(self._sizes)).astype(np.float32)
        hit_rows = np.flatnonzero(shared)
        similarity = 2 * shared[hit_rows] / (self._sizes[hit_rows] + total)
        np.maximum.at(result, self._owners[hit_rows], similarity)
        return result
