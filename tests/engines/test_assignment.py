"""The reviewer assignment (``dari.engines.assignment``), as properties over random panels: every
application gets exactly N reviews, loads differ by at most one, no conflict is assigned, and a
request that cannot be met raises ``Impossible`` instead of returning part of an answer."""

from itertools import combinations, product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dari.engines.assignment import Impossible, Request, assign, loads_of


@st.composite
def panels(draw):
    applications = list(range(draw(st.integers(1, 25))))
    reviewers = [f"r{index}" for index in range(draw(st.integers(1, 9)))]
    per_application = draw(st.integers(1, 4))
    pairs = [(application, reviewer) for application in applications for reviewer in reviewers]
    conflicts = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs) // 3)) if pairs else set()
    affinity = draw(st.dictionaries(st.sampled_from(pairs), st.integers(-2, 2), max_size=10))
    return Request(applications, reviewers, per_application, conflicts=conflicts, affinity=affinity)


def feasible_by_brute_force(request: Request) -> bool:
    """Whether some assignment meets the request, trying every choice of reviewers (tiny panels)."""
    choices = [
        [
            group
            for group in combinations(request.reviewers, request.per_application)
            if not any((application, reviewer) in request.conflicts for reviewer in group)
        ]
        for application in request.applications
    ]
    for picked in product(*choices):
        loads = {reviewer: 0 for reviewer in request.reviewers}
        for group in picked:
            for reviewer in group:
                loads[reviewer] += 1
        if max(loads.values()) - min(loads.values()) <= 1:
            return True
    return False


@st.composite
def tiny_panels(draw):
    applications = list(range(draw(st.integers(1, 4))))
    reviewers = list(range(draw(st.integers(1, 4))))
    pairs = [(application, reviewer) for application in applications for reviewer in reviewers]
    conflicts = draw(st.sets(st.sampled_from(pairs)))
    return Request(applications, reviewers, draw(st.integers(1, 2)), conflicts=conflicts)


@settings(max_examples=300, deadline=None)
@given(tiny_panels())
def test_refuses_exactly_the_requests_no_assignment_meets(request):
    try:
        assign(request)
    except Impossible:
        assert not feasible_by_brute_force(request)
    else:
        assert feasible_by_brute_force(request)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_every_application_gets_exactly_n_balanced_and_no_conflict(request):
    try:
        pairs = assign(request)
    except Impossible as error:
        # Refused only when it really cannot be done: some application lacks unconflicted reviewers,
        # or some reviewer cannot reach a balanced load.
        assert error.application is not None or error.reviewer is not None
        return
    assert len(pairs) == len(set(pairs))
    for application in request.applications:
        assert sum(1 for pair in pairs if pair[0] == application) == request.per_application
    assert not set(pairs) & request.conflicts
    loads = {reviewer: 0 for reviewer in request.reviewers} | loads_of(pairs)
    assert max(loads.values()) - min(loads.values()) <= 1


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.integers(1, 8), st.integers(1, 8))
def test_without_conflicts_it_succeeds_whenever_there_are_enough_reviewers(apps, reviewers, n):
    request = Request(list(range(apps)), list(range(reviewers)), n)
    if n > reviewers:
        with pytest.raises(Impossible):
            assign(request)
        return
    pairs = assign(request)
    assert len(pairs) == apps * n
    loads = loads_of(pairs)
    assert set(loads) <= set(range(reviewers))
    counts = [loads.get(reviewer, 0) for reviewer in range(reviewers)]
    assert max(counts) - min(counts) <= 1


def test_too_few_unconflicted_reviewers_is_reported_for_the_application():
    request = Request(["a", "b"], ["x", "y", "z"], 2, conflicts={("b", "x"), ("b", "y")})
    with pytest.raises(Impossible) as raised:
        assign(request)
    assert raised.value.application == "b"
    assert raised.value.eligible == 1


def test_a_reviewer_conflicted_with_everything_makes_balance_impossible():
    # Four reviews for three reviewers: one or two each, but z may review neither application.
    request = Request(["a", "b"], ["x", "y", "z"], 2, conflicts={("a", "z"), ("b", "z")})
    with pytest.raises(Impossible) as raised:
        assign(request)
    assert raised.value.reviewer == "z"


def test_the_greedy_choice_is_repaired_by_moving_reviews():
    # Greedy would give "a" to x (preferred); only x may review "b": the path moves "a" to y.
    request = Request(["a", "b"], ["x", "y"], 1, conflicts={("b", "y")}, affinity={("a", "x"): 5})
    assert sorted(assign(request)) == [("a", "y"), ("b", "x")]


def test_preferences_are_followed_when_balance_allows():
    request = Request(["a", "b"], ["x", "y"], 1, affinity={("a", "y"): 1, ("b", "x"): 1, ("a", "x"): -1})
    assert sorted(assign(request)) == [("a", "y"), ("b", "x")]


def test_existing_reviews_count_and_are_kept():
    request = Request(["a", "b"], ["x", "y"], 2, existing={("a", "x")})
    pairs = assign(request)
    assert sorted(pairs) == [("a", "y"), ("b", "x"), ("b", "y")]
    assert loads_of([*pairs, ("a", "x")]) == {"x": 2, "y": 2}


def test_a_reviewer_already_over_the_share_takes_no_new_review():
    existing = {("a", "x"), ("b", "x"), ("c", "x")}
    request = Request(["a", "b", "c", "d"], ["x", "y", "z"], 1, existing=existing)
    assert assign(request) == [("d", "y")]
