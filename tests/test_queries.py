"""The query library (issue #4): every query on the real engine with known answers from the
sources, Neo4j's linter over every query, parameter checks, other organizations' data."""
from __future__ import annotations

import json

import pytest

from itu_graph import neo4j_lint, pipeline
from itu_graph.errors import ParameterError
from itu_graph.queries import load_queries, parse_query, run_query
from itu_graph.settings import Settings, shipped_ontology
from itu_graph.store.falkordb import FalkorLiteStore

from conftest import TEST_DATA, run_cli

QUERIES = load_queries()


def rows_of(store, name, **params):
    return run_query(store, QUERIES[name], params).rows


def ids(rows, column):
    return {r[column] for r in rows}


# Known answers from the seed report and the reference facts, query by query.
def check_units_of_sector(rows):
    units = ids(rows, "unit")
    assert {"tsb", "tsag", "wtsa", "itu-t-sg17", "itu-t-sg5", "jca-cop", "fg-ava", "tsb-regional-staff"} <= units
    assert not units & {"br", "bdt", "itu-r-sg1"}
    assert {r["unit"]: r["depth"] for r in rows}["tsb-regional-staff"] == 2


def check_offices_of_region(rows):
    assert ids(rows, "office") == {"ro-americas", "ao-tegucigalpa", "ao-bridgetown", "ao-santiago"}
    assert {r["office"]: r["part_of"] for r in rows}["ao-santiago"] == "ro-americas"
    assert {r["office"]: r["city"] for r in rows}["ro-americas"] == "Brasilia"


def check_reporting_lines(rows):
    lines = {(r["from"], r["relation"], r["to"]) for r in rows}
    assert {("mcg", "REPORTS_TO", "coco"), ("tsag", "ADVISES", "itu-t"), ("director-tsb", "HEADS", "tsb"),
            ("secretary-general", "HEADS", "general-secretariat"), ("isc-tf", "REPORTS_TO", "iscg")} <= lines


def check_sectors_overview(rows):
    by_id = {r["sector"]: r for r in rows}
    assert set(by_id) == {"itu-r", "itu-t", "itu-d"}
    assert by_id["itu-r"]["study_groups"] == 6 and by_id["itu-t"]["study_groups"] == 13 and by_id["itu-d"]["study_groups"] == 2
    assert all(r["mechanisms"] >= 3 for r in rows)


def check_mechanisms_for_topic(rows):
    found = {(r["mechanism"], r["via_topic"]) for r in rows}
    assert {("youth-task-force", "topic-youth"), ("gender-youth-task-force", "topic-youth"),
            ("ist-gender-youth", "topic-youth"), ("itu-youth-task-force", "topic-youth")} == found
    assert set(next(r for r in rows if r["mechanism"] == "youth-task-force")["participants"]) == \
        {"br", "tsb", "bdt", "general-secretariat"}


def check_coordination_partners(rows):
    by_id = {r["partner"]: r for r in rows}
    assert {"br", "bdt", "general-secretariat"} <= set(by_id)
    assert set(by_id["bdt"]["shared_mechanisms"]) == {"isc-tf", "ist-topics", "youth-task-force"}
    assert by_id["bdt"]["strength"] == 3 and "tsb" not in by_id


def check_coordination_path(rows):
    (row,) = rows
    assert row["path"][0] == "ro-africa" and row["path"][-1] == "tsag" and row["hops"] == len(row["path"]) - 1
    assert row["hops"] <= 4


def check_mechanisms_by_sectors(rows):
    by_id = {r["mechanism"]: r for r in rows}
    for mechanism in ("coco", "isc-tf", "iscg", "youth-task-force"):
        assert set(by_id[mechanism]["sectors"]) == {"itu-r", "itu-t", "itu-d"}, mechanism
    assert by_id["staff-town-halls"]["sector_count"] == 0


