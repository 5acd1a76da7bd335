"""Which known task an extracted task or progress statement is about.

- **Same document and item** (``1.b`` of 25-TB/TGV): the same task, certainly. Where an item
  holds several tasks (one per lead), the lead tells them apart, then their order.
- **Named**: a progress statement that names the document and item (``điểm 1.b Thông báo số
  25-TB/TGV``) is about that task.
- **Proposed**: across documents (a later report on an earlier assignment), a task with the
  same lead agency whose description is close (``rapidfuzz`` over the project's fold), closer
  still with the same topic. Only ever proposed in the review file, never applied silently.

The known tasks come from the store (`loaders.known.known_tasks`) or from a validated batch
(`known_from_plan`), so matching itself is pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from graph.text import fold
from loaders.validate import Plan

PROPOSE_AT = 60.0  # description similarity (0-100) from which a match is proposed
TOPIC_BONUS = 10.0
CANDIDATES = 3


@dataclass
class KnownTask:
    id: str
    name: str
    summary: str | None = None
    item: str | None = None
    deadline: str | None = None
    documents: list[str] = field(default_factory=list)  # ASSIGNED_IN ids
    numbers: list[str] = field(default_factory=list)  # and their numbers
    leads: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def description(self) -> str:
        return f"{self.name} {self.summary or ''}"


@dataclass
class Proposal:
    task: KnownTask
    score: float
    by: str  # what agreed: "lead bo-tai-chinh, topic topic-3-nha, description 84%"


def known_from_plan(plan: Plan) -> list[KnownTask]:
    """The tasks of a validated batch (the bundled dataset, when no store is asked)."""
    numbers = {row["id"]: row["props"].get("number") for row in plan.nodes.get("Document", [])}
    tasks = {row["id"]: KnownTask(id=row["id"], name=row["props"].get("name", row["id"]),
                                  summary=row["props"].get("summary"), item=row["props"].get("item"),
                                  deadline=row["props"].get("deadline"),
                                  sources=list(row["props"].get("sources") or []))
             for row in plan.nodes.get("Task", [])}
    for (rel_type, _, _), rows in plan.relationships.items():
        for row in rows:
            task = tasks.get(row["start"])
            if task is None:
                continue
            if rel_type == "ASSIGNED_IN":
                task.documents.append(row["end"])
                if numbers.get(row["end"]):
                    task.numbers.append(numbers[row["end"]])
            elif rel_type == "LED_BY":
                task.leads.append(row["end"])
            elif rel_type == "ABOUT":
                task.topics.append(row["end"])
    return list(tasks.values())


def same_item(known: list[KnownTask], *, document: str, item: str | None,
              leads: list[str], position: int = 0) -> KnownTask | None:
    """The known task of `document`'s `item`: alone, or told apart by lead, then by order
    (`position`: the extracted task's place among those of its item)."""
    if not item:
        return None
    group = sorted((t for t in known if document in t.documents and t.item == item),
                   key=lambda t: t.id)
    if len(group) <= 1:
        return group[0] if group else None
    by_lead = [t for t in group if set(leads) & set(t.leads)]
    if len(by_lead) == 1:
        return by_lead[0]
    return group[position] if position < len(group) else None


def named(known: list[KnownTask], *, number: str | None, item: str | None,
          leads: list[str]) -> KnownTask | None:
    """The task a statement names by document number and item (`điểm 1.b Thông báo 25-TB/TGV`)."""
    if not number or not item:
        return None
    group = [t for t in known if number in t.numbers and t.item == item]
    if len(group) > 1:
        group = [t for t in group if set(leads) & set(t.leads)] or group
    return group[0] if len(group) == 1 else None


def propose(known: list[KnownTask], *, description: str, leads: list[str],
            topics: list[str] = (), exclude_documents: list[str] = ()) -> list[Proposal]:
    """Known tasks of other documents that may be the same: same lead, a close description."""
    if not leads or not description.strip():
        return []
    text = fold(description)
    found = []
    for task in known:
        common = set(leads) & set(task.leads)
        if not common or set(exclude_documents) & set(task.documents):
            continue
        similarity = fuzz.token_set_ratio(text, fold(task.description))
        same_topic = sorted(set(topics) & set(task.topics))
        score = min(100.0, similarity + (TOPIC_BONUS if same_topic else 0.0))
        if score < PROPOSE_AT:
            continue
        by = [f"lead {', '.join(sorted(common))}"]
        if same_topic:
            by.append(f"topic {', '.join(same_topic)}")
        by.append(f"description {similarity:.0f}%")
        found.append(Proposal(task, round(score, 1), ", ".join(by)))
    found.sort(key=lambda p: (-p.score, p.task.id))
    return found[:CANDIDATES]
