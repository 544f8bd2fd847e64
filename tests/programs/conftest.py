from datetime import timedelta

import pytest
from django.utils import timezone

from .calls import make_call


@pytest.fixture
def open_call(db):
    """A call that takes applications now: opened yesterday, closing in 30 days."""
    now = timezone.now()
    return make_call(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))
