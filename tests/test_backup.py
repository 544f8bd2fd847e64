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

from .helpers import benchmark_module

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


def dari(*arguments: str, database_url: str, files_dir: Path, check: bool = True, **variables: str):
    environment = {
        **os.environ,
        "DARI_DATABASE_URL": database_url,
        "DARI_FILES_DIR": str(files_dir),
        "DARI_BACKUP_DIR": str(files_dir.parent / "backups"),
        **variables,
    }
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


def migrated_sqlite(database: Path, files_dir: Path) -> None:
    """``database``, a new SQLite file, migrated: by ``dari migrate`` the first time in this run of the
    suite, then copied from what it wrote (the benchmarks' template, ``benchmarks/migrated.py``)."""
    migrated = benchmark_module("migrated")
    database.parent.mkdir(parents=True, exist_ok=True)
    if not migrated.copy_template(database):
        dari("migrate", database_url=f"sqlite:///{database}", files_dir=files_dir)
        migrated.keep_as_template(database)


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
    assert "--replace" in refused.stderr

    # Asked to, a restore replaces what is there, after backing it up: an edited row and a stray file
    # are gone from the target, and kept in the backup made first.
    edit(target_url, "UPDATE registry_organization SET name_en = 'edited after the restore' WHERE id = 1")
    (target_files / "stray.txt").write_text("not in the backup")
    replaced = dari("restore", "--replace", str(archive), database_url=target_url, files_dir=target_files)
    assert checksums_of(target_url) == manifest["tables"]
    assert files_in(target_files) == files_in(source_files)
    kept = list((tmp_path / "backups").glob("dari-before-restore-*.tar.gz"))
    assert len(kept) == 1 and f"Backing up what the target holds into {kept[0]}" in replaced.stdout
    before = read_manifest(kept[0])
    assert before["tables"]["registry_organization"] != manifest["tables"]["registry_organization"]
    assert "stray.txt" in [entry["path"] for entry in before["files"]]
    return manifest


def edit(database_url: str, statement: str) -> None:
    settings_dict = dj_database_url.parse(database_url)
    settings_dict.setdefault("OPTIONS", {})
    with connection_to(settings_dict) as connection, connection.cursor() as cursor:
        cursor.execute(statement)


def test_sqlite_round_trip_gives_back_every_table_and_file(tmp_path, other_databases):
    migrated_sqlite(tmp_path / "source.sqlite3", tmp_path / "files-source")  # the seed migrates too
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


def test_the_periodic_runner_backs_up_once_a_day_and_keeps_the_newest(tmp_path, other_databases):
    database_url = f"sqlite:///{tmp_path / 'dari.sqlite3'}"
    files_dir, backups = tmp_path / "files", tmp_path / "backups"
    migrated_sqlite(tmp_path / "dari.sqlite3", files_dir)
    backups.mkdir()
    # Two the schedule wrote before, and two files that are not the schedule's.
    for name in (
        "dari-backup-20240101T000000Z.tar.gz",
        "dari-backup-20240102T000000Z.tar.gz",
        "dari-backup-before-the-move.tar.gz",
        "manual.tar.gz",
    ):
        (backups / name).write_bytes(b"old")

    def run(now: str) -> str:
        return dari(
            "run_periodic",
            "--now",
            now,
            database_url=database_url,
            files_dir=files_dir,
            DARI_BACKUP_EVERY_HOURS="24",
            DARI_BACKUP_KEEP="2",
        ).stdout

    first = run("2024-01-17T10:30:00+00:00")
    assert "backups: wrote dari-backup-20240117T103000Z.tar.gz" in first
    assert "1 older removed, the newest 2 kept" in first
    assert sorted(path.name for path in backups.iterdir()) == [
        "dari-backup-20240102T000000Z.tar.gz",
        "dari-backup-20240117T103000Z.tar.gz",
        "dari-backup-before-the-move.tar.gz",
        "manual.tar.gz",
    ]
    written = read_manifest(backups / "dari-backup-20240117T103000Z.tar.gz")
    assert written["tables"]["django_migrations"]["rows"] > 0

    # Two hours on: the runner's hourly turn comes, the newest backup is recent enough.
    assert "the newest backup, dari-backup-20240117T103000Z.tar.gz, is less than 24 h old" in run(
        "2024-01-17T12:30:00+00:00"
    )
    assert "backups: wrote dari-backup-20240118T110000Z.tar.gz" in run("2024-01-18T11:00:00+00:00")
    assert sorted(path.name for path in backups.glob("dari-backup-2*")) == [
        "dari-backup-20240117T103000Z.tar.gz",
        "dari-backup-20240118T110000Z.tar.gz",
    ]


def test_a_day_old_partial_archive_is_removed_and_keeping_none_is_refused(tmp_path):
    from datetime import UTC, datetime

    from dari.files.backup import prune_archives

    partial = tmp_path / "dari-backup-20240101T000000Z.tar.gz.partial"
    fresh = tmp_path / "dari-backup-20240117T000000Z.tar.gz.partial"
    partial.write_bytes(b"cut short")
    fresh.write_bytes(b"being written")
    os.utime(partial, (0, 0))

    assert prune_archives(tmp_path, 3, datetime.now(UTC)) == [partial]
    assert fresh.exists()
    with pytest.raises(BackupError, match="At least one backup is kept"):
        prune_archives(tmp_path, 0, datetime.now(UTC))
