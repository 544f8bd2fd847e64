"""The timing, entry-stage and collaborative features, on tiny hand-built histories with exact values."""

import math
from datetime import date

import numpy as np
import pytest

from dari.engines.matching import reasons
from dari.engines.matching.graph import Bipartite, FollowGraph
from dari.engines.matching.profiles import Deal, Profile
from dari.engines.matching.recommend import DEAL_FEATURES, FEATURES, RecommendationIndex

AS_OF = date(2024, 1, 1)


def deal(company: str, on: date, region: str = "Boston", sector: str = "biotech") -> Deal:
    return Deal(company=company, on=on, sectors=frozenset({sector}), country="US", region=region)


def investor(key: str, *deals: Deal) -> Profile:
    return Profile(id=key, kind="investor", name_en=key.title(), deals=deals)


def subject(**fields) -> Profile:
    values = {"id": "newco", "kind": "startup", "sectors": frozenset({"biotech"}), "region": "Boston"}
    return Profile(**{**values, **fields})


def index_of(*profiles: Profile) -> RecommendationIndex:
    return RecommendationIndex.build(profiles, as_of=AS_OF, rerank=False)


def feature(index: RecommendationIndex, profile: Profile, name: str, candidate: str) -> float:
    return float(index.features(profile)[FEATURES.index(name), index.row_of[candidate]])


@pytest.fixture
def seeders():
    """Seed enters Gene and Cell at their first round; Later joins Gene four months after."""
    return index_of(
        investor("seed", deal("gene", date(2023, 7, 1)), deal("cell", date(2023, 12, 1), region="SF Bay")),
        investor("later", deal("gene", date(2023, 11, 1)), deal("gene", date(2023, 12, 15))),
        Profile(id="hospital", kind="hospital", sectors=frozenset({"biotech"}), region="Boston"),
    )


def test_windowed_activity_counts_deals_before_the_as_of_date(seeders):
    newco = subject()

    assert feature(seeders, newco, "recent_90d", "seed") == pytest.approx(math.log(2))  # Dec 1 only
    assert feature(seeders, newco, "recent_180d", "seed") == pytest.approx(math.log(2))  # Jul 1 is older
    assert feature(seeders, newco, "recent_2y", "later") == pytest.approx(math.log(3))
    assert feature(seeders, newco, "activity_trend", "later") == pytest.approx(math.log(3))


def test_first_round_entries_fit_a_company_without_investors(seeders):
    newco = subject()  # no investors, no stage: its next round is its first

    # Seed entered both companies at their first deal, Later entered Gene 123 days after it.
    assert feature(seeders, newco, "entry_fit_share", "seed") == pytest.approx(3 / 4)
    assert feature(seeders, newco, "entry_fit_share", "later") == pytest.approx(1 / 3)
    decay = math.log(2) / (365.25 * 2)
    gene = math.exp(-decay * (AS_OF - date(2023, 7, 1)).days)
    cell = math.exp(-decay * (AS_OF - date(2023, 12, 1)).days)
    assert feature(seeders, newco, "first_round_sector", "seed") == pytest.approx(
        math.log1p(gene + cell), rel=1e-5
    )
    assert feature(seeders, newco, "entry_fit_sector_region", "seed") == pytest.approx(
        math.log1p(gene), rel=1e-5
    )
    assert feature(seeders, newco, "entry_fit_sector", "later") == 0.0


def test_later_round_entries_fit_a_company_that_has_investors(seeders):
    funded = subject(stage="series_a")

    assert feature(seeders, funded, "entry_fit_share", "later") == pytest.approx(2 / 3)
    assert feature(seeders, funded, "entry_fit_sector", "seed") == 0.0
    assert feature(seeders, funded, "entry_fit_sector", "later") > 0.0


def test_deal_features_are_zero_for_candidates_without_deals(seeders):
    matrix = seeders.features(subject(stage="seed", related=frozenset({"seed"})))
    rows = [FEATURES.index(name) for name in DEAL_FEATURES]

    assert not matrix[rows, seeders.row_of["hospital"]].any()


def test_co_investment_signals_on_a_hand_built_graph():
    # Investor 0 (the company's) holds a and b; 1 holds a, b (b in the last two years); 2 holds b, c;
    # 3 holds c only: it never met 0, but it met 2, who met 0 (two hops).
    pairs = [(0, "a"), (0, "b"), (1, "a"), (1, "b"), (2, "b"), (2, "c"), (3, "c")]
    graph = Bipartite(pairs, 4, recent=[(1, "b")])

    found = graph.co_investment([0])

    assert found["max"].tolist() == pytest.approx([0.0, math.log(3), math.log(2), 0.0])
    assert found["recent"].tolist() == pytest.approx([0.0, math.log(2), 0.0, 0.0])
    inverse_a, inverse_b = 1 / math.log(4), 1 / math.log(5)  # a has 2 investors, b has 3
    assert found["idf"].tolist() == pytest.approx(
        [0.0, math.log1p(inverse_a + inverse_b), math.log1p(inverse_b), 0]
    )
    cosine_a, cosine_b = 1 / math.sqrt(2), 1 / math.sqrt(3)
    assert found["similar_items"][1] == pytest.approx(math.log1p(cosine_a + cosine_b))
    assert found["two_hop"][3] > 0.0 and found["two_hop"][0] == 0.0


