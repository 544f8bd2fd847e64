from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dari.files.backup import BackupError, pending_migrations, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `dari backup` into an EMPTY database (DARI_DATABASE_URL) and an empty "
        "files directory (DARI_FILES_DIR), or with --replace into ones that are not, then verify every "
        "table and file against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive written by dari backup")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "restore into a database or files directory that is not empty: what they hold is first "
                "backed up into DARI_BACKUP_DIR (dari-before-restore-<time>.tar.gz), then removed. "
                "Stop the web processes, workers and periodic runner first."
            ),
        )

    def handle(self, *args, path: Path, replace: bool, **options):
        try:
            manifest = restore_backup(path, progress=self.stdout.write, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        newer, unknown = pending_migrations(manifest)
        if newer:
            self.stdout.write(f"This Dari has {len(newer)} migrations the backup lacks: run `dari migrate`.")
        if unknown:
            self.stdout.write(
                self.style.WARNING(f"The backup comes from a newer Dari ({len(unknown)} unknown migrations).")
            )
        self.stdout.write(self.style.SUCCESS("Restore complete."))
