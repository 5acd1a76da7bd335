"""policygraph: who must do what in Resolution 57, and what is holding it up.

Start the store, load data, ask questions, serve the API. Commands that return rows take
--format table|json|csv; errors give one message and a non-zero exit.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.logging import RichHandler

from cli.output import OutputFormat, emit, info, stderr, warn
from cli.params import parse_params
from cli.progress import write_progress
from graph.errors import PolicygraphError, ValidationFailed

if TYPE_CHECKING:
    from graph.store import EmbeddedServer

# The store's client, the settings and the query layer are imported by the commands that use
# them: `extract`, `generate` and `--help` start in a third of the time without them.

app = typer.Typer(help=__doc__, no_args_is_help=True, pretty_exceptions_enable=False,
                  add_completion=False)
db_app = typer.Typer(help="Start, stop and inspect the embedded FalkorDB store.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")

FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv.")


@app.callback()
def _setup(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more (to stderr).")):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s",
                        handlers=[RichHandler(console=stderr, show_path=False)])


# -- the store -------------------------------------------------------------------------------
def _server() -> EmbeddedServer:
    from graph.settings import get_settings
    from graph.store import EmbeddedServer, StoreLimits

    settings = get_settings()
    if settings.neo4j_uri:
        raise PolicygraphError("NEO4J_URI is set: the embedded store is not in use.",
                               hint="Unset NEO4J_URI to manage the embedded store.")
    return EmbeddedServer(settings.home, StoreLimits.from_settings(settings))


@db_app.command("start")
def db_start() -> None:
    """Start the embedded store (no-op if it runs)."""
    server = _server()
    started = server.start()
    info(("Started" if started else "Already running:") + f" embedded store in {server.home}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded store; its data stays in the append-only file."""
    server = _server()
    info("Stopped the embedded store." if server.stop() else "The embedded store was not running.")


@db_app.command("status")
def db_status(fmt: OutputFormat = FormatOption) -> None:
    """Whether the store runs, where its files are, how much it holds."""
    from graph.core import PolicyGraph
    from graph.settings import get_settings

    settings = get_settings()
    if settings.neo4j_uri:
        nodes, rels = PolicyGraph(settings).counts()
        emit([{"backend": "neo4j", "uri": settings.neo4j_uri, "running": True,
               "nodes": nodes, "relationships": rels}], fmt)
        return
    status = _server().status()
    row = {"backend": "falkordb", "running": status.running, "pid": status.pid,
           "home": str(status.home), "socket": str(status.socket), "aof_bytes": status.aof_bytes,
           "nodes": None, "relationships": None}
    if status.running:
        row["nodes"], row["relationships"] = PolicyGraph(settings).counts()
    emit([row], fmt)
    if not status.running:
        raise typer.Exit(3)


@db_app.command("backup")
def db_backup(out: Path = typer.Argument(..., help="A new file for the snapshot.")) -> None:
    """Write a consistent snapshot of every graph in the embedded store, while it runs."""
    from graph.store.backup import backup

    size = backup(_server(), out)
    info(f"Wrote a snapshot of the embedded store to {out} ({size / 1e6:.1f} MB), and its "
         f"manifest (checksum, counts) beside it; keep the two together.")


@db_app.command("restore")
def db_restore(source: Path = typer.Argument(..., help="A file written by `db backup`.")) -> None:
    """Replace every graph by a backup, once it is checked against its manifest and loaded
    apart (then stops and restarts the store; the current files are kept aside in the data
    directory; a bad backup changes nothing)."""
    from graph.store.backup import restore

    aside = restore(_server(), source)
    info(f"Restored {source}; the previous append-only files are kept in {aside}.")


