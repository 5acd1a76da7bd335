"""One base exception, so the CLI and the API can turn any of ours into a clear message."""

from __future__ import annotations


class PolicygraphError(Exception):
    """An error a person can act on: `message` says what went wrong, `hint` what to do.

    `hint` speaks to a person at the command line; `http_hint`, when the advice differs (a
    flag, a command), to an HTTP client: the API sends that one (see `hint_for_http`)."""

    status_code = 400

    def __init__(self, message: str, *, hint: str | None = None, http_hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.http_hint = http_hint

    def hint_for_http(self) -> str | None:
        return self.http_hint if self.http_hint is not None else self.hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class InvalidParameter(PolicygraphError):
    """A request parameter (query string, body field, named-query parameter) that cannot be
    used: HTTP 422, like FastAPI's own validation, with the parameter's name in `field`."""

    status_code = 422

    def __init__(self, message: str, *, field: str, hint: str | None = None,
                 http_hint: str | None = None) -> None:
        super().__init__(message, hint=hint, http_hint=http_hint)
        self.field = field


class ConfigError(PolicygraphError):
    """Settings or the data directory are unusable."""


class StoreUnavailable(PolicygraphError):
    """The graph store cannot be reached or started."""

    status_code = 503


class StoreRestarted(StoreUnavailable):
    """The store had stopped (out of memory, killed) during or before a query, and was
    restarted; the query may be what stopped it (the API counts these per client)."""


class PersistenceFailed(StoreUnavailable):
    """The store could not write its append-only file (a full disk): nothing more can be
    written safely until that is fixed."""


class QueryError(PolicygraphError):
    """The store rejected a query: syntax, a write on a read path, a type error."""


def refused_write() -> QueryError:
    """The store refused a write on a read path, said without the store's own wording."""
    return QueryError(
        "This path is read-only: the query would change the graph (CREATE, MERGE, SET, DELETE "
        "or REMOVE), and the store refused it.",
        hint="Use `policygraph load` to change the graph.",
        http_hint="Send a query that only reads (MATCH … RETURN); the API never changes the graph.")


class QueryTimeout(QueryError):
    """A query ran past the configured timeout."""

    status_code = 408


class QueryTooBig(QueryError):
    """A query needed more memory than one query may use in the store."""


class Busy(PolicygraphError):
    """Too many queries at once; `retry_after_s` says when to try again (HTTP 429)."""

    status_code = 429

    def __init__(self, message: str, *, hint: str | None = None, retry_after_s: int = 1) -> None:
        super().__init__(message, hint=hint)
        self.retry_after_s = retry_after_s


class NotFound(PolicygraphError):
    """An id, query or resource that does not exist."""

    status_code = 404


class ValidationFailed(PolicygraphError):
    """Input files broke the schema; `problems` lists every one, each with its place."""

    def __init__(self, problems: list, *, hint: str | None = None) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"{count} {noun} found; nothing was written.",
            hint=hint or "Fix the places listed above and load again (use --dry-run to check).",
        )
