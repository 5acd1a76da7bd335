"""Facts the five corpus documents state, checked in the bundled dataset as loaded in the store.

One group of tests per source document, plus provenance checks over the whole graph. Queries
are plain Cypher that both FalkorDB and Neo4j run; `on` is a keyword, so it is back-quoted.
"""

from __future__ import annotations

import pytest

from graph.asof import statuses_on
from queries import get_query

SOURCES = {
    "src-second-session": "2025-03-04_second-session.txt",
    "src-dangcongsan": "2025-05-22_dangcongsan_delayed-tasks-meeting.txt",
    "src-hanoimoi": "2025-05-22_hanoimoi_thematic-meeting.txt",
    "src-25-tb-tgv": "2025-05-24_notice-25-TB-TGV.txt",
    "src-nghean-review": "2025-07-02_nghean-portal_six-month-review.txt",
}
# The official texts ingested through `extract --review` (data/review_*.yaml): one Source each,
# its file the sample in data/samples/ (tests/test_dataset_growth.py checks their tasks).
OFFICIAL_TEXTS = {
    "src-text-03-nq-cp": "03-NQ-CP.md",
    "src-text-11-kh-bcd": "11-KH-BCD-Khanh-Hoa.md",
    "src-text-3260-kh-ddqh15": "3260-KH-DDQH15.md",
    "src-text-877-qd-btp": "877-QD-BTP.docx",
    "src-text-402-cv-vpdu": "402-CV-VPDU-du-thao.md",
    "src-text-1671-qd-ttg": "1671-QD-TTg-PL2-trich.md",
    "src-text-57-nq-tw": "57-NQ-TW.md",
    "src-text-69-kl-tw": "69-KL-TW.md",
    "src-text-20-nq-tw": "20-NQ-TW.md",
    "src-text-04-kh-bcd-cong-hai": "04-KH-BCD-Cong-Hai.md",
    "src-text-03-nq-cp-chuong-trinh": "03-NQ-CP-chuong-trinh.md",
}

def rows(store, query, params=None):
    return store.read(query, params or {}).rows


def one(store, query, params=None):
    found = rows(store, query, params)
    assert len(found) == 1, found
    return found[0]


def status_as_of(store, node_id, date):
    """By the one rule (graph/asof.py)."""
    return statuses_on(store, [node_id], date)[node_id]


def targets(store, start, rel_type):
    query = f"MATCH (a {{id: $id}})-[:{rel_type}]->(b) RETURN b.id AS id ORDER BY id"
    return [r["id"] for r in rows(store, query, {"id": start})]


# --- provenance: every node and relationship cites existing Source nodes ------------------


def test_every_node_has_sources_that_exist(bundled_store):
    empty = one(
        bundled_store, "MATCH (n) WHERE n.sources IS NULL OR size(n.sources) = 0 RETURN count(n) AS c"
    )
    assert empty == {"c": 0}
    unknown = rows(
        bundled_store,
        """
        MATCH (s:Source) WITH collect(s.id) AS ids
        MATCH (n) UNWIND n.sources AS sid
        WITH ids, n, sid WHERE NOT sid IN ids
        RETURN n.id AS node, sid""",
    )
    assert unknown == []


def test_every_relationship_has_sources_that_exist(bundled_store):
    empty = one(
        bundled_store, "MATCH ()-[r]->() WHERE r.sources IS NULL OR size(r.sources) = 0 RETURN count(r) AS c"
    )
    assert empty == {"c": 0}
    unknown = rows(
        bundled_store,
        """
        MATCH (s:Source) WITH collect(s.id) AS ids
        MATCH (a)-[r]->(b) UNWIND r.sources AS sid
        WITH ids, a, r, b, sid WHERE NOT sid IN ids
        RETURN a.id AS start, type(r) AS type, b.id AS end, sid""",
    )
    assert unknown == []


def test_one_source_node_per_corpus_document(bundled_store):
    found = rows(bundled_store, "MATCH (s:Source) RETURN s.id AS id, s.file AS file ORDER BY id")
    assert {r["id"]: r["file"] for r in found} == SOURCES | OFFICIAL_TEXTS
    assert one(bundled_store, "MATCH (s:Source {id: 'src-hanoimoi'}) RETURN s.url AS url") == {
        "url": "https://hanoimoi.vn/tap-trung-thao-go-kho-khan-de-thuc-day-phat-trien-khoa-hoc"
        "-cong-nghe-doi-moi-sang-tao-703182.html"
    }
    assert one(bundled_store, "MATCH (s:Source {id: 'src-25-tb-tgv'}) RETURN s.published_on AS d") == {
        "d": "2025-05-24"
    }


