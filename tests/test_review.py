"""Issue 16: review before load, merging without duplicates, later documents that update
earlier tasks, on the real store through the command line a clerk uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.cli_run import run_cli as run
from tests.conftest import REPO, scratch_graph
from tests.test_diff import snapshot

NOTICE = REPO / "data" / "samples" / "25-TB-TGV.txt"
LATER = """TỔ GIÚP VIỆC BAN CHỈ ĐẠO TRUNG ƯƠNG
Số 42-TB/TGV
Hà Nội, ngày 20 tháng 6 năm 2025

THÔNG BÁO
về tiến độ thực hiện các nhiệm vụ tại Thông báo số 25-TB/TGV

1. Bộ Tài chính đã hoàn thành việc ban hành văn bản hướng dẫn cơ chế tài chính đối với các nội \
dung chi trong mô hình hợp tác "3 Nhà" (nhiệm vụ tại điểm 1.b Thông báo số 25-TB/TGV).
2. Lùi thời hạn hoàn thành nhiệm vụ rà soát cơ sở pháp lý công nhận Khu Nông nghiệp công nghệ \
cao Thành phố Hồ Chí Minh của Bộ Nông nghiệp và Môi trường (điểm 2.a Thông báo số 25-TB/TGV) \
đến ngày 30/6/2025.
3. Bộ Ngoại giao còn chậm trong việc đề xuất nội dung tiếp xúc, gặp gỡ các nhà khoa học, chuyên \
gia người Việt Nam ở nước ngoài.
"""
REASSIGNED = """TỔ GIÚP VIỆC BAN CHỈ ĐẠO TRUNG ƯƠNG
Số 43-TB/TGV
Hà Nội, ngày 10 tháng 7 năm 2025

THÔNG BÁO
kết luận cuộc họp ngày 8/7/2025

