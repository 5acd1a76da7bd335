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

# -- nodes by id ----------------------------------------------------------------------------------
# how many tasks the graph holds (the store keeps label counts: this is cheap)
TASK_COUNT = "MATCH (t:Task) RETURN count(t) AS n"


def labels_of_ids(label_names: tuple[str, ...] | list[str]) -> str:
    """Which label each of `$ids` has: one indexed lookup per label, not a scan of all nodes."""
    return " UNION ALL ".join(
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id, '{label}' AS label"
        for label in label_names)


def nodes_of(label_names: tuple[str, ...] | list[str]) -> str:
    """The nodes `$ids` among these labels: one indexed lookup per label (a match by id
    without a label scans every node: 0.1 s at national scale)."""
    return " UNION ALL ".join(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n"
                              for label in label_names)


def node(label: str) -> str:
    """The node `$id` of `label`, as `n`."""
    return f"MATCH (n:{label} {{id: $id}}) RETURN n"


def neighbour_counts(label: str) -> str:
    """The node `$id`'s neighbours counted by relationship type and direction."""
    return (f"MATCH (n:{label} {{id: $id}})-[r]-(m) "
            "RETURN type(r) AS type, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction, "
            "count(m) AS count ORDER BY type, direction")


def neighbourhood(label: str, depth: int, rel_types: list[str] | None) -> str:
    """Paths of 1 to `depth` hops from `$id` (through `$labels` only, when given), `$limit` of them."""
    types = ":" + "|".join(rel_types) if rel_types else ""
    return (
        f"MATCH p = (n:{label} {{id: $id}})-[{types}*1..{depth}]-(m) "
        "WHERE $labels IS NULL OR all(x IN nodes(p)[1..] WHERE labels(x)[0] IN $labels) "
        "RETURN p LIMIT $limit"
    )


def path_to_itself(label: str) -> str:
    return f"MATCH (a:{label} {{id: $source}}) RETURN [a] AS p"


def shortest_paths(source_label: str, target_label: str, max_hops: int) -> str:
    """Every shortest path, either direction, between `$source` and `$target` (at most 100)."""
    return (f"MATCH (a:{source_label} {{id: $source}}), (b:{target_label} {{id: $target}}) "
            f"WITH a, b MATCH p = allShortestPaths((a)-[*..{max_hops}]-(b)) RETURN p LIMIT 100")


def search_candidates(label: str | None) -> str:
    """Nodes whose search key holds every one of `$words`, not of `$hidden` labels."""
    match = f"MATCH (n:{label})" if label else "MATCH (n)"
    return (f"{match} WHERE all(w IN $words WHERE n.search_key CONTAINS w) "
            "AND NOT labels(n)[0] IN $hidden "
            "RETURN n.id AS id, labels(n)[0] AS label, n.name AS name, n.name_en AS name_en, "
            "n.abbr AS abbr, n.number AS number, n.aliases AS aliases LIMIT $candidates")


# every node's names, for matching extracted names against the store (`$own`: sources whose
# nodes are left out, when nothing else supports them)
STORE_NAMES = ("MATCH (n) WHERE NOT n:StatusChange AND NOT all(s IN n.sources WHERE s IN $own) "
               "RETURN n.id AS id, labels(n)[0] AS label, "
               "n.name AS name, n.name_en AS name_en, n.abbr AS abbr, n.number AS number, "
               "n.aliases AS aliases")

# -- what an extraction is matched against (loaders/known.py) --------------------------------
# Every task with what matching compares. Each pattern comprehension has its own variable:
# FalkorDB 4.16 gave an empty list for the second of two comprehensions that shared one.
KNOWN_TASKS = (
    "MATCH (t:Task) RETURN t.id AS id, t.name AS name, t.summary AS summary, t.item AS item, "
    "t.deadline AS deadline, t.sources AS sources, "
    "[(t)-[:ASSIGNED_IN]->(d:Document) | d.id] AS documents, "
    "[(t)-[:ASSIGNED_IN]->(n:Document) | n.number] AS numbers, "
    "[(t)-[:LED_BY]->(a:Agency) | a.id] AS leads, "
    "[(t)-[:ABOUT]->(p:Topic) | p.id] AS topics"
)
# which of the Sources $ids the store holds
SOURCES_PRESENT = "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id"

# -- sources --------------------------------------------------------------------------------------
# what a page, a report or a node's details say of the sources `$ids` (one read for all of them)
SOURCES = ("MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id, s.name AS name, s.title AS title, "
           "s.publisher AS publisher, s.published_on AS published_on, s.url AS url ORDER BY s.id")
SOURCE_NODES = "MATCH (s:Source) WHERE s.id IN $ids RETURN s"

# -- relationships --------------------------------------------------------------------------------
RELATIONSHIPS_AMONG = ("MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids "
                       "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS properties")

# -- the whole graph ------------------------------------------------------------------------------
ALL_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties"
ALL_RELATIONSHIPS = ("MATCH (a)-[r]->(b) RETURN a.id AS source, type(r) AS type, b.id AS target, "
                     "properties(r) AS properties")


def label_columns(label: str, columns: list[str]) -> str:
    """Some properties of every node of `label` (checked names only)."""
    return f"MATCH (n:{label}) RETURN " + ", ".join(f"n.{c} AS {c}" for c in columns)


def endpoints(rel_type: str) -> str:
    """The endpoints' ids of every relationship of `rel_type`."""
    return f"MATCH (a)-[:{rel_type}]->(b) RETURN a.id AS source, b.id AS target"


# in chunks of internal ids, for exports written while they are read (graph/export_stream.py)
TOP_INTERNAL_ID = "MATCH (n) RETURN max(id(n)) AS top"
NODE_CHUNK = ("MATCH (n) WHERE id(n) >= $lo AND id(n) < $hi "
              "RETURN labels(n) AS labels, properties(n) AS properties")
RELATIONSHIP_CHUNK = ("MATCH (a)-[r]->(b) WHERE id(a) >= $lo AND id(a) < $hi "
                      "RETURN a.id AS source, labels(a)[0] AS source_label, type(r) AS type, "
                      "b.id AS target, labels(b)[0] AS target_label, properties(r) AS properties")
NODE_KEYS = "MATCH (n) UNWIND keys(n) AS k RETURN DISTINCT k AS k"
RELATIONSHIP_KEYS = "MATCH ()-[r]->() UNWIND keys(r) AS k RETURN DISTINCT k AS k"

# -- briefings ------------------------------------------------------------------------------------
LATEST_MEETING_BEFORE = "MATCH (m:Meeting) WHERE m.held_on < $until RETURN max(m.held_on) AS held_on"
AGENCY = ("MATCH (a:Agency {id: $id}) RETURN a.id AS id, a.name AS name, "
          "a.name_en AS name_en, a.abbr AS abbr, a.kind AS kind")


def around(query_text: str, tail: str) -> str:
    """A named query's text as a subquery, followed by `tail` (`WITH … RETURN …`): the store
    filters or reduces the answer, which stays the one definition."""
    return f"CALL {{\n{query_text}\n}}\n{tail}"


def distinct(query_text: str, column: str) -> str:
    """The distinct values of one column of a named query's answer."""
    return around(query_text, f"RETURN DISTINCT {column}")


def filtered(query_text: str, condition: str, columns: list[str] | tuple[str, ...]) -> str:
    """A named query's rows that meet `condition`, with some of its columns."""
    return around(query_text, f"WITH * WHERE {condition}\nRETURN {', '.join(columns)}")


# -- what the loader compares a batch with (loaders/sync.py, check.py, load.py) --------------------
# `statements` is the internal property that keeps each value's sources (loaders/statements.py)
ANY_NODE = "MATCH (n) RETURN 1 AS x LIMIT 1"
SOURCE_DATES = "MATCH (s:Source) RETURN s.id AS id, s.published_on AS on"
# a Source `$id`, or anything that still cites it
CITED_SOURCE = ("MATCH (s:Source {id: $id}) RETURN s.id AS id UNION "
                "MATCH (n) WHERE $id IN n.sources RETURN n.id AS id LIMIT 1")


def nodes_citing(statements: str) -> str:
    """Every node that cites one of the sources `$replaced`."""
    return (f"MATCH (n) WHERE any(s IN n.sources WHERE s IN $replaced) "
            f"RETURN labels(n)[0] AS label, n.id AS id, properties(n) AS p, "
            f"n.{statements} AS st")


def nodes_by_id(label_names: tuple[str, ...] | list[str], statements: str) -> str:
    """The nodes `$ids`, one indexed lookup per label."""
    return " UNION ALL ".join(
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN '{label}' AS label, "
        f"n.id AS id, properties(n) AS p, n.{statements} AS st"
        for label in label_names)


def relationships_citing(statements: str) -> str:
    """Every relationship that cites one of the sources `$replaced`."""
    return ("MATCH (a)-[r]->(b) WHERE any(s IN r.sources WHERE s IN $replaced) "
            f"RETURN type(r) AS t, labels(a)[0] AS al, a.id AS a, labels(b)[0] AS bl, "
            f"b.id AS b, properties(r) AS p, r.{statements} AS st")


def relationships_between(rel_type: str, start_label: str, end_label: str, statements: str) -> str:
    """The `rel_type` relationships from `$starts[i]` to `$ends[i]`, pair by pair."""
    return ("UNWIND range(0, size($starts) - 1) AS i "
            f"MATCH (a:{start_label} {{id: $starts[i]}})-[r:{rel_type}]->"
            f"(b:{end_label} {{id: $ends[i]}}) "
            f"RETURN a.id AS a, b.id AS b, properties(r) AS p, r.{statements} AS st")


def relationships_at(label: str, statements: str) -> tuple[str, str]:
    """Every relationship leaving, then every one entering, the `label` nodes `$ids`."""
    return tuple(
        f"UNWIND $ids AS i MATCH {pattern} RETURN type(r) AS t, labels(a)[0] AS al, "
        f"a.id AS a, labels(b)[0] AS bl, b.id AS b, properties(r) AS p, "
        f"r.{statements} AS st"
        for pattern in (f"(a:{label} {{id: i}})-[r]->(b)", f"(a)-[r]->(b:{label} {{id: i}})"))


def every_node(statements: str) -> str:
    return f"MATCH (n) RETURN labels(n) AS labels, properties(n) AS p, n.{statements} AS st"


def every_relationship(statements: str) -> str:
    return (f"MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
            f"properties(r) AS p, r.{statements} AS st")


# -- the derived states (graph/derived.py) --------------------------------------------------------
# facts more than one state is computed from: one text each, so that the reads after a load are
# shared (graph.derived_reads), with every column any of them takes
TASKS_FACTS = ("MATCH (t:Task) RETURN t.id AS id, t.name AS name, t.deadline AS deadline, "
               "t.sources AS sources")
STATUSES_FACTS = ("MATCH (t:Task)-[:HAS_STATUS]->(s:StatusChange) "
                  "RETURN t.id AS task, s.on AS on, s.status AS status, s.sources AS sources")
DEADLINES_FACTS = ("MATCH (t:Task)-[:HAS_DEADLINE]->(d:DeadlineChange) RETURN t.id AS task, "
                   "d.on AS on, d.deadline AS deadline, d.sources AS sources")
LEADS_FACTS = "MATCH (t:Task)-[:LED_BY]->(a:Agency) RETURN t.id AS task, a.id AS id, a.name AS name"
DEPENDS_FACTS = "MATCH (t:Task)-[:DEPENDS_ON]->(x) RETURN t.id AS task, x.id AS on"

