"""Helpers for page tests: fetch a page in one language, count its queries."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def get_page(client: Client, url: str, language: str = "ko", status: int = 200) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
