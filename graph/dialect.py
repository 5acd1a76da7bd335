"""Neo4j 5 habits on the embedded store: name the construct FalkorDB lacks, give the portable
form, and rewrite it where the rewrite is mechanical and keeps the answer the same.

Every ad-hoc read (the API's `/api/cypher`, the CLI's `query --cypher`, and so the console)
passes through `portable()` before the store sees it. On Neo4j the text goes through unchanged.

Rewritten (each one reported in `Portable.notices`):
- `(n:Label WHERE cond)` inside a MATCH pattern: the condition moves to the clause's WHERE;
- `EXISTS { [MATCH] pattern [WHERE cond] }`: a pattern predicate, or, where the pattern brings
  new variables, a condition or sits outside WHERE, `size([pattern WHERE cond | 1]) > 0`;
- `COUNT { [MATCH] pattern [WHERE cond] }`: `size([pattern WHERE cond | 1])`;
- `MATCH p = shortestPath((a…)-[…]->(b…))`: the end nodes stay in the MATCH and the path moves
  to `WITH *, shortestPath(…) AS p WHERE p IS NOT NULL` (a row without a path is dropped, as in
  Neo4j's MATCH); `allShortestPaths` in MATCH: the end nodes are matched first, then `WITH *`.
Refused with the portable form: `elementId()`, `datetime()`, procedures FalkorDB lacks, and
the forms above where no safe rewrite exists (a subquery with RETURN, an undirected shortest
path, a path condition in WHERE). Ids are the contract: `n.id`, never a store's internal id.

The Cypher grammar packages on PyPI (antlr4-cypher: openCypher 9) do not parse these Neo4j 5
forms at all, so this works on a token stream that respects strings, comments and backticks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import QueryError
from graph.guard import REFUSED_PROCEDURES

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<name>`(?:[^`]|``)*(?:`|\Z)|[A-Za-z_][A-Za-z0-9_]*)
  | (?P<param>\$[A-Za-z0-9_]+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<arrow><-|->)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)
OPEN, CLOSE = "([{", ")]}"
CLAUSES = {"MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "CALL", "ORDER", "SKIP",
           "LIMIT", "UNION", "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH",
           "YIELD", "USE"}
PREDICATE_BEFORE = {"WHERE", "AND", "OR", "XOR", "NOT", "("}
# Procedures both stores have; a `CALL db.…`, `dbms.…`, `apoc.…` or `gds.…` that the embedded
# store lacks is refused. FALKOR_PROCEDURES is FalkorDB 4.16's `CALL dbms.procedures()`.
COMMON_PROCEDURES = ("db.labels", "db.relationshipTypes", "db.propertyKeys")
FALKOR_PROCEDURES = frozenset(name.lower() for name in (
    "algo.betweenness", "algo.BFS", "algo.labelPropagation", "algo.MSF", "algo.pageRank",
    "algo.SPpaths", "algo.SSpaths", "algo.WCC", "db.constraints", "db.idx.fulltext.createNodeIndex",
    "db.idx.fulltext.drop", "db.idx.fulltext.queryNodes", "db.idx.fulltext.queryRelationships",
    "db.idx.vector.queryNodes", "db.idx.vector.queryRelationships", "db.indexes", "db.labels",
    "db.meta.stats", "db.propertyKeys", "db.relationshipTypes", "dbms.functions", "dbms.procedures"))
CHECKED_NAMESPACES = ("db", "dbms", "apoc", "gds")
PROCEDURE_HINTS = {
    "db.schema": "The schema is graph/schema.yaml; in Cypher use CALL db.labels(), "
                 "CALL db.relationshipTypes() and CALL db.propertyKeys().",
    "db.index.fulltext": "Search by name with GET /api/search?q=… (or policygraph search TEXT), or "
                         "MATCH (n) WHERE n.search_key CONTAINS 'folded text'.",
    "apoc": "APOC is not part of the common subset: write it in plain Cypher (UNWIND, reduce, "
            "list comprehensions).",
    "gds": "Graph algorithms are served by GET /api/analytics/NAME.",
}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "name" else self.text


@dataclass(frozen=True)
class Portable:
    """The query to run, and what was changed on the way (empty when nothing was)."""

    query: str
    notices: tuple[str, ...] = ()

    @property
    def rewritten(self) -> bool:
        return bool(self.notices)


class NotPortable(QueryError):
    """A Neo4j 5 construct the embedded store does not run; the hint shows the portable form."""


def tokens(text: str) -> list[Token]:
    """Significant tokens of `text` (no spaces or comments), with their character spans."""
    found = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group(), match.start(), match.end()))
    return found


def portable(query: str, backend: str = "falkordb") -> Portable:
    """`query` as the store runs it: rewritten where safe; NotPortable where not."""
    if backend != "falkordb":
        return Portable(query)
    notices: list[str] = []
    for _ in range(64):  # one rewrite per pass, the text tokenised anew each time
        step = _one_rewrite(query)
        if step is None:
            return Portable(query, tuple(notices))
        query, notice = step
        if notice not in notices:
            notices.append(notice)
    return Portable(query, tuple(notices))


# -- the passes ------------------------------------------------------------------------------
def _one_rewrite(query: str) -> tuple[str, str] | None:
    toks = tokens(query)
    closers = _closers(toks)
    for i, tok in enumerate(toks):
        word = tok.upper
        nxt = toks[i + 1].text if i + 1 < len(toks) else ""
        if tok.kind != "name":
            continue
        if word == "ELEMENTID" and nxt == "(":
            raise NotPortable("elementId() is Neo4j's internal id; the embedded store has none.",
                              hint="Ids are the contract: use n.id (e.g. RETURN n.id AS id), the "
                                   "same on both stores.")
        if word in ("DATETIME", "LOCALDATETIME") and nxt == "(" and _is_call(toks, i):
            raise NotPortable(f"{tok.text}() is not in the common subset (FalkorDB has no datetime "
                              "values).", hint="Dates are ISO strings: compare with a parameter "
                              "(WHERE t.due_on < $as_of, as_of='2025-05-22') or a literal.")
        if word in ("EXISTS", "COUNT") and nxt == "{":
            return _subquery(query, toks, closers, i)
        if word == "CALL" and i + 1 < len(toks) and toks[i + 1].kind == "name":
            _check_procedure(toks, i + 1)
        if word in ("SHORTESTPATH", "ALLSHORTESTPATHS") and nxt == "(":
            step = _shortest_path(query, toks, closers, i)
            if step:
                return step
    for i, tok in enumerate(toks):
        if tok.text == "(" and _node_where(toks, closers, i) is not None:
            return _label_where(query, toks, closers, i)
    return None


def _subquery(query: str, toks: list[Token], closers: dict[int, int], i: int) -> tuple[str, str]:
    keyword = toks[i].upper
    open_at = i + 1
    close_at = closers[open_at]
    body = toks[open_at + 1:close_at]
    if body and body[0].upper == "MATCH":
        body = body[1:]
    portable_form = ("(t)-[:LED_BY]->(:Agency)" if keyword == "EXISTS"
                     else "size([(t)-[:LED_BY]->(a) WHERE a.kind = 'ministry' | 1])")
    top = _top_level(body)
    clause = next((t for t in top if t.upper in CLAUSES - {"WHERE"}), None)
    if clause is not None or any(t.text == "," for t in top) or not body:
        raise NotPortable(
            f"{keyword} {{ … }} with {clause.text if clause else 'more than one pattern'} inside is "
            "a Neo4j 5 subquery the embedded store does not run.",
            hint=f"Write one pattern: {'WHERE ' if keyword == 'EXISTS' else 'RETURN '}{portable_form}"
                 ", or a CALL { WITH x … RETURN … } subquery.")
    where = next((k for k, t in enumerate(body) if t.upper == "WHERE" and t in top), None)
    pattern = _span(query, body[:where] if where is not None else body)
    condition = _span(query, body[where + 1:]) if where is not None else None
    before = toks[i - 1].upper if i else ""
    if keyword == "COUNT":
        new = f"size([{pattern}{' WHERE ' + condition if condition else ''} | 1])"
        notice = "COUNT { … } rewritten as size([pattern | 1]), a pattern comprehension."
    elif condition is None and before in PREDICATE_BEFORE and _in_where(toks, i) and \
            not _new_variables(toks, i, body):
        new = pattern
        notice = "EXISTS { … } rewritten as a pattern predicate."
    else:
        new = f"(size([{pattern}{' WHERE ' + condition if condition else ''} | 1]) > 0)"
        notice = "EXISTS { … } rewritten as size([pattern | 1]) > 0, a pattern comprehension."
    return _splice(query, toks[i].start, toks[close_at].end, new), notice


def _label_where(query: str, toks: list[Token], closers: dict[int, int], i: int) -> tuple[str, str]:
    where = _node_where(toks, closers, i)
    close_at = closers[i]
    condition = _span(query, toks[where + 1:close_at])
    clause_at = _clause_start(toks, i)
    if clause_at is None or toks[clause_at].upper != "MATCH":
        raise NotPortable("A WHERE inside a node pattern, (n:Label WHERE …), is Neo4j 5 syntax the "
                          "embedded store does not parse.",
                          hint=f"Move it to a WHERE after the pattern: … WHERE {condition}")
    end = _clause_end(toks, close_at + 1)
    # drop the node's WHERE (its tokens up to the closing parenthesis), then add the condition
    without = _splice(query, toks[where - 1].end, toks[close_at].start, "")
    shift = toks[close_at].start - toks[where - 1].end
    if end < len(toks) and toks[end].upper == "WHERE":
        rest_end = _clause_end(toks, end + 1)
        existing = _span(query, toks[end + 1:rest_end])
        start, stop = toks[end].start - shift, toks[rest_end - 1].end - shift
        text = _splice(without, start, stop, f"WHERE ({condition}) AND ({existing})")
    else:
        at = (toks[end - 1].end if end > close_at else toks[close_at].end) - shift
        text = _splice(without, at, at, f" WHERE {condition}")
    return text, "A WHERE inside a node pattern, (n:Label WHERE …), moved to the MATCH's WHERE."


def _shortest_path(query: str, toks: list[Token], closers: dict[int, int],
                   i: int) -> tuple[str, str] | None:
    function = toks[i].text
    clause_at = _clause_start(toks, i)
    if clause_at is None or toks[clause_at].upper != "MATCH":
        return None  # in WITH or RETURN: both stores run it
    if clause_at and toks[clause_at - 1].upper == "OPTIONAL":
        raise NotPortable(f"OPTIONAL MATCH with {function} has no portable form.",
                          hint=f"MATCH the end nodes, then OPTIONAL MATCH nothing: WITH a, b, "
                               f"{function}((a)-[*..6]->(b)) AS p (p is null where none).")
    assign = i - 2 if i >= 2 and toks[i - 1].text == "=" and toks[i - 2].kind == "name" else None
    open_at, close_at = i + 1, closers[i + 1]
    inner = toks[open_at + 1:close_at]
    nodes = [k for k, t in enumerate(inner) if t.text == "(" and _depth_in(inner, k) == 0]
    directed = any(t.kind == "arrow" for t in inner)
    example = f"MATCH (a:Task {{id: $from}}), (b:Law {{id: $to}}) WITH a, b, {function}((a)-[*..6]->(b)) AS p"
    if assign is None or len(nodes) < 2 or (function.upper() == "SHORTESTPATH" and not directed):
        why = ("the embedded store finds only directed shortest paths" if assign is not None
               and len(nodes) >= 2 else "the path needs a name and two end nodes")
        raise NotPortable(f"{function} in MATCH is not portable here: {why}.",
                          hint=f"Give a direction and move it to WITH: {example}")
    inner_closers = _closers(inner)
    first, last = nodes[0], nodes[-1]
    bare = all(inner_closers[k] == k + 2 for k in (first, last))
    if function.upper() == "ALLSHORTESTPATHS" and bare and \
            len(_split_commas(toks[clause_at + 1:_clause_end(toks, clause_at + 1)])) == 1:
        return None  # ends already bound (MATCH … WITH * MATCH p = allShortestPaths((a)…(b)))
    end_names = []
    end_patterns = []
    for k in (first, last):
        node = inner[k:inner_closers[k] + 1]
        if len(node) < 3 or node[1].kind != "name" or node[1].upper in CLAUSES:
            raise NotPortable(f"{function} in MATCH needs named end nodes to be moved to WITH.",
                              hint=f"Name both ends: {example}")
        end_names.append(node[1].text)
        end_patterns.append(_span(query, node))
    path_name = toks[assign].text
    pattern_end = _clause_end(toks, clause_at + 1)
    others = [_span(query, item) for item in _split_commas(toks[clause_at + 1:pattern_end])
              if item[0].start != toks[assign].start]
    stop = toks[pattern_end - 1].end
    where_text = ""
    if pattern_end < len(toks) and toks[pattern_end].upper == "WHERE":
        where_end = _clause_end(toks, pattern_end + 1)
        condition = toks[pattern_end + 1:where_end]
        if any(t.kind == "name" and t.text == path_name for t in condition):
            raise NotPortable(f"A WHERE on the path of {function} filters the search in Neo4j; "
                              "moved after it, it would filter the result instead.",
                              hint=f"Filter the end nodes only, or write it in WITH: {example}")
        where_text = " WHERE " + _span(query, condition)
        stop = toks[where_end - 1].end
    items = ", ".join([*others, *end_patterns])
    relationship = _span(query, inner[inner_closers[first] + 1:last])
    path = f"{function}(({end_names[0]}){relationship}({end_names[1]}))"
    if function.upper() == "SHORTESTPATH":
        new = f"MATCH {items}{where_text} WITH *, {path} AS {path_name} WHERE {path_name} IS NOT NULL"
        notice = "shortestPath in MATCH moved to WITH (rows without a path are dropped, as in MATCH)."
    else:
        new = f"MATCH {items}{where_text} WITH * MATCH {path_name} = {path}"
        notice = "allShortestPaths in MATCH: its end nodes are matched first, then WITH *."
    return _splice(query, toks[clause_at].start, stop, new), notice


def _check_procedure(toks: list[Token], i: int) -> None:
    parts = [toks[i].text]
    k = i + 1
    while k + 1 < len(toks) and toks[k].text == "." and toks[k + 1].kind == "name":
        parts.append(toks[k + 1].text)
        k += 2
    if k >= len(toks) or toks[k].text != "(" or len(parts) < 2:
        return  # CALL { … } or not a procedure
    name = ".".join(part.strip("`") for part in parts)
    if name.lower() in FALKOR_PROCEDURES or parts[0].strip("`").lower() not in CHECKED_NAMESPACES:
        return
    if name.lower().startswith(REFUSED_PROCEDURES):
        return  # the read-query guard refuses these, for a reason that matters more (graph/guard.py)
    hint = next((h for prefix, h in PROCEDURE_HINTS.items() if name.lower().startswith(prefix.lower())),
                f"Procedures on both stores: {', '.join(p + '()' for p in COMMON_PROCEDURES)}.")
    raise NotPortable(f"The procedure {name}() is not on the embedded store.", hint=hint)


# -- token helpers ---------------------------------------------------------------------------
def _closers(toks: list[Token]) -> dict[int, int]:
    """For each opening bracket's index, its closing bracket's index (unclosed: the last token)."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for k, tok in enumerate(toks):
        if tok.kind == "punct" and tok.text in OPEN:
            stack.append(k)
        elif tok.kind == "punct" and tok.text in CLOSE and stack:
            pairs[stack.pop()] = k
    for k in stack:
        pairs[k] = len(toks) - 1
    return pairs


