"""`blocking-laws` at national scale: latency as the API serves it (its first page), and the
whole answer against what an analyst without policygraph would do: the plain script of
`benchmarks/diy_script.py` over the same CSV files, in the same run.

The query is the named one, run as the API runs it: from the loader's derived state
(graph/blocking_state.py), with `queries/blocking-laws.cypher` the definition. Every bench date
checks that three answers are the same row set: the API's, the Cypher's (run whole in the
store) and the script's. A difference stops the bench with an error (FalkorDB has known
wrong-answer bugs on variable-length patterns).
"""

from __future__ import annotations

import csv
import gc
import io
import json
import logging
import time

import httpx

from benchmarks import diy_script, diy_task_status
from benchmarks.api import api_server
from benchmarks.harness import Bench, Figure, percentile, timed
from graph import cypher
from graph.blocking_state import LEAN_COLUMNS
from graph.gc_pause import gc_paused
from queries import get_query

log = logging.getLogger(__name__)

# dates between the resolution and the horizon: early (little passed), mid-2025, late
AS_OF = ("2025-05-22", "2025-07-02", "2025-10-01", "2026-01-15")
WHICH = "queries/blocking-laws.cypher"
PATH = "/api/queries/blocking-laws"


class AnswersDiffer(RuntimeError):
    """Two computations of the same answer gave different rows: the bench must not go on."""


def cypher_lean_rows(bench: Bench, as_of: str) -> list[dict]:
    """The reference Cypher run whole in the store, its scalar columns only."""
    columns = ", ".join(LEAN_COLUMNS)
    query = cypher.around(get_query("blocking-laws").text, f"RETURN {columns}")
    return bench.reader.read(query, {"as_of": as_of, "law": None}).rows  # no timeout but the store's longest


def measure_blockers(bench: Bench) -> list[Figure]:
    """Median and p95 of `GET /api/queries/blocking-laws?as_of=…` as the API serves it: over
    HTTP, its default page (POLICYGRAPH_PAGE_SIZE rows), `as_of` rotating over four dates.

    The note gives the page's size and each date's median.
    """
    per_date = 5 if bench.quick else 10
    dates = iter(AS_OF * (per_date + 1))
    times: dict[str, list[float]] = {day: [] for day in AS_OF}
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=120) as client:

        def call() -> dict:
            as_of = next(dates)
            started = time.perf_counter()
            response = client.get(PATH, params={"as_of": as_of})
            times[as_of].append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            return response.json()

        first = [call() for _ in AS_OF]  # warm-up: one per date, not measured
        for day in AS_OF:
            times[day].clear()
        for _ in range(per_date * len(AS_OF)):
            call()
    every = [ms for day in AS_OF for ms in times[day]]
    rows = first[0]["count"]
    medians = {day: percentile(times[day], 50) for day in AS_OF}
    by_date = ", ".join(f"{day} {ms:.0f} ms" for day, ms in medians.items())
    note = (f"GET {PATH}, first page ({rows} rows, POLICYGRAPH_PAGE_SIZE) over HTTP; "
            f"{len(every)} runs; median by as_of: {by_date}")
    return [
        Figure("blockers_p50_ms", round(percentile(every, 50), 1), "ms", "<= 150", note),
        Figure("blockers_p95_ms", round(percentile(every, 95), 1), "ms", None, "same runs"),
        Figure("blockers_page_p50_ms", round(max(medians.values()), 1), "ms", "<= 50",
               "the slowest date's median of the same runs (the target holds at every date)"),
    ]


