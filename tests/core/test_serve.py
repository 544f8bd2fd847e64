"""``dari serve``: gunicorn serves pages, static files and /healthz from several processes."""

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from ..helpers import free_port
from ..jobs.test_worker import database_for_a_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_dari_serve_answers_with_its_processes_and_stops_on_sigterm(tmp_path):
    with database_for_a_worker(tmp_path) as database_url:
        port = free_port()
        environment = {**os.environ, "DARI_DATABASE_URL": database_url, "DARI_WEB_WORKERS": "2"}
        server = subprocess.Popen(
            [sys.executable, "-m", "dari", "serve", "--bind", f"127.0.0.1:{port}", "--threads", "2"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            for _ in range(100):
                try:
                    status, body = get(f"http://127.0.0.1:{port}/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail("dari serve did not answer")
            assert (status, body.startswith(b'{"status": "ok"')) == (200, True)
            assert get(f"http://127.0.0.1:{port}/static/dari/forms.js")[0] == 200
            assert get(f"http://127.0.0.1:{port}/organizations/")[0] == 200
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=60)
        assert server.returncode == 0, output
        assert "Using worker: gthread" in output
        # The search app's encoder and index were loaded once, before the workers were forked.
        assert re.search(r"Loaded before starting the workers: urls \(.*\), matching \(", output)
        assert output.count("Booting worker") >= 2
