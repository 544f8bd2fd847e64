"""The hybrid search index on a small fixed bilingual corpus (illustrative organizations, not real).

One index is built per test session: loading USE and Kiwi costs a few seconds, so every test here
shares ``index``.
"""

import numpy as np
import pytest

from dari.engines.matching import search
from dari.engines.matching.profiles import Profile
from dari.engines.matching.search import Document, IndexVersionError, SearchIndex

CORPUS = [
    Document(
        "thyroid-app",
        "startup",
        name_en="Glandwise Health",
        text_en="Thyroid care app that tracks thyroid function from wearable heart-rate data",
    ),
    Document(
        "glucose-ko",
        "startup",
        name_ko="당케어",
        name_en="DangCare",
        text_ko="연속 혈당 측정기와 당뇨 환자용 혈당 관리 앱",
    ),
    Document(
        "sd-cardio",
        "hospital",
        name_en="Pacific Heart Institute",
        text_en="Cardiology clinical trial site for heart failure and arrhythmia devices",
    ),
    Document(
        "sd-vc",
        "investor",
        name_en="Torrey Pines Bio Ventures",
        text_en="Seed and Series A investor in medical devices and digital health in San Diego",
    ),
    Document(
        "ulsan-battery",
        "corporate",
        name_ko="울산배터리소재",
        name_en="Ulsan Battery Materials",
        text_ko="이차전지 양극재 및 전구체 제조",
    ),
    Document(
        "ulsan-ship",
        "corporate",
        name_ko="동해조선",
        name_en="Donghae Shipbuilding",
        text_ko="LNG 운반선 및 선박 건조, 해양플랜트",
    ),
    Document(
        "ko-dementia",
        "startup",
        name_ko="기억연구소",
        name_en="Memory Lab",
        text_ko="치매 조기 진단을 위한 혈액 바이오마커 검사",
    ),
    Document(
        "en-alzheimer",
        "hospital",
        name_en="La Jolla Memory Clinic",
        text_en="Alzheimer's disease clinical trials: amyloid PET imaging and memory care",
    ),
    Document(
        "ko-cosmetics",
        "distributor",
        name_ko="한빛코스메틱",
        name_en="Hanbit Cosmetic",
        text_ko="기초 화장품과 스킨케어 제품의 미국 유통",
    ),
    Document(
        "en-semis",
        "corporate",
        name_en="Mesa Wafer Systems",
        text_en="Semiconductor equipment for wafer inspection and etching",
    ),
    Document(
        "ko-contrast",
        "corporate",
        name_ko="동국조영",
        name_en="Dongkuk Contrast",
        text_ko="MRI 및 CT 조영제 완제 및 원료 의약품",
    ),
    Document(
        "en-steel",
        "corporate",
        name_en="Harbor Steel Works",
        text_en="Steel plates and pipes for construction",
    ),
    Document(
        "seers",
        "startup",
        name_ko="씨어스테크놀로지",
        name_en="Seers Technology",
        text_ko="웨어러블 심전도 검사 솔루션과 입원환자 모니터링",
    ),
    Document(
        "en-vaccine",
        "corporate",
        name_en="Coastal Vaccines",
        text_en="mRNA vaccine development and contract manufacturing",
    ),
]


@pytest.fixture(scope="session")
def index():
    return SearchIndex.build(CORPUS)


def ranked(index, query, k=5, **kwargs):
    return [hit.id for hit in index.search(query, k=k, **kwargs)]


@pytest.mark.slow
def test_korean_query_finds_the_english_thyroid_profile(index):
    assert "thyroid-app" in ranked(index, "갑상선")


@pytest.mark.slow
def test_english_query_finds_the_korean_glucose_profile(index):
    assert "glucose-ko" in ranked(index, "glucose")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "expected"),
    [("혈당", "glucose-ko"), ("치매", "ko-dementia"), ("조선", "ulsan-ship"), ("양극재", "ulsan-battery")],
)
def test_one_and_two_syllable_korean_queries_rank_their_document_first(index, query, expected):
    assert ranked(index, query)[0] == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("씨어스테크놀로지", "seers"),  # the Korean name
        ("Seers Technology", "seers"),  # the English name of the same organization
        ("씨어스테크놀러지", "seers"),  # a one-jamo typo (로 -> 러)
        ("Torey Pines Bio Ventures", "sd-vc"),  # a one-letter typo
        ("한빛", "ko-cosmetics"),
    ],
)
def test_names_match_in_either_script_and_with_typos(index, query, expected):
    hits = index.search(query, k=3)
    assert hits[0].id == expected
    assert "name" in hits[0].matched