def check_mechanism_members(rows):
    members = {(r["member"], r["role"], r["sector"]) for r in rows}
    assert ("deputy-secretary-general", "LEADS", None) in members
    assert {("br", "PARTICIPATES_IN", "itu-r"), ("tsb", "PARTICIPATES_IN", "itu-t"),
            ("bdt", "PARTICIPATES_IN", "itu-d"), ("general-secretariat", "PARTICIPATES_IN", None)} <= members


def check_multi_sector_topics(rows):
    by_id = {r["topic"]: set(r["sectors"]) for r in rows}
    assert by_id["topic-accessibility"] == {"itu-r", "itu-t", "itu-d"}   # seed: the three Sectors' accessibility work
    assert by_id["topic-climate-action"] == {"itu-r", "itu-t", "itu-d"}  # seed: climate activities of the Bureaux
    assert by_id["topic-cybersecurity"] == {"itu-t", "itu-d"}            # reference: SG17, WTDC Res 45
    assert by_id["topic-imt"] == {"itu-t", "itu-r"}
    assert "topic-ai" not in by_id  # only ITU-T (and the GS) in the sources


def check_duplicate_initiatives(rows):
    pairs = {(r["initiative"], r["other"]) for r in rows}
    assert ("environmental-policy", "green-digital-action") in pairs
    assert ("now-itu-d", "now-itu-r") in pairs
    row = next(r for r in rows if (r["initiative"], r["other"]) == ("itu-academy", "learning-lab"))
    assert row["shared_topics"] == ["topic-capacity-development"] and row["shared_elements"] == ["enabler-hr-innovation"]


def check_initiatives_per_strategy_element(rows):
    by_id = {r["element"]: r for r in rows}
    assert len([r for r in rows if r["kind"] == "Enabler"]) >= 7
    assert {"ai-for-good", "wsis-forum", "partner2connect", "sdg-digital"} == set(by_id["enabler-partnerships"]["supporters"])
    assert by_id["enabler-resource-mobilization"]["ongoing"] == 0  # the strategy is planned
    assert by_id["goal-1"]["supporters"] == []


def check_unsupported_strategy_elements(rows):
    assert {"enabler-resource-mobilization", "goal-1", "goal-2"} <= ids(rows, "element")


def check_unlinked_initiatives(rows):
    unlinked = ids(rows, "initiative")
    assert {"giga", "equals", "commitment-values"} <= unlinked
    assert not unlinked & {"changemakers", "itu-academy", "harmonized-hr-processes"}


def check_strategy_alignment_matrix(rows):
    cells = {(r["element"], r["sector"]): set(r["initiatives"]) for r in rows}
    assert cells[("enabler-diversity-inclusion", "itu-r")] >= {"now-itu-r", "youth-task-force"}
    assert ("enabler-environment", "itu-r") not in cells


def check_mechanism_mandates(rows):
    by_id = {r["mechanism"]: r["mandates"] for r in rows}
    assert by_id["iscg"] == ["res-wtdc-59"]
    assert "res-pp-191" in by_id["isc-tf"]  # and the service orders that set its terms of reference
    assert sorted(by_id["coco"]) == ["itu-constitution-convention", "res-pp-108"]
    assert by_id["staff-town-halls"] == []


def check_mandates_due(rows):
    by_id = {r["mandate"]: r for r in rows}
    assert by_id["mandate-report-council-2024"]["fulfilled_by"] == ["doc-itu-as-one-report-2024"]
    assert by_id["mandate-report-council-2024"]["due"] == "2024-06-04" and not by_id["mandate-report-council-2024"]["overdue"]
    assert by_id["mandate-report-pp-26"]["overdue"] is True  # due at PP-26 (9 Nov 2026), no output recorded


def check_document_assertions(rows):
    triples = {(r["subject"], r["relation"], r["object"]) for r in rows}
    assert ("isc-tf", "COORDINATES", "topic-inter-sectoral-coordination") in triples
    assert ("doc-itu-as-one-report-2024", "CITES", "res-pp-191") in triples
    assert len(rows) >= 150
    assert not any(r["subject"] == "itu-t-sg17" for r in rows)  # not in the seed


