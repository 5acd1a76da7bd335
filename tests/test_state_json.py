"""The derived states write JSON text with orjson (graph.state_parts.compact_json) where the
streamed answers' text is the standard encoder's (compact, non-ASCII as it is): the same bytes."""

from __future__ import annotations

import json

from graph.state_parts import compact_json

STANDARD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def test_every_character_is_written_as_the_standard_encoder_writes_it():
    # control characters, quotes, backslashes, Vietnamese, the line separators, beyond the BMP
    chars = [chr(c) for c in (*range(0x3000), 0x2028, 0x2029, 0xFEFF, 0xFFFF, 0x1F600, 0x10FFFF)]
    assert [compact_json(c) for c in chars] == [STANDARD(c) for c in chars]


def test_rows_are_written_as_the_standard_encoder_writes_them():
    row = {"task_id": "t-1", "task_name": "Bộ \"Tài\" chính\n\\", "lead_ids": ["a", "b"],
           "assigned_on": None, "hops": 3, "nested": [[None, "x"]]}
    assert compact_json(row) == STANDARD(row)
