"""Queries keep numpy's BLAS to one thread (threads.py), and give the threads back after."""

from threadpoolctl import threadpool_info

from dari.engines.matching.recommend import RecommendationIndex
from dari.engines.matching.search import SearchIndex
from dari.engines.matching.threads import one_thread


def blas_threads() -> list[int]:
    return [library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"]


def test_a_query_method_runs_with_one_blas_thread_and_restores_the_rest():
    before = blas_threads()
    assert before, "numpy's BLAS should be visible to threadpoolctl"

    @one_thread
    def probe():
        return blas_threads()

    assert set(probe()) == {1}
    assert blas_threads() == before


def test_the_engines_query_methods_are_limited():
    for method in (RecommendationIndex.recommend, SearchIndex.search, SearchIndex.similarities):
        assert method.__wrapped__ is not None
