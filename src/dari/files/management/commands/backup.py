from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dari.files.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online copy; PostgreSQL: pg_dump -Fc) and the files store "
        "(DARI_FILES_DIR) into one .tar.gz archive with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive to write, e.g. dari-2024-01-17.tar.gz")

    def handle(self, *args, path: Path, **options):
        try:
            create_backup(path, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
