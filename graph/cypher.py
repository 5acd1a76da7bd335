"""Every read statement built in Python, in one place (the named queries are `queries/*.cypher`).

Reads here are parameterised (`$ids`, `$id`); where a label, a relationship type or a bound
must be part of the text, a function builds it from names the caller has checked against the
schema. `tests/test_one_home.py` fails when a module elsewhere writes a Cypher read of its own.
Write statements are built from the schema in `graph/writes.py`; the stores' own bookkeeping
(counts, indexes, paging) stays in `graph/store/`.
"""

from __future__ import annotations

# -- the as-of facts (graph/asof.py) ------------------------------------------------------------
TASK_FACTS = """
MATCH (task:Task) WHERE task.id IN $ids
OPTIONAL MATCH (task)-[:HAS_STATUS]->(s:StatusChange)
WITH task, collect([s.on, s.status]) AS statuses
OPTIONAL MATCH (task)-[:HAS_DEADLINE]->(d:DeadlineChange)
WITH task, statuses, collect([d.on, d.deadline]) AS moves
OPTIONAL MATCH (task)-[:ASSIGNED_IN]->(doc:Document)
OPTIONAL MATCH (meeting:Meeting)-[:RESULTED_IN]->(doc)
RETURN task.id AS id, task.deadline AS deadline, statuses, moves,
       collect(doc.issued_on) + collect(meeting.held_on) AS dates
"""

STATUS_HISTORY = """
MATCH (n) WHERE n.id IN $ids
OPTIONAL MATCH (n)-[:HAS_STATUS]->(s:StatusChange)
RETURN n.id AS id, n.status AS status, n.status_on AS status_on, collect([s.on, s.status]) AS changes
"""
