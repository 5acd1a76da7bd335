"""A synthetic, country-wide dataset in the loader's CSV format, for scale tests and benchmarks.

Plan 02-KH/BCĐTW cascades Resolution 57's tasks from the centre down to every province and
commune (34 and 3,321 after the 2025 reorganisation). `generate` writes that shape: central
bodies and ministries, provinces and communes (`PART_OF`), provincial departments, laws with
status histories, documents that implement one another down the hierarchy, tasks with lead and
supporting agencies, deadlines and status histories, `DEPENDS_ON` chains
(commune task → provincial task → central task → central task → law, at most five hops),
experts, meetings, obstacles and sources.

The histories are consistent: a task is never `done` before every task and law it depends on
is done or passed, so "blocked as of a date" questions have meaningful answers. Everything is
drawn from one `random.Random(seed)` in a fixed order, so a seed always gives the same bytes.
Rows are streamed to the files as they are made; only the central and provincial tasks (a few
percent of the whole) are kept in memory, for the communes to depend on. Every id starts with
`syn-` and every source says it is synthetic, so generated data is never mistaken for (or
merged into) the curated dataset.

    >>> from pathlib import Path; import tempfile
    >>> report = generate(Path(tempfile.mkdtemp()), GenerateConfig(provinces=2, communes=4, tasks=40))
    >>> report.nodes["Task"]
    40
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.csv_spec import REL_FIRST, cell, file_name
from graph.errors import PolicygraphError
from graph.text import fold, slugify
from loaders.records import RowTotals

log = logging.getLogger(__name__)

ROWS_PER_FILE = 100_000  # keeps every file far below the reader's 50 MB limit
START = dt.date(2024, 12, 22)  # Resolution 57-NQ/TW
PLAN_02 = dt.date(2025, 6, 19)  # Kế hoạch 02-KH/BCĐTW
HORIZON = dt.date(2026, 6, 30)  # no status change is dated later than this

# -- node and relationship files: their columns, in order ------------------------------------
NODE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Source": ("id", "name", "title", "publisher", "published_on", "note"),
    "Agency": ("id", "name", "name_en", "abbr", "kind", "aliases", "sources"),
    "Place": ("id", "name", "name_en", "kind", "sources"),
    "Person": ("id", "name", "title", "sources"),
    "Expert": ("id", "name", "name_en", "field", "headcount", "sources"),
    "Topic": ("id", "name", "name_en", "sources"),
    "Law": ("id", "name", "name_en", "status", "status_on", "sources"),
    "Document": ("id", "name", "name_en", "doc_type", "number", "issued_on", "sources"),
    "Meeting": ("id", "name", "name_en", "held_on", "sources"),
    "Obstacle": ("id", "name", "name_en", "sources"),
    "Task": ("id", "name", "name_en", "status", "deadline", "summary", "sources"),
    "StatusChange": ("id", "name", "status", "on", "sources"),
    "DeadlineChange": ("id", "name", "deadline", "on", "sources"),
}
REL_EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {"HOLDS_POST": ("title",)}
# every relationship file's columns, by type (built once: the generator writes millions of rows)
_REL_COLUMNS: dict[str, tuple[str, ...]] = {}

# -- vocabulary -------------------------------------------------------------------------------
# (id slug, Vietnamese name, English name, abbreviation)
MINISTRIES = [
    ("bo-khcn", "Bộ Khoa học và Công nghệ", "Ministry of Science and Technology", "MOST"),
    ("bo-tai-chinh", "Bộ Tài chính", "Ministry of Finance", "MOF"),
    ("bo-noi-vu", "Bộ Nội vụ", "Ministry of Home Affairs", "MOHA"),
    ("bo-tu-phap", "Bộ Tư pháp", "Ministry of Justice", "MOJ"),
    ("bo-gddt", "Bộ Giáo dục và Đào tạo", "Ministry of Education and Training", "MOET"),
    ("bo-cong-thuong", "Bộ Công Thương", "Ministry of Industry and Trade", "MOIT"),
    ("bo-cong-an", "Bộ Công an", "Ministry of Public Security", "MPS"),
    ("bo-quoc-phong", "Bộ Quốc phòng", "Ministry of National Defence", "MOND"),
    ("bo-ngoai-giao", "Bộ Ngoại giao", "Ministry of Foreign Affairs", "MOFA"),
    ("bo-nnmt", "Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment", "MAE"),
    ("bo-xay-dung", "Bộ Xây dựng", "Ministry of Construction", "MOC"),
    ("bo-vhttdl", "Bộ Văn hóa, Thể thao và Du lịch", "Ministry of Culture, Sports and Tourism", "MOCST"),
    ("bo-y-te", "Bộ Y tế", "Ministry of Health", "MOH"),
    ("bo-dan-toc-ton-giao", "Bộ Dân tộc và Tôn giáo", "Ministry of Ethnic and Religious Affairs", "MERA"),
    ("ngan-hang-nha-nuoc", "Ngân hàng Nhà nước Việt Nam", "State Bank of Viet Nam", "SBV"),
    ("thanh-tra-chinh-phu", "Thanh tra Chính phủ", "Government Inspectorate", "GI"),
    ("van-phong-chinh-phu", "Văn phòng Chính phủ", "Government Office", "VPCP"),
]
# (id slug, name, English name, abbreviation, kind, parent slug or None)
CENTRAL_BODIES = [
    ("bo-chinh-tri", "Bộ Chính trị", "Politburo", None, "party", None),
    ("van-phong-trung-uong-dang", "Văn phòng Trung ương Đảng", "Office of the Party Central Committee",
     "VPTWĐ", "party", None),
    ("ban-chi-dao-trung-uong", "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới "
     "sáng tạo và chuyển đổi số", "Central Steering Committee on Science, Technology, Innovation and "
     "Digital Transformation", "BCĐTW", "steering_committee", "bo-chinh-tri"),
    ("to-giup-viec", "Tổ Giúp việc Ban Chỉ đạo Trung ương", "Working Group of the Central Steering "
     "Committee", "TGV", "working_group", "ban-chi-dao-trung-uong"),
    ("quoc-hoi", "Quốc hội", "National Assembly", "QH", "national_assembly", None),
    ("chinh-phu", "Chính phủ", "Government", "CP", "government", None),
]
# 2025: the 34 provincial-level units (6 centrally run cities first)
PROVINCES = [
    "Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ",
    "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
    "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Ninh Bình", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk",
    "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
CITIES = 6
# (slug, Vietnamese, English) of a province's departments; the first leads most local work
DEPARTMENTS = [
    ("so-khcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
    ("so-tai-chinh", "Sở Tài chính", "Department of Finance"),
    ("so-noi-vu", "Sở Nội vụ", "Department of Home Affairs"),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade"),
    ("so-y-te", "Sở Y tế", "Department of Health"),
    ("so-xay-dung", "Sở Xây dựng", "Department of Construction"),
    ("van-phong-ubnd", "Văn phòng Ủy ban nhân dân", "Office of the People's Committee"),
]
COMMUNE_SYLLABLES = [
    "An", "Bình", "Tân", "Phú", "Hòa", "Long", "Phước", "Thạnh", "Mỹ", "Vĩnh", "Hưng", "Đông",
    "Tây", "Nam", "Bắc", "Thuận", "Lộc", "Thịnh", "Quang", "Minh", "Hải", "Sơn", "Thanh", "Trung",
    "Xuân", "Đức", "Phong", "Hiệp", "Lợi", "Thái",
]
# (law slug, name, English name, drafting ministry slug)
LAWS = [
    ("khcn-dmst", "Luật Khoa học, Công nghệ và Đổi mới sáng tạo", "Law on Science, Technology and "
     "Innovation", "bo-khcn"),
    ("cong-nghiep-cong-nghe-so", "Luật Công nghiệp Công nghệ số", "Law on Digital Technology Industry",
     "bo-khcn"),
    ("giao-duc-dai-hoc", "Luật Giáo dục đại học", "Law on Higher Education", "bo-gddt"),
    ("so-huu-tri-tue", "Luật Sở hữu trí tuệ", "Law on Intellectual Property", "bo-khcn"),
    ("tai-san-cong", "Luật Quản lý, sử dụng tài sản công", "Law on Management and Use of Public Assets",
     "bo-tai-chinh"),
    ("ngan-sach-nha-nuoc", "Luật Ngân sách nhà nước", "Law on the State Budget", "bo-tai-chinh"),
    ("dau-tu", "Luật Đầu tư", "Law on Investment", "bo-tai-chinh"),
    ("thue-thu-nhap-ca-nhan", "Luật Thuế thu nhập cá nhân", "Law on Personal Income Tax", "bo-tai-chinh"),
    ("du-lieu", "Luật Dữ liệu", "Law on Data", "bo-cong-an"),
    ("giao-dich-dien-tu", "Luật Giao dịch điện tử", "Law on Electronic Transactions", "bo-khcn"),
    ("vien-thong", "Luật Viễn thông", "Law on Telecommunications", "bo-khcn"),
    ("an-ninh-mang", "Luật An ninh mạng", "Law on Cybersecurity", "bo-cong-an"),
    ("doanh-nghiep", "Luật Doanh nghiệp", "Law on Enterprises", "bo-tai-chinh"),
    ("chuyen-giao-cong-nghe", "Luật Chuyển giao công nghệ", "Law on Technology Transfer", "bo-khcn"),
    ("cong-nghe-cao", "Luật Công nghệ cao", "Law on High Technology", "bo-khcn"),
    ("dau-thau", "Luật Đấu thầu", "Law on Bidding", "bo-tai-chinh"),
    ("ppp", "Luật Đầu tư theo phương thức đối tác công tư", "Law on Public-Private Partnership "
     "Investment", "bo-tai-chinh"),
    ("thue-tndn", "Luật Thuế thu nhập doanh nghiệp", "Law on Corporate Income Tax", "bo-tai-chinh"),
    ("can-bo-cong-chuc", "Luật Cán bộ, công chức", "Law on Cadres and Civil Servants", "bo-noi-vu"),
    ("vien-chuc", "Luật Viên chức", "Law on Public Employees", "bo-noi-vu"),
    ("tri-tue-nhan-tao", "Luật Trí tuệ nhân tạo", "Law on Artificial Intelligence", "bo-khcn"),
    ("chuyen-doi-so", "Luật Chuyển đổi số", "Law on Digital Transformation", "bo-khcn"),
    ("bao-ve-du-lieu-ca-nhan", "Luật Bảo vệ dữ liệu cá nhân", "Law on Personal Data Protection",
     "bo-cong-an"),
    ("tieu-chuan-quy-chuan", "Luật Tiêu chuẩn và Quy chuẩn kỹ thuật", "Law on Standards and Technical "
     "Regulations", "bo-khcn"),
    ("nang-luong-nguyen-tu", "Luật Năng lượng nguyên tử", "Law on Atomic Energy", "bo-khcn"),
    ("thuong-mai-dien-tu", "Luật Thương mại điện tử", "Law on E-commerce", "bo-cong-thuong"),
]
TOPICS = [
    ("mo-hinh-3-nha", "Mô hình 3 Nhà (Nhà nước - Nhà trường - Doanh nghiệp)",
     "3-Nha model (State-University-Enterprise)"),
    ("tri-tue-nhan-tao", "Trí tuệ nhân tạo", "Artificial intelligence"),
    ("chinh-phu-so", "Chính phủ số", "Digital government"),
    ("du-lieu-so", "Dữ liệu số quốc gia", "National digital data"),
    ("ban-dan", "Chip bán dẫn", "Semiconductors"),
    ("khu-cong-nghe-cao", "Khu công nghệ cao", "High-tech parks"),
    ("do-thi-thong-minh", "Đô thị thông minh", "Smart cities"),
    ("ha-tang-so", "Hạ tầng số", "Digital infrastructure"),
    ("an-ninh-mang", "An ninh mạng", "Cybersecurity"),
    ("nhan-luc", "Nhân lực chất lượng cao", "High-quality human resources"),
    ("khoi-nghiep", "Khởi nghiệp sáng tạo", "Innovative start-ups"),
    ("dich-vu-cong", "Dịch vụ công trực tuyến", "Online public services"),
    ("kinh-te-so", "Kinh tế số", "Digital economy"),
    ("cds-cap-xa", "Chuyển đổi số cấp xã", "Commune-level digital transformation"),
    ("so-huu-tri-tue", "Sở hữu trí tuệ", "Intellectual property"),
    ("tai-chinh-khcn", "Tài chính cho khoa học, công nghệ", "Financing science and technology"),
]
# (Vietnamese, English) task templates; {x} is what it is about, {p} the place
CENTRAL_WORK = [
    ("Xây dựng cơ chế, chính sách về {x}", "Draft the policy framework for {x}"),
    ("Trình Chính phủ nghị định hướng dẫn về {x}", "Submit to the Government a decree on {x}"),
    ("Hoàn thiện đề án quốc gia về {x}", "Complete the national scheme for {x}"),
    ("Báo cáo Ban Chỉ đạo kết quả triển khai {x}", "Report to the Steering Committee on {x}"),
    ("Rà soát, sửa đổi quy định pháp luật liên quan đến {x}", "Review the regulations on {x}"),
    ("Bố trí kinh phí thực hiện chương trình {x}", "Allocate funding for the {x} programme"),
]
PROVINCE_WORK = [
    ("Ban hành kế hoạch triển khai {x} tại {p}", "Issue the plan for {x} in {p}"),
    ("Bố trí ngân sách địa phương cho {x} tại {p}", "Allocate the local budget for {x} in {p}"),
    ("Hướng dẫn cấp xã thực hiện {x} ({p})", "Guide the communes on {x} ({p})"),
    ("Đánh giá, báo cáo kết quả {x} của {p}", "Assess and report on {x} in {p}"),
]
COMMUNE_WORK = [
    ("Triển khai {x} tại {p}", "Implement {x} in {p}"),
    ("Tuyên truyền, phổ biến về {x} tại {p}", "Inform the public about {x} in {p}"),
    ("Bố trí cán bộ phụ trách {x} tại {p}", "Assign staff to {x} in {p}"),
    ("Báo cáo kết quả {x} của {p}", "Report on {x} in {p}"),
]
OBSTACLES = [
    ("Thiếu cơ chế tài chính cho {x}", "No financing mechanism for {x}"),
    ("Quy định chồng chéo về {x}", "Overlapping rules on {x}"),
    ("Thiếu nhân lực cho {x}", "Too few qualified staff for {x}"),
    ("Thủ tục đầu tư kéo dài cho {x}", "Lengthy investment procedures for {x}"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thanh", "Hữu", "Quốc", "Ngọc", "Thu", "Hoàng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
         "Phong", "Quang", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Khoa", "Huy", "Nga"]
FIELDS = [("Trí tuệ nhân tạo", "tri-tue-nhan-tao"), ("Bán dẫn", "ban-dan"), ("Dữ liệu", "du-lieu-so"),
          ("An ninh mạng", "an-ninh-mang"), ("Chính sách công nghệ", "mo-hinh-3-nha"),
          ("Hạ tầng số", "ha-tang-so"), ("Sở hữu trí tuệ", "so-huu-tri-tue")]


@dataclass(frozen=True)
class GenerateConfig:
    """How big the synthetic country is. The defaults are the national scale of 2025."""

    provinces: int = 34
    communes: int = 3321
    tasks: int = 100_000
    seed: int = 57
    laws: int = 60
    experts: int = 2_000
    meetings: int = 24
    obstacles: int = 150
    # share of tasks whose deadline later notices move (0: none, so the national figures of the
    # README stay comparable); drawn from a stream of its own, so the rest of the data is the same
    deadline_moves: float = 0.0

    def check(self) -> None:
        """Raise a PolicygraphError that says what to change when the sizes cannot work."""
        problems = []
        if self.provinces < 1:
            problems.append("--provinces must be at least 1")
        if self.communes < self.provinces:
            problems.append("--communes must be at least --provinces (each province has a commune)")
        minimum = 4 * self.provinces + self.communes + 2
        if self.tasks < minimum:
            problems.append(f"--tasks must be at least {minimum} for {self.provinces} provinces and "
                            f"{self.communes} communes (a few central tasks, 3 per province, "
                            "1 per commune)")
        for name in ("laws", "meetings"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1")
        for name in ("experts", "obstacles"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must not be negative")
        if not 0 <= self.deadline_moves <= 1:
            problems.append("deadline_moves must be a share from 0 to 1")
        if problems:
            raise PolicygraphError("Cannot generate: " + "; ".join(problems) + ".",
                                   hint="Use smaller --provinces/--communes or more --tasks.")


@dataclass
class GenerateReport(RowTotals):
    """What was written: rows per label and relationship type, the files, the time taken."""

    out: Path
    nodes: Counter = field(default_factory=Counter)
    relationships: Counter = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0


class CsvSink:
    """Streams rows to one CSV file per label or relationship type, in the loader's format.

    A file that reaches `rows_per_file` continues in `part-N/NAME.csv` (the loader reads
    folders recursively and takes what a file holds from its name).
    """

    def __init__(self, out: Path, report: GenerateReport, rows_per_file: int = ROWS_PER_FILE) -> None:
        self.out = out
        self.report = report
        self.rows_per_file = rows_per_file
        self._open: dict[str, tuple[Any, Any, int, int]] = {}  # name -> (handle, writer, rows, part)

    def node(self, label: str, **values: Any) -> None:
        self.report.nodes[label] += 1
        self._write(label, NODE_COLUMNS[label], values)

    def rel(self, rel_type: str, start: str, end: str, sources: Sequence[str], **values: Any) -> None:
        self.report.relationships[rel_type] += 1
        columns = _REL_COLUMNS.get(rel_type) or _REL_COLUMNS.setdefault(
            rel_type, (*REL_FIRST, *REL_EXTRA_COLUMNS.get(rel_type, ())))
        self._write(rel_type, columns, {"from": start, "to": end, "sources": sources, **values})

    def close(self) -> None:
        for handle, _, _, _ in self._open.values():
            handle.close()
        self._open.clear()

    def _write(self, name: str, columns: tuple[str, ...], values: dict[str, Any]) -> None:
        entry = self._open.get(name)
        if entry is None or entry[2] >= self.rows_per_file:
            part = 1 if entry is None else entry[3] + 1
            if entry is not None:
                entry[0].close()
            entry = self._start(name, columns, part)
        handle, writer, rows, part = entry
        get = values.get
        writer.writerow([cell(get(c)) for c in columns])
        self._open[name] = (handle, writer, rows + 1, part)

    def _start(self, name: str, columns: tuple[str, ...], part: int):
        folder = self.out if part == 1 else self.out / f"part-{part}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name(name)
        handle = path.open("w", encoding="utf-8", newline="")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        self.report.files.append(path)
        return handle, writer, 0, part


def _iso(day: dt.date) -> str:
    return day.isoformat()


@dataclass
class _Task:
    """What commune tasks need to know of a central or provincial task they depend on."""

    id: str
    topic: int
    done_on: dt.date | None  # None: not done by the horizon


@dataclass
class _Province:
    index: int
    name: str
    slug: str
    agency: str
    place: str
    source: str
    plan: str
    plan_on: dt.date
    departments: list[str]
    communes: int
    tasks: list[_Task] = field(default_factory=list)


class _Generator:
    """Makes the rows in a fixed order from one seeded random stream."""

    def __init__(self, config: GenerateConfig, sink: CsvSink) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.moves_rng = random.Random(config.seed + 1)  # deadline moves only
        self.out = sink
        self.law_passed: dict[str, dt.date | None] = {}  # law id -> passed/in force on, or None
        self.central_tasks: list[_Task] = []
        self.central_sources: list[str] = []
        self.topics = [f"syn-topic-{s}" for s, _, _ in TOPICS]

    # -- helpers --------------------------------------------------------------------------------
    def day(self, after: dt.date, low: int, high: int) -> dt.date:
        return after + dt.timedelta(days=self.rng.randint(low, high))

    def history(self, owner: str, name: str, entries: Iterable[tuple[dt.date, str]],
                sources: list[str]) -> str:
        """StatusChange nodes and HAS_STATUS links, named as the YAML loader names them."""
        latest = ""
        for on, status in entries:
            change = f"{owner}--{_iso(on)}-{status}"
            self.out.node("StatusChange", id=change, name=f"{name}: {status} ({_iso(on)})",
                          status=status, on=_iso(on), sources=sources)
            self.out.rel("HAS_STATUS", owner, change, sources)
            latest = status
        return latest

    def task_history(self, assigned: dt.date, deadline: dt.date,
                     ready: dt.date | None) -> tuple[list[tuple[dt.date, str]], dt.date | None]:
        """A task's dated statuses, and the day it was done (None if not by the horizon).

        A task can be done only after `ready`: the day its last dependency was done or passed.
        """
        rng = self.rng
        entries = [(assigned, rng.choice(("on_track", "on_track", "not_done")))]
        done_on = None
        if ready is not None:
            candidate = max(self.day(assigned, 20, 240), self.day(ready, 5, 60))
            if candidate <= HORIZON:
                done_on = candidate
        if done_on is not None:
            if (done_on - assigned).days > 60 and rng.random() < 0.25:
                entries.append((assigned + (done_on - assigned) // 2, "partial"))
            entries.append((done_on, "done"))
        elif deadline < HORIZON:
            if rng.random() < 0.15:
                entries.append((min(deadline, self.day(assigned, 20, 90)), "partial"))
            entries.append((deadline + dt.timedelta(days=1), "overdue"))
        entries = sorted(dict(entries).items())  # one status per day
        return entries, done_on

    def write_task(self, task_id: str, name: str, name_en: str, *, assigned: dt.date,
                   deadline: dt.date, ready: dt.date | None, lead: str, support: Sequence[str],
                   document: str, depends: Sequence[str], topic: int | None, sources: list[str],
                   summary: str | None = None) -> dt.date | None:
        entries, done_on = self.task_history(assigned, deadline, ready)
        status = entries[-1][1]
        self.out.node("Task", id=task_id, name=name, name_en=name_en, status=status,
                      deadline=_iso(deadline), summary=summary, sources=sources)
        self.history(task_id, name, entries, sources)
        self.deadline_moves(task_id, name, assigned, deadline, sources)
        self.out.rel("LED_BY", task_id, lead, sources)
        for agency in support:
            self.out.rel("SUPPORTED_BY", task_id, agency, sources)
        self.out.rel("ASSIGNED_IN", task_id, document, sources)
        for target in depends:
            self.out.rel("DEPENDS_ON", task_id, target, sources)
        if topic is not None:
            self.out.rel("ABOUT", task_id, self.topics[topic], sources)
        return done_on

    def deadline_moves(self, task_id: str, name: str, assigned: dt.date, deadline: dt.date,
                       sources: list[str]) -> None:
        """For a `deadline_moves` share of tasks, one to three later notices that move the
        deadline: mostly later (an extension), now and then earlier."""
        rng = self.moves_rng
        if not self.config.deadline_moves or rng.random() >= self.config.deadline_moves:
            return
        on, current = assigned, deadline
        for _ in range(rng.randint(1, 3)):
            on = on + dt.timedelta(days=rng.randint(5, 90))
            current = current + dt.timedelta(days=rng.choice((-10, 15, 30, 45, 60, 90)))
            if on > HORIZON:
                return
            move = f"{task_id}--deadline-{_iso(on)}"
            self.out.node("DeadlineChange", id=move, name=f"{name}: deadline {_iso(current)} ({_iso(on)})",
                          deadline=_iso(current), on=_iso(on), sources=sources)
            self.out.rel("HAS_DEADLINE", task_id, move, sources)

    @staticmethod
    def ready_after(*dates: dt.date | None) -> dt.date | None:
        """The day every dependency is done (None if one never is); no dependency: the start."""
        if any(d is None for d in dates):
            return None
        return max([START, *dates])  # type: ignore[list-item]

    # -- the parts, in order ----------------------------------------------------------------------
    def run(self) -> None:
        self.sources()
        self.central_agencies()
        self.topics_and_laws()
        self.central_documents()
        provinces = self.provinces()
        self.people_and_meetings()
        self.central_task_tree()
        for province in provinces:
            self.province_tasks(province)
        commune_budget = self.config.tasks - len(self.central_tasks) - sum(
            len(p.tasks) for p in provinces)
        self.communes(provinces, commune_budget)
        self.experts_and_obstacles()

    def sources(self) -> None:
        for k in range(1, 13):
            source = f"syn-src-tw-{k:02d}"
            self.central_sources.append(source)
            published = self.day(START, 30 * (k - 1), 30 * k)
            self.out.node("Source", id=source, name=f"Thông báo tổng hợp số {k} (dữ liệu tổng hợp)",
                          title=f"Báo cáo tổng hợp tình hình thực hiện Nghị quyết 57, kỳ {k}",
                          publisher="policygraph (dữ liệu tổng hợp, không phải nguồn thật)",
                          published_on=_iso(published),
                          note="synthetic: made by `policygraph generate` for scale tests")

    def central_agencies(self) -> None:
        src = [self.central_sources[0]]
        for slug_, name, name_en, abbr, kind, parent in CENTRAL_BODIES:
            self.out.node("Agency", id=f"syn-{slug_}", name=name, name_en=name_en, abbr=abbr,
                          kind=kind, sources=src)
            if parent:
                self.out.rel("PART_OF", f"syn-{slug_}", f"syn-{parent}", src)
        for slug_, name, name_en, abbr in MINISTRIES:
            self.out.node("Agency", id=f"syn-{slug_}", name=name, name_en=name_en, abbr=abbr,
                          kind="ministry", aliases=[abbr], sources=src)
            self.out.rel("PART_OF", f"syn-{slug_}", "syn-chinh-phu", src)
        self.ministries = [f"syn-{m[0]}" for m in MINISTRIES]
        self.affiliations: list[str] = []
        for k in range(1, 31):  # universities, institutes and enterprises host the experts
            kind = ("university", "institute", "enterprise")[k % 3]
            word = {"university": ("Trường Đại học", "University"),
                    "institute": ("Viện nghiên cứu", "Research Institute"),
                    "enterprise": ("Doanh nghiệp công nghệ", "Technology Enterprise")}[kind]
            agency = f"syn-{kind}-{k:02d}"
            self.out.node("Agency", id=agency, name=f"{word[0]} số {k}", name_en=f"{word[1]} No. {k}",
                          kind=kind, sources=src)
            parent = "syn-bo-gddt" if kind == "university" else "syn-bo-khcn"
            if kind != "enterprise":
                self.out.rel("PART_OF", agency, parent, src)
            self.affiliations.append(agency)

    def topics_and_laws(self) -> None:
        src = [self.central_sources[0]]
        for (_, name, name_en), topic in zip(TOPICS, self.topics, strict=True):
            self.out.node("Topic", id=topic, name=name, name_en=name_en, sources=src)
        self.laws: list[str] = []
        for k in range(self.config.laws):
            if k < len(LAWS):
                slug_, name, name_en, drafter = LAWS[k]
            else:
                batch = k - len(LAWS) + 1
                slug_ = f"sua-doi-dot-{batch}"
                name = f"Luật sửa đổi, bổ sung một số luật (đợt {batch})"
                name_en = f"Law amending several laws (batch {batch})"
                drafter = self.rng.choice(MINISTRIES)[0]
            law = f"syn-law-{slug_}"
            sources = [self.rng.choice(self.central_sources)]
            entries, passed = self.law_history()
            self.law_passed[law] = passed
            self.out.node("Law", id=law, name=name, name_en=name_en, status=entries[-1][1],
                          status_on=_iso(entries[-1][0]), sources=sources)
            self.history(law, name, entries, sources)
            self.out.rel("DRAFTED_BY", law, f"syn-{drafter}", sources)
            self.laws.append(law)

    def law_history(self) -> tuple[list[tuple[dt.date, str]], dt.date | None]:
        rng = self.rng
        on = self.day(START, 0, 120)
        entries = [(on, rng.choice(("drafting", "amending")))]
        passed = None
        if rng.random() < 0.12:
            entries.append((self.day(on, 60, 200), "stalled"))
        elif rng.random() < 0.8:
            on = self.day(on, 30, 150)
            entries.append((on, "submitted"))
            if rng.random() < 0.75:
                on = self.day(on, 30, 200)
                entries.append((on, "passed"))
                passed = on
                if rng.random() < 0.7:
                    entries.append((self.day(on, 90, 200), "in_force"))
        entries = [(d, s) for d, s in entries if d <= HORIZON]
        if passed is not None and passed > HORIZON:
            passed = None
        return entries, passed

    def central_documents(self) -> None:
        src = [self.central_sources[0]]
        self.doc_57 = "syn-doc-57-nq-tw"
        self.doc_02 = "syn-doc-02-kh-bcdtw"
        self.out.node("Document", id=self.doc_57, name="Nghị quyết 57-NQ/TW (bản tổng hợp)",
                      name_en="Resolution 57-NQ/TW (synthetic copy)", doc_type="resolution",
                      number="57-NQ/TW", issued_on=_iso(START), sources=src)
        self.out.rel("ISSUED_BY", self.doc_57, "syn-bo-chinh-tri", src)
        self.out.node("Document", id=self.doc_02, name="Kế hoạch 02-KH/BCĐTW (bản tổng hợp)",
                      name_en="Plan 02-KH/BCĐTW (synthetic copy)", doc_type="plan",
                      number="02-KH/BCĐTW", issued_on=_iso(PLAN_02), sources=src)
        self.out.rel("ISSUED_BY", self.doc_02, "syn-ban-chi-dao-trung-uong", src)
        self.out.rel("IMPLEMENTS", self.doc_02, self.doc_57, src)
        self.ministry_plans: list[tuple[str, str, dt.date]] = []  # (doc, ministry, issued)
        for k, ministry in enumerate(self.ministries, start=1):
            doc, issued = f"syn-doc-qd-{k:02d}", self.day(START, 20, 150)
            abbr = MINISTRIES[k - 1][3]
            self.out.node("Document", id=doc, name=f"Quyết định {100 + k}/QĐ-{abbr} triển khai Nghị quyết 57",
                          name_en=f"Decision {100 + k}/QĐ-{abbr} implementing Resolution 57",
                          doc_type="decision", number=f"{100 + k}/QĐ-{abbr}", issued_on=_iso(issued),
                          sources=src)
            self.out.rel("ISSUED_BY", doc, ministry, src)
            self.out.rel("IMPLEMENTS", doc, self.doc_57, src)
            for law in self.rng.sample(self.laws, k=min(2, len(self.laws))):
                self.out.rel("REFERS_TO", doc, law, src)
            self.ministry_plans.append((doc, ministry, issued))

    def provinces(self) -> list[_Province]:
        rng, src_tw = self.rng, [self.central_sources[0]]
        count, communes = self.config.provinces, self.config.communes
        weights = [rng.uniform(0.5, 1.8) for _ in range(count)]
        shares = _apportion(communes - count, weights)  # every province has at least one commune
        provinces = []
        for index in range(count):
            name = PROVINCES[index] if index < len(PROVINCES) else f"Tỉnh số {index + 1}"
            is_city = index < CITIES and index < len(PROVINCES)
            word, word_en = ("thành phố", "City") if is_city else ("tỉnh", "Province")
            pslug = slugify(name)
            source = f"syn-src-{pslug}"
            published = self.day(PLAN_02, 20, 120)
            self.out.node("Source", id=source,
                          name=f"Cổng thông tin điện tử {word} {name} (dữ liệu tổng hợp)",
                          title=f"Tình hình triển khai Kế hoạch 02-KH/BCĐTW tại {word} {name}",
                          publisher="policygraph (dữ liệu tổng hợp, không phải nguồn thật)",
                          published_on=_iso(published),
                          note="synthetic: made by `policygraph generate` for scale tests")
            sources = [source]
            place = f"syn-place-{pslug}"
            self.out.node("Place", id=place, name=f"{word.capitalize()} {name}",
                          name_en=f"{fold(name).title()} {word_en}",
                          kind="city" if is_city else "province", sources=sources)
            agency = f"syn-ubnd-{pslug}"
            self.out.node("Agency", id=agency, name=f"Ủy ban nhân dân {word} {name}",
                          name_en=f"People's Committee of {fold(name).title()} {word_en}",
                          abbr=f"UBND {name}", kind="local", aliases=[f"UBND {word} {name}"],
                          sources=sources)
            self.out.rel("PART_OF", agency, "syn-chinh-phu", src_tw)
            self.out.rel("LOCATED_IN", agency, place, sources)
            departments = []
            for dslug, dname, dname_en in DEPARTMENTS:
                department = f"syn-{dslug}-{pslug}"
                self.out.node("Agency", id=department, name=f"{dname} {word} {name}",
                              name_en=f"{dname_en}, {fold(name).title()}", kind="local", sources=sources)
                self.out.rel("PART_OF", department, agency, sources)
                departments.append(department)
            plan, plan_on = f"syn-doc-kh-{pslug}", self.day(PLAN_02, 10, 60)
            number = f"{rng.randint(100, 999)}/KH-UBND"
            self.out.node("Document", id=plan, name=f"Kế hoạch {number} của UBND {word} {name} thực hiện "
                          "Kế hoạch 02-KH/BCĐTW", name_en=f"Plan {number} of {fold(name).title()} "
                          "implementing Plan 02-KH/BCĐTW", doc_type="plan", number=number,
                          issued_on=_iso(plan_on), sources=sources)
            self.out.rel("ISSUED_BY", plan, agency, sources)
            self.out.rel("IMPLEMENTS", plan, self.doc_02, sources)
            self.out.rel("REFERS_TO", plan, rng.choice(self.laws), sources)
            provinces.append(_Province(index, name, pslug, agency, place, source, plan, plan_on,
                                       departments, 1 + shares[index]))
        return provinces

    def people_and_meetings(self) -> None:
        rng, src = self.rng, self.central_sources
        people = []
        posts = [("syn-ban-chi-dao-trung-uong", "Trưởng Ban Chỉ đạo"),
                 ("syn-to-giup-viec", "Tổ trưởng Tổ Giúp việc"), ("syn-chinh-phu", "Phó Thủ tướng")]
        posts += [(m, "Bộ trưởng") for m in self.ministries]
        for k, (agency, title) in enumerate(posts, start=1):
            person = f"syn-person-{k:02d}"
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            self.out.node("Person", id=person, name=name, title=title, sources=[src[0]])
            self.out.rel("HOLDS_POST", person, agency, [src[0]], title=title)
            people.append(person)
        self.notices: list[tuple[str, dt.date, str]] = []  # (doc, issued, source)
        for k in range(1, self.config.meetings + 1):
            held = self.day(START, 28 * k, 28 * k + 10)
            source = src[(k - 1) % len(src)]
            meeting = f"syn-meeting-{k:03d}"
            self.out.node("Meeting", id=meeting, name=f"Cuộc họp Ban Chỉ đạo Trung ương lần {k}",
                          name_en=f"Central Steering Committee meeting {k}", held_on=_iso(held),
                          sources=[source])
            self.out.rel("CHAIRED_BY", meeting, people[k % 3], [source])
            for agency in rng.sample(self.ministries, k=4):
                self.out.rel("ATTENDED_BY", meeting, agency, [source])
            self.out.rel("ATTENDED_BY", meeting, rng.choice(people[3:]), [source])
            self.out.rel("ABOUT", meeting, rng.choice(self.topics), [source])
            notice, issued = f"syn-doc-{k}-tb-tgv", self.day(held, 1, 5)
            self.out.node("Document", id=notice, name=f"Thông báo {k}-TB/TGV kết luận cuộc họp lần {k}",
                          name_en=f"Notice {k}-TB/TGV on the conclusions of meeting {k}",
                          doc_type="notice", number=f"{k}-TB/TGV", issued_on=_iso(issued),
                          sources=[source])
            self.out.rel("ISSUED_BY", notice, "syn-to-giup-viec", [source])
            self.out.rel("RESULTED_IN", meeting, notice, [source])
            self.out.rel("IMPLEMENTS", notice, self.doc_57, [source])
            self.notices.append((notice, issued, source))

    def central_task_tree(self) -> None:
        """Central tasks: about half wait for laws; some wait for an earlier central task."""
        rng, config = self.rng, self.config
        count = max(2, round(config.tasks * 0.02))
        roots: list[tuple[_Task, dt.date]] = []  # tasks that depend on no other task
        for k in range(1, count + 1):
            task_id = f"syn-task-tw-{k:05d}"
            topic = rng.randrange(len(TOPICS))
            if rng.random() < 0.6:
                document, assigned, source = rng.choice(self.notices)
            else:
                document, _, assigned = rng.choice(self.ministry_plans)
                source = rng.choice(self.central_sources)
            lead = rng.choice(self.ministries)
            support = rng.sample([m for m in self.ministries if m != lead], k=rng.randint(1, 3))
            depends: list[str] = []
            waits: list[dt.date | None] = []
            roll = rng.random()
            if roll < 0.5:
                for law in rng.sample(self.laws, k=1 if rng.random() < 0.8 else min(2, len(self.laws))):
                    depends.append(law)
                    waits.append(self.law_passed[law])
            elif roll < 0.8 and roots:
                parent, parent_assigned = rng.choice(roots)
                depends.append(parent.id)
                waits.append(parent.done_on)
                assigned = max(assigned, parent_assigned)
            if rng.random() < 0.03:
                depends.append(rng.choice(self.ministry_plans)[0])
            x = TOPICS[topic][1].lower()
            vi, en = rng.choice(CENTRAL_WORK)
            name = f"{vi.format(x=x)} (nhiệm vụ TW-{k})"
            done_on = self.write_task(
                task_id, name, f"{en.format(x=TOPICS[topic][2].lower())} (central task {k})",
                assigned=assigned, deadline=self.day(assigned, 30, 300), ready=self.ready_after(*waits),
                lead=lead, support=support, document=document, depends=depends, topic=topic,
                sources=[source], summary=f"Giao {MINISTRIES[self.ministries.index(lead)][1]} chủ trì.")
            task = _Task(task_id, topic, done_on)
            self.central_tasks.append(task)
            if not any(d.startswith("syn-task-") for d in depends):
                roots.append((task, assigned))

    def province_tasks(self, province: _Province) -> None:
        """About 8% of all tasks, in proportion to the province's communes, each under a central one."""
        rng, config = self.rng, self.config
        share = round(config.tasks * 0.08 * province.communes / config.communes)
        count = max(3, share)
        sources = [province.source]
        for k in range(1, count + 1):
            task_id = f"syn-task-{province.slug}-{k:04d}"
            parent = rng.choice(self.central_tasks)
            depends, waits = [parent.id], [parent.done_on]
            if rng.random() < 0.15:
                law = rng.choice(self.laws)
                depends.append(law)
                waits.append(self.law_passed[law])
            lead = province.departments[0] if rng.random() < 0.5 else rng.choice(province.departments)
            support = [d for d in rng.sample(province.departments, k=2) if d != lead]
            vi, en = rng.choice(PROVINCE_WORK)
            x, x_en = TOPICS[parent.topic][1].lower(), TOPICS[parent.topic][2].lower()
            place_en = fold(province.name).title()
            done_on = self.write_task(
                task_id, f"{vi.format(x=x, p=province.name)} (nhiệm vụ {k})",
                f"{en.format(x=x_en, p=place_en)} (task {k})",
                assigned=province.plan_on, deadline=self.day(province.plan_on, 45, 240),
                ready=self.ready_after(*waits), lead=lead, support=support, document=province.plan,
                depends=depends, topic=parent.topic if rng.random() < 0.5 else None, sources=sources)
            province.tasks.append(_Task(task_id, parent.topic, done_on))

    def communes(self, provinces: list[_Province], budget: int) -> None:
        """The communes, their plans and the bulk of the tasks, each under a provincial task."""
        rng, total = self.rng, self.config.communes
        per_commune = _apportion(budget, [1.0] * total)
        position = 0
        for province in provinces:
            names = self.commune_names(province.communes)
            sources = [province.source]
            for index, name in enumerate(names, start=1):
                cslug = f"{province.slug}-{index:04d}"
                place, agency = f"syn-place-{cslug}", f"syn-ubnd-{cslug}"
                self.out.node("Place", id=place, name=name, name_en=fold(name).title(), kind="commune",
                              sources=sources)
                self.out.rel("LOCATED_IN", place, province.place, sources)
                self.out.node("Agency", id=agency, name=f"Ủy ban nhân dân {name.lower()}, {province.name}",
                              name_en=f"People's Committee of {fold(name).title()}, "
                              f"{fold(province.name).title()}", kind="local", sources=sources)
                self.out.rel("PART_OF", agency, province.agency, sources)
                self.out.rel("LOCATED_IN", agency, place, sources)
                plan, plan_on = f"syn-doc-kh-{cslug}", self.day(province.plan_on, 7, 45)
                number = f"{rng.randint(10, 99)}/KH-UBND"
                self.out.node("Document", id=plan, name=f"Kế hoạch {number} của UBND {name.lower()}",
                              name_en=f"Plan {number} of {fold(name).title()}", doc_type="plan",
                              number=number, issued_on=_iso(plan_on), sources=sources)
                self.out.rel("ISSUED_BY", plan, agency, sources)
                self.out.rel("IMPLEMENTS", plan, province.plan, sources)
                self.commune_tasks(province, cslug, name, agency, plan, plan_on,
                                   per_commune[position], sources)
                position += 1

    def commune_names(self, count: int) -> list[str]:
        pairs = [f"{a} {b}" for a in COMMUNE_SYLLABLES for b in COMMUNE_SYLLABLES if a != b]
        picked = self.rng.sample(pairs, k=min(count, len(pairs)))
        picked += [f"{self.rng.choice(pairs)} {n}" for n in range(len(picked) + 1, count + 1)]
        kinds = ["Xã"] * 7 + ["Phường"] * 3
        return [f"{self.rng.choice(kinds)} {base}" for base in picked]

    def commune_tasks(self, province: _Province, cslug: str, name: str, agency: str, plan: str,
                      plan_on: dt.date, count: int, sources: list[str]) -> None:
        rng = self.rng
        local: list[tuple[str, dt.date | None]] = []  # this commune's tasks without a local parent
        for k in range(1, count + 1):
            task_id = f"syn-task-{cslug}-{k:03d}"
            parent = rng.choice(province.tasks)
            depends, waits = [parent.id], [parent.done_on]
            if local and rng.random() < 0.1:
                sibling, sibling_done = rng.choice(local)
                depends.append(sibling)
                waits.append(sibling_done)
            support = [rng.choice(province.departments)] if rng.random() < 0.6 else []
            vi, en = rng.choice(COMMUNE_WORK)
            x, x_en = TOPICS[parent.topic][1].lower(), TOPICS[parent.topic][2].lower()
            done_on = self.write_task(
                task_id, f"{vi.format(x=x, p=name.lower())} ({k})",
                f"{en.format(x=x_en, p=fold(name).title())} ({k})", assigned=plan_on,
                deadline=self.day(plan_on, 30, 200), ready=self.ready_after(*waits), lead=agency,
                support=support, document=plan, depends=depends,
                topic=parent.topic if rng.random() < 0.3 else None, sources=sources)
            if len(depends) == 1:
                local.append((task_id, done_on))

    def experts_and_obstacles(self) -> None:
        rng = self.rng
        for k in range(1, self.config.experts + 1):
            expert = f"syn-expert-{k:05d}"
            field_vi, topic_slug = rng.choice(FIELDS)
            source = [rng.choice(self.central_sources)]
            self.out.node("Expert", id=expert,
                          name=f"TS. {rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} ({k})",
                          field=field_vi, sources=source)
            self.out.rel("AFFILIATED_WITH", expert, rng.choice(self.affiliations), source)
            self.out.rel("PARTICIPATES_IN", expert, f"syn-topic-{topic_slug}", source)
        cohort = "syn-expert-cohort-ai"
        self.out.node("Expert", id=cohort, name="Nhóm chuyên gia AI hàng đầu (tổng hợp)",
                      name_en="Leading AI experts (cohort)", field="Trí tuệ nhân tạo", headcount=100,
                      sources=[self.central_sources[0]])
        self.out.rel("PARTICIPATES_IN", cohort, "syn-topic-tri-tue-nhan-tao", [self.central_sources[0]])
        blocked = [law for law, passed in self.law_passed.items() if passed is None] or self.laws
        for k in range(1, self.config.obstacles + 1):
            obstacle = f"syn-obstacle-{k:04d}"
            topic = rng.randrange(len(TOPICS))
            vi, en = rng.choice(OBSTACLES)
            source = [rng.choice(self.central_sources)]
            self.out.node("Obstacle", id=obstacle, name=f"{vi.format(x=TOPICS[topic][1].lower())} ({k})",
                          name_en=f"{en.format(x=TOPICS[topic][2].lower())} ({k})", sources=source)
            self.out.rel("ROOTED_IN", obstacle, rng.choice(blocked), source)
            self.out.rel("ABOUT", obstacle, self.topics[topic], source)
            self.out.rel("HINDERS", obstacle, self.topics[topic], source)
            for task in rng.sample(self.central_tasks, k=min(2, len(self.central_tasks))):
                self.out.rel("HINDERS", obstacle, task.id, source)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole shares proportional to `weights` (largest remainders)."""
    if total <= 0:
        return [0] * len(weights)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    shares = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def generate(out: Path, config: GenerateConfig | None = None) -> GenerateReport:
    """Write the synthetic dataset into the folder `out` (created; must hold no dataset yet)."""
    config = config or GenerateConfig()
    config.check()
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise PolicygraphError(f"The folder {out} is not empty.",
                               hint="Give --out a new or empty folder, so no old files mix in.")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = GenerateReport(out=out)
    sink = CsvSink(out, report)
    try:
        _Generator(config, sink).run()
    finally:
        sink.close()
    report.seconds = time.perf_counter() - started
    log.info("generated %d nodes and %d relationships in %.1f s", report.node_count,
             report.relationship_count, report.seconds)
    return report
