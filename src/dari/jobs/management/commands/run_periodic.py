"""``dari run_periodic``: run the periodic work that is due (action-item reminders, ...)."""

import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from dari.jobs.periodic import periodic_tasks, run_due


class Command(BaseCommand):
    help = (
        "Run each periodic task that is due ("
        + ", ".join(f"{task.name} every {task.every}" for task in periodic_tasks())
        + "). Each run is recorded, so calling this every minute (cron) is safe: a task runs at most "
        "once per interval, however many callers there are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Pretend it is this moment (ISO 8601; UTC if no offset). Not with --loop."
        )
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS seconds (what `dari demo` does); stop with Ctrl+C.",
        )

    def handle(self, *args, now: str | None, loop: int | None, **options):
        if loop is not None and (loop < 1 or now):
            raise CommandError("--loop needs a positive number of seconds and no --now")
        moment = self.parse_now(now) if now else None
        while True:
            for outcome in run_due(moment or timezone.now()):
                if not outcome.ran:
                    if loop is None:
                        self.stdout.write(f"{outcome.name}: not due")
                elif outcome.succeeded:
                    self.stdout.write(f"{outcome.name}: {outcome.summary}")
                else:
                    self.stderr.write(f"{outcome.name}: failed: {outcome.summary}")
            if loop is None:
                return
            close_old_connections()
            time.sleep(loop)

    @staticmethod
    def parse_now(value: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--now: {error}") from error
        return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment
