"""How fast reviewers are assigned automatically, and the normalized ranking of their reviews
computed: a call with 500 submitted applications, 40 reviewers, 3 reviews each, conflicts of
interest from affiliations (current and past) and registry relationships (investments, partnerships,
parent organizations); the time of ``dari.programs.reviews.auto_assign`` (conflicts read, assignment
computed, reviews written, one audit entry, one notice per reviewer), then of the ranking
(``measure_ranking``), and their SQL query counts at two sizes, with the same 40 reviewers (a count
that does not grow with the applications is the point).

    .venv/bin/python benchmarks/review_assignment.py [--applications 500] [--reviewers 40]
        [--per-application 3] [--repeats 5] [--database-url postgres://...]
        [--out benchmarks/results/review-assignment]
    .venv/bin/python benchmarks/review_assignment.py --smoke      # 60 applications, 8 reviewers, 1 repeat

Each size runs in a fresh process and database; each repeat deletes the reviews and notices of the
previous one (not timed). Every result is checked: each application has exactly N reviews, the loads
differ by at most one, no reviewer is in conflict with an application assigned to them. The pure
engine (``dari.engines.assignment``) is also timed alone on the same inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import migrated  # benchmarks/migrated.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
SEED = 17


def seed(applications: int, reviewers: int) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from dari.accounts.models import Membership, Role, User
    from dari.programs.models import Application, Call, Program
    from dari.registry.models import Affiliation, Organization, Person, Relationship

    generator = random.Random(SEED)
    program = Program.objects.create(key="bench", name_en="Benchmark program")
    now = datetime.now(UTC)
    call = Call.objects.create(
        program=program,
        round=1,
        title_en="Benchmark call",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=1),
        time_zone="Asia/Seoul",
        form=[
            {
                "key": "summary",
                "kind": "short_text",
                "required": True,
                "label_ko": "요약",
                "label_en": "Summary",
            }
        ],
        status="closed",
    )
    startups = Organization.objects.bulk_create(
        Organization(key=f"startup-{number}", kind="startup", name_en=f"Startup {number}", is_public=False)
        for number in range(applications)
    )
    Application.objects.bulk_create(
        Application(
            call=call, startup=startup, status="submitted", answers={"summary": "x"}, submitted_at=now
        )
        for startup in startups
    )
    users = User.objects.bulk_create(
        User(username=f"reviewer-{number}", email=f"reviewer-{number}@example.invalid")
        for number in range(reviewers)
    )
    program_type = ContentType.objects.get_for_model(Program)
    Membership.objects.bulk_create(
        Membership(user=user, role=Role.PROGRAM_REVIEWER, scope_type=program_type, scope_id=program.pk)
        for user in users
    )
    manager = User.objects.create_superuser(
        "bench-manager", "manager@example.invalid", secrets.token_urlsafe()
    )
    people = Person.objects.bulk_create(
        Person(key=f"person-{number}", name_en=f"Reviewer {number}", user=user)
        for number, user in enumerate(users)
    )
    funds = Organization.objects.bulk_create(
        Organization(key=f"fund-{number}", kind="investor", name_en=f"Fund {number}")
        for number in range(reviewers)
    )
    affiliations, relationships = [], []
    for person, fund in zip(people, funds, strict=True):
        affiliations.append(
            Affiliation(person=person, organization=fund, title_en="Partner", started_on=date(2019, 1, 1))
        )
        # A past job at one startup.
        affiliations.append(
            Affiliation(
                person=person,
                organization=generator.choice(startups),
                title_en="Adviser",
                started_on=date(2018, 1, 1),
                ended_on=date(2021, 12, 31),
            )
        )
        for startup in generator.sample(startups, 3):
            relationships.append(Relationship(subject=fund, kind="invests_in", object=startup))
        relationships.append(
            Relationship(subject=generator.choice(startups), kind="partners_with", object=fund)
        )
        relationships.append(Relationship(subject=generator.choice(startups), kind="part_of", object=fund))
    Affiliation.objects.bulk_create(affiliations)
    Relationship.objects.bulk_create(relationships, ignore_conflicts=True)
    return {"call": call, "manager": manager}


def check(call, per_application: int, conflicts: dict) -> dict:
    from dari.programs.models import Review

    pairs = list(
        Review.objects.filter(application__call=call).values_list(
            "application_id", "application__startup_id", "reviewer_id"
        )
    )
    per = {}
    loads = {}
    for application_id, startup_id, reviewer_id in pairs:
        per[application_id] = per.get(application_id, 0) + 1
        loads[reviewer_id] = loads.get(reviewer_id, 0) + 1
        assert startup_id not in conflicts.get(reviewer_id, {}), "a conflicted reviewer was assigned"
    assert set(per.values()) == {per_application}, "an application has the wrong number of reviews"
    assert max(loads.values()) - min(loads.values()) <= 1, "loads differ by more than one"
    return {"reviews": len(pairs), "load_min": min(loads.values()), "load_max": max(loads.values())}


def measure(applications: int, reviewers: int, per_application: int, repeats: int) -> dict:
    import django

    django.setup()
    migrated.migrate()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dari.accounts.audit import Actor
    from dari.engines import assignment
    from dari.notifications.models import Notification
    from dari.programs import reviews
    from dari.programs.conflicts import conflicts_of
    from dari.programs.models import Review

    seeded = seed(applications, reviewers)
    call, manager = seeded["call"], seeded["manager"]
    reviewer_ids = list(reviews.program_reviewers(call.program).values_list("pk", flat=True))
    conflicts = conflicts_of(reviewer_ids)
    startup_of = dict(call.applications.values_list("pk", "startup_id"))
    conflict_pairs = {
        (application_id, reviewer_id)
        for reviewer_id, organizations in conflicts.items()
        for application_id, startup_id in startup_of.items()
        if startup_id in organizations
    }
    seconds, queries, insert_batches, checked = [], None, None, None
    for _repeat in range(repeats):
        Review.objects.all().delete()
        Notification.objects.all().delete()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            reviews.auto_assign(Actor(manager), call, None, per_application)
        seconds.append(time.perf_counter() - started)
        inserts = [
            query
            for query in captured.captured_queries
            if "INSERT INTO" in query["sql"] and "programs_review" in query["sql"]
        ]
        # SQLite caps the variables of one statement, so Django splits the bulk insert of the reviews
        # into batches (about 90 reviews each); PostgreSQL takes them in one. Counted apart.
        queries = len(captured.captured_queries) - len(inserts)
        insert_batches = len(inserts)
        checked = check(call, per_application, conflicts)
    engine_seconds = []
    request = assignment.Request(
        list(startup_of), sorted(reviewer_ids), per_application, conflicts=conflict_pairs
    )
    for _repeat in range(max(3, repeats)):
        started = time.perf_counter()
        assignment.assign(request)
        engine_seconds.append(time.perf_counter() - started)
    return {
        "applications": applications,
        "reviewers": reviewers,
        "per_application": per_application,
        "conflicting_pairs": len(conflict_pairs),
        "ranking": measure_ranking(call, manager, repeats),
        "auto_assign": {
            "median_s": round(statistics.median(seconds), 3),
            "max_s": round(max(seconds), 3),
            "queries": queries,
            "review_insert_batches": insert_batches,
            "repeats": repeats,
        },
        "engine_alone": {"median_s": round(statistics.median(engine_seconds), 4)},
        "checked": checked,
    }


RUBRIC = [
    {
        "key": key,
        "label_en": key.title(),
        "weight": weight,
        "scale": [{"value": value, "label_en": str(value)} for value in range(1, 6)],
    }
    for key, weight in (("team", 2), ("market", 1), ("technology", 1))
]


def measure_ranking(call, manager, repeats: int) -> dict:
    """The normalized ranking of the assigned reviews, once each reviewer has scored theirs (a lenient
    or harsh reviewer's bias plus noise around each application's quality; written untimed): the
    time of ``rank_call`` (reviews read, scores normalized and aggregated), and of the managers'
    ranking page and ``GET /api/v1/calls/{id}/ranking``, with their SQL query counts."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dari.programs.models import Review
    from dari.programs.ranking import rank_call

    generator = random.Random(SEED)
    call.rubric = RUBRIC
    call.save(update_fields=["rubric"])
    quality = {pk: generator.uniform(1, 5) for pk in call.applications.values_list("pk", flat=True)}
    bias = {}
    found = list(Review.objects.filter(application__call=call))
    for review in found:
        lean = bias.setdefault(review.reviewer_id, generator.gauss(0, 1))
        seen = quality[review.application_id] + lean
        review.scores = {
            item["key"]: min(5, max(1, round(seen + generator.gauss(0, 0.5)))) for item in RUBRIC
        }
        review.status = Review.Status.SUBMITTED
        review.submitted_at = datetime.now(UTC)
    Review.objects.bulk_update(found, ["scores", "status", "submitted_at"], batch_size=500)

    figures = {}
    client = Client()
    client.force_login(manager)
    timed = {
        "rank_call": lambda: rank_call(call, None),
        "page": lambda: client.get(f"/programs/calls/{call.pk}/ranking/"),
        "api": lambda: client.get(f"/api/v1/calls/{call.pk}/ranking"),
    }
    for name, function in timed.items():
        answer = function()  # warm-up
        if name != "rank_call":
            assert answer.status_code == 200, (name, answer.status_code)
        seconds = []
        for _repeat in range(max(3, repeats)):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                function()
            seconds.append(time.perf_counter() - started)
        figures[name] = {"median_s": round(statistics.median(seconds), 3), "queries": len(captured)}
    ranked = rank_call(call, None)
    figures["lines"] = len(ranked.lines)
    figures["reviews_scored"] = len(found)
    return figures


