"""Measure how long the agreement PDF takes to render, in Korean and English, and write the figures to
benchmarks/results/pdf-render.json.

    .venv/bin/python benchmarks/pdf_render.py [--repeats 5] [--out benchmarks/results/pdf-render.json]
    .venv/bin/python benchmarks/pdf_render.py --smoke     # one render per language (what CI runs)
    .venv/bin/python benchmarks/pdf_render.py --without-harfbuzz-subset \
        --out benchmarks/results/pdf-render-without-harfbuzz-subset.json   # as on a host without it

Seeds a throw-away SQLite database with the scenario, then times ``agreement_pdf`` for the MOU of
2024-01-17 as staff sees it (all parties, areas, action items and notes), after one warm-up render per
language (the first render loads the fonts and the templates). Records the median and the slowest
render, the PDF's size and its pages, the WeasyPrint version and whether HarfBuzz can subset fonts
(without libharfbuzz-subset, WeasyPrint cuts the fonts down to the glyphs a document uses with
fontTools, which takes seconds for Noto Sans CJK's 65,000 glyphs: the 14 s of issue 14).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import migrated  # benchmarks/migrated.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
MOU = "ulsan-san-diego-bio-mou-2024"


def measure(repeats: int) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    migrated.migrate()
    call_command("load_scenario", verbosity=0)

    import weasyprint

    from dari.accounts.models import User
    from dari.agreements.documents import agreement_pdf
    from dari.agreements.models import Agreement

    staff = User.objects.create_superuser("benchmark", "benchmark@example.invalid", secrets.token_urlsafe())
    agreement = Agreement.objects.get(key=MOU)
    now = datetime(2024, 5, 2, 1, 0, tzinfo=UTC)
    figures = {}
    for language in ("ko", "en"):
        started = time.perf_counter()
        agreement_pdf(staff, agreement.pk, language, now=now)  # the first render also loads the fonts
        first = time.perf_counter() - started
        seconds = []
        for _ in range(repeats):
            started = time.perf_counter()
            content = agreement_pdf(staff, agreement.pk, language, now=now)
            seconds.append(time.perf_counter() - started)
        figures[language] = {
            "first_render_seconds": round(first, 3),
            "median_seconds": round(statistics.median(seconds), 3),
            "max_seconds": round(max(seconds), 3),
            "renders": repeats,
            "pdf_bytes": len(content),
            "pages": _pages(content),
        }
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        },
        "weasyprint": weasyprint.__version__,
        "harfbuzz_subset": _harfbuzz_subset(),
        "command": " ".join(["benchmarks/pdf_render.py", *sys.argv[1:]]),
        "agreement": MOU,
        "languages": figures,
    }


def _pages(content: bytes) -> int:
    """The page count, read by ``pdfinfo`` (poppler-utils; the page objects are compressed)."""
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def _harfbuzz_subset() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset; without it, WeasyPrint subsets each font with
    fontTools, which takes seconds for a CJK font."""
    import weasyprint.pdf.fonts

    return weasyprint.pdf.fonts.harfbuzz_subset is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed renders per language (default 5)")
    parser.add_argument("--smoke", action="store_true", help="one timed render per language, for CI")
    parser.add_argument(
        "--without-harfbuzz-subset",
        action="store_true",
        help="make WeasyPrint subset fonts with fontTools, as where libharfbuzz-subset0 is missing",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "pdf-render.json")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dari-pdf-bench-") as directory:
        os.environ["DARI_DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
        os.environ["DARI_FILES_DIR"] = f"{directory}/files"
        os.environ.setdefault("DARI_SECRET_KEY", secrets.token_urlsafe(50))
        os.environ["DJANGO_SETTINGS_MODULE"] = "dari.settings"
        if arguments.without_harfbuzz_subset:
            import weasyprint.pdf.fonts

            weasyprint.pdf.fonts.harfbuzz_subset = None
        result = measure(1 if arguments.smoke else arguments.repeats)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result["languages"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
