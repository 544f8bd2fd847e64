"""Queries compute on one core.

numpy hands its matrix-vector products to OpenBLAS, which splits even small ones across every core.
A web server runs several processes on a shared machine: when another process holds the second
core, each product waits for it. On the 100,000-organization benchmark (benchmarks/recommend_speed.py)
with one core kept busy by another process, suggestions took p95 49.9 ms with OpenBLAS's threads and
26.9 ms with one thread; with the machine to itself, 25.1 ms and 26.1 ms. So every query method of
the engine runs under ``one_thread``. Building an index, which encodes thousands of texts, keeps
every core when no query runs beside it.

OpenBLAS's thread count is one setting for the whole process, not per thread, and threadpoolctl's
own limits are made for one thread at a time: overlapping limits in a threaded server could leave
the count at one for good (the second query to enter saves the limited count and restores it last).
So the first query to enter saves the counts and sets one thread, and the last to leave restores
them, under one lock; threadpoolctl's public per-library setters do the setting (the claim on
OpenBLAS it keeps per Python thread is released around each change, since the query that sets and
the one that restores may run in different threads).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

from threadpoolctl import OpenBLASController, ThreadpoolController

Function = TypeVar("Function", bound=Callable)

_lock = threading.Lock()
_running = 0
_saved: list[tuple[object, int]] = []  # (library, its thread count before the first query entered)


@functools.cache
def _libraries() -> list:
    """numpy's BLAS libraries, as threadpoolctl finds them once (numpy is loaded by then)."""
    return [library for library in ThreadpoolController().lib_controllers if library.user_api == "blas"]


def _set(counts: list[tuple[object, int]]) -> None:
    OpenBLASController.clear_controlling_thread(force=True)
    for library, count in counts:
        library.set_num_threads(count)
    OpenBLASController.clear_controlling_thread(force=True)


def _enter() -> None:
    global _running, _saved
    with _lock:
        if _running == 0:
            _saved = [(library, library.get_num_threads()) for library in _libraries()]
            _set([(library, 1) for library, _count in _saved])
        _running += 1


def _leave() -> None:
    global _running
    with _lock:
        _running -= 1
        if _running == 0:
            _set(_saved)


def one_thread(method: Function) -> Function:
    """Run ``method`` with BLAS limited to one thread while any such method runs in the process."""

    @functools.wraps(method)
    def limited(*args, **kwargs):
        _enter()
        try:
            return method(*args, **kwargs)
        finally:
            _leave()

    return limited  # type: ignore[return-value]
