"""The bundled dataset's nodes, kept beside the user's other caches between runs.

`extract` resolves agencies and document numbers against every node of the dataset; reading
its YAML is 0.45 s of a one-notice extraction of 0.8 s. The nodes are the same from one run to
the next unless a dataset file or the reader changes, so they are kept as JSON under
`$XDG_CACHE_HOME/policygraph/` (else `~/.cache/policygraph/`), named by a hash of every file
that decides them: the dataset's data files, the loaders' code and the schema. Any change to
one of them names another file, so a stale copy is never read. A cache that cannot be read or
written is passed over: the files are read as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
Node = tuple[str, str, dict[str, Any]]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policygraph"


def _fingerprint(data_dir: Path) -> str:
    """A hash of everything the nodes read from `data_dir` depend on."""
    from loaders.read import FORMATS

    digest = hashlib.sha256()
    data = sorted(p for p in data_dir.rglob("*") if p.suffix.lower() in FORMATS and p.is_file())
    code = sorted((REPO / "loaders").glob("*.py")) + [REPO / "graph" / "schema.yaml",
                                                      REPO / "graph" / "schema.py"]
    for path in data + code:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cached_nodes(data_dir: Path, read: Callable[[], list[Node]]) -> list[Node]:
    """The nodes of `data_dir`: from the cache when it holds them for these files, else
    `read()`, then kept for the next run."""
    try:
        path = cache_dir() / f"dataset-{_fingerprint(data_dir)}.json"
    except OSError:
        return read()
    try:
        return [(node_id, label, props)
                for node_id, label, props in json.loads(path.read_text("utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    nodes = read()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("dataset-*.json"):  # only the latest is ever read again
            if old != path:
                old.unlink(missing_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(nodes, ensure_ascii=False), "utf-8")
        partial.replace(path)  # whole or not at all, with another run writing beside it
    except (OSError, TypeError, ValueError):
        pass
    return nodes
