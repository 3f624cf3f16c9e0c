"""FalkorDB-lite: the embedded engine, a real FalkorDB started as a child process.

The database is one file (``--db`` / ``ITU_GRAPH_DB``); the server process ends with ours.
A session that writes holds an exclusive lock file next to the database from its first write
until it has saved and closed, so two writers (two loads, a load and an analysis) never
interleave: the second waits (up to ``lock_timeout`` seconds), then fails clearly. Readers
need no lock; a reading session never saves, so it cannot overwrite a newer file.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any, Iterator

from ..errors import Location, QueryError, ReadOnlyViolation, StoreError
from .base import GraphStore, Result

_COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
             "properties_set", "labels_added", "labels_removed", "indices_created")


def _plain(value: Any) -> Any:
    """Driver objects (nodes, edges, paths) as plain data, so callers never see the driver."""
    kind = type(value).__name__
    if kind == "Node":
        return {"labels": sorted(value.labels or []), "properties": dict(value.properties)}
    if kind == "Edge":
        return {"type": value.relation, "properties": dict(value.properties)}
    if kind == "Path":
        return {"nodes": [_plain(n) for n in value.nodes()], "relationships": [_plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class FalkorLiteStore(GraphStore):
    name = "falkordb"

    def __init__(self, db_path: Path, graph_name: str = "itu_graph", lock_timeout: float = 60.0):
        self.db_path = Path(db_path)
        self.graph_name = graph_name
        self.lock_timeout = lock_timeout
        self._db = None
        self._graph = None
        self._dirty = False  # only a session that wrote saves the file on close
        self._lock_handle = None

    def describe(self) -> str:
        return f"FalkorDB-lite {self.db_path} (graph {self.graph_name})"

    def _connect(self):
        if self._graph is None:
            try:
                from redislite.falkordb_client import FalkorDB
            except ImportError as exc:  # pragma: no cover - dependency is required
                raise StoreError("falkordblite is not installed: pip install falkordblite") from exc
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                # analytics on large graphs run for minutes; a dead server still fails fast
                self._db = FalkorDB(str(self.db_path), socket_timeout=600)
            except Exception as exc:
                raise StoreError(f"cannot start the embedded FalkorDB: {exc}",
                                 Location(file=str(self.db_path))) from exc
            self._graph = self._db.select_graph(self.graph_name)
        return self._graph

    def run(self, cypher: str, params: dict | None = None, *, write: bool = False) -> Result:
        if write and self._lock_handle is None:
            self._acquire_lock()
        graph = self._connect()
        self._dirty = self._dirty or write
        try:
            result = graph.query(cypher, params or {}) if write else graph.ro_query(cypher, params or {})
        except Exception as exc:
            message = str(exc)
            if "empty key" in message and not write:
                return Result([], [], {})  # the graph does not exist yet: nothing to read
            if "read-only" in message or "RO_QUERY" in message:
                raise ReadOnlyViolation("this statement writes; run it with --write "
                                        "(the store was not changed)") from exc
            if type(exc).__name__ in ("ConnectionError", "TimeoutError", "BusyLoadingError"):
                raise StoreError(f"embedded FalkorDB unavailable: {message}") from exc
            raise QueryError(f"FalkorDB refused the statement: {message}") from exc
        columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in (result.header or [])]
        rows = [dict(zip(columns, (_plain(v) for v in row))) for row in result.result_set or []]
        counters = {name: int(getattr(result, name, 0) or 0) for name in _COUNTERS}
        return Result(columns, rows, counters)

    def ensure_schema(self) -> None:
        existing = self.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
        indexed = {p for r in existing.rows if r["label"] == "Resource" for p in (r["properties"] or [])}
        for key in ("uri", "id"):  # uri: MERGE on load; id: what queries and analysts look up
            if key not in indexed:
                self.run(f"CREATE INDEX FOR (n:Resource) ON (n.{key})", write=True)
        try:
            self._connect().client.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", "Resource",
                "PROPERTIES", "1", "uri")
        except Exception as exc:
            if "already exists" not in str(exc).lower():
                raise StoreError(f"cannot create the uniqueness constraint on :Resource(uri): {exc}") from exc

    def _acquire_lock(self) -> None:
        lock_path = self.db_path.with_name(self.db_path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    handle.close()
                    raise StoreError(f"another process has been writing to this database for more than "
                                     f"{self.lock_timeout:.0f} s; try again later", Location(file=str(lock_path)))
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_handle = handle

    def _release_lock(self) -> None:
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Take the write lock now (before reading the state a load compares against); it is
        held until the session closes."""
        if self._lock_handle is None:
            self._acquire_lock()
        yield

    def close(self) -> None:
        """Save the database file, then stop the embedded server.

        Redis' SHUTDOWN takes seconds in this build (the graph module winds down its threads),
        which would dominate every short command. A session that wrote SAVEs synchronously
        first (even when another session shares the server), after which nothing is left to
        lose, so the last session stops the server with a signal and reaps it. A session that
        only read does not save: its snapshot may be older than what a writer has saved since.
        """
        if self._db is None:
            self._release_lock()
            return
        client = self._db.client
        try:
            pid = client.pid
            if pid and self._dirty:
                client.save()  # before anything else: another session may share this server
            if pid and client._connection_count() <= 1:
                os.kill(pid, signal.SIGKILL)
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
                client.connection_pool.disconnect()
                if client.redis_dir:
                    shutil.rmtree(client.redis_dir, ignore_errors=True)
                registry = getattr(client, "settingregistryfile", None)
                if registry and os.path.exists(registry):
                    os.remove(registry)
                # the server is gone: make redislite's own atexit cleanup a no-op
                client.pidfile = None
                client.redis_dir = None
            else:
                client.connection_pool.disconnect()
        finally:
            self._db = None
            self._graph = None
            self._release_lock()
