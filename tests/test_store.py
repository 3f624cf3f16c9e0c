"""Graph stores, sync with retraction, round trip, ad-hoc Cypher (issue #3), on the real engine."""
from __future__ import annotations

import json
import os
import re

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic, graph_diff, to_isomorphic

from itu_graph import neo4j_lint, pipeline
from itu_graph.cypher import Statements
from itu_graph.errors import ReadOnlyViolation
from itu_graph.rdf.mapping import to_property_graph
from itu_graph.settings import Settings, shipped_ontology
from itu_graph.store.falkordb import FalkorLiteStore
from itu_graph.store.neo4j import SCHEMA_STATEMENTS, redact_uri

from conftest import run_cli

ITU = "https://w3id.org/itu-graph/itu/"


def store_counts(store) -> tuple[int, int]:
    nodes = store.run("MATCH (n:Resource) RETURN count(n) AS c").rows[0]["c"]
    rels = store.run("MATCH (:Resource)-[r]->(:Resource) RETURN count(r) AS c").rows[0]["c"]
    return nodes, rels


def test_load_gives_the_mapped_counts_and_reload_changes_nothing(settings_for, itu_dataset):
    settings = settings_for()
    graph = to_property_graph(itu_dataset)
    first = pipeline.load(settings).counts
    assert (first.nodes_created, first.relationships_created) == graph.counts()
    second = pipeline.load(settings).counts
    assert not second.changed
    with FalkorLiteStore(settings.db_path) as store:
        assert store_counts(store) == graph.counts()
        labels = store.run("MATCH (n:Resource {id: 'itu-t'}) RETURN labels(n) AS l").rows[0]["l"]
        assert set(labels) == {"Resource", "Entity", "Agent", "OrganizationalUnit", "Division", "Sector"}


class StatementsOnly(FalkorLiteStore):
    """The real engine without its bulk path: every load goes statement by statement."""

    def bulk_create(self, nodes, relationships, progress=None):
        return False


def _load_digest(store, dataset):
    from itu_graph.sync import sync
    with store.write_lock():
        counts = sync(store, to_property_graph(dataset), dataset.ontology)
    return counts, pipeline.store_digest(store)


def test_a_bulk_first_load_equals_a_load_by_statements(tmp_path, itu_dataset):
    """GRAPH.BULK into an empty graph and UNWIND/MERGE statements leave exactly the same graph,
    the same index and constraint, and a reload of either changes nothing."""
    with FalkorLiteStore(tmp_path / "bulk.db") as bulk, StatementsOnly(tmp_path / "statements.db") as statements:
        bulk_counts, bulk_digest = _load_digest(bulk, itu_dataset)
        statement_counts, statement_digest = _load_digest(statements, itu_dataset)
        assert bulk_counts == statement_counts and bulk_counts.nodes_created == len(to_property_graph(itu_dataset).nodes)
        assert bulk_digest == statement_digest
        schema = "CALL db.indexes() YIELD label, properties RETURN label, properties"
        assert bulk.run(schema).rows == statements.run(schema).rows
        assert not _load_digest(bulk, itu_dataset)[0].changed


def test_a_value_the_bulk_format_cannot_carry_leaves_the_graph_empty_for_statements(tmp_path):
    """GRAPH.BULK strings end at NUL (validation refuses such literals; this is the guard behind it)."""
    with FalkorLiteStore(tmp_path / "nul.db") as store:
        store.ensure_schema()
        nodes = [(["Resource", "Topic"], {"uri": "urn:a", "id": "a"}), (["Resource", "Topic"], {"uri": "urn:b", "id": "b\x00"})]
        assert store.bulk_create(nodes, [(0, "BROADER", 1, {"sources": ["urn:g"]})]) is False
        assert store.run("MATCH (n) RETURN count(n) AS c").rows in ([], [{"c": 0}])


