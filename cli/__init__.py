"""The `policygraph` command line (Typer + Rich)."""
