"""One way to print results: a Rich table for people, or exactly one JSON array / CSV on stdout.

Logs, progress and warnings go to stderr, so `--format json` output can be piped as it is.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit(rows: list[dict[str, Any]], fmt: OutputFormat | str, *, columns: list[str] | None = None,
         title: str | None = None) -> None:
    """Print `rows` (a list of objects) in the asked format."""
    columns = columns or (list(rows[0]) if rows else [])
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=str) + "\n")
        return
    if fmt is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in columns})
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    stdout.print(table)
    if not rows:
        stderr.print("[dim](no rows)[/dim]")


def warn(message: str) -> None:
    stderr.print(f"[yellow]{message}[/yellow]")


def info(message: str) -> None:
    stderr.print(message)