def test_retraction_removes_what_left_the_data_and_spares_analyst_nodes(settings_for, copy_data, itu_dataset):
    data = copy_data()
    settings = settings_for(data)
    pipeline.load(settings)
    with FalkorLiteStore(settings.db_path) as store:
        store.run("CREATE (:AnalystNote {text: 'keep me'})", write=True)
        store.run("MATCH (n:Resource {id: 'coco'}) CREATE (:AnalystNote {text: 'about CoCo'})-[:ABOUT]->(n)",
                  write=True)
        store.run("MATCH (n:Resource {id: 'coco'}) SET n.analyst_flag = true", write=True)
    # remove the staff town halls (the entity and all the report says of it) from the data
    path = data / "itu" / "seed-report-2024.trig"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"itu:staff-town-halls a ig:MeetingSeries ;.*?\n(?=itu:senior-management ig:leads itu:staff-town-halls)",
                  "", text, flags=re.S)
    text = text.replace("itu:senior-management ig:leads itu:staff-town-halls .\n", "")
    # and what else the report says of them: the staff take part, and it names no mandate
    text = text.replace(" ; ig:participatesIn itu:staff-town-halls .", " .")
    text = re.sub(r"itu:silent-staff-town-halls-mandate a ig:SourceSilence ;.*?\n.*?\n", "", text)
    path.write_text(text, encoding="utf-8")
    # and change one label, to see an update (every source that states it, or CoCo gets two names)
    for stating in (data / "itu").rglob("*.trig"):
        named = stating.read_text(encoding="utf-8")
        stating.write_text(named.replace('"Coordination Committee"@en', '"Coordination Committee (CoCo)"@en'),
                           encoding="utf-8")
    ingested = data / "itu" / "ingested" / "doc-itu-as-one-report-2024.trig"  # the report's mention of it too
    ingested.write_text("".join(line for line in ingested.read_text(encoding="utf-8").splitlines(keepends=True)
                                if not line.rstrip().endswith("itu/staff-town-halls> .")), encoding="utf-8")
    counts = pipeline.load(settings).counts
    assert counts.nodes_deleted == 2 and counts.nodes_updated >= 1 and counts.nodes_created == 0  # and its silence
    # LEADS, COORDINATES, PARTICIPATES_IN, the silence's STATEMENT_ABOUT and the report's MENTIONS
    assert counts.relationships_deleted == 5
    with FalkorLiteStore(settings.db_path) as store:
        assert store.run("MATCH (n:Resource {id: 'staff-town-halls'}) RETURN n").rows == []
        assert store.run("MATCH (n:AnalystNote) RETURN n.text AS t ORDER BY t").values() == ["about CoCo", "keep me"]
        coco = store.run("MATCH (n:Resource {id: 'coco'})<-[:ABOUT]-() RETURN n.name AS name, n.analyst_flag AS f").rows
        assert coco == [{"name": "Coordination Committee (CoCo)", "f": True}]
        graph = to_property_graph(pipeline.build_dataset(settings))
        assert store_counts(store) == graph.counts()
    assert not pipeline.load(settings).counts.changed


def test_removed_class_label_and_property_are_retracted(settings_for, copy_data):
    data = copy_data()
    settings = settings_for(data)
    pipeline.load(settings)
    path = data / "itu" / "seed-report-2024.trig"
    text = path.read_text(encoding="utf-8")
    text = text.replace("itu:ist-hr a ig:InterSectoralTeam ;", "itu:ist-hr a ig:TaskForce ;")
    text = text.replace('ig:status "planned" ; ig:supports itu:enabler-resource-mobilization ;',
                        "ig:supports itu:enabler-resource-mobilization ;")
    path.write_text(text, encoding="utf-8")
    counts = pipeline.load(settings).counts
    assert counts.nodes_updated == 2
    with FalkorLiteStore(settings.db_path) as store:
        labels = store.run("MATCH (n:Resource {id: 'ist-hr'}) RETURN labels(n) AS l").rows[0]["l"]
        assert "TaskForce" in labels and "InterSectoralTeam" not in labels
        status = store.run("MATCH (n:Resource {id: 'resource-mobilization-strategy'}) RETURN n.status AS s").rows
        assert status == [{"s": None}]