def _split_commas(toks: list[Token]) -> list[list[Token]]:
    """`toks` cut at the commas outside brackets."""
    items: list[list[Token]] = [[]]
    depth = 0
    for tok in toks:
        if tok.kind == "punct" and tok.text in OPEN:
            depth += 1
        elif tok.kind == "punct" and tok.text in CLOSE:
            depth -= 1
        if depth == 0 and tok.text == ",":
            items.append([])
        else:
            items[-1].append(tok)
    return [item for item in items if item]


def _depth_in(toks: list[Token], index: int) -> int:
    depth = 0
    for tok in toks[:index]:
        if tok.kind == "punct" and tok.text in OPEN:
            depth += 1
        elif tok.kind == "punct" and tok.text in CLOSE:
            depth -= 1
    return depth


def _top_level(toks: list[Token]) -> list[Token]:
    depth, top = 0, []
    for tok in toks:
        if tok.kind == "punct" and tok.text in CLOSE:
            depth -= 1
        if depth == 0:
            top.append(tok)
        if tok.kind == "punct" and tok.text in OPEN:
            depth += 1
    return top


def _clause_start(toks: list[Token], i: int) -> int | None:
    """The clause keyword that `toks[i]` belongs to, at the same bracket depth."""
    depth = 0
    for k in range(i - 1, -1, -1):
        tok = toks[k]
        if tok.kind == "punct" and tok.text in CLOSE:
            depth += 1
        elif tok.kind == "punct" and tok.text in OPEN:
            if depth == 0:
                return None  # inside brackets opened before any clause of this level
            depth -= 1
        elif depth == 0 and tok.kind == "name" and tok.upper in CLAUSES:
            return k
    return None


