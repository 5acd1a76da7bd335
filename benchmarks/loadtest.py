"""The API under load: locust against `policygraph serve --workers N` on the national graph.

A fixed number of users, each held to a fixed request rate, for a fixed time (60 s), on the
neighbourhood and named-query endpoints; reported as the sustained rate, p50 and p99 per
endpoint, and the error count. Runs as a step of `benchmarks.bench`, or alone:

    python -m benchmarks.loadtest [--quick] [--users 10] [--rate 2] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.api import REPO, api_server
from benchmarks.harness import GRAPH, QUICK, Bench, Figure, running, table
from loaders.generate import GenerateConfig

log = logging.getLogger(__name__)
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def sample_tasks(bench: Bench, count: int = 500) -> list[str]:
    """Provincial and commune tasks spread over the whole country, in a fixed order."""
    rows = bench.store(GRAPH).read("MATCH (t:Task) RETURN t.id AS id ORDER BY id").rows
    step = max(1, len(rows) // count)
    return [row["id"] for row in rows[::step]][:count]


def measure_loadtest(bench: Bench, *, users: int = 10, rate: float = 2.0, seconds: int = 60,
                     workers: int = 2) -> list[Figure]:
    """Sustained requests/s, p50/p99 per endpoint and errors over `seconds`."""
    tasks = sample_tasks(bench)
    with api_server(bench, workers=workers, via_cli=True) as (url, _), \
            tempfile.TemporaryDirectory(prefix="pgload") as folder:
        prefix = str(Path(folder) / "stats")
        env = {**os.environ, "PG_LOAD_TASKS": ",".join(tasks), "PG_LOAD_RATE": str(rate)}
        command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
                   "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", url,
                   "--csv", prefix, "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"]
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=seconds + 120)
        with open(f"{prefix}_stats.csv", encoding="utf-8", newline="") as handle:
            stats = {row["Name"]: row for row in csv.DictReader(handle)}
    if "Aggregated" not in stats:
        raise RuntimeError(f"locust wrote no statistics: {done.stderr[-1500:]}")
    total = stats.pop("Aggregated")
    how = f"{users} users × {rate:g} req/s for {seconds} s, {workers} API workers, loopback"
    figures = [
        Figure("load_rps", round(float(total["Requests/s"]), 1), "req/s", None, how),
        Figure("load_requests", int(total["Request Count"]), "", None, "requests sent"),
        Figure("load_errors", int(total["Failure Count"]), "", "<= 0", "failed requests"),
        Figure("load_p50_ms", float(total["50%"]), "ms", None, "all endpoints"),
        Figure("load_p99_ms", float(total["99%"]), "ms", None, "all endpoints"),
    ]
    for name, row in stats.items():
        key = "neighborhood" if "neighborhood" in name else "named_query"
        figures += [Figure(f"load_{key}_p50_ms", float(row["50%"]), "ms", None, name),
                    Figure(f"load_{key}_p99_ms", float(row["99%"]), "ms", None,
                           f"{row['Request Count']} requests, {row['Failure Count']} failed")]
    return figures


def main(argv: list[str] | None = None) -> int:
    from benchmarks.load import measure_generate
    from loaders.load import load_paths

    parser = argparse.ArgumentParser(prog="python -m benchmarks.loadtest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rate", type=float, default=2.0, help="requests per second per user")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with running(Bench(QUICK if args.quick else GenerateConfig(), quick=args.quick)) as bench:
        figures = measure_generate(bench)
        load_paths([bench.dataset], bench.store(GRAPH))
        figures += measure_loadtest(bench, users=args.users, rate=args.rate, seconds=args.seconds,
                                    workers=args.workers)
    from rich.console import Console

    Console(soft_wrap=True).print(table(figures, "policygraph API under load"))
    sys.stdout.write(json.dumps({f.key: f.value for f in figures}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