def check_citing_documents(rows):
    assert ids(rows, "document") == {"doc-itu-as-one-report-2024", "c17-38"}  # seed cites it; C17/38 reports on it


def check_entity_sources(rows):
    assert "https://w3id.org/itu-graph/itu/doc-itu-as-one-report-2024" in rows[0]["entity_sources"]
    assert "https://www.itu.int/en/general-secretariat/Pages/intersectoral-coordination.aspx" in rows[0]["entity_sources"]
    lead = next(r for r in rows if r["relation"] == "LEADS")
    assert lead["other"] == "deputy-secretary-general" and lead["direction"] == "in"


def check_find_entity(rows):
    assert {"isc-tf", "iscg", "coco", "mcg"} <= ids(rows, "id")


def check_sector_topic_coverage(rows):
    cells = {(r["sector"], r["topic"]): r["count"] for r in rows}
    assert cells[("itu-t", "topic-cybersecurity")] >= 2 and cells[("itu-d", "topic-cybersecurity")] >= 1
    assert ("itu-r", "topic-cybersecurity") not in cells


def check_topic_scheme(rows):
    by_id = {r["topic"]: r for r in rows}
    assert by_id["topic-climate-action"]["broader"] == "topic-climate-environment"
    assert by_id["theme-digital-inclusion"]["narrower"] >= 4


def check_rule_uncoordinated_overlap(rows):
    topics = ids(rows, "topic")
    # accessibility is not among them: JCA-AHF gathers people of the three Sectors (its 2013 report)
    assert {"topic-climate-action", "topic-cybersecurity", "topic-imt", "topic-gender"} <= topics
    assert "topic-accessibility" not in topics
    gender = next(r for r in rows if r["topic"] == "topic-gender")
    assert {"gender-youth-task-force", "ist-gender-youth"} <= {m["id"] for m in gender["mechanisms"]}


def check_rule_unaligned_activity(rows):
    assert {("giga", "initiative"), ("mcg", "mechanism")} <= {(r["entity"], r["kind"]) for r in rows}
    assert "coco" not in ids(rows, "entity")


def check_rule_uncovered_strategy_element(rows):
    reasons = {r["element"]: r["reason"] for r in rows}
    assert reasons["enabler-resource-mobilization"] == "no ongoing initiative supports it"
    assert reasons["enabler-environment"].startswith("the plan expects all divisions")
    assert "enabler-diversity-inclusion" not in reasons  # expected of all, served by all three


def check_rule_regional_gap(rows):
    # the work that serves each region (regional initiatives); the aggregate's regional action plans
    # do not make each office responsible, and Asia-Pacific takes part in its work
    assert ids(rows, "office") == {"ro-africa", "ro-americas", "ro-cis", "ro-europe"}  # Arab States office takes part
    assert all("regional-action-plans" not in r["expected"] for r in rows)
    assert "wtdc22-ri-africa" in next(r for r in rows if r["office"] == "ro-africa")["expected"]


def check_rule_missing_owner(rows):
    owners_missing = ids(rows, "entity")
    assert {"changemakers", "wsis-forum", "mcg"} <= owners_missing
    assert "ai-for-good" not in owners_missing  # ITU organizes it (IISD's report on the summit)
    assert "ist-hr" not in owners_missing  # a team of the ISC-TF: led by its chair
    assert not owners_missing & {"isc-tf", "coco", "itu-academy", "partner2connect"}
    assert "regional-action-plans" in owners_missing  # led by an aggregate only: asked who of its members leads


def check_rule_missing_mandate(rows):
    missing = ids(rows, "mechanism")
    assert {"mcg", "staff-town-halls", "senior-management-retreat"} <= missing
    assert not missing & {"iscg", "isc-tf", "coco"}


def check_rule_overdue_mandate(rows):
    assert [(r["mandate"], r["due"], r["due_at"]) for r in rows] == [("mandate-report-pp-26", "2026-11-09", ["pp-26"])]


def check_rule_partial_coordination(rows):
    # the IoT-security correspondence group (ITU-T study groups) coordinates cybersecurity, which
    # ITU-D works on too: whether that is a gap depends on its full membership (a question)
    assert any(r["mechanism"] == "jcg-iotsec" and r["missing"] == ["itu-d"] for r in rows)


