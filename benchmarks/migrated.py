"""A benchmark's fresh database, migrated: on SQLite, copied from a template migrated once.

Migrating an empty database runs Dari's and Django's 113 migrations, which takes 15 s of CPU (most
of it Django rebuilding the models' state after each operation), more than many benchmarks' smoke
runs spend measuring. The first process to need a migrated SQLite database migrates one and keeps
a copy in the temporary directory, named by a digest of every migration file and Django's version;
later ones copy that file and run ``migrate`` over it, which finds nothing to apply. The copy is the
very file ``migrate`` wrote, so what is measured on it is the same. PostgreSQL databases are
migrated as before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def migrations_digest() -> str:
    import django

    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted((ROOT / "src" / "dari").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_path() -> Path:
    return (
        Path(tempfile.gettempdir()) / "dari-benchmark-templates" / f"migrated-{migrations_digest()}.sqlite3"
    )


def keep_as_template(database: Path | str) -> None:
    """Keep the migrated SQLite file ``database`` (closed) as the template, unless one is there."""
    template = template_path()
    if template.exists():
        return
    template.parent.mkdir(parents=True, exist_ok=True)
    # Another process may be writing the same template: each writes its own file and renames it.
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    shutil.copyfile(database, partial)
    os.replace(partial, template)


def copy_template(database: Path | str) -> bool:
    """Copy the template to ``database``, if there is one; whether there was."""
    template = template_path()
    if not template.exists():
        return False
    shutil.copyfile(template, database)
    return True


def migrate() -> None:
    """Migrate the default database (Django set up), from the template where it is a new SQLite file."""
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    fresh_sqlite = (
        connection.vendor == "sqlite"
        and str(name) != ":memory:"
        and (not os.path.exists(name) or os.path.getsize(name) == 0)
    )
    if fresh_sqlite:
        connection.close()
        copy_template(name)
    call_command("migrate", verbosity=0)
    if fresh_sqlite:
        connection.close()
        keep_as_template(name)
