"""Meeting requests are made from suggestions: the same small world as matching's tests."""

import pytest
from django.utils import translation

from ..matching.conftest import world  # noqa: F401


@pytest.fixture
def english():
    """Messages read in English (pages still choose their language by the request)."""
    with translation.override("en"):
        yield
