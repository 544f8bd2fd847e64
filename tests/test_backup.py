"""``dari backup`` and ``dari restore``: a round trip through the real commands gives back every table
(row counts and checksums) and every stored file, on SQLite and on PostgreSQL; a non-empty target is
refused.

Each test runs the commands as a user would, in subprocesses against throw-away databases of its own
(never the test database), so it also proves that the commands read ``DARI_DATABASE_URL`` and
``DARI_FILES_DIR``. The PostgreSQL test runs when the suite itself runs on PostgreSQL (CI step 2).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import pytest

from dari.files.backup import BackupError, connection_to, read_manifest, table_checksums, verify

# Run inside ``dari shell``: the scenario, a generated report with a Korean name and an image.
SEED = """
from django.core.management import call_command
from dari.accounts.audit import Actor
from dari.files.services import store_generated
from dari.registry.models import Organization
call_command("migrate", verbosity=0)
call_command("load_scenario", verbosity=0)
organization = Organization.objects.order_by("pk").first()
report = "울산 보고서".encode()
store_generated(Actor.system(), report, "울산 보고서.txt", "text/plain", organization, "report")
png = b"\\x89PNG\\r\\n\\x1a\\n" + bytes(range(256)) * 4
store_generated(Actor.system(), png, "chart.png", "image/png", organization, "evidence")
"""


@pytest.fixture
def other_databases(django_db_blocker):
    """Lets the test open its own connections to the throw-away databases (not the test database)."""
    with django_db_blocker.unblock():
        yield


def dari(*arguments: str, database_url: str, files_dir: Path, check: bool = True):
    environment = {**os.environ, "DARI_DATABASE_URL": database_url, "DARI_FILES_DIR": str(files_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "dari", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def checksums_of(database_url: str) -> dict:
    settings_dict = dj_database_url.parse(database_url)
    settings_dict.setdefault("OPTIONS", {})
    with connection_to(settings_dict) as connection:
        return table_checksums(connection)


def files_in(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def round_trip(source_url: str, target_url: str, tmp_path: Path) -> dict:
    """Seed the source, back it up, restore into the empty target; returns the manifest."""
    source_files, target_files = tmp_path / "files-source", tmp_path / "files-target"
    archive = tmp_path / "backup.tar.gz"
    dari("shell", "-c", SEED, database_url=source_url, files_dir=source_files)

    backed_up = dari("backup", str(archive), database_url=source_url, files_dir=source_files)
    restored = dari("restore", str(archive), database_url=target_url, files_dir=target_files)

    manifest = read_manifest(archive)
    source, target = checksums_of(source_url), checksums_of(target_url)
    assert target == source == manifest["tables"]
    assert manifest["tables"]["registry_organization"]["rows"] > 0
    assert manifest["tables"]["files_storedfile"]["rows"] == 2
    assert sum(table["rows"] for table in source.values()) > 300
    assert files_in(target_files) == files_in(source_files) and len(files_in(source_files)) == 2
    assert "Wrote" in backed_up.stdout and "Verified" in restored.stdout
    assert "Restore complete." in restored.stdout

    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and manifest["database_file"] in names
    assert manifest["migrations"]["files"] == ["0001_initial", "0002_dates_within_bounds"]

    refused = dari("restore", str(archive), database_url=source_url, files_dir=tmp_path / "x", check=False)
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr and "Restore only into an empty database" in refused.stderr
    return manifest


def test_sqlite_round_trip_gives_back_every_table_and_file(tmp_path, other_databases):
    source_url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    target_url = f"sqlite:///{tmp_path / 'restored' / 'target.sqlite3'}"

    manifest = round_trip(source_url, target_url, tmp_path)

    assert manifest["engine"] == "sqlite"
    # The verification notices a restored database that differs from its manifest.
    target = dj_database_url.parse(target_url)
    target["OPTIONS"] = {}
    with connection_to(target) as connection, connection.cursor() as cursor:
        cursor.execute("UPDATE registry_organization SET name_en = 'changed' WHERE id = 1")
    with pytest.raises(BackupError, match="registry_organization"):
        verify(manifest, target, tmp_path / "files-target", print)


def postgres_url() -> str | None:
    url = os.environ.get("DARI_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def psql_database(settings_dict: dict, statement: str) -> None:
    command = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--dbname=postgres"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command.append(f"{option}={settings_dict[key]}")
    environment = {**os.environ, "PGPASSWORD": str(settings_dict.get("PASSWORD") or "")}
    subprocess.run([*command, "--command", statement], env=environment, check=True, capture_output=True)


@pytest.mark.skipif(
    postgres_url() is None,
    reason="PostgreSQL round trip: runs when DARI_DATABASE_URL is PostgreSQL (CI step 2)",
)
def test_postgresql_round_trip_gives_back_every_table_and_file(tmp_path, other_databases):
    base = dj_database_url.parse(postgres_url())
    source, target = f"dari_backup_src_{os.getpid()}", f"dari_backup_dst_{os.getpid()}"
    for name in (source, target):
        psql_database(base, f'DROP DATABASE IF EXISTS "{name}"')
        psql_database(base, f'CREATE DATABASE "{name}"')
    server = postgres_url().rsplit("/", 1)[0]
    try:
        manifest = round_trip(f"{server}/{source}", f"{server}/{target}", tmp_path)
        assert manifest["engine"] == "postgresql"
    finally:
        for name in (source, target):
            psql_database(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path):
    not_a_backup = tmp_path / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        archive.add(__file__, arcname="notes.py")

    with pytest.raises(BackupError, match="is not a Dari backup"):
        read_manifest(not_a_backup)


def test_an_archive_of_another_format_is_refused(tmp_path):
    archive_path = tmp_path / "future.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 99}))
    with tarfile.open(archive_path, "w:gz") as archive:
        archive.add(manifest, arcname="manifest.json")

    with pytest.raises(BackupError, match="format 99"):
        read_manifest(archive_path)
