"""The README's schema tables, made from schema.yaml so the two cannot drift apart.

`python -m graph.schema_doc --write` rewrites the part of README.md between the schema markers;
tests/test_readme_schema.py fails when they differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph.schema import Property, Schema, get_schema

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- schema:start -->", "<!-- schema:end -->"


def _prop(prop: Property) -> str:
    text = f"`{prop.name}`"
    if prop.type == "enum":
        text += f" ({', '.join(prop.values)})"
    elif prop.type not in ("string", "text"):
        text += f" ({prop.type})"
    return text + ("*" if prop.required else "")


def schema_markdown(schema: Schema) -> str:
    common = ", ".join(_prop(p) for p in schema.common_node_properties.values())
    rel_common = ", ".join(_prop(p) for p in schema.common_relationship_properties.values())
    lines = [
        f"Every node: {common}. Every relationship: {rel_common}. "
        "`*` marks a required property; dates are ISO `YYYY-MM-DD` strings.",
        "",
        "| label | properties | what it is |",
        "|---|---|---|",
    ]
    for label in schema.labels.values():
        props = ", ".join(_prop(p) for p in label.properties.values()) or "—"
        lines.append(f"| `{label.name}` | {props} | {label.help} |")
    lines += ["", "| relationship | from → to | properties | meaning |", "|---|---|---|---|"]
    for rel in schema.relationships.values():
        ends = f"{' / '.join(rel.from_labels)} → {' / '.join(rel.to_labels)}"
        props = ", ".join(_prop(p) for p in rel.properties.values()) or "—"
        lines.append(f"| `{rel.name}` | {ends} | {props} | {rel.help} |")
    return "\n".join(lines)


def readme_section(text: str) -> str:
    """What README.md holds between the schema markers."""
    start, end = text.index(START) + len(START), text.index(END)
    return text[start:end].strip()


def write_readme(path: Path = README) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    path.write_text(text[:start] + "\n" + schema_markdown(get_schema()) + "\n" + text[end:],
                    encoding="utf-8")


if __name__ == "__main__":
    if "--write" in sys.argv:
        write_readme()
    else:
        print(schema_markdown(get_schema()))
