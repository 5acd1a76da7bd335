"""Review files: an extraction a person checks before it is loaded.

`policygraph extract FILE --review OUT.yaml` writes the loader's own YAML format with a
top-level `review:` block and, on entries, fields only a review file has:

- `review:` on a node or link: the decision.
    - `accept`: load it as written (after any correction made in place);
    - `reject`: leave it out (a node with its links, and every link to it);
    - `merge`: only with `match:`: this entry is the existing node `match.id` (change
      `match.id` to one of `match.candidates` to choose another). A task keeps its own name,
      summary, item, deadline and assignment; this entry adds its source, links, `history:`
      and `deadline_change:`. Any other node is dropped and links to it go to `match.id`;
    - `check`: not decided yet. `policygraph load` refuses the file, naming each line, until
      none is left.
- `match:` what the entry was matched to, how and how well, and the other `candidates`;
- `evidence:`, `extracted:`, `as_written:`, `alternatives:`: what the extractor saw (the
  span, cue and deadline phrase; values it read that differ; the agency name as written and
  the other agencies it could be). Read them; the loader ignores them;
- `progress:` marks what a later document says about an earlier task (done, not done, late,
  a new deadline): accept or merge applies it to `match.id`, reject leaves it out. It comes as
  a dated `history:` status, or as `deadline_change: {deadline, on}`, which becomes a
  `DeadlineChange` linked by `HAS_DEADLINE` (the task's first deadline stays; nothing is
  overwritten).

`apply` turns a review document into a plain one (or problems naming lines); the loader then
validates and diffs it like any other file. `trusted` decides for `extract --load` what a
person would otherwise decide, and says what it matched.
"""

from __future__ import annotations

from typing import Any

from loaders.records import Origin, Problem

LINE_KEY = "__line__"
EXISTING_KEY = "__existing__"  # loaders.yaml_format reads it as NodeRecord.existing
DECISIONS = ("accept", "reject", "merge", "check")
INFO_KEYS = ("match", "evidence", "extracted", "as_written", "alternatives")
REVIEW_KEYS = ("review", "deadline_change", "progress", *INFO_KEYS)
KEPT_BY_EXISTING = ("name", "summary", "name_en", "deadline", "deadline_text", "item")
HOW = (
    "Each entry's `review:` is your decision: accept (load as written, after your corrections "
    "in place), reject (leave it out, with its links), merge (the same as the existing `match.id`; "
    "pick another of `match.candidates` by changing `match.id`), check (undecided: load refuses "
    "the file until none is left). `evidence`, `extracted`, `as_written` and `alternatives` are "
    "for reading. An entry with `progress:` reports on the task in `match:`: accept applies it "
    "to `match.id`. Then: policygraph load THIS-FILE --dry-run, and policygraph load THIS-FILE."
)


def is_review(document: Any) -> bool:
    return isinstance(document, dict) and "review" in document


def apply(document: dict[str, Any], file: str) -> tuple[dict[str, Any], list[Problem]]:
    """The plain loader document a reviewed file stands for, and what stops it loading."""
    problems: list[Problem] = []
    passed_on = {k: v for k, v in document.items() if k not in ("review", "nodes", "relationships")}
    if not isinstance(document.get("nodes") or [], list) or \
            not isinstance(document.get("relationships") or [], list):
        return {**passed_on, "nodes": document.get("nodes"),
                "relationships": document.get("relationships")}, problems  # reported as such
    nodes = [n for n in document.get("nodes") or [] if isinstance(n, dict)]
    rename: dict[str, str] = {}
    rejected: set[str] = set()
    kept: list[dict[str, Any]] = []
    for node in nodes:
        decision = _decision(node, file, problems)
        if decision == "accept" and "progress" in node:
            decision = "merge"  # accepting a progress statement applies it to its match
        node_id = node.get("id")
        if decision == "reject":
            rejected.add(node_id)
            continue
        if decision == "merge":
            target = _merge_target(node, file, problems)
            if target is None:
                continue
            target_id, target_name = target
            rename[node_id] = target_id
            if node.get("label") != "Task":
                continue  # the existing node stays as it is; links go to it
            # a statement that the task is this one: no name or values of its own, so a later
            # correction of the task's curated values is never shadowed by this copy
            node = {k: v for k, v in node.items() if k not in KEPT_BY_EXISTING}
            node["id"], node[EXISTING_KEY], node["__name__"] = target_id, True, target_name
            documents = (node.get("match") or {}).get("documents") or []
            node["__keep_assigned__"] = documents
        kept.append(node)
    out_nodes: list[dict[str, Any]] = []
    tasks: dict[str, dict[str, Any]] = {}
    for node in kept:
        node = dict(node)
        keep_assigned = node.pop("__keep_assigned__", None)
        links = _links(node, rename, rejected, keep_assigned, file, problems)
        change = node.get("deadline_change")
        plain = {k: v for k, v in node.items() if k not in REVIEW_KEYS}
        name = plain.get("__name__") or plain.get("name")
        if links is not None:
            plain["links"] = links
        if change is not None:
            _deadline_change(plain, name, change, out_nodes, file, problems)
        node_id = plain.get("id")
        if plain.get(EXISTING_KEY) and node_id in tasks:
            _combine(tasks[node_id], plain)  # two entries about one task (a match, a report)
            continue
        if plain.get(EXISTING_KEY):
            tasks[node_id] = plain
        out_nodes.append(plain)  # any other id given twice is for validation to refuse
    relationships = []
    for rel in document.get("relationships") or []:
        if not isinstance(rel, dict) or _decision(rel, file, problems) == "reject":
            continue
        if rel.get("from") in rejected or rel.get("to") in rejected:
            continue
        plain = {k: v for k, v in rel.items() if k not in REVIEW_KEYS}
        plain["from"] = rename.get(plain.get("from"), plain.get("from"))
        plain["to"] = rename.get(plain.get("to"), plain.get("to"))
        relationships.append(plain)
    plain_doc = {**passed_on, "nodes": out_nodes, "relationships": relationships}
    return plain_doc, problems