def run_in(
    database_url: str | None, applications: int, reviewers: int, per_application: int, repeats: int, size: str
) -> dict:
    """Measure in a fresh process, so that each size gets its own database and settings."""
    if database_url:
        from kpi_speed import fresh_postgres  # benchmarks/ is on the path of a script run from it

        database_url = fresh_postgres(database_url, f"dari_review_bench_{size}")
    with tempfile.TemporaryDirectory() as directory:
        environment = {
            **os.environ,
            "DARI_DATABASE_URL": database_url or f"sqlite:///{directory}/bench.sqlite3",
            "DARI_VAR_DIR": f"{directory}/var",
            "DARI_FILES_DIR": f"{directory}/files",
            "DARI_SECRET_KEY": os.environ.get("DARI_SECRET_KEY", secrets.token_urlsafe(50)),
            "DJANGO_SETTINGS_MODULE": "dari.settings",
            "PYTHONPATH": str(ROOT / "src"),
        }
        output = Path(directory) / "out.json"
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                f"{applications},{reviewers},{per_application},{repeats}",
                "--child-out",
                str(output),
            ],
            env=environment,
            check=True,
        )
        return json.loads(output.read_text(encoding="utf-8"))


def markdown(report: dict) -> str:
    lines = [
        "# Automatic reviewer assignment",
        "",
        f"Measured {report['measured_at']} on {report['machine']['cores']} cores"
        f" (load {report['machine']['load_average']}), {report['database']}; command: `{report['command']}`.",
        "",
        "| applications | reviewers | reviews each | conflicting pairs | auto_assign median s | max s"
        " | SQL queries | + review insert batches | engine alone s | loads |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in report["sizes"].values():
        cells = (
            run["applications"],
            run["reviewers"],
            run["per_application"],
            run["conflicting_pairs"],
            run["auto_assign"]["median_s"],
            run["auto_assign"]["max_s"],
            run["auto_assign"]["queries"],
            run["auto_assign"]["review_insert_batches"],
            run["engine_alone"]["median_s"],
            f"{run['checked']['load_min']}–{run['checked']['load_max']}",
        )
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines += [
        "",
        "## The normalized ranking of those reviews",
        "",
        "| applications | reviews scored | rank_call median s | queries | ranking page median s | queries"
        " | API median s | queries |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in report["sizes"].values():
        ranking = run["ranking"]
        cells = (
            run["applications"],
            ranking["reviews_scored"],
            ranking["rank_call"]["median_s"],
            ranking["rank_call"]["queries"],
            ranking["page"]["median_s"],
            ranking["page"]["queries"],
            ranking["api"]["median_s"],
            ranking["api"]["queries"],
        )
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    lines += [
        "",
        "Each reviewer scores with a bias (σ = 1) and noise (σ = 0.5) around the application's quality, on",
        "three weighted criteria of a 1–5 scale; the ranking normalizes per reviewer (z-scores) and",
        "aggregates by mean. The page and the API are measured through Django's test client (the whole",
        "view, templates and middleware; no network).",
        "",
        "The query count is the same at both sizes (same reviewers): conflicts are read in five queries",
        "whatever the number of reviewers, the reviews in one bulk insert (which SQLite, capping the",
        "variables of a statement, takes in batches of about 90 reviews: counted apart; PostgreSQL in",
        "one), one audit entry, and one notice per reviewer (a few queries each): it grows with the",
        "reviewers notified, not with the applications.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--reviewers", type=int, default=40)
    parser.add_argument("--per-application", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "review-assignment")
    parser.add_argument("--smoke", action="store_true", help="60 applications, 8 reviewers, 1 repeat")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        sys.path.insert(0, str(ROOT / "src"))
        applications, reviewers, per_application, repeats = map(int, arguments.child.split(","))
        result = measure(applications, reviewers, per_application, repeats)
        arguments.child_out.write_text(json.dumps(result), encoding="utf-8")
        return 0
    if arguments.smoke:
        applications, reviewers, repeats = 60, 8, 1
    else:
        applications, reviewers, repeats = arguments.applications, arguments.reviewers, arguments.repeats
    database = arguments.database_url or None
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        },
        "database": "PostgreSQL" if arguments.database_url.startswith("postgres") else "SQLite",
        "command": "python benchmarks/review_assignment.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "sizes": {
            "half": run_in(
                database, applications // 2, reviewers, arguments.per_application, repeats, "half"
            ),
            "full": run_in(database, applications, reviewers, arguments.per_application, repeats, "full"),
        },
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    arguments.out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