def test_the_company_itself_is_left_out_of_the_weighted_signals():
    graph = Bipartite([(0, "newco"), (1, "newco"), (1, "x"), (2, "x")], 3)

    found = graph.co_investment([0], exclude="newco")

    assert found["idf"].tolist() == [0.0, 0.0, 0.0]


def test_entry_reason_states_the_first_round_investments_in_both_languages(seeders):
    found = seeders.recommend(
        subject(), k=1, weights={name: 0.0 for name in FEATURES} | {"entry_fit_share": 1.0}
    )

    assert found[0].candidate_id == "seed"
    entry = next(reason for reason in found[0].reasons if reason.code == "entry_stage")
    assert entry.en == "made 2 first-round investments in biotech companies, 1 in Boston"
    assert entry.ko == "바이오테크 기업 첫 투자 라운드 2건 참여(보스턴 1건)"


def test_two_hop_candidates_are_explained_by_similar_companies():
    index = index_of(
        investor("mine", deal("newco", date(2023, 1, 1)), deal("a", date(2023, 2, 1))),
        investor("peer", deal("a", date(2023, 3, 1)), deal("c", date(2023, 4, 1))),
        investor("far", deal("c", date(2023, 5, 1))),
    )
    weights = {name: 0.0 for name in FEATURES} | {"two_hop": 1.0}

    found = index.recommend(subject(related=frozenset({"mine"})), k=2, weights=weights)

    assert [item.candidate_id for item in found] == ["peer", "far"]
    far = next(item for item in found if item.candidate_id == "far")
    assert [reason.code for reason in far.reasons] == ["similar_companies"]
    assert far.reasons[0].ko == "귀사와 유사한 기업의 투자사들과 공동 투자"


def test_counts_of_one_read_in_the_singular():
    labels = reasons.Labels({"thyroid": ("thyroid", "갑상선")})

    history = reasons.deal_history(labels, "thyroid", 1, 1, None, 0, None, 1.0)

    assert history.en == "invested in 1 thyroid company"
    assert history.ko == "갑상선 기업 1곳에 투자"
    assert reasons.deal_history(labels, None, 0, 1, None, 0, None, 1.0).en == "invested in 1 company"
    assert (
        reasons.co_investment("Alpha", 1, 1.0).en
        == "co-invested once with Alpha, already an investor of yours"
    )
    assert reasons.activity(1, 1.0).en == "made 1 investment in the last year"
    assert (
        reasons.entry(labels, "thyroid", 1, None, 0, False, 1.0).en
        == "joined 1 thyroid company at a later round"
    )


def test_follow_graph_counts_who_entered_a_company_after_whom():
    # Seed enters both companies first; Later follows it into Gene after four months; Fast joins
    # Gene within the lag (a co-investor of the same round, not a follower).
    graph = FollowGraph(
        [(0, "gene", 0), (1, "gene", 120), (2, "gene", 10), (0, "cell", 0), (1, "cell", 200)],
        n_rows=4,
        lag_days=30,
    )

    assert graph.followed(0, 1) == 2 and graph.followed(0, 2) == 0 and graph.followed(1, 0) == 0
    towards_seed = graph.signals([0], degree=np.array([2.0, 2.0, 1.0, 0.0]))
    assert towards_seed["follows"].tolist() == pytest.approx([0.0, math.log(3), 0.0, 0.0])
    assert towards_seed["follow_share"][1] == pytest.approx(math.log1p(10 * 2 / 2))
    towards_later = graph.signals([1], degree=np.array([2.0, 2.0, 1.0, 0.0]))
    assert towards_later["leads"].tolist() == pytest.approx([math.log(3), 0.0, math.log(2), 0.0])
    assert not towards_later["follows"].any()


def test_follow_features_reach_the_candidates_that_follow_the_subjects_investors(seeders):
    # Angel backs Newco and entered Gene in May; Seed followed it into Gene in July, Later in
    # November. Neither entered a company before Angel did.
    angel = investor("angel", deal("newco", date(2023, 1, 1)), deal("gene", date(2023, 5, 1)))
    index = index_of(*seeders.profiles, angel)
    newco = subject()

    assert feature(index, newco, "follows", "later") == pytest.approx(math.log(2))
    assert feature(index, newco, "follows", "seed") == pytest.approx(math.log(2))
    assert feature(index, newco, "follows", "hospital") == 0.0
    assert feature(index, newco, "leads", "seed") == 0.0
    assert feature(index, newco, "subject_investors", "hospital") == pytest.approx(math.log(2))
    assert feature(seeders, newco, "follows", "later") == 0.0  # no investor yet: nobody to follow


def test_follow_on_marks_the_companys_own_investors_only_when_they_may_be_suggested(seeders):
    gene = subject(id="gene", related=frozenset({"seed", "later"}))

    assert feature(seeders, gene, "follow_on", "seed") == 1.0
    assert feature(seeders, gene, "follow_on", "hospital") == 0.0
    assert [item.candidate_id for item in seeders.recommend(gene, k=3)] == ["hospital"]
    again = seeders.recommend(gene, k=3, include_related=True)
    assert {"seed", "later"} <= {item.candidate_id for item in again}
    seed = next(item for item in again if item.candidate_id == "seed")
    assert "follow_on" in {reason.code for reason in seed.reasons}
