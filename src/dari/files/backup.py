"""Backup and restore of a whole Dari installation: the database and the files store, in one archive.

The archive (a ``.tar.gz``) holds:

- ``database.sqlite3`` (SQLite, copied online with sqlite3's backup API, consistent even while the
  web process writes) or ``database.dump`` (PostgreSQL, ``pg_dump -Fc`` inside an exported snapshot);
- ``files/``: the files store (``DARI_FILES_DIR``) as it was;
- ``manifest.json``: when, which engine, Dari's version, the applied migrations, and for every table
  its row count and checksum (SHA-256 over its rows ordered by primary key, values normalized), taken
  from exactly the data in the archive, plus every stored file's size and SHA-256.

A restore goes into an *empty* database only (no tables at all) and an empty files directory, then
recomputes every table's checksum and every file's hash and compares them with the manifest. Asked
to (``--replace``), it first backs up what the target holds, then empties it.

``dari run_periodic`` writes a backup on a schedule and keeps the newest few (``scheduled_backup``).

The database is archived before the files: files are written before the row that names them is
committed and never change afterwards, so every file the archived rows point to is in the archive.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

import dari

MANIFEST_FORMAT = 1
Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def quiet(_message: str) -> None:
    pass


# --- the database: which engine, a connection to it, and what it holds -----------------------------


def engine_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}")


@contextmanager
def connection_to(settings_dict: dict):
    """A Django connection of its own (not the request's), closed afterwards."""
    complete = {**connections["default"].settings_dict, **settings_dict}
    alias = f"backup-{uuid.uuid4().hex}"
    wrapper = load_backend(complete["ENGINE"]).DatabaseWrapper(complete, alias=alias)
    # Django's backends look some features up by alias (e.g. SQLite's JSON support), so register it.
    connections[alias] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[alias]


def normalized(value):
    """A JSON value standing for ``value``, the same whichever way the driver returned it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def table_checksums(connection) -> dict[str, dict]:
    """``{table: {"rows": N, "sha256": "..."}}`` for every table of the database."""
    quote = connection.ops.quote_name
    summary = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = [
                column.name for column in connection.introspection.get_table_description(cursor, table)
            ]
            primary_key = connection.introspection.get_primary_key_column(cursor, table)
            order = [primary_key] if primary_key else columns
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} "
                f"ORDER BY {', '.join(map(quote, order))}"
            )
            digest = hashlib.sha256()
            rows = 0
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    line = json.dumps([normalized(value) for value in row], ensure_ascii=False)
                    digest.update(line.encode() + b"\n")
                rows += len(batch)
            summary[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return summary


def applied_migrations(connection) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return {}
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        applied: dict[str, list[str]] = {}
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    return applied


def postgres_arguments(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection options for pg_dump/pg_restore/psql, and the environment carrying the password."""
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = sslmode
    return arguments, environment


def run_tool(command: list[str], environment: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


# --- backup ---------------------------------------------------------------------------------------


def dump_database(settings_dict: dict, workdir: Path, progress: Progress) -> tuple[str, dict, dict]:
    """Write the database into ``workdir``; returns its file name, table checksums and migrations,
    all describing exactly the data written."""
    engine = engine_of(settings_dict)
    if engine == "sqlite":
        target = workdir / "database.sqlite3"
        progress("Copying the SQLite database (online backup API)")
        with connection_to(settings_dict) as source:
            source.ensure_connection()
            copy = sqlite3.connect(target)
            try:
                source.connection.backup(copy)
            finally:
                copy.close()
        with connection_to(
            {"ENGINE": settings_dict["ENGINE"], "NAME": str(target), "OPTIONS": {}}
        ) as archived:
            return target.name, table_checksums(archived), applied_migrations(archived)
    target = workdir / "database.dump"
    with connection_to(settings_dict) as source:
        source.ensure_connection()
        source.set_autocommit(False)
        try:
            with source.cursor() as cursor:
                # pg_dump and the checksums read the same snapshot, so the manifest matches the dump.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            progress(f"Dumping PostgreSQL database {settings_dict['NAME']} (pg_dump -Fc)")
            arguments, environment = postgres_arguments(settings_dict)
            run_tool(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", *arguments]
                + [str(settings_dict["NAME"])],
                environment,
            )
            progress("Counting rows and checksumming every table")
            checksums, migrations = table_checksums(source), applied_migrations(source)
        finally:
            source.rollback()
    return target.name, checksums, migrations


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(files_dir: Path) -> list[Path]:
    if not files_dir.is_dir():
        return []
    return sorted(
        path
        for path in files_dir.rglob("*")
        if path.is_file() and not path.name.startswith(".") and not path.is_symlink()
    )


def create_backup(
    path: Path,
    *,
    settings_dict: dict | None = None,
    files_dir: Path | None = None,
    progress: Progress = quiet,
) -> dict:
    """Write the archive at ``path`` (refused if it exists); returns the manifest."""
    settings_dict = settings_dict or connections["default"].settings_dict
    files_dir = Path(files_dir or settings.FILES_DIR)
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dari-backup-") as temporary:
        workdir = Path(temporary)
        database_file, tables, migrations = dump_database(settings_dict, workdir, progress)
        files = stored_files(files_dir)
        progress(f"Archiving {len(files)} stored files from {files_dir}")
        partial = path.with_name(path.name + ".partial")
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": engine_of(settings_dict),
            "dari_version": dari.__version__,
            "django_version": django.get_version(),
            "python_version": platform.python_version(),
            "database_file": database_file,
            "migrations": migrations,
            "tables": tables,
            "files": [],
        }
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(workdir / database_file, arcname=database_file)
                for file in files:
                    relative = file.relative_to(files_dir).as_posix()
                    manifest["files"].append(
                        {"path": relative, "size": file.stat().st_size, "sha256": file_digest(file)}
                    )
                    archive.add(file, arcname=f"files/{relative}")
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mtime = int(datetime.now(UTC).timestamp())
                archive.addfile(info, fileobj=_bytes_reader(data))
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    rows = sum(table["rows"] for table in tables.values())
    progress(f"Wrote {path}: {len(tables)} tables, {rows} rows, {len(files)} files")
    return manifest


# --- backups on a schedule -------------------------------------------------------------------------

SCHEDULED_PREFIX = "dari-backup-"
STAMP = "%Y%m%dT%H%M%SZ"


def scheduled_archives(directory: Path) -> list[tuple[datetime, Path]]:
    """The archives the schedule wrote in ``directory`` (``dari-backup-<UTC time>.tar.gz``), oldest
    first, with their time. Any other file there is not the schedule's, and is never removed."""
    found = []
    for path in Path(directory).glob(f"{SCHEDULED_PREFIX}*.tar.gz"):
        try:
            made = datetime.strptime(path.name[len(SCHEDULED_PREFIX) : -len(".tar.gz")], STAMP)
        except ValueError:
            continue
        found.append((made.replace(tzinfo=UTC), path))
    return sorted(found)


def prune_archives(directory: Path, keep: int, now: datetime) -> list[Path]:
    """Remove all but the newest ``keep`` scheduled archives, and what a killed backup left (its
    ``.partial`` file) once it is a day old; returns what was removed."""
    if keep < 1:
        raise BackupError("At least one backup is kept")
    removed = [path for _, path in scheduled_archives(directory)[:-keep]]
    day_ago = (now - timedelta(days=1)).timestamp()
    removed += [
        partial
        for partial in Path(directory).glob(f"{SCHEDULED_PREFIX}*.tar.gz.partial")
        if partial.stat().st_mtime < day_ago
    ]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def scheduled_backup(now: datetime) -> str:
    """The periodic runner's backup (``dari run_periodic``, every hour): a new archive in
    ``BACKUP_DIR`` when the newest is ``BACKUP_EVERY_HOURS`` old or there is none, then the
    retention. Returns the runner's one-line summary; ``BackupError`` fails the run, visibly."""
    hours = settings.BACKUP_EVERY_HOURS
    if not hours:
        return "scheduled backups are off (DARI_BACKUP_EVERY_HOURS=0)"
    directory = Path(settings.BACKUP_DIR)
    archives = scheduled_archives(directory)
    if archives and archives[-1][0] > now - timedelta(hours=hours):
        return f"the newest backup, {archives[-1][1].name}, is less than {hours} h old"
    path = directory / f"{SCHEDULED_PREFIX}{now.astimezone(UTC).strftime(STAMP)}.tar.gz"
    manifest = create_backup(path)
    removed = prune_archives(directory, settings.BACKUP_KEEP, now)
    rows = sum(table["rows"] for table in manifest["tables"].values())
    return (
        f"wrote {path.name} ({rows} rows, {len(manifest['files'])} files, {path.stat().st_size} bytes); "
        f"{len(removed)} older removed, the newest {settings.BACKUP_KEEP} kept"
    )


def _bytes_reader(data: bytes):
    import io

    return io.BytesIO(data)


# --- restore --------------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            manifest = json.load(member)
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a Dari backup ({error})") from error
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(
            f"{path} has backup format {manifest.get('format')}, this Dari reads {MANIFEST_FORMAT}"
        )
    return manifest


def existing_tables(settings_dict: dict) -> list[str]:
    if engine_of(settings_dict) == "sqlite":
        name = str(settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise BackupError("Cannot restore into an in-memory SQLite database; give a file path")
        if not Path(name).exists():
            return []
    with connection_to(settings_dict) as target:
        with target.cursor() as cursor:
            return sorted(target.introspection.table_names(cursor))


def refuse_unless_empty(settings_dict: dict, files_dir: Path) -> None:
    tables = existing_tables(settings_dict)
    if tables:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise BackupError(
            f"The database {settings_dict['NAME']} is not empty: it has {len(tables)} tables ({shown}). "
            "Restore only into an empty database: create a new one (PostgreSQL: createdb NAME) or point "
            "DARI_DATABASE_URL at a new SQLite file, then run dari restore again; or run it with "
            "--replace to back up what is there, then replace it."
        )
    if stored_files(files_dir):
        raise BackupError(
            f"The files directory {files_dir} is not empty. Restore into an empty DARI_FILES_DIR, "
            "or run dari restore with --replace."
        )


def set_aside_and_empty(settings_dict: dict, files_dir: Path, progress: Progress) -> Path | None:
    """For a restore that replaces what is there (``dari restore --replace``): first a backup of it
    (``dari-before-restore-<UTC time>.tar.gz`` in ``BACKUP_DIR``), then the database's tables and the
    stored files removed. Returns that backup, or None when there was nothing to keep."""
    tables, files = existing_tables(settings_dict), stored_files(files_dir)
    if not tables and not files:
        return None
    stamp = datetime.now(UTC).strftime(STAMP)
    kept = Path(settings.BACKUP_DIR) / f"dari-before-restore-{stamp}.tar.gz"
    progress(f"Backing up what the target holds into {kept} before replacing it")
    create_backup(kept, settings_dict=settings_dict, files_dir=files_dir, progress=progress)
    if tables and engine_of(settings_dict) == "postgresql":
        progress(f"Dropping the {len(tables)} tables of {settings_dict['NAME']}")
        with connection_to(settings_dict) as target, target.cursor() as cursor:
            quote = target.ops.quote_name
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(quote(name) for name in tables)} CASCADE")
    # SQLite: the restored file replaces the database file whole (restore_backup).
    for file in files:
        file.unlink()
    return kept


def restore_backup(
    path: Path,
    *,
    settings_dict: dict | None = None,
    files_dir: Path | None = None,
    progress: Progress = quiet,
    replace: bool = False,
) -> dict:
    """Restore the archive at ``path`` into an empty database and files directory, then verify every
    table and file against the manifest. Returns the manifest; ``BackupError`` on any refusal. With
    ``replace``, a target that is not empty is backed up, then emptied (``set_aside_and_empty``)."""
    settings_dict = settings_dict or connections["default"].settings_dict
    files_dir = Path(files_dir or settings.FILES_DIR)
    path = Path(path)
    manifest = read_manifest(path)
    engine = engine_of(settings_dict)
    if manifest["engine"] != engine:
        raise BackupError(f"The backup holds a {manifest['engine']} database; the target is {engine}")
    if replace:
        set_aside_and_empty(settings_dict, files_dir, progress)
    if not (replace and engine == "sqlite"):  # a replaced SQLite file is swapped whole, below
        refuse_unless_empty(settings_dict, files_dir)
    progress(f"Restoring {path} (made {manifest['created_at']} by Dari {manifest['dari_version']})")
    with tempfile.TemporaryDirectory(prefix="dari-restore-") as temporary:
        workdir = Path(temporary)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(workdir, filter="data")
        database_file = workdir / manifest["database_file"]
        if engine == "sqlite":
            progress(f"Copying the database into {settings_dict['NAME']}")
            connections.close_all()
            target = Path(settings_dict["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(database_file, target.with_name(target.name + ".partial"))
            for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
                leftover.unlink(missing_ok=True)
            os.replace(target.with_name(target.name + ".partial"), target)
        else:
            progress(f"Restoring into PostgreSQL database {settings_dict['NAME']} (pg_restore)")
            arguments, environment = postgres_arguments(settings_dict)
            run_tool(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
                + arguments
                + [f"--dbname={settings_dict['NAME']}", str(database_file)],
                environment,
            )
        progress(f"Restoring {len(manifest['files'])} stored files into {files_dir}")
        for entry in manifest["files"]:
            source = workdir / "files" / entry["path"]
            target_file = files_dir / entry["path"]
            target_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target_file)
    verify(manifest, settings_dict, files_dir, progress)
    return manifest


def verify(manifest: dict, settings_dict: dict, files_dir: Path, progress: Progress) -> None:
    progress("Verifying row counts and checksums of every table")
    with connection_to(settings_dict) as target:
        tables = table_checksums(target)
    differences = sorted(
        name
        for name in set(tables) | set(manifest["tables"])
        if tables.get(name) != manifest["tables"].get(name)
    )
    broken_files = [
        entry["path"]
        for entry in manifest["files"]
        if not (files_dir / entry["path"]).is_file()
        or file_digest(files_dir / entry["path"]) != entry["sha256"]
    ]
    if differences or broken_files:
        raise BackupError(
            f"The restored data differs from the backup: tables {differences or 'none'}, "
            f"files {broken_files or 'none'}"
        )
    rows = sum(table["rows"] for table in tables.values())
    progress(f"Verified {len(tables)} tables ({rows} rows) and {len(manifest['files'])} files")


def pending_migrations(manifest: dict) -> tuple[list[str], list[str]]:
    """Migrations this code has that the backup lacks (run ``dari migrate``), and the reverse."""
    from django.db.migrations.loader import MigrationLoader

    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    applied = {f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names}
    return sorted(known - applied), sorted(applied - known)
