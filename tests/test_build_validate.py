"""Foundation: the ontology, the seed dataset, build, validate, stats (issue #2)."""
from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from itu_graph import pipeline
from itu_graph.docs import schema_markdown
from itu_graph.errors import InputError
from itu_graph.rdf.build import build
from itu_graph.rdf.mapping import to_property_graph
from itu_graph.settings import PROJECT_ROOT, Settings, shipped_ontology

from conftest import SEED_GRAPH, TEST_DATA, run_cli

ITU = "https://w3id.org/itu-graph/itu/"


def test_shipped_data_conforms(runner, cli_env):
    result = run_cli(runner, ["validate", "--no-warnings"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "conforms: 0 violation(s)" in result.output


@pytest.mark.parametrize("case, exit_code, expected", [
    ("missing-zh", 1, ["missing-zh.ttl:6", "topic-no-zh", "Chinese (@zh)"]),
    ("unknown-class", 1, ["unknown-class.ttl:6", "mystery", "unknown class", "Sectr"]),
    ("broken", 2, ["broken.ttl:6:", "syntax error"]),
])
def test_bad_data_is_rejected_with_file_line_and_entity(runner, cli_env, tmp_path, case, exit_code, expected):
    folder = tmp_path / case
    folder.mkdir()
    shutil.copy(TEST_DATA / "bad" / f"{case}.ttl", folder)
    result = run_cli(runner, ["validate", "--data", folder], env=cli_env)
    assert result.exit_code == exit_code, result.output
    for text in expected:
        assert text in result.output


def test_validate_json_lists_the_violation(runner, cli_env, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(TEST_DATA / "bad" / "missing-zh.ttl", folder)
    import json
    result = run_cli(runner, ["-q", "validate", "--data", folder, "--format", "json"], env=cli_env)
    report = json.loads(result.stdout)
    assert report["conforms"] is False and report["violations"] == 1
    (problem,) = [p for p in report["problems"] if p["severity"] == "Violation"]
    assert problem["focus"] == "https://example.org/bad/topic-no-zh" and problem["line"] == 6


def test_not_utf8_names_the_line(tmp_path, ontology):
    folder = tmp_path / "enc"
    folder.mkdir()
    (folder / "latin1.ttl").write_bytes(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:x> skos:prefLabel \"Genève\"@fr .\n"
        .encode("latin-1"))
    with pytest.raises(InputError) as info:
        build(ontology, [folder])
    assert info.value.location.line == 2 and "UTF-8" in str(info.value)


def test_seed_content_is_in_the_graph(itu_dataset):
    """At least 80 entities and 150 relationships asserted by the seed, all with en and zh names
    (its source remarks, what the report leaves unsaid, carry no names)."""
    graph = to_property_graph(itu_dataset)
    seed_nodes = [n for n in graph.nodes.values() if SEED_GRAPH in n.properties["sources"]
                  and "SourceRemark" not in n.labels]
    seed_rels = [k for k, sources in graph.relationships.items() if SEED_GRAPH in sources]
    assert len(seed_nodes) >= 80
    assert len(seed_rels) >= 150
    for node in seed_nodes:
        assert node.properties.get("name") and node.properties.get("name_zh"), node.uri


SEED_MECHANISMS = ["coco", "mcg", "mcg-plus", "isc-tf", "ist-topics", "ist-conferences", "ist-transformation",
                   "ist-financial-planning", "ist-hr", "ist-change-management", "ist-gender-youth",
                   "gender-youth-task-force", "council-preparation", "senior-management-retreat",
                   "staff-town-halls", "youth-task-force", "iscg"]
SEED_ENABLERS = ["enabler-hr-innovation", "enabler-resource-mobilization", "enabler-partnerships",
                 "enabler-environment", "enabler-diversity-inclusion", "enabler-regional-presence",
                 "enabler-member-driven"]
SEED_DOCUMENTS = {"cwg-fhr-16-13-add1": "CWG-FHR-16/13(Add.1)", "c24-inf-4": "C24/INF/4", "c24-49": "C24/49",
                  "c24-52": "C24/52", "c23-125": "C23/125", "c23-76": "C23/76", "c24-25": "C24/25",
                  "c24-35": "C24/35"}
SEED_RESOLUTIONS = ["res-pp-71", "res-pp-25", "res-pp-191", "dec-pp-5", "res-itu-r-75"]


def test_seed_mechanisms_enablers_documents_and_resolutions_are_present_and_linked(itu_dataset):
    graph = to_property_graph(itu_dataset)
    out_types: dict[str, set] = {}
    in_types: dict[str, set] = {}
    for key in graph.relationships:
        out_types.setdefault(key.source, set()).add(key.type)
        in_types.setdefault(key.target, set()).add(key.type)
    for mechanism in SEED_MECHANISMS:
        node = graph.nodes[ITU + mechanism]
        assert "CoordinationMechanism" in node.labels, mechanism
        assert out_types.get(node.uri, set()) & {"COORDINATES", "ASSISTS"}, f"{mechanism} coordinates nothing"
    for enabler in SEED_ENABLERS:
        node = graph.nodes[ITU + enabler]
        assert "Enabler" in node.labels and "PART_OF" in out_types[node.uri]
        assert "SUPPORTS" in in_types[node.uri], f"no initiative serves {enabler}"
    seed_report = ITU + "doc-itu-as-one-report-2024"
    cited = {k.target for k in graph.relationships if k.source == seed_report and k.type == "CITES"}
    for doc, symbol in SEED_DOCUMENTS.items():
        assert graph.nodes[ITU + doc].properties["symbol"] == symbol
        assert ITU + doc in cited
    for resolution in SEED_RESOLUTIONS:
        assert "Instrument" in graph.nodes[ITU + resolution].labels
        assert ITU + resolution in cited


def test_seed_initiatives_under_each_enabler(itu_dataset):
    graph = to_property_graph(itu_dataset)
    serves = {}
    for key in graph.relationships:
        if key.type == "SUPPORTS":
            serves.setdefault(key.target.removeprefix(ITU), set()).add(key.source.removeprefix(ITU))
    assert {"changemakers", "risk-management", "transformation-roadmap", "itu-academy", "learning-lab",
            "website-strategy"} <= serves["enabler-hr-innovation"]
    assert {"ai-for-good", "wsis-forum", "partner2connect", "sdg-digital"} <= serves["enabler-partnerships"]
    assert {"environmental-policy", "green-digital-action"} <= serves["enabler-environment"]
    assert {"accessibility-policy", "now-itu-r", "now-itu-t", "now-itu-d", "youth-task-force",
            "un-code-of-conduct"} <= serves["enabler-diversity-inclusion"]
    assert {"regional-action-plans"} <= serves["enabler-regional-presence"]
    assert {"iscg", "sector-members-overview"} <= serves["enabler-member-driven"]


def test_another_organization_builds_and_validates(runner, cli_env):
    result = run_cli(runner, ["validate", "--data", TEST_DATA / "other-org"], env=cli_env)
    assert result.exit_code == 0, result.output
    settings = Settings(data_dirs=[TEST_DATA / "other-org"], ontology_dir=shipped_ontology())
    figures = pipeline.statistics(pipeline.build_dataset(settings))
    assert figures["entities"] == 18 and figures["entities_per_label"]["Sector"] == 2


def test_superclasses_are_inferred(itu_dataset):
    graph = to_property_graph(itu_dataset)
    assert graph.nodes[ITU + "isc-tf"].labels == ["Agent", "CoordinationMechanism", "Entity", "Resource", "TaskForce"]
    types = {q.object.value for q in itu_dataset.all_quads()
             if q.subject.value == ITU + "isc-tf" and q.predicate.value.endswith("#type")}
    assert "http://www.w3.org/ns/org#OrganizationalCollaboration" in types


def test_build_writes_a_dataset_that_reads_back(runner, cli_env, tmp_path, itu_dataset):
    out = tmp_path / "itu.trig"
    result = run_cli(runner, ["build", "-o", out], env=cli_env)
    assert result.exit_code == 0, result.output
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
    assert len(quads) == len(itu_dataset)


def test_stats_counts(runner, cli_env, itu_dataset):
    import json
    result = run_cli(runner, ["stats", "--format", "json"], env=cli_env)
    figures = json.loads(result.stdout)
    graph = to_property_graph(itu_dataset)
    remarks = figures["entities_per_label"].get("SourceRemark", 0)
    assert figures["entities"] + remarks == len(graph.nodes) and figures["source_remarks"] == remarks
    assert figures["relationships"] == len(graph.relationships)
    # every entity is named in Chinese; source remarks (completeness statements, silences) carry no names
    assert figures["labels_per_language"]["zh"] == figures["entities"] == figures["entities_with_en_and_zh"]
    assert sum(figures["relationships_per_type"].values()) == figures["relationships"]
    assert figures["quads"] == len(itu_dataset.quads) >= figures["triples"]


def test_stats_count_a_fact_once_and_as_checkable_when_one_web_source_states_it(tmp_path):
    """A triple the seed file and a web page both state is one fact, stated by a public source;
    mechanism coverage counts a silence for the lead, never for participants."""
    from itu_graph import pipeline
    from itu_graph.settings import Settings, shipped_ontology
    head = ("@prefix ig: <https://w3id.org/itu-graph/ontology#> . @prefix ex: <https://example.org/t/> .\n"
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .\n")
    (tmp_path / "local.ttl").write_text(
        head + 'ex:tf a ig:TaskForce ; skos:prefLabel "TF"@en , "任务组"@zh .\n'
               'ex:u a ig:Bureau ; skos:prefLabel "U"@en , "局"@zh ; ig:participatesIn ex:tf .\n', encoding="utf-8")
    (tmp_path / "page.trig").write_text(
        head + '<https://example.org/page> { ex:tf a ig:TaskForce ; skos:prefLabel "TF"@en .\n'
               '  ex:t a ig:Topic ; skos:prefLabel "T"@en , "题"@zh . ex:tf ig:coordinates ex:t .\n'
               '  ex:s a ig:SourceSilence ; ig:statementAbout ex:tf ; ig:aspect "lead" ; '
               'dcterms:source <https://example.org/page> . }\n', encoding="utf-8")
    figures = pipeline.statistics(pipeline.build_dataset(Settings(data_dirs=[tmp_path], ontology_dir=shipped_ontology())))
    assert figures["quads"] == 17 and figures["triples"] == 15  # type and English name of tf stated twice
    assert figures["triples_in_url_graphs"] == 10
    assert figures["entities"] == 3 and figures["source_remarks"] == 1
    (tf,) = figures["mechanism_coverage"]
    assert tf["found"] == {"participants": "recorded", "topics": "recorded", "lead": "source silent"}
    assert tf["missing"] == ["mandate"] and figures["mechanisms_described"] == 0


def test_mechanism_coverage_counts_a_lead_and_a_mandate_as_the_rules_do(tmp_path):
    """Through what it is part of or inside (up to three levels), a mandate by an instrument it
    implements, and never a lead by an aggregate whose members do not act for it."""
    from itu_graph import pipeline
    from itu_graph.settings import Settings, shipped_ontology
    head = ("@prefix ig: <https://w3id.org/itu-graph/ontology#> . @prefix ex: <https://example.org/t/> .\n"
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n")
    named = lambda i, cls, *facts: f'ex:{i} a {cls} ; skos:prefLabel "{i}"@en , "{i}（中）"@zh' + "".join(  # noqa: E731
        f" ; {f}" for f in facts) + " .\n"
    (tmp_path / "org.ttl").write_text(head + named("u", "ig:Bureau") + named("t", "ig:Topic")
                                      + named("rule", "ig:Resolution") + named("code", "ig:Instrument")
                                      + named("board", "ig:Team , ig:Aggregate")
                                      + named("whole", "ig:TaskForce", "ig:coordinates ex:t", "ig:mandatedBy ex:rule")
                                      + named("mid", "ig:TaskForce", "ig:coordinates ex:t", "ig:subOrganizationOf ex:whole")
                                      + named("team", "ig:InterSectoralTeam", "ig:coordinates ex:t", "ig:partOf ex:mid",
                                              "ig:implements ex:code")
                                      + "ex:u ig:leads ex:whole . ex:board ig:leads ex:team .\n"
                                      + "ex:u ig:participatesIn ex:whole , ex:mid , ex:team .\n", encoding="utf-8")
    figures = pipeline.statistics(pipeline.build_dataset(Settings(data_dirs=[tmp_path], ontology_dir=shipped_ontology())))
    by_id = {c["id"]: c["found"] for c in figures["mechanism_coverage"]}
    assert by_id["mid"] == {"participants": "recorded", "topics": "recorded", "lead": "inherited", "mandate": "inherited"}
    assert by_id["team"]["lead"] == "inherited" and by_id["team"]["mandate"] == "recorded"  # the board does not lead
    assert set(by_id) == {"whole", "mid", "team"} and figures["mechanisms_described"] == 3


def test_schema_doc_is_in_sync(ontology):
    committed = (PROJECT_ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == schema_markdown(ontology), "docs/schema.md is stale: run `itu-graph docs`"


def test_every_class_and_property_has_en_and_zh_labels(ontology):
    for info in list(ontology.classes.values()) + list(ontology.properties.values()):
        assert info.labels.get("en") and info.labels.get("zh"), info.iri


def test_itu_data_coverage_and_sources(itu_dataset):
    """Issue #11: at least 200 entities and 500 relationships, all named in English and Chinese,
    95% of facts stated by a source document or page, and the data validates."""
    from itu_graph.rdf.build import FILE_GRAPH_PREFIX
    from itu_graph.rdf.validate import validate
    graph = to_property_graph(itu_dataset)
    assert len(graph.nodes) >= 200 and len(graph.relationships) >= 500
    assert all(n.properties.get("name") and n.properties.get("name_zh") for n in graph.nodes.values()
               if "SourceRemark" not in n.labels)  # remarks about sources carry no names
    documents = {uri for uri, n in graph.nodes.items() if "Document" in n.labels}
    sourced = [q for q in itu_dataset.quads
               if q.graph_name.value in documents or q.graph_name.value.startswith(("http://", "https://"))
               and not q.graph_name.value.startswith(FILE_GRAPH_PREFIX)]
    assert len(sourced) / len(itu_dataset.quads) >= 0.95
    reference_graphs = {q.graph_name.value for q in itu_dataset.quads if q.graph_name.value.startswith("http")} - documents
    assert len(reference_graphs) >= 100  # public pages of the reference file, one graph each
    assert validate(itu_dataset).conforms
    confidence = {n.properties.get("confidence") for n in graph.nodes.values()}
    assert "unverified" not in confidence and {"confirmed", "partial"} <= confidence
