"""All settings in one class: environment variables `POLICYGRAPH_*` and `NEO4J_*`.

The CLI, the API and the README read their help from here, so a setting is declared once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path(user_data_dir("policygraph", appauthor=False))


class Settings(BaseSettings):
    """policygraph's configuration. Every field is an environment variable."""

    model_config = SettingsConfigDict(env_prefix="POLICYGRAPH_", extra="ignore")

    home: Path = Field(
        default_factory=_default_home,
        description="Data directory of the embedded store (socket, AOF files, pidfile, log); "
        "kept private: directories 700, files 600.",
    )
    graph: str = Field(default="policygraph", description="Name of the graph inside the store.")
    host: str = Field(default="127.0.0.1", description="Address the API binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the API listens on.")
    query_timeout_ms: int = Field(
        default=10_000, ge=1, description="Timeout of ad-hoc and named read queries, in ms."
    )
    warm_on_start: bool = Field(
        default=True,
        description="Read the derived states the briefing pages serve (and /risk's default "
        "answer) as the API starts, before it answers: the first request then pays no cold read.",
    )
    row_limit: int = Field(
        default=10_000, ge=1, description="Most rows an ad-hoc or named query returns."
    )
    page_size: int = Field(
        default=100, ge=1,
        description="Rows an API answer carries when the request names no `limit` (at most "
        "row_limit); `offset` and `next_offset` page through the rest.",
    )
    # -- read-query limits (issue 14): what one query may cost the store and the answer ---
    query_max_length: int = Field(
        default=20_000, ge=1, description="Most characters a read query may have."
    )
    query_max_depth: int = Field(
        default=8, ge=1,
        description="Most levels of nested brackets ((), [], {}) in a read query or its "
        "parameters: the store's parser time doubles with each level.",
    )
    # -- the read-query gate (issue 29): the query's token structure, lists and the request --
    query_max_tokens: int = Field(
        default=5_000, ge=1, description="Most tokens (words, numbers, operators) in a read query."
    )
    query_max_chain: int = Field(
        default=8, ge=1,
        description="Most prefix operators (NOT, unary - or +) in a row in a read query: the "
        "store's parse time doubles with each.",
    )
    query_max_case_depth: int = Field(
        default=4, ge=1, description="Most levels of nested CASE in a read query."
    )
    query_max_nesting: int = Field(
        default=16, ge=1,
        description="Most levels of brackets, CASE and prefix operators nested together in a "
        "read query.",
    )
    query_max_list_items: int = Field(
        default=10_000_000, ge=1,
        description="Most numbers a range() with literal or parameter bounds may make, and most "
        "items in a list parameter of a read query.",
    )
    cypher_crash_strikes: int = Field(
        default=3, ge=1,
        description="Ad-hoc queries from one client that stop the store (which is restarted) "
        "within POLICYGRAPH_CYPHER_CRASH_WINDOW_S before that client gets 429.",
    )
    cypher_crash_window_s: float = Field(
        default=300, gt=0,
        description="Seconds over which those store-stopping queries are counted.",
    )
    request_max_bytes: int = Field(
        default=1_000_000, ge=1,
        description="Largest request body the API reads, in bytes; larger ones get 413 before "
        "they are read.",
    )
    upload_max_bytes: int = Field(
        default=32_000_000, ge=1,
        description="Largest document the review desk takes (POST /api/review/read), in bytes: "
        "signed notices come as PDFs of a few MB; larger ones get 413 before they are read.",
    )
    query_memory_mb: int = Field(
        default=1024, ge=1,
        description="Memory one query may allocate in the embedded store, in MB (FalkorDB's "
        "QUERY_MEM_CAPACITY); beyond it the query stops with a message.",
    )
    store_memory_mb: int = Field(
        default=4096, ge=0,
        description="Address space of the embedded store's process, in MB (RLIMIT_AS; 0: no "
        "limit), so a single huge allocation fails in the store, never on the machine.",
    )
    store_threads: int = Field(
        default=4, ge=1, description="Query threads of the embedded store (THREAD_COUNT)."
    )
    store_queue: int = Field(
        default=64, ge=1,
        description="Queries the embedded store queues beyond its threads before it refuses "
        "more (MAX_QUEUED_QUERIES; the API answers 429).",
    )
    store_timeout_max_ms: int = Field(
        default=120_000, ge=1,
        description="Longest any query may run in the embedded store, whoever sends it "
        "(TIMEOUT_MAX; at least POLICYGRAPH_QUERY_TIMEOUT_MS).",
    )
    cypher_concurrency: int = Field(
        default=2, ge=1,
        description="Ad-hoc Cypher queries one API process runs at once; more get 429 with "
        "Retry-After.",
    )
    export_concurrency: int = Field(
        default=1, ge=1,
        description="Whole-graph or query exports one API process runs at once; more get 429.",
    )
    answer_max_bytes: int = Field(
        default=16_000_000, ge=1,
        description="Most bytes of rows (as JSON) one answer carries; beyond it the answer is "
        "cut and says so (`truncated`, `next_offset`).",
    )
    home_summary_tasks: int = Field(
        default=2_000, ge=0,
        description="Above this many tasks in the graph the home page draws the national "
        "picture (laws and the provinces or agencies whose tasks they block, with counts) "
        "instead of every blocked task.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list); none by default."
    )
    batch_size: int = Field(default=5_000, ge=1, description="Rows per UNWIND write batch.")
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "::1"],
        description="Host names the API answers to (JSON list; the bind host is always added, "
        "`*.example.org` matches subdomains, `*` any host); others get 400.",
    )
    token: SecretStr | None = Field(
        default=None,
        description="When set, every request but /api/health needs `Authorization: Bearer` "
        "with it, or the cookie of a one-time login URL that `serve` prints.",
    )
    uds: Path | None = Field(
        default=None, description="Serve on this unix socket instead of host and port."
    )
    uds_mode: Literal["600", "660"] = Field(
        default="600", description="Mode of the unix socket: 600 (you only) or 660 (your group too)."
    )
    write_lock_timeout_s: float = Field(
        default=600.0, ge=0,
        description="How long a load waits for another writer of the same graph to finish, "
        "in seconds, before it gives up with a message (0: refuse at once).",
    )
    neo4j_uri: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_URI", "POLICYGRAPH_NEO4J_URI"),
        description="Bolt URI of a Neo4j server or cluster (neo4j://host:7687); "
        "when set, Neo4j is used instead of the embedded store.",
    )
    neo4j_user: str = Field(
        default="neo4j",
        validation_alias=AliasChoices("NEO4J_USER", "POLICYGRAPH_NEO4J_USER"),
        description="Neo4j user name.",
    )
    neo4j_password: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_PASSWORD", "POLICYGRAPH_NEO4J_PASSWORD"),
        description="Neo4j password.",
    )
    neo4j_database: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_DATABASE", "POLICYGRAPH_NEO4J_DATABASE"),
        description="Neo4j database name (default: the server's default database).",
    )

    @property
    def backend(self) -> str:
        return "neo4j" if self.neo4j_uri else "falkordb"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
