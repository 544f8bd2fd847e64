from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dari.core.rates import load_rates, loaded_path
from dari.engines.fx import FxError


class Command(BaseCommand):
    help = (
        "Load a newer ECB reference-rate history (eurofxref-hist.csv, or the ECB's zip) for currency "
        "conversion; the history bundled with Dari ends on a fixed day."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the ECB history file, .csv or .zip")
        parser.add_argument("--force", action="store_true", help="load it even if it ends earlier")

    def handle(self, *args, path: Path, force: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            table = load_rates(path, force=force)
        except (FxError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"ECB rates from {table.first_day.isoformat()} to {table.last_day.isoformat()} "
                f"kept in {loaded_path()}."
            )
        )
