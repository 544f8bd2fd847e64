"""Two people edit the same organization or person from the same version: one change is saved, the
other is refused (409), never lost."""

import json
import threading

import pytest
from django.db import close_old_connections, connection

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.core.services import Conflict
from dari.registry import services
from dari.registry.models import Organization


def patch(client, url: str, body: dict):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_two_api_edits_from_the_same_version_one_saved_one_409(world, client):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    url = f"/api/v1/organizations/{world.a.pk}"
    seen = client.get(url).json()["version"]

    first = patch(client, url, {"version": seen, "description_en": "First editor's text"})
    second = patch(client, url, {"version": seen, "description_en": "Second editor's text"})

    assert (first.status_code, second.status_code) == (200, 409)
    assert first.json()["version"] == seen + 1
    assert set(second.json()) == {"detail"} and "Someone else saved" in second.json()["detail"]
    world.a.refresh_from_db()
    assert (world.a.description_en, world.a.version) == ("First editor's text", seen + 1)
    assert AuditEntry.objects.filter(action="registry.organization.changed").count() == 1


def test_a_person_edit_from_a_stale_version_is_refused(world, client):
    client.force_login(world.users["staff"])
    url = f"/api/v1/people/{world.person.pk}"
    seen = client.get(url).json()["version"]
    patch(client, url, {"version": seen, "name_en": "Kim Ji-won"})

    stale = patch(client, url, {"version": seen, "name_en": "Kim J."})
    fresh = patch(client, url, {"version": seen + 1, "name_en": "Kim J."})

    assert (stale.status_code, fresh.status_code) == (409, 200)
    world.person.refresh_from_db()
    assert world.person.name_en == "Kim J."


def test_an_edit_without_a_version_is_saved_over_the_latest(world, client):
    """Clients that do not send the version keep today's behaviour: the last write wins."""
    client.force_login(world.users["staff"])
    url = f"/api/v1/organizations/{world.a.pk}"

    answers = [patch(client, url, {"city_en": city}).status_code for city in ("Ulsan", "Busan")]

    assert answers == [200, 200]
    world.a.refresh_from_db()
    assert (world.a.city_en, world.a.version) == ("Busan", 3)


def test_a_refused_edit_writes_nothing(world):
    staff = Actor(world.users["staff"])
    services.update_organization(staff, world.a, {"city_en": "Ulsan"}, version=1)

    with pytest.raises(Conflict):
        services.update_organization(
            staff, Organization.objects.get(pk=world.a.pk), {"city_en": "Busan"}, version=1
        )

    world.a.refresh_from_db()
    assert (world.a.city_en, world.a.version) == ("Ulsan", 2)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_on_postgresql_exactly_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers on one connection; the row lock is PostgreSQL's")
    staff = Actor(world.users["staff"])
    barrier = threading.Barrier(2)
    results = []

    def edit(text: str):
        try:
            barrier.wait()
            services.update_organization(
                staff, Organization.objects.get(pk=world.a.pk), {"city_en": text}, version=1
            )
            results.append("saved")
        except Conflict:
            results.append("conflict")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=edit, args=(city,)) for city in ("Ulsan", "Busan")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["conflict", "saved"]
    assert Organization.objects.get(pk=world.a.pk).version == 2


def test_the_edit_page_shows_the_other_persons_change_instead_of_overwriting_it(world, client):
    client.force_login(world.users["staff"])
    client.cookies["django_language"] = "en"
    url = f"/organizations/{world.a.pk}/edit/"
    page = client.get(url)
    form = page.context["form"]
    assert f'name="version" value="{world.a.version}"' in page.content.decode()  # the version seen
    posted = {name: value for name, value in form.initial.items() if value is not None}
    posted["version"] = world.a.version
    posted["sectors"] = [sector.pk for sector in form.initial.get("sectors", [])]
    services.update_organization(
        Actor(world.users["admin_a"]), world.a, {"description_en": "Changed meanwhile"}
    )

    answer = client.post(url, posted | {"description_en": "My older edit"})

    assert answer.status_code == 409
    page = answer.content.decode()
    assert "Someone else saved this organization" in page
    assert "Changed meanwhile" in page  # what the other person saved is shown
    world.a.refresh_from_db()
    assert world.a.description_en == "Changed meanwhile"
    # The form now carries the new version: sending it again saves the edit.
    again = answer.context["form"]
    assert again["version"].value() == str(world.a.version)
    assert (
        client.post(url, posted | {"description_en": "My older edit", "version": world.a.version}).status_code
        == 302
    )
