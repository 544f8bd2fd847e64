"""The stored index: built once, refreshed only when the registry changed, loaded by version."""

import pytest
from django.core.management import call_command

from dari.accounts.audit import Actor
from dari.matching import engine
from dari.matching.models import IndexSnapshot
from dari.matching.services import update_matching_profile
from dari.registry.models import Organization

pytestmark = pytest.mark.django_db


def test_refresh_builds_once_then_only_when_something_changed(world):
    IndexSnapshot.objects.all().delete()
    first = engine.refresh_index()
    assert first.version == 1 and first.document_count == Organization.objects.count()
    assert engine.refresh_index() is None  # nothing changed
    Organization.objects.filter(pk=world["fit"].pk).update(description_en="Now a diabetes clinic.")
    Organization.objects.get(pk=world["fit"].pk).save()  # bumps updated_at, as every edit does
    second = engine.refresh_index()
    assert second.version == 2
    changed = {key for key in second.digests if second.digests[key] != first.digests.get(key)}
    assert changed == {f"o{world['fit'].pk}"}


def test_every_process_loads_the_newest_snapshot(world):
    assert engine.loaded().version == 1
    Organization.objects.filter(pk=world["fit"].pk).update(name_en="Harbor Diabetes Clinics")
    Organization.objects.get(pk=world["fit"].pk).save()
    engine.refresh_index()  # as another process (the worker) would
    assert engine.loaded().version == 2
    assert [r.obj.key for r in engine.search(world["member"], "Harbor Diabetes")][0] == "endo-clinic"


def test_old_snapshots_are_dropped(world):
    engine.rebuild_index()
    engine.rebuild_index()
    assert list(IndexSnapshot.objects.values_list("version", flat=True)) == [3, 2]


def test_a_removed_organization_leaves_the_index(world):
    world["misfit"].delete()
    snapshot = engine.refresh_index()
    assert f"o{world['misfit'].pk}" not in snapshot.digests
    assert snapshot.document_count == Organization.objects.count()


def test_a_changed_matching_profile_schedules_a_refresh(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update_matching_profile(
            Actor(world["member"]), world["startup"], {"needs_en": "A US hospital for a thyroid pilot"}
        )
    assert IndexSnapshot.objects.order_by("-version").first().version == 2


def test_rebuild_command_shows_progress(world, capsys):
    call_command("rebuild_matching_index")
    captured = capsys.readouterr()
    assert "100%" in captured.err and "Stored search index v2" in captured.out


def test_the_periodic_runner_keeps_the_index_current(world):
    IndexSnapshot.objects.all().delete()
    from datetime import UTC, datetime, timedelta
    from io import StringIO

    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def run(at) -> str:
        out = StringIO()
        call_command("run_periodic", "--now", at.isoformat(), stdout=out)
        return next(line for line in out.getvalue().splitlines() if line.startswith("matching-index"))

    assert run(now) == f"matching-index: search index v1 stored ({Organization.objects.count()} documents)"
    assert run(now + timedelta(seconds=30)) == "matching-index: not due"
    assert run(now + timedelta(minutes=1)) == "matching-index: search index up to date"


def test_without_an_index_pages_say_so_and_a_refresh_is_scheduled(
    world, client, django_capture_on_commit_callbacks
):
    IndexSnapshot.objects.all().delete()
    client.force_login(world["member"])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get("/search/?q=thyroid", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "being prepared" in page and "Harbor Endocrine Clinics" not in page
    assert IndexSnapshot.objects.count() == 1  # the immediate task backend built it at once
    page = client.get("/search/?q=thyroid", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "being prepared" not in page and "Harbor Endocrine Clinics" in page


def test_an_index_from_another_engine_version_is_not_loaded(world):
    IndexSnapshot.objects.update(engine_version="dari-search-0/old-model")
    assert engine.loaded() is None