# --- src-second-session (4 March 2025) --------------------------------------------------


def test_second_session_resolution_57_and_sessions(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (d:Document {id: 'doc-57-nq-tw'})-[:ISSUED_BY]->(a:Agency)
        RETURN d.number AS number, d.issued_on AS issued_on, a.id AS issuer""",
    ) == {"number": "57-NQ/TW", "issued_on": "2024-12-22", "issuer": "bo-chinh-tri"}
    found = rows(
        bundled_store,
        """
        MATCH (m:Meeting)-[:CHAIRED_BY]->(p:Person {id: 'person-to-lam'})
        WHERE m.held_on <= '2025-03-31'
        RETURN m.id AS id, m.held_on AS held_on ORDER BY held_on""",
    )
    assert found == [
        {"id": "meeting-2025-01-20", "held_on": "2025-01-20"},
        {"id": "meeting-2025-03-04", "held_on": "2025-03-04"},
    ]


def test_second_session_resolution_193_implements_57(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (d:Document {number: '193/2025/QH15'})-[:IMPLEMENTS]->(r:Document)
        MATCH (d)-[:ISSUED_BY]->(a:Agency)
        RETURN r.id AS implements, a.id AS issuer""",
    ) == {"implements": "doc-57-nq-tw", "issuer": "quoc-hoi"}


def test_second_session_assignments(bundled_store):
    task = "task-2025-03-04-pho-cap-cds-vneid"
    assert targets(bundled_store, task, "LED_BY") == ["ban-tuyen-giao-dan-van-trung-uong"]
    assert "bo-cong-an" in targets(bundled_store, task, "SUPPORTED_BY")
    assert targets(bundled_store, "task-2025-03-04-sua-doi-quy-dinh-diem-nghen", "LED_BY") == [
        "dang-uy-chinh-phu",
        "dang-uy-quoc-hoi",
    ]
    assert one(
        bundled_store,
        """
        MATCH (t:Task {id: 'task-2025-03-04-ngan-sach-3-phan-tram'})-[:ASSIGNED_IN]->(d:Document)
        <-[:RESULTED_IN]-(m:Meeting)
        RETURN t.min_budget_share_pct AS pct, m.id AS meeting""",
    ) == {"pct": 3, "meeting": "meeting-2025-03-04"}


# --- src-dangcongsan (22 May 2025, Party e-portal) ----------------------------------------


def test_dangcongsan_delayed_task_counts(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (m:Meeting {id: 'meeting-2025-05-22'})
        RETURN m.held_on AS held_on, m.delayed_tasks_total AS total,
               m.delayed_tasks_done_or_on_track AS done, m.delayed_tasks_partial AS partial,
               m.delayed_tasks_not_done AS not_done""",
    ) == {"held_on": "2025-05-22", "total": 44, "done": 21, "partial": 9, "not_done": 11}


def test_dangcongsan_late_tasks_and_owners(bundled_store):
    found = rows(
        bundled_store,
        """
        MATCH (t:Task)-[:LED_BY]->(a:Agency)
        WHERE t.id IN ['task-cham-chinh-sach-ppp', 'task-cham-so-tay-dang-vien']
        RETURN t.id AS task, a.id AS lead ORDER BY task""",
    )
    assert found == [
        {"task": "task-cham-chinh-sach-ppp", "lead": "bo-tai-chinh"},
        {"task": "task-cham-so-tay-dang-vien", "lead": "ban-to-chuc-trung-uong"},
    ]
    assert status_as_of(bundled_store, "task-cham-chinh-sach-ppp", "2025-05-22") == "overdue"
    assert status_as_of(bundled_store, "task-cham-so-tay-dang-vien", "2025-05-22") == "overdue"
    assert status_as_of(bundled_store, "task-cham-chinh-sach-ppp", "2025-05-21") is None


def test_dangcongsan_laws_being_amended_on_22_may(bundled_store):
    found = rows(
        bundled_store,
        """
        MATCH (l:Law)-[:HAS_STATUS]->(s:StatusChange {`on`: '2025-05-22', status: 'amending'})
        RETURN l.id AS id ORDER BY id""",
    )
    assert [r["id"] for r in found] == [
        "law-dau-tu",
        "law-giao-duc-dai-hoc",
        "law-khcn-dmst",
        "law-ngan-sach-nha-nuoc",
        "law-quan-ly-tai-san-cong",
        "law-so-huu-tri-tue",
        "law-thue-thu-nhap-ca-nhan",
    ]


def test_dangcongsan_notice_15_and_working_group_report(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (t:Task)-[:ASSIGNED_IN]->(d:Document {number: '15-TB/BCĐTW'})
        MATCH (t)-[:LED_BY]->(a:Agency)
        RETURN d.issued_on AS issued_on, a.id AS lead, t.status AS status""",
    ) == {"issued_on": "2025-04-28", "lead": "thuong-truc-to-giup-viec", "status": "done"}
    assert one(
        bundled_store,
        """
        MATCH (p:Person {id: 'person-ngo-hai-phan'})-[h:HOLDS_POST]->(c:Agency)-[:PART_OF]->(o:Agency)
        RETURN h.title AS title, c.name AS dept, o.id AS office""",
    ) == {
        "title": "Cục trưởng Cục Chuyển đổi số - Cơ yếu",
        "dept": "Cục Chuyển đổi số - Cơ yếu",
        "office": "van-phong-trung-uong-dang",
    }


