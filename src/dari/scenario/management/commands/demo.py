"""``dari demo``: migrate, load the Ulsan–San Diego scenario, create the demo login, serve."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dari.accounts.models import User
from dari.accounts.services import ensure_demo_superuser
from dari.scenario.loader import load_scenario, made_up_accounts

DEMO_USERNAME = "demo"
DEFAULT_DEMO_PASSWORD = "dari-demo-2024"


class Command(BaseCommand):
    help = (
        "Set up the demo (migrations, the Ulsan–San Diego scenario, the demo superuser) and serve it "
        "at 127.0.0.1:8000, with a task worker (dari db_worker) and the periodic runner "
        "(dari run_periodic --loop 60) beside the server. Idempotent: running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up only, then exit.")
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="Address to serve on (default %(default)s)."
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Serve without the task worker and periodic runner."
        )

    def handle(self, *args, no_serve: bool, addrport: str, no_worker: bool = False, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        summary = load_scenario()
        self.stdout.write(self.style.SUCCESS(f"Scenario loaded: {summary}"))
        from dari.matching.engine import refresh_index

        snapshot = refresh_index()
        self.stdout.write(
            f"Search index: v{snapshot.version} stored ({snapshot.document_count} documents)"
            if snapshot
            else "Search index: up to date"
        )
        password = os.environ.get("DARI_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        ensure_demo_superuser(DEMO_USERNAME, password)
        others = open_made_up_accounts(password)
        url = f"http://{addrport}/"
        self.stdout.write(
            "\n"
            f"  Dari demo     {url}\n"
            f"  Login         {url}accounts/login/\n"
            f"  Username      {DEMO_USERNAME}\n"
            f"  Password      {password}\n"
            f"  API           {url}api/v1/  (OpenAPI: {url}api/v1/openapi.json)\n"
        )
        if others:
            self.stdout.write(
                "  The illustrative call's made-up reviewers and applicant, same password:\n"
                + "".join(f"                {username}  ({roles})\n" for username, roles in others)
            )
        if no_serve:
            return
        helpers = [] if no_worker else start_background_processes()
        # Stopped by SIGTERM (not only Ctrl+C), still stop the worker and the periodic runner.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False, use_threading=True)
        finally:
            for process in helpers:
                process.terminate()
            for process in helpers:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def open_made_up_accounts(password: str) -> list[tuple[str, str]]:
    """Give the scenario's made-up accounts (loaded without a password) the demo password, so the demo
    can be seen as a reviewer or an applicant; returns (username, roles) of each. Only in the demo:
    the loader alone leaves them closed."""
    opened = []
    for record in made_up_accounts():
        user = User.objects.get(username=record["username"])
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        roles = ", ".join(sorted({role["role"].replace("_", " ") for role in record.get("roles", [])}))
        opened.append((user.username, roles))
    return opened


def start_background_processes() -> list[subprocess.Popen]:
    """The task worker and the periodic runner, as child processes with this one's settings.

    Production runs the same two commands as services of their own (see README).
    """
    dari = [sys.executable, "-m", "dari"]
    return [
        subprocess.Popen([*dari, "db_worker", "--no-reload", "--interval", "0.5"]),
        subprocess.Popen([*dari, "run_periodic", "--loop", "60"]),
    ]
