"""Reading the links out of e-mails that the tests' locmem backend collected."""

import re
from urllib.parse import urlsplit

from django.core import mail

LINK = re.compile(r"https?://\S+")


def links_in(message) -> list[str]:
    """Paths of the links in ``message``'s body, in order, without repeats."""
    paths: list[str] = []
    for url in LINK.findall(message.body):
        path = urlsplit(url).path
        if path not in paths:
            paths.append(path)
    return paths


def only_link(message, containing: str) -> str:
    [path] = [path for path in links_in(message) if containing in path]
    return path


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]