# -- the derived blocking state (graph/blocking_state.py; issue 21) -------------------------------
# the facts it is computed from, one read each
# (the tasks' own facts are graph.task_dates', read by TASK_STATE_FACTS)
BLOCKING_FACTS = {
    "laws": "MATCH (law:Law) RETURN law.id AS id",
    "depends": DEPENDS_FACTS,
}
LAWS_OF_IDS = "UNWIND $ids AS id MATCH (law:Law {id: id}) RETURN law.id AS id"
# every law with its dated history (the laws not passed on a date are read from it)
LAWS_BLOCKING = """
MATCH (law:Law)
OPTIONAL MATCH (law)-[:HAS_STATUS]->(s:StatusChange)
WITH law, collect([s.on, s.status]) AS history
RETURN law.id AS id, law.name AS name, law.status AS status, law.status_on AS status_on,
       history
"""
# the rows of a page with what a drawing needs: law, task, leads and one shortest chain
PAYLOAD_BLOCKING = """
UNWIND $rows AS r
MATCH (law:Law {id: r.law})
MATCH (task:Task {id: r.task})
OPTIONAL MATCH (task)-[:LED_BY]->(lead:Agency)
WITH r, law, task, lead
ORDER BY lead.id
WITH r, law, task, collect(lead) AS leads
RETURN r.i AS i, law, task, leads,
       [chain = (task)-[:DEPENDS_ON*1..8]->(law) WHERE length(chain) = r.hops | chain][0] AS chain
"""
# what a whole answer's drawing columns are joined from (queries/blocking_answer.py): the nodes
# by id, once per store revision, and every DEPENDS_ON with its properties (a chain's edges)
NODES_BY_ID = {label: f"UNWIND $ids AS id MATCH (n:{label} {{id: id}}) RETURN n.id AS id, n"
               for label in ("Law", "Task", "Agency")}
DEPENDS_ON_EDGES = ("MATCH (t:Task)-[r:DEPENDS_ON]->(x) "
                    "RETURN t.id AS task, x.id AS on, properties(r) AS p")
# where each lead agency's tasks count in the national picture: the holder rule of
# queries/blocking-summary.cypher, word for word (a test holds the two answers equal)
HOLDERS_OF_AGENCIES = """
UNWIND $ids AS id
MATCH (lead:Agency {id: id})
WITH lead,
     [(lead)-[:PART_OF*0..1]->(:Agency)-[:LOCATED_IN]->(:Place)-[:LOCATED_IN*0..1]->(p:Place)
      WHERE p.kind IN ['province', 'city'] | p][0] AS province
WITH lead, coalesce(province, lead) AS holder
RETURN lead.id AS lead, holder.id AS id, labels(holder)[0] AS label, holder.name AS name
"""

# in the derived graph beside the analysts' (never in theirs): one node per law, and a stamp
DERIVED_LABEL = "Blocks"  # {law: its id, part, blocks: its lines of that part, ids: their tasks, n}
DERIVED_STAMP = "Stamp"   # {revision: the analysts' graph's, when computed}
DERIVED_INDEX_CREATE = f"CREATE INDEX FOR (b:{DERIVED_LABEL}) ON (b.law)"
DERIVED_UNSTAMP = f"MATCH (s:{DERIVED_STAMP}) DELETE s"
DERIVED_ALL = (f"MATCH (b:{DERIVED_LABEL}) "
               "RETURN b.law AS law, b.part AS part, b.blocks AS blocks, b.ids AS ids, b.n AS n")
# every part without its lines: where each task's line is, and each law's head (n: its parts)
DERIVED_INDEX = f"MATCH (b:{DERIVED_LABEL}) RETURN b.law AS law, b.part AS part, b.ids AS ids, b.n AS n"
DERIVED_OF_PARTS = (f"MATCH (b:{DERIVED_LABEL}) WHERE b.law IN $laws AND b.part IN $parts "
                    "RETURN b.law AS law, b.part AS part, b.blocks AS blocks, b.ids AS ids, b.n AS n")
