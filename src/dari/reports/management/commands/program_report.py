from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dari.programs.models import Program
from dari.reports.program_report import FORMATS, Period, program_report, render_report


class Command(BaseCommand):
    help = (
        "Make a program's quarterly or annual report as PDF or XLSX, in Korean or English: the same "
        "figures, targets, outcomes, sources and exchange rates as the program page's report job. "
        "Made as the public sees it, unless --as names a user."
    )

    def add_arguments(self, parser):
        parser.add_argument("program", help="the program's key, e.g. digital-healthcare-global-support")
        parser.add_argument(
            "--period", required=True, help="a year such as 2024, or a quarter such as 2024-Q1"
        )
        parser.add_argument("--format", choices=FORMATS, default="pdf", dest="fmt")
        parser.add_argument("--lang", choices=("ko", "en"), default="ko")
        parser.add_argument("--out", type=Path, required=True, help="the file to write")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="make it with what this user may see (default: the public)",
        )

    def handle(
        self, *args, program: str, period: str, fmt: str, lang: str, out: Path, username: str, **options
    ):
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no user {username!r}")
        try:
            chosen = Period.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from error
        found = Program.objects.visible_to(user).filter(key=program).first()
        if found is None:
            raise CommandError(
                f"no program {program!r}"
                + (f" that {username} may see" if username else " open to the public")
            )
        report = program_report(user, found, chosen)
        data = render_report(report, fmt, lang)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{out}: {len(report.outcomes)} outcomes, {len(data):,} bytes"))
