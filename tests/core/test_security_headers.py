"""Every answer carries the Content-Security-Policy, framing and referrer rules; no template runs an
inline script, which that policy would block."""

import re
from pathlib import Path

import pytest
from django.test import Client

import dari

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(dari.__file__).parent.glob("**/templates/**/*.html"))


@pytest.mark.parametrize(
    "path", ["/", "/organizations/", "/api/v1/organizations", "/healthz", "/accounts/login/"]
)
def test_pages_and_the_api_forbid_inline_scripts_and_framing(path):
    response = Client().get(path)

    policy = response["Content-Security-Policy"]
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_templates_have_templates_to_check():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path).split("/dari/", 1)[-1])
def test_no_template_has_an_inline_script_or_an_event_handler_attribute(template):
    text = template.read_text(encoding="utf-8")

    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag]
    handlers = re.findall(r"\son[a-z]+\s*=", text)
    javascript_urls = re.findall(r"javascript:", text, flags=re.IGNORECASE)
    assert (inline_scripts, handlers, javascript_urls) == ([], [], [])
