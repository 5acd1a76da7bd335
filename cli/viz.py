"""`policygraph viz`: write a graph page as one standalone HTML file that works from `file://`.

The same views the server draws (`api.viz`): with neither --query nor --node, the home page's
blocking laws for today (or --as-of). Everything is inlined, so the file opens on a closed
network; expanding neighbours needs the server, and the page says so.
"""

from __future__ import annotations

from pathlib import Path

import typer

from cli.output import info, warn
from cli.params import parse_params
from graph.errors import PolicygraphError


def register(app: typer.Typer) -> None:
    """Add the `viz` command to the policygraph app."""

    @app.command()
    def viz(
        out: Path = typer.Option(..., "--out", "-o", help="The HTML file to write.", dir_okay=False),
        query: str = typer.Option(None, "--query", "-q", help="Draw this named query's answer."),
        param: list[str] = typer.Option(None, "--param", "-p", help="key=value for --query, repeatable."),
        node: str = typer.Option(None, "--node", "-n", help="Draw this entity's neighbourhood (an id)."),
        depth: int = typer.Option(None, "--depth", "-d", min=1, max=3, help="Hops around --node (1-3)."),
        as_of: str = typer.Option(None, "--as-of", help="Date for blocking laws, YYYY-MM-DD (today)."),
    ) -> None:
        """Write an interactive graph page (pyvis) as one standalone file; no server needed to view it."""
        from api.viz import Limits, build_page, home_view, node_view, query_view
        from graph.settings import get_settings
        from graph.store import open_store
        from queries import PAGE_DATE, bind_params

        if query and node:
            raise PolicygraphError("Give either --query or --node, not both.",
                                   hint="policygraph viz --node bo-tai-chinh --out mof.html")
        if param and not query:
            raise PolicygraphError("--param needs --query.", hint="Example: --query blocking-laws "
                                   "--param as_of=2025-05-22")
        if depth is not None and not node:
            raise PolicygraphError("--depth needs --node.", hint="Example: --node bo-tai-chinh --depth 2")
        if as_of is not None and query:
            raise PolicygraphError("With --query, give the date as a query parameter.",
                                   hint="Example: --param as_of=2025-05-22")
        if as_of is not None:  # read as every page's date is (queries.bind_params)
            as_of = bind_params("viz", (PAGE_DATE,), {"as_of": as_of})["as_of"]

        settings = get_settings()
        store = open_store(settings)
        limits = Limits.of(settings)
        if query:
            view = query_view(store, query, parse_params(param), limits)
        elif node:
            view = node_view(store, node, depth=depth or 1, as_of=as_of, limits=limits)
        else:
            view = home_view(store, as_of, limits)
        html = build_page(view, standalone=True)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(html, encoding="utf-8")
        except OSError as exc:
            raise PolicygraphError(f"Cannot write {out}: {exc.strerror}.",
                                   hint="Choose a file in a folder you can write to.") from exc
        nodes, edges = len(view.graph["nodes"]), len(view.graph["edges"])
        info(f"Wrote {out} ({nodes} nodes, {edges} edges, {len(html) // 1024} KiB): open it in a browser.")
        if view.truncated:
            warn("The answer was cut at the row limit (POLICYGRAPH_ROW_LIMIT); the page says so.")
