"""Exports read back: GraphML and GEXF with networkx, Cytoscape JSON with networkx, the Cypher
export replayed into an empty store, the CSV export loaded back through the loader; on the
fixture graph, the bundled dataset, from the CLI and from the API."""

from __future__ import annotations

import io
import json
import zipfile

import networkx as nx
import pytest

from graph.errors import QueryError
from graph.export import (
    ExportError,
    csv_files,
    cypher_literal,
    cypher_statements,
    query_subgraph,
    read_graph,
    read_selection,
    render,
    replay_cypher,
    with_sources,
    write_export,
)
from loaders.load import load_paths
from tests.conftest import scratch_graph
from tests.test_analytics import _client, run
from tests.test_queries import FIXTURE, MAY_22
from tests.test_query_lint import lint, needs_linter


@pytest.fixture(scope="module")
def fixture_store(server):
    with scratch_graph(server) as store:
        load_paths([FIXTURE], store)
        yield store


@pytest.fixture
def empty(server):
    """A second clean graph to replay or load an export into."""
    with scratch_graph(server) as store:
        yield store


def facts(graph: dict, *, drop=("search_key",)) -> tuple[dict, set]:
    """Nodes (id -> label and properties) and edges, for comparing two graphs exactly."""
    nodes = {n["id"]: (n["label"], {k: v for k, v in n["properties"].items() if k not in drop})
             for n in graph["nodes"]}
    edges = {(e["source"], e["type"], e["target"], json.dumps(e["properties"], sort_keys=True))
             for e in graph["edges"]}
    return nodes, edges


def decoded(value):
    """GraphML/GEXF hold lists as JSON text; read them back."""
    if isinstance(value, str) and value.startswith("["):
        return json.loads(value)
    return value


