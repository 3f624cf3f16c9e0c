"""Issue 21: every input someone else controls, attacked as a hostile user or co-worker would.

Each test gives the attack as input and asserts the safe outcome (store unchanged, file
untouched, nothing injected, nothing secret printed), on the real engine and real files.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itu_graph.errors import QueryError, ReadOnlyViolation, StoreError
from itu_graph.settings import PROJECT_ROOT
from itu_graph.store.falkordb import FalkorLiteStore
from itu_graph.store.guard import procedure_calls

from conftest import run_cli


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ITU_GRAPH_"))}
    env.update(extra)
    return env


# ------------------------------------------------------------------ read-only Cypher and engine crashes
CRASHERS = [
    "CALL { CALL db.idx.fulltext.createNodeIndex('Resource', 'name') } RETURN 1",
    "MATCH (n) CALL (n) { CALL `db`.`idx`.fulltext.drop('Resource') } RETURN 1",
    "UNWIND [1] AS x CALL { WITH x CALL `db.idx.fulltext.createNodeIndex`('R', 'a') } RETURN x",
    "call {\n // a comment CALL db.labels()\n call db.idx.fulltext.createNodeIndex('R', 'a') } return 1",
]


def test_procedure_calls_are_read_as_the_engine_reads_them():
    assert procedure_calls("RETURN 'CALL db.idx.fulltext.drop(\"x\")' // CALL a.b()") == []
    assert procedure_calls("CALL db.labels() YIELD label RETURN label") == [("db.labels", 0)]
    assert procedure_calls(CRASHERS[1]) == [("db.idx.fulltext.drop", 1)]
    assert procedure_calls("CALL { CALL { CALL dbms.procedures() } }") == [("dbms.procedures", 2)]


@pytest.mark.parametrize("statement", CRASHERS)
def test_a_procedure_inside_a_subquery_never_reaches_the_engine_and_a_writer_keeps_its_writes(tmp_path, statement):
    """The crash took the server down with a sharing writer's unsaved writes, and the writer's
    close said nothing; now the statement is refused before it is sent, read-only or not."""
    db = tmp_path / "shared.db"
    writer = FalkorLiteStore(db)
    writer.run("CREATE (:AnalystNote {text: 'unsaved'})", write=True)
    for write in (False, True):
        reader = FalkorLiteStore(db)
        with pytest.raises(QueryError):
            reader.run(statement, write=write)
        reader.close()
    assert writer.run("MATCH (n:AnalystNote) RETURN count(n) AS c").rows == [{"c": 1}]
    writer.close()
    with FalkorLiteStore(db) as again:
        assert again.run("MATCH (n:AnalystNote) RETURN n.text AS t").rows == [{"t": "unsaved"}]


def test_read_only_cypher_allows_only_read_procedures(runner, cli_env):
    ok = run_cli(runner, ["cypher", "CALL db.labels() YIELD label RETURN label"], env=cli_env)
    assert ok.exit_code == 0, ok.output
    refused = run_cli(runner, ["cypher", "CALL db.idx.fulltext.createNodeIndex('Resource', 'name')"], env=cli_env)
    assert refused.exit_code == 3 and "read-only" in refused.output
    crash = run_cli(runner, ["cypher", CRASHERS[0]], env=cli_env)
    assert crash.exit_code == 3 and "CALL {" in crash.output
    with FalkorLiteStore(Path(cli_env["ITU_GRAPH_DB"])) as store:
        assert store.run("CALL db.indexes() YIELD label RETURN label").rows == []


def test_an_engine_crash_is_never_a_writers_silent_success(tmp_path):
    """The engine dies (a segfault, as the planner's) after a session wrote: its close is a
    store error (exit 4), whether or not the dead server's process has been reaped yet."""
    store = FalkorLiteStore(tmp_path / "crash.db")
    store.run("CREATE (:AnalystNote {text: 'unsaved'})", write=True)
    pid = store._db.client.pid
    os.kill(pid, signal.SIGSEGV)
    deadline = time.monotonic() + 10
    while store._db.client.pid and time.monotonic() < deadline:  # gone, not a zombie
        time.sleep(0.05)
    with pytest.raises(StoreError, match="stopped before"):
        store.close()
    assert StoreError.exit_code == 4


# ------------------------------------------------------------------ subprocess arguments
@pytest.mark.parametrize("revision", ["-o{victim}", "--output={victim}", "--remote=/nonexistent", "HEAD\n-o{victim}"])
def test_a_baseline_revision_never_reaches_git_as_an_option(tmp_path, itu_settings, revision):
    from itu_graph.errors import InputError
    from itu_graph.report.baseline import baseline_settings
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    with pytest.raises(InputError, match="neither a data folder nor a git revision"):
        with baseline_settings(itu_settings, revision.format(victim=victim)):
            pass
    assert victim.read_text() == "precious"


def test_a_baseline_revision_is_resolved_to_a_commit_first(tmp_path):
    from itu_graph.report.baseline import resolve_revision
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
    assert resolve_revision("HEAD", PROJECT_ROOT) == head
    from itu_graph.errors import InputError
    with pytest.raises(InputError):
        resolve_revision("no-such-branch-xyz", PROJECT_ROOT)
