"""The recommendation index: structured fit and the relation graph, scored for all candidates at once.

``RecommendationIndex.build(profiles)`` turns profiles into per-key postings (which candidates have
sector X declared, how many deals each made in sector X, in region Y, in sector X and region Y, at
stage Z) and the two relation graphs (portfolio, partners). A query then reads a few postings for
the subject's keys, so its cost grows with the subject's keys and the number of candidates, never
with a Python loop over candidates: top 10 among 100,000 organizations is a few milliseconds.

The score has two stages. First a weighted sum of named features (``FEATURES``): declared fit,
deal history, timing (who invests right now), revealed stage behaviour (first-round or later
entries), the co-investment graph beyond direct co-investors, and who follows the subject's
investors into companies. Then a learned ranking model (rerank.py) corrects the scores of the
first stage's best candidates. Both were learned on an earlier Crunchbase split than the one
reported (see ``benchmarks/results/matching-evaluation.md``). Reasons are computed only for the
returned candidates, from what each feature added in both stages.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np

from . import reasons as text
from .graph import Bipartite, FollowGraph
from .profiles import PARTNER_KINDS, STAGES, STARTUP_KIND, Deal, Profile
from .reasons import Labels, Reason
from .threads import one_thread

#: The named features of the score, in the order of the feature matrix's rows.
FEATURES = (
    "sector_declared",  # cosine of the declared sector sets (taxonomy ancestors included)
    "sector_deals",  # log deals in the subject's own sectors (recency-weighted)
    "sector_group_deals",  # log deals in the subject's ancestor sectors: the hierarchy's smoothing
    "sector_recent",  # deals in the subject's own sectors in the last year
    "sector_stage_deals",  # log deals in the subject's sectors at the stages it raises at
    "sector_share",  # log lift of the candidate's deal share in the subject's sectors (smoothed)
    "region_deals",  # log deals in the subject's region
    "region_share",  # log lift of the candidate's deal share in the subject's region (smoothed)
    "sector_region_deals",  # log deals in the subject's sector *and* region
    "country_deals",  # log deals in the subject's country
    "same_region",
    "same_country",
    "region_declared",  # the subject's region or country is one the candidate looks for
    "stage_deals",  # log deals at the stage the subject is at or raising next
    "stage_declared",
    "size_fit",  # check size (declared, or revealed by past deals) vs amount sought
    "activity",  # log deals overall (recency-weighted): active investors invest again
    "recent",  # log deals in the last year
    "recent_new",  # log companies first invested in during the last year: who opens new relationships
    "co_investment",  # item-based collaborative filtering: co-investments with the subject's investors
    "shared_partners",  # organizations both already work with
    "text",  # the caller's text similarity (the text engine's), 0 when not given
    # Timing: who is investing right now (log counts in windows before ``as_of``).
    "recent_90d",  # deals in the last 90 days
    "recent_180d",  # deals in the last 180 days
    "recent_2y",  # deals in the last two years
    "recent_new_180d",  # companies first invested in during the last 180 days
    "activity_trend",  # log deals in the last year minus log deals in the year before
    "sector_recent_180d",  # deals in the subject's sectors in the last 180 days
    "region_recent",  # deals in the subject's region in the last year
    "sector_region_recent",  # deals in the subject's sector and region in the last two years
    "sector_new_recent",  # new companies in the subject's sectors in the last year
    "sector_region_new_recent",  # new companies in the subject's sector and region, last two years
    # Stage fit, revealed: when the candidate enters its companies.
    "stage_share",  # smoothed share of its (recency-weighted) deals at the subject's target stages
    "first_round_sector",  # log companies in the subject's sectors it entered at their first round
    "first_round_sector_region",  # the same in the subject's region
    "first_round_recent",  # first-round entries in the last year
    "entry_fit_sector",  # entries of the subject's kind (first round if it has none yet, else later)
    "entry_fit_sector_region",  # the same in the subject's region
    "entry_fit_sector_recent",  # entries of the subject's kind in its sectors, last year
    "entry_fit_share",  # smoothed share of its entries that are of the subject's kind
    # Collaborative: the company's investors' graph beyond direct co-investment (graph.py).
    "co_invested",  # 1 if it has co-invested with any of the subject's investors
    "co_investment_max",  # log companies shared with the closest of the subject's investors
    "co_investment_recent",  # co-investments counting only its deals of the last two years
    "co_investment_of_recent",  # co-investments in the subject's investors' last two years of deals
    "co_investment_idf",  # co-investments weighted by 1 / log(2 + the company's investor count)
    "co_investment_idf_per_investor",  # the same per sqrt(number of the subject's investors)
    "similar_companies",  # invested in the companies closest to the subject by shared investors
    "two_hop",  # co-invests with the co-investors of the subject's investors
    # Directed: who enters companies after (or before) the subject's investors (graph.FollowGraph).
    "follows",  # Σ log companies it entered after one of the subject's investors
    "follow_share",  # how often the subject's investors' companies see it come in later
    "leads",  # Σ log companies it entered before one of the subject's investors
    # Follow-on habit: an investor that mostly invests again in its companies opens fewer new ones.
    "deals_per_company",  # its deals per company it invested in (0 without deals)
    # The subject's own context, the same for every candidate: nothing to a weighted sum, but a
    # learned ranking model (rerank.py) reads the other features differently by it.
    "subject_investors",  # log(1 + the subject's investors)
    "subject_stage",  # the subject's stage, 1 (pre-seed) to 7 (public), 0 when unknown
    "follow_on",  # 1 if it already invested in the subject (only eligible with include_related)
)

FEATURE_ROWS = {name: position for position, name in enumerate(FEATURES)}

#: Deal counts in the subject's sectors, places and stages (the first deal-history features).
PLACE_HISTORY_FEATURES = (
    "sector_deals",
    "sector_group_deals",
    "sector_recent",
    "sector_stage_deals",
    "sector_share",
    "region_deals",
    "region_share",
    "sector_region_deals",
    "country_deals",
    "stage_deals",
)

#: The subject's own context: the same for every candidate (see FEATURES).
SUBJECT_FEATURES = ("subject_investors", "subject_stage")

#: The timing, stage-fit and collaborative features read deal dates and the graph only: they are 0
#: for candidates without deals, and the collaborative ones for subjects without investors.
DEAL_FEATURES = tuple(
    name for name in FEATURES[FEATURES.index("recent_90d") :] if name not in SUBJECT_FEATURES
)

#: How the reasons group the features (each group is one reason; see ``reasons``).
TIMING_FEATURES = ("recent_90d", "recent_180d", "recent_2y", "recent_new_180d", "activity_trend")
ENTRY_FEATURES = (
    "first_round_sector",
    "first_round_sector_region",
    "first_round_recent",
    "entry_fit_sector",
    "entry_fit_sector_region",
    "entry_fit_sector_recent",
    "entry_fit_share",
)
COLLABORATIVE_FEATURES = (
    "co_invested",
    "co_investment_max",
    "co_investment_recent",
    "co_investment_of_recent",
    "co_investment_idf",
    "co_investment_idf_per_investor",
    "similar_companies",
    "two_hop",
    "follows",
    "follow_share",
    "leads",
)
HISTORY_FEATURES = tuple(
    name
    for name in DEAL_FEATURES
    if name not in (*TIMING_FEATURES, *ENTRY_FEATURES, *COLLABORATIVE_FEATURES, "follow_on")
)

#: "A company that has not raised from investors yet": its next round is a first round.
FIRST_ROUND_STAGES = frozenset({"", "pre_seed", "seed"})

#: An entry within this many days of the company's first known deal counts as a first-round entry.
FIRST_ROUND_DAYS = 30

#: Entering a company more than this many days after another investor counts as following it.
FOLLOW_LAG_DAYS = 30

#: The linear stage. The deal-history, timing, entry and graph weights were learned on Crunchbase,
#: train < 2011-01-01 / test 2011 only (never on the reported 2012 split), by a listwise logistic
#: model (``evaluation.tune`` up to commit 45471ca; ``follow_on`` by a grid search on the
#: all-relationship protocol), then scaled so that the best candidate's deal-history score is about
#: 4 above the median candidate's. Several features are correlated (deal counts overall, by sector,
#: by region, recent), so some weights are negative: read them together, not one by one. The
#: declared-profile features (declared sectors, places, stages, check sizes, shared partners, text)
#: cannot be learned from Crunchbase (it has none) and keep hand-set weights, chosen so that a full
#: declared match is on the scale of a modest deal history. The follow, follow-on habit and
#: subject-context features weigh 0 here: only the learned second stage (rerank.py) reads them.
DEFAULT_WEIGHTS: dict[str, float] = {
    "sector_declared": 2.0,
    "sector_deals": -1.0021,
    "sector_group_deals": 0.604,
    "sector_recent": -0.2997,
    "sector_stage_deals": 0.9531,
    "sector_share": 0.4574,
    "region_deals": -0.0051,
    "region_share": 0.9338,
    "sector_region_deals": -0.2095,
    "country_deals": 0.1821,
    "same_region": 1.0,
    "same_country": 0.5,
    "region_declared": 1.0,
    "stage_deals": -0.5862,
    "stage_declared": 1.0,
    "size_fit": 2.229,
    "activity": 0.7354,
    "recent": -0.3766,
    "recent_new": 0.5273,
    "co_investment": -0.0825,
    "shared_partners": 1.0,
    "text": 3.0,
    "recent_90d": -0.2536,
    "recent_180d": -0.4023,
    "recent_2y": 0.87,
    "recent_new_180d": 0.51,
    "activity_trend": 0.3526,
    "sector_recent_180d": 0.3175,
    "region_recent": -0.1064,
    "sector_region_recent": -0.2065,
    "sector_new_recent": -0.1401,
    "sector_region_new_recent": 0.1399,
    "stage_share": 0.227,
    "first_round_sector": -0.2253,
    "first_round_sector_region": 0.1821,
    "first_round_recent": 0.1561,
    "entry_fit_sector": 0.4191,
    "entry_fit_sector_region": 0.3722,
    "entry_fit_sector_recent": 0.0001,
    "entry_fit_share": 2.1072,
    "co_invested": 1.7926,
    "co_investment_max": -0.9891,
    "co_investment_recent": 0.2796,
    "co_investment_of_recent": -0.4459,
    "co_investment_idf": 0.7105,
    "co_investment_idf_per_investor": 0.9504,
    "similar_companies": 0.9557,
    "two_hop": -0.1509,
    "follows": 0.0,
    "follow_share": 0.0,
    "leads": 0.0,
    "deals_per_company": 0.0,
    "subject_investors": 0.0,
    "subject_stage": 0.0,
    "follow_on": 12.0,
}

#: How much one feedback mark moves a fully similar candidate, in units of the score's spread.
FEEDBACK_STRENGTH = 1.0


class Scored(NamedTuple):
    """``RecommendationIndex.scores``: every candidate's score, the feature matrix (features ×
    candidates), the feedback adjustment, and the rows the re-ranking model scored."""

    scores: np.ndarray
    matrix: np.ndarray
    adjustment: np.ndarray
    pool: np.ndarray


@dataclass(frozen=True)
class Recommendation:
    """One suggested organization, its score and its reasons (each in English and Korean)."""

    candidate_id: str
    score: float
    reasons: tuple[Reason, ...]


def best_rows(scores: np.ndarray, rows: np.ndarray, size: int) -> np.ndarray:
    """The ``size`` of ``rows`` with the highest ``scores`` (all of them if fewer), in no order."""
    if len(rows) <= size:
        return rows
    return rows[np.argpartition(-scores[rows], size - 1)[:size]]


def next_stage(stage: str) -> str:
    position = STAGES.index(stage)
    return STAGES[min(position + 1, len(STAGES) - 1)]


def target_stages(stage: str) -> dict[str, float]:
    """The stages a subject at ``stage`` raises at: mostly the next one, sometimes the same again."""
    if stage not in STAGES:
        return {"seed": 0.5, "series_a": 0.5}
    following = next_stage(stage)
    return {stage: 0.5, following: 0.5} if following != stage else {stage: 1.0}


class _Postings:
    """key -> (candidate rows, values): one sparse column per key, read for the subject's keys."""

    def __init__(self) -> None:
        self._lists: dict[str, dict[int, float]] = defaultdict(dict)
        self.columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, key: str, row: int, value: float = 1.0) -> None:
        column = self._lists[key]
        column[row] = column.get(row, 0.0) + value

    def freeze(self) -> _Postings:
        for key, column in self._lists.items():
            rows = np.fromiter(column.keys(), dtype=np.int64, count=len(column))
            values = np.fromiter(column.values(), dtype=np.float32, count=len(column))
            self.columns[key] = (rows, values)
        self._lists = defaultdict(dict)
        return self

    def column(self, key: str, n: int) -> np.ndarray:
        vector = np.zeros(n, dtype=np.float32)
        found = self.columns.get(key)
        if found is not None:
            vector[found[0]] = found[1]
        return vector

    def log_mean_into(self, out: np.ndarray, keys: Sequence[str]) -> None:
        """``out`` (zeros) becomes log(1 + the mean of the ``keys`` columns), in place: a query
        reads dozens of these, and their n-long temporaries added up."""
        found = [self.columns[key] for key in keys if key in self.columns]
        if len(found) == 1:
            rows, values = found[0]
            out[rows] = np.log1p(values / len(keys))
        elif found:
            for rows, values in found:
                out[rows] += values
            np.log1p(np.divide(out, len(keys), out=out), out=out)

    def mean_of(self, keys: Sequence[str], n: int) -> np.ndarray:
        vector = np.zeros(n, dtype=np.float32)
        for key in keys:
            found = self.columns.get(key)
            if found is not None:
                vector[found[0]] += found[1]
        return vector / max(len(keys), 1)


