"""Queries keep numpy's BLAS to one thread (threads.py), and give the threads back after."""

import threading

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


def test_overlapping_queries_in_threads_stay_limited_until_the_last_leaves_then_restore():
    before = blas_threads()
    seen = {}
    first_inside, second_inside, first_left = threading.Event(), threading.Event(), threading.Event()

    @one_thread
    def alone():
        seen["alone"] = blas_threads()

    @one_thread
    def first():
        seen["first"] = blas_threads()
        first_inside.set()
        second_inside.wait(5)

    @one_thread
    def second():
        second_inside.set()
        first_left.wait(5)
        seen["second, after the first left"] = blas_threads()

    worker = threading.Thread(target=alone)
    worker.start()
    worker.join(5)
    one = threading.Thread(target=first)
    two = threading.Thread(target=lambda: (first_inside.wait(5), second()))
    one.start()
    two.start()
    one.join(5)
    first_left.set()
    two.join(5)

    assert set(seen["alone"]) == {1} and set(seen["first"]) == {1}
    assert set(seen["second, after the first left"]) == {1}
    assert blas_threads() == before
    # And the main thread can still take the limit afterwards (control was released).
    assert set(one_thread(blas_threads)()) == {1}
