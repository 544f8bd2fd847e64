from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dari.scenario.loader import DEFAULT_SCENARIO, ScenarioError, load_scenario


class Command(BaseCommand):
    help = "Load a scenario file (YAML with natural keys); idempotent. Default: the Ulsan–San Diego scenario."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SCENARIO))

    def handle(self, *args, path: str, **options):
        try:
            counts = load_scenario(path)
        except (ScenarioError, ValidationError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Loaded {path}: {counts or 'nothing changed'}"))
