"""Another organization (issue 18): a fictional agency whose divisions are commissions, whose
regional offices sit inside its secretariat and whose members meet in regional associations
(tests/data/agency/). Its planted gaps are found and its controls make no finding; its report
and network page speak its own words; a baseline compares two of its versions like for like;
validation says where and what, in its files."""
from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest

from itu_graph import pipeline
from itu_graph.analysis import analyze
from itu_graph.report import build_report, render_report
from itu_graph.settings import Settings, shipped_ontology
from itu_graph.viz.export import to_bytes
from itu_graph.viz.graph import read_graph
from itu_graph.store.falkordb import FalkorLiteStore

from conftest import TEST_DATA, run_cli

AGENCY = TEST_DATA / "agency"
TODAY = "2026-11-30"
#: Every gap planted in the data (marked PLANTED there): rule and what it is about.
PLANTED = {
    ("uncoordinated-overlap", "topic-hydrology"), ("partial-coordination", "data-group"),
    ("missing-owner", "capacity-panel"), ("missing-mandate", "capacity-panel"),
    ("uncovered-strategy-element", "enabler-digital"), ("regional-gap", "ro-africa"),
    ("overdue-mandate", "mandate-report-2025"),
}
#: Words that belong to ITU's data, not to this agency's.
ITU_WORDS = ("ITU", "Sector", "sector", "inter-sectoral", "Bureau", "国际电联", "总秘书处", "代表处", "部门",
             "Council document", "Plenipotentiary", "一家")


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agency")
    settings = Settings(data_dirs=[AGENCY], ontology_dir=shipped_ontology(), db_path=folder / "agency.db")
    pipeline.load(settings)
    return settings


@pytest.fixture(scope="module")
def result(agency):
    return analyze(agency, today=TODAY)


def test_every_planted_gap_is_found_and_nothing_else_is_a_gap(result):
    assert {(f.rule, f.entities[0]) for f in result.findings} == PLANTED
    for f in result.findings:
        assert f.statements, f.id  # each rests on a completeness statement of the data


def test_controls_make_no_finding(result):
    everything = result.findings + result.questions
    about = {(f.rule, f.entities[0]) for f in everything}
    # the joint task force coordinates warnings with both commissions in it
    assert not any(e == "topic-warnings" for _, e in about)
    # the team of the task force inherits its lead and mandate
    assert not any(e == "team-warning-standards" for _, e in about)
    # the Office for Asia leads the Asian initiative; the fulfilled mandate is not overdue
    assert ("regional-gap", "ro-asia") not in about and ("overdue-mandate", "mandate-plan") not in about
    # work the office network (an aggregate) leads is asked about, never a gap, and no office is
    # expected to join it because of the network
    assert ("missing-owner", "regional-plan") in {(f.rule, f.entities[0]) for f in result.questions}
    assert not any(f.rule == "regional-gap" and "regional-plan" in f.evidence[0]["expected"] for f in everything)
    # a topic the record says nothing about is a question, not a gap
    assert ("uncoordinated-overlap", "topic-climate") in {(f.rule, f.entities[0]) for f in result.questions}


def test_the_org_chart_alone_makes_no_broker_and_no_silo(result):
    network = [f for f in result.findings + result.questions if f.rule in ("broker-dependency", "silo")]
    assert not [f for f in network if f.is_gap]  # participation is not recorded in full
    hierarchy = {"SUB_ORGANIZATION_OF", "PART_OF", "REPORTS_TO", "HEADS"}
    for f in network:
        for reasons in (f.evidence[0].get("ties") or {}).values():
            assert reasons and not set(reasons) <= hierarchy, (f.id, reasons)
    # the groups are those the agency declares: commissions, departments, regional offices
    groups = set(result.network["groups"])
    assert {"com-obs", "com-svc", "com-res", "dept-regional", "ro-africa"} <= groups
    assert "general-secretariat" not in groups and "regional-presence" not in groups


