"""Crunchbase 2013 CSVs as matching profiles, cut at a date so nothing from the future leaks in.

The evaluation asks: knowing only what was known before the cut-off, which investors will fund this
company next? So:

- investments are read from the training file only when dated before the cut-off (undated rows are
  kept: they are in the training file, so known), and from the test file only when dated on or
  after it;
- rounds.csv holds later rounds too: only rounds dated before the cut-off give a company its stage
  and amount, or an investment its stage;
- companies.csv's snapshot columns (funding_total_usd, funding_rounds, status, first/last_funding_at,
  last_milestone_at) are never read; of the rest, only category, place and founding date (when
  before the cut-off) are used.

Companies join investments by case-insensitive name. Investors are unified by normalized name
(an investor may itself be a company or a person).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .profiles import STARTUP_KIND, Deal, Profile

#: The columns of companies.csv that describe the company as of the 2013 snapshot: never read.
SNAPSHOT_COLUMNS = frozenset(
    {
        "funding_total_usd",
        "funding_rounds",
        "status",
        "first_funding_at",
        "last_funding_at",
        "last_milestone_at",
    }
)

BIO_HEALTH = frozenset({"biotech", "medical", "health"})

#: A small hierarchy over Crunchbase's flat category codes, so affinity can be smoothed by group.
CATEGORY_PARENTS: dict[str, str] = {
    **dict.fromkeys(("biotech", "medical", "health", "nanotech"), "life_sciences"),
    **dict.fromkeys(
        (
            "web",
            "social",
            "search",
            "messaging",
            "news",
            "advertising",
            "ecommerce",
            "games_video",
            "photo_video",
            "music",
            "public_relations",
        ),
        "internet",
    ),
    **dict.fromkeys(
        ("software", "enterprise", "analytics", "network_hosting", "security", "mobile"),
        "information_technology",
    ),
    **dict.fromkeys(
        ("hardware", "semiconductor", "cleantech", "manufacturing", "automotive", "transportation"),
        "industrial",
    ),
    **dict.fromkeys(
        (
            "consulting",
            "legal",
            "finance",
            "real_estate",
            "education",
            "hospitality",
            "travel",
            "fashion",
            "sports",
            "design",
            "local",
            "pets",
            "government",
            "nonprofit",
            "other",
        ),
        "services",
    ),
}

_ROUND_STAGES = {
    "angel": "seed",
    "seed": "seed",
    "crowdfunding": "seed",
    "series-a": "series_a",
    "series-b": "series_b",
    "series-c+": "series_c",
    "private-equity": "growth",
    "post-ipo": "public",
}


def round_stage(round_type: str, amount: float | None) -> str:
    """A Crunchbase round type as a stage; "venture" and "other" rounds by their size."""
    if round_type in _ROUND_STAGES:
        return _ROUND_STAGES[round_type]
    if not amount:
        return ""
    for limit, stage in ((1e6, "seed"), (6e6, "series_a"), (15e6, "series_b"), (40e6, "series_c")):
        if amount < limit:
            return stage
    return "growth"


def normalize_name(name: str) -> str:
    """ "Sequoia Capital", "sequoia capital " and "Sequoia Capital." are one investor."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s&+]", " ", name.lower())).strip()


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def parse_amount(value: str) -> float | None:
    try:
        amount = float(value) if value.strip() else None
    except ValueError:
        return None
    return amount if amount and amount > 0 else None


def read_rows(path: Path | str) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def earliest_date(path: Path | str) -> date:
    dates = [parse_date(row.get("funded_when", "")) for row in read_rows(path)]
    found = [day for day in dates if day]
    if not found:
        raise ValueError(f"{path}: no dated investment")
    return min(found)


@dataclass
class CrunchbaseSplit:
    """What the evaluation needs: the investors (as candidates), the companies (as subjects), the
    known (training) and the future (test) investor sets per company."""

    cutoff: date
    investors: list[Profile]
    companies: dict[str, Profile]
    categories: dict[str, str]
    prior_investors: dict[str, set[str]]
    test_investors: dict[str, set[str]]
    investor_names: dict[str, str] = field(default_factory=dict)

    def is_bio_health(self, company: str) -> bool:
        return self.categories.get(company, "") in BIO_HEALTH


@dataclass
class _Company:
    key: str
    name: str
    category: str = ""
    country: str = ""
    region: str = ""
    founded: date | None = None
    rounds: list[tuple[date, str, float | None]] = field(default_factory=list)