# the parts of some laws with the stamp, in one query (one snapshot): lines read while a load
# updates them are not taken for the revision they were read for
DERIVED_OF_LAWS_STAMPED = f"""
MATCH (b:{DERIVED_LABEL}) WHERE b.law IN $ids RETURN b.law AS id, b.part AS part, b.blocks AS b, b.n AS n
UNION ALL
MATCH (s:{DERIVED_STAMP}) RETURN null AS id, null AS part, s.revision AS b, null AS n
"""
# (a node without a part: one law's whole text, as the state's format 5 kept it)
DERIVED_DELETE_PARTS = (f"UNWIND $gone AS g MATCH (b:{DERIVED_LABEL} {{law: g[0]}}) "
                        "WHERE b.part = g[1] OR (b.part IS NULL AND g[1] IS NULL) DELETE b")
DERIVED_WRITE = (f"UNWIND $rows AS row MERGE (b:{DERIVED_LABEL} {{law: row.law, part: row.part}}) "
                 "SET b.blocks = row.blocks, b.ids = row.ids, b.n = row.n")
DERIVED_SET_STAMP = f"MERGE (s:{DERIVED_STAMP}) SET s.revision = $revision"
# in the derived graph too: what the last load read, and the revision it left (loaders/fingerprint.py)
LAST_LOAD = "LastLoad"  # {fingerprint, revision, at, nodes, relationships}
LAST_LOAD_READ = (f"MATCH (l:{LAST_LOAD}) RETURN l.fingerprint AS fingerprint, l.revision AS revision, "
                  "l.at AS at, l.nodes AS nodes, l.relationships AS relationships")
LAST_LOAD_FORGET = f"MATCH (l:{LAST_LOAD}) DELETE l"
LAST_LOAD_WRITE = (f"MERGE (l:{LAST_LOAD}) SET l.fingerprint = $fingerprint, l.revision = $revision, "
                   "l.at = $at, l.nodes = $nodes, l.relationships = $relationships")
# which laws have their state whole (their parts as many as their head says), and the stamp
STATE_BLOCKING = f"""
MATCH (b:{DERIVED_LABEL}) WITH b.law AS id, count(b) AS held, max(b.n) AS n
RETURN id, held, n, null AS revision
UNION ALL
MATCH (s:{DERIVED_STAMP}) RETURN null AS id, null AS held, null AS n, s.revision AS revision
"""

# -- the derived task state (graph/task_state.py; issue 32) -----------------------------------------
# the facts it is computed from, one read each
TASK_STATE_FACTS = {
    "tasks": TASKS_FACTS,
    "statuses": STATUSES_FACTS,
    "deadlines": DEADLINES_FACTS,
    # per task: the dates that assign it, its documents [id, number], and the documents and
    # meetings that assigned it as `changes` lists them (its `via`, in the reference's order)
    "documents": "MATCH (t:Task)-[:ASSIGNED_IN]->(doc:Document) "
                 "OPTIONAL MATCH (held:Meeting)-[:RESULTED_IN]->(doc) "
                 "WITH t, collect(doc.issued_on) + collect(held.held_on) AS dates, "
                 "collect(DISTINCT [doc.id, doc.number]) AS docs, "
                 "collect(DISTINCT coalesce(doc.number, doc.id)) + collect(DISTINCT held.id) AS via "
                 "RETURN t.id AS task, dates, docs, via",
    "leads": LEADS_FACTS,
}
# the same, of the tasks `$ids` only (a load that touched a few)
TASK_STATE_FACTS_OF = {name: query.replace("MATCH (t:Task)", "UNWIND $ids AS tid MATCH (t:Task {id: tid})", 1)
                       for name, query in TASK_STATE_FACTS.items()}
