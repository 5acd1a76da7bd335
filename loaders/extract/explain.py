"""``policygraph extract --explain``: the segmentation and the cues, item by item.

For a free-form text: every unit (heading, intro, item, sentence), and for each clause the
assignment the cue reader found (cue words, leads, strong or directive-only), so a user sees
why a task was found or missed. For a numbered notice: its items and their tasks.
"""

from __future__ import annotations

from datetime import date

from .cues import ClauseReader, clauses
from .deadlines import find_deadlines
from .segment import segment


def explain_rows(text: str, issued_on: date | None) -> list[dict]:
    """One row per unit and clause: what the reader saw there."""
    out: list[dict] = []
    for index, unit in enumerate(segment(text)):
        base = {"unit": index + 1, "kind": unit.kind + (" (intro)" if unit.is_intro else ""),
                "marker": unit.marker or "", "intro": (unit.intro + 1) if unit.intro is not None else ""}
        if unit.kind == "heading":
            out.append({**base, "clause": unit.text, "cue": "", "leads": "", "deadline": ""})
            continue
        reader = ClauseReader(unit.text)
        for cs, ce in clauses(unit.text):
            a = reader.read(cs, ce, directive=True)
            dated = [d for d in find_deadlines(unit.text[cs:ce], issued_on=issued_on) if d.on]
            cue = ""
            if a is not None:
                how = "verb-first" if a.verb_first else f"anaphor {a.anaphor}" if a.anaphor else (
                    "request" if a.requested else "subject")
                cue = f"{how}: {a.cue}" + ("" if a.strong else " (directive passages only)")
            out.append({
                **base,
                "clause": unit.text[cs:ce],
                "cue": cue,
                "leads": "; ".join(m.text for m in (a.leads if a else [])),
                "deadline": f"{dated[0].text} → {dated[0].on}" if dated else "",
            })
    return out
