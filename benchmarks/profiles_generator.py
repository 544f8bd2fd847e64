"""A seeded generator of organization profiles built on real texts, for speed benchmarks.

    from benchmarks.profiles_generator import generate_profiles
    profiles = generate_profiles(100_000, seed=5)        # list[Profile], the same for the same seed

Not random words: Korean profiles take a real KRX company's name and product line (주요제품, at
times joined with one item of another company's), English ones a real Crunchbase company or trial
sponsor name and a real ClinicalTrials.gov title; about one in five is bilingual (both). Names get
seeded variation (a suffix, a region, a number) so that 100,000 names stay distinct enough for name
search to have work to do. Kinds, countries, regions, stages, sectors and check sizes are drawn
with fixed proportions; deal histories are left empty (the recommender's benchmark may add them).
All texts are read at run time from ``$DARI_SHARED_DATA``; nothing here copies them.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "matching"))
sys.path.insert(0, str(ROOT / "src"))

from corpus import load_krx, load_trials, shared_data_dir  # noqa: E402

from dari.engines.matching.profiles import PARTNER_KINDS, STAGES, STARTUP_KIND, Profile  # noqa: E402

KINDS = (STARTUP_KIND, STARTUP_KIND, STARTUP_KIND, *PARTNER_KINDS)
KOREAN_REGIONS = ("Ulsan", "Ulsan", "Seoul", "Gyeonggi", "Busan", "Daejeon")
US_REGIONS = ("San Diego", "San Diego", "Boston", "San Francisco", "New York", "Los Angeles")
KOREAN_SUFFIXES = ("", "", "바이오", "랩스", "헬스케어", "테크", "메디칼", "코리아", "울산", "글로벌")
ENGLISH_SUFFIXES = ("", "", " Labs", " Bio", " Health", " Therapeutics", " Ventures", " Partners", " Inc")
SECTORS_BY_KEYWORD = {
    "의약": "bio.pharma",
    "의료": "medtech.devices",
    "진단": "medtech.diagnostics",
    "화장품": "consumer.cosmetics",
    "반도체": "industry.semiconductors",
    "전지": "industry.batteries",
    "선박": "industry.shipbuilding",
    "화학": "industry.chemicals",
    "소프트웨어": "digital.software",
}


def _crunchbase_names(data_dir: Path) -> list[str]:
    path = data_dir / "crunchbase-2013" / "companies.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return [row["name"].strip() for row in csv.DictReader(handle) if row["name"].strip()]


def _sectors(text: str, rng: random.Random) -> frozenset[str]:
    found = {sector for keyword, sector in SECTORS_BY_KEYWORD.items() if keyword in text}
    if not found:
        found = {rng.choice(sorted(set(SECTORS_BY_KEYWORD.values())))}
    return frozenset(found | {sector.split(".")[0] for sector in found})


def generate_profiles(count: int = 100_000, seed: int = 5, data_dir: Path | None = None) -> list[Profile]:
    """``count`` profiles, ids ``"g0"``…, the same list for the same seed and data."""
    data_dir = data_dir or shared_data_dir()
    rng = random.Random(seed)
    companies = load_krx(data_dir)
    trials = load_trials(data_dir)
    english_names = _crunchbase_names(data_dir) + sorted({trial.sponsor for trial in trials if trial.sponsor})
    product_items = [
        item.strip() for company in companies for item in company.products.split(",") if item.strip()
    ]
    profiles = []
    for number in range(count):
        kind = rng.choice(KINDS)
        korean = rng.random() < 0.5
        bilingual = rng.random() < 0.2
        name_ko = text_ko = name_en = text_en = ""
        industry = ""
        if korean or bilingual:
            company = rng.choice(companies)
            name_ko = company.name + rng.choice(KOREAN_SUFFIXES)
            text_ko = company.products
            if rng.random() < 0.3:
                text_ko += ", " + rng.choice(product_items)
            industry = company.industry
        if not korean or bilingual:
            name_en = rng.choice(english_names) + rng.choice(ENGLISH_SUFFIXES)
            text_en = rng.choice(trials).title
        if rng.random() < 0.3:
            name_ko = f"{name_ko} {number % 97}" if name_ko else ""
            name_en = f"{name_en} {number % 89}" if name_en else ""
        country = "KR" if korean else "US"
        is_investor = kind == "investor"
        low = rng.choice((2.5e5, 5e5, 1e6, 2e6, 5e6))
        profiles.append(
            Profile(
                id=f"g{number}",
                kind=kind,
                name_en=name_en,
                name_ko=name_ko,
                text_en=text_en,
                text_ko=text_ko,
                sectors=_sectors(industry + text_ko + text_en, rng),
                country=country,
                region=rng.choice(KOREAN_REGIONS if korean else US_REGIONS),
                stage=rng.choice(STAGES[:5]) if kind == STARTUP_KIND else "",
                amount_sought_usd=low * rng.choice((1, 2, 4)) if kind == STARTUP_KIND else None,
                check_min_usd=low if is_investor else None,
                check_max_usd=low * 10 if is_investor else None,
                stages_of_interest=frozenset(rng.sample(STAGES[:5], 2)) if is_investor else frozenset(),
                regions_of_interest=frozenset(rng.sample(KOREAN_REGIONS + US_REGIONS, 2))
                if kind != STARTUP_KIND
                else frozenset(),
            )
        )
    return profiles
