"""``dari schedule_instance FILE --time-limit N --out SCHEDULE.json``: solves an instance file with no
database (and, run as ``dari``, with no settings or secret key), writes a schedule that passes the
validator, and says clearly what is wrong with a bad file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dari.engines.scheduling import parse_instance, parse_schedule, validate

from .events import small_event

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def instance_file(tmp_path):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(small_event()), encoding="utf-8")
    return path


def test_the_management_command_writes_a_valid_schedule_without_a_database(instance_file, tmp_path, capsys):
    # No django_db mark: any database access would fail the test.
    out = tmp_path / "schedule.json"
    call_command("schedule_instance", str(instance_file), "--time-limit", "1", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["status"] == "OPTIMAL" and data["objective"] == 6 and data["violations"] == []
    assert data["metrics"]["meetings_scheduled"] == 4
    assert validate(parse_instance(small_event()), parse_schedule(data)) == []
    assert f"written to {out}" in capsys.readouterr().out


def test_dari_schedule_instance_needs_no_settings_nor_secret_key(instance_file, tmp_path):
    out = tmp_path / "schedule.json"
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DARI_", "DJANGO_"))
    }
    environment["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dari",
            "schedule_instance",
            str(instance_file),
            "--time-limit",
            "1",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OPTIMAL (cp-sat) in ")
    assert json.loads(out.read_text(encoding="utf-8"))["objective"] == 6
    assert not (tmp_path / "var").exists()


def test_check_lists_the_violations_of_a_schedule(instance_file, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps({"assignments": [{"meeting": "m1", "slot": "s2", "location": "t1"}]}), encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("schedule_instance", str(instance_file), "--check", str(broken))
    printed = capsys.readouterr().out
    assert "fixed_moved: meeting 'm1' is fixed at 's1' in 't1' but is at 's2' in 't1'" in printed
    assert "1 violation(s); 1 of 6 meetings, weight 2 of 8" in printed


def test_a_malformed_instance_is_refused_with_its_problems(tmp_path, capsys):
    data = small_event()
    data["slots"][0]["start"] = "09:00"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("schedule_instance", str(path))
    assert raised.value.returncode == 2
    assert "at $.slots[0].start: '09:00' is not an ISO-8601 date and time" in capsys.readouterr().err


def test_re_scheduling_from_a_previous_schedule_file(instance_file, tmp_path, capsys):
    first = tmp_path / "first.json"
    call_command("schedule_instance", str(instance_file), "--time-limit", "1", "--out", str(first))
    again = tmp_path / "again.json"
    call_command(
        "schedule_instance",
        str(instance_file),
        "--time-limit",
        "1",
        "--previous",
        str(first),
        "--out",
        str(again),
    )
    assert json.loads(again.read_text(encoding="utf-8"))["details"]["moves"]["moved"] == 0
    assert "previous schedule: 4 kept, 0 moved, 0 dropped, 0 added" in capsys.readouterr().out


def test_the_greedy_baseline_from_the_command_line(instance_file, tmp_path):
    out = tmp_path / "greedy.json"
    call_command("schedule_instance", str(instance_file), "--greedy", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["method"] == "greedy" and data["status"] == "FEASIBLE" and data["violations"] == []
    assert data["bound"] is None and data["gap"] is None