# --- src-hanoimoi (22 May 2025, Hanoi Moi) -----------------------------------------------


def test_hanoimoi_who_finished_how_many_delayed_tasks(bundled_store):
    found = rows(
        bundled_store,
        """
        MATCH (a:Agency) WHERE a.delayed_tasks_done IS NOT NULL
        RETURN a.id AS id, a.delayed_tasks_done AS done ORDER BY id""",
    )
    assert {r["id"]: r["done"] for r in found} == {
        "van-phong-trung-uong-dang": 5,
        "bo-khcn": 3,
        "cac-co-quan-dang-trung-uong": 3,
        "bo-noi-vu": 2,
        "bo-tai-chinh": 2,
        "quan-uy-trung-uong": 1,
        "ban-to-chuc-trung-uong": 1,
        "thanh-uy-ha-noi": 1,
        "thanh-uy-da-nang": 1,
        "to-giup-viec": 1,
        "bo-cong-an": 1,
        "ban-co-yeu-chinh-phu": 1,
    }


def test_hanoimoi_planned_28_may_meeting_and_urgent_items(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (m:Meeting {id: 'meeting-2025-05-28'})-[:CHAIRED_BY]->(p:Person)
        MATCH (m)-[:ATTENDED_BY]->(a:Agency)
        RETURN m.held_on AS held_on, p.id AS chair, a.id AS attendee""",
    ) == {"held_on": "2025-05-28", "chair": "person-to-lam", "attendee": "thuong-truc-ban-chi-dao"}
    assert one(
        bundled_store, "MATCH (m:Meeting {id: 'meeting-2025-05-22'}) RETURN m.delayed_tasks_urgent AS urgent"
    ) == {"urgent": 19}


def test_hanoimoi_hoa_lac_and_hanoi_people(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (p:Place {id: 'place-khu-cnc-hoa-lac'})-[:LOCATED_IN]->(c:Place)
        RETURN p.kind AS kind, p.engineers AS engineers, c.id AS city""",
    ) == {"kind": "hi_tech_park", "engineers": 3000, "city": "place-ha-noi"}
    found = rows(
        bundled_store,
        """
        MATCH (p:Person)-[h:HOLDS_POST]->(:Agency {id: 'ubnd-ha-noi'})
        RETURN p.name AS name, h.title AS title ORDER BY name""",
    )
    assert found == [
        {"name": "Nguyễn Trọng Đông", "title": "Phó Chủ tịch UBND thành phố"},
        {"name": "Trần Sỹ Thanh", "title": "Chủ tịch UBND thành phố"},
    ]
    assert targets(bundled_store, "task-2025-05-22-duong-sat-so-5", "LED_BY") == ["ubnd-ha-noi"]


# --- src-25-tb-tgv (notice of 24 May 2025) ------------------------------------------------