def load_split(
    companies_path: Path | str,
    rounds_path: Path | str,
    train_path: Path | str,
    test_path: Path | str,
    cutoff: date | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> CrunchbaseSplit:
    """Read the CSVs into profiles known before ``cutoff`` (default: the test file's first date)."""
    cutoff = cutoff or earliest_date(test_path)
    progress(f"cut-off {cutoff.isoformat()}: reading companies")
    companies: dict[str, _Company] = {}
    for row in read_rows(companies_path):
        founded = parse_date(row.get("founded_at", ""))
        company = _Company(
            key=row["permalink"] or f"name:{row['name'].lower()}",
            name=row["name"],
            category=row.get("category_code", ""),
            country=row.get("country_code", ""),
            region=row.get("region", ""),
            founded=founded if founded and founded < cutoff else None,
        )
        companies.setdefault(row["name"].strip().lower(), company)

    def company_for(name: str) -> _Company:
        lowered = name.strip().lower()
        if lowered not in companies:
            companies[lowered] = _Company(key=f"name:{lowered}", name=name.strip())
        return companies[lowered]

    progress("reading rounds (before the cut-off only)")
    round_stages: dict[tuple[str, date], str] = {}
    for row in read_rows(rounds_path):
        funded = parse_date(row.get("funded_at", ""))
        if funded is None or funded >= cutoff:
            continue
        company = company_for(row["company_name"])
        # A company missing from companies.csv still has its category and place on its rounds.
        company.category = company.category or row.get("company_category_code", "")
        company.country = company.country or row.get("company_country_code", "")
        company.region = company.region or row.get("company_region", "")
        amount = parse_amount(row.get("raised_amount_usd", ""))
        stage = round_stage(row.get("funding_round_type", ""), amount)
        company.rounds.append((funded, stage, amount))
        round_stages.setdefault((company.key, funded), stage)

    progress("reading training investments")
    deals: dict[str, list[Deal]] = defaultdict(list)
    names: dict[str, str] = {}
    prior: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(train_path):
        on = parse_date(row.get("funded_when", ""))
        if on is not None and on >= cutoff:
            continue
        investor = normalize_name(row["investor_name"])
        if not investor:
            continue
        company = company_for(row["company_name"])
        key = f"investor:{investor}"
        names.setdefault(key, row["investor_name"].strip())
        amount = parse_amount(row.get("amount_usd", ""))
        deals[key].append(
            Deal(
                company=company.key,
                on=on,
                stage=round_stages.get((company.key, on), "") if on else "",
                amount_usd=amount,
                sectors=frozenset({company.category} if company.category else ()),
                country=company.country,
                region=company.region,
            )
        )
        prior[company.key].add(key)

    progress("reading test investments")
    future: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(test_path):
        on = parse_date(row.get("funded_when", ""))
        investor = normalize_name(row["investor_name"])
        if on is None or on < cutoff or not investor:
            continue
        future[company_for(row["company_name"]).key].add(f"investor:{investor}")

    investors = [
        Profile(
            id=key,
            kind="investor",
            name_en=names[key],
            deals=tuple(sorted(history, key=lambda deal: deal.on or date.min)),
        )
        for key, history in sorted(deals.items())
    ]
    subjects: dict[str, Profile] = {}
    for company in companies.values():
        if company.key not in future:
            continue
        rounds = sorted(company.rounds, key=lambda item: item[0])
        stage = next((stage for _, stage, _ in reversed(rounds) if stage), "")
        if not stage and company.founded and (cutoff - company.founded).days < 2 * 365:
            stage = "pre_seed"  # young and never funded: its first round will be a seed round
        last_amount = next((amount for _, _, amount in reversed(rounds) if amount), None)
        subjects[company.key] = Profile(
            id=company.key,
            kind=STARTUP_KIND,
            name_en=company.name,
            sectors=frozenset({company.category} if company.category else ()),
            country=company.country,
            region=company.region,
            stage=stage,
            # The next round is typically about twice the last one.
            amount_sought_usd=2 * last_amount if last_amount else None,
            related=frozenset(prior.get(company.key, ())),
            extra={"founded": company.founded},
        )
    progress(f"{len(investors)} training investors, {len(subjects)} companies funded in the test period")
    return CrunchbaseSplit(
        cutoff=cutoff,
        investors=investors,
        companies=subjects,
        categories={key: next(iter(profile.sectors), "") for key, profile in subjects.items()},
        prior_investors={key: set(value) for key, value in prior.items()},
        test_investors={key: set(value) for key, value in future.items()},
        investor_names=names,
    )
