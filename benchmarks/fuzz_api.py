"""`make fuzz`: a schemathesis campaign against every API endpoint, on the real embedded store.

    python -m benchmarks.fuzz_api [--cases 1000] [--data PATH] [--negative 0.25] [--seed N]

Requests are generated from `/openapi.json`: schema-valid ones (which must never get a server
error nor break their documented response schema) and, for a share of them, invalid ones
(which must be refused with a 4xx). It prints the cases tried, the failures (responses that
break the documented schema or accept invalid input) and the server errors, per operation,
and exits 1 on any server error (2 when the campaign cannot start).

Operations are driven through Hypothesis directly (`operation.as_strategy()`), as in
tests/test_api_schemathesis.py: schemathesis' pytest plugin does not support this pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

log = logging.getLogger("fuzz_api")

# Schema-valid Cypher text can still be invalid Cypher, and a named query's own parameters
# are query-string parameters the OpenAPI document cannot list: both answer 400, which is
# right, so "valid input must be accepted" does not apply to them.
LENIENT = {"POST /api/cypher": [positive_data_acceptance],
           "GET /api/queries/{name}": [positive_data_acceptance]}
MAX_PASSES = 20


@dataclass
class Report:
    """What a campaign tried and found; `examples` keeps one reproduction per kind."""

    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    server_errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def note(self, kind: Counter[str], key: str, example: str) -> None:
        kind[key] += 1
        self.examples.setdefault(key, example)


def campaign(app: FastAPI, *, cases: int = 1_000, negative: float = 0.25,
             seed: int | None = None, known: dict[str, list[str]] | None = None) -> Report:
    """Send at least `cases` generated requests to every operation of `app`; never raises
    for what the responses say (that is the report), only when the schema cannot be read.

    `known` gives real values for some parameters (`node_id`, `source`, `target`, `name`):
    random ids almost never exist, so a third of the valid requests use real ones and reach
    past the 404 into the code that reads the graph.
    """
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    report = Report()
    started = time.perf_counter()
    per_operation = math.ceil(cases / len(operations))
    rng = random.Random(seed)
    for round_ in range(MAX_PASSES):  # small parameter spaces run out of new cases early
        round_seed = None if seed is None else seed + round_
        for operation in operations:
            fixed = _fixed_values(operation, known or {}, rng)
            valid = per_operation * (1 - negative)
            plans = [(GenerationMode.NEGATIVE, per_operation * negative, {})]
            plans += [(GenerationMode.POSITIVE, valid / 3, f) for f in fixed] if fixed else []
            plans += [(GenerationMode.POSITIVE, valid * (2 / 3 if fixed else 1), {})]
            for mode, share, kwargs in plans:
                budget = max(1, round(share / max(1, len(fixed)) if kwargs else share))
                _run(operation, mode, budget, report, round_seed, kwargs)
        if report.total >= cases:
            break
    report.seconds = time.perf_counter() - started
    return report


def _fixed_values(operation, known: dict[str, list[str]], rng: random.Random) -> list[dict]:
    """A few `as_strategy` keyword sets that pin the operation's parameters found in `known`."""
    fixed = []
    for _ in range(3):
        path = {p.name: rng.choice(known[p.name]) for p in operation.path_parameters
                if known.get(p.name)}
        query = {p.name: rng.choice(known[p.name]) for p in operation.query if known.get(p.name)}
        kwargs = {k: v for k, v in (("path_parameters", path), ("query", query)) if v}
        if kwargs:
            fixed.append(kwargs)
    return fixed