def test_notice_25_document(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (d:Document {number: '25-TB/TGV'})-[:ISSUED_BY]->(a:Agency)
        MATCH (m:Meeting)-[:RESULTED_IN]->(d)
        RETURN d.id AS id, d.doc_type AS type, d.issued_on AS issued_on, a.id AS issuer,
               m.held_on AS meeting""",
    ) == {
        "id": "doc-25-tb-tgv",
        "type": "notice",
        "issued_on": "2025-05-24",
        "issuer": "to-giup-viec",
        "meeting": "2025-05-22",
    }
    assert one(
        bundled_store,
        """
        MATCH (:Document {id: 'doc-25-tb-tgv'})-[:REFERS_TO]->(d:Document {number: '23-TB/TGV'})
        RETURN d.issued_on AS issued_on""",
    ) == {"issued_on": "2025-05-20"}
    chairs = rows(
        bundled_store,
        """
        MATCH (:Meeting {id: 'meeting-2025-05-22'})-[r:CHAIRED_BY]->(p:Person)
        WHERE 'src-25-tb-tgv' IN r.sources RETURN p.id AS id ORDER BY id""",
    )
    assert chairs == [{"id": "person-nguyen-duy-ngoc"}, {"id": "person-pham-gia-tuc"}]


def test_notice_25_every_assignment_is_a_task(bundled_store):
    found = rows(
        bundled_store,
        """
        MATCH (t:Task)-[:ASSIGNED_IN]->(:Document {id: 'doc-25-tb-tgv'})
        RETURN t.id AS id, t.deadline AS deadline ORDER BY id""",
    )
    deadlines = {r["id"]: r["deadline"] for r in found}
    assert len(deadlines) == 23
    undated = sorted(i for i, d in deadlines.items() if d is None)
    assert undated == ["task-25-tb-tgv-1a3", "task-25-tb-tgv-3a1", "task-25-tb-tgv-4b2", "task-25-tb-tgv-5b"]
    assert {d for d in deadlines.values() if d is not None} == {"2025-05-28"}


def test_notice_25_mof_leads_3nha_financial_guidance(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (t:Task)-[:LED_BY]->(a:Agency {id: $a}) WHERE t.id = $t
        RETURN t.deadline AS d, t.deadline_text AS text""",
        {"a": "bo-tai-chinh", "t": "task-25-tb-tgv-1b"},
    ) == {"d": "2025-05-28", "text": "trước ngày 28/5/2025"}
    assert targets(bundled_store, "task-25-tb-tgv-1b", "ABOUT") == ["topic-3-nha"]


def test_notice_25_leads_and_co_operators(bundled_store):
    assert targets(bundled_store, "task-25-tb-tgv-1a1", "LED_BY") == ["bo-khcn"]
    assert targets(bundled_store, "task-25-tb-tgv-1a3", "SUPPORTED_BY") == ["van-phong-trung-uong-dang"]
    assert targets(bundled_store, "task-25-tb-tgv-2a", "LED_BY") == ["bo-nong-nghiep-moi-truong"]
    assert targets(bundled_store, "task-25-tb-tgv-2a", "REFERS_TO") == [
        "doc-10-2024-nd-cp",
        "law-cong-nghe-cao",
    ]
    leads_2b = rows(
        bundled_store,
        """
        MATCH (t:Task)-[:LED_BY]->(a:Agency)
        WHERE t.id STARTS WITH 'task-25-tb-tgv-2b-' RETURN a.id AS id ORDER BY id""",
    )
    assert [r["id"] for r in leads_2b] == [
        "bo-khcn",
        "bo-noi-vu",
        "bo-nong-nghiep-moi-truong",
        "bo-tai-chinh",
        "bo-xay-dung",
    ]
    assert targets(bundled_store, "task-25-tb-tgv-4b1", "LED_BY") == ["bo-ngoai-giao"]
    assert targets(bundled_store, "task-25-tb-tgv-3a2", "DEPENDS_ON") == ["task-25-tb-tgv-3a1"]
    assert "ubnd-hue" in targets(bundled_store, "task-25-tb-tgv-3b", "LED_BY")


def test_notice_25_law_dependencies_of_3nha_task(bundled_store):
    laws = rows(
        bundled_store,
        """
        MATCH (:Task {id: 'task-25-tb-tgv-1a1'})-[:DEPENDS_ON]->(l:Law)
        RETURN l.name AS name ORDER BY name""",
    )
    assert [r["name"] for r in laws] == [
        "Luật Giáo dục đại học",
        "Luật Khoa học, Công nghệ và Đổi mới sáng tạo",
        "Luật Ngân sách nhà nước",
        "Luật Quản lý tài sản công",
        "Luật Sở hữu trí tuệ",
        "Luật Đầu tư",
    ]


# --- src-nghean-review (2 July 2025) --------------------------------------------------------


def test_nghean_two_laws_passed_by_2_july(bundled_store):
    assert status_as_of(bundled_store, "law-khcn-dmst", "2025-05-22") == "amending"
    assert status_as_of(bundled_store, "law-khcn-dmst", "2025-07-01") == "amending"
    assert status_as_of(bundled_store, "law-khcn-dmst", "2025-07-02") == "passed"
    assert status_as_of(bundled_store, "law-cong-nghiep-cong-nghe-so", "2025-07-02") == "passed"
    found = rows(
        bundled_store,
        """
        MATCH (l:Law) WHERE l.status = 'passed' RETURN l.name AS name, l.status_on AS on_ ORDER BY name""",
    )
    assert found == [
        {"name": "Luật Công nghiệp Công nghệ số", "on_": "2025-07-02"},
        {"name": "Luật Khoa học, Công nghệ và Đổi mới sáng tạo", "on_": "2025-07-02"},
    ]


