"""Measure ``dari backup`` + ``dari restore`` round trips and write docs/backup-roundtrip.md.

    .venv/bin/python benchmarks/backup_roundtrip.py [--organizations 5000] [--postgres postgres://postgres@127.0.0.1:5432]

For each engine (SQLite always; PostgreSQL when --postgres is given) and each data set (the scenario;
the scenario plus N organizations made by the test factories), seeds a throw-away database, then times
the backup and the restore (which verifies every table's checksum), run as the commands a user runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SEED = """
from django.core.management import call_command
from dari.accounts.audit import Actor
from dari.files.services import store_generated
from dari.registry.models import Organization
call_command("migrate", verbosity=0)
call_command("load_scenario", verbosity=0)
extra = {organizations}
if extra:
    from tests.factories import OrganizationFactory
    OrganizationFactory.create_batch(extra)
organization = Organization.objects.order_by("pk").first()
data = bytes(range(256)) * 400
for number in range(20):
    name = f"report-{{number}}.bin"
    store_generated(Actor.system(), data, name, "application/octet-stream", organization, "report")
"""


def dari(*arguments: str, database_url: str, files_dir: Path) -> float:
    environment = {**os.environ, "DARI_DATABASE_URL": database_url, "DARI_FILES_DIR": str(files_dir)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dari", *arguments],
        env=environment,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started


def psql(server: str, statement: str) -> None:
    subprocess.run(
        ["psql", "--quiet", f"{server}/postgres", "--command", statement], check=True, capture_output=True
    )


def measure(engine: str, organizations: int, server: str | None) -> dict:
    from dari.files.backup import read_manifest

    with tempfile.TemporaryDirectory(prefix="dari-bench-") as temporary:
        workdir = Path(temporary)
        if engine == "sqlite":
            source, target = (
                f"sqlite:///{workdir / 'source.sqlite3'}",
                f"sqlite:///{workdir / 'target.sqlite3'}",
            )
        else:
            names = (f"dari_bench_src_{os.getpid()}", f"dari_bench_dst_{os.getpid()}")
            for name in names:
                psql(server, f'DROP DATABASE IF EXISTS "{name}"')
                psql(server, f'CREATE DATABASE "{name}"')
            source, target = (f"{server}/{name}" for name in names)
        try:
            dari(
                "shell",
                "-c",
                SEED.format(organizations=organizations),
                database_url=source,
                files_dir=workdir / "files-source",
            )
            archive = workdir / "backup.tar.gz"
            backup_seconds = dari(
                "backup", str(archive), database_url=source, files_dir=workdir / "files-source"
            )
            restore_seconds = dari(
                "restore", str(archive), database_url=target, files_dir=workdir / "files-target"
            )
            manifest = read_manifest(archive)
            return {
                "engine": engine,
                "organizations": manifest["tables"]["registry_organization"]["rows"],
                "tables": len(manifest["tables"]),
                "rows": sum(table["rows"] for table in manifest["tables"].values()),
                "files": len(manifest["files"]),
                "archive_mb": archive.stat().st_size / 1e6,
                "backup_s": backup_seconds,
                "restore_s": restore_seconds,
            }
        finally:
            if engine == "postgresql":
                for name in names:
                    psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--postgres", help="server URL without database name")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "backup-roundtrip.md")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dari.settings")
    from dari.secret_key import use_installation_key

    use_installation_key(create=True)  # as `dari demo` does: the subprocesses below inherit it
    import django

    django.setup()
    engines = ["sqlite"] + (["postgresql"] if options.postgres else [])
    results = [
        measure(engine, organizations, options.postgres)
        for engine in engines
        for organizations in (0, options.organizations)
    ]
    command = "python benchmarks/backup_roundtrip.py " + " ".join(sys.argv[1:])
    lines = [
        "# Backup round trip: measured figures",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `{command.strip()}` on the development",
        f"machine (Python {sys.version.split()[0]}). Each row seeds a throw-away database (migrate, the",
        "scenario, the extra organizations from the test factories, 20 stored files of 100 kB), then times",
        "`dari backup` and `dari restore` as separate processes (each includes about 2.5 s of process",
        "start-up; the restore includes recomputing and comparing every table's checksum and every file's",
        "hash).",
        "",
        "| engine | organizations | tables | rows | files | archive (MB) | backup (s) "
        "| restore + verify (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result['engine']} | {result['organizations']} | {result['tables']} | {result['rows']} | "
            f"{result['files']} | {result['archive_mb']:.2f} | {result['backup_s']:.1f} | "
            f"{result['restore_s']:.1f} |"
        )
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
