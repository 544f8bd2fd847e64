"""API rate limits: per token (or signed-in user) and per address; over the limit, 429 with Retry-After."""

from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.test import Client

import dari
from dari.accounts.audit import Actor
from dari.accounts.services import create_api_token

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations"
REFUSAL = "Too many requests: at most %(limit)s a minute. Try again in %(seconds)s s."


@pytest.fixture
def limits(settings):
    settings.API_RATE_LIMIT_PER_TOKEN = 3
    settings.API_RATE_LIMIT_PER_ADDRESS = 2
    cache.clear()
    yield
    cache.clear()


def statuses(client, count, **headers):
    return [client.get(URL, **headers).status_code for _ in range(count)]


def test_an_anonymous_address_past_its_limit_gets_429_with_retry_after(limits):
    client = Client(REMOTE_ADDR="192.0.2.1")

    assert statuses(client, 2) == [200, 200]
    refused = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused.json() == {
        "detail": f"Too many requests: at most 2 a minute. Try again in {refused['Retry-After']} s."
    }
    # Another address has its own count.
    assert Client(REMOTE_ADDR="192.0.2.2").get(URL).status_code == 200


def test_a_token_has_its_own_limit_apart_from_its_address(limits):
    owner = UserFactory()
    _token, key = create_api_token(Actor(owner), owner, "script")
    client = Client(REMOTE_ADDR="192.0.2.1")
    assert statuses(client, 2) == [200, 200]

    assert statuses(client, 4, HTTP_AUTHORIZATION=f"Bearer {key}") == [200, 200, 200, 429]
    assert client.get(URL).status_code == 429


def test_pages_are_not_counted(limits):
    client = Client(REMOTE_ADDR="192.0.2.1")

    assert [client.get("/organizations/").status_code for _ in range(3)] == [200, 200, 200]
    assert statuses(client, 2) == [200, 200]


def test_behind_the_https_proxy_the_address_is_the_one_the_proxy_wrote(limits, settings):
    settings.HTTPS = True
    settings.SECURE_SSL_REDIRECT = False
    proxy = Client(REMOTE_ADDR="127.0.0.1")

    first = statuses(proxy, 3, HTTP_X_FORWARDED_FOR="198.51.100.7")
    other = proxy.get(URL, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code

    assert (first, other) == ([200, 200, 429], 200)


def korean_catalog_has(msgid: str) -> bool:
    catalog = polib.pofile(str(Path(dari.__file__).parent / "locale" / "ko" / "LC_MESSAGES" / "django.po"))
    return any(entry.msgid == msgid and entry.msgstr for entry in catalog)


@pytest.mark.skipif(
    not korean_catalog_has(REFUSAL),
    reason="its Korean is in var/po-production.po, not merged into the catalog yet",
)
def test_the_refusal_is_in_korean_for_a_korean_caller(limits):
    client = Client(REMOTE_ADDR="192.0.2.1")
    statuses(client, 2)

    refused = client.get(URL, HTTP_ACCEPT_LANGUAGE="ko")

    seconds = refused["Retry-After"]
    assert refused.json()["detail"] == (
        f"요청이 너무 많습니다. 1분에 2번까지 할 수 있습니다. {seconds}초 뒤에 다시 시도하세요."
    )


def test_a_limit_of_zero_turns_it_off(settings):
    settings.API_RATE_LIMIT_PER_ADDRESS = 0
    cache.clear()

    assert set(statuses(Client(REMOTE_ADDR="192.0.2.1"), 5)) == {200}