def check_empty_on_itu_data(rows):
    assert rows == []


EXPECTED = {
    "units-of-sector": check_units_of_sector, "offices-of-region": check_offices_of_region,
    "reporting-lines": check_reporting_lines, "sectors-overview": check_sectors_overview,
    "mechanisms-for-topic": check_mechanisms_for_topic, "coordination-partners": check_coordination_partners,
    "coordination-path": check_coordination_path, "mechanisms-by-sectors": check_mechanisms_by_sectors,
    "mechanism-members": check_mechanism_members, "multi-sector-topics": check_multi_sector_topics,
    "duplicate-initiatives": check_duplicate_initiatives,
    "initiatives-per-strategy-element": check_initiatives_per_strategy_element,
    "unsupported-strategy-elements": check_unsupported_strategy_elements,
    "unlinked-initiatives": check_unlinked_initiatives, "strategy-alignment-matrix": check_strategy_alignment_matrix,
    "mechanism-mandates": check_mechanism_mandates, "mandates-due": check_mandates_due,
    "document-assertions": check_document_assertions, "citing-documents": check_citing_documents,
    "entity-sources": check_entity_sources, "find-entity": check_find_entity,
    "sector-topic-coverage": check_sector_topic_coverage, "topic-scheme": check_topic_scheme,
    "rule-uncoordinated-overlap": check_rule_uncoordinated_overlap,
    "rule-partial-coordination": check_rule_partial_coordination,
    "rule-unaligned-activity": check_rule_unaligned_activity,
    "rule-uncovered-strategy-element": check_rule_uncovered_strategy_element,
    "rule-regional-gap": check_rule_regional_gap, "rule-missing-owner": check_rule_missing_owner,
    "rule-missing-mandate": check_rule_missing_mandate, "rule-overdue-mandate": check_rule_overdue_mandate,
}
METRIC_QUERIES = {"top-brokers", "silo-scores"}


def test_the_library_has_enough_queries_and_each_has_an_expectation():
    assert len(QUERIES) >= 20 + 8
    assert set(QUERIES) == set(EXPECTED) | METRIC_QUERIES
    categories = {q.category for q in QUERIES.values()}
    assert {"structure", "coordination", "overlap", "alignment", "mandates", "provenance", "metrics", "rules"} <= categories


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_on_itu_data(itu_store, name):
    query = QUERIES[name]
    params = {p.name: p.example for p in query.params}
    if "today" in params:
        params["today"] = "2026-11-28"
    rows = run_query(itu_store, query, params).rows
    EXPECTED[name](rows)


def test_metric_queries_after_analysis(analyzed_itu):
    with FalkorLiteStore(analyzed_itu.db_path) as store:
        brokers = rows_of(store, "top-brokers", limit=5)
        assert len(brokers) == 5
        assert brokers == sorted(brokers, key=lambda r: -r["betweenness"])
        silos = rows_of(store, "silo-scores")
        assert silos and all(-1 <= r["ei_index"] <= 1 for r in silos)


def lint_schema(ontology):
    return ontology.schema_for_lint(("en", "zh", "fr", "ar", "ru", "es"))


def test_every_query_passes_neo4js_linter(ontology):
    statements = {q.name: (q.text, q.example_params()) for q in QUERIES.values() if "neo4j" in q.engines}
    diagnostics = neo4j_lint.lint(statements, lint_schema(ontology))
    assert [(d.statement, d.message) for d in diagnostics] == []


def test_a_misspelt_label_in_a_query_file_fails_the_lint(ontology, tmp_path):
    text = QUERIES["units-of-sector"].path.read_text(encoding="utf-8").replace("(s:Division", "(s:Divison")
    path = tmp_path / "units-of-sector.cypher"
    path.write_text(text, encoding="utf-8")
    bad = parse_query(path)
    diagnostics = neo4j_lint.lint({bad.name: (bad.text, bad.example_params())}, lint_schema(ontology))
    assert any("Divison" in d.message for d in diagnostics)