def test_round_trip_is_isomorphic(loaded_itu, itu_dataset):
    """Store -> RDF equals the built dataset, on what the mapping covers (see README)."""
    exported = Graph()
    import pyoxigraph as ox
    data = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in pipeline.export_quads(loaded_itu)),
                        format=ox.RdfFormat.N_TRIPLES)
    exported.parse(data=data, format="nt")
    built = itu_dataset.to_rdflib()
    for triple in list(built.triples((None, None, None))):
        if str(triple[1]) == "http://purl.org/dc/terms/source":
            built.remove(triple)
    if not isomorphic(exported, built):
        _, only_exported, only_built = graph_diff(to_isomorphic(exported), to_isomorphic(built))
        pytest.fail(f"only in export: {sorted(only_exported)[:5]}; only in build: {sorted(only_built)[:5]}")
    # and the canonical forms are the same text (no blank nodes on either side: isomorphic is equal)
    def canonical(graph):
        return sorted({f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph})
    assert canonical(exported) == canonical(built)


def test_export_formats(runner, cli_env, loaded_itu):
    env = dict(cli_env, ITU_GRAPH_DB=str(loaded_itu.db_path))
    for fmt in ("trig", "ttl", "nquads", "jsonld"):
        result = run_cli(runner, ["-q", "export", "--format", fmt], env=env)
        assert result.exit_code == 0, result.output
        assert "isc-tf" in result.output
    jsonld = json.loads(run_cli(runner, ["-q", "export", "--format", "jsonld"], env=env).stdout)
    assert jsonld


def test_cypher_refuses_writes_without_write_flag(runner, cli_env, settings_for):
    settings = settings_for()
    pipeline.load(settings)
    env = dict(cli_env, ITU_GRAPH_DB=str(settings.db_path))
    before = run_cli(runner, ["-q", "cypher", "MATCH (n) RETURN count(n) AS c", "--format", "json"], env=env)
    result = run_cli(runner, ["cypher", "CREATE (:X)"], env=env)
    assert result.exit_code == ReadOnlyViolation.exit_code
    assert "--write" in result.output and "not changed" in result.output
    after = run_cli(runner, ["-q", "cypher", "MATCH (n) RETURN count(n) AS c", "--format", "json"], env=env)
    assert json.loads(before.stdout) == json.loads(after.stdout)
    written = run_cli(runner, ["cypher", "CREATE (:X {v: $v})", "-p", "v=1", "--write"], env=env)
    assert written.exit_code == 0, written.output
    count = run_cli(runner, ["-q", "cypher", "MATCH (x:X) RETURN x.v AS v", "--format", "json"], env=env)
    assert json.loads(count.stdout) == [{"v": 1}]


def test_chinese_names_can_be_queried(runner, cli_env, loaded_itu):
    env = dict(cli_env, ITU_GRAPH_DB=str(loaded_itu.db_path))
    result = run_cli(runner, ["-q", "cypher", "MATCH (n:Resource {name_zh: $zh}) RETURN n.id AS id, n.acronyms AS a",
                              "-p", "zh=跨部门协调任务组", "--format", "json"], env=env)
    assert json.loads(result.stdout) == [{"id": "isc-tf", "a": ["ISC-TF"]}]
    csv_out = run_cli(runner, ["-q", "cypher", "MATCH (s:Sector) RETURN s.id AS id, s.name_zh AS zh ORDER BY id",
                               "--format", "csv"], env=env)
    assert csv_out.stdout.splitlines() == ["id,zh", "itu-d,国际电联电信发展部门", "itu-r,国际电联无线电通信部门",
                                           "itu-t,国际电联电信标准化部门"]


def test_a_writing_session_holds_the_lock_until_it_closes(db_path):
    from itu_graph.errors import StoreError
    writer = FalkorLiteStore(db_path, lock_timeout=0.5)
    other = FalkorLiteStore(db_path, lock_timeout=0.5)
    writer.run("CREATE (:Scratch)", write=True)  # the first write takes the lock
    with pytest.raises(StoreError, match="another process has been writing"):
        with other.write_lock():
            pass
    writer.close()
    with other.write_lock():
        other.run("MATCH (n:Scratch) DELETE n", write=True)
    other.close()


