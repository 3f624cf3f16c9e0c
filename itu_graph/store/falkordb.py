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
import struct
import time
from pathlib import Path
from typing import Any, Iterator

from redis.exceptions import BusyLoadingError, RedisError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..errors import Location, QueryError, ReadOnlyViolation, StoreError
from .base import GraphStore, Result
from . import lite_files
from .guard import check_statement

_COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
             "properties_set", "labels_added", "labels_removed", "indices_created")


# GRAPH.BULK value tags (FalkorDB's bulk_insert.c; https://docs.falkordb.com/design/bulk_spec.html)
_BI_NULL, _BI_BOOL, _BI_DOUBLE, _BI_STRING, _BI_LONG, _BI_ARRAY = range(6)
_INT64 = (-2 ** 63, 2 ** 63 - 1)


class _NotBulkable(Exception):
    """A value the bulk format cannot carry (a NUL inside a string, an integer beyond 64 bits)."""


_PACK_LONG = struct.Struct("=q").pack
_PACK_DOUBLE = struct.Struct("=d").pack
_PACK_ENDPOINTS = struct.Struct("=QQ").pack


def _encode(value: Any) -> bytes:
    """One property value in GRAPH.BULK's binary form (native byte order, as the module reads it)."""
    kind = type(value)
    if kind is str:
        if "\0" in value:
            raise _NotBulkable("NUL character in a string")  # the format's strings end at NUL
        return b"\x03" + value.encode("utf-8") + b"\0"
    if value is None:
        return b"\x00"
    if kind is bool:
        return b"\x01\x01" if value else b"\x01\x00"
    if kind is int:
        if not _INT64[0] <= value <= _INT64[1]:
            raise _NotBulkable("integer beyond 64 bits")
        return b"\x04" + _PACK_LONG(value)
    if kind is float:
        return b"\x02" + _PACK_DOUBLE(value)
    if kind is list or kind is tuple:
        return b"\x05" + _PACK_LONG(len(value)) + b"".join(map(_encode, value))
    raise _NotBulkable(f"value of type {kind.__name__}")


class _Encoder:
    """Encodes values, remembering lists of strings: most nodes and relationships share a few
    ``sources`` lists, encoded once each."""

    def __init__(self):
        self._lists: dict[tuple, bytes] = {}

    def __call__(self, value: Any) -> bytes:
        if type(value) is str and "\0" not in value:
            return b"\x03" + value.encode("utf-8") + b"\0"
        if (type(value) is list or type(value) is tuple) and all(type(v) is str for v in value):
            key = tuple(value)
            encoded = self._lists.get(key)
            if encoded is None:
                encoded = _encode(value)
                if len(self._lists) < 100_000:  # bounded: unique lists (acronyms) are not worth keeping
                    self._lists[key] = encoded
            return encoded
        return _encode(value)


def _header(name: str, keys: list[str]) -> bytes:
    return (name.encode("utf-8") + b"\0" + struct.pack("=I", len(keys))
            + b"".join(key.encode("utf-8") + b"\0" for key in keys))


