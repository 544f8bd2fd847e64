"""Reasons for a recommendation, in English and Korean, built from facts the index holds.

Every recommendation must say why, in both languages, so that a startup in Ulsan and a fund in San
Diego read the same argument ("invested in 14 medical-device companies, 5 in San Diego, mostly
Series A" / "의료기기 기업 14곳에 투자(샌디에이고 5곳), 주로 시리즈 A"). The caller passes its own labels
(the registry's bilingual taxonomy); the tables below are fallbacks so that benchmark data
(Crunchbase category codes, ISO country codes) still reads naturally in Korean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: key -> (English, Korean). Crunchbase category codes, funding stages, places.
FALLBACK_LABELS: dict[str, tuple[str, str]] = {
    # Crunchbase 2013 category codes
    "biotech": ("biotech", "바이오테크"),
    "medical": ("medical", "의료"),
    "health": ("health", "헬스케어"),
    "software": ("software", "소프트웨어"),
    "web": ("web", "웹 서비스"),
    "mobile": ("mobile", "모바일"),
    "enterprise": ("enterprise software", "기업용 소프트웨어"),
    "advertising": ("advertising", "광고"),
    "ecommerce": ("e-commerce", "전자상거래"),
    "games_video": ("games and video", "게임·동영상"),
    "cleantech": ("clean tech", "클린테크"),
    "hardware": ("hardware", "하드웨어"),
    "analytics": ("analytics", "데이터 분석"),
    "network_hosting": ("networking and hosting", "네트워크·호스팅"),
    "finance": ("finance", "금융"),
    "education": ("education", "교육"),
    "social": ("social", "소셜"),
    "security": ("security", "보안"),
    "semiconductor": ("semiconductor", "반도체"),
    "public_relations": ("public relations", "홍보"),
    "manufacturing": ("manufacturing", "제조"),
    "consulting": ("consulting", "컨설팅"),
    "search": ("search", "검색"),
    "hospitality": ("hospitality", "숙박·외식"),
    "messaging": ("messaging", "메시징"),
    "news": ("news", "뉴스"),
    "fashion": ("fashion", "패션"),
    "music": ("music", "음악"),
    "travel": ("travel", "여행"),
    "photo_video": ("photo and video", "사진·영상"),
    "real_estate": ("real estate", "부동산"),
    "nonprofit": ("nonprofit", "비영리"),
    "sports": ("sports", "스포츠"),
    "automotive": ("automotive", "자동차"),
    "transportation": ("transportation", "운송"),
    "legal": ("legal", "법률"),
    "nanotech": ("nanotech", "나노기술"),
    "design": ("design", "디자인"),
    "local": ("local services", "지역 서비스"),
    "pets": ("pets", "반려동물"),
    "government": ("government", "공공"),
    "other": ("other", "기타"),
    # Category groups (the Crunchbase adapter's small hierarchy)
    "life_sciences": ("life sciences", "생명과학"),
    "internet": ("internet", "인터넷"),
    "information_technology": ("information technology", "정보기술"),
    "industrial": ("industrial and hardware", "산업·하드웨어"),
    "services": ("services", "서비스"),
    # Stages (profiles.STAGES)
    "pre_seed": ("pre-seed", "프리시드"),
    "seed": ("seed", "시드"),
    "series_a": ("Series A", "시리즈 A"),
    "series_b": ("Series B", "시리즈 B"),
    "series_c": ("Series C and later", "시리즈 C 이후"),
    "growth": ("growth", "그로스"),
    "public": ("public", "상장 후"),
    # Places
    "USA": ("the United States", "미국"),
    "US": ("the United States", "미국"),
    "KOR": ("Korea", "한국"),
    "KR": ("Korea", "한국"),
    "GBR": ("the United Kingdom", "영국"),
    "CAN": ("Canada", "캐나다"),
    "DEU": ("Germany", "독일"),
    "FRA": ("France", "프랑스"),
    "ISR": ("Israel", "이스라엘"),
    "CHN": ("China", "중국"),
    "JPN": ("Japan", "일본"),
    "IND": ("India", "인도"),
    "San Diego": ("San Diego", "샌디에이고"),
    "Ulsan": ("Ulsan", "울산"),
    "Seoul": ("Seoul", "서울"),
    "SF Bay": ("the SF Bay Area", "샌프란시스코 베이 지역"),
    "New York": ("New York", "뉴욕"),
    "Boston": ("Boston", "보스턴"),
    "Los Angeles": ("Los Angeles", "로스앤젤레스"),
    "Seattle": ("Seattle", "시애틀"),
    "Washington DC": ("Washington DC", "워싱턴 DC"),
    "Chicago": ("Chicago", "시카고"),
    "Denver": ("Denver", "덴버"),
    "Austin": ("Austin", "오스틴"),
    "Philadelphia": ("Philadelphia", "필라델피아"),
    "Atlanta": ("Atlanta", "애틀랜타"),
    "Dallas": ("Dallas", "댈러스"),
    "London": ("London", "런던"),
}


@dataclass(frozen=True)
class Reason:
    """One fact behind a recommendation: a machine ``code``, its share of the score, both texts."""

    code: str
    weight: float
    en: str
    ko: str


class Labels:
    """Bilingual labels for taxonomy keys, stages and places: the caller's first, then fallbacks."""

    def __init__(self, labels: Mapping[str, tuple[str, str]] | None = None) -> None:
        self._labels = dict(FALLBACK_LABELS)
        self._labels.update(labels or {})

    def en(self, key: str) -> str:
        return self._labels.get(key, (key.replace("_", " "), ""))[0]

    def ko(self, key: str) -> str:
        english, korean = self._labels.get(key, (key.replace("_", " "), ""))
        return korean or english


