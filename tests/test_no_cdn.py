"""Every asset a page loads is served by Dari itself: no CDN, no outside host."""

import re

import pytest

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("url", ["/", "/organizations/", "/agreements/", "/outcomes/", "/api/v1/docs"])
def test_pages_load_only_local_assets(client, scenario, url):
    html = client.get(url).content.decode()

    assets = ASSET.findall(html)
    assert assets, "the page should load at least its stylesheet"
    assert [asset for asset in assets if not asset.startswith("/")] == []


@pytest.mark.parametrize("path", ["/static/dari/dari.css", "/static/ninja/swagger-ui-bundle.js"])
def test_local_assets_are_served(client, path):
    response = client.get(path)

    assert response.status_code == 200
