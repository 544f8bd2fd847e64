"""``dari import_data KIND FILE [--dry-run]`` and ``dari import_data KIND --template``."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from dari.accounts.audit import Actor
from dari.core.services import Conflict
from dari.exchange.files import template_file, template_name
from dari.exchange.importing import IMPORTERS, run_import
from dari.exchange.tables import FORMATS, TableError, read_table


class Command(BaseCommand):
    help = (
        "Import organizations, people, program participants or outcomes from a CSV (UTF-8, with or "
        "without BOM, or CP949) or XLSX file: every row is checked first, and the file is imported "
        "all or nothing. A bad row is reported on stderr (row, column, reason) and the command exits 1. "
        "With --template, write the kind's empty file instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file to import")
        parser.add_argument("--dry-run", action="store_true", help="check every row, change nothing")
        parser.add_argument("--template", action="store_true", help="write the kind's empty template")
        parser.add_argument("--format", choices=FORMATS, default="csv", help="the template's format")
        parser.add_argument("--out", help="where to write the template (default: standard output)")
        parser.add_argument(
            "--user",
            help="import with this user's rights, recorded as theirs in the audit log "
            "(default: Dari itself, like the scenario loader)",
        )

    def handle(self, *args, kind, file, dry_run, template, format, out, user, **options):
        if template:
            data = template_file(kind, format)
            if out:
                Path(out).write_bytes(data)
                self.stdout.write(f"{template_name(kind, format)} written to {out}")
            else:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            return
        if not file:
            raise CommandError("Give the FILE to import, or --template.")
        actor = Actor.system()
        if user:
            try:
                actor = Actor(get_user_model().objects.get(username=user))
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {user!r}.") from None
        path = Path(file)
        try:
            table = read_table(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(str(error)) from None
        except TableError as error:
            raise CommandError(str(error)) from None

        def progress(done, total, message, phase="check"):
            if options.get("verbosity", 1) > 1:
                self.stderr.write(f"{done}/{total} {message}")

        try:
            report = run_import(actor, IMPORTERS[kind], table, dry_run=dry_run, progress=progress)
        except (PermissionDenied, Conflict) as error:
            raise CommandError(str(error)) from None
        if not report.ok:
            for line in report.problem_lines():
                self.stderr.write(line)
            self.stderr.write(
                f"{len(report.problems)} problem(s) in {report.rows} rows; nothing was imported."
            )
            sys.exit(1)
        self.stdout.write(report.summary())
