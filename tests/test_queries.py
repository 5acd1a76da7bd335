"""The named query library on the real embedded store: exact answers on a small graph of our own
(tests/fixtures/queries/graph.yaml), the headline "as of" answers on the bundled dataset, and the
read-only, timeout and row-cap guarantees of ad-hoc Cypher."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph.errors import QueryError, QueryTimeout
from graph.subgraph import subgraph_from_rows
from loaders.load import load_paths
from queries import PAGING, get_query, library, parse_query_file
from tests.cli_run import run_cli as run
from tests.conftest import REPO, scratch_graph

FIXTURE = REPO / "tests" / "fixtures" / "queries" / "graph.yaml"
ISSUE_QUERIES = {"blocking-laws", "law-impact", "task-dependencies", "overdue-tasks", "agency-workload",
                 "coordination", "meeting-decisions", "document-lineage", "experts-by-topic", "obstacles",
                 "source-facts", "timeline"}
MAY_22, JUL_2 = "2025-05-22", "2025-07-02"


@pytest.fixture(scope="module")
def graph(server):
    """The fixture graph, loaded once for this module (the tests only read it)."""
    with scratch_graph(server) as store:
        load_paths([FIXTURE], store)
        yield store


def ask(store, name: str, **params) -> list[dict]:
    return get_query(name).run(store, params).rows


def pick(rows: list[dict], *columns: str) -> list[tuple]:
    return [tuple(row[c] for c in columns) for row in rows]


# -- the library -------------------------------------------------------------------------------
def test_every_query_is_documented_in_both_languages():
    queries = library()
    assert ISSUE_QUERIES | {"graph-summary", "node-relationships"} <= set(queries)
    for query in queries.values():
        assert query.title and query.title_vi and query.description and query.description_vi, query.name
        assert query.row, query.name
        assert query.text.lstrip().split()[0] in ("MATCH", "OPTIONAL", "CALL"), query.name
        for param in query.params:
            assert param.help, f"{query.name}: parameter {param.name} has no help"


@pytest.mark.parametrize("name", PAGING)
def test_paging_names_are_not_query_parameters(tmp_path, name):
    path = tmp_path / "paged.cypher"
    path.write_text(f"// title: t\n// param: {name} int = 1 -- rows\nRETURN ${name} AS n\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=f"parameter '{name}' is reserved for paging"):
        parse_query_file(path)


def test_as_of_defaults_to_today(graph):
    today = dt.date.today().isoformat()
    query = get_query("blocking-laws")
    assert query.bind() == {"as_of": today, "law": None}  # every law unless one is asked for
    assert ask(graph, "blocking-laws") == ask(graph, "blocking-laws", as_of=today)


# -- blocking-laws: the headline, from the StatusChange history ----------------------------------
def test_blocking_laws_on_22_may(graph):
    rows = ask(graph, "blocking-laws", as_of=MAY_22)
    assert pick(rows, "law_id", "law_status", "task_id", "task_status", "hops", "deadline", "lead_ids") == [
        ("law-cn-so", "drafting", "task-ai-strategy", None, 1, "2025-05-28", ["bo-khcn"]),
        ("law-khcn-dmst", "amending", "task-3nha-laws", None, 1, "2025-05-28", ["bo-khcn"]),
        ("law-khcn-dmst", "amending", "task-3nha-finance", None, 2, "2025-05-28", ["bo-tai-chinh"]),
        ("law-khcn-dmst", "amending", "task-hitech-plan", None, 3, "2025-05-28", ["ubnd-ha-noi"]),
        ("law-ngan-sach", "amending", "task-3nha-finance", None, 1, "2025-05-28", ["bo-tai-chinh"]),
        ("law-ngan-sach", "amending", "task-hitech-plan", None, 2, "2025-05-28", ["ubnd-ha-noi"]),
        ("law-so-huu-tri-tue", "amending", "task-3nha-laws", None, 1, "2025-05-28", ["bo-khcn"]),
        ("law-so-huu-tri-tue", "amending", "task-3nha-finance", None, 2, "2025-05-28", ["bo-tai-chinh"]),
        ("law-so-huu-tri-tue", "amending", "task-hitech-plan", None, 3, "2025-05-28", ["ubnd-ha-noi"]),
    ]
    # the law in force since 2009 (no history: by status and status_on) blocks nothing
    assert "law-cong-nghe-cao" not in {r["law_id"] for r in rows}
    # the task assigned on 2 July did not exist on 22 May
    assert "task-sub-law-texts" not in {r["task_id"] for r in rows}
    assert rows[0]["lead_names"] == ["Bộ Khoa học và Công nghệ"]
    assert rows[0]["assigned_on"] == MAY_22  # the meeting that resulted in notice 25-TB/TGV


def test_blocking_laws_on_2_july_after_the_two_laws_passed(graph):
    rows = ask(graph, "blocking-laws", as_of=JUL_2)
    assert pick(rows, "law_id", "task_id", "task_status", "hops", "assigned_on") == [
        ("law-ngan-sach", "task-3nha-finance", "not_done", 1, MAY_22),
        ("law-ngan-sach", "task-sub-law-texts", None, 1, JUL_2),
        ("law-ngan-sach", "task-hitech-plan", None, 2, MAY_22),
        ("law-so-huu-tri-tue", "task-3nha-laws", "partial", 1, MAY_22),
        ("law-so-huu-tri-tue", "task-3nha-finance", "not_done", 2, MAY_22),
        ("law-so-huu-tri-tue", "task-hitech-plan", None, 3, MAY_22),
    ]


def test_blocking_laws_reads_history_not_todays_status(store):
    """A law whose status property says passed still blocks on a date its history says it did not."""
    load_paths([FIXTURE], store)
    store.write("MATCH (l:Law {id: 'law-ngan-sach'}) SET l.status = 'passed', l.status_on = '2025-01-01'")
    assert "law-ngan-sach" in {r["law_id"] for r in ask(store, "blocking-laws", as_of=JUL_2)}
    # a done task stops being blocked from the day its history says so, not before
    done = ("task-ai-strategy", "law-cn-so")
    assert done in pick(ask(store, "blocking-laws", as_of="2025-06-13"), "task_id", "law_id")
    assert done not in pick(ask(store, "blocking-laws", as_of="2025-06-14"), "task_id", "law_id")


def test_blocking_laws_rows_carry_what_a_drawing_needs(graph):
    rows = ask(graph, "blocking-laws", as_of=MAY_22)
    row = next(r for r in rows if r["task_id"] == "task-hitech-plan" and r["law_id"] == "law-khcn-dmst")
    assert row["law"]["id"] == "law-khcn-dmst" and row["task"]["labels"] == ["Task"]
    assert [n["id"] for n in row["leads"]] == ["ubnd-ha-noi"]
    sub = subgraph_from_rows([row])
    assert {(e["source"], e["type"], e["target"]) for e in sub["edges"]} == {
        ("task-hitech-plan", "DEPENDS_ON", "task-3nha-finance"),
        ("task-3nha-finance", "DEPENDS_ON", "task-3nha-laws"),
        ("task-3nha-laws", "DEPENDS_ON", "law-khcn-dmst")}
    assert {n["id"] for n in sub["nodes"]} == {"law-khcn-dmst", "task-hitech-plan", "task-3nha-finance",
                                               "task-3nha-laws", "ubnd-ha-noi"}


# -- the rest of the library, exact answers on the fixture -----------------------------------------
def test_law_impact(graph):
    rows = ask(graph, "law-impact", law="law-khcn-dmst", as_of=JUL_2)
    assert pick(rows, "id", "label", "hops", "status", "lead_ids") == [
        ("task-3nha-laws", "Task", 1, "partial", ["bo-khcn"]),
        ("task-3nha-finance", "Task", 2, "not_done", ["bo-tai-chinh"]),
        ("task-hitech-plan", "Task", 3, None, ["ubnd-ha-noi"]),
    ]
    assert ask(graph, "law-impact", law="no-such-law") == []


def test_task_dependencies_upstream_and_downstream(graph):
    rows = ask(graph, "task-dependencies", task="task-3nha-finance", as_of=JUL_2)
    assert pick(rows, "direction", "hops", "id", "label", "status") == [
        ("upstream", 1, "law-ngan-sach", "Law", "amending"),
        ("upstream", 1, "task-3nha-laws", "Task", "partial"),
        ("upstream", 2, "law-khcn-dmst", "Law", "passed"),
        ("upstream", 2, "law-so-huu-tri-tue", "Law", "amending"),
        ("downstream", 1, "task-hitech-plan", "Task", None),
    ]
    hitech = ask(graph, "task-dependencies", task="task-hitech-plan", as_of=MAY_22)
    assert ("upstream", "law-cong-nghe-cao", "in_force") in pick(hitech, "direction", "id", "status")


def test_overdue_tasks(graph):
    june = ask(graph, "overdue-tasks", as_of="2025-06-01")
    assert pick(june, "task_id", "deadline", "status", "assigned_in") == [
        ("task-ppp", "2025-03-31", "not_done", ["01-KH/BCĐTW"]),
        ("task-handbook", "2025-04-30", "not_done", ["01-KH/BCĐTW"]),
        ("task-3nha-finance", "2025-05-28", "not_done", ["25-TB/TGV"]),
        ("task-3nha-laws", "2025-05-28", "not_done", ["25-TB/TGV"]),
        ("task-ai-strategy", "2025-05-28", "on_track", ["25-TB/TGV"]),
        ("task-hitech-plan", "2025-05-28", None, ["25-TB/TGV"]),
    ]
    july = ask(graph, "overdue-tasks", as_of=JUL_2)  # the handbook and AI strategy got done
    assert [r["task_id"] for r in july] == ["task-ppp", "task-3nha-finance", "task-3nha-laws",
                                            "task-hitech-plan"]
    # a deadline on the day itself is not overdue yet
    assert ask(graph, "overdue-tasks", as_of="2025-03-31") == []


def test_agency_workload(graph):
    rows = ask(graph, "agency-workload", as_of="2025-06-01")
    assert pick(rows, "agency_id", "led", "supported", "open_led", "overdue_led", "overdue_supported") == [
        ("bo-khcn", 2, 3, 2, 2, 2),
        ("bo-tai-chinh", 2, 1, 2, 2, 1),
        ("ban-to-chuc-tw", 1, 0, 1, 1, 0),
        ("ubnd-ha-noi", 1, 0, 1, 1, 0),
        ("bo-ngoai-giao", 1, 1, 1, 0, 1),
        ("bo-gddt", 0, 1, 0, 0, 1),
    ]
    july = {r["agency_id"]: r for r in ask(graph, "agency-workload", as_of=JUL_2)}
    assert (july["bo-khcn"]["led"], july["bo-khcn"]["open_led"]) == (3, 2)  # + the 2 July task
    assert july["ban-to-chuc-tw"]["overdue_led"] == 0


def test_coordination_pairs(graph):
    rows = ask(graph, "coordination")
    assert pick(rows, "agency_a_id", "agency_b_id", "shared_tasks", "led_by_one", "task_ids") == [
        ("bo-khcn", "bo-ngoai-giao", 2, 2, ["task-ai-strategy", "task-foreign-experts"]),
        ("bo-khcn", "bo-tai-chinh", 2, 2, ["task-3nha-finance", "task-3nha-laws"]),
        ("bo-gddt", "bo-khcn", 1, 1, ["task-3nha-laws"]),
        ("bo-gddt", "bo-tai-chinh", 1, 0, ["task-3nha-laws"]),
        ("bo-khcn", "ubnd-ha-noi", 1, 1, ["task-hitech-plan"]),
    ]
    assert len(ask(graph, "coordination", min_shared=2)) == 2


def test_meeting_decisions(graph):
    rows = ask(graph, "meeting-decisions", meeting="meeting-2025-05-22")
    assert pick(rows, "document", "task_id", "lead_ids", "supporter_ids", "deadline") == [
        ("25-TB/TGV", "task-3nha-finance", ["bo-tai-chinh"], ["bo-khcn"], "2025-05-28"),
        ("25-TB/TGV", "task-3nha-laws", ["bo-khcn"], ["bo-gddt", "bo-tai-chinh"], "2025-05-28"),
        ("25-TB/TGV", "task-ai-strategy", ["bo-khcn"], ["bo-ngoai-giao"], "2025-05-28"),
        ("25-TB/TGV", "task-foreign-experts", ["bo-ngoai-giao"], ["bo-khcn"], None),
        ("25-TB/TGV", "task-hitech-plan", ["ubnd-ha-noi"], ["bo-khcn"], "2025-05-28"),
    ]
    drawn = subgraph_from_rows(rows)
    assert ("meeting-2025-05-22", "RESULTED_IN", "doc-tb-25") in {
        (e["source"], e["type"], e["target"]) for e in drawn["edges"]}
    assert sum(e["type"] in ("LED_BY", "SUPPORTED_BY") for e in drawn["edges"]) == 11


def test_document_lineage(graph):
    up = ask(graph, "document-lineage", document="doc-tb-25")
    assert pick(up, "direction", "hops", "via", "id") == [
        ("upstream", 1, ["IMPLEMENTS"], "doc-kh-01"),
        ("upstream", 1, ["REFERS_TO"], "doc-tb-23"),
        ("upstream", 2, ["IMPLEMENTS", "IMPLEMENTS"], "doc-nq-57"),
        ("upstream", 2, ["REFERS_TO", "REFERS_TO"], "law-khcn-dmst"),
    ]
    down = ask(graph, "document-lineage", document="doc-nq-57")
    assert pick(down, "direction", "hops", "id", "number") == [
        ("downstream", 1, "doc-kh-01", "01-KH/BCĐTW"), ("downstream", 2, "doc-tb-25", "25-TB/TGV")]


def test_experts_by_topic(graph):
    rows = ask(graph, "experts-by-topic")
    assert pick(rows, "topic_id", "expert_id", "headcount", "affiliation_ids") == [
        ("topic-ai", "expert-most-277", 277, ["bo-khcn"]),
        ("topic-ai", "expert-ai-100", 100, []),
    ]
    assert ask(graph, "experts-by-topic", topic="topic-3nha") == []
    assert len(ask(graph, "experts-by-topic", topic="topic-ai")) == 2


def test_obstacles_with_root_laws_as_of(graph):
    may = ask(graph, "obstacles", as_of=MAY_22)
    assert pick(may, "obstacle_id", "root_law_ids", "root_law_statuses", "unresolved_root_laws",
                "hinders_ids") == [
        ("obstacle-3nha-legal", ["law-khcn-dmst", "law-so-huu-tri-tue"], ["amending", "amending"], 2,
         ["task-3nha-laws", "topic-3nha"]),
        ("obstacle-ppp-guidance", [], [], 0, ["task-ppp"]),
    ]
    july = ask(graph, "obstacles", as_of=JUL_2)
    assert pick(july, "obstacle_id", "root_law_statuses", "unresolved_root_laws")[0] == (
        "obstacle-3nha-legal", ["passed", "amending"], 1)


def test_source_facts(graph):
    rows = ask(graph, "source-facts", source="src-review")
    nodes = [r["id"] for r in rows if r["kind"] == "node"]
    assert nodes == ["doc-review-directions", "meeting-2025-07-02", "law-cn-so--2025-06-14-passed",
                     "law-khcn-dmst--2025-06-27-passed", "task-3nha-laws--2025-07-02-partial",
                     "task-ai-strategy--2025-07-01-done", "task-handbook--2025-06-15-done",
                     "task-sub-law-texts"]
    rels = [(r["type"], r["from_id"], r["to_id"]) for r in rows if r["kind"] == "relationship"]
    assert len(rels) == 10 and ("RESULTED_IN", "meeting-2025-07-02", "doc-review-directions") in rels
    assert rows[-1]["id"] == rows[-1]["from_id"] + "|" + rows[-1]["type"] + "|" + rows[-1]["to_id"]


def test_timeline_in_date_order(graph):
    rows = ask(graph, "timeline", since="2025-05-24", until="2025-05-28")
    assert pick(rows, "date", "kind", "id", "detail") == [
        ("2025-05-24", "document", "doc-tb-25", "25-TB/TGV"),
        ("2025-05-24", "status", "task-3nha-finance", "not_done"),
        ("2025-05-24", "status", "task-3nha-laws", "not_done"),
        ("2025-05-24", "status", "task-ai-strategy", "on_track"),
        ("2025-05-28", "deadline", "task-3nha-finance", None),
        ("2025-05-28", "deadline", "task-3nha-laws", None),
        ("2025-05-28", "deadline", "task-ai-strategy", None),
        ("2025-05-28", "deadline", "task-hitech-plan", None),
    ]
    everything = ask(graph, "timeline")
    assert [r["date"] for r in everything] == sorted(r["date"] for r in everything)
    # 2 meetings, 5 documents, 14 status changes, 6 deadlines
    assert everything[0]["id"] == "doc-nq-57" and len(everything) == 27


def test_the_two_existing_queries_still_answer(graph):
    summary = {r["label"]: r["nodes"] for r in ask(graph, "graph-summary")}
    assert summary["Task"] == 8 and summary["StatusChange"] == 14
    assert ("PART_OF", "in", "to-giup-viec") in pick(
        ask(graph, "node-relationships", id="ban-chi-dao"), "relationship", "direction", "other_id")


# -- the headline on the bundled dataset, through the command line --------------------------------
@pytest.fixture
def bundled_env(bundled_store, cli_env):
    return {**cli_env, "POLICYGRAPH_GRAPH": bundled_store.graph_name}


def _blocking(env, as_of: str) -> list[dict]:
    result = run(env, "query", "blocking-laws", "--param", f"as_of={as_of}", "--format", "json",
                 check=True)
    return json.loads(result.stdout)


def test_bundled_blocking_laws_22_may_vs_2_july(bundled_env):
    may = _blocking(bundled_env, MAY_22)
    july = _blocking(bundled_env, JUL_2)
    may_pairs = {(r["law_id"], r["task_id"]) for r in may}
    july_pairs = {(r["law_id"], r["task_id"]) for r in july}
    # On 22 May the S&T law was still being amended and held up the 3-Nha law work (25-TB/TGV 1a);
    # by 2 July the National Assembly had passed it and the Digital Technology Industry law.
    assert ("law-khcn-dmst", "task-25-tb-tgv-1a1") in may_pairs
    assert {r["law_status"] for r in may if r["law_id"] == "law-khcn-dmst"} == {"amending"}
    passed = {"law-khcn-dmst", "law-cong-nghiep-cong-nghe-so"}
    assert not passed & {law for law, _ in july_pairs}
    # the laws still being amended block the same tasks on both dates, but for 03/NQ-CP's row 14
    # (the S&T law bill), which the draft report under 402-CV/VPĐU records done on 24 May
    done_since = {"task-03-nq-cp-row14"}
    assert may_pairs - july_pairs == {
        pair for pair in may_pairs if pair[0] in passed or pair[1] in done_since}
    assert july_pairs == {pair for pair in may_pairs if pair[0] not in passed and pair[1] not in done_since}
    assert {pair for pair in may_pairs if pair[1] in done_since} >= {
        ("law-quan-ly-tai-san-cong", "task-03-nq-cp-row14"), ("law-so-huu-tri-tue", "task-03-nq-cp-row14")}
    assert {law for law, _ in july_pairs} >= {"law-ngan-sach-nha-nuoc", "law-so-huu-tri-tue"}
    # the tasks assigned at the 2 July review were not there on 22 May
    assert not any(task.startswith("task-2025-07-02") for _, task in may_pairs)


# -- ad-hoc Cypher: read-only, timeout and row cap ---------------------------------------------------
def test_adhoc_cypher_is_read_only_by_the_store(graph):
    for write in ("CREATE (:Agency {id: 'x'})", "MATCH (n:Task) SET n.status = 'done'",
                  "MATCH (n) DETACH DELETE n", "MERGE (a:Agency {id: 'y'}) RETURN a"):
        with pytest.raises(QueryError, match="read-only"):
            graph.read(write)
    assert graph.counts() == (55, 77)


def test_adhoc_cypher_timeout_and_row_cap(graph):
    with pytest.raises(QueryTimeout, match="timeout"):
        graph.read("UNWIND range(1, 10000000) AS x RETURN count(x) AS n", timeout_ms=1)
    capped = graph.read("MATCH (t:Task) RETURN t.id AS id ORDER BY id", limit=3)
    assert capped.truncated and [r["id"] for r in capped.rows] == [
        "task-3nha-finance", "task-3nha-laws", "task-ai-strategy"]
    assert not graph.read("MATCH (t:Task) RETURN t.id AS id", limit=8).truncated


def test_cli_row_cap_and_timeout_are_configurable(cli_env):
    run(cli_env, "load", str(FIXTURE), check=True)
    capped = run({**cli_env, "POLICYGRAPH_ROW_LIMIT": "2"}, "query", "--cypher",
                 "MATCH (t:Task) RETURN t.id AS id ORDER BY id", "-f", "json", check=True)
    assert json.loads(capped.stdout) == [{"id": "task-3nha-finance"}, {"id": "task-3nha-laws"}]
    assert "Only the first 2 rows" in capped.stderr and "POLICYGRAPH_ROW_LIMIT" in capped.stderr
    slow = run({**cli_env, "POLICYGRAPH_QUERY_TIMEOUT_MS": "1"}, "query", "--cypher",
               "UNWIND range(1, 10000000) AS x RETURN count(x) AS n")
    assert slow.returncode == 1 and slow.stdout == ""
    assert "ran past the" in slow.stderr and "timeout" in slow.stderr
    assert "POLICYGRAPH_QUERY_TIMEOUT_MS" in slow.stderr
    assert "Traceback" not in slow.stderr
