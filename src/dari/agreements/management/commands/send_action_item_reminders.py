"""``dari send_action_item_reminders``: notify the owners of action items due soon or overdue."""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dari.agreements.reminders import send_reminders
from dari.core.time import validate_in_range


class Command(BaseCommand):
    help = (
        "Notify (bell and e-mail) the members of each owner organization about open or in-progress action "
        "items due within --days days or overdue, in each member's language and time zone. Sends at most one "
        "reminder per item, member and day, so it is safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Look this many days ahead (default 7).")
        parser.add_argument(
            "--now",
            help="Pretend it is this moment (ISO 8601, e.g. 2024-06-01T09:00+09:00; UTC if no offset).",
        )

    def handle(self, *args, days: int, now: str | None, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        moment = timezone.now()
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: {error}") from error
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=UTC)
            try:
                validate_in_range(moment)
            except ValidationError as error:
                raise CommandError(f"--now: {error.messages[0]}") from error
        try:
            moment + timedelta(days=days)
        except OverflowError as error:
            raise CommandError("--days reaches past the year 9999") from error
        sent = send_reminders(moment, days)
        self.stdout.write(f"{len(sent)} reminder(s) sent.")