# -- GraphML, GEXF and Cytoscape, read back with networkx ----------------------------------------
def test_graphml_reads_back_with_the_same_nodes_edges_and_properties(fixture_store, tmp_path):
    graph = read_graph(fixture_store)
    write_export(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == fixture_store.counts() == (55, 77)
    for node in graph["nodes"]:
        expected = {k: v for k, v in node["properties"].items() if k not in ("id", "search_key")}
        data = back.nodes[node["id"]]
        assert data.pop("labels") == node["label"]
        assert {k: decoded(v) for k, v in data.items()} == expected, node["id"]
    assert back.nodes["expert-most-277"]["headcount"] == 277  # numbers stay numbers
    edges = {(a, key, b): {k: decoded(v) for k, v in d.items()}
             for a, b, key, d in back.edges(keys=True, data=True)}
    assert edges[("task-3nha-laws", "DEPENDS_ON", "law-khcn-dmst")] == {
        "type": "DEPENDS_ON", "sources": ["src-notice"]}
    assert edges[("nguyen-duy-ngoc", "HOLDS_POST", "ban-chi-dao")]["title"] == "Phó Trưởng Ban"
    assert len(edges) == 77


def test_gexf_reads_back_with_names_as_labels(fixture_store, tmp_path):
    graph = read_graph(fixture_store)
    write_export(graph, "gexf", tmp_path / "g.gexf")
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert (back.number_of_nodes(), back.number_of_edges()) == (55, 77)
    most = back.nodes["bo-khcn"]
    assert most["label"] == "Bộ Khoa học và Công nghệ" and most["labels"] == "Agency"
    assert most["abbr"] == "MOST" and decoded(most["sources"]) == ["src-notice"]
    assert {(a, d["label"], b) for a, b, d in back.edges(data=True)} == {
        (e["source"], e["type"], e["target"]) for e in graph["edges"]}


def test_cytoscape_json_reads_back(fixture_store, tmp_path):
    graph = read_graph(fixture_store)
    write_export(graph, "cytoscape", tmp_path / "g.cyjs")
    document = json.loads((tmp_path / "g.cyjs").read_text(encoding="utf-8"))
    back = nx.cytoscape_graph(document)
    assert isinstance(back, nx.MultiDiGraph)
    assert (back.number_of_nodes(), back.number_of_edges()) == (55, 77)
    assert back.nodes["law-khcn-dmst"]["type"] == "Law"
    assert back.nodes["law-khcn-dmst"]["label"] == "Luật Khoa học, Công nghệ và Đổi mới sáng tạo"
    assert back.nodes["law-khcn-dmst"]["name_en"] == "Law on Science, Technology and Innovation"
    assert "search_key" not in back.nodes["law-khcn-dmst"]
    assert back.edges["task-3nha-laws", "law-khcn-dmst", "DEPENDS_ON"]["sources"] == ["src-notice"]


# -- Cypher: replays into an empty store and gives the same graph ----------------------------------
def test_cypher_export_replays_into_an_empty_store(fixture_store, empty, tmp_path):
    original = read_graph(fixture_store)
    write_export(original, "cypher", tmp_path / "g.cypher")
    lines = (tmp_path / "g.cypher").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("// policygraph export: 55 nodes, 77 relationships")
    statements = replay_cypher(lines, empty)
    assert statements == len(lines) - 1
    assert facts(read_graph(empty), drop=()) == facts(original, drop=())
    # MERGE on id: replaying the data statements again changes nothing
    replay_cypher([line for line in lines if not line.startswith("CREATE INDEX")], empty)
    assert empty.counts() == (55, 77)


def test_cypher_literals_survive_quotes_backslashes_newlines_and_unicode(store, empty):
    load_paths([FIXTURE], store)
    tricky = "it's \"quoted\" \\ back\\slash\nnew line\ttab; Ủy ban — 100%"
    store.write("MATCH (a:Agency {id: 'bo-khcn'}) SET a.note = $note, a.aliases = [$note, 'MOST']",
                {"note": tricky})
    replay_cypher(cypher_statements(read_graph(store), batch=7), empty)
    agency = empty.read("MATCH (a:Agency {id: 'bo-khcn'}) RETURN a.note AS note, a.aliases AS aliases").rows
    assert agency == [{"note": tricky, "aliases": [tricky, "MOST"]}]
    assert facts(read_graph(empty), drop=()) == facts(read_graph(store), drop=())
    assert cypher_literal({"odd key": [1, 2.5, True, None]}) == "{`odd key`: [1, 2.5, true, null]}"


@pytest.mark.slow  # Neo4j's linter on the export
@needs_linter
def test_cypher_export_is_neo4j_5_cypher(fixture_store, tmp_path):
    path = tmp_path / "g.cypher"
    write_export(read_graph(fixture_store), "cypher", path)
    code, report = lint(path)
    assert report["diagnostics"] == [] and code == 0


def test_read_selection_reads_only_what_is_asked(fixture_store):
    part = read_selection(fixture_store, {"Agency": ["name", "abbr"]}, ["LED_BY"])
    assert {n["label"] for n in part["nodes"]} == {"Agency"} and len(part["nodes"]) == 9
    most = next(n for n in part["nodes"] if n["id"] == "bo-khcn")
    assert most["properties"] == {"id": "bo-khcn", "name": "Bộ Khoa học và Công nghệ", "abbr": "MOST"}
    # the relationships keep their task ends, though no Task node was read
    assert len(part["edges"]) == 8 and {e["type"] for e in part["edges"]} == {"LED_BY"}
    assert ("task-ppp", "bo-tai-chinh") in {(e["source"], e["target"]) for e in part["edges"]}
    with pytest.raises(ExportError, match="'Agncy' is not in the schema"):
        read_selection(fixture_store, {"Agncy": []}, [])
    with pytest.raises(ExportError, match="'deadline' is not in the schema"):
        read_selection(fixture_store, {"Agency": ["deadline"]}, [])


# -- CSV: loads back through the loader ------------------------------------------------------------
def test_csv_export_loads_back_through_the_loader(fixture_store, empty, tmp_path):
    original = read_graph(fixture_store)
    report = write_export(original, "csv", tmp_path / "csv")
    assert (report.nodes, report.relationships) == (55, 77)
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert "Agency.csv" in names and "LED_BY.csv" in names and "StatusChange.csv" in names
    header = (tmp_path / "csv" / "Agency.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,name,") and "search_key" not in header
    loaded = load_paths([tmp_path / "csv"], empty)
    assert (loaded.node_count, loaded.relationship_count) == (55, 77)
    # the same graph, search keys included (the loader computes them from the same names)
    assert facts(read_graph(empty), drop=()) == facts(original, drop=())


def test_csv_refuses_what_its_format_cannot_hold(store):
    load_paths([FIXTURE], store)
    store.write("MATCH (a:Agency {id: 'bo-khcn'}) SET a.aliases = ['KH|CN']")
    with pytest.raises(ExportError, match="bo-khcn: a value in 'aliases' contains '|'"):
        csv_files(read_graph(store))


# -- a query's subgraph -------------------------------------------------------------------------------
def test_query_subgraph_export(fixture_store, empty, tmp_path):
    graph = query_subgraph(fixture_store, ["blocking-laws"], {"as_of": MAY_22})
    assert sorted(n["id"] for n in graph["nodes"]) == [
        "bo-khcn", "bo-tai-chinh", "law-cn-so", "law-khcn-dmst", "law-ngan-sach", "law-so-huu-tri-tue",
        "task-3nha-finance", "task-3nha-laws", "task-ai-strategy", "task-hitech-plan", "ubnd-ha-noi"]
    # with every stored relationship among those nodes, not only the chains the rows hold
    assert {e["type"] for e in graph["edges"]} == {"DEPENDS_ON", "DRAFTED_BY", "LED_BY", "SUPPORTED_BY"}
    assert len(graph["edges"]) == 16
    only_rows = query_subgraph(fixture_store, ["blocking-laws"], {"as_of": MAY_22}, induced=False)
    assert {e["type"] for e in only_rows["edges"]} == {"DEPENDS_ON"} and len(only_rows["edges"]) == 6
    write_export(graph, "graphml", tmp_path / "q.graphml")
    assert nx.read_graphml(tmp_path / "q.graphml").number_of_nodes() == 11
    # with the sources its facts cite, the CSV folder loads on its own
    complete = with_sources(fixture_store, graph)
    assert [n["id"] for n in complete["nodes"]][-2:] == ["src-meeting", "src-notice"]
    write_export(complete, "csv", tmp_path / "q")
    assert load_paths([tmp_path / "q"], empty).node_count == 13
    two = query_subgraph(fixture_store, ["blocking-laws", "experts-by-topic"], {"as_of": MAY_22})
    assert {"expert-ai-100", "topic-ai", "law-cn-so"} <= {n["id"] for n in two["nodes"]}
    with pytest.raises(ExportError, match="No chosen query has the parameter asof"):
        query_subgraph(fixture_store, ["blocking-laws"], {"asof": MAY_22})


# -- the bundled dataset --------------------------------------------------------------------------
def test_bundled_round_trips(bundled_store, empty, tmp_path):
    original = read_graph(bundled_store)
    counts = bundled_store.counts()
    assert (len(original["nodes"]), len(original["edges"])) == counts
    back = nx.read_graphml(io.BytesIO(render(original, "graphml")), force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == counts
    gexf = nx.read_gexf(io.BytesIO(render(original, "gexf")))
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == counts
    replay_cypher(render(original, "cypher").decode().splitlines(), empty)
    assert facts(read_graph(empty), drop=()) == facts(original, drop=())
    empty.clear()
    write_export(original, "csv", tmp_path / "csv")
    load_paths([tmp_path / "csv"], empty)
    assert facts(read_graph(empty), drop=()) == facts(original, drop=())


# -- command line and API ------------------------------------------------------------------------------
@pytest.mark.slow  # one CLI process per export format
def test_cli_export(bundled_store, cli_env, tmp_path):
    env = {**cli_env, "POLICYGRAPH_GRAPH": bundled_store.graph_name}
    result = run(env, "export", "--format", "graphml", "--out", str(tmp_path / "all.graphml"), check=True)
    nodes, rels = bundled_store.counts()
    assert f"Wrote {nodes} nodes and {rels} relationships as graphml" in result.stderr
    assert nx.read_graphml(tmp_path / "all.graphml").number_of_nodes() == nodes
    piped = run(env, "export", "-f", "cypher", "-o", "-", "-q", "blocking-laws", "-p", f"as_of={MAY_22}",
                check=True)
    assert piped.stdout.startswith("// policygraph export:") and "law-khcn-dmst" in piped.stdout
    run(env, "export", "-f", "csv", "-o", str(tmp_path / "q"), "-q", "blocking-laws", "-p",
        f"as_of={MAY_22}", check=True)
    assert (tmp_path / "q" / "Source.csv").exists() and (tmp_path / "q" / "Law.csv").exists()
    run(env, "export", "-f", "csv", "-o", str(tmp_path / "all.zip"), check=True)
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        assert {"Agency.csv", "LED_BY.csv", "StatusChange.csv"} <= set(archive.namelist())
    for args, message in [
        (("-f", "gexf", "-o", "x.gexf", "-p", "as_of=2025-05-22"), "--param needs --query"),
        (("-f", "csv", "-o", "-"), "cannot go to stdout"),
        (("-f", "gexf", "-o", "-", "-q", "blocking-laws", "-p", "asof=1"),
         "No chosen query has the parameter"),
        (("-f", "gexf", "-o", "-", "-q", "no-such-query"), "No named query 'no-such-query'"),
    ]:
        failed = run(env, "export", *args)
        assert failed.returncode == 1 and message in failed.stderr, (args, failed.stderr)
        assert "Traceback" not in failed.stderr
    bad_format = run(env, "export", "-f", "svg", "-o", "x")
    assert bad_format.returncode == 2 and "svg" in bad_format.stderr


def test_api_export(fixture_store):
    client = _client(fixture_store)
    response = client.get("/api/export", params={"format": "graphml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphml+xml")
    assert response.headers["content-disposition"] == 'attachment; filename="policygraph.graphml"'
    assert nx.read_graphml(io.BytesIO(response.content)).number_of_nodes() == 55
    zipped = client.get("/api/export", params={"format": "csv", "query": "blocking-laws", "as_of": MAY_22})
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert sorted(archive.namelist()) == [
            "Agency.csv", "DEPENDS_ON.csv", "DRAFTED_BY.csv", "LED_BY.csv", "Law.csv", "SUPPORTED_BY.csv",
            "Source.csv", "Task.csv"]
        assert archive.read("Law.csv").decode().startswith("id,name,")
    cy = client.get("/api/export", params={"format": "cytoscape", "query": ["blocking-laws", "obstacles"],
                                           "as_of": MAY_22}).json()
    assert {"obstacle-3nha-legal", "law-khcn-dmst"} <= {n["data"]["id"] for n in cy["elements"]["nodes"]}
    assert client.get("/api/export", params={"format": "svg"}).status_code == 422
    stray = client.get("/api/export", params={"format": "gexf", "as_of": MAY_22})
    assert stray.status_code == 422 and "without a query" in stray.json()["error"]
    assert client.get("/api/export", params={"format": "gexf", "query": "nope"}).status_code == 404


def test_replay_reports_a_bad_statement(empty):
    with pytest.raises(QueryError):
        replay_cypher(["UNWIND [1] AS x MERGE (n:Agency {id: x}) SET n.name = ;"], empty)
