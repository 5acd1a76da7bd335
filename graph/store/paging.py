"""A read query rewritten so that the store itself returns one page: `skip` rows, then at most
`rows` rows, however the query ends.

The client receives and parses every row a query returns, so the row cap must be applied by
the store. Appending `SKIP s LIMIT n` keeps the columns in their order, but does not fit every
query: one that ends with its own `LIMIT` (`… RETURN x LIMIT 100000000` then failed to parse
and ran uncapped), or a `UNION`, where an appended LIMIT binds to the last branch only. So:

- a query's own trailing `SKIP a` / `LIMIT b` (integer literals) is folded into the page;
- a UNION, or a trailing SKIP/LIMIT that is an expression, becomes a subquery with the page
  outside: `CALL { … } RETURN cols SKIP s LIMIT n`, its columns named as the final RETURN
  names them (FalkorDB's `RETURN *` would sort them).

Either way the page is fenced off from the query's own clauses: FalkorDB hands a LIMIT down
to every Sort below it until it meets another LIMIT, through operations that make more rows
than they take (a `CALL { }` subquery, UNWIND, a traversal). `… ORDER BY law.id CALL { … }
RETURN … LIMIT 3` then sorted only the first 3 laws and answered 2 rows of 11, saying that
was all. A `WITH * LIMIT 2147483647` before the final RETURN is the LIMIT the hand-down
meets: the query's own clauses run whole (and lazily: the page still stops them early), the
final RETURN's ORDER BY still keeps only the page's rows.

Tokens come from the query guard's tokenizer, so strings and comments never mislead it.
"""

from __future__ import annotations

from graph.guard import Token, tokens

_PAGE_WORDS = {"ORDER", "SKIP", "LIMIT", "UNION"}
# the largest LIMIT FalkorDB takes; it bounds nothing an answer could reach
_FENCE = "WITH * LIMIT 2147483647\n"


def paged_query(query: str, rows: int | None, skip: int = 0) -> str | None:
    """`query` so that the store returns at most `rows` rows after the first `skip` ones, or
    None for an empty query."""
    body = query.rstrip()
    if body.endswith(";"):  # one statement with a terminator; FalkorDB accepts it as written
        body = body[:-1].rstrip()
    if not body:
        return None
    top = [t for t in tokens(body) if t.depth == 0]
    if not any(_is(t, "UNION") for t in top):
        own = _own_page(top)
        if own is not None:
            cut, own_skip, own_limit = own
            page_skip, page_rows = _combine(own_skip, own_limit, skip, rows)
            kept = body[:cut].rstrip() if cut is not None else body
            return _fenced(kept, top) + _page(page_skip, page_rows)
    return _wrapped(body, top, rows, skip)


def wrapped_query(query: str, rows: int | None, skip: int = 0) -> str | None:
    """`query` as a subquery with the page outside, however it ends; None for an empty one."""
    body = query.rstrip().removesuffix(";").rstrip()
    if not body:
        return None
    return _wrapped(body, [t for t in tokens(body) if t.depth == 0], rows, skip)


def final_columns(query: str) -> list[str] | None:
    """The names of `query`'s final RETURN columns, in order, or None when one is not a plain
    name or alias."""
    return _final_columns([t for t in tokens(query) if t.depth == 0])


def _wrapped(body: str, top: list[Token], rows: int | None, skip: int) -> str:
    columns = _final_columns(top)
    returned = ", ".join(_quoted(c) for c in columns) if columns else "*"
    # on their own lines: a trailing // comment stays closed
    return f"CALL {{\n{body}\n}}\n{_FENCE}RETURN {returned}" + _page(skip, rows)


# clauses after which a LIMIT cannot simply be appended to the WITH before the final RETURN
_NOT_A_PLAIN_WITH = {"MATCH", "OPTIONAL", "UNWIND", "CALL", "WHERE", "SKIP", "LIMIT", "WITH"}


