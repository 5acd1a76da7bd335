"""The hand-curated YAML format, in which the bundled dataset is written.

A file has a `nodes:` list and/or a `relationships:` list. A node may carry its outgoing
relationships under `links:` (keyed by type; a target id or name, a list, or a mapping with
`to:` and properties) and, for laws and tasks, a dated `history:` of statuses that becomes
StatusChange nodes. Dates stay ISO strings and `on:`/`yes:` stay words (YAML 1.1 would make
them booleans).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.schema import brief
from loaders.records import Batch, NodeRecord, Origin, Problem, RelRecord

LINE_KEY = "__line__"
EXISTING_KEY = "__existing__"  # set by loaders.review on a merged entry, never read from a file
NAME_KEY = "__name__"  # and the merged node's name, for the names of its history entries
NODE_KEYS = {"label", "links", "history", LINE_KEY, EXISTING_KEY, NAME_KEY}
MAX_NESTING = 100  # far deeper than the format needs, far below Python's stack


# libyaml's parser when PyYAML has it (16x faster on the bundled dataset: 0.7 s -> 0.04 s for
# 03/NQ-CP's review file, and `extract` reads the whole dataset for its gazetteer). It limits
# nesting to 1000 levels itself; the constructor's recursion is caught below.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    """SafeLoader that records each mapping's line and resolves only true/false as booleans."""


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class DuplicateKey(yaml.MarkedYAMLError):
    """A mapping gives the same key twice; YAML would keep the last value silently."""


