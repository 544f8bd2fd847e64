"""What ``dari serve`` loads in its arbiter before forking the workers (``warm_up_apps``)."""

import logging

import pytest
from django.apps import apps

from dari.core.management.commands import serve
from dari.engines.matching import text
from dari.matching import engine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def closed(monkeypatch):
    """The arbiter closes its database connections before forking; in a test they stay open (the
    test's transaction is on one of them), and the call is recorded."""
    calls = []
    monkeypatch.setattr(serve.connections, "close_all", lambda: calls.append(True))
    return calls


def test_the_search_app_loads_its_encoder_and_newest_index(monkeypatch, closed):
    engine.rebuild_index()
    engine.forget_loaded()
    encoded = []
    monkeypatch.setattr(text, "encode", lambda texts, **kwargs: encoded.append(texts))

    warmed = serve.warm_up_apps()

    assert [label for label, _ in warmed] == ["urls", "matching"]
    assert encoded == [["warm-up"]]
    assert engine._loaded is not None
    assert engine._loaded.version == engine.IndexSnapshot.objects.latest("version").version
    assert closed == [True]


def test_a_failing_warm_up_is_logged_and_the_server_starts_anyway(monkeypatch, caplog, closed):
    def fail():
        raise ConnectionError("database not reachable")

    monkeypatch.setattr(apps.get_app_config("matching"), "warm_up", fail, raising=False)

    with caplog.at_level(logging.ERROR, logger=serve.__name__):
        warmed = serve.warm_up_apps()

    assert [label for label, _ in warmed] == ["urls"]
    assert closed == [True]
    assert "Warming up matching failed: it loads on first use instead" in caplog.text
    assert "database not reachable" in caplog.text
