import argparse

from django.core.management.base import BaseCommand, CommandError

from dari.engines.scheduling.cli import add_arguments, run


class Command(BaseCommand):
    help = (
        "Schedule a partnering event from an instance file (JSON, see "
        "dari/engines/scheduling/instance.schema.json) with CP-SAT, outside any database: "
        "dari schedule_instance FILE --time-limit 30 --out SCHEDULE.json"
    )
    # No database and no system checks: the command reads and writes files only.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        names = ("file", "time_limit", "out", "workers", "seed", "deterministic", "greedy", "previous")
        names += ("move_penalty", "check")
        code = run(argparse.Namespace(**{name: options[name] for name in names}), self.stdout, self.stderr)
        if code:
            raise CommandError("no valid schedule" if code == 1 else "unreadable input", returncode=code)