def test_neo4j_store_statements_pass_neo4js_linter(ontology):
    if not neo4j_lint.available():
        pytest.fail("Neo4j's Cypher linter is not installed: run `make setup-tests`")
    stmts = Statements(ontology)
    metric_keys = set()
    statements = {f"sync-{i}": (text, {"rows": [], "uris": []}) for i, text in enumerate(stmts.all_for_lint(metric_keys))}
    statements.update({f"schema-{i}": (text, {}) for i, text in enumerate(SCHEMA_STATEMENTS)})
    schema = ontology.schema_for_lint(("en", "zh", "fr", "ar", "ru", "es"), Statements.ROW_KEYS)
    diagnostics = neo4j_lint.lint(statements, schema)
    assert [d for d in diagnostics if d.severity == neo4j_lint.ERROR] == []
    assert [d for d in diagnostics if d.severity == neo4j_lint.WARNING] == []
    assert len(statements) > 60


def test_the_linter_catches_a_misspelt_label(ontology):
    schema = ontology.schema_for_lint(("en", "zh"))
    diagnostics = neo4j_lint.lint({"q": ("MATCH (n:Sectr) RETURN n.nam", {})}, schema)
    assert {d.severity for d in diagnostics} == {neo4j_lint.WARNING}
    assert any("Sectr" in d.message for d in diagnostics)


def test_neo4j_uris_are_redacted():
    assert redact_uri("neo4j+s://admin:s3cret@db.example.org:7687/x") == "neo4j+s://db.example.org:7687/x"
    from itu_graph.store.neo4j import Neo4jStore
    store = Neo4jStore("bolt://user:s3cret@localhost:7687", None, None)
    assert "s3cret" not in repr(store) and "s3cret" not in store.describe()


neo4j_live = pytest.mark.skipif(not os.environ.get("NEO4J_URI"),
                                reason="NEO4J_URI is not set: live Neo4j tests need a server")


@neo4j_live
@pytest.mark.neo4j
def test_live_neo4j_load_reload_retract_and_read_only(copy_data, itu_dataset):
    from itu_graph.store.neo4j import Neo4jStore
    data = copy_data()
    settings = Settings.from_env(store="neo4j", data_dirs=[data], ontology_dir=shipped_ontology())
    with Neo4jStore(settings.neo4j_uri, settings.neo4j_username, settings.neo4j_password,
                    settings.neo4j_database) as store:
        store.run("MATCH (n:Resource) DETACH DELETE n", write=True)
        first = pipeline.load(settings, store=store).counts
        assert (first.nodes_created, first.relationships_created) == to_property_graph(itu_dataset).counts()
        assert not pipeline.load(settings, store=store).counts.changed
        path = data / "itu" / "seed-report-2024.trig"
        text = path.read_text(encoding="utf-8").replace("itu:senior-management ig:leads itu:staff-town-halls .\n", "")
        path.write_text(text, encoding="utf-8")
        assert pipeline.load(settings, store=store).counts.relationships_deleted == 1
        with pytest.raises(ReadOnlyViolation):
            store.run("CREATE (:X)")


def test_every_other_statement_for_neo4j_passes_the_linter(ontology):
    """Analysis, report and viz read the store with their own statements: lint them too."""
    from itu_graph.analysis import network, run
    from itu_graph.report import model
    from itu_graph.viz import graph
    statements = {f"network-{i}": (text, {}) for i, text in enumerate(network.QUERIES)}
    statements.update({"entity-info": (run.ENTITY_INFO, {"ids": []}), "relation-sources": (run.RELATION_SOURCES, {"groups": []}),
                       "viz-nodes": (graph.READ_NODES, {}), "report-facts": (model.NODE_FACTS, {})})
    schema = ontology.schema_for_lint(("en", "zh", "fr", "ar", "ru", "es"), ("ids", "key"))
    assert [(d.statement, d.message) for d in neo4j_lint.lint(statements, schema)] == []