def _run(operation, mode: GenerationMode, budget: int, report: Report, seed: int | None,
         strategy_kwargs: dict) -> None:
    label = operation.label
    excluded = LENIENT.get(label, [])

    @given(case=operation.as_strategy(generation_mode=mode, **strategy_kwargs))
    @settings(max_examples=budget, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
              verbosity=Verbosity.quiet)
    def check(case) -> None:
        report.cases[label] += 1
        try:
            response = case.call()
        except Exception as exc:  # the app itself raised: as bad as a 500
            report.note(report.server_errors, f"{label}: raised {type(exc).__name__}",
                        f"{exc}\n{case.as_curl_command()}")
            return
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.note(report.server_errors, f"{label}: {response.status_code}",
                        f"{response.text[:300]}\n{case.as_curl_command()}")
        try:
            case.validate_response(response, excluded_checks=excluded)
        except (Failure, FailureGroup) as exc:
            title = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
            report.note(report.failures, f"{label} [{mode.value}]: {title}",
                        f"{str(exc)[:600]}\n{case.as_curl_command()}")

    if seed is not None:
        check = hypothesis_seed(seed)(check)
    with contextlib.suppress(Unsatisfiable):  # no inputs: no invalid request to make
        check()


def print_report(report: Report, out=sys.stdout) -> None:
    out.write(f"cases tried:   {report.total} over {len(report.cases)} operations "
              f"in {report.seconds:.1f} s\n")
    out.write(f"failures:      {sum(report.failures.values())} "
              f"({len(report.failures)} kinds)\n")
    out.write(f"server errors: {sum(report.server_errors.values())}\n")
    out.write("statuses:      " + ", ".join(f"{code}: {n}" for code, n in
                                            sorted(report.statuses.items())) + "\n")
    for label, n in sorted(report.cases.items()):
        out.write(f"  {n:5d}  {label}\n")
    for kind in (report.server_errors, report.failures):
        for key, n in kind.most_common():
            out.write(f"\n{n} x {key}\n{report.examples[key]}\n")


def known_values(store) -> dict[str, list[str]]:
    """Real node ids and query names, for the parameters that take them."""
    from queries import library

    ids = [row["id"] for row in store.read("MATCH (n) RETURN n.id AS id ORDER BY id LIMIT 500").rows]
    return {"node_id": ids, "source": ids, "target": ids, "name": sorted(library())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000, help="at least this many requests")
    parser.add_argument("--data", type=Path, default=None,
                        help="dataset to load (default: the bundled dataset in data/)")
    parser.add_argument("--negative", type=float, default=0.25,
                        help="share of deliberately invalid requests")
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed, to repeat a run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")

    home = Path(tempfile.mkdtemp(prefix="pgfz", dir="/tmp"))  # short: unix socket path limit
    os.environ.update({"POLICYGRAPH_HOME": str(home), "POLICYGRAPH_GRAPH": "fuzz"})
    os.environ.setdefault("POLICYGRAPH_QUERY_TIMEOUT_MS", "5000")
    # schemathesis' ASGI transport calls the app `testserver`: let it past the host allow-list.
    os.environ.setdefault("POLICYGRAPH_ALLOWED_HOSTS", '["localhost", "127.0.0.1", "testserver"]')
    for name in [k for k in os.environ if k.startswith("NEO4J_")]:
        del os.environ[name]
    from api.app import create_app
    from graph.errors import PolicygraphError
    from graph.settings import get_settings
    from graph.store import open_store
    from loaders.load import load_paths

    server = None
    try:
        store = open_store(get_settings())
        server = store.server
        report_load = load_paths([args.data] if args.data else None, store)
        sys.stdout.write(f"loaded {report_load.node_count} nodes and "
                         f"{report_load.relationship_count} relationships "
                         f"({args.data or 'bundled dataset'})\n")
        report = campaign(create_app(), cases=args.cases, negative=args.negative, seed=args.seed,
                          known=known_values(store))
        counts = store.counts()
        print_report(report)
        if counts != (report_load.node_count, report_load.relationship_count):
            sys.stdout.write(f"\nTHE GRAPH CHANGED: {counts}\n")
            return 1
        return 1 if report.server_errors else 0
    except PolicygraphError as error:
        sys.stderr.write(f"Cannot start the campaign: {error}\n")
        return 2
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
