"""Build the labelled bilingual query set (``labelled_queries.json``) from hand-written inclusion rules.

    .venv/bin/python benchmarks/matching/build_labelled_queries.py [--review TOPIC ...] [--check]

Each topic is one search intent written twice, as a Korean and an English query, with one inclusion
rule per document language: a regular expression over named fields of the KRX rows (``products`` =
주요제품, ``industry`` = 업종) and of the trials (``title``, ``conditions``, ``interventions``), an
optional second expression the same text must ALSO match, and an optional exclusion. The rules were
written from what each query asks for, then reviewed by reading every match (``--review``) and
narrowed where a match was off-topic. The relevant documents of a topic are the same for its two
queries, so every query has documents in its own language and, for most topics, in the other.

The output stores query texts and document ids only (``krx:<종목코드>``, ``nct:<NCT number>``): the
source texts stay in ``$DARI_SHARED_DATA``. ``--check`` rebuilds and fails if the committed file differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import load_krx, load_trials  # noqa: E402

OUTPUT = Path(__file__).resolve().parent / "labelled_queries.json"


@dataclass(frozen=True)
class Rule:
    """Include a row when ``fields`` match ``pattern`` (and ``also``), unless they match ``exclude``."""

    pattern: str
    fields: tuple[str, ...]
    also: str = ""
    exclude: str = ""

    def matches(self, row: dict[str, str]) -> bool:
        text = " | ".join(row[name] for name in self.fields)
        if not re.search(self.pattern, text, re.IGNORECASE):
            return False
        if self.also and not re.search(self.also, text, re.IGNORECASE):
            return False
        return not (self.exclude and re.search(self.exclude, text, re.IGNORECASE))


def krx(pattern: str, also: str = "", exclude: str = "", industry: bool = False) -> Rule:
    return Rule(pattern, ("products", "industry") if industry else ("products",), also, exclude)


def trial(pattern: str, also: str = "", exclude: str = "", interventions: bool = True) -> Rule:
    fields = ("title", "conditions", "interventions") if interventions else ("title", "conditions")
    return Rule(pattern, fields, also, exclude)


@dataclass(frozen=True)
class Topic:
    key: str
    ko: str
    en: str
    krx: Rule | None = None
    trials: Rule | None = None
    notes: str = ""
    tags: tuple[str, ...] = field(default=())


TOPICS = [
    # Health and bio topics found on both sides, or on the Korean side only.
    Topic(
        "glucose_meter",
        "혈당 측정기",
        "blood glucose meter",
        krx(r"혈당|당뇨관리|인슐린펌프"),
        trial(r"glucose monitor|blood glucose"),
    ),
    Topic(
        "contrast_agent",
        "조영제",
        "contrast agent",
        krx(r"조영제"),
        trial(r"contrast agent|contrast-enhanced|gadolinium"),
    ),
    Topic(
        "dementia_drug",
        "치매 치료제",
        "dementia drug",
        krx(r"치매|알츠하이머"),
        trial(r"donepezil|memantine|rivastigmine|galantamine|aricept|namenda|exelon"),
    ),
    Topic(
        "vaccine", "백신", "vaccines", krx(r"백신", exclude=r"바이러스백신 ?프로그램|보안"), trial(r"vaccin")
    ),
    Topic(
        "diagnostic_kit",
        "체외진단 키트",
        "in vitro diagnostic kits",
        krx(r"체외진단|진단키트|진단 키트|진단시약|분자진단|면역진단|신속진단"),
        trial(r"in vitro diagnostic|diagnostic kit|diagnostic assay"),
    ),
    Topic(
        "stem_cell",
        "줄기세포 치료제",
        "stem cell therapy",
        krx(r"줄기세포|세포치료"),
        trial(r"stem cell|mesenchymal|stromal cell"),
    ),
    Topic(
        "probiotics",
        "유산균 프로바이오틱스",
        "probiotics",
        krx(r"유산균|프로바이오틱스|마이크로바이옴"),
        trial(r"probiotic|microbiome|microbiota"),
    ),
    Topic(
        "supplement",
        "건강기능식품",
        "dietary supplements",
        krx(r"건강기능식품|건강식품|기능성식품"),
        trial(r"dietary supplement|nutritional supplement"),
    ),
    Topic(
        "mri",
        "자기공명영상 MRI",
        "magnetic resonance imaging",
        krx(r"MRI|자기공명"),
        trial(r"\bMRI\b|magnetic resonance|\bfMRI\b"),
    ),
    Topic("eeg", "뇌파 측정", "EEG brain waves", krx(r"뇌파"), trial(r"\bEEG\b|electroenceph|brain wave")),
    Topic(
        "virtual_reality",
        "가상현실 VR",
        "virtual reality",
        krx(r"가상현실|\bVR\b|메타버스"),
        trial(r"virtual reality|\bVR\b"),
    ),
    Topic(
        "wearable",
        "웨어러블 기기",
        "wearable devices",
        krx(r"웨어러블|스마트워치|스마트 워치"),
        trial(r"wearable|smartwatch|actigraph|wrist-worn"),
    ),
    Topic("robot", "로봇", "robots", krx(r"로봇"), trial(r"\brobot")),
    Topic(
        "medical_ai",
        "의료 인공지능",
        "artificial intelligence for medicine",
        krx(r"인공지능|\bAI\b|딥러닝|머신러닝", also=r"의료|진단|영상|헬스|병리|암|질환"),
        trial(r"artificial intelligence|machine learning|deep learning|\bAI\b"),
    ),
    Topic(
        "mobile_app",
        "헬스케어 모바일 앱",
        "mobile health app",
        krx(r"헬스케어|모바일 헬스|디지털 헬스|디지털헬스", also=r"앱|어플|모바일|플랫폼|서비스|솔루션"),
        trial(r"smartphone|mobile app|mobile application|mobile health|mHealth|\bapp\b|app-based"),
    ),
    Topic(
        "gene_therapy",
        "유전자 치료제",
        "gene therapy",
        krx(r"유전자\s?치료|유전자치료제|유전자 치료제"),
        trial(r"gene therapy|\bAAV|gene transfer"),
    ),
    Topic("peptide", "펩타이드 의약품", "peptide drugs", krx(r"펩타이드|펩티드"), trial(r"peptide")),
    Topic(
        "radiopharma",
        "방사성 의약품 PET 추적자",
        "radiopharmaceutical PET tracer",
        krx(r"방사성|방사선의약품|동위원소"),
        trial(
            r"florbetapir|florbetaben|flutemetamol|flortaucipir|18F|F-18|F18|radiotracer|radioligand|"
            r"radiopharm|\btracer\b|\[11C\]|PiB"
        ),
    ),
    Topic(
        "antibody",
        "항체 치료제",
        "antibody therapeutics",
        krx(r"항체|바이오시밀러"),
        trial(
            r"antibod|mab\b|lecanemab|aducanumab|donanemab|gantenerumab|solanezumab|bapineuzumab|"
            r"crenezumab"
        ),
    ),
    Topic("diabetes", "당뇨병", "diabetes", krx(r"당뇨"), trial(r"diabet")),
    Topic("blood_pressure", "혈압 관리", "blood pressure", krx(r"혈압"), trial(r"blood pressure|hypertens")),
    Topic(
        "heart_monitor",
        "심전도 생체신호 모니터링",
        "ECG and vital sign monitoring",
        krx(r"심전도|생체신호|환자감시|ECG|환자 감시"),
        trial(r"\bECG\b|electrocardiog|heart rate|vital sign"),
    ),
    Topic(
        "rehabilitation",
        "재활 치료",
        "rehabilitation",
        krx(r"재활", exclude=r"재활용"),
        trial(r"rehabilitat"),
    ),
    Topic("parkinson", "파킨슨병", "Parkinson's disease", krx(r"파킨슨"), trial(r"parkinson")),
    Topic("anticancer", "항암제 신약 개발", "anticancer drug development", krx(r"항암|암\s?치료|면역항암")),
    # Korean industries (KRX only): typical partnership searches, Ulsan's industries.
    Topic(
        "semiconductor_equipment",
        "반도체 장비",
        "semiconductor equipment",
        krx(r"반도체", also=r"장비|설비", exclude=r"통신 및 방송 장비"),
    ),
    Topic(
        "semiconductor_materials",
        "반도체 소재",
        "semiconductor materials",
        krx(
            r"반도체",
            also=r"소재|재료|가스|케미칼|화학물질|화학소재|화학재료|포토레지스트|슬러리|"
            r"프리커서|전구체|약품|PAD|캐리어",
        ),
    ),
    Topic(
        "battery_cathode",
        "이차전지 양극재",
        "battery cathode materials",
        krx(r"양극재|양극활물질|양극 활물질|전구체", also=r"전지|배터리|양극"),
    ),
    Topic(
        "battery",
        "2차전지 배터리",
        "rechargeable lithium batteries",
        krx(r"2차\s?전지|이차\s?전지|배터리|리튬|축전지", industry=True, exclude=r"배터리 ?팩 ?케이스"),
    ),
    Topic(
        "shipbuilding",
        "조선 선박 건조",
        "shipbuilding",
        krx(r"선박|조선|해양플랜트|해양 플랜트", exclude=r"배선박막|조선호텔|조선일보|조선내화"),
    ),
    Topic(
        "marine_engine",
        "선박용 엔진 기자재",
        "marine engines and ship equipment",
        krx(r"선박|조선|해양", also=r"엔진|기자재|부품|밸브|펌프|보냉재|블록|크레인|프로펠러|추진"),
    ),
    Topic(
        "petrochemical",
        "석유화학",
        "petrochemicals",
        krx(
            r"석유화학|에틸렌|프로필렌|폴리에틸렌|폴리프로필렌|나프타|납사|정유|휘발유|경유",
            exclude=r"에틸렌 ?비닐 ?아세테이트 ?시트|해상운송",
        ),
    ),
    Topic(
        "fine_chemical",
        "정밀화학 소재",
        "specialty chemicals",
        krx(r"정밀화학|정밀 화학|특수화학|스페셜티|촉매|첨가제|계면활성제", exclude=r"사료"),
    ),
    Topic("cosmetics", "화장품", "cosmetics", krx(r"화장품|스킨케어|기초화장|색조")),
    Topic(
        "botulinum_filler",
        "보툴리눔 톡신 필러",
        "botulinum toxin and dermal fillers",
        krx(r"보툴리눔|톡신|필러|히알루론산", exclude=r"필러넥|ADC"),
    ),
    Topic(
        "aesthetic_device",
        "피부 미용 레이저 장비",
        "aesthetic laser devices",
        krx(r"레이저|HIFU|고주파|미용", also=r"미용|피부|의료|시술|치료", exclude=r"티슈|화장지"),
    ),
    Topic(
        "dental_implant",
        "치과 임플란트",
        "dental implants",
        krx(r"임플란트|치과|치아|구강", exclude=r"척추|골접합|인공슬관절|비치과립"),
    ),
    Topic(
        "xray_imaging",
        "엑스레이 초음파 영상진단 장비",
        "X-ray and ultrasound imaging equipment",
        krx(
            r"X-?ray|엑스레이|엑스선|초음파|영상진단|방사선 ?영상|detector",
            also=r"의료|진단|검사|촬영|영상|detector|치과|치료|장비|장치|시스템|기기|센서",
            exclude=r"지연선|레이더",
        ),
    ),
    Topic(
        "cdmo",
        "의약품 위탁생산 CDMO",
        "contract drug manufacturing CDMO",
        krx(r"\bCMO\b|CDMO|위탁생산|위탁개발|수탁생산|위탁제조"),
    ),
    Topic(
        "cro",
        "임상시험 대행 CRO",
        "contract research organization clinical trial services",
        krx(r"\bCRO\b|임상시험|임상대행|비임상|전임상"),
    ),
    Topic(
        "api",
        "원료의약품",
        "active pharmaceutical ingredients",
        krx(r"원료의약품|원료 의약품|\bAPI\b|의약품 ?원료|원료약"),
    ),
    Topic("hydrogen", "수소 연료전지", "hydrogen fuel cells", krx(r"수소|연료전지", exclude=r"과산화수소")),
    Topic("solar", "태양광 발전", "solar power", krx(r"태양광|태양전지|솔라|태양열")),
    Topic("display", "OLED 디스플레이", "OLED displays", krx(r"OLED|디스플레이|LCD")),
    Topic(
        "animal_health",
        "동물용 의약품",
        "veterinary medicines",
        krx(r"동물용|동물약품|동물의약품|동물 의약품|수의|반려동물", also=r"의약|약품|백신|진단|치료|헬스"),
    ),
    Topic(
        "medical_supplies",
        "의료용품 주사기 수액",
        "medical supplies, syringes and IV fluids",
        krx(r"주사기|수액|주사제|의료용품|카테터|붕대|거즈|봉합"),
    ),
    Topic(
        "hospital_software",
        "병원 의료정보 시스템",
        "hospital information systems",
        krx(r"의료정보|EMR|병원정보|전자의무기록|의료 ?IT|PACS|병원 ?솔루션"),
    ),
    Topic("steel", "철강", "steel products", krx(r"1차 철강 제조업|철강|강판|강관|형강|철근", industry=True)),
    # Alzheimer's research topics (trials only, plus any Korean company that names them).
    Topic(
        "amyloid_pet",
        "아밀로이드 PET 영상",
        "amyloid PET imaging",
        trials=trial(r"amyloid", also=r"\bPET\b|positron|florbetapir|florbetaben|flutemetamol|PiB\b"),
    ),
    Topic(
        "tau_pet",
        "타우 PET 영상",
        "tau PET imaging",
        trials=trial(r"\btau\b|flortaucipir|MK-6240|PI-2620|RO948", also=r"\bPET\b|positron|flortaucipir"),
    ),
    Topic(
        "tms",
        "경두개 자기자극술",
        "transcranial magnetic stimulation",
        trials=trial(r"transcranial magnetic|\brTMS\b|\bTMS\b|\bTBS\b|theta burst"),
    ),
    Topic(
        "tdcs",
        "경두개 직류자극",
        "transcranial direct current stimulation",
        trials=trial(r"direct current stimulation|\btDCS\b"),
    ),
    Topic("music", "음악 치료", "music therapy", trials=trial(r"\bmusic")),
    Topic(
        "exercise",
        "운동 프로그램",
        "exercise program",
        trials=trial(r"exercise|aerobic|physical activity|resistance training|walking"),
    ),
    Topic(
        "caregiver",
        "치매 가족 보호자 지원",
        "support for family caregivers of people with dementia",
        trials=trial(r"caregiv|care partner|carer"),
    ),
    Topic("sleep", "수면 장애", "sleep problems", trials=trial(r"\bsleep|insomnia|circadian")),
    Topic(
        "intranasal_insulin",
        "비강 인슐린",
        "intranasal insulin",
        krx(r"인슐린"),
        trial(r"insulin", also=r"intranasal|nasal"),
    ),
    Topic("agitation", "치매 환자 초조 행동", "agitation in dementia", trials=trial(r"agitation|aggressi")),
    Topic("depression", "우울증", "depression", krx(r"우울"), trial(r"depress")),
    Topic(
        "blood_biomarker",
        "혈액 바이오마커 검사",
        "blood biomarker test",
        trials=trial(r"blood|plasma|serum", also=r"biomarker|marker|p-?tau|amyloid"),
    ),
    Topic(
        "csf",
        "뇌척수액 검사",
        "cerebrospinal fluid testing",
        trials=trial(r"cerebrospinal|\bCSF\b|lumbar puncture"),
    ),
    Topic(
        "deep_brain",
        "뇌심부 자극술",
        "deep brain stimulation",
        trials=trial(r"deep brain stimulation|\bDBS\b|fornix stimulation"),
    ),
    Topic(
        "acupuncture",
        "침 치료 한방",
        "acupuncture",
        krx(r"한방|한약"),
        trial(r"acupunct|electroacupunct|herbal|traditional chinese medicine"),
    ),
    Topic(
        "down_syndrome", "다운증후군", "Down syndrome", trials=trial(r"down syndrome|down's syndrome|trisomy")
    ),
    Topic(
        "cognitive_training",
        "인지 훈련 프로그램",
        "computerized cognitive training",
        trials=trial(
            r"cognitive training|brain training|cognitive stimulation|cognitive rehabilitation|"
            r"computeri[sz]ed cognitive"
        ),
    ),
    Topic(
        "nursing_home",
        "요양원 요양시설",
        "nursing homes and long-term care",
        krx(r"요양"),
        trial(r"nursing home|long-term care|care home|residential care|assisted living"),
    ),
    Topic(
        "light_therapy",
        "빛 치료 감마 자극",
        "light therapy and gamma sensory stimulation",
        krx(r"광치료|광 치료|LED 치료"),
        trial(
            r"light therapy|bright light|40 ?Hz|gamma sensory|"
            r"photobiomodulation|light stimulation|gamma stimulation"
        ),
    ),
    Topic(
        "diet",
        "식단 영양 개입",
        "diet and nutrition",
        trials=trial(r"\bdiet|mediterranean|ketogenic|nutrition|fasting"),
    ),
]


def _krx_rows():
    return [
        (
            company.id,
            {
                "products": company.products,
                "industry": company.industry,
                "name": company.name,
                "region": company.region,
            },
        )
        for company in load_krx()
    ]


def _trial_rows():
    return [
        (item.id, {"title": item.title, "conditions": item.conditions, "interventions": item.interventions})
        for item in load_trials()
    ]


def relevant_ids(topic: Topic, krx_rows, trial_rows) -> list[str]:
    ids = []
    if topic.krx:
        ids += [doc_id for doc_id, row in krx_rows if topic.krx.matches(row)]
    if topic.trials:
        ids += [doc_id for doc_id, row in trial_rows if topic.trials.matches(row)]
    return sorted(ids)


#: Where each topic comes from: the first set (written with the glossary, issue 5), issue 15's, the
#: places added to the development half alone (``DEV_ONLY``) after the split was made, or the fresh set
#: (``FRESH``, topics_fresh.py), written later still and stored as a third split that nothing is tuned on.
FIRST, ADDED, DEV_PLACES, FRESH = "2026-11", "issue-15", "issue-15-dev-places", "issue-15-fresh"
#: Company names added to the dev half alone later still (topics_issue15.DEV_NAME_TOPICS).
DEV_NAMES = "issue-15-dev-names"
DEV_ONLY = (DEV_PLACES, DEV_NAMES)
SPLIT_SEED = "dari-issue-15-split"


def all_topics() -> list[tuple[Topic, str]]:
    """Every topic with its origin: the first 68, those added for issue 15, the dev places, then the
    fresh set."""
    from topics_fresh import TOPICS as FRESH_TOPICS
    from topics_issue15 import DEV_NAME_TOPICS, DEV_PLACE_TOPICS
    from topics_issue15 import TOPICS as ADDED_TOPICS

    return (
        [(topic, FIRST) for topic in TOPICS]
        + [(topic, ADDED) for topic in ADDED_TOPICS]
        + [(topic, DEV_PLACES) for topic in DEV_PLACE_TOPICS]
        + [(topic, DEV_NAMES) for topic in DEV_NAME_TOPICS]
        + [(topic, FRESH) for topic in FRESH_TOPICS]
    )


def kind_of(topic: Topic) -> str:
    """The kind of query a topic is (name, place, or a subject: product, disease, drug, ...)."""
    return topic.tags[0] if topic.tags else "subject"


def splits(topics: list[tuple[Topic, str]]) -> dict[str, str]:
    """Each topic's half, ``dev`` or ``heldout``: fixed by a hash of its key, never by results.

    Within each group of the same origin and kind (names, places, subjects), topics are ordered by
    sha256(seed:key) and dealt alternately, so both halves get as many of each; both queries of a
    topic are in its half. Topics of a ``DEV_ONLY`` origin, added later, are all ``dev``: a group of
    its own, so no earlier topic changes half. Topics of the ``FRESH`` origin are all ``fresh``, a
    third split (also a group of its own): reported only, never read to choose anything."""
    groups: dict[tuple[str, str], list[str]] = {}
    for topic, origin in topics:
        kind = kind_of(topic) if kind_of(topic) in ("name", "place") else "subject"
        groups.setdefault((origin, kind), []).append(topic.key)
    found = {}
    for (origin, _kind), keys in groups.items():
        ordered = sorted(keys, key=lambda key: hashlib.sha256(f"{SPLIT_SEED}:{key}".encode()).hexdigest())
        for position, key in enumerate(ordered):
            if origin == FRESH:
                found[key] = "fresh"
            else:
                found[key] = "dev" if position % 2 == 0 or origin in DEV_ONLY else "heldout"
    return found


def check_dev_only(topics, split_of: dict[str, str], relevant: dict[str, list[str]]) -> None:
    """A topic added to the dev half alone must not be a held-out or fresh topic again: neither its
    queries (compared as ``check_fresh`` compares them) nor its relevant documents may be a held-out
    or fresh topic's (or the held-out half or the fresh set would be tuned on)."""
    heldout = [topic for topic, _origin in topics if split_of[topic.key] in ("heldout", "fresh")]
    for topic, origin in topics:
        if origin not in DEV_ONLY:
            continue
        for other in heldout:
            mine = {_query_form(topic.ko), _query_form(topic.en)}
            if relevant[topic.key] == relevant[other.key] or mine & {
                _query_form(other.ko),
                _query_form(other.en),
            }:
                raise SystemExit(
                    f"dev-only topic {topic.key} repeats {split_of[other.key]} topic {other.key}"
                )


