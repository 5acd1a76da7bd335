"""Shared helpers for the extractor tests (no tests here).

A small dict resolver stands in for the dataset's alias table, so candidate flags are
deterministic; tests that want the real table use ``dataset_resolver()`` when it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from loaders.extract.text import fold

NOTICES = Path(__file__).resolve().parent / "fixtures" / "notices"
MODEL_INPUT = NOTICES / "25-TB-TGV.txt"
OWN_NOTICES = sorted(p for p in NOTICES.glob("*.txt") if p.name != MODEL_INPUT.name)

_KNOWN = {
    "Bộ Khoa học và Công nghệ": "bo-khcn",
    "Bộ KH&CN": "bo-khcn",
    "Bộ Tài chính": "bo-tai-chinh",
    "Bộ Tư pháp": "bo-tu-phap",
    "Bộ Nội vụ": "bo-noi-vu",
    "Bộ Xây dựng": "bo-xay-dung",
    "Bộ Công an": "bo-cong-an",
    "Bộ Ngoại giao": "bo-ngoai-giao",
    "Bộ Giáo dục và Đào tạo": "bo-giao-duc-va-dao-tao",
    "Bộ Nông nghiệp và Môi trường": "bo-nong-nghiep-moi-truong",
    "Bộ Văn hóa, Thể thao và Du lịch": "bo-vhttdl",
    "Văn phòng Chính phủ": "van-phong-chinh-phu",
    "Văn phòng Trung ương Đảng": "van-phong-trung-uong-dang",
    "Ban Tổ chức Trung ương": "ban-to-chuc-trung-uong",
    "Ủy ban nhân dân thành phố Hà Nội": "ubnd-ha-noi",
    "Ủy ban nhân dân Thành phố Hồ Chí Minh": "ubnd-tp-ho-chi-minh",
    "Ủy ban nhân dân tỉnh Nghệ An": "ubnd-nghe-an",
    "UBND tỉnh Nghệ An": "ubnd-nghe-an",
    "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương": "ubnd-cac-tinh-thanh-pho",
    "Cơ quan Thường trực Ban Chỉ đạo": "co-quan-thuong-truc",
    "Tập đoàn Công nghiệp - Viễn thông Quân đội": "viettel",
    "Tập đoàn Bưu chính Viễn thông Việt Nam": "vnpt",
    "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và "
    "chuyển đổi số": "bcd-trung-uong",
    "Tổ Giúp việc Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo "
    "và chuyển đổi số": "to-giup-viec",
    "Phó Thủ tướng Chính phủ Nguyễn Chí Dũng": "person-nguyen-chi-dung",
}
_TABLE = {fold(name): ident for name, ident in _KNOWN.items()}


def dict_resolver(text: str) -> str | None:
    """Folded exact lookup, like the alias table, over a few agencies of the fixtures."""
    return _TABLE.get(fold(text))


def dataset_resolver() -> Callable[[str], str | None] | None:
    """The bundled dataset's alias table, when the core package provides it."""
    try:
        from loaders.aliases import AliasTable
    except ImportError:
        return None
    return AliasTable.from_dataset().resolve


def resolver() -> Callable[[str], str | None]:
    """The real table when importable, otherwise the dict stand-in."""
    return dataset_resolver() or dict_resolver


def load_expected(txt: Path) -> dict[str, Any]:
    with open(txt.with_suffix(".expected.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)
