"""The free-form reader, one pattern per test, on sentences written for these tests.

Letters, news reports and plans (not numbered notices) go through segment → cues → prose /
tables. Each test below is a pattern of the genre, written anew (never copied from the
development set, which is only the measure: see ``test_extract_devset.py``).
"""

from __future__ import annotations

from datetime import date

from loaders.aliases import AliasTable
from loaders.extract import extract
from loaders.extract.deadlines import find_deadlines, parse_cell
from loaders.extract.resolve import fuzzy_resolver
from loaders.extract.segment import segment

LETTER = "Hà Nội, ngày 12 tháng 8 năm 2025\n"


def tasks(body: str, head: str = LETTER):
    return extract(head + body, source_name="t.txt").tasks


def pairs(body: str, head: str = LETTER):
    return [(t.lead, t.deadline.isoformat() if t.deadline else None) for t in tasks(body, head)]


def test_intro_lead_passes_to_every_dash_item_with_the_document_year():
    body = ("Phó Thủ tướng giao Bộ Nội vụ chủ trì, phối hợp với các cơ quan liên quan thực hiện:\n"
            "- Rà soát quy chế làm việc của các tổ công tác.\n"
            "- Báo cáo Thủ tướng trước ngày 15/9.\n")
    assert pairs(body) == [("Bộ Nội vụ", None), ("Bộ Nội vụ", "2025-09-15")]
    first = tasks(body)[0]
    assert first.evidence.cue.startswith("verb-first") and first.evidence.inherited_from is not None


def test_numbered_items_under_an_intro_naming_the_addressee():
    body = ("Xét báo cáo của Bộ Y tế, Phó Thủ tướng chỉ đạo Bộ Y tế như sau:\n"
            "1. Làm rõ nguồn kinh phí của đề án.\n2. Hoàn chỉnh hồ sơ, trình Thủ tướng.\n")
    assert pairs(body) == [("Bộ Y tế", None), ("Bộ Y tế", None)]


def test_de_nghi_and_yeu_cau_name_the_assignee_after_the_cue():
    assert pairs("Đề nghị Bộ Y tế hoàn thiện đề án trong tháng 10/2025.") == [("Bộ Y tế", "2025-10-31")]
    assert pairs("Thủ tướng yêu cầu giao Bộ Xây dựng chủ trì lập quy hoạch.") == [("Bộ Xây dựng", None)]
    task = tasks("Đề nghị Bộ Y tế hoàn thiện đề án trong tháng 10/2025.")[0]
    assert task.evidence.cue == "Đề nghị" and task.evidence.lead_span is not None


def test_subject_with_a_strong_cue_and_its_cooperators():
    [task] = tasks("Bộ Công Thương chủ trì, phối hợp với Bộ Tài chính xây dựng cơ chế giá điện.")
    assert task.lead == "Bộ Công Thương" and task.co == ["Bộ Tài chính"]
    assert task.summary.startswith("Chủ trì")


def test_officials_stand_for_their_bodies():
    [task] = tasks("Bộ trưởng Bộ Công an khẩn trương ban hành quy chế khai thác dữ liệu.")
    assert task.lead == "Bộ trưởng Bộ Công an" and task.lead_norm == "Bộ Công an"
    [task] = tasks("Chủ tịch Ủy ban nhân dân tỉnh Lào Cai có trách nhiệm bố trí kinh phí.")
    assert task.lead_norm == "Ủy ban nhân dân tỉnh Lào Cai"


def test_a_place_as_assignee_is_its_peoples_committee():
    [task] = tasks("Đà Nẵng phải hoàn thành quy hoạch khu công nghệ cao trước ngày 30/9.")
    assert (task.lead, task.lead_norm) == ("Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng")
    assert task.deadline == date(2025, 9, 30)


def test_generic_groups_lead_but_are_not_agencies():
    result = extract(LETTER + "Các bộ, ngành, địa phương khẩn trương rà soát thủ tục.", source_name="t")
    [task] = result.tasks
    assert task.lead == "Các bộ, ngành, địa phương" and task.lead_kind == "generic"
    assert result.agencies == []


def test_verb_first_sentence_continues_the_previous_subject():
    body = "Yêu cầu Sở Tài chính chủ trì rà soát kinh phí. Báo cáo Ủy ban nhân dân tỉnh kết quả."
    got = tasks(body)
    assert [t.lead for t in got] == ["Sở Tài chính", "Sở Tài chính"]
    assert got[1].evidence.cue.startswith("verb-first")