def measure_diy(bench: Bench) -> list[Figure]:
    """Ours: the whole answer as lean rows (no drawing payload), end to end through the API's
    streaming path (`format=ndjson&lean=true`), timed to its last byte. Theirs: the plain
    script on the generated CSV files, reading them and answering, in this run. Then, per
    bench date, the API's rows, the Cypher's and the script's must be the same set."""
    assert bench.dataset is not None, "measure_generate first"
    as_of = "2025-10-01"
    gc.collect()
    read_s, country = timed(lambda: diy_script.Country(bench.dataset))
    answer_s, _ = timed(lambda: country.blocking_laws(as_of))
    theirs_s = read_s + answer_s
    ours_s: dict[str, float] = {}
    cypher_s: dict[str, float] = {}
    sizes: dict[str, int] = {}
    encoding: dict[str, str] = {}
    text = b""  # the answer on as_of, to compare with the uncompressed one
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=600) as client:
        params = {"format": "ndjson", "lean": "true"}
        client.get(PATH, params={**params, "as_of": AS_OF[0]}).raise_for_status()  # warm-up
        for day in AS_OF:
            started = time.perf_counter()
            response = client.get(PATH, params={**params, "as_of": day})
            response.raise_for_status()
            body = response.content
            ours_s[day] = time.perf_counter() - started
            encoding[day] = response.headers.get("content-encoding", "none")
            text = body if day == as_of else text
            with gc_paused():
                ours = [json.loads(line) for line in body.splitlines()]
                expected = diy_script.answer_key(country.blocking_laws(day))
                cypher_s[day], cypher = timed(lambda d=day: cypher_lean_rows(bench, d))
                sizes[day] = len(ours)
                differ = [name for name, rows in (("the API", ours), ("the Cypher", cypher))
                          if len(rows) != len(expected) or diy_script.answer_key(rows) != expected]
            if differ:
                raise AnswersDiffer(f"as_of {day}: {' and '.join(differ)} gave other rows than the "
                                    f"plain script ({len(expected)} rows): see benchmarks/diy_script.py")
            log.info("as_of %s: %d rows, the same from the API, the Cypher and the script", day,
                     len(ours))
        # the same answer asked without compression (httpx asks for gzip by default, as a
        # browser does): what a client on a fast link could choose; reported, not the ratio's
        started = time.perf_counter()
        plain = client.get(PATH, params={**params, "as_of": as_of},
                           headers={"Accept-Encoding": "identity"})
        plain.raise_for_status()
        plain_s = time.perf_counter() - started
        if plain.content != text:
            raise AnswersDiffer(f"as_of {as_of}: the answer without compression is not the same text")
    bench.facts["diy"] = (theirs_s, country)
    speedup = theirs_s / ours_s[as_of]
    per_date = ", ".join(f"{day} {sizes[day]} rows {ours_s[day]:.2f} s" for day in AS_OF)
    return [
        Figure("diy_script_s", round(theirs_s, 2), "s", None,
               f"benchmarks/diy_script.py, as_of {as_of}: {read_s:.2f} s reading CSV, "
               f"{answer_s:.2f} s answering"),
        Figure("blockers_full_answer_s", round(ours_s[as_of], 3), "s", None,
               f"GET {PATH}?format=ndjson&lean=true, whole answer over HTTP "
               f"({len(text) / 1e6:.1f} MB of NDJSON, Content-Encoding {encoding[as_of]}); "
               f"{per_date}"),
        Figure("blockers_full_answer_identity_s", round(plain_s, 3), "s", None,
               f"the same request with Accept-Encoding: identity (uncompressed), as_of {as_of}"),
        Figure("blockers_cypher_full_s", round(cypher_s[as_of], 2), "s", None,
               "the reference Cypher run whole in the store, scalar columns, as_of " + as_of),
        Figure("diy_script_speedup", round(speedup, 1), "x", ">= 10",
               f"script ÷ ours, as_of {as_of}; rows the same set on all {len(AS_OF)} bench dates "
               "(API, Cypher and script)"),
    ]


# the whole answer's four shapes (issue 33): (format, lean), the figure's key
SHAPES = ((("csv", False), "whole_csv"), (("csv", True), "whole_csv_lean"),
          (("ndjson", False), "whole_ndjson"), (("ndjson", True), "whole_ndjson_lean"))
SHAPE_RUNS = 3


def shape_rows(fmt: str, body: bytes) -> list[dict]:
    """The rows of a whole answer's text as the plain script's values (a CSV's cells typed)."""
    if fmt == "ndjson":
        return [json.loads(line) for line in body.splitlines()]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    for row in rows:
        for column in ("law_status", "task_status", "deadline", "assigned_on"):
            row[column] = row[column] or None
        row["hops"] = int(row["hops"])
        row["lead_ids"], row["lead_names"] = ([], []) if not row["lead_ids"] else (
            row["lead_ids"].split("; "), row["lead_names"].split("; "))
    return rows