def usd_en(amount: float) -> str:
    """``$3M``, ``$250K``, ``$1.5B``: short enough for a reason line."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if amount >= size:
            return f"${amount / size:.3g}{suffix}"
    return f"${amount:.0f}"


def usd_ko(amount: float) -> str:
    """Korean counts money in 만 (10⁴) and 억 (10⁸): 300만 달러, 1억 5,000만 달러."""
    eok, rest = divmod(round(amount / 1e4), 10_000)
    parts = []
    if eok:
        parts.append(f"{eok:,}억")
    if rest:
        parts.append(f"{rest:,}만")
    return (" ".join(parts) or f"{amount:,.0f}") + " 달러"


def companies_en(count: int, label: str = "") -> str:
    """ "1 biotech company", "14 biotech companies": English agrees in number (Korean needs not)."""
    noun = "company" if count == 1 else "companies"
    return f"{count} {label} {noun}" if label else f"{count} {noun}"


def _in_region(
    labels: Labels, en: str, ko: str, region: str | None, count: int, counter: str
) -> tuple[str, str]:
    """Appends ", 5 in San Diego" / "(샌디에이고 5곳)"; ``counter`` is the Korean counter word."""
    if not (region and count):
        return en, ko
    return f"{en}, {count} in {labels.en(region)}", f"{ko}({labels.ko(region)} {count}{counter})"


def deal_history(
    labels: Labels,
    sector: str | None,
    sector_count: int,
    total: int,
    region: str | None,
    region_count: int,
    stage: str | None,
    weight: float,
) -> Reason:
    """ "invested in 14 biotech companies, 5 in San Diego, mostly Series A" and its Korean."""
    if sector and sector_count:
        en = f"invested in {companies_en(sector_count, labels.en(sector))}"
        ko = f"{labels.ko(sector)} 기업 {sector_count}곳에 투자"
    else:
        en = f"invested in {companies_en(total)}"
        ko = f"{total}개 기업에 투자"
    en, ko = _in_region(labels, en, ko, region, region_count, "곳")
    if stage:
        en += f", mostly {labels.en(stage)}"
        ko += f", 주로 {labels.ko(stage)}"
    return Reason("deal_history", weight, en, ko)


def co_investment(co_investor: str, shared: int, weight: float) -> Reason:
    times = "once" if shared == 1 else f"{shared} times"
    return Reason(
        "co_investment",
        weight,
        f"co-invested {times} with {co_investor}, already an investor of yours",
        f"기존 투자사 {co_investor}와(과) {shared}차례 공동 투자",
    )


def sectors(labels: Labels, keys: list[str], weight: float) -> Reason:
    return Reason(
        "sector",
        weight,
        "works in " + ", ".join(labels.en(key) for key in keys),
        "·".join(labels.ko(key) for key in keys) + " 분야",
    )


def place(labels: Labels, key: str, weight: float) -> Reason:
    return Reason("geography", weight, f"based in {labels.en(key)}", f"{labels.ko(key)} 소재")


def place_of_interest(labels: Labels, key: str, weight: float) -> Reason:
    return Reason(
        "geography_interest",
        weight,
        f"looks for partners in {labels.en(key)}",
        f"{labels.ko(key)} 지역 기업에 관심",
    )


def stage(labels: Labels, key: str, weight: float) -> Reason:
    return Reason("stage", weight, f"works at the {labels.en(key)} stage", f"{labels.ko(key)} 단계 대상")


def check_size(low: float, high: float, sought: float, weight: float) -> Reason:
    if low == high:
        return Reason(
            "check_size",
            weight,
            f"typical check {usd_en(low)}, close to the {usd_en(sought)} sought",
            f"통상 투자 규모 {usd_ko(low)}로 유치 목표 {usd_ko(sought)}에 근접",
        )
    return Reason(
        "check_size",
        weight,
        f"checks of {usd_en(low)}–{usd_en(high)} fit the {usd_en(sought)} sought",
        f"투자 규모 {usd_ko(low)}~{usd_ko(high)}로 유치 목표 {usd_ko(sought)}에 부합",
    )


def activity(recent: int, weight: float, years: int = 1) -> Reason:
    """ "made 6 investments in the last year": who is investing now, not only who did."""
    noun = "investment" if recent == 1 else "investments"
    period_en = "the last year" if years == 1 else f"the last {years} years"
    return Reason(
        "activity", weight, f"made {recent} {noun} in {period_en}", f"최근 {years}년간 {recent}건 투자"
    )


def entry(
    labels: Labels,
    sector: str | None,
    count: int,
    region: str | None,
    region_count: int,
    first_round: bool,
    weight: float,
) -> Reason:
    """How the candidate enters companies, matched to how the subject raises next: "made 5
    first-round investments in biotech companies, 2 in Boston" / "joined 3 medical companies at a
    later round"."""
    label_en = labels.en(sector) if sector else ""
    label_ko = f"{labels.ko(sector)} " if sector else ""
    if first_round:
        noun = "investment" if count == 1 else "investments"
        en = f"made {count} first-round {noun} in {label_en + ' ' if label_en else ''}companies"
        ko = f"{label_ko}기업 첫 투자 라운드 {count}건 참여"
    else:
        en = f"joined {companies_en(count, label_en)} at a later round"
        ko = f"{label_ko}기업 {count}곳의 후속 라운드에 신규 참여"
    en, ko = _in_region(labels, en, ko, region, region_count, "건" if first_round else "곳")
    return Reason("entry_stage", weight, en, ko)


