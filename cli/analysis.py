"""`policygraph analytics NAME` and `policygraph export`: networkx analytics and file exports.

Analytics print rows like every other command (--format table|json|csv). Exports write the
whole graph, or the subgraph the named queries' answers mention, to a file or folder
(`--out -` writes a one-file format to stdout).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cli.output import OutputFormat, emit, info
from cli.params import parse_params
from graph.errors import PolicygraphError
from graph.export_formats import FORMATS, STREAMED, formats_help

if TYPE_CHECKING:
    from graph.core import PolicyGraph

FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv.")


ExportFormat = StrEnum("ExportFormat", {name: name for name in FORMATS})  # graph/export_formats.py


def register(app: typer.Typer) -> None:
    """Add the `analytics` and `export` commands to the policygraph app."""

    @app.command()
    def analytics(
        name: str = typer.Argument(None, help="An analytic (see --list): centrality, communities, "
                                              "longest-chains, critical-path, cycles."),
        param: list[str] = typer.Option(None, "--param", "-p", help="key=value, repeatable."),
        list_: bool = typer.Option(False, "--list", help="List the analytics."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Graph analytics over the whole graph: bottleneck agencies, chains, cycles, communities."""
        from graph.analytics import ANALYTICS, get_analytic
        from graph.settings import get_settings
        from graph.store import open_store

        if list_ or not name:
            emit([{"name": a.name, "title": a.title,
                   "params": ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default else "")
                                       for p in a.params)}
                  for a in ANALYTICS.values()], fmt, title="Analytics")
            return
        analytic = get_analytic(name)
        params = parse_params(param)
        analytic.bind(params)  # reject bad parameters before reading the graph
        rows = analytic.run(open_store(get_settings()), params)
        emit(rows, fmt, columns=list(analytic.columns))

    @app.command()
    def export(
        fmt: ExportFormat = typer.Option(..., "--format", "-f",
                                         help=formats_help() + " (csv: a folder, or a .zip)."),
        out: str = typer.Option(..., "--out", "-o",
                                help="File to write (csv: a folder); `-` writes to stdout."),
        query: list[str] = typer.Option(None, "--query", "-q",
                                        help="Export only what this named query's answer mentions; "
                                             "repeatable. Default: the whole graph."),
        param: list[str] = typer.Option(None, "--param", "-p",
                                        help="key=value for the queries, repeatable."),
    ) -> None:
        """Export the whole graph, or named queries' subgraph, for Gephi, Cytoscape, Neo4j or the loader."""
        from graph.core import PolicyGraph
        from graph.export import query_subgraph, read_graph, render, with_sources, write_export
        from graph.settings import get_settings

        if param and not query:
            raise PolicygraphError("--param needs --query.",
                                   hint="Example: --query blocking-laws --param as_of=2025-05-22")
        settings = get_settings()
        pg = PolicyGraph(settings)
        store = pg.store
        if not query and fmt.value in STREAMED:
            _export_streamed(pg, fmt.value, out)
            return
        if query:
            graph = query_subgraph(store, query, parse_params(param),
                                   timeout_ms=settings.query_timeout_ms, limit=settings.row_limit)
            if fmt is ExportFormat.csv:
                # so the folder loads on its own
                graph = with_sources(store, graph, timeout_ms=settings.query_timeout_ms)
        else:
            graph = read_graph(store, timeout_ms=settings.query_timeout_ms)
        if out == "-":
            if fmt is ExportFormat.csv:
                raise PolicygraphError("The csv export is several files; it cannot go to stdout.",
                                       hint="Give a folder or a .zip file with --out.")
            sys.stdout.buffer.write(render(graph, fmt.value))
            sys.stdout.flush()
            report_path = "stdout"
        else:
            report_path = write_export(graph, fmt.value, Path(out)).path
        info(f"Wrote {len(graph['nodes'])} nodes and {len(graph['edges'])} relationships "
             f"as {fmt.value} to {report_path}")


def _export_streamed(pg: PolicyGraph, fmt: str, out: str) -> None:
    """The whole graph written while it is read (see graph/export_stream.py); a file is
    written as NAME.part and renamed when complete, so a failed export leaves no half file."""
    from graph.export import ExportError
    from graph.export_stream import stream_export

    nodes, relationships = pg.counts()
    pieces = stream_export(pg.store, fmt, timeout_ms=pg.settings.query_timeout_ms)
    if out == "-":
        for piece in pieces:
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
        where = "stdout"
    else:
        target = Path(out)
        partial = target.with_name(target.name + ".part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as file:
                for piece in pieces:
                    file.write(piece)
            partial.replace(target)
        except OSError as exc:
            raise ExportError(f"Cannot write {target}: {exc.strerror}.",
                              hint="Choose a path you can write to.") from exc
        finally:
            partial.unlink(missing_ok=True)
        where = str(target)
    info(f"Wrote {nodes} nodes and {relationships} relationships as {fmt} to {where}")