def _clause_end(toks: list[Token], k: int) -> int:
    """The index of the first token from `k` on that starts the next clause (or ends the level)."""
    depth = 0
    for j in range(k, len(toks)):
        tok = toks[j]
        if tok.kind == "punct" and tok.text in OPEN:
            depth += 1
        elif tok.kind == "punct" and tok.text in CLOSE:
            if depth == 0:
                return j
            depth -= 1
        elif depth == 0 and (tok.text == ";" or (tok.kind == "name" and tok.upper in CLAUSES)):
            return j
    return len(toks)


def _node_where(toks: list[Token], closers: dict[int, int], i: int) -> int | None:
    """For `(` at i opening `(n[:Label…] [{…}] WHERE …)`, the index of that WHERE."""
    k = i + 1
    if k >= len(toks) or toks[k].kind != "name" or toks[k].upper in CLAUSES:
        return None
    k += 1
    while k + 1 < len(toks) and toks[k].text in (":", "&", "|") and toks[k + 1].kind == "name":
        k += 2
    if k < len(toks) and toks[k].text == "{":
        k = closers[k] + 1
    if k < len(toks) and toks[k].upper == "WHERE" and closers[i] > k:
        return k
    return None


def _in_where(toks: list[Token], i: int) -> bool:
    start = _clause_start(toks, i)
    return start is not None and toks[start].upper == "WHERE"


def _new_variables(toks: list[Token], i: int, body: list[Token]) -> bool:
    """Whether the pattern names a variable not seen before it (a pattern predicate may not)."""
    seen = {t.text for t in toks[:i] if t.kind == "name"}
    for k, tok in enumerate(body[:-1]):
        if tok.text in "([" and body[k + 1].kind == "name" and body[k + 1].text not in seen:
            return True
    return False


def _is_call(toks: list[Token], i: int) -> bool:
    return not (i and toks[i - 1].text == ".")


def _span(query: str, toks: list[Token]) -> str:
    return query[toks[0].start:toks[-1].end] if toks else ""


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]