def _fenced(body: str, top: list[Token]) -> str:
    """`body` with the fence before its final RETURN, so the page's LIMIT stops there.

    Where a plain `WITH …` (no WHERE, SKIP or LIMIT of its own) comes just before the RETURN,
    the fence is a LIMIT on that WITH: FalkorDB 4.16's `WITH *` after some projections lost
    their aliases ("not defined"), and with a LIMIT crashed the store (`deadline-risk`).
    """
    starts = [i for i, t in enumerate(top) if _is(t, "RETURN")]
    if not starts or not body[:top[starts[-1]].start].strip():
        return body  # nothing before the RETURN for a LIMIT to reach
    ret = starts[-1]
    withs = [i for i in range(ret) if _is(top[i], "WITH")]
    if withs and not any(top[i].kind == "word" and top[i].text.upper() in _NOT_A_PLAIN_WITH
                         for i in range(withs[-1] + 1, ret)):
        return body[:top[ret].start].rstrip() + "\nLIMIT 2147483647\n" + body[top[ret].start:]
    return body[:top[ret].start].rstrip() + "\n" + _FENCE + body[top[ret].start:]


def _page(skip: int, rows: int | None) -> str:
    return (f"\nSKIP {int(skip)}" if skip else "") + (f"\nLIMIT {int(rows)}" if rows is not None else "")


def _combine(own_skip: int, own_limit: int | None, skip: int, rows: int | None) -> tuple[int, int | None]:
    """The page of a page: rows [own_skip, own_skip + own_limit), then [skip, skip + rows)."""
    if own_limit is None:
        return own_skip + skip, rows
    left = max(0, own_limit - skip)
    return own_skip + skip, left if rows is None else min(rows, left)


def _own_page(top: list[Token]) -> tuple[int | None, int, int | None] | None:
    """(where the query's own trailing SKIP/LIMIT begins or None, its skip, its limit) when
    they are integer literals or absent; None when one is an expression (a parameter, a sum)."""
    end = len(top)
    cut = None
    own_skip, own_limit = 0, None
    if end >= 2 and _is(top[end - 2], "LIMIT"):
        if top[end - 1].kind != "number" or not top[end - 1].text.isdigit():
            return None
        own_limit, cut, end = int(top[end - 1].text), top[end - 2].start, end - 2
    elif any(_is(t, "LIMIT") for t in top[-3:]):
        return None
    if end >= 2 and _is(top[end - 2], "SKIP"):
        if top[end - 1].kind != "number" or not top[end - 1].text.isdigit():
            return None
        own_skip, cut = int(top[end - 1].text), top[end - 2].start
    elif any(_is(t, "SKIP") for t in top[max(0, end - 3):end]):
        return None
    return cut, own_skip, own_limit


def _final_columns(top: list[Token]) -> list[str] | None:
    """The names of the final RETURN's columns, in order, or None when one is not a plain
    name or alias (`RETURN *`, `RETURN n.name`)."""
    starts = [i for i, t in enumerate(top) if _is(t, "RETURN")]
    if not starts:
        return None
    i = starts[-1] + 1
    if i < len(top) and _is(top[i], "DISTINCT"):
        i += 1
    columns, item = [], []
    for token in top[i:]:
        if token.kind == "word" and token.text.upper() in _PAGE_WORDS:
            break
        if token.kind == "other" and token.text == ",":
            name = _item_name(item)
            if name is None:
                return None
            columns.append(name)
            item = []
        else:
            item.append(token)
    name = _item_name(item)
    return None if name is None else [*columns, name]


def _item_name(item: list[Token]) -> str | None:
    if len(item) == 1 and item[0].kind in ("word", "name"):
        return item[0].text
    # `[x IN xs | x.id] AS ids`: the bracketed part is deeper, so only `AS ids` is at the top
    if len(item) >= 2 and _is(item[-2], "AS") and item[-1].kind in ("word", "name"):
        return item[-1].text
    return None


def _is(token: Token, word: str) -> bool:
    return token.kind == "word" and token.text.upper() == word


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
