"""Fault harness (issue 19, item 5): what a user sees, what is lost and how long recovery takes when
the database restarts under traffic, the mail server is down, an upload is over the limit or over
the disk, and a restore targets a database that is not empty. Writes a table.

    .venv/bin/python benchmarks/faults.py [--out benchmarks/results/faults]

Everything runs on a PostgreSQL cluster of its own, made with initdb under /tmp on a free port and
started and restarted with pg_ctl (as the ``postgres`` user when run as root), never the shared
server; it is removed at the end. ``dari serve`` (2 processes) serves a database with the scenario
loaded (``benchmarks/load.py``'s set-up, without generated organizations). The files directory is a
256 KB tmpfs when this process may mount one (root), so that a full disk is real; otherwise that
row says it was not run (``tests/files/test_services.py`` covers it with a disk that fails).

1. database restart: readers (the API's organization list, the organization list page) and a writer
   (``POST /api/v1/organizations`` with a staff token) run while ``pg_ctl restart -m fast`` restarts
   the cluster; every answer is kept. Expected: 503 with ``Retry-After`` (JSON for the API, a page
   for pages), never 500, then 200s again without restarting Dari; every write answered 201 is there
   afterwards, every write answered 503 is not (the caller was told, nothing half-done).
2. mail server down: a notice is sent while SMTP goes to a closed port; the bell has it at once and
   its e-mail waits (``OutgoingEmail``); a small SMTP server is then started and the periodic task
   sends the e-mail once.
3. uploads: a file over ``DARI_MAX_UPLOAD_MB`` and a file over the disk's room, through the API:
   422 with the reason, no file nor partial file kept; then a small upload succeeds.
4. restore onto a database that is not empty: ``dari restore`` refuses and changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(ROOT))

from load import environment_for, uptime  # noqa: E402
from tests.helpers import free_port, wait_until_answering  # noqa: E402

PDF_HEAD = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"


# --- a PostgreSQL cluster of its own ---------------------------------------------------------------


def postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        raise SystemExit("PostgreSQL's server binaries (pg_ctl, initdb) are not installed")
    return versions[-1].parent


class Cluster:
    """A throw-away cluster under ``directory`` on ``port``, owned by ``postgres`` when run as root."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        self.data = directory / "data"
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *command: str) -> float:
        started = time.monotonic()
        subprocess.run([*self.as_owner, *command], check=True, capture_output=True, timeout=120)
        return time.monotonic() - started

    def pg_ctl(self, action: str, *extra: str) -> float:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "postgres.log")
        return self.run(
            str(postgres_bin() / "pg_ctl"),
            action,
            "-D",
            str(self.data),
            "-w",
            "-o",
            options,
            "-l",
            log,
            *extra,
        )

    def start(self) -> None:
        if self.as_owner:
            shutil.chown(self.directory, "postgres")
        self.run(
            str(postgres_bin() / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        self.pg_ctl("start")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(
            [*self.as_owner, str(postgres_bin() / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate"],
            capture_output=True,
            check=False,
        )


# --- traffic ----------------------------------------------------------------------------------------


def call(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None) -> dict:
    # In English, so that the table reads in one language (Korean users get the same in Korean).
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Accept-Language": "en", **(headers or {})}
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, answer, kind, retry = (
                response.status,
                response.read(),
                response.headers.get("Content-Type", ""),
                response.headers.get("Retry-After"),
            )
    except urllib.error.HTTPError as error:
        status, answer, kind, retry = (
            error.code,
            error.read(),
            error.headers.get("Content-Type", ""),
            error.headers.get("Retry-After"),
        )
    except OSError as error:
        status, answer, kind, retry = None, type(error).__name__.encode(), "", None
    return {
        "at": started,
        "status": status,
        "type": kind.split(";")[0],
        "retry_after": retry,
        "body": answer[:300],
    }


def database_restart(host: str, cluster: Cluster, token: str) -> dict:
    """Readers and a writer through a ``pg_ctl restart``; every answer kept."""
    answers: dict[str, list] = {"api": [], "page": [], "write": []}
    created: list[tuple[str, int | None, dict]] = []
    stop = threading.Event()

    def read(kind: str, path: str):
        while not stop.is_set():
            answers[kind].append(call(host + path))
            time.sleep(0.05)

    def write():
        number = 0
        while not stop.is_set():
            number += 1
            key = f"fault-write-{number}"
            body = json.dumps({"key": key, "kind": "startup", "name_en": f"Fault write {number}"}).encode()
            answer = call(
                host + "/api/v1/organizations",
                "POST",
                body,
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            answers["write"].append(answer)
            created.append((key, answer["status"], answer))
            time.sleep(0.1)

    threads = [
        threading.Thread(target=read, args=("api", "/api/v1/organizations?limit=5")),
        threading.Thread(target=read, args=("page", "/organizations/")),
        threading.Thread(target=write),
    ]
    for thread in threads:
        thread.start()
    time.sleep(3)
    restart_started = time.monotonic()
    restart_seconds = cluster.pg_ctl("restart", "-m", "fast")
    time.sleep(10)
    stop.set()
    for thread in threads:
        thread.join()

    failures = [a for kind in answers.values() for a in kind if a["status"] != 200 and a["status"] != 201]
    last_failure = max((a["at"] for a in failures), default=None)
    first_success_after = min(
        (
            a["at"]
            for kind in answers.values()
            for a in kind
            if a["status"] in (200, 201) and last_failure and a["at"] > last_failure
        ),
        default=None,
    )
    kept = {key for key, status, _ in created if status == 201}
    refused = {key for key, status, _ in created if status != 201}
    present = present_keys(host, token, kept | refused)
    summary = {}
    for kind, kind_answers in answers.items():
        statuses: dict[str, int] = {}
        for answer in kind_answers:
            label = (
                f"{answer['status']} {answer['type']}".strip()
                if answer["status"]
                else f"no answer ({answer['body'].decode()})"
            )
            statuses[label] = statuses.get(label, 0) + 1
        summary[kind] = statuses
    examples = {
        kind: next((a for a in kind_answers if a["status"] == 503), None)
        for kind, kind_answers in answers.items()
    }
    return {
        "restart_seconds": round(restart_seconds, 2),
        "answers": summary,
        "server_errors": sum(1 for a in failures if a["status"] == 500),
        "retry_after_on_every_503": all(a["retry_after"] for a in failures if a["status"] == 503),
        "example_503": {
            kind: {
                "type": a["type"],
                "retry_after": a["retry_after"],
                "body": a["body"].decode(errors="replace")[:200],
            }
            for kind, a in examples.items()
            if a
        },
        "recovery_seconds": round(first_success_after - restart_started, 2) if first_success_after else 0.0,
        "writes_answered_201": len(kept),
        "writes_answered_201_and_missing": sorted(kept - present),
        "writes_refused": len(refused),
        "writes_refused_yet_present": sorted(refused & present),
    }


def present_keys(host: str, token: str, keys: set[str]) -> set[str]:
    """Which of ``keys`` the API lists now (read once the database is back)."""
    request = urllib.request.Request(
        host + "/api/v1/organizations?q=fault-write&limit=500", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return {item["key"] for item in json.loads(response.read())["items"]} & keys


# --- mail ---------------------------------------------------------------------------------------------


class SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to take a message: what a mail server coming back looks like to Dari."""

    received: list[bytes] = []

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.reply("250 sink")
            elif command == b"DATA":
                self.reply("354 go on")
                message = b""
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    message += part
                SmtpSink.received.append(message)
                self.reply("250 kept")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def mail_down_child(out: Path) -> None:
    """In a child with the faults database: a notice while SMTP is refused, then the server comes back."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from dari.accounts.models import User
    from dari.agreements.models import ActionItem
    from dari.notifications.models import Notification, OutgoingEmail
    from dari.notifications.services import notify, retry_delay, send_waiting_emails

    port = int(os.environ["DARI_EMAIL_PORT"])
    user = User.objects.get(username="bench-member")
    item = ActionItem.objects.order_by("pk").first()
    started = time.monotonic()
    with transaction.atomic():
        notify(user, "agreements.action_item_due", subject_object=item)
    notice_seconds = time.monotonic() - started
    email = OutgoingEmail.objects.get(recipient=user)
    bell = Notification.objects.filter(recipient=user, kind="agreements.action_item_due").count()
    server = socketserver.TCPServer(("127.0.0.1", port), SmtpSink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    back = time.monotonic()
    due = timezone.now() + retry_delay(email.attempts)
    summary = send_waiting_emails(due)
    sent_seconds = time.monotonic() - back
    again = send_waiting_emails(due + retry_delay(8))
    server.shutdown()
    email.refresh_from_db()
    out.write_text(
        json.dumps(
            {
                "email_backend": settings.EMAIL_BACKEND,
                "notice_seconds_while_down": round(notice_seconds, 2),
                "bell_notices": bell,
                "attempts_while_down": 1,
                "last_error_while_down": OutgoingEmail.objects.get(pk=email.pk).last_error,
                "first_retry_after_seconds": retry_delay(1).total_seconds(),
                "periodic_run_once_due": summary,
                "sent_seconds_once_due": round(sent_seconds, 2),
                "second_run": again,
                "messages_received": len(SmtpSink.received),
                "sent": email.sent_at is not None,
            }
        ),
        encoding="utf-8",
    )


# --- uploads and restore ---------------------------------------------------------------------------


def message_of(body: bytes) -> str:
    """The message of an error answer: the JSON ``detail`` (or its first ``msg``), else the text."""
    try:
        detail = json.loads(body)["detail"]
    except (ValueError, KeyError, TypeError):
        return body.decode(errors="replace")
    return detail[0]["msg"] if isinstance(detail, list) else str(detail)


def files_in(directory: Path) -> list[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*") if path.is_file())


def upload(host: str, token: str, organization_id: int, name: str, content: bytes) -> dict:
    boundary = "dari-fault-boundary"
    body = (
        (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="organization_id"\r\n\r\n{organization_id}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    return call(host + "/api/v1/files", "POST", body, headers)


def pdf_of(size: int) -> bytes:
    return PDF_HEAD + b"%" + b"0" * max(0, size - len(PDF_HEAD) - 7) + b"\n%%EOF\n"


def uploads(host: str, token: str, organization_id: int, files_dir: Path, tiny_disk: bool) -> dict:
    before = files_in(files_dir)
    over_limit = upload(host, token, organization_id, "over-the-limit.pdf", pdf_of(21 * 1024 * 1024))
    after_limit = files_in(files_dir)
    result = {
        "over_limit": {"status": over_limit["status"], "body": message_of(over_limit["body"])},
        "over_limit_files_added": sorted(set(after_limit) - set(before)),
    }
    if tiny_disk:
        full = upload(host, token, organization_id, "over-the-disk.pdf", pdf_of(400 * 1024))
        after_full = files_in(files_dir)
        small = upload(host, token, organization_id, "small.pdf", pdf_of(8 * 1024))
        result |= {
            "over_disk": {"status": full["status"], "body": message_of(full["body"])},
            "over_disk_files_added": sorted(set(after_full) - set(after_limit)),
            "small_after": small["status"],
        }
    return result


def restore_onto_non_empty(environment: dict, directory: Path) -> dict:
    dari = [sys.executable, "-m", "dari"]
    archive = directory / "faults-backup.tar"
    subprocess.run(
        [*dari, "backup", str(archive)], env=environment, check=True, capture_output=True, timeout=300
    )
    count = [
        *dari,
        "shell",
        "-c",
        "from dari.registry.models import Organization; print(Organization.objects.count())",
    ]
    before = subprocess.run(
        count, env=environment, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    refused = subprocess.run(
        [*dari, "restore", str(archive)], env=environment, capture_output=True, text=True, timeout=300
    )
    after = subprocess.run(count, env=environment, capture_output=True, text=True, check=True).stdout.split()[
        -1
    ]
    return {
        "exit_code": refused.returncode,
        "message": refused.stderr.strip().splitlines()[-1] if refused.stderr.strip() else "",
        "organizations_before": int(before),
        "organizations_after": int(after),
    }


# --- the run ----------------------------------------------------------------------------------------


def mount_tiny_disk(path: Path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(path)], capture_output=True
    )
    return mounted.returncode == 0


def table(report: dict) -> str:
    db, mail, files, restore = (report[k] for k in ("database_restart", "mail_down", "uploads", "restore"))
    api_503 = db["example_503"].get("api", {})
    page_503 = db["example_503"].get("page", {})
    rows = [
        (
            f"database restarted under traffic (`pg_ctl restart -m fast`, {db['restart_seconds']} s)",
            f"503 with Retry-After ({'every one' if db['retry_after_on_every_503'] else 'NOT every one'}); "
            f"API: {api_503.get('type', '-')} `{api_503.get('body', '')[:90]}`; "
            f"pages: {page_503.get('type', '-')}; "
            f"500s: {db['server_errors']}. Answers: API {db['answers']['api']}, "
            f"page {db['answers']['page']}, "
            f"writes {db['answers']['write']}",
            f"nothing: {db['writes_answered_201']} writes answered 201, missing "
            f"{len(db['writes_answered_201_and_missing'])}; {db['writes_refused']} answered 503, "
            "of which present "
            f"{len(db['writes_refused_yet_present'])}",
            f"{db['recovery_seconds']} s from the restart command to the first 200 after the last failure, "
            "Dari not restarted",
        ),
        (
            "mail server down (SMTP refused), then back",
            f"the change and its notice succeed (notify returned in {mail['notice_seconds_while_down']} s); "
            "the bell shows "
            f"{mail['bell_notices']} notice; the e-mail waits ({mail['last_error_while_down']})",
            f"nothing: the e-mail left once the server was back ({mail['messages_received']} received, "
            f"second run: '{mail['second_run']}')",
            f"first retry {int(mail['first_retry_after_seconds'])} s after the failure, then the next "
            f"periodic run (every 60 s); sent in {mail['sent_seconds_once_due']} s once due",
        ),
        (
            "upload over DARI_MAX_UPLOAD_MB (21 MB, limit 20)",
            f"{files['over_limit']['status']} `{files['over_limit']['body'][:120]}`",
            f"nothing kept: files added {files['over_limit_files_added']}",
            "immediate (a smaller file is accepted)",
        ),
    ]
    if "over_disk" in files:
        rows.append(
            (
                "upload larger than the disk's room (400 KB onto a 256 KB tmpfs)",
                f"{files['over_disk']['status']} `{files['over_disk']['body'][:120]}`",
                f"nothing kept: files added {files['over_disk_files_added']} (no partial file)",
                f"immediate: an 8 KB upload right after answered {files['small_after']}",
            )
        )
    else:
        rows.append(("upload larger than the disk's room", "not run here (no tmpfs mount)", "-", "-"))
    rows.append(
        (
            "restore onto a database that is not empty",
            f"`dari restore` exits {restore['exit_code']}: `{restore['message'][:160]}`",
            f"nothing: {restore['organizations_before']} organizations before, "
            f"{restore['organizations_after']} after",
            "- (restore into a new empty database)",
        )
    )
    lines = [
        "# Faults",
        "",
        f"Measured {report['measured_at']}; command: `{report['command']}`; `uptime` before: "
        f"`{report['uptime_before']}`.",
        "",
        "| fault | what the user saw | what was lost | recovery |",
        "|---|---|---|---|",
    ]
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in rows
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=BENCHMARKS / "results" / "faults")
    parser.add_argument("--mail-child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.mail_child:
        mail_down_child(arguments.mail_child)
        return 0
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/faults.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "uptime_before": uptime(),
    }
    directory = Path(tempfile.mkdtemp(prefix="dari-faults-"))
    directory.chmod(0o711)  # the cluster's owner (postgres) passes through to its own directory
    cluster = Cluster(directory / "postgres", free_port())
    cluster.directory.mkdir()
    tiny_disk = directory / "files"
    mounted = mount_tiny_disk(tiny_disk)
    server = None
    try:
        cluster.start()
        subprocess.run(
            [
                *cluster.as_owner,
                str(postgres_bin() / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(cluster.port),
                "dari_faults",
            ],
            check=True,
            capture_output=True,
        )
        environment = environment_for(cluster.url("dari_faults"), directory)
        environment["DARI_FILES_DIR"] = str(tiny_disk)
        personas_file = directory / "personas.json"
        subprocess.run(
            [
                sys.executable,
                str(BENCHMARKS / "load.py"),
                "--seed-child",
                str(personas_file),
                "--organizations",
                "0",
            ],
            env=environment,
            check=True,
            capture_output=True,
        )
        world = json.loads(personas_file.read_text(encoding="utf-8"))
        host = f"http://127.0.0.1:{free_port()}"
        server = subprocess.Popen(
            [sys.executable, "-m", "dari", "serve", "--bind", host.removeprefix("http://"), "--workers", "2"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until_answering(host + "/healthz")
        report["database_restart"] = database_restart(host, cluster, world["personas"]["staff"]["token"])
        report["uploads"] = uploads(
            host, world["personas"]["member"]["token"], world["member_organization"], tiny_disk, mounted
        )
        mail_out = directory / "mail.json"
        mail_environment = {
            **environment,
            "DARI_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DARI_EMAIL_HOST": "127.0.0.1",
            "DARI_EMAIL_PORT": str(free_port()),
        }
        subprocess.run(
            [sys.executable, __file__, "--mail-child", str(mail_out)], env=mail_environment, check=True
        )
        report["mail_down"] = json.loads(mail_out.read_text(encoding="utf-8"))
        report["restore"] = restore_onto_non_empty(
            {**environment, "DARI_FILES_DIR": str(directory / "other-files")}, directory
        )
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(timeout=60)
        cluster.stop()
        if mounted:
            subprocess.run(["umount", str(tiny_disk)], check=False)
        shutil.rmtree(directory, ignore_errors=True)
    report["uptime_after"] = uptime()
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.with_suffix(".json").write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    arguments.out.with_suffix(".md").write_text(table(report), encoding="utf-8")
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