def _refuse_duplicate_keys(loader: _LineLoader, node: yaml.MappingNode) -> None:
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<:` merges are for anchors; complex keys are refused by validation
        key = loader.construct_object(key_node)
        if key in seen:
            raise DuplicateKey(
                problem=f"the key {brief(key)} is given twice in one mapping (first at line "
                        f"{seen[key].line + 1}); only one value can be kept",
                problem_mark=key_node.start_mark)
        seen[key] = key_node.start_mark


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    _refuse_duplicate_keys(loader, node)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, file: str) -> tuple[Any, Problem | None]:
    """The document in `text`, or a problem naming the line where YAML could not be read."""
    try:
        return yaml.load(text, Loader=_LineLoader), None  # noqa: S506 - a SafeLoader subclass
    except DuplicateKey as exc:
        return None, Problem(Origin(file, exc.problem_mark.line + 1), None, exc.problem,
                             "Keep one of them (for several targets, give a list).")
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):
            return None, _too_deep(file)
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, Problem(Origin(file, line), None, f"not valid YAML: {reason}",
                             "Check indentation and quoting at that line.")
    except RecursionError:  # PyYAML constructs nested collections recursively
        return None, _too_deep(file)


def _too_deep(file: str) -> Problem:
    return Problem(Origin(file), None, "nested too deeply to read",
                   f"Keep lists and mappings under {MAX_NESTING} levels deep.")


def read_yaml(path: Path) -> Batch:
    """Read one YAML file of the dataset format into records."""
    file = str(path)
    batch = Batch()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        batch.problems.append(Problem(Origin(file), None, f"not UTF-8 text ({exc.reason})",
                                      "Save the file as UTF-8."))
        return batch
    document, problem = parse_yaml(text, file)
    if problem:
        batch.problems.append(problem)
        return batch
    return read_document(document, file)


def read_document(document: Any, file: str) -> Batch:
    """Records from an already parsed document (YAML, or JSON of the same shape)."""
    batch = Batch()
    if document is None:
        return batch
    if not isinstance(document, dict):
        batch.problems.append(Problem(Origin(file, 1), None,
                                      "the file must be a mapping with `nodes:` and/or `relationships:`"))
        return batch
    from loaders import review

    for node in document.get("nodes") or [] if isinstance(document.get("nodes"), list) else []:
        if isinstance(node, dict):  # set only by the review step below, never by a file
            node.pop(EXISTING_KEY, None)
            node.pop(NAME_KEY, None)
    if review.is_review(document):  # a review file: its decisions applied first
        document, problems = review.apply(document, file)
        batch.problems.extend(problems)
    else:
        batch.problems.extend(review.refuse_review_fields(document, file))
    unknown = set(document) - {"nodes", "relationships", LINE_KEY}
    for key in sorted(unknown):
        batch.problems.append(Problem(Origin(file, document.get(LINE_KEY)), key,
                                      f"unknown top-level key {key!r}",
                                      "Use `nodes:` and `relationships:` only."))
    for item in _list(document, "nodes", file, batch):
        _read_node(item, file, batch)
    for item in _list(document, "relationships", file, batch):
        origin = Origin(file, item.get(LINE_KEY))
        props = {k: v for k, v in item.items() if k not in ("type", "from", "to", LINE_KEY)}
        batch.relationships.append(RelRecord(item.get("type"), item.get("from"), item.get("to"),
                                             props, origin))
    return batch


def _list(document: dict[str, Any], key: str, file: str, batch: Batch) -> list[dict[str, Any]]:
    items = document.get(key) or []
    if not isinstance(items, list):
        batch.problems.append(Problem(Origin(file, document.get(LINE_KEY)), key, "must be a list"))
        return []
    good = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            good.append(item)
        else:
            batch.problems.append(Problem(Origin(file, document.get(LINE_KEY)), f"{key}[{index}]",
                                          "each entry must be a mapping of properties"))
    return good


def _read_node(item: dict[str, Any], file: str, batch: Batch) -> None:
    origin = Origin(file, item.get(LINE_KEY))
    props = {k: v for k, v in item.items() if k not in NODE_KEYS}
    node = NodeRecord(item.get("label"), item.get("id"), props, origin,
                      existing=item.get(EXISTING_KEY) is True)
    batch.nodes.append(node)
    links = item.get("links") or {}
    if not isinstance(links, dict):
        batch.problems.append(Problem(origin, "links", "must map relationship types to targets"))
        links = {}
    for rel_type, targets in links.items():
        if rel_type == LINE_KEY:
            continue
        for target in targets if isinstance(targets, list) else [targets]:
            batch.relationships.append(_link(node, rel_type, target, origin))
    history = item.get("history") or []
    if not isinstance(history, list):
        batch.problems.append(Problem(origin, "history", "must be a list of {status, on, sources}"))
        history = []
    _expand_history(node, history, file, batch, item.get(NAME_KEY))


def _link(node: NodeRecord, rel_type: str, target: Any, origin: Origin) -> RelRecord:
    """A `links:` entry; it inherits the node's sources unless it gives its own."""
    if isinstance(target, dict):
        line = target.get(LINE_KEY, origin.line)
        props = {k: v for k, v in target.items() if k not in ("to", LINE_KEY)}
        end = target.get("to")
        origin = Origin(origin.file, line)
    else:
        props, end = {}, target
    props.setdefault("sources", node.properties.get("sources"))
    return RelRecord(rel_type, node.id, end, props, origin)


def _expand_history(node: NodeRecord, history: list[Any], file: str, batch: Batch,
                    name_hint: Any = None) -> None:
    """Each dated status becomes a StatusChange node; the latest sets the node's status."""
    entries = []
    for entry in history:
        if not isinstance(entry, dict):
            batch.problems.append(Problem(node.origin, "history", "each entry needs status and on"))
            continue
        origin = Origin(file, entry.get(LINE_KEY, node.origin.line))
        status, on = entry.get("status"), entry.get("on")
        sources = entry.get("sources", node.properties.get("sources"))
        # Non-text values are reported by validation; here they must only print briefly.
        change_id = f"{_text(node.id)}--{_text(on)}-{_text(status)}"
        named = node.properties.get("name", name_hint or node.id)
        name = f"{_text(named)}: {_text(status)} ({_text(on)})"
        extra = {k: v for k, v in entry.items() if k not in ("status", "on", "sources", LINE_KEY)}
        batch.nodes.append(NodeRecord("StatusChange", change_id, {
            "name": name, "status": status, "on": on, "sources": sources, **extra}, origin))
        batch.relationships.append(RelRecord("HAS_STATUS", node.id, change_id,
                                             {"sources": sources}, origin))
        entries.append((_text(on), status))
    if entries:  # by date; a status that is not text (reported elsewhere) must still compare
        latest_on, latest_status = max(entries, key=lambda e: (e[0], _text(e[1])))
        node.properties.setdefault("status", latest_status)
        if node.label == "Law":
            node.properties.setdefault("status_on", latest_on)


def _text(value: Any) -> str:
    """`value` for an id or name built from it: text as it is, anything else briefly (a YAML
    alias bomb printed in full would be 10**9 items)."""
    return value if isinstance(value, str) else brief(value)
