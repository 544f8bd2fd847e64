"""Imported rows reach search: the import enqueues an index refresh after its commit (the worker
encodes the changed profiles into a new snapshot, searches keep the current one meanwhile), and a
re-import, which changes nothing, enqueues none."""

import pytest

from dari.matching import engine
from dari.matching.models import IndexSnapshot
from tests.factories import UserFactory

from .helpers import csv_bytes, import_bytes

pytestmark = pytest.mark.django_db

FILE = "key,kind,name_en,description_en\nharbor,hospital,Harbor Diabetes Clinics,Endocrinology in San Diego\n"


def test_an_import_refreshes_the_search_index_once_it_commits(django_capture_on_commit_callbacks):
    staff = UserFactory(username="importer", is_staff=True)
    engine.refresh_index()
    before = IndexSnapshot.objects.order_by("-version").first().version

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_bytes(staff, "organizations", csv_bytes(FILE))
    assert IndexSnapshot.objects.order_by("-version").first().version == before  # not yet: after commit
    for callback in callbacks:
        callback()  # the commit: the refresh task runs (at once in tests, in the worker otherwise)

    assert IndexSnapshot.objects.order_by("-version").first().version == before + 1
    assert [result.obj.key for result in engine.search(staff, "Harbor Diabetes")][:1] == ["harbor"]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_bytes(staff, "organizations", csv_bytes(FILE))
    assert callbacks == []