Thường trực Tổ Giúp việc kết luận như sau:
1. Về cơ chế tài chính
Bộ Tài chính chủ trì ban hành văn bản hướng dẫn triển khai cơ chế tài chính đối với các \
nội dung chi trong mô hình hợp tác "3 Nhà", báo cáo trước ngày 31/7/2025.
2. Về dữ liệu y tế
Bộ Y tế chủ trì xây dựng cơ sở dữ liệu quốc gia về y tế, hoàn thành trong quý IV/2025.
"""


@pytest.fixture
def bundled(server, cli_env):
    """The bundled dataset in the graph the CLI of `cli_env` writes (a graph of this test's)."""
    with scratch_graph(server, cli_env["POLICYGRAPH_GRAPH"]) as store:
        run(cli_env, "load", check=True)
        yield store


def decide(path: Path, decisions: dict[str, str]) -> None:
    """Edit a review file as a person would: a decision per entry id."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for node in document["nodes"]:
        node["review"] = decisions.get(node["id"], node["review"])
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _dry_run(env, path: Path) -> list[dict]:
    return json.loads(run(env, "load", str(path), "--dry-run", "-f", "json", check=True).stdout)


def _without_sources(state: dict) -> dict:
    return {key: {k: v for k, v in props.items() if k != "sources"} for key, props in state.items()}


def test_the_bundled_notice_extracted_changes_nothing_but_provenance(bundled, cli_env, tmp_path):
    before = snapshot(bundled)
    out = tmp_path / "25.review.yaml"
    run(cli_env, "extract", str(NOTICE), "--review", str(out), check=True)
    review = yaml.safe_load(out.read_text(encoding="utf-8"))
    tasks = [n for n in review["nodes"] if n["label"] == "Task"]
    assert len(tasks) == 23 and all(t["review"] == "merge" for t in tasks)
    assert {t["match"]["how"] for t in tasks} == {"same document and item"}
    known = bundled.read("MATCH (t:Task)-[:ASSIGNED_IN]->(:Document {id: 'doc-25-tb-tgv'}) "
                         "RETURN t.id AS id").rows
    assert {t["id"] for t in tasks} == {r["id"] for r in known}
    first = next(t for t in tasks if t["id"] == "task-25-tb-tgv-1a1")
    assert first["evidence"]["deadline_phrase"] == "trước ngày 28/5/2025" and first["evidence"]["span"]
    assert any(m["as_written"] == "Bộ Tài chính" and m["id"] == "bo-tai-chinh"
               for m in review["review"]["mentions"])

    rows = _dry_run(cli_env, out)
    added = [(r["kind"], r["id"]) for r in rows if r["change"] == "added"]
    assert added == [("node", "src-text-25-tb-tgv")]  # the text as a source, nothing else new
    assert {r["property"] for r in rows if r["change"] == "value"} == {"sources"}
    assert not [r for r in rows if r["change"] == "removed"]

    run(cli_env, "load", str(out), check=True)
    after = snapshot(bundled)
    assert set(after) == set(before) | {("node", "src-text-25-tb-tgv")}
    assert _without_sources({k: v for k, v in after.items() if k in before}) == _without_sources(before)
    for task in tasks:  # the notice text is a second source of every task of the notice
        assert after[("node", task["id"])]["sources"] == sorted(
            before[("node", task["id"])]["sources"] + ["src-text-25-tb-tgv"])

    # the trusted pipeline, and a second extraction, change nothing at all
    result = run(cli_env, "extract", str(NOTICE), "--load", "-f", "json", check=True)
    assert result.stderr.count("(same document and item): merged") == 23
    assert "0 nodes added, 0 changed" in result.stderr or "no change" in result.stderr
    assert snapshot(bundled) == after
    run(cli_env, "extract", str(NOTICE), "--load", "-f", "json", check=True)
    assert snapshot(bundled) == after


def test_a_later_notice_closes_one_task_and_moves_anothers_deadline(bundled, cli_env, tmp_path):
    text = tmp_path / "42-TB-TGV.txt"
    text.write_text(LATER, encoding="utf-8")
    out = tmp_path / "42.review.yaml"
    run(cli_env, "extract", str(text), "--review", str(out), check=True)
    review = yaml.safe_load(out.read_text(encoding="utf-8"))
    progress = {n["match"]["id"]: n for n in review["nodes"] if "progress" in n}
    assert progress["task-25-tb-tgv-1b"]["review"] == "merge"  # named by notice and item
    assert progress["task-25-tb-tgv-1b"]["history"] == [{"status": "done", "on": "2025-06-20"}]
    assert progress["task-25-tb-tgv-2a"]["deadline_change"] == {"deadline": "2025-06-30",
                                                               "on": "2025-06-20"}
    fuzzy = progress["task-25-tb-tgv-4b1"]  # only resembles it: proposed, to check
    assert fuzzy["review"] == "check" and fuzzy["match"]["how"] == "proposed"
    assert "lead bo-ngoai-giao" in fuzzy["match"]["by"]

    refused = run(cli_env, "load", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    undecided = next(i for i, row in enumerate(lines) if row.strip() == "review: check")
    line = max(i for i in range(undecided) if lines[i].startswith("- label:")) + 1  # its entry
    assert refused.returncode == 2 and f"{out}:{line}" in refused.stderr
    assert "not reviewed yet" in refused.stderr and "Traceback" not in refused.stderr
    out.write_text(out.read_text(encoding="utf-8").replace("review: check", "review: accept"),
                   encoding="utf-8")

    before = snapshot(bundled)
    rows = _dry_run(cli_env, out)
    run(cli_env, "load", str(out), check=True)
    src = "src-text-42-tb-tgv"
    closed = bundled.read(
        "MATCH (t:Task {id: 'task-25-tb-tgv-1b'})-[h:HAS_STATUS]->(s:StatusChange) "
        "RETURN t.status AS now, s.status AS status, s.on AS on, s.sources AS sources, "
        "h.sources AS link").rows
    assert closed == [{"now": "done", "status": "done", "on": "2025-06-20", "sources": [src],
                       "link": [src]}]
    late = bundled.read("MATCH (t:Task {id: 'task-25-tb-tgv-4b1'})-[:HAS_STATUS]->(s) "
                        "RETURN s.status AS status, s.on AS on").rows
    assert {"status": "overdue", "on": "2025-06-20"} in late
    moved = bundled.read(
        "MATCH (t:Task {id: 'task-25-tb-tgv-2a'})-[:HAS_DEADLINE]->(d:DeadlineChange) "
        "RETURN t.deadline AS first, d.deadline AS deadline, d.on AS on, d.sources AS sources").rows
    assert moved == [{"first": "2025-05-28", "deadline": "2025-06-30", "on": "2025-06-20",
                      "sources": [src]}]  # the old deadline stays: Task.deadline, as first set
    status = {r["task_id"]: r for r in json.loads(run(
        cli_env, "query", "task-status", "-p", "as_of=2025-06-25", "-f", "json", check=True).stdout)}
    assert status["task-25-tb-tgv-2a"]["deadline"] == "2025-06-30"
    assert status["task-25-tb-tgv-2a"]["first_deadline"] == "2025-05-28"
    assert status["task-25-tb-tgv-2a"]["slipped"] == 1
    assert status["task-25-tb-tgv-1b"]["category"] == "done_late"
    assert not [r for r in rows if r["change"] == "added" and r["label"] == "Task"]

    run(cli_env, "retract", src, check=True)  # withdrawn: the history it added goes with it
    assert snapshot(bundled) == before


def test_a_reassignment_is_proposed_never_merged_silently(bundled, cli_env, tmp_path):
    text = tmp_path / "43-TB-TGV.txt"
    text.write_text(REASSIGNED, encoding="utf-8")
    out = tmp_path / "43.review.yaml"
    run(cli_env, "extract", str(text), "--review", str(out), check=True)
    review = yaml.safe_load(out.read_text(encoding="utf-8"))
    [proposed] = [n for n in review["nodes"] if n["label"] == "Task" and n["review"] == "check"]
    assert proposed["match"]["id"] == "task-25-tb-tgv-1b"
    assert [c["id"] for c in proposed["match"]["candidates"]][0] == "task-25-tb-tgv-1b"
    assert proposed["item"] == "1" and proposed["deadline"] == "2025-07-31"

    # the trusted pipeline says what it found and keeps the task apart
    trusted = run(cli_env, "extract", str(text), "--load", check=True)
    assert "may be the same as task-25-tb-tgv-1b" in trusted.stderr and "not merged" in trusted.stderr
    new = bundled.read("MATCH (t:Task {id: $id}) RETURN t.item AS item", {"id": proposed["id"]}).rows
    assert new == [{"item": "1"}]

    # a person decides it is the same task: the review file merges it, no task is added
    decide(out, {proposed["id"]: "merge", "agency-bo-y-te": "accept"})
    run(cli_env, "load", str(out), check=True)
    assert not bundled.read("MATCH (t:Task {id: $id}) RETURN t.id", {"id": proposed["id"]}).rows
    task = bundled.read("MATCH (t:Task {id: 'task-25-tb-tgv-1b'}) "
                        "RETURN t.name AS name, t.deadline AS deadline, t.sources AS sources").rows[0]
    assert task["deadline"] == "2025-05-28" and "src-text-43-tb-tgv" in task["sources"]
    assert task["name"].startswith("Văn bản hướng dẫn triển khai cơ chế tài chính")
    other = bundled.read("MATCH (t:Task)-[:ASSIGNED_IN]->(:Document {number: '43-TB/TGV'}) "
                         "RETURN t.item AS item").rows
    assert other == [{"item": "2"}]  # the unmatched task is a new one, with its item
