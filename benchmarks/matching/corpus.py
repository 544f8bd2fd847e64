"""The bilingual retrieval corpus, built at run time from the real texts in ``$DARI_SHARED_DATA``.

Korean documents: the KRX-listed companies (회사명, 업종, 주요제품; the name of their 홈페이지 address as
an alias, 지역 as places), id ``krx:<종목코드>``.
English documents: the ClinicalTrials.gov Alzheimer's studies (title, conditions, interventions),
id ``nct:<NCT number>``. Nothing here is copied into the repository: the labelled set stores ids only.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The English names of the KRX 지역 values (the provinces' official romanized names).
REGIONS_EN = {
    "서울특별시": "Seoul",
    "경기도": "Gyeonggi Province",
    "충청남도": "South Chungcheong Province",
    "경상남도": "South Gyeongsang Province",
    "인천광역시": "Incheon",
    "충청북도": "North Chungcheong Province",
    "부산광역시": "Busan",
    "경상북도": "North Gyeongsang Province",
    "대전광역시": "Daejeon",
    "대구광역시": "Daegu",
    "전북특별자치도": "Jeonbuk State",
    "울산광역시": "Ulsan",
    "강원특별자치도": "Gangwon State",
    "전라남도": "South Jeolla Province",
    "광주광역시": "Gwangju",
    "세종특별자치시": "Sejong",
    "홍콩": "Hong Kong",
    "제주특별자치도": "Jeju Province",
    "미국": "United States",
    "케이맨 제도": "Cayman Islands",
    "일본": "Japan",
    "싱가포르": "Singapore",
}


def shared_data_dir() -> Path:
    """``$DARI_SHARED_DATA``, default ``../shared/data`` relative to the repository (as in settings)."""
    configured = os.environ.get("DARI_SHARED_DATA")
    return Path(configured) if configured else (ROOT.parent / "shared" / "data").resolve()


@dataclass(frozen=True)
class KrxCompany:
    code: str
    name: str
    industry: str
    products: str
    region: str = ""
    homepage: str = ""

    @property
    def id(self) -> str:
        return f"krx:{self.code}"

    @property
    def places(self) -> tuple[str, ...]:
        """Its registered region (지역) in Korean and English, as a registry organization records its
        city in both languages."""
        return tuple(place for place in (self.region, REGIONS_EN.get(self.region, "")) if place)


@dataclass(frozen=True)
class Trial:
    nct: str
    title: str
    conditions: str
    interventions: str
    sponsor: str

    @property
    def id(self) -> str:
        return f"nct:{self.nct}"


def load_krx(data_dir: Path | None = None) -> list[KrxCompany]:
    path = (data_dir or shared_data_dir()) / "krx-listed" / "krx_listed_companies.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [
            KrxCompany(
                row["종목코드"].strip(),
                row["회사명"].strip(),
                row["업종"].strip(),
                row["주요제품"].strip(),
                row["지역"].strip(),
                row.get("홈페이지", "").strip(),
            )
            for row in csv.DictReader(handle)
        ]


def _interventions(raw: str) -> str:
    """``DRUG: Donepezil|OTHER: Placebo`` -> ``Donepezil; Placebo`` (the type prefixes are noise)."""
    parts = [part.split(":", 1)[-1].strip() for part in raw.split("|") if part.strip()]
    return "; ".join(parts)


def load_trials(data_dir: Path | None = None) -> list[Trial]:
    path = (data_dir or shared_data_dir()) / "clinicaltrials-alzheimers" / "ctg-studies.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            Trial(
                row["NCT Number"].strip(),
                row["Study Title"].strip(),
                row["Conditions"].replace("|", "; ").strip(),
                _interventions(row["Interventions"]),
                row["Sponsor"].strip(),
            )
            for row in csv.DictReader(handle)
        ]


def corpus_documents(data_dir: Path | None = None):
    """Every KRX company and trial as a search ``Document`` (Korean text for one, English for the other)."""
    from dari.engines.matching.names import website_name
    from dari.engines.matching.search import Document

    documents = [
        Document(
            id=company.id,
            kind="company",
            name_ko=company.name,
            text_ko=f"{company.industry}: {company.products}",
            places=company.places,
            # The name its web address gives it (koreazinc for 고려아연), as a registry organization's
            # website's (dari.matching.engine.documents).
            website_names=tuple(name for name in (website_name(company.homepage),) if name),
        )
        for company in load_krx(data_dir)
    ]
    documents += [
        Document(
            id=trial.id,
            kind="trial",
            text_en=". ".join(part for part in (trial.title, trial.conditions, trial.interventions) if part),
        )
        for trial in load_trials(data_dir)
    ]
    return documents


def document_language(document_id: str) -> str:
    """The language a corpus document is written in: KRX rows Korean, trials English."""
    return "ko" if document_id.startswith("krx:") else "en"
