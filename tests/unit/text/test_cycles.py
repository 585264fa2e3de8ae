"""The cycle passes are paused around heavy work and restored as they were."""

from __future__ import annotations

import gc
import threading

import pytest

from drafter.text.cycles import no_cycle_collection, without_cycle_collection


@pytest.fixture(autouse=True)
def _restore():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_restored_after_even_on_error():
    gc.enable()
    with pytest.raises(ValueError), no_cycle_collection():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_pause_that_found_the_passes_off_leaves_them_off():
    gc.disable()
    with no_cycle_collection():
        pass
    assert not gc.isenabled()


def test_the_decorated_function_answers_and_the_passes_come_back():
    gc.enable()
    seen = []

    @without_cycle_collection
    def work(x: int) -> int:
        seen.append(gc.isenabled())
        return x * 2

    assert work(21) == 42
    assert seen == [False]
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_end_with_the_passes_on():
    gc.enable()
    start, inner_done = threading.Event(), threading.Event()

    def second():
        start.wait()
        with no_cycle_collection():  # finds the passes off: the first pause owns them
            inner_done.wait()

    t = threading.Thread(target=second)
    t.start()
    with no_cycle_collection():
        start.set()
    inner_done.set()
    t.join()
    assert gc.isenabled()