def _query_form(text: str) -> str:
    """A query as compared for repeats: lower case, without spaces, hyphens or dots."""
    return re.sub(r"[\s\-.·]", "", text).lower()


def check_fresh(topics, relevant: dict[str, list[str]]) -> None:
    """A fresh topic must not repeat an earlier topic of any split or origin: neither one of its
    queries (compared without case, spaces or hyphens) nor its relevant documents may be an earlier
    topic's, or the fresh set would measure what was already seen (and tuned on). Fresh topics are
    compared with each other too."""
    seen: list[Topic] = []
    for topic, origin in topics:
        if origin == FRESH:
            queries = {_query_form(topic.ko), _query_form(topic.en)}
            for other in seen:
                if relevant[topic.key] == relevant[other.key] or queries & {
                    _query_form(other.ko),
                    _query_form(other.en),
                }:
                    raise SystemExit(f"fresh topic {topic.key} repeats topic {other.key}")
        seen.append(topic)


def build() -> dict:
    krx_rows, trial_rows = _krx_rows(), _trial_rows()
    topics = all_topics()
    keys = [topic.key for topic, _origin in topics]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise SystemExit(f"topic keys used twice: {duplicated}")
    split_of = splits(topics)
    relevant = {topic.key: relevant_ids(topic, krx_rows, trial_rows) for topic, _origin in topics}
    check_dev_only(topics, split_of, relevant)
    check_fresh(topics, relevant)
    queries = []
    for topic, origin in topics:
        ids = relevant[topic.key]
        if not ids:
            raise SystemExit(f"topic {topic.key} matches nothing")
        for language in ("ko", "en"):
            queries.append(
                {
                    "id": f"{topic.key}.{language}",
                    "topic": topic.key,
                    "language": language,
                    "query": getattr(topic, language),
                    "relevant": ids,
                    "split": split_of[topic.key],
                    "origin": origin,
                    "kind": kind_of(topic),
                }
            )
    return {
        "description": "Labelled bilingual queries over KRX 주요제품 (krx:<종목코드>, Korean) and "
        "ClinicalTrials.gov Alzheimer's studies (nct:<NCT number>, English); built by "
        "benchmarks/matching/build_labelled_queries.py, see README.md beside it.",
        "split": "By topic, fixed before any tuning: 'dev' (glossary, weights and thresholds are "
        "chosen on it) and 'heldout' (reported only); 'fresh' (origin issue-15-fresh): written "
        "later, reported only, never tuned on. See splits() in build_labelled_queries.py.",
        "n_queries": len(queries),
        "n_topics": len(topics),
        "queries": queries,
    }