def test_nghean_what_blocks_the_3nha_law_task_changes_over_time(bundled_store):
    def blocking(date):
        found = get_query("blocking-laws").run(bundled_store, {"as_of": date}).rows
        return sorted(r["law_id"] for r in found if r["task_id"] == "task-25-tb-tgv-1a1")

    before = blocking("2025-05-22")
    after = blocking("2025-07-02")
    assert "law-khcn-dmst" in before
    assert "law-khcn-dmst" not in after
    assert after == [
        "law-dau-tu",
        "law-giao-duc-dai-hoc",
        "law-ngan-sach-nha-nuoc",
        "law-quan-ly-tai-san-cong",
        "law-so-huu-tri-tue",
    ]


def test_nghean_figures(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (t:Topic {id: 'topic-he-sinh-thai-khcn-dmst'})
        RETURN t.st_enterprises AS st, t.hi_tech_enterprises AS hi_tech,
               t.digital_tech_enterprises AS digital""",
    ) == {"st": 858, "hi_tech": 45, "digital": 73000}
    assert one(
        bundled_store,
        """
        MATCH (a:Agency {id: 'chinh-phu'})
        RETURN a.decrees_issued_2025_h1 AS decrees, a.resolutions_issued_2025_h1 AS resolutions""",
    ) == {"decrees": 16, "resolutions": 1}
    assert one(
        bundled_store,
        """
        MATCH (d:Document {id: 'doc-danh-muc-cong-nghe-chien-luoc'})-[:ISSUED_BY]->(a:Agency)
        RETURN d.technology_groups AS groups, a.id AS issuer""",
    ) == {"groups": 11, "issuer": "chinh-phu"}
    assert one(
        bundled_store,
        "MATCH (m:Meeting {id: 'meeting-2025-07-02'}) RETURN m.held_on AS d, m.platforms_launched AS p",
    ) == {"d": "2025-07-02", "p": 3}


def test_nghean_expert_cohorts(bundled_store):
    assert one(
        bundled_store,
        """
        MATCH (e:Expert)-[:AFFILIATED_WITH]->(a:Agency {id: 'bo-khcn'})
        RETURN e.id AS id, e.headcount AS headcount""",
    ) == {"id": "expert-277-chuyen-gia-ai", "headcount": 277}
    assert one(
        bundled_store,
        """
        MATCH (e:Expert)-[:PARTICIPATES_IN]->(:Topic {id: 'topic-100-chuyen-gia-ai'})
        RETURN e.id AS id, e.headcount AS headcount""",
    ) == {"id": "expert-100-chuyen-gia-ai-muc-tieu", "headcount": 100}


def test_nghean_assignments(bundled_store):
    task = "task-2025-07-02-chinh-sach-thu-hut-nhan-luc"
    assert targets(bundled_store, task, "LED_BY") == ["bo-noi-vu"]
    assert targets(bundled_store, task, "SUPPORTED_BY") == ["bo-gddt", "bo-khcn", "bo-tai-chinh"]
    assert one(
        bundled_store,
        """
        MATCH (t:Task {id: 'task-2025-07-02-trung-tam-du-lieu-quoc-gia'})-[:LED_BY]->(a:Agency)
        MATCH (t)-[:REFERS_TO]->(d:Document)
        RETURN a.id AS lead, d.number AS number, d.issued_on AS issued_on""",
    ) == {"lead": "bo-cong-an", "number": "71/NQ-CP", "issued_on": "2025-04-01"}
    assert one(
        bundled_store,
        """
        MATCH (t:Task {id: 'task-2025-07-02-ke-hoach-02'})-[:REFERS_TO]->(d:Document)
        RETURN t.deadline AS deadline, d.number AS number, d.issued_on AS issued_on""",
    ) == {"deadline": "2025-12-31", "number": "02-KH/BCĐTW", "issued_on": "2025-06-19"}
    assert status_as_of(bundled_store, "task-25-tb-tgv-4a1", "2025-05-28") is None
    assert status_as_of(bundled_store, "task-25-tb-tgv-4a1", "2025-07-02") == "done"


@pytest.mark.parametrize("alias", ["Bộ KH&CN", "Bộ KHCN", "MOST", "Bộ Khoa học và công nghệ"])
def test_most_aliases_are_in_the_data(bundled_store, alias):
    found = rows(
        bundled_store, "MATCH (a:Agency) WHERE $alias IN a.aliases RETURN a.id AS id", {"alias": alias}
    )
    assert found == [{"id": "bo-khcn"}]
