"""How fast the KPIs answer over tens of thousands of outcomes: the dashboard, ``GET /api/v1/kpis``,
its breakdown per quarter and a program page (targets, charts), for staff and for the public, with
their SQL query counts at two sizes (a count that does not grow with the data is the point).

    .venv/bin/python benchmarks/kpi_speed.py [--data ../shared/data/crunchbase-2013] [--repeats 30]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--out benchmarks/results/kpi-speed]
    .venv/bin/python benchmarks/kpi_speed.py --smoke      # 300 rounds, 3 repeats (what CI runs)

On PostgreSQL each size gets a fresh database on the server of ``--database-url``, named after that
URL's database (``dari_kpi_bench_small`` and ``_full`` for ``.../postgres``), analysed once seeded;
it is left there after the run.

The outcomes are the Crunchbase funding rounds of ``rounds.csv`` (31,679; those from 1999 on, when
the ECB's KRW rate starts), one investment outcome per round with its ``raised_amount_usd`` and its
USD and KRW values locked as the app locks them, of 1 of 17 programs; a round of 2013 is "in review"
(its amount confidential to the public), an older one "closed". They are written with bulk inserts:
this measures reading, not importing (``benchmarks/import_crunchbase.py`` measures that).

Each figure is the p50 and p95 of ``--repeats`` requests through Django's test client (the whole view,
templates and middleware, no network), after one warm-up, beside ``/healthz`` measured in the same run
(a cheap view with one query) so that the ratio survives a change of machine. The process freezes
its start-up objects out of Python's garbage collection first, as each ``dari serve`` worker does.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import migrated  # benchmarks/migrated.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("DARI_SHARED_DATA", ROOT.parent / "shared" / "data")) / "crunchbase-2013"
PROGRAMS = 17
FIRST_DAY = date(1999, 1, 4)  # the ECB's first reference rates


def read_rounds(data: Path, limit: int | None) -> list[dict]:
    rounds = []
    with (data / "rounds.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                funded = date.fromisoformat(row["funded_at"])
            except ValueError:
                continue
            if funded < FIRST_DAY or funded > date(2014, 12, 31):
                continue
            try:
                amount = Decimal(row["raised_amount_usd"]) if row["raised_amount_usd"] else None
            except InvalidOperation:
                amount = None
            rounds.append(
                {
                    "company": row["company_permalink"],
                    "name": row["company_name"],
                    "on": funded,
                    "amount": amount,
                }
            )
            if limit and len(rounds) >= limit:
                break
    return rounds


def seed(rounds: list[dict]) -> dict:
    from django.utils.text import slugify

    from dari.core.rates import rate_table
    from dari.outcomes.models import Outcome
    from dari.outcomes.values import locked_values
    from dari.programs.models import Participant, Program, yearly_cohort
    from dari.registry.models import Organization
    from dari.reports.models import Target

    programs = Program.objects.bulk_create(
        Program(
            key=f"bench-program-{number}",
            name_en=f"Benchmark program {number}",
            name_ko=f"벤치마크 프로그램 {number}",
            is_public=True,
        )
        for number in range(PROGRAMS)
    )
    companies: dict[str, Organization] = {}
    for item in rounds:
        if item["company"] not in companies:
            key = slugify(item["company"].rsplit("/", 1)[-1])[:90] or "company"
            companies[item["company"]] = Organization(
                key=f"cb-{len(companies)}-{key}"[:100],
                kind="startup",
                name_en=item["name"][:200] or key,
                is_public=True,
            )
    Organization.objects.bulk_create(companies.values(), batch_size=2000)
    by_company = {
        organization.key: organization for organization in Organization.objects.filter(key__startswith="cb-")
    }
    companies = {permalink: by_company[organization.key] for permalink, organization in companies.items()}
    participants = [
        Participant(
            program=programs[index % PROGRAMS],
            cohort=yearly_cohort(programs[index % PROGRAMS], 2005 + index % 8),
            organization=organization,
            since=date(2005 + index % 8, 1, 1),
        )
        for index, organization in enumerate(companies.values())
    ]
    Participant.objects.bulk_create(participants, batch_size=2000)
    program_of = {participant.organization_id: participant.program for participant in participants}
    table = rate_table()
    outcomes = []
    for number, item in enumerate(rounds):
        startup = companies[item["company"]]
        in_review = item["on"].year >= 2013
        outcomes.append(
            Outcome(
                key=f"cb-round-{number}",
                kind="investment",
                stage="in_review" if in_review else "closed",
                startup=startup,
                program=program_of[startup.pk],
                counterparty_description_en="Investors of a Crunchbase round",
                counterparty_country="US",
                title_en=f"Round of {startup.name_en}"[:300],
                amount=item["amount"],
                currency="USD" if item["amount"] is not None else "",
                reported_on=item["on"],
                **locked_values(item["amount"], "USD", item["on"], table),
            )
        )
    Outcome.objects.bulk_create(outcomes, batch_size=2000)
    Target.objects.create(program=programs[0], year=2012, kpi="investment_closed", measure="usd", value=10**9)
    return {
        "outcomes": len(outcomes),
        "organizations": len(companies),
        "programs": PROGRAMS,
        "program": programs[0],
    }


def timed(client, path: str, repeats: int) -> dict:
    from django.db import connection

    response = client.get(path)  # warm-up (templates, the rate table, caches)
    assert response.status_code == 200, (path, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(path)
        seconds.append(time.perf_counter() - started)
        assert response.status_code == 200
    seconds.sort()
    return {
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[max(0, int(len(seconds) * 0.95) - 1)] * 1000, 1),
        "queries": len(queries),
    }


def measure(rounds: list[dict], repeats: int) -> dict:
    import django

    django.setup()
    migrated.migrate()
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from dari.accounts.models import User

    seeded = seed(rounds)
    analyze()
    program = seeded.pop("program")
    staff = User.objects.create_superuser("benchmark", "benchmark@example.invalid", secrets.token_urlsafe())
    # As `dari serve` does in each worker at start (freeze_start_up_objects): the objects Django and
    # the apps hold for the process's life are left out of Python's full collections, which otherwise
    # stall a request every few dozen (the p95 here was the p50 plus ~150 ms of collection).
    from dari.core.management.commands.serve import freeze_start_up_objects

    freeze_start_up_objects(None)
    paths = {
        "healthz (baseline)": "/healthz",
        "dashboard": "/",
        "api kpis": "/api/v1/kpis",
        "api kpis breakdown by quarter": "/api/v1/kpis/breakdown?by=quarter",
        "api kpis breakdown by program": "/api/v1/kpis/breakdown?by=program",
        "program page": f"/programs/{program.pk}/",
    }
    results = {}
    reading = {}
    for persona in ("staff", "anonymous"):
        reading[persona] = one_reading_or_two(staff if persona == "staff" else AnonymousUser(), repeats)
        client = Client()
        if persona == "staff":
            client.force_login(staff)
        results[persona] = {name: timed(client, path, repeats) for name, path in paths.items()}
        baseline = results[persona]["healthz (baseline)"]["p95_ms"] or 0.1
        for figure in results[persona].values():
            figure["p95_vs_healthz"] = round(figure["p95_ms"] / baseline, 1)
    return {"seeded": seeded, "repeats": repeats, "results": results, "dashboard_reading": reading}


def analyze() -> None:
    """Gather the planner's statistics after the bulk load, as autovacuum does a minute or so after
    one on a server left to it (``benchmarks/load.py`` does the same). Without them PostgreSQL
    (autovacuum is off on this machine's server) guesses a few hundred outcomes, and for the
    public's tallies, whose filter it guesses smaller still, sorted 31,619 rows on disk to group
    them instead of hashing them: the public's dashboard then took twice staff's time."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def one_reading_or_two(user, repeats: int) -> dict:
    """The dashboard's figures and charts read as it does (``figures_and_breakdowns``: the outcomes
    once) and as it did (``figures``, then the charts' own breakdowns: twice), alternating in this
    process, so that their ratio does not depend on the machine's load."""
    from dari.reports.charts import DASHBOARD_BREAKDOWNS, kpi_charts
    from dari.reports.kpis import Filters, figures, figures_and_breakdowns

    def once():
        shown, found = figures_and_breakdowns(user, DASHBOARD_BREAKDOWNS, Filters())
        kpi_charts(user, Filters(), figures=shown, found=found)

    def twice():
        kpi_charts(user, Filters(), figures=figures(user, Filters()))

    seconds = {"once": [], "twice": []}
    once(), twice()
    for index in range(repeats):
        for name, function in (("once", once), ("twice", twice))[:: 1 if index % 2 else -1]:
            started = time.perf_counter()
            function()
            seconds[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    return {
        **{f"{name}_p50_ms": round(value * 1000, 1) for name, value in medians.items()},
        "ratio": round(medians["once"] / medians["twice"], 2),
    }


def fresh_postgres(url: str, name: str) -> str:
    """``url`` with a new, empty database ``name`` on the same server (dropped first if there)."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def run_in(database_url: str | None, rounds: list[dict], repeats: int, size: str) -> dict:
    """Measure in a fresh process, so that each size gets its own database and settings."""
    import subprocess

    if database_url:
        # Named after the database of ``--database-url`` (``dari_kpi16_full`` for ``.../dari_kpi16``),
        # so that runs on one server against different databases do not drop each other's; kept
        # after the run, for profiling.
        given = database_url.rsplit("/", 1)[1].split("?", 1)[0]
        prefix = "dari_kpi_bench" if given in ("", "postgres") else given
        database_url = fresh_postgres(database_url, f"{prefix}_{size}")

    with tempfile.TemporaryDirectory() as directory:
        rounds_file = Path(directory) / "rounds.json"
        rounds_file.write_text(json.dumps(rounds, default=str), encoding="utf-8")
        environment = {
            **os.environ,
            "DARI_DATABASE_URL": database_url or f"sqlite:///{directory}/bench.sqlite3",
            "DARI_VAR_DIR": f"{directory}/var",
            "DARI_FILES_DIR": f"{directory}/files",
            "DARI_SECRET_KEY": os.environ.get("DARI_SECRET_KEY", secrets.token_urlsafe(50)),
            "DJANGO_SETTINGS_MODULE": "dari.settings",
        }
        output = Path(directory) / "out.json"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(rounds_file),
                "--repeats",
                str(repeats),
                "--child-out",
                str(output),
            ],
            env=environment,
            check=True,
        )
        return json.loads(output.read_text(encoding="utf-8"))


def markdown(report: dict) -> str:
    lines = [
        "# KPI speed",
        "",
        f"Measured {report['measured_at']} on {report['machine']['cores']} cores"
        f" (load {report['machine']['load_average']}), {report['database']}; command: `{report['command']}`.",
        "",
    ]
    for size, run in report["sizes"].items():
        lines += [f"## {run['seeded']['outcomes']:,} outcomes ({size})", ""]
        lines += [
            "| request | persona | p50 ms | p95 ms | p95 ÷ healthz | SQL queries |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for persona, figures in run["results"].items():
            for name, figure in figures.items():
                cells = (
                    name,
                    persona,
                    figure["p50_ms"],
                    figure["p95_ms"],
                    figure["p95_vs_healthz"],
                    figure["queries"],
                )
                lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
        lines.append("")
        reading = run.get("dashboard_reading")
        if reading:
            lines += [
                "The dashboard's figures and charts, the outcomes read once (as now) against twice (the "
                "figures, then the charts' breakdowns), alternating in one process: p50 "
                + "; ".join(
                    f"{persona} {figure['once_p50_ms']} against {figure['twice_p50_ms']} ms "
                    f"({figure['ratio']}×)"
                    for persona, figure in reading.items()
                )
                + ".",
                "",
            ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "kpi-speed")
    parser.add_argument("--smoke", action="store_true", help="300 rounds, 3 repeats")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        sys.path.insert(0, str(ROOT / "src"))
        rounds = json.loads(arguments.child.read_text(encoding="utf-8"))
        for item in rounds:
            item["on"] = date.fromisoformat(item["on"])
            item["amount"] = Decimal(item["amount"]) if item["amount"] not in (None, "None") else None
        arguments.child_out.write_text(json.dumps(measure(rounds, arguments.repeats)), encoding="utf-8")
        return 0
    if not (arguments.data / "rounds.csv").exists():
        print(f"{arguments.data}/rounds.csv is missing", file=sys.stderr)
        return 2
    repeats = 3 if arguments.smoke else arguments.repeats
    everything = read_rounds(arguments.data, 300 if arguments.smoke else None)
    small = everything[: max(100, len(everything) // 30)]
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        },
        "database": "PostgreSQL" if arguments.database_url.startswith("postgres") else "SQLite",
        "command": "python benchmarks/kpi_speed.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "sizes": {
            "small": run_in(arguments.database_url or None, small, repeats, "small"),
            "full": run_in(arguments.database_url or None, everything, repeats, "full"),
        },
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    arguments.out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
