"""National-scale benchmarks in one run: figures and ratios against targets, never pass/fail.

    python -m benchmarks.bench            # the national dataset (100,000 tasks)
    python -m benchmarks.bench --quick    # a tenth of it, for development

Everything runs on a private embedded store in a short temporary home, stopped and removed at
the end. The table goes to stdout for people; the last line of stdout is one JSON object with
every figure (null, with a reason in `notes`, where something could not be measured).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable

from rich.console import Console

from benchmarks.api import (
    BRIEFING_PAGES,
    BRIEFING_QUERIES,
    measure_api,
    measure_briefing,
    measure_pages,
    measure_viz,
)
from benchmarks.harness import QUICK, Bench, Figure, running, table
from benchmarks.load import measure_generate, measure_load
from benchmarks.loadtest import measure_loadtest
from benchmarks.queries import (
    SHAPES,
    AnswersDiffer,
    measure_blockers,
    measure_dated,
    measure_diy,
    measure_shapes,
    measure_task_status_shapes,
)
from loaders.generate import GenerateConfig

log = logging.getLogger("benchmarks")

Step = Callable[[Bench], list[Figure]]
# each step, and the figures it owes the JSON line even when it fails
STEPS: list[tuple[str, Step, tuple[str, ...]]] = [
    ("generate", measure_generate, ("tasks", "relationships")),
    ("load", measure_load, ("load_ratio", "data_dir_mb")),
    ("blockers", measure_blockers, ("blockers_p50_ms", "blockers_page_p50_ms")),
    ("diy", measure_diy, ("diy_script_speedup",)),
    ("dated", measure_dated, ("task_status_page_ms", "overdue_page_ms", "risk_query_page_ms",
                              "task_status_speedup")),
    ("shapes", lambda bench: measure_shapes(bench) + measure_task_status_shapes(bench),
     tuple(f"{prefix}{key}_speedup" for prefix in ("", "task_status_") for _, key in SHAPES)),
    ("briefing", measure_briefing,
     tuple(key for *_, key in BRIEFING_QUERIES) + tuple(key for _, key in BRIEFING_PAGES)),
    ("pages", measure_pages, ("node_page_ms", "home_page_ms", "home_page_bytes")),
    ("api", measure_api, ("neighborhood_api_ratio", "api_rss_mb", "store_rss_mb")),
    ("viz", measure_viz, ("viz_interactive_s",)),
    ("loadtest", lambda bench: measure_loadtest(bench, seconds=20 if bench.quick else 60),
     ("load_rps", "load_errors")),
]


def run_steps(bench: Bench, skip: set[str]) -> list[Figure]:
    """Every step in order; a failing or skipped step reports its figures as None, with why."""
    figures: list[Figure] = []
    for name, step, owed in STEPS:
        started = time.perf_counter()
        if name in skip:
            figures += [Figure(key, None, note=f"skipped (--skip {name})") for key in owed]
            continue
        log.info("%s …", name)
        try:
            figures += step(bench)
        except AnswersDiffer as exc:  # a wrong answer: said loudly, and the run fails
            log.error("ANSWERS DIFFER: %s", exc)
            bench.facts["answers_differ"] = str(exc)
            figures += [Figure(key, None, note=f"ANSWERS DIFFER: {exc}") for key in owed]
        except Exception as exc:  # one broken measurement must not hide the others
            log.exception("%s failed", name)
            figures += [Figure(key, None, note=f"{name} failed: {exc}") for key in owed]
        log.info("%s took %.1f s", name, time.perf_counter() - started)
    return figures


def summary(figures: list[Figure], *, quick: bool, seconds: float,
            answers_differ: str | None = None) -> dict:
    """The JSON line: every figure by key, then which targets were met and why any is null."""
    line: dict = {figure.key: figure.value for figure in figures}
    line["answers_differ"] = answers_differ
    line["quick"] = quick
    line["seconds"] = round(seconds, 1)
    line["targets"] = {f.key: {"target": f.target, "met": f.met} for f in figures if f.target}
    line["notes"] = {f.key: f.note for f in figures if f.value is None}
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the national size")
    parser.add_argument("--tasks", type=int, help="override the number of tasks")
    parser.add_argument("--communes", type=int, help="override the number of communes")
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--skip", action="append", default=[], choices=[s[0] for s in STEPS][2:],
                        help="leave a step out (repeatable)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    base = QUICK if args.quick else GenerateConfig()
    overrides = {k: v for k, v in (("tasks", args.tasks), ("communes", args.communes)) if v}
    config = GenerateConfig(**{**base.__dict__, **overrides, "seed": args.seed})
    started = time.perf_counter()
    with running(Bench(config, quick=args.quick)) as bench:
        figures = run_steps(bench, set(args.skip))
    seconds = time.perf_counter() - started
    scale = "quick" if args.quick else "national"
    Console(soft_wrap=True).print(table(figures, f"policygraph benchmarks ({scale} scale, "
                                                 f"{seconds:.0f} s)"))
    differ = bench.facts.get("answers_differ")
    sys.stdout.write(json.dumps(summary(figures, quick=args.quick, seconds=seconds,
                                        answers_differ=differ), ensure_ascii=False) + "\n")
    if differ:
        sys.stderr.write(f"\nFAILED: the answers differ. {differ}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