# the tasks whose rows the nodes `$ids` are (themselves) or are facts of (their statuses,
# moves, documents, those documents' meetings, their leads)
TASKS_REACHED = (
    "UNWIND $ids AS id MATCH (t:Task {id: id}) RETURN t.id AS task",
    *(f"UNWIND $ids AS id MATCH (t:Task)-[:{rel}]->(:{label} {{id: id}}) RETURN t.id AS task"
      for rel, label in (("HAS_STATUS", "StatusChange"), ("HAS_DEADLINE", "DeadlineChange"),
                         ("ASSIGNED_IN", "Document"), ("LED_BY", "Agency"))),
    "UNWIND $ids AS id MATCH (t:Task)-[:ASSIGNED_IN]->(:Document)<-[:RESULTED_IN]-(:Meeting {id: id}) "
    "RETURN t.id AS task",
)
# in the derived graph, beside the blocking state: the tasks' parts and their stamp
TASK_STATE_LABEL = "TaskRows"   # graph.state_parts' parts: each task's state as JSON
TASK_STATE_STAMP_LABEL = "TaskStamp"  # {revision: the analysts' graph's, when computed}
TASK_STATE_ALL = (f"MATCH (p:{TASK_STATE_LABEL}) RETURN p.part AS part, p.text AS rows UNION ALL "
                  f"MATCH (s:{TASK_STATE_STAMP_LABEL}) RETURN null AS part, s.revision AS rows")
TASK_STATE_STAMP = f"MATCH (s:{TASK_STATE_STAMP_LABEL}) RETURN s.revision AS revision"
TASK_STATE_SET_STAMP = f"MERGE (s:{TASK_STATE_STAMP_LABEL}) SET s.revision = $revision"
TASK_STATE_CLEAR_STAMP = f"MATCH (s:{TASK_STATE_STAMP_LABEL}) DELETE s"

# -- the derived DEPENDS_ON adjacency (graph/depends_state.py; deadline-risk, issue 32) ---------
# every task's DEPENDS_ON targets, or those of the tasks `$ids` (a load that touched them)
DEPENDS_OF = "UNWIND $ids AS tid MATCH (t:Task {id: tid})-[:DEPENDS_ON]->(x) RETURN t.id AS task, x.id AS on"
# what depends on the nodes `$ids` of one label (`.format(label=…)`; graph.depends_near)
DEPENDS_INTO = ("UNWIND $ids AS id MATCH (t:Task)-[:DEPENDS_ON]->(x:{label} {{id: id}}) "
                "RETURN t.id AS task, x.id AS on")
DEPENDS_LABEL = "DependsRows"        # {part: a number, rows: JSON {task: its targets}, digest: of rows}
DEPENDS_STAMP_LABEL = "DependsStamp"  # {revision: the analysts' graph's, when computed}
DEPENDS_ALL_PARTS = (f"MATCH (p:{DEPENDS_LABEL}) RETURN p.part AS part, p.rows AS rows UNION ALL "
                     f"MATCH (s:{DEPENDS_STAMP_LABEL}) RETURN null AS part, s.revision AS rows")
DEPENDS_STAMP = f"MATCH (s:{DEPENDS_STAMP_LABEL}) RETURN s.revision AS revision"
DEPENDS_DIGESTS = f"MATCH (p:{DEPENDS_LABEL}) RETURN p.part AS part, p.digest AS digest"
DEPENDS_OF_PARTS = (f"MATCH (p:{DEPENDS_LABEL}) WHERE p.part IN $parts "
                    "RETURN p.part AS part, p.rows AS rows")
DEPENDS_WRITE = (f"UNWIND $rows AS row MERGE (p:{DEPENDS_LABEL} {{part: row.part}}) "
                 "SET p.rows = row.rows, p.digest = row.digest")
DEPENDS_SET_STAMP = f"MERGE (s:{DEPENDS_STAMP_LABEL}) SET s.revision = $revision"
DEPENDS_CLEAR_STAMP = f"MATCH (s:{DEPENDS_STAMP_LABEL}) DELETE s"

