"""`policygraph extract` as a person runs it, and `--load` through the validating loader."""

from __future__ import annotations

import json

from tests.cli_run import run_cli as run
from tests.conftest import REPO

NOTICE = REPO / "data" / "samples" / "25-TB-TGV.txt"
FIXTURE = REPO / "tests" / "fixtures" / "notices" / "41-TB-TGV.txt"


def test_json_follows_the_output_contract(cli_env):
    result = run(cli_env, "extract", str(NOTICE), "--format", "json", check=True)
    [doc] = json.loads(result.stdout)
    assert doc["document"]["number"] == "25-TB/TGV" and doc["document"]["issued_on"] == "2025-05-24"
    assert len(doc["tasks"]) == 23
    first = doc["tasks"][0]
    assert {"lead", "co", "deadline", "deadline_text", "refs", "summary", "span"} <= set(first)
    assert first["lead"] == "Bộ Khoa học và Công nghệ" and first["lead_id"] == "bo-khcn"
    assert first["deadline"] == "2025-05-28"
    assert {"agencies", "laws", "documents"} <= set(doc)


def test_yaml_and_table_formats(cli_env):
    yaml_out = run(cli_env, "extract", str(FIXTURE), "-f", "yaml", check=True).stdout
    assert yaml_out.startswith("source: 41-TB-TGV.txt")
    table = run(cli_env, "extract", str(FIXTURE), check=True).stdout
    assert "41-TB/TGV" in table and "2026-01-10" in table


def test_missing_and_non_utf8_files_give_a_clear_error(cli_env, tmp_path):
    missing = run(cli_env, "extract", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Bộ Tài chính".encode("utf-16"))
    bad = run(cli_env, "extract", str(latin))
    assert bad.returncode == 1 and "not UTF-8" in bad.stderr and "Traceback" not in bad.stderr


def _count(env, cypher: str) -> list:
    return json.loads(run(env, "query", "--cypher", cypher, "-f", "json", check=True).stdout)


def test_load_links_known_agencies_flags_new_ones_and_keeps_spans(cli_env, tmp_path):
    run(cli_env, "load", check=True)  # the bundled dataset
    before = _count(cli_env, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    # the notice with a lead the bundled graph does not know (it knows Bộ Tư pháp since 03/NQ-CP)
    notice = tmp_path / FIXTURE.name
    notice.write_text(FIXTURE.read_text(encoding="utf-8").replace("Bộ Tư pháp", "Kiểm toán Nhà nước"),
                      encoding="utf-8")
    result = run(cli_env, "extract", str(notice), "--load", "-f", "json", check=True)
    assert "new candidate agency: Kiểm toán Nhà nước" in result.stderr
    rows = _count(cli_env, "MATCH (t:Task)-[a:ASSIGNED_IN]->(d:Document {number: '41-TB/TGV'}) "
                           "MATCH (t)-[l:LED_BY]->(g:Agency) "
                           "RETURN t.id AS task, t.deadline AS deadline, g.id AS lead, l.span AS span, "
                           "l.sources AS sources ORDER BY task")
    by_task = {r["task"]: r for r in rows}
    assert by_task["task-41-tb-tgv-1-p1-2"]["lead"] == "bo-khcn"  # resolved through the aliases
    assert by_task["task-41-tb-tgv-1-p1-2"]["deadline"] == "2026-01-31"
    assert by_task["task-41-tb-tgv-1-p1-1"]["lead"] == "agency-kiem-toan-nha-nuoc"  # a candidate
    assert by_task["task-41-tb-tgv-1-p1-1"]["span"] == [466, 607]  # 8 characters longer a name
    assert all(r["sources"] == ["src-text-41-tb-tgv"] for r in rows)  # the text, its own source
    candidate = _count(cli_env, "MATCH (a:Agency {id: 'agency-kiem-toan-nha-nuoc'}) "
                              "RETURN a.name AS n, a.note AS note")
    assert candidate[0]["n"] == "Kiểm toán Nhà nước" and "candidate" in candidate[0]["note"]
    after = _count(cli_env, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    run(cli_env, "extract", str(notice), "--load", "-f", "json", check=True)
    assert _count(cli_env, "MATCH (n) RETURN count(n) AS n")[0]["n"] == after > before


def test_explain_shows_units_cues_and_evidence(cli_env, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("Hà Nội, ngày 2 tháng 6 năm 2025\nĐề nghị Bộ Y tế hoàn thiện đề án "
                      "trong tháng 7/2025. Báo cáo Thủ tướng kết quả.\n", encoding="utf-8")
    out = run(cli_env, "extract", "--explain", str(letter), check=True).stdout
    assert "how the text was read" in out and "request" in out and "verb-first" in out
    assert "2025-07-31" in out and "2 tasks and their evidence" in out
