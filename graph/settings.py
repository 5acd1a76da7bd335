"""All settings in one class: environment variables `POLICYGRAPH_*` and `NEO4J_*`.

The CLI, the API and the README read their help from here, so a setting is declared once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    return Path(user_data_dir("policygraph", appauthor=False))


class Settings(BaseSettings):
    """policygraph's configuration. Every field is an environment variable."""

    model_config = SettingsConfigDict(env_prefix="POLICYGRAPH_", extra="ignore")

    home: Path = Field(
        default_factory=_default_home,
        description="Data directory of the embedded store (socket, AOF files, pidfile, log).",
    )
    graph: str = Field(default="policygraph", description="Name of the graph inside the store.")
    host: str = Field(default="127.0.0.1", description="Address the API binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the API listens on.")
    query_timeout_ms: int = Field(
        default=10_000, ge=1, description="Timeout of ad-hoc and named read queries, in ms."
    )
    row_limit: int = Field(
        default=10_000, ge=1, description="Most rows an ad-hoc or named query returns."
    )
    page_size: int = Field(
        default=100, ge=1,
        description="Rows an API answer carries when the request names no `limit` (at most "
        "row_limit); `offset` and `next_offset` page through the rest.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list); none by default."
    )
    batch_size: int = Field(default=5_000, ge=1, description="Rows per UNWIND write batch.")
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
