"""`policygraph generate`: a synthetic country-wide dataset in the loader's CSV format.

Registered on the main app by `register(app)`, so the command lives with its feature.
"""

from __future__ import annotations

from pathlib import Path

import typer

from cli.output import OutputFormat, emit, info


def register(app: typer.Typer) -> None:
    """Add the `generate` command to `app`."""

    @app.command()
    def generate(
        out: Path = typer.Option(..., "--out", "-o", help="A new or empty folder for the CSV files."),
        provinces: int = typer.Option(34, help="Provinces and centrally run cities (2025: 34)."),
        communes: int = typer.Option(3321, help="Communes and wards, spread over the provinces "
                                                "(2025: 3,321)."),
        tasks: int = typer.Option(100_000, help="Tasks in all: about 2% central, 8% provincial, "
                                                "the rest communal."),
        seed: int = typer.Option(57, help="Random seed: the same seed writes the same bytes."),
        deadline_moves: float = typer.Option(0.0, help="Share of tasks (0 to 1) whose deadline later "
                                                       "notices move (DeadlineChange); 0 keeps the "
                                                       "benchmark data as it was."),
        fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f",
                                         help="table, json or csv."),
    ) -> None:
        """Write a synthetic national dataset (every id starts with `syn-`), then load it with
        `policygraph load DIR`."""
        from loaders.generate import GenerateConfig
        from loaders.generate import generate as run_generate

        config = GenerateConfig(provinces=provinces, communes=communes, tasks=tasks, seed=seed,
                                deadline_moves=deadline_moves)
        report = run_generate(out, config)
        rows = [{"kind": "node", "name": k, "count": v} for k, v in sorted(report.nodes.items())]
        rows += [{"kind": "relationship", "name": k, "count": v}
                 for k, v in sorted(report.relationships.items())]
        emit(rows, fmt, title=f"Generated in {out}")
        info(f"wrote {report.node_count} nodes and {report.relationship_count} relationships "
             f"in {len(report.files)} files in {report.seconds:.1f} s; load them with "
             f"`policygraph load {out}`")