def refuse_review_fields(document: Any, file: str) -> list[Problem]:
    """Review-only fields in a file that is not a review file: name each, say what to do."""
    problems = []
    for node in (document.get("nodes") or []) if isinstance(document, dict) else []:
        if not isinstance(node, dict):
            continue
        entries = [node] + [t for targets in (node.get("links") or {}).values()
                            if isinstance(node.get("links"), dict)
                            for t in (targets if isinstance(targets, list) else [targets])
                            if isinstance(t, dict)]
        for entry in entries:
            for key in REVIEW_KEYS:
                if key in entry:
                    problems.append(Problem(
                        Origin(file, entry.get(LINE_KEY, node.get(LINE_KEY))), key,
                        f"{key!r} is a review-file field, and this file has no top-level `review:`",
                        "Load the review file `policygraph extract FILE --review OUT.yaml` wrote, "
                        "or remove the field."))
    return problems


def trusted(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`extract --load` without a person: what is certain is applied, what is only proposed is
    not. A proposed match leaves the task new, a candidate agency is created (flagged), a
    progress statement matched only by description is left out. Returns what it did, in words."""
    said = []
    for node in document.get("nodes") or []:
        match = node.get("match") or {}
        if node.get("review") == "merge":
            said.append(f"{node.get('label')} {node.get('id')} is {match.get('id')} "
                        f"({match.get('how')}): merged")
        elif node.get("review") == "check" and match:
            if node.get("history") or node.get("deadline_change"):
                node["review"] = "reject"
                said.append(f"not applied: {_said(node)} may be about {match.get('id')} "
                            f"({match.get('by')}); review it with --review")
            else:
                node["review"] = "accept"
                said.append(f"new task {node.get('id')}: may be the same as {match.get('id')} "
                            f"({match.get('by')}); not merged, review it with --review")
        elif node.get("review") == "check":
            node["review"] = "accept"
            said.append(f"new candidate agency: {node.get('name')}")
    return document, said


def _said(node: dict[str, Any]) -> str:
    if node.get("deadline_change"):
        return f"a deadline move to {node['deadline_change'].get('deadline')}"
    history = node.get("history") or [{}]
    return f"a status '{history[-1].get('status')}'"


def _decision(entry: dict[str, Any], file: str, problems: list[Problem]) -> str:
    decision = entry.get("review", "accept")
    where = Origin(file, entry.get(LINE_KEY))
    if decision not in DECISIONS:
        problems.append(Problem(where, "review", f"unknown decision {decision!r}",
                                "Write accept, reject or merge."))
        return "reject"
    if decision == "check":
        problems.append(Problem(where, "review", "not reviewed yet (review: check)",
                                "Decide: accept, reject or merge (see the `how:` at the top)."))
        return "reject"
    if decision == "merge" and not isinstance(entry.get("match"), dict):
        problems.append(Problem(where, "review", "merge needs a `match:` with the id to merge into",
                                "Write accept or reject, or give match: {id: …}."))
        return "reject"
    return decision


def _merge_target(node: dict[str, Any], file: str,
                  problems: list[Problem]) -> tuple[str, str] | None:
    """(id, name) of the node a merge goes into: `match.id`, among the proposed candidates."""
    match = node["match"]
    target = match.get("id")
    named = {c.get("id"): c.get("name") for c in match.get("candidates") or []
             if isinstance(c, dict)} or {target: match.get("name")}
    if not isinstance(target, str) or target not in named:
        problems.append(Problem(Origin(file, match.get(LINE_KEY, node.get(LINE_KEY))), "match.id",
                                f"{target!r} is not one of the proposed matches",
                                "Give one of `match.candidates`, or write review: accept "
                                "(a new entry) or reject."))
        return None
    return target, named[target] or target


def _links(node: dict[str, Any], rename: dict[str, str], rejected: set[str],
           keep_assigned: list[str] | None, file: str,
           problems: list[Problem]) -> dict[str, Any] | None:
    links = node.get("links")
    if not isinstance(links, dict):
        return links
    out: dict[str, Any] = {}
    for rel_type, targets in links.items():
        if rel_type == LINE_KEY:
            out[rel_type] = targets
            continue
        kept = []
        for target in targets if isinstance(targets, list) else [targets]:
            if isinstance(target, dict):
                if _decision(target, file, problems) == "reject":
                    continue
                end = target.get("to")
                target = {k: v for k, v in target.items() if k not in REVIEW_KEYS}
            else:
                end = target
            if end in rejected:
                continue
            if keep_assigned is not None and rel_type == "ASSIGNED_IN" and end not in keep_assigned:
                continue  # a merged task keeps the assignment it has
            end = rename.get(end, end)
            kept.append({**target, "to": end} if isinstance(target, dict) else end)
        if kept:
            out[rel_type] = kept
    return out


def _deadline_change(task: dict[str, Any], name: Any, change: Any,
                     out: list[dict[str, Any]], file: str, problems: list[Problem]) -> None:
    """`deadline_change: {deadline, on}` → a DeadlineChange node and the task's HAS_DEADLINE."""
    where = Origin(file, change.get(LINE_KEY) if isinstance(change, dict) else task.get(LINE_KEY))
    if not isinstance(change, dict) or not change.get("deadline") or not change.get("on"):
        problems.append(Problem(where, "deadline_change", "needs `deadline` and `on` (ISO dates)",
                                "Write deadline_change: {deadline: YYYY-MM-DD, on: YYYY-MM-DD}."))
        return
    change_id = f"{task.get('id')}--deadline-{change['on']}"
    out.append({"label": "DeadlineChange", "id": change_id,
                      "name": f"{name}: deadline moved to {change['deadline']}",
                      "deadline": change["deadline"], "on": change["on"],
                      "sources": change.get("sources", task.get("sources")), LINE_KEY: where.line})
    links = task.setdefault("links", {})
    links.setdefault("HAS_DEADLINE", [])
    if not isinstance(links["HAS_DEADLINE"], list):
        links["HAS_DEADLINE"] = [links["HAS_DEADLINE"]]
    links["HAS_DEADLINE"].append(change_id)


def _combine(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Two entries of one file about one task: one entry with both's links and history."""
    for rel_type, targets in (other.get("links") or {}).items():
        if rel_type == LINE_KEY:
            continue
        have = into.setdefault("links", {}).setdefault(rel_type, [])
        have += targets if isinstance(targets, list) else [targets]
    if other.get("history"):
        into["history"] = list(into.get("history") or []) + list(other["history"])
    into["sources"] = sorted(set(into.get("sources") or []) | set(other.get("sources") or []))


def dump_review(documents: list[dict[str, Any]]) -> str:
    """The text of a review file: the extracted texts' entries in one YAML document (an entry
    two texts both give, such as one candidate agency, once)."""
    import yaml

    nodes: dict[Any, dict[str, Any]] = {}
    for document in documents:
        for node in document["nodes"]:
            key = node.get("id")  # a malformed id (a list, a map) is kept as it is, for the
            nodes.setdefault(key if isinstance(key, str) else object(), node)  # loader to refuse
    headers = [document["review"] for document in documents]
    merged = {"review": headers[0] if len(headers) == 1 else headers,
              "nodes": list(nodes.values())}

    head = ("# policygraph review file. Decide every entry marked check; correct values in place,\n"
            "# then: policygraph load THIS-FILE --dry-run; policygraph load THIS-FILE\n"
            "# (accept | reject | merge | check: see `how:` below and the README,\n"
            "# 'Keeping the graph current').\n")
    return head + yaml.safe_dump(merged, allow_unicode=True, sort_keys=False, width=100)
