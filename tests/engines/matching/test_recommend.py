"""The recommendation index: structured fit, co-investment, filters, feedback, bilingual reasons."""

from datetime import date

import numpy as np
import pytest

from dari.engines.matching.profiles import Deal, Profile
from dari.engines.matching.recommend import RecommendationIndex

PARENTS = {"medical_devices": "medical", "diagnostics": "medical", "thyroid": "endocrinology"}
LABELS = {"medical_devices": ("medical devices", "의료기기"), "medical": ("medical", "의료")}


def device_deal(company: str, region: str = "San Diego", stage: str = "series_a", **fields) -> Deal:
    return Deal(
        company=company,
        on=date(2024, 3, 1),
        stage=stage,
        amount_usd=3e6,
        sectors=frozenset({"medical_devices"}),
        country="US",
        region=region,
        **fields,
    )


def startup(**fields) -> Profile:
    values = {
        "id": "thyro",
        "kind": "startup",
        "name_en": "Thyro",
        "sectors": frozenset({"medical_devices"}),
        "country": "KR",
        "region": "San Diego",
        "stage": "seed",
        "amount_sought_usd": 3e6,
    }
    return Profile(**{**values, **fields})


def organizations() -> list[Profile]:
    return [
        Profile(
            id="device-fund",
            kind="investor",
            name_en="Device Fund",
            deals=tuple(
                device_deal(f"d{number}", region="San Diego" if number < 5 else "Boston")
                for number in range(14)
            ),
        ),
        Profile(
            id="device-fund-2",
            kind="investor",
            name_en="Second Device Fund",
            deals=tuple(device_deal(f"d{number}") for number in range(3)),
        ),
        Profile(
            id="software-fund",
            kind="investor",
            name_en="Software Fund",
            deals=tuple(
                Deal(
                    company=f"s{number}",
                    on=date(2024, 1, 1),
                    sectors=frozenset({"software"}),
                    region="SF Bay",
                )
                for number in range(20)
            ),
        ),
        Profile(
            id="hospital",
            kind="hospital",
            name_en="Coastal Hospital",
            sectors=frozenset({"medical_devices"}),
            country="US",
            region="San Diego",
        ),
        Profile(
            id="distributor",
            kind="distributor",
            name_en="Far Distributor",
            sectors=frozenset({"software"}),
            country="DE",
        ),
        Profile(
            id="seoul-startup",
            kind="startup",
            name_en="Other Startup",
            sectors=frozenset({"diagnostics"}),
            country="KR",
            region="Ulsan",
            stage="seed",
        ),
    ]


def build(**options) -> RecommendationIndex:
    return RecommendationIndex.build(
        organizations(), as_of=date(2024, 6, 1), sector_parents=PARENTS, labels=LABELS, **options
    )


def ids(recommendations) -> list[str]:
    return [recommendation.candidate_id for recommendation in recommendations]


def test_startup_gets_partners_ranked_by_structured_fit_and_deal_history():
    found = build().recommend(startup(), k=10)

    assert ids(found)[:2] == ["device-fund", "device-fund-2"]
    assert ids(found).index("hospital") < ids(found).index("distributor")
    assert "seoul-startup" not in ids(found)  # startups are not suggested to startups by default


def test_reasons_state_the_deal_history_in_english_and_korean():
    best = build().recommend(startup(), k=1)[0]

    history = next(reason for reason in best.reasons if reason.code == "deal_history")
    assert history.en == "invested in 14 medical devices companies, 5 in San Diego, mostly Series A"
    assert history.ko == "의료기기 기업 14곳에 투자(샌디에이고 5곳), 주로 시리즈 A"
    assert 0 < history.weight <= 1


def test_every_recommendation_has_reasons_in_both_languages():
    for recommendation in build().recommend(startup(), k=10):
        assert recommendation.reasons
        for reason in recommendation.reasons:
            assert reason.en and reason.ko and reason.code


def test_candidate_without_deals_is_explained_by_its_declared_fit():
    hospital = next(item for item in build().recommend(startup(), k=10) if item.candidate_id == "hospital")

    codes = {reason.code: reason for reason in hospital.reasons}
    assert codes["sector"].en == "works in medical devices"
    assert codes["sector"].ko == "의료기기 분야"
    assert codes["geography"].en == "based in San Diego"
    assert codes["geography"].ko == "샌디에이고 소재"


def test_filters_by_kind_country_and_stage():
    index = build()

    assert ids(index.recommend(startup(), kinds=["hospital", "distributor"])) == ["hospital", "distributor"]
    assert ids(index.recommend(startup(), countries=["DE"])) == ["distributor"]
    partner = Profile(id="p", kind="corporate", sectors=frozenset({"medical"}))
    assert ids(index.recommend(partner, stages=["seed"])) == ["seoul-startup"]
    assert ids(index.recommend(partner, stages=["series_b"])) == []


