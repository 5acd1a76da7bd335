"""What every measurement shares: a private embedded store, the generated dataset, figures and
their table.

Each measurement is a function `measure_x(bench) -> list[Figure]`; a figure that cannot be
measured yet is reported as None with the reason, never faked.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from falkordb import FalkorDB
from rich.markup import escape
from rich.table import Table

from graph.settings import Settings
from graph.store.embedded import EmbeddedServer
from graph.store.falkor import FalkorStore
from loaders.generate import GenerateConfig

log = logging.getLogger(__name__)

GRAPH = "national"  # the graph every query measurement reads
# a tenth of the national size (`--quick`), for development
QUICK = GenerateConfig(provinces=34, communes=340, tasks=10_000, experts=200)


@dataclass
class Figure:
    """One measured figure: JSON key, value (None when not measurable), unit, target, how."""

    key: str
    value: float | int | None
    unit: str = ""
    target: str | None = None  # e.g. ">= 0.5", "<= 150"
    note: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the value meets its target (None: no target or no value)."""
        if self.target is None or self.value is None:
            return None
        op, bound = self.target.split()
        return self.value >= float(bound) if op == ">=" else self.value <= float(bound)


@dataclass
class Bench:
    """The run's private store (a short temporary home), dataset folder and shared results."""

    config: GenerateConfig
    quick: bool = False
    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pgb", dir="/tmp")))
    dataset: Path | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # values later measurements reuse

    def __post_init__(self) -> None:
        self.server = EmbeddedServer(self.home)

    @property
    def settings(self) -> Settings:
        return Settings(home=self.home, graph=GRAPH)

    def store(self, graph: str = GRAPH) -> FalkorStore:
        return FalkorStore(self.server, graph)

    @functools.cached_property
    def reader(self) -> FalkorStore:
        """One store handle on the national graph for the query measurements (one pool)."""
        return self.store(GRAPH)

    def raw_graph(self, graph: str = GRAPH):
        """The FalkorDB client's own graph handle: the baseline our layers are compared with."""
        return FalkorDB(unix_socket_path=str(self.server.socket)).select_graph(graph)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.server.stop()
        shutil.rmtree(self.home, ignore_errors=True)


@contextlib.contextmanager
def running(bench: Bench) -> Iterator[Bench]:
    """Start the bench's store; stop it and remove its files whatever happens."""
    bench.start()
    try:
        yield bench
    finally:
        bench.stop()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def latencies_ms(fn: Callable[[], Any], *, runs: int, warmup: int = 2) -> list[float]:
    """Milliseconds of `runs` calls of `fn`, after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], pct: float) -> float:
    """The `pct` percentile (inclusive method, so p50 is the median)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1]


def table(figures: list[Figure], title: str) -> Table:
    """The figures for people: value, target, whether it is met and how it was measured."""
    view = Table(title=title, header_style="bold")
    for column in ("figure", "value", "target", "met", "how"):
        view.add_column(column, overflow="fold")
    for figure in figures:
        value = "—" if figure.value is None else f"{figure.value:,}"
        met = {True: "[green]yes[/green]", False: "[red]no[/red]", None: ""}[figure.met]
        view.add_row(figure.key, f"{value} {figure.unit}".strip(), escape(figure.target or ""), met,
                     escape(figure.note))
    return view
