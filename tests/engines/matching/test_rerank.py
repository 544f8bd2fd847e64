"""The learned re-ranking stage: training, scoring, explanations, the shipped model."""

import json

import numpy as np
import pytest

from dari.engines.matching import rerank
from dari.engines.matching.recommend import FEATURES
from dari.engines.matching.rerank import RERANK_FEATURES, Reranker

FOLLOWS = RERANK_FEATURES.index("follows")


def groups(count: int, seed: int) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Pools of 40 where the one relevant candidate follows the company's investors more."""
    generator = np.random.default_rng(seed)
    found = []
    for _ in range(count):
        matrix = generator.normal(size=(40, len(RERANK_FEATURES))).astype(np.float32)
        labels = np.zeros(40, dtype=bool)
        labels[generator.integers(40)] = True
        matrix[labels, FOLLOWS] += 3.0
        found.append((matrix, labels, generator.normal(size=40)))
    return found


@pytest.fixture(scope="module")
def trained() -> Reranker:
    return Reranker.train(groups(60, seed=0), rounds=40, threads=1, meta={"cutoff": "2011-01-01"})


def test_the_model_learns_the_feature_that_separates_relevant_candidates(trained):
    reciprocal = [
        1.0 / (1 + int((trained.scores(matrix) > trained.scores(matrix)[labels][0]).sum()))
        for matrix, labels, _ in groups(30, seed=1)
    ]
    assert np.mean(reciprocal) > 0.8  # chance would be about 0.1
    assert trained.scale > 0
    assert trained.meta["companies"] == 60


def test_contributions_explain_the_score_and_name_the_deciding_feature(trained):
    matrix, labels, _ = groups(1, seed=2)[0]
    contributions = trained.contributions(matrix)
    raw = trained.boosters[0].predict(matrix, pred_contrib=True)
    assert contributions.shape == (40, len(RERANK_FEATURES))
    first = trained.scale * trained.boosters[0].predict(matrix)
    assert np.allclose(contributions.sum(axis=1) + trained.scale * raw[:, -1], first)
    relevant = contributions[labels][0]
    assert int(np.argmax(relevant)) == FOLLOWS


def test_saved_model_scores_the_same_and_refuses_other_features(trained, tmp_path):
    path = tmp_path / "model.json"
    trained.save(path)
    assert sorted(file.name for file in tmp_path.iterdir()) == [
        "model-1.txt",
        "model-2.txt",
        "model-3.txt",
        "model.json",
    ]
    matrix = groups(1, seed=3)[0][0]
    loaded = Reranker.load(path)
    assert np.allclose(loaded.scores(matrix), trained.scores(matrix))
    assert loaded.meta["cutoff"] == "2011-01-01"

    meta = json.loads(path.read_text())
    path.write_text(json.dumps({**meta, "features": meta["features"][:-1]}))
    with pytest.raises(ValueError, match="other features"):
        Reranker.load(path)


def test_groups_without_a_relevant_candidate_cannot_train():
    matrix = np.zeros((5, len(RERANK_FEATURES)), dtype=np.float32)
    with pytest.raises(ValueError, match="nothing to learn"):
        Reranker.train([(matrix, np.zeros(5, dtype=bool), np.zeros(5))])


def test_the_shipped_model_was_learned_before_the_reported_period_on_the_current_features():
    model = rerank.shipped()
    assert model is not None
    assert model.meta["cutoff"] < "2012-01-01"  # never trained on the reported 2012 split
    assert set(RERANK_FEATURES) <= set(FEATURES) and "follow_on" not in RERANK_FEATURES
