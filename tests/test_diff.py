"""`policygraph load --dry-run` prints the diff it would apply, and that diff is exactly
what the load then writes (issue 16), on the real store."""

from __future__ import annotations

import json

from loaders.load import load_paths
from tests.cli_run import run_cli as run
from tests.test_statements import NOTICE, REPORT, write


def snapshot(store) -> dict:
    """Every node and relationship as the graph's readers see it (search_key aside)."""
    nodes = store.read("MATCH (n) RETURN n").rows
    rels = store.read("MATCH ()-[r]->() RETURN r").rows
    state = {("node", n["n"]["id"]): {k: v for k, v in n["n"]["properties"].items()
                                      if k != "search_key"} for n in nodes}
    state.update({("relationship", (r["r"]["type"], r["r"]["start"], r["r"]["end"])):
                  r["r"]["properties"] for r in rels})
    return state


def applied(state: dict, changes) -> dict:
    result = dict(state)
    for change in changes:
        key = (change.kind, change.key)
        if change.after is None:
            assert key in result, f"the diff removes {key}, which is not there"
            del result[key]
        else:
            assert (key in result) == (change.before is not None), key
            if change.before is not None:
                assert result[key] == change.before, key
            result[key] = change.after
    return result


def test_the_dry_run_diff_is_what_the_load_then_writes(store, tmp_path):
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    load_paths([write(tmp_path, "report.yaml", REPORT)], store)
    corrected = write(tmp_path, "notice.yaml", NOTICE.replace(
        "      SUPPORTED_BY: [bo-b]\n", "      SUPPORTED_BY: [bo-c]\n").replace(
        "  - {label: Agency, id: bo-b, name: Bộ B, kind: ministry, sources: [src-notice]}\n",
        "  - {label: Agency, id: bo-c, name: Bộ C, kind: ministry, sources: [src-notice]}\n").replace(
        "    summary: report on the PPP mechanism\n", "    summary: the PPP mechanism, revised\n"))
    before = snapshot(store)
    dry = load_paths([corrected], store, dry_run=True)
    assert snapshot(store) == before, "a dry run writes nothing"
    assert {(c.kind, c.action) for c in dry.changes} == {
        ("node", "added"), ("node", "removed"), ("node", "changed"),
        ("relationship", "added"), ("relationship", "removed")}
    expected = applied(before, dry.changes)
    real = load_paths([corrected], store)
    assert snapshot(store) == expected
    assert [(c.kind, c.key, c.before, c.after) for c in real.changes] == \
        [(c.kind, c.key, c.before, c.after) for c in dry.changes]
    assert load_paths([corrected], store, dry_run=True).changes == []


def test_cli_dry_run_prints_the_diff_per_source(cli_env, tmp_path):
    from graph.settings import Settings
    from graph.store import open_store

    notice = write(tmp_path, "notice.yaml", NOTICE)
    run(cli_env, "load", str(notice), check=True)
    run(cli_env, "load", str(write(tmp_path, "report.yaml", REPORT)), check=True)
    write(tmp_path, "notice.yaml", NOTICE.replace("    summary: report on the PPP mechanism\n", "")
          .split("  - label: Task")[0])  # the notice no longer names the task
    result = run(cli_env, "load", "--dry-run", str(notice), "-f", "json", check=True)
    rows = json.loads(result.stdout)
    task = [r for r in rows if r["id"] == "task-1"]
    assert task[0] == {"change": "changed", "kind": "node", "label": "Task", "id": "task-1",
                       "property": None, "old": None, "new": None,
                       "sources": "src-notice withdraws"}
    values = {r["property"]: (r["old"], r["new"]) for r in task[1:]}
    assert values == {"sources": (["src-notice", "src-report"], ["src-report"]),
                      "summary": ("report on the PPP mechanism", None)}
    removed = [r for r in rows if r["change"] == "removed"]
    assert [(r["kind"], r["id"]) for r in removed] == [
        ("relationship", "task-1 -SUPPORTED_BY-> bo-b")]
    assert "would change: 0 nodes added, 1 changed, 0 removed; 0 relationships added, 1 changed, " \
           "1 removed" in " ".join(result.stderr.split())
    table = run(cli_env, "load", "--dry-run", str(notice), check=True)
    assert "By source" in table.stdout and "src-noti" in table.stdout, table.stdout
    store = open_store(Settings(home=cli_env["POLICYGRAPH_HOME"], graph=cli_env["POLICYGRAPH_GRAPH"]))
    try:
        assert store.read("MATCH (t:Task {id: 'task-1'}) RETURN t.sources AS s").rows == [
            {"s": ["src-notice", "src-report"]}], "the dry run wrote nothing"
    finally:
        store.clear()
