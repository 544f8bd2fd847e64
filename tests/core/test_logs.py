"""Secrets, tokens and passwords never reach a log (issue 19 item 6): the links that carry a secret
are logged with it redacted by Django's loggers and by ``dari serve``'s access log, and passwords and
API tokens, which travel in bodies and headers, are not written at all. The end-to-end test reads
what a running server actually printed."""

import base64
import logging
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from dari.accounts.audit import Actor
from dari.accounts.services import create_api_token
from dari.core.logs import RedactSecrets, redact
from tests.factories import UserFactory
from tests.helpers import free_port, wait_until_answering
from tests.jobs.test_worker import database_for_a_worker

SECRET = "Zq8Secret_Token-4711"


@pytest.mark.parametrize(
    "line",
    [
        f"GET /accounts/invitations/{SECRET}/ HTTP/1.1",
        f"Bad Request: /accounts/verify-email/{SECRET}/",
        f"/files/signed/{SECRET}/",
        f"/notifications/unsubscribe/{SECRET}/?next=/",
        f"/accounts/reset/MQ/{SECRET}/",
        f"/api/v1/organizations?limit=5&token={SECRET}",
        f"/x?api_key={SECRET}&q=thyroid",
    ],
)
def test_a_secret_in_a_link_or_a_query_is_redacted(line):
    cleaned = redact(line)
    assert SECRET not in cleaned and "[redacted]" in cleaned


def test_the_filter_redacts_a_message_built_from_its_arguments():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/files/signed/{SECRET}/",), None
    )
    assert RedactSecrets().filter(record) is True
    assert record.getMessage() == "Not Found: /files/signed/[redacted]/"
    plain = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "Nothing secret: %s", ("/organizations/",), None
    )
    RedactSecrets().filter(plain)
    assert plain.getMessage() == "Nothing secret: /organizations/"


def call(url: str, headers: dict | None = None, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_a_running_server_logs_no_secret(tmp_path):
    with database_for_a_worker(tmp_path) as database_url:
        user = UserFactory(username="scripter")
        password = "Pass-word-never-logged-93"
        # Hashed as the server's own settings hash (the tests' fast hasher is not among them).
        user.password = PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt())
        user.save()
        _token, key = create_api_token(Actor(user), user, "script")
        port = free_port()
        environment = {**os.environ, "DARI_DATABASE_URL": database_url, "DARI_LOG_LEVEL": "INFO"}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dari",
                "serve",
                "--no-preload",  # the search is not what this test reads (tests/core/test_serve.py is)
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-log",
            ],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(base + "/healthz")
            basic = base64.b64encode(f"scripter:{password}".encode()).decode()
            assert call(base + "/api/v1/me/data", {"Authorization": f"Basic {basic}"}) == 200
            assert call(base + "/api/v1/me/data", {"Authorization": f"Bearer {key}"}) == 200
            assert call(base + "/api/v1/me/data", {"Authorization": f"Bearer {key}x"}) == 401
            for path in (
                f"/accounts/invitations/{SECRET}/",
                f"/files/signed/{SECRET}/",
                f"/notifications/unsubscribe/{SECRET}/",
                f"/accounts/verify-email/{SECRET}/",
                f"/api/v1/organizations?token={SECRET}",
            ):
                assert call(base + path) < 500
        finally:
            server.send_signal(signal.SIGTERM)
            output, _ = server.communicate(timeout=60)

    assert "GET /api/v1/me/data" in output  # the access log was written
    assert "[redacted]" in output
    for secret in (SECRET, password, key, basic):
        assert secret not in output, secret
