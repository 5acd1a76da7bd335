"""The data directory is private: directories 700, files 600, owned by the user who runs us.

The store's AOF files hold the whole graph, so no other local user may read them. Whatever we
create there is created private (`PRIVATE_UMASK` for the store's server, mode 600 for our own
files); a directory left too open by an older version or by hand is made private at start, with
a warning naming each path, and one owned by someone else is refused.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from graph.errors import ConfigError

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077  # for the redis-server child: its directories come out 700, files 600
DIR_MODE = 0o700
FILE_MODE = 0o600
# What the store and the app keep in the data directory. Only these are fixed: the directory
# may be one a person chose (POLICYGRAPH_HOME), whose other contents are not ours to touch.
OWN_ENTRIES = ("appendonlydir", "store.sock", "store.pid", "store.log", ".start.lock",
               "login.code", "import")


def secure_home(home: Path) -> list[Path]:
    """Make `home` and what we keep in it private; returns the paths whose modes were fixed.

    Refuses (ConfigError) a directory owned by another user: we could not make it private, and
    its owner could read or replace the store's files.
    """
    info = home.stat()
    if info.st_uid != os.getuid():
        raise ConfigError(
            f"The data directory {home} belongs to another user (uid {info.st_uid}), "
            "who could read or replace the store's files.",
            hint="Set POLICYGRAPH_HOME to a directory of your own.",
        )
    fixed = [path for path in _own_paths(home) if _make_private(path)]
    for path in fixed:
        log.warning("%s was readable by other users; made it private (%s).", path,
                    "700" if path.is_dir() else "600")
    return fixed


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` as a file only its owner can read, replacing it atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def open_private(path: Path):
    """Open (create) `path` for writing with mode 600, for lock files and the like."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE), "w")


def _own_paths(home: Path) -> Iterator[Path]:
    yield home
    for name in OWN_ENTRIES:
        path = home / name
        if path.is_dir() and not path.is_symlink():
            yield path
            yield from path.rglob("*")
        elif path.exists() or path.is_symlink():
            yield path


def _make_private(path: Path) -> bool:
    """chmod `path` to 700/600 if group or others have any access; True when it changed."""
    if path.is_symlink():
        return False
    mode = stat.S_IMODE(path.stat().st_mode)
    want = DIR_MODE if path.is_dir() else FILE_MODE
    if not mode & 0o077:
        return False
    try:
        os.chmod(path, want)
    except OSError as exc:
        raise ConfigError(f"{path} is readable by other users and cannot be made private: "
                          f"{exc.strerror}.",
                          hint=f"Run `chmod {want:o} {path}` or set POLICYGRAPH_HOME elsewhere.") from exc
    return True
