"""Derived change state: the `changes` answer for any window without working out every task.

`queries/changes.cypher` is the definition (analysts run it on Neo4j as written). It works out
the standing of every task, and of every (task, law) pair within 8 DEPENDS_ON, on both dates of
the window: 77-107 s at national scale (issue 32). Yet every item it gives is about something
that changes inside the window (since, until]: an assignment, a status, a deadline move, a
deadline passing, a law's status. So the loader also keeps, in the derived graph beside the
analysts' (graph.blocking_state's), per task its standing as segments between the dates on
which graph.asof's rules can change (`graph.task_dates`; per segment the category
and the deadline in force, by `TaskFacts`), its statuses, deadline moves (with the deadline
before each), assignment and the laws it depends on (`blocking_state.law_hops`); per law its
dated status (`graph.asof.dated_status`'s rule, with the record that says it) and the agencies
a law concerns. A window is then a few range scans over the dates, and the rules of the
reference are applied only to the tasks, pairs and laws with a change inside it (a law's
standing on the two dates once, not per task; a task's once, not per law), and the items of the
last few windows asked about are kept with the parsed state: the next page, the /changes page,
the digest and the feed mostly ask the same window (issue 32: a first page of `changes` worked
out and sorted the whole window per request, 351 ms).

Its terms are blocking_state's (issue 21): written only by the loader, in the same batch as the
facts (`graph.derived`, after blocking_state's), stamped with
the revision of the analysts' graph; where the stamp is not the graph's revision, every read
here answers None and the Cypher answers. Internal (a label of its own in the derived graph),
embedded store only. tests/test_change_state.py holds it equal to the reference on many
windows, with and without agency, after loads that change statuses, deadlines and law
statuses, and after a retraction. After a load it is updated for what the load touched, the
records kept in parts by source (graph.state_parts); tests/test_derived.py holds the update
equal to a full rebuild.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import orjson

from graph import cypher, depends_near, task_dates
from graph import derived_reads as shared
from graph.asof import FINISHED_LAW, ISO_START, OPEN_CATEGORIES, latest_status, law_blocks
from graph.blocking_state import _CACHE, derived_store, law_hops
from graph.errors import Busy
from graph.gc_pause import gc_paused
from graph.state_parts import Parts, compact_json, part_key, texts_of
from graph.store.base import Store
from graph.task_dates import TaskDates

FORMAT = "4"  # of the parts `compute` writes; a state of another format is not read
HEAD = "head"  # the part with the meetings and laws; the tasks' parts are graph.state_parts
_PARTS = Parts(cypher.CHANGES_LABEL)
HEAD_FACTS = ("laws", "law_statuses", "drafters", "meetings")  # of the whole graph, all small
WHOLE_FACTS = ("depends", "leads")  # of the whole graph, large: read only to compute it whole
WINDOWS_KEPT = 4  # windows whose items a state keeps (a national one: ~37,000 items, ~8 MB)
COLUMNS = ["date", "kind", "task_id", "task_name", "law_id", "law_name", "detail", "via",
           "sources", "lead_ids", "since", "until"]
DRAWING = ["task", "law"]
RANKS = {"assigned": 1, "done": 2, "overdue": 3, "deadline_moved": 4, "law_status": 5,
         "unblocked": 6, "blocked": 7}
DONE_CATEGORIES = ("done_on_time", "done_late")

# a task's record, as stored (a JSON list) and read: the index of each field
T_ID, T_NAME, T_SOURCES, T_LEADS, T_VIA, T_ASSIGNED, T_FIRST_DONE, T_CHANGES, T_SEGMENTS, \
    T_STATUSES, T_MOVES, T_LAWS = range(12)
# a law's: its dated standing (from each point on, [on, status, sources] or None), its status
# records (the law_status items) and the agencies it concerns
L_ID, L_NAME, L_POINTS, L_STANDINGS, L_RECORDS, L_AGENCIES = range(6)


# -- computing it (the loader) -------------------------------------------------------------------
def compute(store: Store) -> tuple[str, dict[str, tuple[str, str]]]:
    """The state from the facts in the store: its head (the meetings' dates and the laws,
    JSON) and each task's record (`{task id: (its part, its record's JSON)}`, graph.state_parts)."""
    facts = {name: shared.read(store, cypher.CHANGE_FACTS[name]) for name in (*HEAD_FACTS, *WHOLE_FACTS)}
    leads: dict[str, set[str]] = defaultdict(set)
    for row in facts["leads"]:
        leads[row["task"]].add(row["id"])
    hops = law_hops(store)
    laws_of: dict[str, list[str]] = defaultdict(list)
    concern: dict[str, Counter[str]] = {}
    for law in facts["laws"]:
        reached = hops.get(law["id"], {})  # tasks and documents; records only for tasks
        counted = concern[law["id"]] = Counter()
        for task in reached:
            laws_of[task].append(law["id"])
            counted.update(leads.get(task, ()))
    return _head(facts, concern), _records(task_dates.of_tasks(store), laws_of)


def _head(facts: dict[str, list[dict[str, Any]]], concern: dict[str, Counter[str]]) -> str:
    """The head part: meetings, and laws with their standing and the agencies they concern
    (their drafters and the leads of the tasks within MAX_HOPS DEPENDS_ON of them). Needs of
    `facts` the laws, law statuses, drafters and meetings of the whole graph (small), and of
    each law how many of the tasks that reach it each agency leads (`concern`), which the head
    keeps too: a load that touches a few tasks then adjusts those counts by the records of
    those tasks, before and after (`_updated`), instead of reading every task's leads and
    dependencies again."""
    records: dict[str, list] = defaultdict(list)
    for row in facts["law_statuses"]:
        if row["on"] is not None:
            records[row["law"]].append([row["on"], row["status"], row["sources"]])
    drafters: dict[str, set[str]] = defaultdict(set)
    for row in facts["drafters"]:
        drafters[row["law"]].add(row["id"])
    laws, counts = [], {}
    for law in facts["laws"]:
        counted = {agency: n for agency, n in sorted(concern.get(law["id"], {}).items()) if n > 0}
        concerned = drafters[law["id"]] | counted.keys()
        laws.append([law["id"], law["name"], *_law_standing(law, records[law["id"]]),
                     records[law["id"]], sorted(concerned)])
        counts[law["id"]] = counted
    meetings = sorted(row["on"] for row in facts["meetings"])
    return compact_json({"meetings": meetings, "laws": laws, "concern": counts})


def _records(tasks: dict[str, TaskDates], laws_of: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """{task id: (its part, its record's JSON text)} of `tasks` (graph.task_dates)."""
    return {task: (part_key(task, found.row["sources"]),
                   compact_json(_task_record(found, laws_of.get(task, []))))
            for task, found in tasks.items()}


def _task_record(task: TaskDates, laws: list[str]) -> list[Any]:
    """One task's record (see T_*): its standing from each date on which it can change."""
    statuses = [[r["on"], r["status"], r["sources"]] for r in task.statuses]
    moves = [(r["on"], r["deadline"], r["sources"]) for r in task.moves]
    done = [on for on, status, _ in statuses if status == "done"]
    first = task.row["deadline"]
    return [task.row["id"], task.row["name"], task.row["sources"], sorted(a for a, _ in task.leads),
            task.via, task.facts.assigned_on, min(done) if done else None, task.changes,
            [[s.category, s.deadline] for s in task.segments], statuses,
            [[on, _moved(first, moves, on, deadline), sources] for on, deadline, sources in moves],
            laws]


def _moved(first: str | None, moves: list[tuple[str, str, Any]], on: str, deadline: str | None) -> str | None:
    """A deadline move's detail, `old -> new`: from the deadline of the latest move before it
    (in (on, deadline) order), else the deadline first assigned (`?` when none)."""
    if deadline is None:
        return None
    earlier = [(o, d) for o, d, _ in moves if d is not None and (o < on or (o == on and d < deadline))]
    previous = max(earlier)[1] if earlier else first
    return f"{previous or '?'} -> {deadline}"


def _law_standing(law: dict[str, Any], records: list[list]) -> tuple[list[str], list[Any]]:
    """The dates on which a law's status can change ("" first) and from each, the record of its
    status then (`graph.asof.dated_status`: its latest record, or with none its `status` from
    `status_on`), or None when nothing is recorded by then."""
    if not records:
        if law["status_on"] is None:
            return [""], [None]
        return ["", law["status_on"]], [None, [law["status_on"], law["status"], law["sources"]]]
    points = ["", *sorted({on for on, _, _ in records})]
    return points, [None, *(_record_on(records, on) for on in points[1:])]


def _record_on(records: list[list], day: str) -> list | None:
    """The record of the status on `day` (`graph.asof.latest_status`'s rule), the first so
    stated where two say the same."""
    status = latest_status([(on, st) for on, st, _ in records], day)
    dated = [on for on, _, _ in records if on <= day]
    if not dated:
        return None
    latest = max(dated)
    return next(r for r in records if r[0] == latest and str(r[1]) == status)


def clear(store: Store) -> None:
    """Mark the state out of date (no stamp) before facts change; its parts stay, for an
    update of what the writes touch (`refresh`), and no reader takes them for current."""
    derived = derived_store(store)
    if derived is not None:
        derived.write(cypher.CHANGES_CLEAR_STAMP)


def refresh(store: Store, touched: Iterable[str] | None = None) -> int:
    """Bring the state to the store's facts: write the parts that differ, then the stamp;
    returns the parts written. With `touched` (the node ids a load wrote or removed, given
    when the state was current before it) only the records of the tasks they reach are made
    again: the tasks themselves, those whose facts they are (`cypher.TASKS_REACHED`) and those
    within MAX_HOPS DEPENDS_ON of one (the laws a task reaches may change); only the parts
    holding them are rewritten (graph.state_parts). The head is made again whole (it reads the
    whole graph's dependencies and leads, a small part of the facts)."""
    derived = derived_store(store)
    if derived is None:
        return 0
    if touched is None:
        head, records = compute(store)
        written = _PARTS.rebuild(derived, records, {HEAD: head})
    else:
        written = _updated(store, derived, set(touched))
    derived.write(cypher.CHANGES_SET_STAMP, {"revision": _stamp(store.revision())})
    return written


def _updated(store: Store, derived: Store, touched: set[str]) -> int:
    """Write the head and the records of the tasks `touched` reaches; returns the parts written."""
    facts = {name: shared.read(store, cypher.CHANGE_FACTS[name]) for name in HEAD_FACTS}
    ids = sorted(touched)
    reached = {row["task"] for query in cypher.TASKS_REACHED
               for row in shared.read(store, query, {"ids": ids})}
    # a dependency added or removed below a task: the laws it reaches change
    reached |= depends_near.dependents(store, touched)
    links = depends_near.forward(store, reached)
    order = [law["id"] for law in facts["laws"]]
    laws_of = {}
    for task in reached:
        near = depends_near.hops_from(task, links)
        laws_of[task] = [law for law in order if law in near]
    records = _records(task_dates.of_tasks(store, reached), laws_of)
    old_head = derived.read(_PARTS.of_parts, {"parts": [HEAD]}).rows

    def head(before: dict[str, str]) -> dict[str, str]:
        """The head, its counts moved from the records `before` to the new ones."""
        concern = {law: Counter(counted) for law, counted in
                   orjson.loads(old_head[0]["text"])["concern"].items()} if old_head else {}
        for text, sign in [*((text, -1) for text in before.values()),
                           *((text, 1) for _, text in records.values())]:
            record = orjson.loads(text)
            for law in record[T_LAWS]:
                counted = concern.setdefault(law, Counter())
                for agency in set(record[T_LEADS]):
                    counted[agency] += sign
        return {HEAD: _head(facts, concern)}
    return _PARTS.update(derived, records, reached, head)


def _stamp(revision: str | None) -> str:
    return f"{revision}/{FORMAT}"


def is_current(store: Store) -> bool:
    """Whether the state is there, for the graph as it is now (its revision)."""
    return _stamped(store, None)


# -- reading it (the fast path of changes) -------------------------------------------------------
def _stamped(store: Store, timeout_ms: int | None) -> bool:
    """Whether the state is current (when not, the Cypher answers)."""
    derived = derived_store(store)
    if derived is None:
        return False
    stamps = derived.read(cypher.CHANGES_STAMPS, timeout_ms=timeout_ms).rows
    return [row["revision"] for row in stamps] == [_stamp(store.revision())]


@dataclass
class State:
    """The parsed state with its indexes by date (sorted days, and beside them what is on each)."""

    meetings: list[str]
    laws: list[list]
    tasks: list[list]
    task_days: list[str]       # every date on which a task's standing can change
    task_at: list[int]
    move_days: list[str]       # every deadline move's date
    move_at: list[tuple[int, int]]
    law_days: list[str]        # every date on which a law's status can change
    law_at: list[int]
    record_days: list[str]     # every law status record's date
    record_at: list[tuple[int, int]]
    dependents: list[list[int]]
    # the items of the last few windows asked about (`items`), by (since, until, agency)
    windows: OrderedDict[tuple, list[tuple]] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def parse(cls, head_text: str, parts: list[str]) -> State:
        """From the head and the parts of task records (graph.state_parts)."""
        with gc_paused():  # hundreds of thousands of small lists, none in a cycle
            head = orjson.loads(head_text)
            tasks = orjson.loads("[" + ",".join(text for part in parts for text in texts_of(part)) + "]")
            laws = head["laws"]
            number = {law[L_ID]: i for i, law in enumerate(laws)}
            for task in tasks:  # stored by id (a law added elsewhere keeps them), used by number
                task[T_LAWS] = [number[law] for law in task[T_LAWS]]
            days = sorted((day, i) for i, t in enumerate(tasks) for day in t[T_CHANGES][1:])
            moves = sorted((m[0], i, j) for i, t in enumerate(tasks) for j, m in enumerate(t[T_MOVES]))
            law_days = sorted((day, i) for i, law in enumerate(laws) for day in law[L_POINTS][1:])
            records = sorted((r[0], i, j) for i, law in enumerate(laws) for j, r in enumerate(law[L_RECORDS]))
            dependents: list[list[int]] = [[] for _ in laws]
            for i, task in enumerate(tasks):
                for law in task[T_LAWS]:
                    dependents[law].append(i)
        return cls(head["meetings"], laws, tasks, [d for d, _ in days], [i for _, i in days],
                   [m[0] for m in moves], [(m[1], m[2]) for m in moves],
                   [d for d, _ in law_days], [i for _, i in law_days],
                   [r[0] for r in records], [(r[1], r[2]) for r in records], dependents)

    def default_since(self, until: str) -> str:
        """The date of the latest Meeting before `until`; the start of the record if none."""
        before = bisect_left(self.meetings, until)
        return self.meetings[before - 1] if before else ISO_START


def state(store: Store, *, timeout_ms: int | None = None) -> State | None:
    """The parsed state (once per store revision); None when it is not current."""
    if not _stamped(store, timeout_ms):
        return None

    def fetch(_keys: list[str]) -> dict[str, State]:
        derived = derived_store(store)
        assert derived is not None, "_stamped said the state is there"
        rows = derived.read(cypher.CHANGES_PARTS, timeout_ms=timeout_ms).rows
        texts = {row["part"]: row["text"] for row in rows if row["part"] is not None}
        stamps = [row["text"] for row in rows if row["part"] is None]
        if HEAD not in texts or stamps != [_stamp(store.revision())]:  # a load is on
            raise Busy("The graph is being loaded; its change state is being recomputed.",
                       hint="Ask again in a few seconds.", retry_after_s=5)
        head = texts.pop(HEAD)
        return {"state": State.parse(head, [texts[part] for part in sorted(texts)])}
    return _CACHE.get(store, "changes", ["state"], fetch)["state"]


def _between(days: list[str], at: list, since: str, until: str) -> list:
    """What is on the dates in (since, until]."""
    return at[bisect_right(days, since):bisect_right(days, until)]


def _segment(task: list, day: str) -> list:
    """[category, deadline in force] of the task on `day`."""
    return task[T_SEGMENTS][bisect_right(task[T_CHANGES], day) - 1]


def _law_record(law: list, day: str) -> list | None:
    return law[L_STANDINGS][bisect_right(law[L_POINTS], day) - 1]


def items(found: State, since: str, until: str, agency: str | None) -> list[tuple]:
    """The reference's items for the window (since, until], in its order (`_sorted`; `rows`
    makes them rows), kept for the last few windows asked about (`State.windows`: the next
    page, the /changes page, the digest and the feed ask the same window). Only what changes
    inside the window is looked at; `since` must not be after `until` (the callers let the
    Cypher answer that). The list is shared: callers never change it."""
    key = (since, until, agency)
    with found.lock:
        held = found.windows.get(key)
        if held is not None:
            found.windows.move_to_end(key)
            return held
    with gc_paused():  # tens of thousands of small tuples, none in a cycle
        held = _items(found, since, until, agency)
    with found.lock:
        found.windows[key] = held
        while len(found.windows) > WINDOWS_KEPT:
            found.windows.popitem(last=False)
    return held


def _items(found: State, since: str, until: str, agency: str | None) -> list[tuple]:
    tasks, laws = found.tasks, found.laws
    out: list[tuple] = []

    def led(task: list) -> bool:
        return agency is None or agency in task[T_LEADS]

    def emit(date: str | None, kind: str, task: list | None, law: list | None, detail: str | None,
             via: list, sources: Any) -> None:
        key = (date is None, date or "", RANKS[kind], task is None, task[T_ID] if task else "",
               law is None, law[L_ID] if law else "")
        out.append((key, (date, kind, task, law, detail, via, sources)))

    changed = sorted(set(_between(found.task_days, found.task_at, since, until)))
    for i in changed:
        task = tasks[i]
        if led(task):
            _task_items(task, since, until, emit)
    for i, j in _between(found.move_days, found.move_at, since, until):
        task = tasks[i]
        if led(task):
            on, detail, sources = task[T_MOVES][j]
            emit(on, "deadline_moved", task, None, detail, [], sources)
    for i, j in _between(found.record_days, found.record_at, since, until):
        law = laws[i]
        if agency is None or agency in law[L_AGENCIES]:
            on, status, sources = law[L_RECORDS][j]
            emit(on, "law_status", None, law, status, [], sources)
    # the (task, law) pairs whose blocking can differ between the dates: a law whose status
    # can change in the window with every task that depends on it, a task whose standing can
    # change with every law it depends on
    pairs: dict[int, set[int]] = {law: set(found.dependents[law])
                                  for law in set(_between(found.law_days, found.law_at, since, until))}
    for t in changed:
        for law in tasks[t][T_LAWS]:
            pairs.setdefault(law, set()).add(t)
    standing: dict[int, tuple[str | None, str | None]] = {}  # a task's category on both dates
    for number, of in pairs.items():
        law = laws[number]
        then, now = _law_record(law, since), _law_record(law, until)
        blocks = (law_blocks(then and then[1]), law_blocks(now and now[1]))
        if blocks == (False, False):
            continue  # passed by both dates: it blocks nothing on either
        for t in of:
            task = tasks[t]
            if not led(task):
                continue
            categories = standing.get(t)
            if categories is None:
                categories = standing[t] = (_segment(task, since)[0], _segment(task, until)[0])
            _pair_item(task, law, then, now, blocks, categories, since, until, emit)
    return _sorted(out)


def _task_items(task: list, since: str, until: str, emit) -> None:
    """Assigned, done, became overdue: the task part of the reference."""
    before, (category, deadline) = _segment(task, since)[0], _segment(task, until)
    assigned = task[T_ASSIGNED]
    if assigned is not None and since < assigned <= until:
        emit(assigned, "assigned", task, None, None, task[T_VIA], task[T_SOURCES])
    finished = task[T_FIRST_DONE]
    if category in DONE_CATEGORIES and finished > since:
        record = next(r for r in task[T_STATUSES] if r[1] == "done" and r[0] == finished)
        emit(finished, "done", task, None, category, [], record[2])
    if category == "overdue" and before != "overdue":
        if deadline is not None:
            emit(deadline, "overdue", task, None, "due " + deadline, [], task[T_SOURCES])
        else:
            last = None
            for record in task[T_STATUSES]:
                if record[1] == "overdue" and record[0] <= until and (last is None or record[0] > last[0]):
                    last = record
            assert last is not None, "overdue with no deadline is overdue by a record"
            emit(last[0], "overdue", task, None, "recorded overdue", [], last[2])


def _pair_item(task: list, law: list, law_then: list | None, law_now: list | None,
               blocks: tuple[bool, bool], categories: tuple[str | None, str | None], since: str,
               until: str, emit) -> None:
    """Blocked on one date and not on the other (blocking-laws' rule): newly blocked, or
    unblocked because the law passed while the task is still open. `blocks`: whether the law
    blocks on each date (its records then: `law_then`, `law_now`); `categories`: the task's."""
    category_then, category_now = categories
    blocked_then = blocks[0] and category_then in OPEN_CATEGORIES
    blocked_now = blocks[1] and category_now in OPEN_CATEGORIES
    if blocked_then == blocked_now:
        return
    if blocked_now:
        assigned = task[T_ASSIGNED]
        causes = [[assigned, task[T_SOURCES]] if assigned is not None and assigned > since else None,
                  law_now, _record_on_or_none(task[T_STATUSES], until)]
        cause = None
        for x in causes:
            if x is not None and x[0] is not None and (cause is None or x[0] > cause[0]):
                cause = x
        emit(cause[0] if cause else None, "blocked", task, law, "blocked by " + law[L_ID], [],
             cause[-1] if cause else None)
    elif law_now is not None and law_now[1] in FINISHED_LAW and category_now not in DONE_CATEGORIES:
        emit(law_now[0], "unblocked", task, law, f"{law[L_ID]} {law_now[1]}", [], law_now[2])


def _record_on_or_none(records: list[list], day: str) -> list | None:
    return _record_on(records, day) if records else None


def _sorted(out: list[tuple]) -> list[tuple]:
    """The items (each after its key: date, kind, task id, law id; nulls last) in the
    reference's order; items alike in every column are one, counted (the reference groups by
    every column to collect lead ids, so theirs repeat)."""
    out.sort(key=itemgetter(0))
    found: list[tuple] = []
    start = 0
    for end in range(1, len(out) + 1):
        if end < len(out) and out[end][0] == out[start][0]:
            continue
        if end - start == 1:  # alike in the order's keys: almost always one
            found.append((*out[start][1], 1))
        else:
            counted: dict[str, list] = {}
            for _, item in out[start:end]:
                held = counted.setdefault(repr(item[4:]), [*item, 0])
                held[-1] += 1
            found.extend(map(tuple, counted.values()))
        start = end
    return found


def rows(found: list[tuple], since: str, until: str) -> list[dict[str, Any]]:
    """Items (`items`) as the reference's rows, without the drawing columns."""
    return [{"date": date, "kind": kind, "task_id": task and task[T_ID],
             "task_name": task and task[T_NAME], "law_id": law and law[L_ID],
             "law_name": law and law[L_NAME], "detail": detail, "via": via, "sources": sources,
             "lead_ids": sorted(task[T_LEADS] * times) if task else [],
             "since": since, "until": until}
            for date, kind, task, law, detail, via, sources, times in found]
