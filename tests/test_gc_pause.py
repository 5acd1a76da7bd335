"""The garbage collector is paused only while replies are read, and always resumed."""

from __future__ import annotations

import gc
import threading

import pytest

from graph.errors import QueryError
from graph.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_and_resumed_after():
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_reads_share_one_pause():
    inner_started, outer_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_reader() -> None:
        with gc_paused():
            inner_started.set()
            outer_done.wait(5)
            seen.append(gc.isenabled())  # the first reader has finished: still paused for us

    thread = threading.Thread(target=other_reader)
    with gc_paused():
        thread.start()
        inner_started.wait(5)
    outer_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_host_stays_off():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_store_reads_resume_the_collector_even_when_they_fail(store):
    store.write("CREATE (:Agency {id: 'a'})")
    assert store.read("MATCH (n) RETURN n").rows
    assert gc.isenabled()
    with pytest.raises(QueryError):
        store.read("MATCH (n RETURN n")
    assert gc.isenabled()


def test_a_pause_that_leaves_bulk_data_alive_hands_it_out_of_the_collectors_sight():
    gc.collect()
    frozen = gc.get_freeze_count()
    with gc_paused():
        small = [[] for _ in range(10)]
    assert gc.get_freeze_count() == frozen  # nothing big: the collector sees it as usual
    with gc_paused():
        kept = [[] for _ in range(150_000)]
    try:
        assert gc.get_freeze_count() >= frozen + len(kept)
        assert gc.get_count()[0] < 1_000  # the next collection does not walk them
        assert gc.isenabled()
    finally:
        del kept, small
        gc.unfreeze()