@db_app.command("check")
def db_check(fmt: OutputFormat = FormatOption) -> None:
    """Check the stored graph: schema, unique ids, existing sources, derived data."""
    from graph.core import PolicyGraph
    from graph.settings import get_settings
    from loaders.check import check_graph

    settings = get_settings()
    pg = PolicyGraph(settings)
    problems = check_graph(pg.store)
    nodes, rels = pg.counts()
    if problems:
        emit([p.as_dict() | {"problem": str(p)} for p in problems], fmt,
             columns=["item", "field", "message", "hint"], title="Problems")
        raise PolicygraphError(f"{len(problems)} problem(s) in the graph {settings.graph!r} "
                               f"({nodes} nodes, {rels} relationships).",
                               hint="Each names the node or relationship; reload its source, "
                                    "or retract it.")
    info(f"The graph {settings.graph!r} is consistent: {nodes} nodes, {rels} relationships.")


# -- data ------------------------------------------------------------------------------------
@app.command()
def load(
    paths: list[Path] = typer.Argument(None, help="Files or folders (.yaml, .json, .csv); "
                                                  "none: the bundled dataset."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and print the diff it "
                                                          "would apply; write nothing."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Validate files against the schema, then write what they change (nothing is written if
    any is invalid). The files replace what the Sources they define said before."""
    from graph.settings import get_settings
    from graph.store import open_store
    from loaders.diff import totals
    from loaders.load import load_paths

    settings = get_settings()
    store = open_store(settings)
    with write_progress("Loading") as progress:
        report = load_paths(paths or None, store, dry_run=dry_run, batch_size=settings.batch_size,
                            progress=progress, lock_timeout_s=settings.write_lock_timeout_s,
                            waiting=warn)
    if report.unchanged_since is not None:
        info(f"nothing to load: same files as the last load at {report.unchanged_since}, and "
             f"nothing written to the graph since ({report.node_count} nodes and "
             f"{report.relationship_count} relationships; {report.seconds:.2f} s)")
        return
    if dry_run:
        _emit_diff(report.changes, fmt)
    else:
        rows = [{"kind": "node", "name": k, "count": v} for k, v in sorted(report.nodes.items())]
        rows += [{"kind": "relationship", "name": k, "count": v}
                 for k, v in sorted(report.relationships.items())]
        emit(rows, fmt, title="Loaded")
    verb = "would change" if dry_run else "changed"
    info(f"read {report.node_count} nodes and {report.relationship_count} relationships; "
         f"{verb}: {totals(report.changes)} in {report.seconds:.2f} s")


@app.command()
def retract(
    source: str = typer.Argument(..., help="The id of the Source to withdraw, e.g. src-25-tb-tgv."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the diff it would apply; "
                                                          "write nothing."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Withdraw a source: what it alone supported is deleted, what others also state stays."""
    from graph.settings import get_settings
    from graph.store import open_store
    from loaders.diff import totals
    from loaders.load import retract_source

    settings = get_settings()
    store = open_store(settings)
    with write_progress("Retracting") as progress:
        report = retract_source(source, store, dry_run=dry_run, batch_size=settings.batch_size,
                                progress=progress, lock_timeout_s=settings.write_lock_timeout_s,
                                waiting=warn)
    if dry_run:
        _emit_diff(report.changes, fmt)
    info(f"{'would change' if dry_run else 'changed'}: {totals(report.changes)} "
         f"in {report.seconds:.2f} s")


def _emit_diff(changes, fmt: OutputFormat) -> None:
    """The diff (JSON: one array of rows), then, for a table, what each source does."""
    from loaders.diff import DIFF_COLUMNS, diff_rows, source_summary

    emit(diff_rows(changes), fmt, columns=DIFF_COLUMNS, title="Changes (dry run: nothing written)")
    if fmt is OutputFormat.table and changes:
        emit(source_summary(changes), fmt, title="By source")


@app.command()
def query(
    name: str = typer.Argument(None, help="A named query from queries/ (see --list)."),
    cypher: str = typer.Option(None, "--cypher", help="Ad-hoc read-only Cypher instead."),
    param: list[str] = typer.Option(None, "--param", "-p", help="key=value, repeatable."),
    list_: bool = typer.Option(False, "--list", help="List the named queries."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Run a named query or ad-hoc Cypher, read-only, with the configured timeout and row cap."""
    from graph.core import PolicyGraph
    from graph.settings import get_settings
    from queries import library

    if list_:
        emit([{"name": q.name, "title": q.title,
               "params": ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default else "")
                                   for p in q.params)}
              for q in library().values()], fmt, title="Named queries")
        return
    if bool(name) == bool(cypher):
        raise PolicygraphError("Give either a query NAME or --cypher TEXT.",
                               hint="policygraph query --list shows the named queries.")
    settings = get_settings()
    pg = PolicyGraph(settings)
    if cypher:
        result, ran = pg.cypher(cypher, parse_params(param, json_values=True))
        for notice in ran.notices:  # what was rewritten is said on stderr
            info(f"note: {notice}")
        if ran.rewritten:
            info(f"ran: {ran.query}")
    else:
        result = pg.query(name, parse_params(param))
    emit(result.rows, fmt, columns=_readable_columns(result, fmt))
    if result.truncated:
        warn(f"Only the first {settings.row_limit} rows are shown (POLICYGRAPH_ROW_LIMIT).")


@app.command()
def search(
    text: str = typer.Argument(..., help="What to look for, typed any way: `bo tai chinh`, `MOST`."),
    label: str = typer.Option(None, "--label", "-l", help="Only nodes with this label."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=1000, help="Most results."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Find entities by name, English name, short form, alias or document number."""
    from graph.schema import get_schema
    from graph.search import search as run_search
    from graph.settings import get_settings
    from graph.store import open_store

    schema = get_schema()
    if label is not None and label not in schema.labels:
        raise PolicygraphError(f"Unknown label {label!r}.",
                               hint=f"Labels: {', '.join(schema.label_names)}.")
    rows = run_search(open_store(get_settings()), text, label=label, limit=limit, schema=schema)
    emit(rows, fmt, columns=["id", "label", "name", "name_en", "score", "matched"])


def _readable_columns(result, fmt: OutputFormat) -> list[str]:
    """JSON gets every column; a table or CSV leaves out the node and path columns (kept for
    drawing), which would bury the answer."""
    from graph.subgraph import SubgraphBuilder

    if fmt is OutputFormat.json:
        return result.columns

    def drawable(value) -> bool:
        builder = SubgraphBuilder()
        builder.add(value)
        return bool(builder.nodes or builder.edges)

    kept = [c for c in result.columns if not any(drawable(row.get(c)) for row in result.rows)]
    return kept or result.columns


# -- serving ---------------------------------------------------------------------------------
@app.command()
def serve(
    host: str = typer.Option(None, help="Address to bind (default 127.0.0.1, POLICYGRAPH_HOST)."),
    port: int = typer.Option(None, help="Port (default 8000, POLICYGRAPH_PORT)."),
    workers: int = typer.Option(1, help="Worker processes."),
    uds: Path = typer.Option(None, help="Serve on this unix socket (mode 600, or 660 with "
                                        "POLICYGRAPH_UDS_MODE) instead of a port (POLICYGRAPH_UDS)."),
) -> None:
    """Serve the HTTP API and the browser UI."""
    import os
    import signal

    import uvicorn

    from api.security import (
        bind_unix_socket,
        check_access_settings,
        issue_login_code,
        login_url,
        server_base,
    )
    from graph.settings import get_settings
    from graph.store import open_store

    # The options become the settings of the app being served, in this process and its workers.
    os.environ.update({k: str(v) for k, v in {"POLICYGRAPH_HOST": host, "POLICYGRAPH_PORT": port,
                                              "POLICYGRAPH_UDS": uds}.items() if v is not None})
    get_settings.cache_clear()
    settings = get_settings()
    check_access_settings(settings)  # a bad allow-list or token fails here, as a message
    open_store(settings)  # fail here, with a clear message, rather than in every request
    sock = bind_unix_socket(settings.uds, settings.uds_mode) if settings.uds else None
    where = {"fd": sock.fileno()} if sock else {"host": settings.host, "port": settings.port}
    base = server_base(settings)
    if sock:
        info(f"policygraph is serving on the unix socket {settings.uds} (mode {settings.uds_mode}; "
             "Ctrl+C stops)")
    else:
        info(f"policygraph is serving on {base}/  (API docs: /docs; Ctrl+C stops)")
    if settings.token is not None:
        path = login_url(base, issue_login_code(settings))
        # One line, never wrapped or styled: it is copied into a browser.
        stderr.print(f"Sign the browser in, once, at {path}" + (" (through your proxy)" if sock
                     else "") + " ; API clients send `Authorization: Bearer $POLICYGRAPH_TOKEN`.",
                     soft_wrap=True, markup=False, highlight=False)
    if sock:  # uvicorn re-raises SIGTERM after its shutdown: exit through `finally` instead
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        uvicorn.run("api.app:create_app", factory=True, workers=workers, log_level="warning",
                    **where)
    finally:
        if sock:
            sock.close()
            settings.uds.unlink(missing_ok=True)


@app.command()
def login() -> None:
    """Print a new one-time login URL for the browser; it replaces an unused one
    (POLICYGRAPH_TOKEN must be set)."""
    from api.security import issue_login_code, login_url, server_base
    from graph.settings import get_settings

    settings = get_settings()
    if settings.token is None:
        raise PolicygraphError("POLICYGRAPH_TOKEN is not set: the server needs no login.",
                               hint="Set it for `policygraph serve` and here alike.")
    typer.echo(login_url(server_base(settings), issue_login_code(settings)))


@app.command()
def up(port: int = typer.Option(None, help="Port (default 8000, POLICYGRAPH_PORT).")) -> None:
    """The main job: start the store, load the bundled dataset if the graph is empty, serve."""
    from graph.core import PolicyGraph
    from graph.settings import get_settings
    from loaders.load import load_paths

    settings = get_settings()
    pg = PolicyGraph(settings)
    store = pg.store
    nodes, _ = pg.counts()
    if nodes == 0:
        info("The graph is empty: loading the bundled dataset …")
        with write_progress("Loading") as progress:
            report = load_paths(None, store, batch_size=settings.batch_size, progress=progress,
                                lock_timeout_s=settings.write_lock_timeout_s, waiting=warn)
        info(f"Loaded {report.node_count} nodes and {report.relationship_count} relationships.")
    else:
        info(f"The graph holds {nodes} nodes; not reloading (policygraph load updates it).")
    serve(host=None, port=port, workers=1, uds=None)


def _register_feature_commands() -> None:
    """Commands of the other modules: extraction, analytics and exports, generation, viz, briefing."""
    from cli import analysis, briefing, extract, generate, viz

    for module in (extract, analysis, generate, viz, briefing):
        module.register(app)


_register_feature_commands()


def _report(error: PolicygraphError) -> None:
    if isinstance(error, ValidationFailed):
        for problem in error.problems:
            stderr.print("✗ " + str(problem), highlight=False, markup=False)
    stderr.print("Error: " + error.message, style="bold red", highlight=False, markup=False)
    if error.hint:
        stderr.print(error.hint, highlight=False, markup=False)


def _is_store_error(error: Exception) -> bool:
    """A redis client error (the client is loaded only by the commands that use the store)."""
    client = sys.modules.get("redis")
    return client is not None and isinstance(error, client.RedisError)


def main(args: list[str] | None = None) -> None:
    """Entry point of the console script: our errors become one message and a non-zero exit.
    `args` instead of the command line (tests/cli_run.py runs the CLI in a test's process)."""
    try:
        app(args, prog_name="policygraph")
    except PolicygraphError as error:
        _report(error)
        sys.exit(2 if isinstance(error, ValidationFailed) else 1)
    except KeyboardInterrupt:
        stderr.print("Interrupted.")
        sys.exit(130)
    except Exception as error:
        if not _is_store_error(error):
            raise
        # one the store layer did not translate: still a message
        _report(PolicygraphError(f"The embedded store answered with an error: {error}",
                                 hint="See `policygraph db status` and the store's log "
                                      "(store.log in POLICYGRAPH_HOME)."))
        sys.exit(1)