@pytest.mark.slow
def test_a_hit_reports_its_signals(index):
    hit = index.search("이차전지 양극재", k=1)[0]
    assert hit.id == "ulsan-battery"
    assert set(hit.matched) >= {"semantic", "lexical"}
    assert hit.score == pytest.approx(hit.semantic + 0.5 * hit.lexical + hit.name)


@pytest.mark.slow
def test_results_are_restricted_to_allowed_ids_and_kinds(index):
    assert set(ranked(index, "clinical trials", k=10, kinds={"hospital"})) == {"sd-cardio", "en-alzheimer"}
    assert ranked(index, "갑상선", k=10, allowed_ids=["sd-vc", "en-steel"]) in (
        ["sd-vc", "en-steel"],
        ["en-steel", "sd-vc"],
    )
    assert ranked(index, "갑상선", allowed_ids=[]) == []
    assert ranked(index, "   ") == []


@pytest.mark.slow
def test_bytes_round_trip_gives_the_same_index(index):
    data = index.to_bytes()
    copy = SearchIndex.from_bytes(data)
    assert copy.ids == index.ids
    assert np.array_equal(copy.vector("seers"), index.vector("seers"))
    for query in ("갑상선", "glucose", "씨어스", "semiconductor equipment"):
        assert copy.search(query, k=5) == index.search(query, k=5)
    assert copy.to_bytes() == data


@pytest.mark.slow
def test_bytes_from_another_engine_version_are_refused(index, monkeypatch):
    monkeypatch.setattr(search, "ENGINE_VERSION", "dari-search-0/another-model")
    older = index.to_bytes()
    monkeypatch.undo()
    with pytest.raises(IndexVersionError, match="dari-search-0/another-model"):
        SearchIndex.from_bytes(older)
    with pytest.raises(IndexVersionError):
        SearchIndex.from_bytes(b"not an index")


@pytest.mark.slow
def test_incremental_update_equals_a_rebuild(index):
    changed = Document(
        "ko-cosmetics",
        "distributor",
        name_ko="한빛코스메틱",
        name_en="Hanbit Cosmetic",
        text_ko="갑상선 기능 검사 키트의 미국 유통",
    )
    added = Document("new-dx", "startup", name_en="Kelp Diagnostics", text_en="Thyroid hormone rapid test")
    updated = SearchIndex.from_bytes(index.to_bytes())
    updated.update([changed, added])
    updated.remove(["en-steel"])
    documents = [d for d in CORPUS if d.id not in {"ko-cosmetics", "en-steel"}] + [changed, added]
    rebuilt = SearchIndex.build(documents)
    assert updated.ids == rebuilt.ids
    assert (
        np.abs(
            updated.similarities(rebuilt.vector("new-dx")) - rebuilt.similarities(rebuilt.vector("new-dx"))
        ).max()
        < 2e-3
    )
    for query in ("갑상선", "Kelp Diagnostics", "유통", "glucose"):
        assert ranked(updated, query) == ranked(rebuilt, query)


@pytest.mark.slow
def test_similarities_are_aligned_with_ids(index):
    scores = index.similarities(index.vector("thyroid-app"))
    assert scores.shape == (len(index.ids),)
    assert index.ids[int(np.argmax(scores))] == "thyroid-app"
    assert scores[index.position("thyroid-app")] == pytest.approx(1.0, abs=2e-3)


def test_documents_come_from_profiles():
    profile = Profile(id="7", kind="startup", name_en="Glandy", name_ko="글랜디", text_ko="갑상선 관리 앱")
    document = Document.from_profile(profile, aliases=["Thyroscope"])
    assert document.names == ["Glandy", "글랜디", "Thyroscope"]
    assert document.kind == "startup"
