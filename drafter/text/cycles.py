"""Pausing the garbage collector's cycle passes around work that makes many objects and no cycles."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle passes, and restore them as they were (memory is still freed by reference counting).

    An alignment or a compilation of some thousands of proposals makes tens of thousands of objects
    that all live until it returns; the collector's passes over them (and over everything the process
    holds) found nothing and took a quarter of a compilation page's time. Threads that pause at once
    are safe: only a pause that found the passes on turns them back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_cycle_collection(fn: F) -> F:
    """Return ``fn`` run with the cycle passes paused."""

    @functools.wraps(fn)
    def paused(*args: Any, **kwargs: Any) -> Any:
        with no_cycle_collection():
            return fn(*args, **kwargs)

    return paused  # type: ignore[return-value]