def _visible(text: str) -> str:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return _visible(" ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_and_network_page_speak_the_agencys_words(agency, result, lang):
    report = build_report(agency, lang=lang, today=TODAY, analysis=result)
    texts = {"html": _visible(render_report(report, "html").decode("utf-8")),
             "md": render_report(report, "md").decode("utf-8"),
             "docx": _docx_text(render_report(report, "docx"))}
    with FalkorLiteStore(agency.db_path) as store:
        graph = read_graph(store, pipeline.load_ontology(agency), lang=lang)
    texts["viz"] = _visible(to_bytes(graph, "html", lang=lang).decode("utf-8"))
    for fmt, text in texts.items():
        found = [w for w in ITU_WORDS if w in text]
        assert not found, (fmt, found)
    commission = "Commissions" if lang == "en" else "委员会"
    assert commission in texts["html"] and commission in texts["md"]
    # what the report says about the data is the agency's, read from the store
    rows = dict(report.completeness)
    assert rows[report_key(report, "entities")] == str(sum(1 for _ in entity_ids(agency)))


def report_key(report, key):
    from itu_graph.report.i18n import COMPLETENESS
    return COMPLETENESS[report.lang][key]


def entity_ids(settings):
    graph = pipeline.to_property_graph(pipeline.build_dataset(settings))
    return [n.properties["id"] for n in graph.nodes.values() if "CompletenessStatement" not in n.labels]


def test_a_baseline_between_two_versions_lists_exactly_the_changes(tmp_path):
    before = tmp_path / "v1"
    shutil.copytree(AGENCY, before)
    now = tmp_path / "v2"
    shutil.copytree(AGENCY, now)
    text = (now / "agency.ttl").read_text(encoding="utf-8")
    # version 2: a hydrology forum of both commissions closes the overlap; the Pacific area office closes
    text = text.replace("ex:area-pacific a ig:AreaOffice ; skos:prefLabel \"Pacific Area Office\"@en , \"太平洋地区办事处\"@zh ; "
                        "ig:subOrganizationOf ex:ro-asia ; ig:reportsTo ex:ro-asia .\n", "")
    text += ("ex:hydro-forum a ig:CoordinationGroup ; skos:prefLabel \"Hydrology Forum\"@en , \"水文论坛\"@zh ; "
             "ig:status \"ongoing\" ; ig:coordinates ex:topic-hydrology ; ig:mandatedBy ex:res-12 ; "
             "ig:supports ex:goal-water .\n"
             "ex:et-hydro ig:participatesIn ex:hydro-forum . ex:et-models ig:leads ex:hydro-forum .\n")
    (now / "agency.ttl").write_text(text, encoding="utf-8")
    settings = Settings(data_dirs=[now], ontology_dir=shipped_ontology(), db_path=tmp_path / "v2.db")
    pipeline.load(settings)
    report = build_report(settings, baseline=str(before), today=TODAY)
    c = report.changes
    assert c["entities_added"] == ["hydro-forum"] and c["entities_removed"] == ["area-pacific"]
    assert sorted(c["links_added"]) == sorted([["hydro-forum", "COORDINATES", "topic-hydrology"],
                                               ["hydro-forum", "MANDATED_BY", "res-12"],
                                               ["hydro-forum", "SUPPORTS", "goal-water"],
                                               ["et-hydro", "PARTICIPATES_IN", "hydro-forum"],
                                               ["et-models", "LEADS", "hydro-forum"]])
    assert sorted(c["links_removed"]) == sorted([["area-pacific", "SUB_ORGANIZATION_OF", "ro-asia"],
                                                 ["area-pacific", "REPORTS_TO", "ro-asia"]])
    first = Settings(data_dirs=[before], ontology_dir=shipped_ontology(), db_path=tmp_path / "v1.db")
    pipeline.load(first)
    overlap = next(f.id for f in analyze(first, today=TODAY).findings if f.rule == "uncoordinated-overlap")
    assert c["closed"] == [overlap] and c["opened"] == []


# ------------------------------------------------------------------ validation says where and what
def _validate(runner, cli_env, folder):
    return run_cli(runner, ["validate", "--data", folder], env=cli_env)


def test_a_problem_is_located_at_its_triple_not_at_the_entitys_first_mention(runner, cli_env, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    lines = (AGENCY / "agency.ttl").read_text(encoding="utf-8").splitlines()
    lines.append('ex:com-obs ig:startDate "2024" .')  # the commission was first written far above
    (folder / "agency.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _validate(runner, cli_env, folder)
    assert result.exit_code == 1
    (line,) = [l for l in result.output.splitlines() if "startDate" in l and l.startswith("Violation")]
    assert f"agency.ttl:{len(lines)} " in line
    assert 'write it with its datatype, e.g. "2024-06-04"^^xsd:date' in line


def test_an_unknown_class_is_one_error_with_suggestions(runner, cli_env, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    text = (AGENCY / "agency.ttl").read_text(encoding="utf-8").replace(
        "ex:ra-europe a ig:RegionalBody", "ex:ra-europe a ig:RegionalAssociation")
    (folder / "agency.ttl").write_text(text, encoding="utf-8")
    result = _validate(runner, cli_env, folder)
    assert result.exit_code == 1
    problems = [l for l in result.output.splitlines() if l.startswith("Violation")]
    assert len(problems) == 1, problems
    assert "unknown class" in problems[0] and "ig:RegionalBody" in problems[0] and "did you mean" in problems[0]
    assert "is not an entity in the data" not in result.output


@pytest.mark.parametrize("command", [["analyze"], ["report", "-o", "r.html"], ["viz", "-o", "v.html"],
                                     ["cypher", "RETURN 1"]])
def test_commands_that_read_the_store_say_so_when_given_data(runner, cli_env, command):
    result = run_cli(runner, [*command, "--data", AGENCY], env=cli_env)
    assert result.exit_code == 2
    assert "reads the store" in result.output and "itu-graph load --data" in result.output
