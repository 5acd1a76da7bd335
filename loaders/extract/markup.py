"""The text layer made plain once, before any reader: Markdown emphasis and escapes removed.

Word and PDF converters write ``**Sở Y tế**``, ``1\\.`` and ``\\-``; the readers' patterns (the
numbered-notice tree, tables, cues) expect the plain words. ``plain`` returns the text without
that markup and a map back to the input, and ``restore`` moves every span of an extraction from
plain offsets to input offsets, so evidence still points into the file as given (issue 28 §1).
A bullet written ``*`` or ``+`` at the start of a line becomes ``-``; nothing else is rewritten.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

# "**", "__" around words, a "*" stuck to a word ("*V/v …*"), and a backslash before the mark
# it escapes ("1\\.", "\\-", "\\*"). Underscores inside words (file names) are left alone.
_MARKUP_RE = re.compile(r"\*{2,}|(?<!\w)__|__(?!\w)|(?<=\S)\*(?!\w)|(?<!\S)\*(?=\S)|\\(?=[-.*_()\[\]#+!|>`])")
_BULLET_RE = re.compile(r"^([ \t]*)[*+](?=[ \t])", re.MULTILINE)


def plain(text: str) -> tuple[str, list[int] | None]:
    """``text`` without Markdown emphasis and escapes, and for each kept character its input
    offset (None when nothing was removed)."""
    text = _BULLET_RE.sub(lambda m: m.group(1) + "-", text)  # same length: offsets unchanged
    cuts = [(m.start(), m.end()) for m in _MARKUP_RE.finditer(text)]
    if not cuts:
        return text, None
    keep: list[int] = []
    out: list[str] = []
    pos = 0
    for lo, hi in cuts:
        keep.extend(range(pos, lo))
        out.append(text[pos:lo])
        pos = hi
    keep.extend(range(pos, len(text)))
    out.append(text[pos:])
    return "".join(out), keep


def _span(span: tuple[int, int], keep: list[int], size: int) -> tuple[int, int]:
    start, end = span
    lo = keep[start] if start < len(keep) else size
    hi = keep[end - 1] + 1 if 0 < end <= len(keep) else (size if end > len(keep) else lo)
    return (lo, max(lo, hi))


def restore(model: Any, keep: list[int] | None, size: int) -> None:
    """Move every span field (``span``, ``*_span``, ``inherited_from``, ``spans``) of ``model``
    and the models inside it from plain-text offsets to input offsets, in place."""
    if keep is None:
        return
    if isinstance(model, list):
        for item in model:
            restore(item, keep, size)
        return
    if not isinstance(model, BaseModel):
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name == "spans" and isinstance(value, list):
            setattr(model, name, [_span(s, keep, size) for s in value])
        elif (name == "span" or name.endswith("_span") or name == "inherited_from") and value:
            setattr(model, name, _span(value, keep, size))
        elif isinstance(value, (BaseModel, list)):
            restore(value, keep, size)