def measure_shapes(bench: Bench) -> list[Figure]:
    """The whole answer on 2025-10-01 in each of its four shapes (CSV and NDJSON, full and
    lean) over HTTP to its last byte, compressed as httpx asks by default (zstd with `zstandard`
    installed, else gzip; api/compression.py): the median of SHAPE_RUNS
    after one first request (the first after the API started and the load: it reads what the
    shape needs once per store revision), against the plain script (`measure_diy`'s run);
    each shape's rows must be the plain script's."""
    assert "diy" in bench.facts, "measure_diy first"
    theirs_s, country = bench.facts["diy"]
    as_of = "2025-10-01"
    expected = diy_script.answer_key(country.blocking_laws(as_of))
    figures: list[Figure] = []
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=600) as client:
        for (fmt, lean), key in SHAPES:
            params = {"format": fmt, "lean": str(lean).lower(), "as_of": as_of}
            first_s, first = timed(lambda p=params: client.get(PATH, params=p))
            first.raise_for_status()
            runs, size = [], len(first.content)
            for _ in range(SHAPE_RUNS):
                seconds, response = timed(lambda p=params: client.get(PATH, params=p).content)
                runs.append(seconds)
            identity_s, plain = timed(lambda p=params: client.get(
                PATH, params=p, headers={"Accept-Encoding": "identity"}).content)
            with gc_paused():
                rows = shape_rows(fmt, first.content)
                if len(rows) != len(expected) or diy_script.answer_key(rows) != expected:
                    raise AnswersDiffer(f"as_of {as_of}: format={fmt}&lean={lean} gave other rows "
                                        f"than the plain script ({len(rows)} against {len(expected)})")
            if plain != first.content:
                raise AnswersDiffer(f"format={fmt}&lean={lean}: the answer without compression differs")
            ours_s = percentile(runs, 50)
            shape = f"format={fmt}&lean={str(lean).lower()}"
            log.info("%s: %d rows, %.1f MB, %.3f s (first %.2f s, uncompressed %.3f s)", shape,
                     len(rows), size / 1e6, ours_s, first_s, identity_s)
            figures += [
                Figure(f"{key}_s", round(ours_s, 3), "s", None,
                       f"GET {PATH}?{shape}&as_of={as_of}, whole answer over HTTP, "
                       f"{first.headers.get('content-encoding', 'identity')} as httpx asks, median of "
                       f"{SHAPE_RUNS} ({len(rows)} rows, {size / 1e6:.1f} MB); the first request "
                       f"{first_s:.2f} s; uncompressed {identity_s:.3f} s"),
                Figure(f"{key}_speedup", round(theirs_s / ours_s, 1), "x", ">= 10",
                       f"the plain script ({theirs_s:.2f} s) ÷ ours; the same rows"),
            ]
    return figures


# -- the other dated questions (issue 32): first pages, and the whole task-status answer ------------
DATED_PAGES = (("task-status", "task_status_page_ms"), ("overdue-tasks", "overdue_page_ms"),
               ("deadline-risk", "risk_query_page_ms"))
PAGE_ROWS = 100
SLOW_PAGE_S = 5.0  # a page slower than this (the Cypher at national scale) is timed once
TASK_STATUS_PATH = "/api/queries/task-status"


def task_status_rows(fmt: str, body: bytes) -> list[dict]:
    """The rows of a whole task-status answer's text as the plain script's values."""
    if fmt == "ndjson":
        return [json.loads(line) for line in body.splitlines()]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    for row in rows:
        for column in ("task_name", "progress", "deadline", "first_deadline", "finished_on",
                       "assigned_on"):
            row[column] = row[column] or None
        row["deadline_moves"], row["slipped"] = int(row["deadline_moves"]), int(row["slipped"])
        row["lead_ids"] = row["lead_ids"].split("; ") if row["lead_ids"] else []
    return rows


def _same_as_script(what: str, rows: list[dict], expected: list[dict]) -> None:
    """`rows` must be the plain script's, row by row, and so their category counts."""
    counts, theirs = diy_task_status.category_counts(rows), diy_task_status.category_counts(expected)
    if counts != theirs or diy_task_status.answer_key(rows) != diy_task_status.answer_key(expected):
        raise AnswersDiffer(f"{what}: other rows than the plain script (benchmarks/diy_task_status.py): "
                            f"categories {counts} against {theirs}")


