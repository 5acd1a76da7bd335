"""The derived blocking state (graph/blocking_state.py) and the whole answers joined from it
(queries/blocking_answer.py: CSV and NDJSON, full and lean) against the definition, the Cypher
of `queries/blocking-laws.cypher`: the same rows in the same order on many dates, after a first
load, after loads that add, change and remove dependencies, and after a retraction; and where
the state is missing, the Cypher answers.
"""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from api.row_stream import _encode
from graph import blocking_state
from loaders.check import check_graph
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths, retract_source
from queries import blocking_answer, get_query
from tests.conftest import scratch_graph

COUNTRY = GenerateConfig(provinces=4, communes=24, tasks=300, experts=10)
DATES = ("2024-12-01", "2025-01-15", "2025-03-01", "2025-04-15", "2025-05-22", "2025-06-20",
         "2025-07-02", "2025-08-15", "2025-10-01", "2025-12-01", "2026-01-15", "2026-03-01",
         "2026-06-30", "2027-01-01")
LEAN = blocking_state.LEAN_COLUMNS


def reference(store, as_of: str) -> list[dict]:
    return store.read(get_query("blocking-laws").text, {"as_of": as_of, "law": None}).rows


def assert_same_as_reference(store) -> dict[str, list[tuple]]:
    """Every date: the fast rows equal the reference's, column by column and in order; the
    chain is one shortest DEPENDS_ON chain from the task to the law. Returns the lean rows."""
    answers = {}
    drawn = stored_nodes_and_links(store)  # no write between the dates: one read of the graph
    for as_of in DATES:
        ours = blocking_answer.page(store, as_of, limit=None)
        assert ours is not None, "the loader left the derived state in place"
        theirs = reference(store, as_of)
        assert ours.columns == list(theirs[0]) if theirs else True
        assert [[r[c] for c in LEAN] for r in ours.rows] == [[r[c] for c in LEAN] for r in theirs]
        for mine, given in zip(ours.rows, theirs, strict=True):
            assert (mine["law"], mine["task"], mine["leads"]) == (given["law"], given["task"], given["leads"])
            nodes = [part["id"] for part in mine["chain"] if "labels" in part]
            assert nodes[0] == mine["task_id"] and nodes[-1] == mine["law_id"]
            assert len(nodes) - 1 == mine["hops"] == len(given["chain"]) // 2
        lean = list(blocking_answer.lean_rows(store, as_of))
        assert lean == [{c: r[c] for c in LEAN} for r in theirs]
        assert_whole_answers_as_reference(store, as_of, theirs, drawn)
        answers[as_of] = [tuple(map(str, (r[c] for c in LEAN))) for r in theirs]
        summary = store.read(get_query("blocking-summary").text, {"as_of": as_of}).rows
        mine = blocking_state.summary_rows(store, as_of)  # the national picture's
        assert mine == summary
        for row in mine:  # a caller's rows are its own: the rows kept for the date stay as they were
            row["tasks"] = -1
        first = get_query("blocking-summary").run(store, {"as_of": as_of}, limit=3)  # its fast path
        assert (first.rows, first.truncated) == (summary[:3], len(summary) > 3)
    assert any(answers.values())
    return answers


def whole(store, as_of: str, fmt: str, lean: bool, bom: bool = False) -> bytes:
    found = blocking_answer.pieces(store, as_of, fmt=fmt, lean=lean, bom=bom)
    assert found is not None, "the loader left the derived state in place"
    return b"".join(found)


def stored_nodes_and_links(store) -> tuple[dict, dict]:
    """Every node by id and every DEPENDS_ON relationship by its ends, as the store gives them."""
    nodes = {row["id"]: row["n"] for row in store.read("MATCH (n) RETURN n.id AS id, n").rows}
    edges = {(row["a"], row["b"]): row["r"] for row in store.read(
        "MATCH (a)-[r:DEPENDS_ON]->(b) RETURN a.id AS a, b.id AS b, r").rows}
    return nodes, edges


def assert_whole_answers_as_reference(store, as_of: str, theirs: list[dict],
                                      drawn: tuple[dict, dict]) -> None:
    """The whole answer's four shapes (`queries.blocking_answer`): the reference's rows, each
    the text the generic encoders of `api.row_stream` give; the full rows' chain a shortest
    DEPENDS_ON chain from the task to the law, its nodes and edges as the store gives them
    (`drawn`: `stored_nodes_and_links` of the store as it is)."""
    full_columns = LEAN + blocking_answer.DRAWING_COLUMNS
    lean_rows = [{c: r[c] for c in LEAN} for r in theirs]
    assert whole(store, as_of, "ndjson", True) == _encode("ndjson", LEAN, lean_rows, header=True)
    assert whole(store, as_of, "csv", True) == _encode("csv", LEAN, lean_rows, header=True)
    text = whole(store, as_of, "ndjson", False)
    full = [json.loads(line) for line in text.splitlines()]
    assert text == _encode("ndjson", full_columns, full, header=True)
    assert [list(r) for r in full] == [full_columns] * len(theirs)
    nodes, edges = drawn
    for mine, given in zip(full, theirs, strict=True):
        assert {c: mine[c] for c in LEAN + ["law", "task", "leads"]} == \
            {c: given[c] for c in LEAN + ["law", "task", "leads"]}
        chain = mine["chain"]
        assert len(chain) == 2 * mine["hops"] + 1 == len(given["chain"])
        assert chain[0] == mine["task"] and chain[-1] == mine["law"]
        assert all(chain[i] == nodes[chain[i]["id"]] for i in range(0, len(chain), 2))
        assert all(chain[i] == edges[chain[i - 1]["id"], chain[i + 1]["id"]]
                   for i in range(1, len(chain), 2))
    assert whole(store, as_of, "csv", False) == _encode("csv", full_columns, full, header=True)
    assert whole(store, as_of, "csv", False, bom=True) == \
        _encode("csv", full_columns, full, header=True, bom=True)


