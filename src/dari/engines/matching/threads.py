"""Queries compute on one core.

numpy hands its matrix-vector products to OpenBLAS, which splits even small ones across every core.
A web server runs several processes on a shared machine: when another process holds the second
core, each product waits for it. On the 100,000-organization benchmark (benchmarks/recommend_speed.py)
with one core kept busy by another process, suggestions took p95 49.9 ms with OpenBLAS's threads and
26.9 ms with one thread; with the machine to itself, 25.1 ms and 26.1 ms. So every query method of
the engine runs under ``one_thread`` (~0.2 ms to enter: threadpoolctl's controller is made once).
Building an index, which encodes thousands of texts, keeps every core.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from threadpoolctl import ThreadpoolController

Function = TypeVar("Function", bound=Callable)


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_thread(method: Function) -> Function:
    """Run ``method`` with BLAS limited to one thread (restored after; nesting is harmless)."""

    @functools.wraps(method)
    def limited(*args, **kwargs):
        with _controller().limit(limits=1, user_api="blas"):
            return method(*args, **kwargs)

    return limited  # type: ignore[return-value]