# -- the derived change state (graph/change_state.py; issue 32) -----------------------------------
# the facts `changes` reads beyond blocking's, one read each (lists as the reference collects them)
CHANGE_FACTS = {  # beside graph.task_dates' (the tasks, statuses, deadline moves, documents)
    "leads": LEADS_FACTS,
    "depends": DEPENDS_FACTS,
    "laws": "MATCH (law:Law) RETURN law.id AS id, law.name AS name, law.status AS status, "
            "law.status_on AS status_on, law.sources AS sources",
    "law_statuses": "MATCH (law:Law)-[:HAS_STATUS]->(s:StatusChange) "
                    "RETURN law.id AS law, s.on AS on, s.status AS status, s.sources AS sources",
    "drafters": "MATCH (law:Law)-[:DRAFTED_BY]->(a:Agency) RETURN law.id AS law, a.id AS id",
    "meetings": "MATCH (m:Meeting) WHERE m.held_on IS NOT NULL RETURN m.held_on AS on",
}
CHANGES_LABEL = "Changes"      # in the derived graph: graph.state_parts' parts and the head
CHANGES_STAMP = "ChangesStamp"  # {revision: the analysts' graph's}
CHANGES_CLEAR_STAMP = f"MATCH (s:{CHANGES_STAMP}) DELETE s"
CHANGES_SET_STAMP = f"MERGE (s:{CHANGES_STAMP}) SET s.revision = $revision"
CHANGES_STAMPS = f"MATCH (s:{CHANGES_STAMP}) RETURN s.revision AS revision"
# every part with the stamp, in one query (one snapshot): parts read while a load updates them
# are not taken for the revision they were read for
CHANGES_PARTS = (f"MATCH (c:{CHANGES_LABEL}) RETURN c.part AS part, c.text AS text UNION ALL "
                 f"MATCH (s:{CHANGES_STAMP}) RETURN null AS part, s.revision AS text")


# -- the workbench's reference pages (graph/catalogue.py): /schema, /about, the console's samples --
def label_count(label: str) -> str:
    """How many nodes of `label` (a schema name)."""
    return f"MATCH (n:`{label}`) RETURN count(n) AS c"


def label_samples(label: str) -> str:
    """The properties of nodes of `label`, to find an example of each."""
    return f"MATCH (n:`{label}`) RETURN properties(n) AS p"


def relationship_count(rel_type: str) -> str:
    """How many relationships of `rel_type` (a schema name)."""
    return f"MATCH ()-[r:`{rel_type}`]->() RETURN count(r) AS c"


def relationship_samples(rel_type: str) -> str:
    """The properties of relationships of `rel_type`, to find an example of each."""
    return f"MATCH ()-[r:`{rel_type}`]->() RETURN properties(r) AS p"


def first_id(label: str) -> str:
    """The smallest id among the nodes of `label`."""
    return f"MATCH (n:`{label}`) RETURN n.id AS id ORDER BY n.id"


# the Source nodes, newest first, for /about
SOURCES_LOADED = ("MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.publisher AS publisher, "
                  "s.published_on AS published_on, s.url AS url, s.file AS file "
                  "ORDER BY s.published_on DESC, s.id")


# the parts of a derived state kept by source (graph.state_parts), one label per state
PARTS_INDEX = "MATCH (p:{label}) RETURN p.part AS part, p.ids AS ids, p.digest AS digest"
PARTS_TEXTS = "MATCH (p:{label}) WHERE p.part IN $parts RETURN p.part AS part, p.text AS text"
PARTS_WRITE = ("UNWIND $rows AS row MERGE (p:{label} {{part: row.part}}) "
               "SET p.text = row.text, p.ids = row.ids, p.digest = row.digest")
PARTS_DELETE = "MATCH (p:{label}) WHERE p.part IN $parts DELETE p"