def test_an_allowed_mask_keeps_only_its_rows_and_must_fit_the_index():
    index = build()
    everyone = ids(index.recommend(startup(), kinds=["hospital", "distributor"]))
    allowed = np.zeros(index.n, dtype=bool)
    allowed[index.row_of["distributor"]] = True
    assert everyone == ["hospital", "distributor"]
    assert ids(index.recommend(startup(), kinds=["hospital", "distributor"], allowed=allowed)) == [
        "distributor"
    ]
    for wrong in (np.ones(index.n + 1, dtype=bool), np.ones(index.n, dtype=np.int64)):
        with pytest.raises(ValueError, match="one entry per indexed profile"):
            index.recommend(startup(), allowed=wrong)


def test_related_organizations_are_left_out_unless_asked_for():
    index = build()
    subject = startup(related=frozenset({"device-fund"}))

    assert "device-fund" not in ids(index.recommend(subject, k=10))
    assert "device-fund" in ids(index.recommend(subject, k=10, include_related=True))


def test_co_investors_of_the_subjects_investors_rise():
    shared = [device_deal(f"shared{number}") for number in range(3)]
    profiles = organizations() + [
        Profile(id="lead", kind="investor", name_en="Lead Partners", deals=tuple(shared)),
        Profile(id="follower", kind="investor", name_en="Follower", deals=tuple(shared[:2])),
        Profile(
            id="stranger", kind="investor", name_en="Stranger", deals=(device_deal("x1"), device_deal("x2"))
        ),
    ]
    index = RecommendationIndex.build(profiles, as_of=date(2024, 6, 1), sector_parents=PARENTS)

    found = index.recommend(startup(related=frozenset({"lead"})), k=10)

    assert ids(found).index("follower") < ids(found).index("stranger")
    follower = found[ids(found).index("follower")]
    co = next(reason for reason in follower.reasons if reason.code == "co_investment")
    assert co.en == "co-invested 2 times with Lead Partners, already an investor of yours"
    assert co.ko == "기존 투자사 Lead Partners와(과) 2차례 공동 투자"


def test_partner_gets_startups_matching_its_interests():
    index = build()
    corporate = Profile(
        id="corp",
        kind="corporate",
        sectors=frozenset({"diagnostics"}),
        regions_of_interest=frozenset({"Ulsan"}),
        stages_of_interest=frozenset({"seed"}),
    )

    found = index.recommend(corporate, k=5)

    assert ids(found) == ["seoul-startup"]
    codes = {reason.code for reason in found[0].reasons}
    assert {"sector", "geography_interest", "stage"} <= codes


def test_not_relevant_mark_demotes_that_candidate_and_similar_ones():
    index = build()
    before = ids(index.recommend(startup(), k=10))
    plain = index.scores(startup())[0]

    after_scores = index.scores(startup(), feedback={"device-fund": False})[0]
    after = ids(index.recommend(startup(), k=10, feedback={"device-fund": False}))

    assert before[0] == "device-fund" and after[-1] == "device-fund"
    similar, unlike = index.row_of["device-fund-2"], index.row_of["software-fund"]
    assert after_scores[similar] < plain[similar]
    assert plain[similar] - after_scores[similar] > plain[unlike] - after_scores[unlike]


def test_relevant_mark_promotes_similar_candidates():
    index = build()
    plain = index.scores(startup())[0]

    boosted = index.scores(startup(), feedback={"device-fund": True})[0]

    similar, unlike = index.row_of["device-fund-2"], index.row_of["distributor"]
    assert boosted[similar] > plain[similar]
    assert boosted[similar] - plain[similar] > boosted[unlike] - plain[unlike]
    top = index.recommend(startup(), k=2, feedback={"device-fund": True})
    assert any(reason.code == "feedback" for reason in top[1].reasons)


def test_text_scores_are_an_input_by_id_or_array():
    index = build()
    text = {"distributor": 50.0}

    assert ids(index.recommend(startup(), k=1, text_scores=text)) == ["distributor"]
    array = np.zeros(index.n)
    array[index.row_of["hospital"]] = 50.0
    assert ids(index.recommend(startup(), k=1, text_scores=array)) == ["hospital"]


def test_the_learned_model_reorders_only_the_linear_stages_best_candidates(monkeypatch):
    from dari.engines.matching import rerank

    index = RecommendationIndex.build(organizations(), as_of=date(2024, 6, 1))
    linear = RecommendationIndex.build(organizations(), as_of=date(2024, 6, 1), rerank=False)
    assert index.reranker is not None and linear.reranker is None
    subject = startup()
    mask = index.eligible(subject)
    plain = linear.scores(subject, eligible=mask).scores
    best_two = {int(row) for row in np.flatnonzero(mask)[np.argsort(-plain[mask])[:2]]}
    monkeypatch.setattr(rerank, "POOL_SIZE", 2)

    scores, matrix, _, pool = index.scores(subject, eligible=mask)

    assert set(pool.tolist()) == best_two
    others = np.flatnonzero(mask & ~np.isin(np.arange(index.n), pool))
    assert scores[pool].min() > scores[others].max()
    learned = index.reranker.scores(np.ascontiguousarray(matrix[np.ix_(rerank.RERANK_ROWS, pool)].T))
    assert np.allclose(scores[pool], plain[pool] + learned)
    top = index.recommend(subject, k=2)
    assert {index.row_of[item.candidate_id] for item in top} == best_two
    assert all(item.reasons for item in top)
