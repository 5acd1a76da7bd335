"""Word lists for reading Vietnamese directives.

These lists tell the extractor where a name *ends* (``Bộ Nông nghiệp và Môi trường khẩn trương``)
and which words open an agency name; they are general knowledge of the genre, not keyed to one
document. Identity (which agency id a name is) is the alias table's job, passed in as
``resolve``; a name missing here is still found by the head-word rules and kept as a candidate.

Kept as Python data (not YAML) so the package ships it without package-data configuration.
"""

from __future__ import annotations

from graph.schema import get_schema

# Official names of central bodies whose boundaries are hard to guess by rule: they contain
# "và", commas, hyphens or lower-case words. Old (pre-2025) ministries are listed too, because
# older documents still cite them. Each entry: (official name, short forms...).
AGENCIES: tuple[tuple[str, ...], ...] = (
    # Ministries and ministerial-level bodies (2025 structure)
    ("Bộ Quốc phòng", "BQP"),
    ("Bộ Công an", "BCA"),
    ("Bộ Ngoại giao", "BNG"),
    ("Bộ Nội vụ", "BNV"),
    ("Bộ Tư pháp", "BTP"),
    ("Bộ Tài chính", "BTC"),
    ("Bộ Công Thương", "BCT"),
    ("Bộ Nông nghiệp và Môi trường", "Bộ NN&MT", "Bộ NNMT"),
    ("Bộ Xây dựng", "BXD"),
    ("Bộ Văn hóa, Thể thao và Du lịch", "Bộ VHTTDL", "Bộ VH,TT&DL"),
    ("Bộ Khoa học và Công nghệ", "Bộ KH&CN", "Bộ KHCN", "BKHCN"),
    ("Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", "Bộ GDĐT"),
    ("Bộ Y tế",),
    ("Bộ Dân tộc và Tôn giáo",),
    ("Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước", "NHNN"),
    ("Thanh tra Chính phủ",),
    ("Văn phòng Chính phủ", "VPCP"),
    # Ministries before the 2025 merger
    ("Bộ Kế hoạch và Đầu tư", "Bộ KH&ĐT", "Bộ KHĐT"),
    ("Bộ Thông tin và Truyền thông", "Bộ TT&TT", "Bộ TTTT"),
    ("Bộ Tài nguyên và Môi trường", "Bộ TN&MT", "Bộ TNMT"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ NN&PTNT", "Bộ NNPTNT"),
    ("Bộ Lao động - Thương binh và Xã hội", "Bộ Lao động, Thương binh và Xã hội", "Bộ LĐTBXH"),
    ("Bộ Giao thông vận tải", "Bộ GTVT"),
    ("Ủy ban Dân tộc",),
    # Party bodies
    ("Bộ Chính trị",),
    ("Ban Bí thư",),
    ("Ban Chấp hành Trung ương",),
    ("Văn phòng Trung ương Đảng",),
    ("Ban Tổ chức Trung ương",),
    ("Ban Tuyên giáo và Dân vận Trung ương",),
    ("Ban Tuyên giáo Trung ương",),
    ("Ban Dân vận Trung ương",),
    ("Ban Kinh tế Trung ương",),
    ("Ban Nội chính Trung ương",),
    ("Ban Đối ngoại Trung ương",),
    ("Ban Chính sách, chiến lược Trung ương",),
    ("Ủy ban Kiểm tra Trung ương",),
    ("Đảng ủy Chính phủ",),
    ("Đảng ủy Quốc hội",),
    ("Đảng ủy các cơ quan Đảng Trung ương", "Đảng ủy các cơ quan Đảng ở Trung ương"),
    ("Đảng ủy Công an Trung ương",),
    ("Quân ủy Trung ương",),
    # State bodies
    ("Quốc hội",),
    ("Chính phủ",),
    ("Ủy ban Thường vụ Quốc hội",),
    ("Văn phòng Quốc hội",),
    ("Văn phòng Chủ tịch nước",),
    ("Kiểm toán Nhà nước",),
    ("Tòa án nhân dân tối cao",),
    ("Viện kiểm sát nhân dân tối cao",),
    ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",),
    ("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp",),
    # Steering committee of Resolution 57 and its organs
    (
        "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "Ban Chỉ đạo Trung ương",
    ),
    (
        "Tổ Giúp việc Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số",
        "Tổ Giúp việc Ban Chỉ đạo Trung ương",
        "Tổ Giúp việc Ban Chỉ đạo",
    ),
    ("Thường trực Tổ Giúp việc Ban Chỉ đạo", "Thường trực Tổ Giúp việc"),
    ("Cơ quan Thường trực Ban Chỉ đạo Trung ương", "Cơ quan Thường trực Ban Chỉ đạo"),
    ("Thường trực Ban Chỉ đạo Trung ương", "Thường trực Ban Chỉ đạo"),
    # Academies, universities, media, state groups
    ("Viện Hàn lâm Khoa học và Công nghệ Việt Nam",),
    ("Viện Hàn lâm Khoa học xã hội Việt Nam",),
    ("Đại học Quốc gia Hà Nội", "ĐHQG Hà Nội"),
    ("Đại học Quốc gia Thành phố Hồ Chí Minh", "ĐHQG TP.HCM", "Đại học Quốc gia TP. Hồ Chí Minh"),
    ("Học viện Chính trị quốc gia Hồ Chí Minh",),
    ("Đài Truyền hình Việt Nam",),
    ("Đài Tiếng nói Việt Nam",),
    ("Thông tấn xã Việt Nam",),
    ("Tập đoàn Công nghiệp - Viễn thông Quân đội", "Viettel"),
    ("Tập đoàn Bưu chính Viễn thông Việt Nam", "VNPT"),
    ("Tập đoàn Điện lực Việt Nam", "EVN"),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",),
    ("Phòng Thương mại và Công nghiệp Việt Nam", "VCCI"),
)

# Words that open an agency name when written with a capital (``Bộ Tài chính`` but not
# ``các bộ``). Longest first, so ``Ủy ban nhân dân`` wins over ``Ủy ban``.
HEADS: tuple[str, ...] = (
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Ủy ban Mặt trận Tổ quốc",
    "Bộ Tư lệnh",
    "Viện kiểm sát nhân dân",
    "Tòa án nhân dân",
    "Thông tấn xã",
    "Tổng công ty",
    "Tổng cục",
    "Học viện",
    "Đại học",
    "Tập đoàn",
    "Công ty",
    "Ngân hàng",
    "Văn phòng",
    "Cơ quan",
    "Hội đồng",
    "Ủy ban",
    "Đảng ủy",
    "Đảng đoàn",
    "Ban cán sự đảng",
    "Ban cán sự Đảng",
    "Ban cán sự",
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Quận ủy",
    "Thanh tra",
    "Kiểm toán",
    "Mặt trận",
    "Hiệp hội",
    "Liên hiệp",
    "Liên đoàn",
    "Trung tâm",
    "Nhà xuất bản",
    "Thường trực",
    "Tạp chí",
    "Công an",
    "Quỹ",
    "Bộ",
    "Ban",
    "Tổ",
    "Sở",
    "Cục",
    "Vụ",
    "Viện",
    "Trường",
    "Đài",
    "Hội",
    "Báo",
    "Đoàn",
    "UBND",
    "HĐND",
    "UBMTTQ",
)

# Heads that are followed directly by a place (``Ủy ban nhân dân thành phố Hà Nội``).
PLACE_HEADS: tuple[str, ...] = (
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "UBND",
    "HĐND",
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Quận ủy",
    "Công an",
    "Ủy ban Mặt trận Tổ quốc",
    "UBMTTQ",
)

# Words naming a kind of place inside an agency name (``Sở Tài chính tỉnh Nghệ An``).
PLACE_WORDS: tuple[str, ...] = (
    "thành phố",
    "tỉnh",
    "quận",
    "huyện",
    "thị xã",
    "xã",
    "phường",
    "đặc khu",
    "TP",
    "Tp",
)

# Titles that open a person reference (``Phó Thủ tướng Chính phủ Nguyễn Chí Dũng``).
PERSON_TITLES: tuple[str, ...] = (
    "Tổng Bí thư",
    "Phó Thủ tướng Chính phủ",
    "Thủ tướng Chính phủ",
    "Phó Thủ tướng",
    "Thủ tướng",
    "Chủ tịch nước",
    "Phó Chủ tịch nước",
    "Chủ tịch Quốc hội",
    "Phó Chủ tịch Quốc hội",
    "Phó Chủ tịch",
    "Chủ tịch",
    "Bộ trưởng",
    "Thứ trưởng",
    "Bí thư",
    "Phó Bí thư",
    "Trưởng Ban",
    "Phó Trưởng Ban",
    "Trưởng ban",
    "Phó Trưởng ban",
    "Chánh Văn phòng",
    "Tổng Giám đốc",
    "Giám đốc",
    "Đồng chí",
    "đồng chí",
)

# Nouns of generic references (``các bộ, cơ quan có liên quan``): kept as markers, not agencies.
GENERIC_NOUNS: tuple[str, ...] = (
    "cơ quan ngang bộ",
    "cơ quan thuộc Chính phủ",
    "cơ quan Đảng",
    "cơ quan nhà nước",
    "cơ sở giáo dục đại học",
    "cơ sở giáo dục",
    "cơ sở nghiên cứu",
    "trường đại học",
    "viện nghiên cứu",
    "tổ chức khoa học và công nghệ",
    "tổ chức chính trị - xã hội",
    "đoàn thể",
    "bộ",
    "ngành",
    "cơ quan",
    "đơn vị",
    "địa phương",
    "tổ chức",
    "doanh nghiệp",
    "tỉnh",
    "thành phố",
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "quận ủy",
    "thị ủy",
    "đảng ủy",
    "cấp ủy",
    "tổ chức đảng",
    "chi bộ",
    "đảng bộ",
    "sở",
    "ban",
    "ban, bộ, ngành",
    "trường",
    "viện",
    "hiệp hội",
    "tập đoàn",
    "tổng công ty",
    "nhà khoa học",
    "chuyên gia",
    "bên",
    "thành viên",
    "cấp",
    "chủ thể",
    "bộ, ngành",
)

# Qualifiers that may close a generic reference.
GENERIC_QUALIFIERS: tuple[str, ...] = (
    "cấp tỉnh",
    "cấp huyện",
    "cấp xã",
    "có liên quan",
    "liên quan",
    "trong nước",
    "trực thuộc Trung ương",
    "trực thuộc Tỉnh ủy",
    "trực thuộc Thành ủy",
    "ở Trung ương",
    "Trung ương",
    "ở địa phương",
    "thuộc Chính phủ",
    "ngang bộ",
    "quản lý ngành, lĩnh vực",
    "quản lý lĩnh vực",
    "quản lý nhà nước",
    "chức năng",
    "thành viên",
    "được giao",
    "được phân công",
    "trên địa bàn",
    "chủ quản",
)

# Words after a subject that show it is a statement of fact, not an assignment.
NON_DIRECTIVE: tuple[str, ...] = (
    "đã",
    "đang",
    "vừa",
    "là",
    "được",
    "cũng đã",
    "không",
    "chưa",
    "của",
    "tại",
    "về",
    "với",
    "trong",
    "thì",
    "mà",
    "nói",
    "cho biết",
    "nhấn mạnh",
    "báo cáo rằng",
)

# Lower-case words that never belong to an agency name; they stop the rule-based reader.
NAME_STOPS: tuple[str, ...] = (
    "chủ trì",
    "chủ động",
    "phối hợp",
    "khẩn trương",
    "tiếp tục",
    "có trách nhiệm",
    "có",
    "nghiên cứu",
    "hoàn thiện",
    "rà soát",
    "xây dựng",
    "tổ chức",
    "triển khai",
    "thực hiện",
    "báo cáo",
    "đề xuất",
    "tham mưu",
    "hướng dẫn",
    "ban hành",
    "trình",
    "theo dõi",
    "đôn đốc",
    "kiểm tra",
    "bảo đảm",
    "đảm bảo",
    "cập nhật",
    "tổng hợp",
    "căn cứ",
    "sớm",
    "cần",
    "phải",
    "được",
    "đã",
    "đang",
    "là",
    "sẽ",
    "để",
    "nhằm",
    "theo",
    "trong",
    "tại",
    "về",
    "của",
    "cho",
    "với",
    "khi",
    "từ",
    "đến",
    "lựa chọn",
    "thúc đẩy",
    "đẩy mạnh",
    "xem xét",
    "quyết định",
    "chỉ đạo",
    "lập",
    "đánh giá",
    "giải quyết",
    "xử lý",
    "làm",
    "thống nhất",
    "cung cấp",
    "quán triệt",
    "phổ biến",
    "tuyên truyền",
    "vận hành",
    "thành lập",
    "sửa đổi",
    "bổ sung",
    "công bố",
    "thẩm định",
    "gửi",
    "tiếp thu",
    "các",
    "những",
    "này",
    "đó",
    "và",
    "hoặc",
    "cùng",
    "gồm",
    "như",
    "đặc biệt",
    "nhất là",
    "trực tiếp",
    "sau",
    "trước",
    "hằng",
    "hàng",
    "định kỳ",
    "thường xuyên",
    "không",
    "chưa",
    "liên hệ",
    "tập trung",
    "nâng cao",
    "ưu tiên",
    "tăng cường",
    "đầu tư",
    "bố trí",
    "huy động",
    "ký",
    "hoàn thành",
    "giao",
    "yêu cầu",
    "đề nghị",
    "chịu trách nhiệm",
    "thống kê",
    "rút kinh nghiệm",
    "lãnh đạo",
    "hỗ trợ",
    "bố trí",
    "tham gia",
    "chuẩn bị",
    "điều phối",
    "trên",
    "dưới",
    "ngoài",
    "bằng",
    "qua",
    "nghiên cứu",
)

# Verbs that introduce the subject of an assignment (``Giao Bộ Tài chính …``).
ASSIGN_PREFIXES: tuple[str, ...] = (
    "Giao cho",
    "Giao",
    "Đề nghị",
    "Yêu cầu",
    "Phân công",
    "Ủy quyền cho",
    "Ủy quyền",
)

# Openers of a subordinate clause before the subject (``Trường hợp cần thiết, Bộ X …``).
ADVERBIAL_OPENERS: tuple[str, ...] = (
    "Trong",
    "Trường hợp",
    "Khi",
    "Nếu",
    "Sau khi",
    "Đồng thời",
    "Bên cạnh đó",
    "Ngoài ra",
    "Trên cơ sở",
    "Căn cứ",
    "Để",
    "Sau đó",
    "Theo đó",
    "Riêng",
)

# Laws whose names hold words that would otherwise end a name (commas, "theo", lower case).
LAWS: tuple[str, ...] = (
    "Luật Khoa học, Công nghệ và Đổi mới sáng tạo",
    "Luật Đầu tư theo phương thức đối tác công tư",
    "Luật Phòng, chống tham nhũng",
    "Luật Quản lý, sử dụng tài sản công",
    "Luật Quản lý tài sản công",
    "Luật Tổ chức Chính phủ",
    "Luật Tổ chức chính quyền địa phương",
    "Luật Ban hành văn bản quy phạm pháp luật",
    "Luật Thuế thu nhập cá nhân",
    "Luật Thuế thu nhập doanh nghiệp",
    "Luật Ngân sách nhà nước",
    "Luật Tiêu chuẩn và quy chuẩn kỹ thuật",
    "Luật Chất lượng sản phẩm, hàng hóa",
    "Luật Công nghiệp công nghệ số",
    "Luật Chuyển đổi số",
    "Luật Trí tuệ nhân tạo",
)

# Words that open another reference and therefore end a law name.
DOC_WORDS: tuple[str, ...] = (
    "Luật",
    "Bộ luật",
    "Nghị định",
    "Nghị quyết",
    "Quyết định",
    "Thông tư",
    "Thông báo",
    "Chỉ thị",
    "Kế hoạch",
    "Pháp lệnh",
    "Kết luận",
    "Công văn",
    "Hiến pháp",
    "Chiến lược",
    "Chương trình",
    "Đề án",
)

# Document type from the word before a number (``Nghị định số …``).
DOC_TYPE_WORDS: dict[str, str] = {
    "nghị quyết": "resolution",
    "nghị định": "decree",
    "quyết định": "decision",
    "thông báo": "notice",
    "kế hoạch": "plan",
    "chỉ thị": "directive",
    "kết luận": "conclusion",
    "thông tư": "circular",
    "báo cáo": "report",
    "công văn": "other",
    "luật": "law",
    "bộ luật": "law",
    "hướng dẫn": "other",
    "quy định": "other",
}

# Document type from the code in the number (``10/2024/NĐ-CP`` → decree).
DOC_TYPE_CODES: dict[str, str] = {
    "NQ": "resolution",
    "NĐ": "decree",
    "QĐ": "decision",
    "TB": "notice",
    "KH": "plan",
    "CT": "directive",
    "KL": "conclusion",
    "TT": "circular",
    "BC": "report",
    "CV": "other",
    "HD": "other",
    "QC": "other",
    "QyĐ": "other",
    "TTr": "report",
}

# Document type from the title line (``THÔNG BÁO KẾT LUẬN``).
DOC_TYPE_TITLES: tuple[tuple[str, str], ...] = (
    ("thông báo", "notice"),
    ("kế hoạch", "plan"),
    ("kết luận", "conclusion"),
    ("nghị quyết", "resolution"),
    ("nghị định", "decree"),
    ("quyết định", "decision"),
    ("chỉ thị", "directive"),
    ("báo cáo", "report"),
    ("thông tư", "circular"),
    ("công văn", "other"),
)



def schema_doc_type(kind: str | None) -> str | None:
    """The genre's document type as the schema's Document.doc_type, which has fewer values:
    one it lacks (a conclusion, an official letter) becomes "other"."""
    if kind is None:
        return None
    return kind if kind in get_schema().enum_values("Document", "doc_type") else "other"

# Spelled-out codes seen in garbled numbers (``10/2024/NĐ-CHÍNH PHủ``).
SPELLED_CODES: dict[str, str] = {
    "chinh phu": "CP",
    "thu tuong": "TTg",
    "trung uong": "TW",
    "quoc hoi": "QH",
}

# Proper words that a heading set in capitals hides (``NHIỆM VỤ CỦA TỈNH NGHỆ AN``).
PROPER_WORDS: tuple[str, ...] = (
    "Trung ương",
    "Việt Nam",
    "Chính phủ",
    "Quốc hội",
    "Đảng",
    "Nhà nước",
    "Bộ Chính trị",
    "Ban Bí thư",
    "Ban Chỉ đạo",
    "Tổ Giúp việc",
    "Thủ tướng",
    "Hà Nội",
    "Hồ Chí Minh",
    "Đà Nẵng",
    "Hải Phòng",
    "Cần Thơ",
    "Huế",
    "Nghị quyết",
    "Khu Công nghệ cao",
)

# Provinces and centrally-run cities (before and after the 2025 merger). A bare name as an
# assignee ("Hà Nội phải đầu tư …") stands for its People's Committee.
CITIES: tuple[str, ...] = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
PROVINCES: tuple[str, ...] = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh",
    "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)

# Titles of officials who stand for their body ("Bộ trưởng Bộ Công an" → Bộ Công an), also in
# lists ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ"). Lower case is matched too.
OFFICIAL_TITLES: tuple[str, ...] = (
    "Bộ trưởng", "Thứ trưởng", "Thủ trưởng", "Chủ tịch", "Phó Chủ tịch", "Giám đốc",
    "Phó Giám đốc", "Chánh Văn phòng", "Chủ nhiệm", "Trưởng ban", "Trưởng Ban", "Tổng Giám đốc",
    "Người đứng đầu", "người đứng đầu", "Lãnh đạo", "Trưởng", "Bí thư", "Viện trưởng",
    "Cục trưởng", "Vụ trưởng", "Tổng cục trưởng", "Thống đốc", "Tổng Kiểm toán",
    "Tổng Thanh tra",
)

# Assignees named by their role in the work, not by name ("cơ quan chủ trì tiếp tục …").
ROLE_NOUNS: tuple[str, ...] = (
    "cơ quan chủ trì", "cơ quan soạn thảo", "cơ quan chức năng", "cơ quan thường trực",
    "cơ quan chuyên môn", "cơ quan được giao", "đơn vị chủ trì", "đơn vị được giao",
    "cơ quan, đơn vị được giao", "các cơ quan chức năng",
)

# Field names of provincial departments written in short form ("Sở KH-CN").
SO_FIELDS: dict[str, str] = {
    "khcn": "Khoa học và Công nghệ",
    "tttt": "Thông tin và Truyền thông",
    "khdt": "Kế hoạch và Đầu tư",
    "tnmt": "Tài nguyên và Môi trường",
    "gddt": "Giáo dục và Đào tạo",
    "nnptnt": "Nông nghiệp và Phát triển nông thôn",
    "nnmt": "Nông nghiệp và Môi trường",
    "ldtbxh": "Lao động - Thương binh và Xã hội",
    "vhttdl": "Văn hóa, Thể thao và Du lịch",
    "gtvt": "Giao thông vận tải",
    "tc": "Tài chính",
    "nv": "Nội vụ",
    "tp": "Tư pháp",
    "yt": "Y tế",
    "ct": "Công Thương",
    "xd": "Xây dựng",
}

# Verbs that open the predicate of an assignment (``Công an tỉnh bảo vệ …``) or a verb-first
# sentence continuing the previous subject (``Rà soát, báo cáo …``). General vocabulary of
# Vietnamese directives; they also end a name, so they extend NAME_STOPS below.
ACTION_VERBS: tuple[str, ...] = (
    "bảo vệ", "bảo đảm", "đảm bảo", "ban hành", "báo cáo", "bàn giao", "bố trí", "cập nhật",
    "chỉ đạo", "chủ động", "chủ trì", "chuẩn bị", "cung cấp", "đẩy mạnh", "đẩy nhanh", "đề xuất",
    "đôn đốc", "đổi mới", "đưa", "góp ý", "hoàn chỉnh", "hoàn thành", "hoàn thiện", "hướng dẫn",
    "khai thác", "khắc phục", "kết nối", "khẩn trương", "kiểm tra", "kịp thời", "làm gương",
    "làm rõ", "lập", "mở rộng", "nâng cao", "nghiên cứu", "phát huy", "phối hợp", "quán triệt",
    "rà soát", "rà lại", "sắp xếp", "soạn thảo", "sửa đổi", "tăng cường", "tập trung", "tham mưu",
    "theo dõi", "thành lập", "thúc đẩy", "thực hiện", "tiếp nhận", "tiếp tục", "tổ chức",
    "triển khai", "trình", "tuyên truyền", "ưu tiên", "vận hành", "xây dựng", "xem xét",
    "xử lý", "hỗ trợ", "gửi", "tổng hợp", "đánh giá", "chia sẻ", "tham gia", "thu hút",
    "điều chỉnh", "phát động", "công bố", "giám sát", "tháo gỡ", "đầu tư",
    "số hóa", "số hoá", "tích hợp", "cắt giảm", "hoàn tất", "ứng dụng", "cải cách", "bồi dưỡng",
    "phổ biến", "lấy ý kiến", "trình bày", "tiếp thu", "bảo đảm", "lãnh đạo",
)
# Verbs of the one who speaks or decides (``Thường trực Tổ Giúp việc kết luận như sau:``).
SPEECH_VERBS: tuple[str, ...] = (
    "kết luận", "thống nhất", "nhấn mạnh", "cho biết", "cho rằng", "khẳng định", "phát biểu",
    "đồng ý", "đồng tình", "kiến nghị", "khuyến khích", "mong muốn", "lưu ý", "nêu", "nói",
    "yêu cầu", "đề nghị", "giao", "chỉ đạo", "truyền đạt", "thông báo", "họp", "làm việc",
)
NAME_STOPS = tuple(dict.fromkeys(NAME_STOPS + ACTION_VERBS + SPEECH_VERBS))