def review(keys: list[str]) -> None:
    """Print every match of the named topics, to read them (``all`` for every topic, ``fresh`` for
    the fresh set's)."""
    krx_rows, trial_rows = _krx_rows(), _trial_rows()
    krx_text = {
        company.id: f"{company.name} [{company.industry}] {company.products}" for company in load_krx()
    }
    krx_text = {
        company.id: f"{company.name} ({company.region}) [{company.industry}] {company.products}"
        for company in load_krx()
    }
    trial_text = {item.id: f"{item.title} | {item.interventions}" for item in load_trials()}
    for topic, origin in all_topics():
        if "all" not in keys and topic.key not in keys and not (origin == FRESH and "fresh" in keys):
            continue
        ids = relevant_ids(topic, krx_rows, trial_rows)
        print(f"== {topic.key}: {topic.ko} / {topic.en}: {len(ids)}")
        for doc_id in ids:
            print("  ", doc_id, (krx_text.get(doc_id) or trial_text.get(doc_id))[:150])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--review",
        nargs="*",
        help="print the matches of these topics ('all' for every one, 'fresh' for the fresh set's)",
    )
    parser.add_argument("--check", action="store_true", help="fail if the committed file is out of date")
    args = parser.parse_args()
    if args.review is not None:
        review(args.review)
        return
    text = json.dumps(build(), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{OUTPUT} is out of date: run this script")
        print("up to date")
        return
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
