"""Load benchmark: ``dari serve`` (gunicorn) on PostgreSQL under a locust crowd, on loopback only,
each figure beside a bare Django view measured in the same run on the same server.

    .venv/bin/pip install -e '.[bench]'        # locust; Dari itself never needs it
    .venv/bin/python benchmarks/load.py        # steps of 30 s, then the 10-minute hold
    .venv/bin/python benchmarks/load.py --hold 60 --out /tmp/load   # a shorter hold
    .venv/bin/python benchmarks/load.py --smoke --out /tmp/load     # seconds (what CI runs)

What it does, in order:
1. a fresh PostgreSQL database (``dari_bench_load``, dropped first when there), migrated, with the
   Ulsan–San Diego scenario loaded as ``dari demo --no-serve`` loads it, plus ``--organizations``
   generated ones (1 in 10 private, sectors and clusters drawn with a fixed seed) so that lists and
   search have pages of work; the search index refreshed; the tables analysed (``ANALYZE``: the
   planner's statistics, which autovacuum would gather in a while); the demo superuser, one member of a
   scenario startup (no staff rights) and an API token for each;
2. ``dari serve`` with ``--workers`` processes of ``--threads`` threads on a free loopback port, with
   ``benchmarks/load_settings.py``: Dari's settings and URLs plus ``/bench/bare-organizations``
   (``load_urls.py``: the same 50 public rows as the API's first page, as JSON, from one query).
   The API's rate limits are off (``DARI_API_RATE_LIMIT_PER_*=0``): one address plays every user;
3. throughput: each of the bare view, ``GET /api/v1/organizations?limit=50``, ``/organizations/``
   and ``/`` alone, by ``--throughput-users`` users without pause, ``--throughput-seconds`` each,
   then the bare view again; requests per second and the ratio to the mean of the bare view's two
   runs (the issue's target: >= 0.4 for the lists);
4. steps: the mixed crowd (``load_locustfile.py``: anonymous visitors on pages, lists, search and the
   API; signed-in members and staff on their pages, suggestions and the API with a token; the bare
   view as one task among them), ``--users`` (a list) for ``--step-seconds`` each, until errors
   appear or p99 exceeds 1 s;
5. the hold: half of the last good step's users for ``--hold`` seconds (600 by default; 0 skips
   it): the issue asks for errors < 0.1% and p99 < 250 ms there.

Every locust run is bounded: users (``--max-users``), time (its run time) and requests (it stops at
``--max-requests``). Figures to ``--out``.json/.md with the command and the load average
(``uptime``) before and after. The load generator shares the machine's cores with the server, so
absolute figures depend on the machine; the ratios to the bare view are what carries over.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT))

from tests.helpers import free_port, wait_until_answering  # noqa: E402

LOCUSTFILE = BENCHMARKS / "load_locustfile.py"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/dari_bench_load"
BARE = "/bench/bare-organizations"
# The pages the issue compares with the bare view, each served alone at full speed.
THROUGHPUT_PATHS = {
    "bare view (50 public rows as JSON)": BARE,
    "GET /api/v1/organizations?limit=50": "/api/v1/organizations?limit=50",
    "GET /organizations/": "/organizations/",
    "GET /": "/",
}
MEMBER_USERNAME = "bench-member"
MEMBER_ORGANIZATION = "thyroscope"
ERROR_LIMIT = 0.001  # errors < 0.1% in the hold
P99_LIMIT_MS = 250  # p99 in the hold
STEP_P99_CEILING_MS = 1000  # stop stepping up past this


# --- 1. the database ------------------------------------------------------------------------------


def fresh_postgres(url: str) -> str:
    """Drop and create the database ``url`` names (on the server it names)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def seed(organizations: int, out: Path) -> None:
    """In a child process with the benchmark's settings: the demo's set-up, the generated
    organizations, the search index, the two personas and their tokens (written to ``out``)."""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from dari.accounts.audit import Actor
    from dari.accounts.models import Membership, Role, User
    from dari.accounts.services.api_tokens import create_api_token
    from dari.matching.engine import refresh_index
    from dari.registry.models import Cluster, Organization, Sector

    # As `dari demo --no-serve` sets it up (its printout, the password included, is not wanted here).
    call_command("demo", no_serve=True, stdout=io.StringIO())
    generate_organizations(organizations, Organization, Cluster, Sector)
    refresh_index()
    analyze()
    staff = User.objects.get(username="demo")
    member, _created = User.objects.get_or_create(
        username=MEMBER_USERNAME, defaults={"email": f"{MEMBER_USERNAME}@dari.invalid"}
    )
    startup = Organization.objects.get(key=MEMBER_ORGANIZATION)
    Membership.objects.get_or_create(
        user=member,
        role=Role.ORGANIZATION_MEMBER,
        scope_type=ContentType.objects.get_for_model(Organization),
        scope_id=startup.pk,
    )
    password = secrets.token_urlsafe(12)
    member.set_password(password)
    member.save()
    personas = {
        "staff": {"username": "demo", "password": os.environ["DARI_DEMO_PASSWORD"]},
        "member": {"username": MEMBER_USERNAME, "password": password},
    }
    for persona, user in (("staff", staff), ("member", member)):
        _token, key = create_api_token(Actor(user=user), user, "load benchmark")
        personas[persona]["token"] = key
    public = list(Organization.objects.filter(is_public=True).values_list("pk", flat=True))
    out.write_text(
        json.dumps(
            {
                "personas": personas,
                "public_organizations": public,
                "member_organization": startup.pk,
                "organizations": Organization.objects.count(),
            }
        ),
        encoding="utf-8",
    )