def measure_dated(bench: Bench) -> list[Figure]:
    """The first page (PAGE_ROWS rows) of task-status, overdue-tasks and deadline-risk over HTTP,
    the median per date over the bench dates after one warm-up each (the slowest date's is the
    figure); then the whole task-status answer (`format=csv`, every column, gzip) against the
    plain script over the CSV files, reading them and answering, in this run. On every bench
    date the API's lean rows must be the script's, and so the category counts."""
    assert bench.dataset is not None, "measure_generate first"
    per_date = 3 if bench.quick else 7
    figures: list[Figure] = []
    gc.collect()
    read_s, country = timed(lambda: diy_task_status.Country(bench.dataset))
    as_of = "2025-10-01"
    answer_s, expected = timed(lambda: country.task_status(as_of))
    theirs_s = read_s + answer_s
    bench.facts["diy_task_status"] = (theirs_s, country)
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=600) as client:
        for name, key in DATED_PAGES:
            path = f"/api/queries/{name}"
            medians = {}
            for day in AS_OF:
                params = {"as_of": day, "limit": PAGE_ROWS}
                warm_s, warm = timed(lambda p=params, u=path: client.get(u, params=p))
                warm.raise_for_status()
                if warm_s > SLOW_PAGE_S:  # far past its target: measured once, on one date
                    medians[day] = warm_s * 1000
                    break
                runs = []
                for _ in range(per_date):
                    seconds, response = timed(lambda p=params, u=path: client.get(u, params=p))
                    response.raise_for_status()
                    runs.append(seconds * 1000)
                medians[day] = percentile(runs, 50)
            by_date = ", ".join(f"{day} {ms:.0f} ms" for day, ms in medians.items())
            figures.append(Figure(key, round(max(medians.values()), 1), "ms", "<= 200",
                                  f"GET {path}?limit={PAGE_ROWS} over HTTP, the slowest date's median "
                                  f"of {per_date}; by as_of: {by_date}"))
        for day in AS_OF:
            body = client.get(TASK_STATUS_PATH, params={"as_of": day, "format": "ndjson",
                                                        "lean": "true"}).content
            with gc_paused():
                _same_as_script(f"task-status as_of {day}", task_status_rows("ndjson", body),
                                expected if day == as_of else country.task_status(day))
        params = {"as_of": as_of, "format": "csv"}
        client.get(TASK_STATUS_PATH, params=params).raise_for_status()  # its texts, once per revision
        runs, body = [], b""
        for _ in range(SHAPE_RUNS):
            seconds, body = timed(lambda: client.get(TASK_STATUS_PATH, params=params).content)
            runs.append(seconds)
    with gc_paused():
        _same_as_script(f"task-status format=csv as_of {as_of}", task_status_rows("csv", body), expected)
    ours_s = percentile(runs, 50)
    counts = diy_task_status.category_counts(expected)
    figures += [
        Figure("task_status_diy_s", round(theirs_s, 2), "s", None,
               f"benchmarks/diy_task_status.py, as_of {as_of}: {read_s:.2f} s reading CSV, "
               f"{answer_s:.2f} s answering ({len(expected)} tasks: {counts})"),
        Figure("task_status_whole_csv_s", round(ours_s, 3), "s", None,
               f"GET {TASK_STATUS_PATH}?format=csv&as_of={as_of}, whole answer over HTTP, gzip, "
               f"median of {SHAPE_RUNS} ({len(body) / 1e6:.1f} MB)"),
        Figure("task_status_speedup", round(theirs_s / ours_s, 1), "x", ">= 10",
               f"script ÷ ours; the same rows and category counts on all {len(AS_OF)} bench dates"),
    ]
    return figures


def measure_task_status_shapes(bench: Bench) -> list[Figure]:
    """The whole task-status answer on 2025-10-01 in its four shapes over HTTP, as
    `measure_shapes` does blocking-laws', against its plain script (`measure_dated`'s run);
    each shape's rows must be the script's."""
    assert "diy_task_status" in bench.facts, "measure_dated first"
    theirs_s, country = bench.facts["diy_task_status"]
    as_of = "2025-10-01"
    expected = country.task_status(as_of)
    figures: list[Figure] = []
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=600) as client:
        for (fmt, lean), key in SHAPES:
            params = {"format": fmt, "lean": str(lean).lower(), "as_of": as_of}
            first_s, first = timed(lambda p=params: client.get(TASK_STATUS_PATH, params=p))
            first.raise_for_status()
            runs = [timed(lambda p=params: client.get(TASK_STATUS_PATH, params=p).content)[0]
                    for _ in range(SHAPE_RUNS)]
            shape = f"format={fmt}&lean={str(lean).lower()}"
            with gc_paused():
                _same_as_script(f"task-status {shape}", task_status_rows(fmt, first.content), expected)
            ours_s = percentile(runs, 50)
            figures += [
                Figure(f"task_status_{key}_s", round(ours_s, 3), "s", None,
                       f"GET {TASK_STATUS_PATH}?{shape}&as_of={as_of}, whole answer over HTTP, "
                       f"{first.headers.get('content-encoding', 'identity')} as httpx asks, "
                       f"median of {SHAPE_RUNS} ({len(first.content) / 1e6:.1f} MB); the first "
                       f"request {first_s:.2f} s"),
                Figure(f"task_status_{key}_speedup", round(theirs_s / ours_s, 1), "x", ">= 10",
                       f"the plain script ({theirs_s:.2f} s) ÷ ours; the same rows"),
            ]
    return figures
