"""`policygraph changes`, `policygraph risk` and `policygraph digest`: the analyst's three
questions before a meeting (what changed since the last one, what is late or about to be, who
needs chasing), from `graph.briefing`. Rows print like every other command (--format
table|json|csv); the window or date used goes to stderr.
"""

from __future__ import annotations

from typing import Any

import typer

from cli.output import OutputFormat, emit, info

FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="table, json or csv.")
CHANGE_COLUMNS = ["date", "kind", "task_id", "law_id", "detail", "lead_ids", "via", "sources"]
RISK_COLUMNS = ["agency_id", "rank", "level", "task_id", "deadline", "days_left", "reasons", "chain"]
DIGEST_COLUMNS = ["section", "date", "kind", "task_id", "law_id", "detail", "sources"]


def _limits():
    from graph.briefing import Limits
    from graph.settings import get_settings

    return Limits.of(get_settings())


def _store():
    """The configured store (its client is imported only by the commands that read it)."""
    from graph.settings import get_settings
    from graph.store import open_store

    return open_store(get_settings())


def digest_rows(digest: dict[str, Any]) -> list[dict[str, Any]]:
    """A digest as one table: a `section` column (changed, at_risk, overdue, blocked_by)."""
    rows: list[dict[str, Any]] = []
    for item in digest["changes"]:
        rows.append({"section": "changed", "date": item["date"], "kind": item["kind"],
                     "task_id": item["task_id"], "law_id": item["law_id"], "detail": item["detail"],
                     "sources": item["sources"]})
    for item in digest["risk"]:
        rows.append({"section": "at_risk", "date": item["deadline"], "kind": f"level {item['level']}",
                     "task_id": item["task_id"], "law_id": None, "detail": "; ".join(item["reasons"]),
                     "sources": None})
    for item in digest["overdue"]:
        rows.append({"section": "overdue", "date": item["deadline"], "kind": item["category"],
                     "task_id": item["task_id"], "law_id": None, "detail": item["progress"], "sources": None})
    for item in digest["blocking"]:
        rows.append({"section": "blocked_by", "date": None, "kind": item["law_status"],
                     "task_id": item["task_id"], "law_id": item["law_id"],
                     "detail": f"{item['hops']} step(s) of DEPENDS_ON", "sources": None})
    return rows


def register(app: typer.Typer) -> None:
    """Add the `changes`, `risk` and `digest` commands to the policygraph app."""

    @app.command()
    def changes(
        since: str = typer.Option(None, "--since", help="Start, not included (YYYY-MM-DD); "
                                                         "default: the latest meeting before --until."),
        until: str = typer.Option(None, "--until", help="End, included (YYYY-MM-DD); default: today."),
        agency: str = typer.Option(None, "--agency", help="Only what concerns this agency (its id)."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """What changed between two dates (default: since the last meeting), each item with its sources."""
        from graph.briefing import changes as run
        from graph.briefing import plain

        answer = run(_store(), since=since, until=until, agency=agency, limits=_limits())
        info(f"Changes after {answer['since']} up to {answer['until']}"
             + (f" for {agency}" if agency else "") + f": {answer['count']} items")
        emit(plain(answer["items"]), fmt, columns=None if fmt is OutputFormat.json else CHANGE_COLUMNS)

    @app.command()
    def risk(
        as_of: str = typer.Option(None, "--as-of", help="The date asked about (YYYY-MM-DD); default today."),
        days: int = typer.Option(30, "--days", help="Days ahead that count as due soon."),
        agency: str = typer.Option(None, "--agency", help="Only the tasks this agency leads (its id)."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Open tasks likely to miss their deadline, ranked per lead agency, each saying why."""
        from graph.briefing import plain
        from graph.briefing import risk as run

        answer = run(_store(), as_of=as_of, days=days, agency=agency, limits=_limits())
        info(f"At risk on {answer['as_of']} (due within {days} days): {answer['count']} rows")
        emit(plain(answer["rows"]), fmt, columns=None if fmt is OutputFormat.json else RISK_COLUMNS)

    @app.command()
    def digest(
        agency: str = typer.Option(..., "--agency", help="The agency's id, e.g. bo-tai-chinh."),
        since: str = typer.Option(None, "--since", help="Start, not included; default: the last meeting."),
        until: str = typer.Option(None, "--until", help="End, included; default: today."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """One agency's digest: what it leads that changed, what is at risk, overdue, and what blocks it."""
        from graph.briefing import digest as run
        from graph.briefing import plain

        answer = run(_store(), agency, since=since, until=until, limits=_limits())
        info(f"Digest for {answer['agency']['name']} ({agency}), after {answer['since']} "
             f"up to {answer['until']}")
        rows = digest_rows({k: plain(v) if isinstance(v, list) else v for k, v in answer.items()})
        emit(rows, fmt, columns=DIGEST_COLUMNS)
