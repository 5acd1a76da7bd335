"""Run `policygraph` inside the test process, as the console script would run it.

A real process costs about 0.3 s of interpreter start and imports per call, and the suite made
some 150 of them where the process itself is not what is tested (a whole list of write forms,
every export format). `run_cli` calls the console script's own entry point (`cli.main:main`:
the same error messages, exit codes and stdout/stderr split) with exactly the given environment,
and gives back what `subprocess.run(..., capture_output=True, text=True)` would. Tests of what
only a process shows (signals, kill -9, a served port, two processes at once, the installed
script itself) keep starting one: tests/test_cli.py runs the real command.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from graph.settings import get_settings

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """os.environ is `env` alone for the call (as for a child process), then as before."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()


@contextlib.contextmanager
def _fresh_logging() -> Iterator[None]:
    """The CLI configures logging once per process (to stderr); give it a process's root."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers.clear()
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def run_cli(env: dict[str, str], *args: str, input: str = "", cwd: Path = REPO,
            check: bool = False) -> subprocess.CompletedProcess:
    """`policygraph ARGS` with environment `env`, in this process; stdout and stderr captured."""
    from cli.main import main

    out, err = _stream(), _stream()
    code: int | str | None = 0
    previous = Path.cwd()
    with _environment(env), _fresh_logging(), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err), _stdin(input):
        os.chdir(cwd)
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code
        finally:
            os.chdir(previous)
    if isinstance(code, str):  # sys.exit("message") prints it and exits 1
        err.write(code + "\n")
        code = 1
    result = subprocess.CompletedProcess(["policygraph", *args], code or 0, _text(out), _text(err))
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _stream() -> io.TextIOWrapper:
    """A captured stream with a byte buffer beneath, as sys.stdout has (binary exports)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", errors="replace")


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved
