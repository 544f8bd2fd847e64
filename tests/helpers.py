"""Small helpers for API tests."""

import base64
import importlib.util
import sys
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# The demo login that ``dari demo`` creates and prints; scripts and the README rely on it.
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "dari-demo-2024"


def basic_auth(username: str, password: str) -> dict[str, str]:
    """Keyword arguments for ``client.get`` that send HTTP Basic credentials."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def get_json(client: Client, url: str, status: int = 200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content
    return response.json()


def listed_keys(client: Client, url: str, **extra) -> list[str]:
    """The ``key`` of every item of a list endpoint's page, in the order the API gives them."""
    return [item["key"] for item in get_json(client, url, **extra)["items"]]


def count_queries(client: Client, url: str) -> int:
    """How many database queries one successful GET of ``url`` runs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def chart_spec(html: str, element_id: str) -> dict:
    """The Vega-Lite spec a page passes to charts.js in ``<script id=... type="application/json">``
    (``json_script``): what the viewer's browser is given, hidden figures included if any were."""
    import json
    import re

    found = re.search(
        rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, f"no chart {element_id} in the page"
    return json.loads(found.group(1))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a ``dari serve`` under test)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, seconds: float = 120) -> None:
    """Wait until a server answers ``url`` with anything, even an error status."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return  # answering, even if not healthy
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer") from None
            time.sleep(0.5)


def latest_migrations() -> list[tuple[str, str]]:
    """Every app's newest migration (the leaf nodes of the migration graph)."""
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate_to(targets):
    """Migrate to ``targets`` (the other apps stay at their latest); the models as they are then. For
    the data migrations' tests (``django_db(transaction=True)``; migrate back to the latest after)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    moved = {app for app, _name in targets}
    nodes = [node for node in targets if node[1]] + [
        node for node in latest_migrations() if node[0] not in moved
    ]
    return executor.loader.project_state(nodes).apps


def benchmark_module(name: str):
    """The module ``benchmarks/<name>.py`` (the benchmarks are scripts, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