def test_anaphoric_head_points_back_to_the_last_body_of_that_kind():
    body = ("Ban Tổ chức Trung ương được giao xây dựng quy chế.\n"
            "Đồng thời, Ban phối hợp với Bộ Nội vụ hướng dẫn các địa phương.\n")
    assert [t.lead for t in tasks(body)] == ["Ban Tổ chức Trung ương", "Ban Tổ chức Trung ương"]


def test_a_deadline_only_sentence_completes_the_task_before_it():
    body = "Giao Bộ Ngoại giao chủ trì chuẩn bị hồ sơ hợp tác. Hoàn thành trong tháng 11 năm 2025."
    assert pairs(body) == [("Bộ Ngoại giao", "2025-11-30")]


def test_a_semicolon_splits_only_where_the_deadline_changes():
    body = ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ:\n"
            "Ban hành kế hoạch trong tháng 3 năm 2025; Hoàn thiện cơ sở dữ liệu; Kết nối hệ thống.\n")
    assert pairs(body) == [("Bộ trưởng, Thủ trưởng cơ quan ngang bộ", "2025-03-31"),
                           ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ", None)]


def test_two_assignees_in_one_sentence_give_two_tasks():
    body = ("Theo kế hoạch, UBND tỉnh yêu cầu Sở Y tế số hóa hồ sơ bệnh án.\n"
            "Công an tỉnh bảo đảm an ninh mạng, còn Sở KH-CN chủ trì kết nối dữ liệu.\n")
    got = tasks(body)
    assert [t.lead for t in got] == ["Sở Y tế", "Công an tỉnh", "Sở KH-CN"]
    assert got[2].lead_norm == "Sở Khoa học và Công nghệ"


def test_background_requesters_and_meetings_are_not_tasks():
    body = ("Ngày 3/4/2025, Bộ Chính trị ban hành Kết luận về sắp xếp bộ máy.\n"
            "Quốc hội đã thông qua Luật Dữ liệu.\n"
            "Tổng Bí thư yêu cầu hoàn thiện hạ tầng số trên cả nước.\n"
            "Thủ tướng Phạm Minh Chính chủ trì hội nghị trực tuyến.\n"
            "Hải Phòng kiến nghị Trung ương mở rộng khu kinh tế.\n")
    assert tasks(body) == []


def test_a_later_addressee_after_a_deadline_and_a_relative_clause():
    body = "Đồng chí Trưởng ban yêu cầu trước ngày 20/9, từng đơn vị được giao nhiệm vụ phải báo cáo."
    [(lead, deadline)] = pairs(body)
    assert lead.startswith("từng đơn vị") and deadline == "2025-09-20"


def test_a_request_repeated_to_add_its_deadline_is_one_task():
    body = ("Văn phòng kính đề nghị các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy góp ý dự thảo.\n"
            "Kính đề nghị Đồng chí gửi ý kiến trước 17h00 ngày 30 tháng 8 năm 2025.\n")
    got = tasks(body)
    assert len(got) == 1 and got[0].deadline == date(2025, 8, 30)


def test_hard_wrapped_lines_are_one_sentence():
    body = ("Hội nghị diễn ra tại\nđiểm cầu của tỉnh với sự tham\ngia của các sở.\n"
            "Tổng Bí thư giao Bộ Giáo dục\nvà Đào tạo chủ trì xây dựng đề án\nđào tạo nhân lực.\n")
    assert [t.lead for t in tasks(body)] == ["Bộ Giáo dục và Đào tạo"]


def test_deadline_forms_and_distractors():
    year = date(2025, 3, 1)
    found = lambda s: [d.on.isoformat() if d.on else None for d in find_deadlines(s, issued_on=year)]  # noqa: E731
    assert found("hoàn thành trong quý III/2025") == ["2025-09-30"]
    assert found("trong Quý I năm 2026") == ["2026-03-31"]
    assert found("trong tháng 8/2025") == ["2025-08-31"]
    assert found("hoàn thành trong năm 2025") == ["2025-12-31"]
    assert found("trước ngày 15/9") == ["2025-09-15"]
    assert found("thực hiện từ 01/01/2026") == []
    assert found("chiến lược đến năm 2030") == []
    assert found("các nhiệm vụ có thời hạn hoàn thành trong năm 2025") == []
    assert found("gửi trước 9h30 ngày 4 tháng 4 năm 2025") == ["2025-04-04"]


def test_a_target_date_that_assigns_nothing_is_no_task():
    assert tasks("Đến 01/10/2025, hồ sơ chỉ được tiếp nhận trực tuyến.") == []
    assert pairs("Bộ Tài chính chủ trì áp dụng quy định mới từ 01/01/2026.") == [("Bộ Tài chính", None)]


def test_table_cells_become_deadlines():
    assert parse_cell("Quý II/2026").on == date(2026, 6, 30)
    assert parse_cell("Tháng 7/2025").on == date(2025, 7, 31)
    assert parse_cell("09/2025").on == date(2025, 9, 30)
    assert parse_cell("2027").on == date(2027, 12, 31)
    recurring = parse_cell("Hằng năm")
    assert recurring.on is None and recurring.text == "Hằng năm"


def test_plan_table_rows_are_tasks_with_their_cells():
    text = (LETTER + "| STT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn |\n"
            "|---|---|---|---|---|\n"
            "| **I.** | Hoàn thiện thể chế |  |  |  |\n"
            "| 1. | Xây dựng nghị định về dữ liệu mở | Bộ Công an | Bộ Tư pháp, các bộ, ngành "
            "| Quý III/2025 |\n"
            "| 2. | Tổ chức tập huấn | Bộ, ngành, địa phương |  | Thường xuyên |\n"
            "|   | tập huấn (tiếp) |  |  |  |\n")
    got = extract(text, source_name="plan.txt").tasks
    assert [(t.lead, t.deadline) for t in got] == [("Bộ Công an", date(2025, 9, 30)),
                                                 ("Bộ, ngành, địa phương", None)]
    assert got[0].co == ["Bộ Tư pháp"] and got[0].co_generic == ["các bộ, ngành"]
    assert got[0].topic == "Hoàn thiện thể chế" and got[1].recurrence == "Thường xuyên"
    assert got[0].evidence.deadline_span is not None


def test_segmentation_links_items_to_their_intro_and_skips_recipients():
    text = ("Giao Bộ Tư pháp thực hiện:\n- Rà soát luật.\n- Lấy ý kiến.\nMột câu khác.\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    units = segment(text)
    assert [(u.kind, u.intro) for u in units] == [("sentence", None), ("item", 0), ("item", 0),
                                                  ("sentence", None)]


def test_fuzzy_alias_matching_accepts_slips_not_other_bodies():
    resolve = fuzzy_resolver(AliasTable.from_dataset())
    assert resolve("Bộ Tài chinh") == resolve("Bộ Tài chính") == "bo-tai-chinh"
    assert resolve("Bộ Tư pháp") != "bo-tai-chinh"


def test_a_short_qualifier_may_stand_between_subject_and_modal():
    assert pairs("Các tỉnh, thành phố còn chậm phải cập nhật dữ liệu trong tháng 10/2025.") == [
        ("Các tỉnh, thành phố", "2025-10-31")]


def test_a_directing_document_named_as_a_noun_is_no_request():
    assert tasks("UBND tỉnh vừa ban hành văn bản chỉ đạo các sở, ngành về chuyển đổi số.") == []


def test_district_level_committees_are_one_collective_lead():
    body = "Theo đó, Sở Y tế chủ trì số hóa hồ sơ.\nUBND các huyện, thị xã, thành phố bố trí kinh phí."
    assert [t.lead for t in tasks(body)] == ["Sở Y tế", "UBND các huyện, thị xã, thành phố"]


def test_later_names_in_a_cooperation_list_are_not_subjects():
    body = "Yêu cầu Sở Nội vụ chủ trì lập đề án. Chủ trì, phối hợp với Sở Tài chính, Sở Y tế triển khai."
    assert [t.lead for t in tasks(body)] == ["Sở Nội vụ", "Sở Nội vụ"]


def test_short_forms_take_the_full_number_the_dataset_knows():
    from loaders.extract.resolve import dataset_rows, document_numbers

    numbers = document_numbers(dataset_rows())
    text = LETTER + "Các bộ cần thể chế hóa Nghị quyết 193 và gắn với Nghị quyết 18 trong năm 2025."
    result = extract(text, source_name="t.txt", numbers=numbers)
    cited = {d.number: d.as_written for d in result.documents}
    assert cited == {"193/2025/QH15": ["Nghị quyết 193"], "18-NQ/TW": ["Nghị quyết 18"]}
    assert numbers("Kế hoạch số 01") == "01-KH/BCĐTW"  # data/documents.yaml gives the suffix
    bare = document_numbers([("doc-x", "Document", {"name": "Kế hoạch số 07", "number": "07"})])
    assert bare("Kế hoạch số 07") is None  # bare digits are no fuller than the short form


def test_a_narrower_group_after_a_wider_one_is_a_new_task():
    body = ("Các bộ, ngành, các doanh nghiệp chủ động đề xuất sáng kiến.\n"
            "Các bộ, ngành khẩn trương ban hành hướng dẫn trước ngày 30/10.\n")
    assert pairs(body) == [("Các bộ, ngành, các doanh nghiệp", None), ("Các bộ, ngành", "2025-10-30")]


def test_joint_leads_each_get_led_by_and_officials_their_body(tmp_path):
    from loaders.extract.to_graph import extraction_batch

    table = AliasTable.from_dataset()
    text = LETTER + "Bộ Tài chính cùng Bộ trưởng Bộ Công an khẩn trương rà soát quy chế dữ liệu."
    result = extract(text, source_name="t.txt", resolve=fuzzy_resolver(table))
    [task] = result.tasks
    assert task.leads == ["Bộ Tài chính", "Bộ trưởng Bộ Công an"]
    batch, _ = extraction_batch(result, tmp_path / "t.txt", table)
    led_by = sorted(r.end for r in batch.relationships if r.type == "LED_BY")
    assert led_by == sorted([table.resolve("Bộ Tài chính"), table.resolve("Bộ Công an")])


def test_a_news_item_with_a_numbered_list_keeps_its_lead_paragraph_and_dateline_year():
    text = ("Ngày 5/8/2025, Văn phòng Chính phủ ban hành Thông báo số 77/TB-VPCP.\n"
            "Phó Thủ tướng giao Bộ Công an chủ trì xây dựng đề án, trình trong tháng 10/2025.\n"
            "Thông báo nêu rõ:\n"
            "1. Bộ Tài chính hướng dẫn cơ chế thuê dịch vụ, hoàn thành trong quý IV/2025.\n"
            "2. Các bộ, ngành rà soát hạ tầng, báo cáo trước ngày 15/9.\n")
    got = [(t.lead, t.deadline.isoformat() if t.deadline else None)
           for t in extract(text, source_name="news.txt").tasks]
    assert got == [("Bộ Công an", "2025-10-31"), ("Bộ Tài chính", "2025-12-31"),
                   ("Các bộ, ngành", "2025-09-15")]


def test_the_speaker_of_conclusions_is_not_an_assignee():
    assert tasks("Thường trực Ban Chỉ đạo kết luận như sau: cần đẩy nhanh tiến độ.") == []


def test_a_body_asking_the_government_proposes_and_assigns_nothing():
    assert tasks("Bộ Tài chính đề nghị Chính phủ sớm ban hành nghị định về thuế.") == []
    assert pairs("Tôi đề nghị Chính phủ có chính sách ưu đãi cho bán dẫn.") == [("Chính phủ", None)]


def test_assigned_by_someone_named_in_between():
    assert pairs("Bộ Xây dựng được Thủ tướng giao chủ trì lập quy hoạch trong năm 2026.") == [
        ("Bộ Xây dựng", "2026-12-31")]


def test_a_subject_list_split_by_a_semicolon_is_one_task_and_catch_alls_are_flagged():
    body = ("Điều 3. Giám đốc các sở, ngành cấp tỉnh; Chủ tịch UBND các huyện và Thủ trưởng các "
            "cơ quan liên quan có trách nhiệm thi hành Quyết định này.\n")
    [task] = tasks(body)
    assert task.leads == ["Giám đốc các sở, ngành cấp tỉnh", "Chủ tịch UBND các huyện",
                          "Thủ trưởng các cơ quan liên quan"]
    assert task.generic is True
    assert tasks("Bộ Y tế chủ trì lập đề án.")[0].generic is False


def test_a_headline_quoting_an_official_is_no_task_and_period_cells_end_with_the_period():
    assert tasks("Thủ tướng: Hoàn thành kết nối dữ liệu đất đai trong năm nay\n") == []
    assert parse_cell("2025-2026").on == date(2026, 12, 31)


def test_directions_end_after_two_sentences_that_assign_nothing():
    body = ("Thủ tướng yêu cầu Bộ Y tế chủ trì lập đề án.\n"
            "Sở Y tế bảo đảm thuốc cho bệnh viện tuyến huyện.\n"  # inside the directions
            "Hội nghị diễn ra trong không khí sôi nổi.\n"
            "Nhiều đại biểu nêu ý kiến về nhân lực.\n"
            "Sở Tài chính triển khai nhiều chương trình hỗ trợ doanh nghiệp.\n")  # background
    assert [t.lead for t in tasks(body)] == ["Bộ Y tế", "Sở Y tế"]


def test_party_bodies_and_grounds_before_the_predicate():
    body = ("III. TỔ CHỨC THỰC HIỆN\n"
            "- Ban cán sự đảng UBND tỉnh chỉ đạo xây dựng đề án số hóa, hoàn thành trước ngày 30/6/2025.\n"
            "- Đảng đoàn HĐND tỉnh lãnh đạo ban hành cơ chế hỗ trợ trong năm 2025.\n"
            "- Các cấp ủy, tổ chức đảng căn cứ Kế hoạch này xây dựng chương trình hành động.\n")
    assert pairs(body) == [("Ban cán sự đảng UBND tỉnh", "2025-06-30"),
                           ("Đảng đoàn HĐND tỉnh", "2025-12-31"),
                           ("Các cấp ủy, tổ chức đảng", None)]


def test_bullets_under_a_request_intro_inherit_a_group_written_with_va():
    body = ("Thủ tướng yêu cầu các bộ, cơ quan trung ương và địa phương:\n"
            "• Tháo gỡ vướng mắc về mặt bằng, hoàn thành trước ngày 31/10/2025.\n"
            "• Rà soát vốn của các dự án chậm.\n")
    assert pairs(body) == [("các bộ, cơ quan trung ương và địa phương", "2025-10-31"),
                           ("các bộ, cơ quan trung ương và địa phương", None)]


def test_a_period_without_its_number_is_the_documents_own():
    on = date(2025, 8, 12)
    found = {t: [(d.text, d.on.isoformat() if d.on else None) for d in find_deadlines(t, issued_on=on)]
             for t in ("Sở A chủ trì, đến hết năm phải hoàn thành.", "rà soát, hoàn thành trong tháng.",
                       "báo cáo trong quý này.", "thực hiện trong tuần.", "tổ chức trong năm học mới.",
                       "sẽ làm trong tháng tới.")}
    assert found == {
        "Sở A chủ trì, đến hết năm phải hoàn thành.": [("đến hết năm", "2025-12-31")],
        "rà soát, hoàn thành trong tháng.": [("hoàn thành trong tháng", "2025-08-31")],
        "báo cáo trong quý này.": [("trong quý này", "2025-09-30")],
        "thực hiện trong tuần.": [("trong tuần", "2025-08-17")],
        "tổ chức trong năm học mới.": [],
        "sẽ làm trong tháng tới.": [],
    }
    # The period comes from the dateline; a news item dated by its lead paragraph too.
    assert pairs("Sở Xây dựng khẩn trương rà soát quy hoạch, hoàn thành trong tháng.\n") == [
        ("Sở Xây dựng", "2025-08-31")]
    news = ("Chiều 14/6/2025, Ban Chỉ đạo họp.\n\n"
            "Công an tỉnh chủ trì làm sạch dữ liệu, đến hết năm phải xong.\n")
    assert pairs(news, head="") == [("Công an tỉnh", "2025-12-31")]


def test_a_group_told_to_report_on_a_schedule_has_a_task_citing_the_short_form():
    from loaders.extract.resolve import dataset_rows, document_numbers

    body = ("Thủ tướng yêu cầu các bộ thực hiện như sau:\n"
            "- Bộ Nội vụ chủ trì sửa đổi quy chế công vụ.\n"
            "- Các tỉnh, thành phố báo cáo kết quả thực hiện Nghị quyết 18 hằng quý.\n")
    found = extract(LETTER + body, source_name="t.txt", numbers=document_numbers(dataset_rows())).tasks
    group = found[-1]
    assert (group.lead, group.lead_kind, group.deadline, group.recurrence) == (
        "Các tỉnh, thành phố", "generic", None, "hằng quý")
    assert not group.generic and group.refs == ["18-NQ/TW"]
    # A report given (speech) is no task: no due date, no recurrence.
    assert pairs("Tại hội nghị, Sở Nội vụ báo cáo tình hình sắp xếp bộ máy.\n") == []


def test_budget_and_appraisal_verbs_continue_a_passage_of_directions():
    body = ("Chủ tịch UBND tỉnh giao Sở Xây dựng chủ trì lập quy hoạch hạ tầng số.\n\n"
            "Sở Tài chính cân đối, bố trí kinh phí thực hiện trong năm.\n\n"
            "Sở Tư pháp thẩm định dự thảo quy chế trước ngày 30/9.\n")
    assert pairs(body) == [("Sở Xây dựng", None), ("Sở Tài chính", "2025-12-31"),
                           ("Sở Tư pháp", "2025-09-30")]


# -- issue 28: text layer and structure ------------------------------------------------------

def test_a_page_number_line_inside_a_sentence_is_page_furniture():
    body = ("Bộ Giáo dục và Đào tạo đề nghị Ủy ban nhân dân các tỉnh thực hiện như sau:\n"
            "a) Rà soát mạng lưới trường học, bảo đảm đủ\n"
            "                                  4\n"
            "phòng học trước ngày 31/8.\n"
            "b) Bố trí giáo viên cho các điểm trường.\n")
    found = tasks(body)
    assert [(t.lead, t.deadline.isoformat() if t.deadline else None) for t in found] == [
        ("Ủy ban nhân dân các tỉnh", "2025-08-31"), ("Ủy ban nhân dân các tỉnh", None)]
    assert " 4 " not in found[0].text and "đủ phòng học" in found[0].text


def test_a_bare_number_at_the_margin_before_a_capitalised_line_is_kept():
    from loaders.extract.segment import _is_page_number

    assert _is_page_number("      12", "Tổ chức hội nghị")  # centred: furniture
    assert _is_page_number("3", "phòng học trước ngày 31/8.")  # cuts a sentence
    assert not _is_page_number("3", "Tổ chức hội nghị")  # a row number, one cell per line
    assert not _is_page_number("3. Tổ chức hội nghị", "")


def test_an_item_beginning_chi_dao_keeps_the_inherited_lead():
    body = ("Bộ Công Thương đề nghị Ủy ban nhân dân các tỉnh thực hiện các nội dung sau:\n"
            "1. Về an toàn thực phẩm\n"
            "a) Chỉ đạo cơ quan chuyên môn trực thuộc kiểm tra các chợ đầu mối trước ngày 30/11.\n"
            "b) Công khai danh sách cơ sở vi phạm.\n")
    assert pairs(body) == [("Ủy ban nhân dân các tỉnh", "2025-11-30"),
                           ("Ủy ban nhân dân các tỉnh", None)]


def test_a_subject_that_chi_dao_another_body_still_names_that_body():
    body = "Thủ tướng Chính phủ chỉ đạo Bộ Tài chính rà soát các khoản chi trước ngày 15/10.\n"
    assert pairs(body) == [("Bộ Tài chính", "2025-10-15")]


def test_party_group_leads_match_with_either_tone_placement():
    body = ("- Các tỉnh uỷ, thành uỷ, ban cán sự đảng, đảng đoàn trực thuộc Trung ương xây dựng "
            "kế hoạch thực hiện Kết luận.\n"
            "- Các thành ủy, đảng ủy cấp huyện rà soát, sơ kết trước ngày 30/12.\n")
    assert pairs(body) == [
        ("Các tỉnh uỷ, thành uỷ, ban cán sự đảng, đảng đoàn trực thuộc Trung ương", None),
        ("Các thành ủy, đảng ủy cấp huyện", "2025-12-30")]


def test_either_tone_makes_a_pattern_take_both_spellings():
    import re

    from loaders.extract.text import either_tone

    rx = re.compile(either_tone("Ủy ban|hòa giải"))
    assert all(rx.fullmatch(s) for s in ("Ủy ban", "Uỷ ban", "hòa giải", "hoà giải"))
    assert not rx.fullmatch("Uy ban")


def test_a_list_of_leads_goes_on_past_a_long_name_and_a_group_without_cac():
    from loaders.extract.agencies import AgencyReader

    text = ("Hội Luật gia Việt Nam, các tổ chức chính trị - xã hội, Ban Chấp hành Trung ương Hội "
            "Liên hiệp Phụ nữ Việt Nam, hội quần chúng phối hợp tuyên truyền.")
    reader = AgencyReader(text)
    mentions, j = reader.read_list(0)
    assert [m.text for m in mentions][-2:] == [
        "Ban Chấp hành Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "hội quần chúng"]
    assert reader.tokens[j].text == "phối"
    # an apposition is not a second lead, and a capitalised group noun with no name goes on
    assert [m.text for m in AgencyReader("Bộ Tư pháp, cơ quan chủ trì, báo cáo").read_list(0)[0]] == [
        "Bộ Tư pháp"]
    assert [m.text for m in AgencyReader("các Sở, Ngành sẽ báo cáo").read_list(0)[0]] == ["các Sở, Ngành"]


def test_a_full_stop_after_a_document_number_ends_the_sentence():
    body = ("Ủy ban nhân dân tỉnh đề nghị các sở thực hiện nghiêm Chỉ thị số 15. Sở Xây dựng chịu "
            "trách nhiệm tổng hợp, báo cáo trước ngày 30/9.\n")
    assert pairs(body) == [("các sở", None), ("Sở Xây dựng", "2025-09-30")]


def test_an_item_number_inside_a_line_is_not_a_sentence_end():
    from loaders.extract.segment import _abbreviation_before

    assert _abbreviation_before("thực hiện như sau: 1.", len("thực hiện như sau: 1."))
    assert _abbreviation_before("1.", 2)
    assert not _abbreviation_before("theo Chỉ thị số 15.", len("theo Chỉ thị số 15."))


def test_cac_don_vi_after_named_bodies_points_back_to_them():
    body = ("Ủy ban nhân dân tỉnh giao Sở Y tế, Sở Giáo dục và Đào tạo xây dựng kế hoạch chăm sóc "
            "sức khỏe học đường. "
            "Theo chức năng, các đơn vị có trách nhiệm kiểm tra, đôn đốc việc thực hiện.\n")
    found = tasks(body)
    assert len(found) == 2
    assert found[1].leads == ["Sở Y tế", "Sở Giáo dục và Đào tạo"]


def test_cac_don_vi_as_the_first_subject_stays_a_group():
    body = "Theo chức năng, các đơn vị có trách nhiệm kiểm tra, đôn đốc việc thực hiện.\n"
    assert pairs(body) == [("các đơn vị", None)]


def test_a_group_closed_by_thuoc_tinh_is_one_lead():
    from loaders.extract.agencies import AgencyReader

    reader = AgencyReader("Các sở, ban, ngành thuộc tỉnh, Công an tỉnh rà soát thủ tục hành chính.")
    mentions, j = reader.read_list(0)
    assert [m.text for m in mentions] == ["Các sở, ban, ngành thuộc tỉnh", "Công an tỉnh"]
    assert reader.tokens[j].text == "rà"


def test_markdown_emphasis_and_escapes_are_read_through_and_spans_point_into_the_input():
    text = LETTER + "**1\\. Sở Y tế** chủ trì rà soát các cơ sở y tế trước ngày 30/9.\n" \
                    "2\\. **Sở Nội vụ** rà soát biên chế.\n"
    found = extract(text, source_name="t.txt").tasks
    assert [(t.lead, t.deadline.isoformat() if t.deadline else None) for t in found] == [
        ("Sở Y tế", "2025-09-30"), ("Sở Nội vụ", None)]
    for t in found:
        lo, hi = t.evidence.lead_span
        assert text[lo:hi] == t.lead
        lo, hi = t.span
        assert 0 <= lo < hi <= len(text)


def test_plain_keeps_a_map_back_to_the_input():
    from loaders.extract.markup import plain

    given = "* **Bộ A** làm \\- việc"
    text, keep = plain(given)
    assert text == "- Bộ A làm - việc"
    assert keep[0] == 0  # the bullet "*" became "-" in place
    assert all(given[keep[i]] == ch for i, ch in enumerate(text) if i)
    assert plain("không có gì")[1] is None
