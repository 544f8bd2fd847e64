"""With DARI_CACHE_URL (Redis), the API's rate limits count the requests of every web process
together (issue 19 item 6): two ``dari serve`` processes, one limit. Runs where Redis answers on
127.0.0.1:6379 (this machine kind and CI start it)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.helpers import free_port, wait_until_answering
from tests.jobs.test_worker import database_for_a_worker

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After", "")


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_two_web_processes_share_one_rate_limit(tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    with database_for_a_worker(tmp_path) as database_url:
        environment = {
            **os.environ,
            "DARI_DATABASE_URL": database_url,
            "DARI_CACHE_URL": REDIS_URL,
            "DARI_API_RATE_LIMIT_PER_ADDRESS": "4",
        }
        ports = [free_port(), free_port()]
        servers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "dari",
                    "serve",
                    "--no-preload",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                ],
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port in ports
        ]
        try:
            for port in ports:
                wait_until_answering(f"http://127.0.0.1:{port}/healthz")
            if time.time() % 60 > 45:  # the six requests in one one-minute window
                time.sleep(61 - time.time() % 60)
            answers = [status(f"http://127.0.0.1:{ports[number % 2]}/api/v1/clusters") for number in range(6)]
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                server.wait(timeout=60)

    # Four requests a minute from this address, whichever process answers: the fifth is refused.
    assert [code for code, _retry in answers[:4]] == [200, 200, 200, 200]
    assert [code for code, _retry in answers[4:]] == [429, 429]
    assert all(int(retry) >= 1 for _code, retry in answers[4:])
