"""Derived states updated for what a load touches (graph/derived.py: each state's
`refresh(store, touched)`): after loads that change one source's tasks, status changes,
agencies, documents and meetings, that add and remove dependencies, and after a retraction,
the state the loader updated is exactly the one a full rebuild computes (a full refresh after
it writes nothing), and the loader never ran the full rebuild to get it."""

from __future__ import annotations

import csv
import shutil
from collections import Counter

import pytest

from graph import blocking_state, change_state, cypher, derived, task_state
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths, retract_source
from tests.conftest import scratch_graph
from tests.test_blocking_state import rewrite

COUNTRY = GenerateConfig(provinces=4, communes=24, tasks=300, experts=10)


def stored(store) -> dict[str, str]:
    rows = blocking_state.derived_store(store).read(cypher.DERIVED_ALL).rows
    assert len({(row["law"], row["part"]) for row in rows}) == len(rows)
    return blocking_state.stored(blocking_state.derived_store(store))


def snapshot(store) -> list[str]:
    """Every node of the derived graph but the stamps (which change with every write)."""
    rows = blocking_state.derived_store(store).read(
        "MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS p").rows
    return sorted(repr(sorted(row["p"].items())) for row in rows if "Stamp" not in row["label"])


def assert_as_a_full_rebuild(store) -> None:
    assert all(state.is_current(store) for state in derived.STATES)
    assert stored(store) == blocking_state.joined(blocking_state.compute(store))
    written = {state.__name__: state.refresh(store) for state in derived.STATES}
    assert written == {state.__name__: 0 for state in derived.STATES}


FULL = {blocking_state: blocking_state.compute, change_state: change_state.compute,
        task_state: task_state.compute}


def forbid_full_rebuilds(monkeypatch) -> None:
    """Make each state's computation of the whole graph fail (what is computed for some
    tasks only still runs)."""
    def refuse(name, compute):
        def guarded(store, task_ids=None, *rest):
            if name == "task_state" and task_ids is not None:
                return compute(store, task_ids, *rest)
            raise AssertionError(f"the loader rebuilt the whole {name}")
        return guarded
    for state, compute in FULL.items():
        monkeypatch.setattr(state, "compute", refuse(state.__name__.rpartition(".")[2], compute))


def allow_full_rebuilds(monkeypatch) -> None:
    for state, compute in FULL.items():
        monkeypatch.setattr(state, "compute", compute)


def column(path, name) -> list[str]:
    return [row[name] for row in csv.DictReader(path.open(encoding="utf-8"))]


@pytest.fixture
def country(tmp_path):
    folder = tmp_path / "country"
    generate(folder, COUNTRY)
    return folder


def test_the_updated_state_is_the_full_rebuild_through_loads_and_a_retraction(
        server, country, tmp_path, monkeypatch):
    with scratch_graph(server) as store:
        load_paths([country], store)  # a first load: nothing was current, a full build
        assert_as_a_full_rebuild(store)

        files = tmp_path / "files"
        shutil.copytree(country, files)
        sources = Counter(column(files / "Task.csv", "sources"))
        one = next(source for source, _ in sources.most_common() if "-tw-" not in source)
        mine = {row["id"] for row in csv.DictReader((files / "Task.csv").open(encoding="utf-8"))
                if row["sources"] == one}
        laws = column(files / "Law.csv", "id")

        def one_source_tasks(rows):
            for i, row in enumerate(rows):
                if row["id"] in mine and i % 2:
                    row["deadline"] = "2025-08-31" if i % 4 == 1 else ""
                    row["name"] += " (sửa)"
            return rows

        def statuses(rows):  # a property of status changes only: no relationship changes
            for i, row in enumerate(rows):
                if row["id"].startswith("syn-task-") and i % 5 == 0:
                    row["status"] = "done" if row["status"] != "done" else "partial"
            return rows

        def agencies(rows):
            return [{**row, "name": row["name"] + " (mới)"} if i % 3 == 0 else row
                    for i, row in enumerate(rows)]

        def dated(field, day, every):  # earlier than any: the tasks' assignment dates move
            def change(rows):
                return [{**row, field: day} if i % every == 0 else row for i, row in enumerate(rows)]
            return change

        def depends(rows):
            kept = [row for i, row in enumerate(rows) if i % 4 != 1]
            added = [{**rows[0], "from": task, "to": laws[i % len(laws)]}
                     for i, task in enumerate(sorted(mine)[::3])]
            return kept + added

        def law_statuses(rows):  # a law's early record (never its latest): its dated status moves
            latest: dict[str, str] = {}
            for row in rows:
                law = row["id"].partition("--")[0]
                latest[law] = max(latest.get(law, ""), row["on"])
            return [{**row, "status": "stalled"} if row["id"].startswith("syn-law-")
                    and row["status"] == "drafting" and row["on"] < latest[row["id"].partition("--")[0]]
                    else row for row in rows]

        steps = [("Task.csv", one_source_tasks), ("StatusChange.csv", law_statuses),
                 ("StatusChange.csv", statuses),
                 ("Agency.csv", agencies), ("Document.csv", dated("issued_on", "2024-11-02", 2)),
                 ("Meeting.csv", dated("held_on", "2024-01-05", 1)), ("DEPENDS_ON.csv", depends)]
        for name, change in steps:
            rewrite(files / name, change)
            before = snapshot(store)
            forbid_full_rebuilds(monkeypatch)
            report = load_paths([files], store)
            allow_full_rebuilds(monkeypatch)
            assert report.changes, name
            assert_as_a_full_rebuild(store)
            assert snapshot(store) != before, f"{name} changed no state: the test shows nothing"

        forbid_full_rebuilds(monkeypatch)
        retract_source(one, store)
        allow_full_rebuilds(monkeypatch)
        assert_as_a_full_rebuild(store)
        assert not mine & {row["id"] for row in store.read("MATCH (t:Task) RETURN t.id AS id").rows}


def test_a_state_not_current_before_a_load_is_rebuilt_whole(server, country, tmp_path):
    """A load killed before its state was stamped: the next load cannot know what that one
    touched, so it rebuilds everything (and the result is the full rebuild's)."""
    with scratch_graph(server) as store:
        load_paths([country], store)
        blocking_state.derived_store(store).write(
            "MATCH (b:Blocks) WITH b LIMIT 3 SET b.blocks = ''")  # as a half-done update leaves it
        blocking_state.clear(store)
        assert not derived.current(store)
        rewrite(country / "Agency.csv", lambda rows: [{**rows[0], "name": "Tên mới"}, *rows[1:]])
        load_paths([country], store)
        assert_as_a_full_rebuild(store)