def similar_companies(weight: float) -> Reason:
    """The collaborative signal without one named co-investor: two hops through the graph."""
    return Reason(
        "similar_companies",
        weight,
        "co-invests with the investors of companies like yours",
        "귀사와 유사한 기업의 투자사들과 공동 투자",
    )


def follow_on(weight: float) -> Reason:
    return Reason("follow_on", weight, "already one of your investors", "이미 귀사에 투자한 투자사")


def shared_partners(names: list[str], weight: float) -> Reason:
    shown = ", ".join(names[:3])
    return Reason(
        "shared_partners",
        weight,
        f"works with {len(names)} of your partners ({shown})",
        f"귀사의 협력 기관 {len(names)}곳({shown})과 협력 중",
    )


def text_similarity(weight: float) -> Reason:
    return Reason("text", weight, "its description is close to yours", "사업 설명이 귀사와 유사함")


def feedback(weight: float) -> Reason:
    return Reason(
        "feedback",
        weight,
        "similar to suggestions you marked relevant",
        "관련 있다고 표시한 추천과 유사함",
    )


def no_specific_fit() -> Reason:
    return Reason(
        "no_specific_fit",
        0.0,
        "no specific fit found; listed to complete the suggestions",
        "뚜렷한 접점은 없으나 추천 목록을 채우기 위해 포함",
    )