@pytest.fixture
def country(tmp_path):
    folder = tmp_path / "country"
    generate(folder, COUNTRY)
    return folder


def rewrite(path, change) -> None:
    """Rewrite a CSV file row by row: `change(rows) -> rows`."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def test_the_fast_path_gives_the_references_rows_through_loads_and_a_retraction(server, country, tmp_path):
    with scratch_graph(server) as store:
        load_paths([country], store)
        first = assert_same_as_reference(store)

        # a second version of the sources: dependencies removed, added, deadlines moved
        changed = tmp_path / "changed"
        shutil.copytree(country, changed)
        laws = [row["id"] for row in csv.DictReader((country / "Law.csv").open(encoding="utf-8"))]
        tasks = [row["id"] for row in csv.DictReader((country / "Task.csv").open(encoding="utf-8"))]

        def depends(rows):
            kept = [row for i, row in enumerate(rows) if i % 4 != 1]  # a quarter removed
            source = rows[0]["sources"]
            added = [{**rows[0], "from": task, "to": laws[i % len(laws)], "sources": source}
                     for i, task in enumerate(tasks[::7])]  # and new ones, straight to a law
            return kept + added

        def deadlines(rows):
            for i, row in enumerate(rows):
                if i % 3 == 0:
                    row["deadline"] = "2025-09-30" if i % 2 else ""
            return rows

        rewrite(changed / "DEPENDS_ON.csv", depends)
        rewrite(changed / "Task.csv", deadlines)
        report = load_paths([changed], store)
        assert {c.action for c in report.changes if c.kind == "relationship"} >= {"added", "removed"}
        second = assert_same_as_reference(store)
        assert second != first

        # loading the same files again changes nothing, the state included
        again = load_paths([changed], store)
        assert again.changes == [] and assert_same_as_reference(store) == second

        # a retraction removes what one source alone said, dependencies and tasks with it
        source = next(csv.DictReader((changed / "DEPENDS_ON.csv").open(encoding="utf-8")))["sources"]
        retract_source(source, store)
        assert assert_same_as_reference(store) != second


def test_without_the_state_the_cypher_answers_and_a_load_repairs_it(server, country):
    with scratch_graph(server) as store:
        load_paths([country], store)
        whole = get_query("blocking-laws").run(store, {"as_of": "2025-10-01"}).rows
        drop_one_law_state(store)  # as a crash leaves it
        assert blocking_answer.page(store, "2025-10-01", limit=None) is None
        assert get_query("blocking-laws").run(store, {"as_of": "2025-10-01"}).rows == whole
        assert load_paths([country], store).changes == []  # nothing else to write: it repairs
        assert blocking_answer.page(store, "2025-10-01", limit=None).rows == whole


def drop_one_law_state(store) -> None:
    """As a load killed half-way leaves it."""
    blocking_state.derived_store(store).write("MATCH (b:Blocks) WITH b LIMIT 1 DELETE b")


def test_the_state_is_internal(server, country):
    with scratch_graph(server) as store:
        report = load_paths([country], store)
        derived = blocking_state.derived_store(store)
        kept = derived.read("MATCH (b:Blocks {part: ''}) RETURN count(b) AS n").rows[0]["n"]
        assert kept == report.nodes["Law"]  # one head per law, in a graph of its own
        assert store.counts() == (report.node_count, report.relationship_count)
        assert store.read("MATCH (n) RETURN count(n) AS n").rows[0]["n"] == report.node_count
        assert check_graph(store) == []
        store.clear()  # the derived graph goes with it
        assert derived.read("MATCH (n) RETURN count(n) AS n").rows[0]["n"] == 0


def test_anything_written_after_the_load_sets_the_state_aside(server, country):
    """A write by other means than the loader (a new revision): the Cypher answers, then a
    load of the same files recomputes the state for the graph as it is."""
    with scratch_graph(server) as store:
        load_paths([country], store)
        before = reference(store, "2025-10-01")
        store.write("MATCH (t:Task)-[r:DEPENDS_ON]->() WITH r LIMIT 20 DELETE r")
        after = reference(store, "2025-10-01")
        assert after != before
        assert blocking_answer.page(store, "2025-10-01", limit=None) is None
        assert get_query("blocking-laws").run(store, {"as_of": "2025-10-01"}).rows == after
        load_paths([country], store)  # puts the 20 back, and the state with them
        assert get_query("blocking-laws").run(store, {"as_of": "2025-10-01"}).rows == before
        assert blocking_answer.page(store, "2025-10-01", limit=None).rows == before


def test_a_state_in_another_line_format_is_not_read(server, country):
    """A state written by an older version (its stamp without this format) is not current:
    the Cypher answers until a load recomputes it."""
    with scratch_graph(server) as store:
        load_paths([country], store)
        before = reference(store, "2025-10-01")
        blocking_state.derived_store(store).write("MATCH (s:Stamp) SET s.revision = $r",
                                                  {"r": store.revision()})
        assert not blocking_state.is_current(store)
        assert blocking_answer.ndjson_pieces(store, "2025-10-01") is None
        assert get_query("blocking-laws").run(store, {"as_of": "2025-10-01"}).rows == before
        load_paths([country], store)
        assert blocking_state.is_current(store)
        assert blocking_answer.page(store, "2025-10-01", limit=None).rows == before


def test_blocked_task_counts_per_law_and_lead(server, country):
    with scratch_graph(server) as store:
        load_paths([country], store)
        counted = 0
        for as_of in DATES:
            expected: dict[str, dict] = {}
            for row in reference(store, as_of):
                for lead in row["lead_ids"] or [None]:
                    by_lead = expected.setdefault(row["law_id"], {})
                    by_lead[lead] = by_lead.get(lead, 0) + 1
            assert blocking_answer.blocked_task_counts(store, as_of) == expected
            if as_of == "2025-10-01":  # without the state, the Cypher counts the same
                drop_one_law_state(store)
                assert blocking_answer.blocked_task_counts(store, as_of) == expected
                load_paths([country], store)
            counted += sum(n for by_lead in expected.values() for n in by_lead.values())
        assert counted > 0


def test_a_page_asks_only_about_the_laws_it_draws(server, country):
    from graph.views import blocking_law_ids

    with scratch_graph(server) as store:
        load_paths([country], store)
        for as_of in ("2025-07-02", "2025-10-01", "2026-06-30"):
            every = {row["law_id"] for row in reference(store, as_of)}
            laws = [row["id"] for row in store.read("MATCH (l:Law) RETURN l.id AS id ORDER BY id").rows]
            drawn = {"nodes": [{"id": law, "label": "Law"} for law in laws[::2]]
                     + [{"id": "x", "label": "Task"}]}
            assert blocking_law_ids(store, as_of) == every
            assert blocking_law_ids(store, as_of, graph=drawn) == every & set(laws[::2])
            drop_one_law_state(store)  # the reference then
            assert blocking_law_ids(store, as_of, graph=drawn) == every & set(laws[::2])
            load_paths([country], store)


def test_a_load_under_way_is_said_not_answered_short(server, country):
    """The state read after the laws were checked but cleared by a load since: Busy (429)."""
    from graph.errors import Busy

    with scratch_graph(server) as store:
        load_paths([country], store)
        laws = blocking_state._blocking(store, "2025-10-01", None)
        blocking_state.derived_store(store).write("MATCH (b:Blocks) DELETE b")
        with pytest.raises(Busy):
            list(blocking_state._law_rows(store, laws, None, 8))


def test_the_national_picture_follows_a_load_that_moves_agencies(server, country):
    """The holder of each lead agency is cached per store revision: after a load that moves
    one province's agencies and communes to another, the picture is the query's again."""
    as_of = "2025-10-01"
    with scratch_graph(server) as store:
        load_paths([country], store)
        before = blocking_state.summary_rows(store, as_of)  # the holders are cached now
        assert before == store.read(get_query("blocking-summary").text, {"as_of": as_of}).rows
        provinces = sorted({row["to"] for row in csv.DictReader(
            (country / "LOCATED_IN.csv").open(encoding="utf-8"))})
        moved, into = provinces[0], provinces[1]
        rewrite(country / "LOCATED_IN.csv",
                lambda rows: [{**row, "to": into if row["to"] == moved else row["to"]} for row in rows])
        load_paths([country], store)
        after = blocking_state.summary_rows(store, as_of)
        assert after == store.read(get_query("blocking-summary").text, {"as_of": as_of}).rows
        assert after != before and moved not in {row["holder_id"] for row in after}


def test_a_whole_answer_whose_nodes_go_midway_is_said_not_answered_wrong(server, country):
    """The laws read, then a task written away before its row's node is read (as a load does
    between two reads): Busy (429), not a row without its node."""
    from graph.errors import Busy

    with scratch_graph(server) as store:
        load_paths([country], store)
        pieces = blocking_answer.pieces(store, "2025-10-01", fmt="ndjson", lean=False)
        first = reference(store, "2025-10-01")[0]
        store.write("MATCH (t:Task {id: $id}) DETACH DELETE t", {"id": first["task_id"]})
        with pytest.raises(Busy):
            list(pieces)