def test_an_undeclared_parameter_fails_the_lint(ontology, tmp_path):
    query = QUERIES["units-of-sector"]
    diagnostics = neo4j_lint.lint({query.name: (query.text, {})}, lint_schema(ontology))
    assert any(d.severity == neo4j_lint.ERROR and "sector" in d.message for d in diagnostics)


def test_parameters_are_checked(itu_store):
    with pytest.raises(ParameterError, match="needs parameter sector"):
        run_query(itu_store, QUERIES["units-of-sector"], {})
    with pytest.raises(ParameterError, match="has no parameter colour"):
        run_query(itu_store, QUERIES["units-of-sector"], {"sector": "itu-t", "colour": "red"})
    assert rows_of(itu_store, "multi-sector-topics")  # min_divisions has a default


def test_query_cli_runs_each_query(runner, cli_env, loaded_itu):
    env = dict(cli_env, ITU_GRAPH_DB=str(loaded_itu.db_path))
    listing = json.loads(run_cli(runner, ["query", "list", "--format", "json"], env=env).stdout)
    assert {r["name"] for r in listing} == set(QUERIES)
    for name, query in QUERIES.items():
        args = ["-q", "query", "run", name, "--format", "json"]
        for p in query.params:
            if not p.default:
                args += ["-p", f"{p.name}={json.dumps(p.example, ensure_ascii=False)}"]
        result = run_cli(runner, args, env=env)
        assert result.exit_code == 0, (name, result.output)
        rows = json.loads(result.stdout)
        if name not in METRIC_QUERIES and EXPECTED[name] is not check_empty_on_itu_data:
            assert rows, name
    missing = run_cli(runner, ["query", "run", "units-of-sector"], env=env)
    assert missing.exit_code == 2 and "needs parameter sector" in missing.output
    shown = run_cli(runner, ["query", "show", "coordination-path"], env=env)
    assert "// name: coordination-path" in shown.output and "MATCH p =" in shown.output


def test_queries_work_on_another_organizations_data(tmp_path):
    settings = Settings(data_dirs=[TEST_DATA / "other-org"], ontology_dir=shipped_ontology(), db_path=tmp_path / "nw.db")
    pipeline.load(settings)
    with FalkorLiteStore(settings.db_path) as store:
        assert ids(rows_of(store, "units-of-sector", sector="supply"), "unit") == {"supply-office"}
        assert {(r["topic"], tuple(sorted(r["sectors"]))) for r in rows_of(store, "multi-sector-topics")} == \
            {("topic-leaks", ("quality", "supply"))}
        assert ids(rows_of(store, "rule-uncoordinated-overlap"), "topic") == {"topic-leaks"}
        assert ids(rows_of(store, "mechanisms-for-topic", topic="topic-sampling"), "mechanism") == {"ops-committee"}
        assert rows_of(store, "mechanism-mandates") == [{"mechanism": "ops-committee", "name": "Operations Committee",
                                                         "mandates": ["res-1"]}]
        assert ids(rows_of(store, "citing-documents", id="res-1"), "document") == {"annual-report"}
        path = rows_of(store, "coordination-path", **{"from": "supply-office", "to": "quality-office"})
        assert path[0]["path"] == ["supply-office", "ops-committee", "quality-office"]
        assert ids(rows_of(store, "rule-uncovered-strategy-element"), "element") == {"enabler-people"}
        for name, query in QUERIES.items():  # every query runs on this data too
            run_query(store, query, {p.name: p.example for p in query.params if not p.default})


def test_queries_doc_is_in_sync(tmp_path):
    from itu_graph.query_docs import queries_markdown
    from itu_graph.settings import PROJECT_ROOT, shipped_data
    committed = (PROJECT_ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    fresh = queries_markdown(Settings(data_dirs=[shipped_data()], ontology_dir=shipped_ontology(), db_path=tmp_path / "d.db"))
    assert committed == fresh, "docs/queries.md is stale: run `make docs`"
