"""Keeping large builds linear in Python."""
from __future__ import annotations

import contextlib
import functools
import gc
from typing import Callable, Iterator, TypeVar

T = TypeVar("T", bound=Callable)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while millions of objects are built.

    Each generational pass rescans the objects that survived earlier ones, so building a
    million quads or rows with the collector on costs more per object the more there are
    (1M triples: build 5.8 s -> 3.3 s, mapping 7.8 s -> 4.7 s without it). What these steps
    build holds no reference cycles; reference counting frees it as usual, and the collector
    resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_collector(function: T) -> T:
    """Decorator form of :func:`collector_paused`."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with collector_paused():
            return function(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


__all__ = ["collector_paused", "without_collector"]
