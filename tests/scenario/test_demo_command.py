import pytest
from django.core.management import call_command

from dari.accounts.models import User
from dari.agreements.models import Agreement
from dari.outcomes.models import Outcome

from ..helpers import basic_auth, get_json

pytestmark = pytest.mark.django_db


def test_demo_no_serve_twice_sets_up_once_and_prints_the_login(client, capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path

    call_command("demo", no_serve=True)
    first = capsys.readouterr().out
    call_command("demo", no_serve=True)
    second = capsys.readouterr().out

    assert "Username      demo" in first and "Password      dari-demo-2024" in first
    assert "Scenario loaded: {}" in second
    assert User.objects.filter(username="demo", is_superuser=True).count() == 1
    assert Agreement.objects.count() == 1
    assert Outcome.objects.count() == 6
    agreements = get_json(client, "/api/v1/agreements", **basic_auth("demo", "dari-demo-2024"))
    assert agreements["count"] == 1
    assert agreements["items"][0]["signed_at"] == "2024-01-17T10:30:00-08:00"
    assert len(agreements["items"][0]["parties"]) == 4


def test_load_scenario_command_reports_a_bad_file_without_writing(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.yaml"
    bad.write_text("organizations:\n  - key: x\n    kind: startup\n    name_en: X\n    cluster: nowhere\n")

    with pytest.raises(CommandError, match="nowhere"):
        call_command("load_scenario", str(bad))
    from dari.registry.models import Organization

    assert Organization.objects.count() == 0
