"""Secrets never reach a log: the links that carry one (an invitation, an e-mail check, a signed file
link, an unsubscribe link, a password reset) and query parameters that name one are written with
the secret replaced, by Django's loggers (``RedactSecrets``, on the console handler in settings) and
by the production server's access log (``AccessLogger``, set by ``dari serve``). Passwords and API
tokens travel in request bodies and headers, which neither log writes.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_SECRET_IN_PATH = re.compile(
    r"(/(?:accounts/invitations|accounts/verify-email|files/signed|notifications/unsubscribe)/"
    r"|/accounts/reset/[^/\s]+/)"
    r"[^/?#\s\"']+"
)
_SECRET_IN_QUERY = re.compile(
    r"([?&](?:token|key|password|api_key|signature|sig)=)[^&#\s\"']+", re.IGNORECASE
)


def redact(text: str) -> str:
    """``text`` with every secret of a link or query replaced by ``[redacted]``."""
    return _SECRET_IN_QUERY.sub(rf"\1{REDACTED}", _SECRET_IN_PATH.sub(rf"\1{REDACTED}", text))


class RedactSecrets(logging.Filter):
    """A handler filter that writes each record's message with its secrets redacted (Django logs the
    path of a refused request: "Bad Request: /accounts/invitations/<token>/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def access_logger_class():
    """gunicorn's logger with the request line, path and query of each access-log line redacted."""
    from gunicorn.glogging import Logger

    class AccessLogger(Logger):
        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}

    return AccessLogger