def _ancestors(key: str, parents: Mapping[str, str]) -> list[str]:
    found = []
    while key in parents and parents[key] not in found:
        key = parents[key]
        found.append(key)
    return found


class RecommendationIndex:
    """Every candidate organization's structured profile and deal history, ready to score.

    Build once (``build``) from the registry or a benchmark; query many times (``recommend``).
    The index is read-only after build, so web processes may share one across threads.
    """

    def __init__(self) -> None:  # use build()
        self.profiles: list[Profile] = []
        self._expanded: dict[frozenset[str], frozenset[str]] = {}

    # ----------------------------------------------------------------------------------- build
    @classmethod
    def build(
        cls,
        profiles: Iterable[Profile],
        *,
        as_of: date | None = None,
        sector_parents: Mapping[str, str] | None = None,
        labels: Mapping[str, tuple[str, str]] | None = None,
        weights: Mapping[str, float] | None = None,
        half_life_years: float = 2.0,
        text_vectors: np.ndarray | None = None,
        rerank: bool = True,
    ) -> RecommendationIndex:
        """Index ``profiles`` (every organization that may be suggested, or may be a subject).

        ``as_of`` is the date deals are aged from (default: the latest deal, or today); a deal
        ``half_life_years`` old counts half. ``sector_parents`` maps a taxonomy key to its parent,
        so that "medical devices" also counts towards "medical"; ``labels`` maps keys to
        (English, Korean) labels for the reasons. ``text_vectors`` (one unit row per profile, in
        order) make feedback also reach candidates whose descriptions are alike. ``rerank`` uses
        the learned re-ranking model shipped with the engine (``rerank.shipped``); set
        ``index.reranker`` to use another one, or None for the linear score alone.
        """
        index = cls()
        index.profiles = list(profiles)
        index.parents = dict(sector_parents or {})
        index.labels = Labels(labels)
        index.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        index.text_vectors = text_vectors
        if rerank:
            from .rerank import shipped

            index.reranker = shipped()
        else:
            index.reranker = None
        n = len(index.profiles)
        index.n = n
        index.row_of = {profile.id: row for row, profile in enumerate(index.profiles)}
        dated = [deal.on for profile in index.profiles for deal in profile.deals if deal.on]
        index.as_of = as_of or (max(dated) if dated else date.today())
        decay = math.log(2) / (365.25 * half_life_years)
        last_year = index.as_of - timedelta(days=365)

        codes: dict[str, dict[str, int]] = {"kind": {}, "country": {}, "region": {}, "stage": {}}

        def code(vocabulary: str, key: str) -> int:
            return codes[vocabulary].setdefault(key, len(codes[vocabulary])) if key else -1

        index.kind = np.zeros(n, dtype=np.int16)
        index.country = np.zeros(n, dtype=np.int32)
        index.region = np.zeros(n, dtype=np.int32)
        index.stage = np.zeros(n, dtype=np.int16)
        index.sector_count = np.zeros(n, dtype=np.float64)
        index.total = np.zeros(n, dtype=np.float64)
        index.recent = np.zeros(n, dtype=np.float64)
        index.recent_new = np.zeros(n, dtype=np.float64)
        index.deals_per_company = np.zeros(n, dtype=np.float32)
        index.typical = np.full(n, np.nan)  # log of the median revealed check
        index.check_low = np.full(n, np.nan)
        index.check_high = np.full(n, np.nan)
        index.sought = np.full(n, np.nan)
        declared, interest_places, interest_stages = _Postings(), _Postings(), _Postings()
        deal_sector, deal_region, deal_country = _Postings(), _Postings(), _Postings()
        deal_sector_region, deal_stage, profile_sectors = _Postings(), _Postings(), _Postings()
        deal_sector_recent, deal_sector_stage = _Postings(), _Postings()
        portfolio_pairs, related_pairs, recent_pairs = [], [], []
        index.sector_vectors = []
        for row, profile in enumerate(index.profiles):
            index.kind[row] = code("kind", profile.kind)
            index.country[row] = code("country", profile.country)
            index.region[row] = code("region", profile.region)
            index.stage[row] = code("stage", profile.stage)
            sectors = index.expand(profile.sectors)
            index.sector_count[row] = len(sectors)
            for key in sectors:
                declared.add(key, row)
            for key in profile.regions_of_interest:
                interest_places.add(key, row)
            for key in profile.stages_of_interest:
                interest_stages.add(key, row)
            if profile.check_min_usd or profile.check_max_usd:
                index.check_low[row] = math.log(profile.check_min_usd or profile.check_max_usd)
                index.check_high[row] = math.log(profile.check_max_usd or profile.check_min_usd)
            if profile.amount_sought_usd:
                index.sought[row] = math.log(profile.amount_sought_usd)
            for partner in profile.related:
                related_pairs.append((row, partner))
            amounts = []
            revealed: Counter[str] = Counter()
            for deal in profile.deals:
                age = (index.as_of - deal.on).days if deal.on else 365.25 * half_life_years
                weight = math.exp(-decay * max(age, 0))
                index.total[row] += weight
                if deal.on and deal.on >= last_year:
                    index.recent[row] += 1.0
                deal_sectors = index.expand(deal.sectors)
                for key in deal_sectors:
                    deal_sector.add(key, row, weight)
                    revealed[key] += 1
                    if deal.region:
                        deal_sector_region.add(f"{key}@{deal.region}", row, weight)
                    if deal.stage:
                        deal_sector_stage.add(f"{key}#{deal.stage}", row, weight)
                    if deal.on and deal.on >= last_year:
                        deal_sector_recent.add(key, row)
                if deal.region:
                    deal_region.add(deal.region, row, weight)
                if deal.country:
                    deal_country.add(deal.country, row, weight)
                if deal.stage:
                    deal_stage.add(deal.stage, row, weight)
                if deal.amount_usd:
                    amounts.append(deal.amount_usd)
                portfolio_pairs.append((row, deal.company))
                if deal.on and deal.on >= index.as_of - timedelta(days=730):
                    recent_pairs.append((row, deal.company))
            first_deals: dict[str, date] = {}
            for deal in profile.deals:
                if deal.on and (deal.company not in first_deals or deal.on < first_deals[deal.company]):
                    first_deals[deal.company] = deal.on
            index.recent_new[row] = sum(day >= last_year for day in first_deals.values())
            if profile.deals:
                index.deals_per_company[row] = len(profile.deals) / len(
                    {deal.company for deal in profile.deals}
                )
            if amounts:
                index.typical[row] = math.log(statistics.median(amounts))
            # The sector profile feedback compares: declared sectors and revealed shares, unit length.
            vector = Counter({key: 1.0 for key in sectors})
            for key, count in revealed.items():
                vector[key] += count / max(len(profile.deals), 1)
            norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
            index.sector_vectors.append({key: value / norm for key, value in vector.items()})
            for key, value in index.sector_vectors[row].items():
                profile_sectors.add(key, row, value)
        index.codes = codes
        index.declared = declared.freeze()
        index.interest_places = interest_places.freeze()
        index.interest_stages = interest_stages.freeze()
        index.deal_sector = deal_sector.freeze()
        index.deal_region = deal_region.freeze()
        index.deal_country = deal_country.freeze()
        index.deal_sector_region = deal_sector_region.freeze()
        index.deal_stage = deal_stage.freeze()
        index.deal_sector_recent = deal_sector_recent.freeze()
        index.deal_sector_stage = deal_sector_stage.freeze()
        index.profile_sectors = profile_sectors.freeze()
        index.portfolio = Bipartite(portfolio_pairs, n, recent=recent_pairs)
        index.partners = Bipartite(related_pairs, n)
        index.sector_prior = {
            key: float(values.sum()) / max(float(index.total.sum()), 1e-9)
            for key, (_, values) in index.deal_sector.columns.items()
        }
        index.region_prior = {
            key: float(values.sum()) / max(float(index.total.sum()), 1e-9)
            for key, (_, values) in index.deal_region.columns.items()
        }
        index.log_activity = np.log1p(index.total).astype(np.float32)
        index.log_recent = np.log1p(index.recent).astype(np.float32)
        index.log_recent_new = np.log1p(index.recent_new).astype(np.float32)
        index.total32 = index.total.astype(np.float32)
        index._index_timing(decay)
        return index

    def _index_timing(self, decay: float) -> None:
        """Windowed deal counts and each candidate's entries (the first deal in each company), split
        into first-round entries (within ``FIRST_ROUND_DAYS`` of the company's first known deal
        by anyone in the index) and later ones: the revealed stage behaviour of an investor."""
        n, as_of = self.n, self.as_of
        since = {days: as_of - timedelta(days=days) for days in (90, 180, 365, 730)}
        self.first_known: dict[str, date] = {}
        first_known = self.first_known
        for profile in self.profiles:
            for deal in profile.deals:
                if deal.on and (deal.company not in first_known or deal.on < first_known[deal.company]):
                    first_known[deal.company] = deal.on
        window = {days: np.zeros(n, dtype=np.float64) for days in since}
        self.prior_year = np.zeros(n, dtype=np.float64)
        self.recent_new_180d = np.zeros(n, dtype=np.float64)
        self.first_round_recent = np.zeros(n, dtype=np.float64)
        self.first_round_share = np.zeros(n, dtype=np.float64)
        self.has_entries = np.zeros(n, dtype=bool)
        sector_180d, region_recent, sector_region_2y = _Postings(), _Postings(), _Postings()
        sector_new, sector_region_new = _Postings(), _Postings()
        entries = {kind: _Postings() for kind in ("first", "later")}
        entries_recent = {kind: _Postings() for kind in ("first", "later")}
        first_entries: list[tuple[int, str, int]] = []
        for row, profile in enumerate(self.profiles):
            entered: dict[str, Deal] = {}
            for deal in profile.deals:
                if not deal.on:
                    continue
                for days, start in since.items():
                    window[days][row] += deal.on >= start
                self.prior_year[row] += since[730] <= deal.on < since[365]
                sectors = self.expand(deal.sectors)
                for key in sectors:
                    if deal.on >= since[180]:
                        sector_180d.add(key, row)
                    if deal.region and deal.on >= since[730]:
                        sector_region_2y.add(f"{key}@{deal.region}", row)
                if deal.region and deal.on >= since[365]:
                    region_recent.add(deal.region, row)
                if deal.company not in entered or deal.on < entered[deal.company].on:
                    entered[deal.company] = deal
            first_rounds = 0
            for deal in entered.values():
                first_entries.append((row, deal.company, deal.on.toordinal()))
                kind = "first" if (deal.on - first_known[deal.company]).days <= FIRST_ROUND_DAYS else "later"
                first_rounds += kind == "first"
                weight = math.exp(-decay * max((as_of - deal.on).days, 0))
                self.recent_new_180d[row] += deal.on >= since[180]
                self.first_round_recent[row] += kind == "first" and deal.on >= since[365]
                for key in self.expand(deal.sectors):
                    entries[kind].add(key, row, weight)
                    if deal.region:
                        entries[kind].add(f"{key}@{deal.region}", row, weight)
                    if deal.on >= since[365]:
                        sector_new.add(key, row)
                        entries_recent[kind].add(key, row)
                    if deal.region and deal.on >= since[730]:
                        sector_region_new.add(f"{key}@{deal.region}", row)
            if entered:
                self.has_entries[row] = True
                self.first_round_share[row] = (first_rounds + 1) / (len(entered) + 2)
        self.window_counts = {days: np.log1p(counts).astype(np.float32) for days, counts in window.items()}
        self.activity_trend = (np.log1p(window[365]) - np.log1p(self.prior_year)).astype(np.float32)
        self.deal_sector_180d = sector_180d.freeze()
        self.deal_region_recent = region_recent.freeze()
        self.deal_sector_region_2y = sector_region_2y.freeze()
        self.new_sector_recent = sector_new.freeze()
        self.new_sector_region_recent = sector_region_new.freeze()
        self.entries = {kind: postings.freeze() for kind, postings in entries.items()}
        self.entries_recent = {kind: postings.freeze() for kind, postings in entries_recent.items()}
        self.follow_graph = FollowGraph(first_entries, n, lag_days=FOLLOW_LAG_DAYS)

    def expand(self, sectors: Iterable[str]) -> frozenset[str]:
        """The keys with their taxonomy ancestors (cached: deals share a few sector sets)."""
        key = sectors if isinstance(sectors, frozenset) else frozenset(sectors)
        found = self._expanded.get(key)
        if found is None:
            expanded = set(key)
            for sector in key:
                expanded.update(_ancestors(sector, self.parents))
            found = self._expanded[key] = frozenset(expanded)
        return found

    def split_sectors(self, sectors: Iterable[str]) -> tuple[list[str], list[str]]:
        """(own, ancestor) keys: the most specific ones the subject names, and their ancestors."""
        expanded = self.expand(sectors)
        ancestors = {parent for key in expanded for parent in _ancestors(key, self.parents)}
        return sorted(expanded - ancestors), sorted(ancestors)

    # -------------------------------------------------------------------------------- features
    def subject_profile(self, subject: str | Profile) -> Profile:
        if isinstance(subject, Profile):
            return subject
        return self.profiles[self.row_of[subject]]

    def prior_rows(self, subject: Profile) -> np.ndarray:
        """Candidates already in the subject's history: its related organizations, its investors."""
        rows = [self.row_of[key] for key in subject.related if key in self.row_of]
        found = np.concatenate([np.asarray(rows, dtype=np.int64), self.portfolio.rows_of_item(subject.id)])
        return np.unique(found)

    def features(self, subject: str | Profile, text_scores=None) -> np.ndarray:
        """The feature matrix (len(FEATURES) × candidates) for ``subject``; rows follow FEATURES."""
        subject = self.subject_profile(subject)
        if subject.kind == STARTUP_KIND:
            matrix = self._partner_features(subject)
        else:
            matrix = self._startup_features(subject)
        matrix[FEATURES.index("text")] = self._text_vector(text_scores)
        return matrix

    def _text_vector(self, text_scores) -> np.ndarray:
        if text_scores is None:
            return np.zeros(self.n)
        if isinstance(text_scores, np.ndarray):
            return text_scores.astype(np.float64, copy=False)
        vector = np.zeros(self.n)
        for key, value in text_scores.items():
            row = self.row_of.get(key)
            if row is not None:
                vector[row] = value
        return vector

    def _declared_cosine(self, sectors: set[str]) -> np.ndarray:
        overlap = self.declared.mean_of(sorted(sectors), self.n) * max(len(sectors), 1)
        return overlap / np.sqrt(np.maximum(self.sector_count, 1.0) * max(len(sectors), 1))

    def _geography(self, matrix: np.ndarray, subject: Profile) -> None:
        region = self.codes["region"].get(subject.region, -2)
        country = self.codes["country"].get(subject.country, -2)
        matrix[FEATURES.index("same_region")] = self.region == region
        matrix[FEATURES.index("same_country")] = self.country == country

    def _partner_features(self, subject: Profile) -> np.ndarray:
        """Features of every candidate as a partner (investor, corporate, ...) for a startup."""
        n = self.n
        matrix = np.zeros((len(FEATURES), n), dtype=np.float32)
        row = dict(zip(FEATURES, range(len(FEATURES)), strict=True))
        sectors = self.expand(subject.sectors)
        own, ancestors = self.split_sectors(subject.sectors)
        matrix[row["sector_declared"]] = self._declared_cosine(sectors)
        in_sector = self.deal_sector.mean_of(own, n)
        matrix[row["sector_deals"]] = np.log1p(in_sector)
        self.deal_sector.log_mean_into(matrix[row["sector_group_deals"]], ancestors)
        prior = float(np.mean([self.sector_prior.get(key, 0.0) for key in own])) if own else 0.0
        smoothing = 3.0
        share = (in_sector + smoothing * prior) / (self.total32 + smoothing)
        if own:
            # A candidate with no deal in the sector has share 0: floor the lift rather than -inf.
            lift = np.maximum(np.log(np.maximum(share, 1e-12) / max(prior, 1e-3)), -7.0)
            matrix[row["sector_share"]] = np.where(self.total32 > 0, lift, 0.0)
        if subject.region:
            in_region = self.deal_region.column(subject.region, n)
            matrix[row["region_deals"]] = np.log1p(in_region)
            region_prior = max(self.region_prior.get(subject.region, 0.0), 1e-3)
            region_lift = np.log(
                (in_region + smoothing * region_prior) / (self.total32 + smoothing) / region_prior
            )
            matrix[row["region_share"]] = np.where(self.total32 > 0, region_lift, 0.0)
            keys = [f"{key}@{subject.region}" for key in own]
            self.deal_sector_region.log_mean_into(matrix[row["sector_region_deals"]], keys)
        if subject.country:
            self.deal_country.log_mean_into(matrix[row["country_deals"]], [subject.country])
        self._geography(matrix, subject)
        places = [key for key in (subject.region, subject.country) if key]
        matrix[row["region_declared"]] = np.minimum(
            self.interest_places.mean_of(places, n) * len(places), 1.0
        )
        stages = target_stages(subject.stage)
        stage_deals = np.zeros(n)
        stage_declared = np.zeros(n)
        for stage, weight in stages.items():
            stage_deals += weight * self.deal_stage.column(stage, n)
            stage_declared += weight * self.interest_stages.column(stage, n)
        matrix[row["stage_deals"]] = np.log1p(stage_deals)
        self.deal_sector_recent.log_mean_into(matrix[row["sector_recent"]], own)
        sector_stage = np.zeros(n)
        for stage, weight in stages.items():
            keys = [f"{key}#{stage}" for key in own]
            sector_stage += weight * self.deal_sector_stage.mean_of(keys, n)
        matrix[row["sector_stage_deals"]] = np.log1p(sector_stage)
        matrix[row["stage_declared"]] = stage_declared
        if subject.amount_sought_usd:
            matrix[row["size_fit"]] = self._size_fit(math.log(subject.amount_sought_usd))
        matrix[row["activity"]] = self.log_activity
        matrix[row["recent"]] = self.log_recent
        matrix[row["recent_new"]] = self.log_recent_new
        matrix[row["deals_per_company"]] = self.deals_per_company
        prior_rows = self.prior_rows(subject)
        matrix[row["subject_investors"]] = math.log1p(len(self.portfolio.rows_of_item(subject.id)))
        matrix[row["subject_stage"]] = STAGES.index(subject.stage) + 1 if subject.stage in STAGES else 0
        if subject.related:
            matrix[row["shared_partners"]] = np.log1p(self.partners.shared_counts(sorted(subject.related)))
        self._timing_features(matrix, subject, own)
        self._entry_features(
            matrix, subject, own, first_round=not len(prior_rows) and subject.stage in FIRST_ROUND_STAGES
        )
        if len(prior_rows):
            self._collaborative_features(matrix, subject, prior_rows)
        return matrix

    def _timing_features(self, matrix: np.ndarray, subject: Profile, own: list[str]) -> None:
        row = FEATURE_ROWS
        matrix[row["recent_90d"]] = self.window_counts[90]
        matrix[row["recent_180d"]] = self.window_counts[180]
        matrix[row["recent_2y"]] = self.window_counts[730]
        matrix[row["recent_new_180d"]] = np.log1p(self.recent_new_180d)
        matrix[row["activity_trend"]] = self.activity_trend
        matrix[row["stage_share"]] = self._stage_share(subject.stage)
        if own:
            self.deal_sector_180d.log_mean_into(matrix[row["sector_recent_180d"]], own)
            self.new_sector_recent.log_mean_into(matrix[row["sector_new_recent"]], own)
        if subject.region:
            self.deal_region_recent.log_mean_into(matrix[row["region_recent"]], [subject.region])
            keys = [f"{key}@{subject.region}" for key in own]
            if keys:
                self.deal_sector_region_2y.log_mean_into(matrix[row["sector_region_recent"]], keys)
                self.new_sector_region_recent.log_mean_into(matrix[row["sector_region_new_recent"]], keys)

    def _stage_share(self, stage: str) -> np.ndarray:
        at_stage = sum(
            weight * self.deal_stage.column(key, self.n) for key, weight in target_stages(stage).items()
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.total32 > 0, (at_stage + 0.5) / (self.total32 + 2.0), 0.0)

    def _entry_features(
        self, matrix: np.ndarray, subject: Profile, own: list[str], first_round: bool
    ) -> None:
        """How the candidate enters companies, against how the subject raises next: a company
        without investors yet needs investors that write first checks; one with investors needs
        investors that join later rounds."""
        row = FEATURE_ROWS
        kind = "first" if first_round else "later"
        matrix[row["first_round_recent"]] = np.log1p(self.first_round_recent)
        share = self.first_round_share if first_round else 1.0 - self.first_round_share
        matrix[row["entry_fit_share"]] = np.where(self.has_entries, share, 0.0)
        if not own:
            return
        self.entries["first"].log_mean_into(matrix[row["first_round_sector"]], own)
        self.entries[kind].log_mean_into(matrix[row["entry_fit_sector"]], own)
        self.entries_recent[kind].log_mean_into(matrix[row["entry_fit_sector_recent"]], own)
        if subject.region:
            keys = [f"{key}@{subject.region}" for key in own]
            self.entries["first"].log_mean_into(matrix[row["first_round_sector_region"]], keys)
            self.entries[kind].log_mean_into(matrix[row["entry_fit_sector_region"]], keys)

    def _collaborative_features(self, matrix: np.ndarray, subject: Profile, prior_rows: np.ndarray) -> None:
        row = FEATURE_ROWS
        found = self.portfolio.co_investment(prior_rows, exclude=subject.id)
        matrix[row["co_investment"]] = found["direct"]
        matrix[row["co_invested"]] = found["max"] > 0
        matrix[row["co_investment_max"]] = found["max"]
        matrix[row["co_investment_recent"]] = found["recent"]
        matrix[row["co_investment_of_recent"]] = found["of_recent"]
        matrix[row["co_investment_idf"]] = found["idf"]
        matrix[row["co_investment_idf_per_investor"]] = found["idf"] / math.sqrt(len(prior_rows))
        matrix[row["similar_companies"]] = found["similar_items"]
        matrix[row["two_hop"]] = found["two_hop"]
        directed = self.follow_graph.signals(prior_rows, self.portfolio.degree)
        for name in ("follows", "follow_share", "leads"):
            matrix[row[name]] = directed[name]
        matrix[row["follow_on"], self.portfolio.rows_of_item(subject.id)] = 1.0

    def _size_fit(self, sought: float) -> np.ndarray:
        """1 inside the declared check range, decaying with the log distance; else vs the median."""
        with np.errstate(invalid="ignore"):
            below = np.where(np.isnan(self.check_low), np.nan, np.maximum(self.check_low - sought, 0))
            above = np.where(np.isnan(self.check_high), np.nan, np.maximum(sought - self.check_high, 0))
            declared = np.exp(-(below + above))
            revealed = np.exp(-np.abs(self.typical - sought))
        fit = np.where(np.isnan(declared), revealed, declared)
        return np.nan_to_num(fit, nan=0.0)

    def _startup_features(self, subject: Profile) -> np.ndarray:
        """Features of every candidate startup for a partner: its declared and revealed interests."""
        n = self.n
        matrix = np.zeros((len(FEATURES), n), dtype=np.float32)
        row = dict(zip(FEATURES, range(len(FEATURES)), strict=True))
        sectors = self.expand(subject.sectors)
        matrix[row["sector_declared"]] = self._declared_cosine(sectors)
        revealed: Counter[str] = Counter()
        regions: Counter[str] = Counter()
        stages: Counter[str] = Counter()
        for deal in subject.deals:
            revealed.update(self.expand(deal.sectors))
            regions[deal.region] += 1
            stages[deal.stage] += 1
        in_sector = np.zeros(n)
        for key, count in revealed.items():
            in_sector += count * self.declared.column(key, n)
        matrix[row["sector_deals"]] = np.log1p(in_sector / np.maximum(self.sector_count, 1.0))
        region_names = {code: name for name, code in self.codes["region"].items()}
        matrix[row["region_deals"]] = np.log1p(
            np.array([regions.get(region_names.get(code, ""), 0) for code in range(len(region_names))] + [0])[
                self.region
            ]
        )
        self._geography(matrix, subject)
        interest = {self.codes["region"].get(key, -2) for key in subject.regions_of_interest}
        interest_countries = {self.codes["country"].get(key, -2) for key in subject.regions_of_interest}
        matrix[row["region_declared"]] = np.isin(self.region, list(interest)) | np.isin(
            self.country, list(interest_countries)
        )
        stage_names = {code: name for name, code in self.codes["stage"].items()}
        stage_counts = np.array([stages.get(stage_names[code], 0) for code in range(len(stage_names))] + [0])
        matrix[row["stage_deals"]] = np.log1p(stage_counts[self.stage])
        wanted = [self.codes["stage"].get(key, -2) for key in subject.stages_of_interest]
        matrix[row["stage_declared"]] = np.isin(self.stage, wanted)
        low = subject.check_min_usd or subject.check_max_usd
        high = subject.check_max_usd or subject.check_min_usd
        if low:
            with np.errstate(invalid="ignore"):
                distance = np.maximum(math.log(low) - self.sought, 0) + np.maximum(
                    self.sought - math.log(high), 0
                )
            matrix[row["size_fit"]] = np.nan_to_num(np.exp(-distance), nan=0.0)
        if subject.related:
            matrix[row["shared_partners"]] = np.log1p(self.partners.shared_counts(sorted(subject.related)))
        return matrix

    # ---------------------------------------------------------------------------------- ranking
    def weight_vector(self, weights: Mapping[str, float] | None = None) -> np.ndarray:
        chosen = {**self.weights, **(weights or {})}
        return np.array([chosen[name] for name in FEATURES], dtype=np.float32)

    def eligible(
        self,
        subject: Profile,
        *,
        kinds: Iterable[str] | None = None,
        countries: Iterable[str] | None = None,
        stages: Iterable[str] | None = None,
        include_related: bool = False,
        exclude: Iterable[str] = (),
        allowed: np.ndarray | None = None,
    ) -> np.ndarray:
        """Candidates that may be suggested: the right kinds, filters, not the subject itself, and
        not organizations it already works with (unless ``include_related``); only ``allowed`` ones
        (a boolean per row, e.g. what the user may see) when given."""
        if kinds is None:
            kinds = PARTNER_KINDS if subject.kind == STARTUP_KIND else (STARTUP_KIND,)
        mask = np.isin(self.kind, [self.codes["kind"].get(kind, -2) for kind in kinds])
        if allowed is not None:
            if allowed.shape != (self.n,) or allowed.dtype != bool:
                raise ValueError("allowed must be a boolean array with one entry per indexed profile")
            mask &= allowed
        if countries:
            mask &= np.isin(self.country, [self.codes["country"].get(key, -2) for key in countries])
        if stages:
            wanted = set(stages)
            stage_codes = [self.codes["stage"].get(key, -2) for key in wanted]
            by_interest = np.zeros(self.n, dtype=bool)
            for key in wanted:
                by_interest[self.interest_stages.columns.get(key, (np.zeros(0, dtype=np.int64),))[0]] = True
            mask &= np.isin(self.stage, stage_codes) | by_interest
        if subject.id in self.row_of:
            mask[self.row_of[subject.id]] = False
        if not include_related:
            mask[self.prior_rows(subject)] = False
        for key in exclude:
            if key in self.row_of:
                mask[self.row_of[key]] = False
        return mask

    def similarity_to(self, row: int) -> np.ndarray:
        """How alike every candidate is to candidate ``row``, in [0, 1]: by sector profile (declared
        and revealed), place, co-investment, and text vectors when the index has them."""
        sector = np.zeros(self.n)
        for key, value in self.sector_vectors[row].items():
            rows, values = self.profile_sectors.columns[key]
            sector[rows] += values * value
        place = (self.region == self.region[row]) & (self.region >= 0)
        co = self.portfolio.similar_to([row], cosine=True)
        parts = [(0.5, sector), (0.2, place.astype(np.float64)), (0.3, np.minimum(co, 1.0))]
        if self.text_vectors is not None:
            parts.append((0.5, np.clip(self.text_vectors @ self.text_vectors[row], 0, 1)))
        total = sum(weight for weight, _ in parts)
        similarity = sum(weight * part for weight, part in parts) / total
        similarity[row] = 1.0
        return similarity

    def scores(
        self,
        subject: str | Profile,
        *,
        eligible: np.ndarray | None = None,
        text_scores=None,
        feedback: Mapping[str, bool] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> Scored:
        """Every candidate's score, in two stages.

        The linear score (``weights``) ranks all candidates; with a re-ranking model
        (``self.reranker``, see rerank.py), its ``rerank.POOL_SIZE`` best ``eligible`` ones
        (default: all) get the model's scaled output added, and are placed above every other
        candidate. A feedback mark moves candidates in both stages alike.
        """
        matrix = self.features(subject, text_scores)
        vector = self.weight_vector(weights)
        scores = vector @ matrix
        adjustment = np.zeros(self.n)
        if feedback:
            spread = float(np.percentile(scores, 99) - np.percentile(scores, 50)) or 1.0
            for key, relevant in feedback.items():
                row = self.row_of.get(key)
                if row is None:
                    continue
                adjustment += (
                    (1.0 if relevant else -1.0) * FEEDBACK_STRENGTH * spread * self.similarity_to(row)
                )
                if not relevant:
                    adjustment[row] -= 10.0 * spread  # the marked candidate itself goes to the bottom
        scores = scores + adjustment
        pool = np.zeros(0, dtype=np.int64)
        rows = np.flatnonzero(eligible) if eligible is not None else np.arange(self.n)
        if self.reranker is not None and len(rows):
            from .rerank import POOL_SIZE, RERANK_ROWS

            pool = best_rows(scores, rows, POOL_SIZE)
            learned = self.reranker.scores(np.ascontiguousarray(matrix[np.ix_(RERANK_ROWS, pool)].T))
            pooled = scores[pool] + learned
            rest = np.ones(self.n, dtype=bool)
            rest[pool] = False
            if rest.any():
                gap = float(scores[rest].max() - pooled.min())
                if gap >= 0:
                    scores[rest] -= gap + 1.0
            scores[pool] = pooled
        return Scored(scores, matrix, adjustment, pool)

    def contributions(
        self, matrix: np.ndarray, rows: Sequence[int], pool: np.ndarray, weights: Mapping[str, float] | None
    ) -> np.ndarray:
        """What each feature added to the score of each of ``rows`` (rows × FEATURES): the weighted
        features, plus for the re-ranked candidates the model's per-feature contributions. The
        subject's own context features explain nothing about a candidate and count 0."""
        vector = self.weight_vector(weights)
        found = (vector[:, None] * matrix[:, list(rows)]).T.astype(np.float64)
        if self.reranker is not None and len(pool):
            from .rerank import RERANK_ROWS

            reranked = np.flatnonzero(np.isin(np.asarray(rows, dtype=np.int64), pool))
            if len(reranked):
                chosen = np.asarray(rows, dtype=np.int64)[reranked]
                values = self.reranker.contributions(
                    np.ascontiguousarray(matrix[np.ix_(RERANK_ROWS, chosen)].T)
                )
                found[np.ix_(reranked, RERANK_ROWS)] += values
        found[:, [FEATURE_ROWS[name] for name in SUBJECT_FEATURES]] = 0.0
        return found

    @one_thread
    def recommend(
        self,
        subject: str | Profile,
        k: int = 10,
        *,
        kinds: Iterable[str] | None = None,
        countries: Iterable[str] | None = None,
        stages: Iterable[str] | None = None,
        include_related: bool = False,
        exclude: Iterable[str] = (),
        allowed: np.ndarray | None = None,
        text_scores: Mapping[str, float] | np.ndarray | None = None,
        feedback: Mapping[str, bool] | None = None,
        weights: Mapping[str, float] | None = None,
        with_reasons: bool = True,
    ) -> list[Recommendation]:
        """The ``k`` best candidates for ``subject`` (an indexed id, or a Profile not indexed).

        ``text_scores`` is the text engine's similarity per candidate id (or an array in index
        order); ``feedback`` maps candidate ids to the requesting user's marks (True: relevant).
        """
        subject = self.subject_profile(subject)
        mask = self.eligible(
            subject,
            kinds=kinds,
            countries=countries,
            stages=stages,
            include_related=include_related,
            exclude=exclude,
            allowed=allowed,
        )
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return []
        scores, matrix, adjustment, pool = self.scores(
            subject, eligible=mask, text_scores=text_scores, feedback=feedback, weights=weights
        )
        ranked = scores[candidates]
        k = min(k, len(candidates))
        top = np.argpartition(-ranked, k - 1)[:k]
        top = top[np.lexsort((-self.log_activity[candidates[top]], -ranked[top]))]
        rows = [int(candidates[position]) for position in top]
        contributions = self.contributions(matrix, rows, pool, weights) if with_reasons else None
        found = []
        for number, row in enumerate(rows):
            reasons = (
                self.reasons(subject, row, contributions[number], float(adjustment[row]))
                if with_reasons
                else ()
            )
            found.append(Recommendation(self.profiles[row].id, float(scores[row]), tuple(reasons)))
        return found

    # ---------------------------------------------------------------------------------- reasons
    def reasons(
        self, subject: Profile, row: int, contributions: np.ndarray, adjustment: float
    ) -> list[Reason]:
        """The facts behind candidate ``row``'s score, strongest first, in both languages."""
        candidate = self.profiles[row]
        share = dict(zip(FEATURES, contributions.tolist(), strict=True))
        total = sum(value for value in share.values() if value > 0) or 1.0

        def weight(*names: str) -> float:
            return round(sum(max(share[name], 0.0) for name in names) / total, 3)

        found: list[Reason] = []
        history = weight(*PLACE_HISTORY_FEATURES, "activity", "recent", "recent_new", *HISTORY_FEATURES)
        if candidate.deals and history > 0:
            found.append(self._deal_history(subject, candidate, history))
        timing = weight(*TIMING_FEATURES)
        if timing > 0:
            found.extend(self._activity(row, timing))
        entry = weight(*ENTRY_FEATURES)
        if entry > 0:
            found.extend(self._entry(subject, candidate, entry))
        collaborative = weight("co_investment", *COLLABORATIVE_FEATURES)
        if collaborative > 0:
            direct = self._co_investment(subject, row, collaborative)
            found.extend(direct or [text.similar_companies(collaborative)])
        if share["follow_on"] > 0:
            found.append(text.follow_on(weight("follow_on")))
        if share["shared_partners"] > 0:
            shared = sorted(subject.related & candidate.related)
            names = [self._name(key) for key in shared]
            found.append(text.shared_partners(names, weight("shared_partners")))
        if share["sector_declared"] > 0:
            own, _ = self.split_sectors(self.expand(subject.sectors) & self.expand(candidate.sectors))
            found.append(text.sectors(self.labels, own[:3], weight("sector_declared")))
        if share["same_region"] > 0 or share["same_country"] > 0:
            key = candidate.region if share["same_region"] > 0 else candidate.country
            found.append(text.place(self.labels, key, weight("same_region", "same_country")))
        if share["region_declared"] > 0:
            place = subject.region if subject.region in candidate.regions_of_interest else subject.country
            if subject.kind != STARTUP_KIND:
                place = candidate.region or candidate.country
            found.append(text.place_of_interest(self.labels, place, weight("region_declared")))
        if share["stage_declared"] > 0:
            stage = subject.stage if subject.kind == STARTUP_KIND else candidate.stage
            interest = (
                candidate.stages_of_interest if subject.kind == STARTUP_KIND else subject.stages_of_interest
            )
            stage = stage if stage in interest else next(iter(sorted(interest)), stage)
            found.append(text.stage(self.labels, stage, weight("stage_declared")))
        if share["size_fit"] > 0:
            found.append(self._check_size(subject, candidate, weight("size_fit")))
        if share["text"] > 0:
            found.append(text.text_similarity(weight("text")))
        if adjustment > 0:
            found.append(text.feedback(0.0))
        if not found:
            found.append(text.no_specific_fit())
        return sorted(found, key=lambda reason: -reason.weight)

    def _name(self, key: str) -> str:
        row = self.row_of.get(key)
        if row is None:
            return key
        profile = self.profiles[row]
        return profile.name_en or profile.name_ko or key

    def _deal_history(self, subject: Profile, candidate: Profile, weight: float) -> Reason:
        own, _ = self.split_sectors(subject.sectors)
        sector = own[0] if own else None
        in_sector = [deal for deal in candidate.deals if sector and sector in self.expand(deal.sectors)]
        basis = in_sector or list(candidate.deals)
        companies = {deal.company for deal in basis}
        in_region = {deal.company for deal in basis if subject.region and deal.region == subject.region}
        stages = Counter(deal.stage for deal in basis if deal.stage)
        stage = stages.most_common(1)[0][0] if stages else None
        return text.deal_history(
            self.labels,
            sector if in_sector else None,
            len(companies),
            len({deal.company for deal in candidate.deals}),
            subject.region or None,
            len(in_region),
            stage,
            weight,
        )

    def _co_investment(self, subject: Profile, row: int, weight: float) -> list[Reason]:
        best, shared = None, 0
        for prior in self.prior_rows(subject):
            count = self.portfolio.shared_with(row, int(prior))
            if count > shared:
                best, shared = int(prior), count
        if best is None:
            return []
        return [text.co_investment(self._name(self.profiles[best].id), shared, weight)]

    def _activity(self, row: int, weight: float) -> list[Reason]:
        last_year = int(self.recent[row])
        if last_year:
            return [text.activity(last_year, weight)]
        two_years = int(round(math.expm1(float(self.window_counts[730][row]))))
        return [text.activity(two_years, weight, years=2)] if two_years else []

    def _entry(self, subject: Profile, candidate: Profile, weight: float) -> list[Reason]:
        """Counts the candidate's entries of the subject's kind (first round or later) in the
        subject's first own sector, and in its region: the facts the entry features measured."""
        first_round = not len(self.prior_rows(subject)) and subject.stage in FIRST_ROUND_STAGES
        own, _ = self.split_sectors(subject.sectors)
        sector = own[0] if own else None
        entered: dict[str, Deal] = {}
        for deal in candidate.deals:
            if deal.on and (deal.company not in entered or deal.on < entered[deal.company].on):
                entered[deal.company] = deal
        matching = [
            deal
            for deal in entered.values()
            if ((deal.on - self.first_known[deal.company]).days <= FIRST_ROUND_DAYS) == first_round
            and (sector is None or sector in self.expand(deal.sectors))
        ]
        if not matching:
            return []
        in_region = sum(1 for deal in matching if subject.region and deal.region == subject.region)
        return [
            text.entry(
                self.labels, sector, len(matching), subject.region or None, in_region, first_round, weight
            )
        ]

    def _check_size(self, subject: Profile, candidate: Profile, weight: float) -> Reason:
        if subject.kind == STARTUP_KIND:
            sought = subject.amount_sought_usd or 0.0
            low, high = candidate.check_min_usd, candidate.check_max_usd
            if not (low or high):
                amounts = [deal.amount_usd for deal in candidate.deals if deal.amount_usd]
                low = high = float(np.median(amounts)) if amounts else 0.0
        else:
            sought = candidate.amount_sought_usd or 0.0
            low, high = subject.check_min_usd, subject.check_max_usd
        low = low or high or 0.0
        high = high or low
        return text.check_size(low, high, sought, weight)