def analyze() -> None:
    """Gather the planner's statistics after the bulk load, as autovacuum does on a server left to
    it (a server with autovacuum off, as this machine's, would otherwise plan every list for the
    tens of rows it guesses, e.g. a sort of every row instead of an index scan)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


KOREAN_STEMS = ("울산", "해오름", "태화", "다온", "한빛", "새봄", "온누리", "푸른", "미래", "가람")
KOREAN_KINDS = ("바이오", "메디칼", "헬스케어", "제약", "진단", "테라퓨틱스", "랩스", "소재")
ENGLISH_STEMS = ("Torrey", "Pacific", "Harbor", "Mesa", "Coronado", "Sorrento", "La Jolla", "Del Mar")
ENGLISH_KINDS = ("Bio", "Therapeutics", "Diagnostics", "Labs", "Medical", "Genomics", "Health")
SUBJECTS = (
    ("갑상선 질환 원격 모니터링", "remote monitoring of thyroid disease"),
    ("항체 치료제 개발", "antibody therapeutics"),
    ("의료기기 인허가 컨설팅", "regulatory consulting for medical devices"),
    ("정밀 의료 유전체 분석", "genomic analysis for precision medicine"),
    ("디지털 헬스케어 플랫폼", "a digital healthcare platform"),
    ("바이오 소재 생산", "production of bio-based materials"),
)


def generate_organizations(count: int, Organization, Cluster, Sector) -> None:
    """``count`` organizations with a fixed seed: Korean ones in Ulsan, American ones in San Diego,
    each with a bilingual description, one or two sectors, 1 in 10 private."""
    rng = random.Random(19)
    clusters = {cluster.country: cluster for cluster in Cluster.objects.all()}
    sectors = list(Sector.objects.all())
    kinds = [Organization.Kind.STARTUP] * 6 + [kind for kind in Organization.Kind.values if kind != "startup"]
    rows = []
    for number in range(count):
        korean = number % 2 == 0
        subject_ko, subject_en = rng.choice(SUBJECTS)
        name_ko = f"{rng.choice(KOREAN_STEMS)}{rng.choice(KOREAN_KINDS)} {number}"
        name_en = f"{rng.choice(ENGLISH_STEMS)} {rng.choice(ENGLISH_KINDS)} {number}"
        rows.append(
            Organization(
                key=f"bench-{number}",
                kind=rng.choice(kinds),
                name_ko=name_ko,
                name_en=name_en,
                name_en_origin="translation" if korean else "original",
                name_ko_origin="original" if korean else "translation",
                description_ko=f"{name_ko}: {subject_ko}.",
                description_en=f"{name_en}: {subject_en}.",
                description_is_illustrative=True,
                country="KR" if korean else "US",
                city_ko="울산" if korean else "샌디에이고",
                city_en="Ulsan" if korean else "San Diego",
                cluster=clusters.get("KR" if korean else "US"),
                is_public=rng.random() >= 0.1,
            )
        )
    created = Organization.objects.bulk_create(rows, batch_size=1000)
    through = Organization.sectors.through
    links = [
        through(organization_id=organization.pk, sector_id=sector.pk)
        for organization in created
        for sector in rng.sample(sectors, k=min(len(sectors), rng.choice((1, 2))))
    ]
    through.objects.bulk_create(links, batch_size=2000)


# --- 2. the server ----------------------------------------------------------------------------------


def environment_for(database_url: str, directory: Path) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCHMARKS), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "DARI_DATABASE_URL": database_url,
        "DARI_VAR_DIR": str(directory / "var"),
        "DARI_FILES_DIR": str(directory / "files"),
        "DARI_SECRET_KEY": secrets.token_urlsafe(50),
        "DARI_DEMO_PASSWORD": secrets.token_urlsafe(12),
        "DARI_DEBUG": "false",
        "DARI_API_RATE_LIMIT_PER_TOKEN": "0",
        "DARI_API_RATE_LIMIT_PER_ADDRESS": "0",
        "DARI_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }


# --- 3-5. locust runs -------------------------------------------------------------------------------


def locust_installed() -> bool:
    return shutil.which("locust", path=str(Path(sys.executable).parent)) is not None


def run_locust(
    host: str,
    users: int,
    seconds: float,
    max_requests: int,
    classes: list[str],
    extra_env: dict,
    directory: Path,
    name: str,
) -> dict:
    """One headless locust run; its per-request statistics from locust's CSV."""
    prefix = directory / name
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users)),
        "--run-time",
        f"{max(1, int(seconds))}s",
        "--stop-timeout",
        "5",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--max-requests",
        str(max_requests),
        *classes,
    ]
    environment = {**os.environ, **extra_env}
    started = time.monotonic()
    finished = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    elapsed = time.monotonic() - started
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise SystemExit(f"locust wrote no statistics:\n{finished.stdout}\n{finished.stderr}")
    figures = read_stats(stats_file)
    figures["_run"] = {"users": users, "seconds": round(elapsed, 1), "exit_code": finished.returncode}
    return figures