def bulk_commands(nodes, relationships, batch: int):
    """GRAPH.BULK commands as (node count, edge count, blobs): nodes grouped by label set,
    then relationships by type, at most ``batch`` entities per command. Node ids are the
    order of creation, which the relationship records refer to."""
    encode = _Encoder()
    groups: dict[tuple[str, ...], list[int]] = {}
    for position, (labels, _props) in enumerate(nodes):
        groups.setdefault(tuple(labels), []).append(position)
    bulk_id = [0] * len(nodes)
    next_id = 0
    for labels, members in groups.items():
        keys = sorted({k for m in members for k in nodes[m][1]})
        for start in range(0, len(members), batch):
            chunk = members[start:start + batch]
            parts = [_header(":".join(labels), keys)]
            for m in chunk:
                props = nodes[m][1]
                parts.extend(encode(props.get(key)) for key in keys)
                bulk_id[m] = next_id
                next_id += 1
            yield len(chunk), 0, [b"".join(parts)]
    by_type: dict[str, list[tuple[int, int, dict]]] = {}
    for source, rel_type, target, props in relationships:
        by_type.setdefault(rel_type, []).append((source, target, props))
    for rel_type, rels in by_type.items():
        keys = sorted({k for _s, _t, props in rels for k in props})
        for start in range(0, len(rels), batch):
            chunk = rels[start:start + batch]
            parts = [_header(rel_type, keys)]
            for source, target, props in chunk:
                parts.append(_PACK_ENDPOINTS(bulk_id[source], bulk_id[target]))
                parts.extend(encode(props.get(key)) for key in keys)
            yield 0, len(chunk), [b"".join(parts)]


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
        self._watcher = None

    def describe(self) -> str:
        return f"FalkorDB-lite {self.db_path} (graph {self.graph_name})"

    def _connect(self):
        if self._graph is None:
            try:
                from redislite.falkordb_client import FalkorDB
            except ImportError as exc:  # pragma: no cover - dependency is required
                raise StoreError("falkordblite is not installed: pip install falkordblite") from exc
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            lite_files.prepare(self.db_path)  # no planted registry, no orphaned engine
            try:
                # analytics on large graphs run for minutes; a dead server still fails fast
                self._db = FalkorDB(str(self.db_path), socket_timeout=600)
            except Exception as exc:
                raise StoreError(f"cannot start the embedded FalkorDB: {exc}",
                                 Location(file=str(self.db_path))) from exc
            self._graph = self._db.select_graph(self.graph_name)
            if getattr(self._db.client, "running", False):  # this session started the engine
                self._watch(self._db.client)
        return self._graph

    def _stop_watcher(self) -> None:
        if self._watcher is not None:
            with contextlib.suppress(ProcessLookupError):
                self._watcher.kill()
            self._watcher.wait()
            self._watcher = None

    def _watch(self, client) -> None:
        """Start the watcher that stops this engine if every session on it dies (watchdog.py)."""
        import subprocess
        import sys
        try:
            self._watcher = subprocess.Popen(
                [sys.executable, "-m", "itu_graph.store.watchdog", str(client.pid), client.socket_file,
                 str(lite_files.registry_path(self.db_path)), client.redis_dir],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, close_fds=True,
                cwd=str(Path(__file__).resolve().parents[2]))
        except OSError:
            self._watcher = None  # without a watcher, the next session still stops an orphan

    def run(self, cypher: str, params: dict | None = None, *, write: bool = False) -> Result:
        check_statement(cypher, write=write)  # before anything: never send what crashes the engine
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

    #: entities per GRAPH.BULK command (a command is one Redis request; Redis caps those at 512 MB)
    bulk_batch = 50_000

    def bulk_create(self, nodes, relationships, progress=None) -> bool:
        """Create the graph with FalkorDB's GRAPH.BULK, its bulk loader's path into an empty
        graph: binary records, no query parsing, no per-row index lookups. The graph must hold
        nothing (an empty graph's key, left by index creation, is dropped first; the caller
        re-creates the schema). A value the format cannot carry drops what was written and
        returns False, and the caller loads with statements."""
        if self._lock_handle is None:
            self._acquire_lock()
        count = self.run("MATCH (n) RETURN count(n) AS c").rows
        if count and count[0]["c"]:
            return False
        self._connect()
        client = self._db.client
        self._dirty = True
        tick = progress or (lambda _stage, _n: None)
        try:
            if client.exists(self.graph_name):
                client.execute_command("GRAPH.DELETE", self.graph_name)
            done = {"nodes": 0, "relationships": 0}
            for number, (node_count, edge_count, blobs) in enumerate(
                    bulk_commands(nodes, relationships, self.bulk_batch)):
                # node count, edge count, node blobs, relationship blobs, then the blobs
                self._bulk_command([self.graph_name, *(["BEGIN"] if number == 0 else []), node_count, edge_count,
                                    len(blobs) if node_count else 0, 0 if node_count else len(blobs), *blobs])
                stage = "nodes" if node_count else "relationships"
                done[stage] += node_count or edge_count
                tick(stage, done[stage])
        except _NotBulkable:
            if client.exists(self.graph_name):
                client.execute_command("GRAPH.DELETE", self.graph_name)
            return False
        except RedisError as exc:
            if isinstance(exc, (RedisConnectionError, RedisTimeoutError, BusyLoadingError)):
                raise StoreError(f"embedded FalkorDB unavailable: {exc}") from exc
            raise StoreError(f"FalkorDB refused the bulk load: {exc}") from exc
        return True

    def _bulk_command(self, args: list) -> None:
        """One GRAPH.BULK request (a seam of its own, so tests can inject faults here)."""
        self._db.client.execute_command("GRAPH.BULK", *args)

    def _acquire_lock(self) -> None:
        lock_path = self.db_path.with_name(self.db_path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lite_files.check_directory(lock_path.parent)
        # never through a symlink, never another user's file; the lock itself is flock's, which
        # the kernel drops when its holder dies: a lock file left by a killed session is no lock
        handle = lite_files.open_lock_file(lock_path)
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    handle.seek(0)
                    holder = handle.read(20).strip()
                    handle.close()
                    raise StoreError(f"another process has been writing to this database for more than "
                                     f"{self.lock_timeout:.0f} s{f' (pid {holder})' if holder.isdigit() else ''}; "
                                     "try again later", Location(file=str(lock_path)))
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

    def stop_engine(self) -> bool:
        """Stop this database's engine (`itu-graph store stop`), verified to be ours, when no
        session is writing; True if there was one to stop."""
        lite_files.check_directory(self.db_path.parent)
        engine = lite_files.find_engine(self.db_path)
        if engine is None:
            return False
        self.lock_timeout = 0
        self._acquire_lock()  # a writer's unsaved work is not ours to drop
        try:
            lite_files.stop_engine(engine)
        finally:
            self._release_lock()
        return True

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
        lost: RedisError | None = None
        try:
            pid = client.pid
            if self._dirty:
                # a server that is gone (no live pid) lost this session's writes as surely as
                # one that fails the SAVE: both are reported, never a silent success
                try:
                    if not pid:
                        raise RedisConnectionError("the server is no longer running")
                    client.save()  # before anything else: another session may share this server
                except (RedisConnectionError, RedisTimeoutError, BusyLoadingError) as exc:
                    lost = exc  # the server died: nothing to save to, only to clean up
            if not pid or lost is not None or client._connection_count() <= 1:
                self._stop_watcher()  # the engine goes now: nothing left to watch
                if pid:
                    with contextlib.suppress(ProcessLookupError):
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
        if lost is not None:
            raise StoreError(f"the embedded FalkorDB stopped before this session's writes were saved ({lost}); "
                             "run the load again", Location(file=str(self.db_path))) from lost
