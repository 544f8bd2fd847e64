"""What the import and export tests share: messages in English (as they are asserted), unless a test
asks for Korean."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