def read_stats(path: Path) -> dict:
    """Locust's ``*_stats.csv``: per request name, count, failures, rps and percentiles (ms)."""
    figures = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["Name"] if row["Type"] else "all requests"
            count = int(row["Request Count"])
            failures = int(row["Failure Count"])
            figures[name] = {
                "requests": count,
                "failures": failures,
                "error_rate": round(failures / count, 5) if count else 0.0,
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": percentile(row, "50%"),
                "p95_ms": percentile(row, "95%"),
                "p99_ms": percentile(row, "99%"),
            }
    return figures


def percentile(row: dict, column: str) -> float | None:
    value = row.get(column, "N/A")
    return None if value in ("N/A", "", None) else float(value)


def with_ratios(figures: dict) -> dict:
    """Each request's figures beside the bare view's in the same run: rps ÷ bare, p99 ÷ bare."""
    bare = figures.get("bare view")
    for name, figure in figures.items():
        if name.startswith("_") or not bare:
            continue
        if bare["p99_ms"] and figure["p99_ms"] is not None:
            figure["p99_vs_bare"] = round(figure["p99_ms"] / bare["p99_ms"], 2)
        if bare["p50_ms"] and figure["p50_ms"] is not None:
            figure["p50_vs_bare"] = round(figure["p50_ms"] / bare["p50_ms"], 2)
    return figures


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def warm_up(host: str, personas_file: Path, rounds: int = 8) -> None:
    """Each worker loads the search index and its models at its first search or suggestion (seconds):
    asked ``rounds`` times each, unmeasured, so that every worker has before the figures start."""
    import urllib.request

    world = json.loads(personas_file.read_text(encoding="utf-8"))
    token = world["personas"]["staff"]["token"]
    paths = [
        BARE,
        "/",
        "/organizations/",
        f"/organizations/{world['public_organizations'][0]}/",
        "/search/?q=thyroid",
        "/api/v1/search?q=%EA%B0%91%EC%83%81%EC%84%A0",
        "/api/v1/organizations?limit=50",
        f"/api/v1/organizations/{world['member_organization']}/suggestions",
    ]
    for _ in range(rounds):
        for path in paths:
            request = urllib.request.Request(host + path, headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()


def measure(arguments, host: str, personas_file: Path, directory: Path) -> dict:
    extra_env = {"DARI_LOAD_PERSONAS": str(personas_file)}
    warm_up(host, personas_file, 2 if arguments.smoke else 8)
    throughput = {}
    for label, path in THROUGHPUT_PATHS.items():
        figures = run_locust(
            host,
            arguments.throughput_users,
            arguments.throughput_seconds,
            arguments.max_requests,
            ["Hammer"],
            {**extra_env, "DARI_LOAD_PATH": path},
            directory,
            f"throughput-{len(throughput)}",
        )
        throughput[label] = {**figures["all requests"], "path": path}
    # The bare view again, last: on a shared machine the load of others moves during the runs, and
    # the ratios are taken to the mean of the bare view's two runs, which bracket the others.
    bare_label = next(iter(THROUGHPUT_PATHS))
    again = run_locust(
        host,
        arguments.throughput_users,
        arguments.throughput_seconds,
        arguments.max_requests,
        ["Hammer"],
        {**extra_env, "DARI_LOAD_PATH": BARE},
        directory,
        f"throughput-{len(throughput)}",
    )
    throughput[bare_label + ", again"] = {**again["all requests"], "path": BARE}
    bare_rps = (throughput[bare_label]["rps"] + again["all requests"]["rps"]) / 2 or 0.1
    for figure in throughput.values():
        figure["rps_vs_bare"] = round(figure["rps"] / bare_rps, 2)

    steps = []
    last_good = None
    for users in [] if arguments.throughput_only else arguments.users:
        users = min(users, arguments.max_users)
        figures = with_ratios(
            run_locust(
                host,
                users,
                arguments.step_seconds,
                arguments.max_requests,
                ["Visitor", "Member", "Staff"],
                extra_env,
                directory,
                f"step-{users}",
            )
        )
        everything = figures["all requests"]
        steps.append({"users": users, "figures": figures})
        if everything["failures"] or (everything["p99_ms"] or 0) > STEP_P99_CEILING_MS:
            break
        last_good = users
    hold = None
    if arguments.hold > 0 and last_good:
        users = max(1, last_good // 2)
        figures = with_ratios(
            run_locust(
                host,
                users,
                arguments.hold,
                arguments.max_requests * max(1, int(arguments.hold // max(1, arguments.step_seconds))),
                ["Visitor", "Member", "Staff"],
                extra_env,
                directory,
                "hold",
            )
        )
        everything = figures["all requests"]
        hold = {
            "users": users,
            "seconds": arguments.hold,
            "figures": figures,
            "errors_below_0_1_percent": everything["error_rate"] < ERROR_LIMIT,
            "p99_below_250_ms": (everything["p99_ms"] or 0) < P99_LIMIT_MS,
        }
    return {"throughput": throughput, "steps": steps, "last_good_users": last_good, "hold": hold}


def markdown(report: dict) -> str:
    lines = [
        "# Load: `dari serve` on PostgreSQL under locust",
        "",
        f"Measured {report['measured_at']}: {report['server']}; {report['organizations']:,} organizations "
        f"(the scenario and generated ones). Command: `{report['command']}`.",
        "",
        f"- `uptime` before: `{report['uptime_before']}`",
        f"- `uptime` after: `{report['uptime_after']}`",
        "",
        "The load generator runs on the same cores as the server: figures are noisy on a shared machine,",
        "the ratios to the bare view measured in the same run are what carries over.",
        "",
        "## Throughput, one request alone, beside the bare view",
        "",
        "| request | rps | × bare view (mean of its two runs) | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, figure in report["results"]["throughput"].items():
        lines.append(
            f"| {label} | {figure['rps']} | {figure['rps_vs_bare']} | {figure['p50_ms']} | {figure['p95_ms']}"
            f" | {figure['p99_ms']} | {figure['failures']} |"
        )
    lines += ["", "## The mixed crowd, stepped up", ""]
    for step in report["results"]["steps"]:
        lines += [f"### {step['users']} users", "", *table(step["figures"]), ""]
    hold = report["results"]["hold"]
    if hold:
        everything = hold["figures"]["all requests"]
        lines += [
            f"## Hold: {hold['users']} users for {hold['seconds']} s",
            "",
            f"errors {everything['error_rate'] * 100:.3f}% (target < 0.1%: "
            f"{'met' if hold['errors_below_0_1_percent'] else 'not met'}), p99 {everything['p99_ms']} ms "
            f"(target < 250 ms: {'met' if hold['p99_below_250_ms'] else 'not met'}).",
            "",
            *table(hold["figures"]),
            "",
        ]
    return "\n".join(lines)


def table(figures: dict) -> list[str]:
    rows = [
        "| request | requests | errors | rps | p50 ms | p95 ms | p99 ms | p50 ÷ bare | p99 ÷ bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, figure in figures.items():
        if name.startswith("_"):
            continue
        rows.append(
            f"| {name} | {figure['requests']} | {figure['failures']} | {figure['rps']} | {figure['p50_ms']}"
            f" | {figure['p95_ms']} | {figure['p99_ms']} | {figure.get('p50_vs_bare', '')}"
            f" | {figure.get('p99_vs_bare', '')} |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help="dropped and created afresh")
    parser.add_argument("--organizations", type=int, default=2000, help="generated, besides the scenario's")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, help="the server's loopback port (default: a free one)")
    parser.add_argument("--throughput-users", type=int, default=8)
    parser.add_argument("--throughput-seconds", type=float, default=20)
    parser.add_argument(
        "--users", type=lambda text: [int(n) for n in text.split(",")], default=[5, 10, 20, 40]
    )
    parser.add_argument("--max-users", type=int, default=64, help="no step goes beyond this")
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=50_000, help="per locust run")
    parser.add_argument("--hold", type=float, default=600, help="seconds at half the last good step; 0 skips")
    parser.add_argument("--out", type=Path, default=BENCHMARKS / "results" / "load")
    parser.add_argument("--smoke", action="store_true", help="tiny and bounded: what CI runs")
    parser.add_argument("--throughput-only", action="store_true", help="only step 3 (no crowd, no hold)")
    parser.add_argument("--seed-child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.seed_child:
        seed(arguments.organizations, arguments.seed_child)
        return 0
    if not locust_installed():
        print("locust is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    if arguments.smoke:
        arguments.organizations = 60
        arguments.throughput_users, arguments.throughput_seconds = 2, 2
        arguments.users, arguments.step_seconds, arguments.hold = [2, 4], 3, 3
        arguments.max_requests = 2000
        if arguments.database_url == DEFAULT_DATABASE:
            arguments.database_url = DEFAULT_DATABASE + "_smoke"
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/load.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "server": f"dari serve, {arguments.workers} processes × {arguments.threads} threads, PostgreSQL",
        "uptime_before": uptime(),
    }
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        database_url = fresh_postgres(arguments.database_url)
        environment = environment_for(database_url, directory)
        personas_file = directory / "personas.json"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--seed-child",
                str(personas_file),
                "--organizations",
                str(arguments.organizations),
            ],
            env=environment,
            check=True,
        )
        report["organizations"] = json.loads(personas_file.read_text(encoding="utf-8"))["organizations"]
        host = f"http://127.0.0.1:{arguments.port or free_port()}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dari",
                "serve",
                "--bind",
                host.removeprefix("http://"),
                "--workers",
                str(arguments.workers),
                "--threads",
                str(arguments.threads),
            ],
            env=environment,
            start_new_session=True,
        )
        try:
            wait_until_answering(host + "/healthz")
            report["results"] = measure(arguments, host, personas_file, directory)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    report["uptime_after"] = uptime()
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    arguments.out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
