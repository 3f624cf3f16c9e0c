"""Coordination analytics (issue #5): rules on small constructed organizations where the right
answer is known, metrics against reference values, stable ids, the ITU findings."""
from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from itu_graph import pipeline
from itu_graph.analysis import analyze
from itu_graph.analysis.metrics import betweenness, brokerage, constraint, effective_size, ei_index, normalized_mutual_information
from itu_graph.settings import Settings, shipped_ontology

from conftest import run_cli

PREFIXES = """@prefix ig: <https://w3id.org/itu-graph/ontology#> .
@prefix ex: <https://example.org/t/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def entity(name: str, cls: str, label: str, *facts: str) -> str:
    body = f'ex:{name} a ig:{cls} ; skos:prefLabel "{label}"@en , "{label}（中文）"@zh'
    return body + "".join(f" ; {f}" for f in facts) + " .\n"


BASE = (entity("org", "Organization", "Org")
        + entity("sa", "Sector", "Sector A", "ig:subOrganizationOf ex:org", 'skos:altLabel "SA"')
        + entity("sb", "Sector", "Sector B", "ig:subOrganizationOf ex:org", 'skos:altLabel "SB"')
        + entity("ua", "Bureau", "Unit A", "ig:subOrganizationOf ex:sa")
        + entity("ub", "Bureau", "Unit B", "ig:subOrganizationOf ex:sb")
        + entity("topic", "Topic", "Water quality")
        + entity("plan", "StrategicPlan", "Plan")
        + entity("enabler", "Enabler", "People", "ig:partOf ex:plan"))


def findings_for(tmp_path, ttl: str, rule: str, name: str = "org", **kwargs):
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "org.ttl").write_text(PREFIXES + BASE + ttl, encoding="utf-8")
    settings = Settings(data_dirs=[folder], ontology_dir=shipped_ontology(), db_path=tmp_path / f"{name}.db")
    pipeline.load(settings)
    result = analyze(settings, rules=[rule], today="2026-11-28", **kwargs)
    return [f for f in result.findings + result.questions if f.rule == rule]


def test_uncoordinated_overlap_appears_and_a_joint_mechanism_removes_it(tmp_path):
    overlap = "ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic .\n"
    (finding,) = findings_for(tmp_path, overlap, "uncoordinated-overlap", "before")
    assert finding.entities[0] == "topic" and set(finding.evidence[0]["divisions"]) == {"sa", "sb"}
    assert finding.title.startswith("Water quality: 2 Sectors work on it (SA, SB)") or \
        finding.title.startswith("Water quality: 2 Sectors work on it (SB, SA)")
    assert finding.sources == ["urn:itu-graph:file:org.ttl"]
    joint = overlap + entity("joint", "TaskForce", "Joint task force", "ig:coordinates ex:topic") + \
        "ex:ua ig:participatesIn ex:joint . ex:ub ig:leads ex:joint .\n"
    assert findings_for(tmp_path, joint, "uncoordinated-overlap", "after") == []


def statement(about: str, aspect: str, none: bool = False) -> str:
    """A completeness statement (or, with ``none``, a no-value statement) about ``ex:about``."""
    return (f"ex:cs-{about}-{aspect} a ig:CompletenessStatement ; ig:statementAbout ex:{about} ; "
            f'ig:aspect "{aspect}"' + (" ; ig:noValue true" if none else "") + " .\n")


def kinds(found) -> list[tuple[str, str]]:
    return sorted((f.entities[0], "gap" if f.is_gap else "question") for f in found)


def test_overlap_is_a_question_until_the_record_says_no_mechanism_coordinates_it(tmp_path):
    overlap = "ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic .\n"
    (question,) = findings_for(tmp_path, overlap, "uncoordinated-overlap", "q")
    assert question.basis == "unrecorded" and question.title.endswith("does a mechanism coordinate it among them?")
    assert any("coordinate Water quality" in s for s in question.to_settle)
    (gap,) = findings_for(tmp_path, overlap + statement("topic", "coordination", none=True), "uncoordinated-overlap", "g")
    assert gap.basis == "recorded" and gap.statements[0]["id"] == "cs-topic-coordination"
    assert gap.title.startswith("Water quality: 2 Sectors work on it")


def test_overlap_with_a_mechanism_whose_participants_are_unknown_is_a_question(tmp_path):
    data = ("ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic .\n"
            + entity("tf", "TaskForce", "Water task force", "ig:coordinates ex:topic") + statement("topic", "coordination"))
    (question,) = findings_for(tmp_path, data, "uncoordinated-overlap", "q")
    assert not question.is_gap and any("who takes part in Water task force" in s for s in question.to_settle)
    joined = data + "ex:ua ig:participatesIn ex:tf . ex:ub ig:participatesIn ex:tf .\n"
    assert findings_for(tmp_path, joined, "uncoordinated-overlap", "j") == []
    # any body that coordinates counts as a mechanism, whatever its class
    body = ("ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic .\n"
            + entity("wp", "StudyGroup", "Joint study group", "ig:coordinates ex:topic")
            + "ex:ua ig:participatesIn ex:wp . ex:ub ig:participatesIn ex:wp .\n")
    assert findings_for(tmp_path, body, "uncoordinated-overlap", "b") == []


def test_an_overlap_is_reported_once_at_the_broadest_topic(tmp_path):
    data = (entity("water", "Topic", "Water") + "ex:topic ig:broader ex:water .\n"
            + "ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic . ex:ua ig:worksOn ex:water . ex:ub ig:worksOn ex:water .\n"
            + statement("water", "coordination", none=True))
    found = findings_for(tmp_path, data, "uncoordinated-overlap")
    assert kinds(found) == [("water", "gap")]


def test_a_mechanism_of_one_sector_is_partial_coordination_when_its_members_are_known(tmp_path):
    data = ("ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic .\n"
            + entity("solo", "Committee", "A-only committee", "ig:coordinates ex:topic") + "ex:ua ig:leads ex:solo .\n")
    (question,) = findings_for(tmp_path, data, "partial-coordination", "p")
    assert question.evidence[0]["missing"] == ["sb"] and not question.is_gap
    (gap,) = findings_for(tmp_path, data + statement("solo", "participants"), "partial-coordination", "g")
    assert gap.is_gap and gap.entities[:2] == ["solo", "topic"]
    fixed = data + "ex:ub ig:participatesIn ex:solo .\n"
    assert findings_for(tmp_path, fixed, "partial-coordination", "f") == []
    # the same mechanism on a broader topic: one finding, at the broader topic
    nested = (data + statement("solo", "participants") + entity("water", "Topic", "Water")
              + "ex:topic ig:broader ex:water . ex:solo ig:coordinates ex:water .\n")
    assert [(f.evidence[0]["topic"], f.is_gap) for f in findings_for(tmp_path, nested, "partial-coordination", "n")] \
        == [("water", True)]


def test_a_mechanism_on_a_broader_topic_covers_the_narrower_one(tmp_path):
    data = ("ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic .\n" + entity("water", "Topic", "Water")
            + "ex:topic ig:broader ex:water .\n" + entity("joint", "Committee", "Water committee", "ig:coordinates ex:water")
            + "ex:ua ig:participatesIn ex:joint . ex:ub ig:participatesIn ex:joint .\n")
    assert findings_for(tmp_path, data, "uncoordinated-overlap") == []


def test_unaligned_activity(tmp_path):
    data = entity("pilot", "Project", "Pilot", 'ig:status "ongoing"') + "ex:ua ig:leads ex:pilot .\n"
    assert kinds(findings_for(tmp_path, data, "unaligned-activity", "a")) == [("pilot", "question")]
    assert kinds(findings_for(tmp_path, data + statement("pilot", "strategy", none=True), "unaligned-activity", "s")) \
        == [("pilot", "gap")]
    # unknown status is neither ongoing nor ended: a question even with the statement
    unknown = data.replace(' ; ig:status "ongoing"', "") + statement("pilot", "strategy", none=True)
    (question,) = findings_for(tmp_path, unknown, "unaligned-activity", "u")
    assert not question.is_gap and any("status" in s for s in question.to_settle)
    aligned = data + "ex:pilot ig:supports ex:enabler .\n"
    assert findings_for(tmp_path, aligned, "unaligned-activity", "b") == []
    inherited = (data + entity("prog", "Programme", "Programme", "ig:supports ex:enabler") + "ex:pilot ig:partOf ex:prog .\n")
    assert findings_for(tmp_path, inherited, "unaligned-activity", "i") == []


def test_uncovered_strategy_element(tmp_path):
    assert kinds(findings_for(tmp_path, "", "uncovered-strategy-element", "a")) == [("enabler", "question")]
    (gap,) = findings_for(tmp_path, statement("enabler", "supporters"), "uncovered-strategy-element", "s")
    assert gap.is_gap and gap.evidence[0]["reason"] == "no ongoing initiative supports it"
    served = entity("pilot", "Project", "Pilot", 'ig:status "ongoing"', "ig:supports ex:enabler") + "ex:ua ig:leads ex:pilot .\n"
    assert findings_for(tmp_path, served, "uncovered-strategy-element", "b") == []
    expects_all = served + 'ex:enabler ig:expectedSectors "all" .\n' + statement("enabler", "supporters")
    (one_sector,) = findings_for(tmp_path, expects_all, "uncovered-strategy-element", "c")
    assert one_sector.evidence[0]["divisions"] == ["sa"] and one_sector.is_gap
    both = expects_all + "ex:ub ig:participatesIn ex:pilot .\n"
    assert findings_for(tmp_path, both, "uncovered-strategy-element", "d") == []
    # support of a part (a target of the element) counts for the whole
    part = (entity("target", "Target", "Target 1", "ig:partOf ex:enabler")
            + entity("pilot", "Project", "Pilot", 'ig:status "ongoing"', "ig:supports ex:target"))
    assert findings_for(tmp_path, part, "uncovered-strategy-element", "p") == [] or \
        all(f.entities[0] != "enabler" for f in findings_for(tmp_path, part, "uncovered-strategy-element", "p2"))


def test_regional_gap(tmp_path):
    data = (entity("north", "Region", "North")
            + entity("office", "RegionalOffice", "North office", "ig:servesRegion ex:north")
            + entity("ri", "Programme", "North regional initiative", 'ig:status "ongoing"', "ig:servesRegion ex:north"))
    (question,) = findings_for(tmp_path, data, "regional-gap", "a")
    assert question.entities == ["office", "north", "ri"] and not question.is_gap
    (gap,) = findings_for(tmp_path, data + statement("ri", "participants"), "regional-gap", "g")
    assert gap.is_gap
    joined = data + "ex:office ig:participatesIn ex:ri .\n"
    assert findings_for(tmp_path, joined, "regional-gap", "b") == []
    # work an aggregate of offices leads is not each office's, unless its members act for it
    aggregate = (entity("presence", "FieldOffice", "Regional presence") + "ex:presence a ig:Aggregate .\n"
                 + "ex:office ig:subOrganizationOf ex:presence . ex:presence ig:leads ex:ri .\n")
    assert len(findings_for(tmp_path, data + aggregate, "regional-gap", "c")) == 1
    acting = data + aggregate + "ex:presence ig:membersAct true .\n"
    assert findings_for(tmp_path, acting, "regional-gap", "d") == []


def test_missing_owner_and_missing_mandate(tmp_path):
    data = entity("joint", "TaskForce", "Joint task force", "ig:coordinates ex:topic", 'ig:status "ongoing"') + \
        "ex:ua ig:participatesIn ex:joint .\n"
    assert kinds(findings_for(tmp_path, data, "missing-owner", "a")) == [("joint", "question")]
    assert kinds(findings_for(tmp_path, data, "missing-mandate", "b")) == [("joint", "question")]
    stated = data + statement("joint", "lead", none=True) + statement("joint", "mandate", none=True)
    assert kinds(findings_for(tmp_path, stated, "missing-owner", "s1")) == [("joint", "gap")]
    assert kinds(findings_for(tmp_path, stated, "missing-mandate", "s2")) == [("joint", "gap")]
    fixed = data + "ex:ub ig:leads ex:joint .\n" + entity("res", "Resolution", "Resolution 1") + \
        "ex:joint ig:mandatedBy ex:res .\n"
    assert findings_for(tmp_path, fixed, "missing-owner", "c") == []
    assert findings_for(tmp_path, fixed, "missing-mandate", "d") == []


def test_a_source_silence_keeps_the_question_and_names_the_source_already_read(tmp_path):
    """A source that describes the body and names no chair is not a statement that there is none:
    the finding stays a question, and it cites that source as read."""
    tor = "https://example.org/tor"
    data = (entity("joint", "TaskForce", "Joint task force", "ig:coordinates ex:topic", 'ig:status "ongoing"')
            + "ex:ua ig:participatesIn ex:joint .\n")
    silent = (f"<{tor}> {{ ex:silent-joint-lead a ig:SourceSilence ; ig:statementAbout ex:joint ; "
              f'ig:aspect "lead" ; <http://purl.org/dc/terms/source> <{tor}> . }}\n')
    folder = tmp_path / "silent"
    folder.mkdir()
    (folder / "org.ttl").write_text(PREFIXES + BASE + data, encoding="utf-8")
    (folder / "tor.trig").write_text(PREFIXES + silent, encoding="utf-8")
    settings = Settings(data_dirs=[folder], ontology_dir=shipped_ontology(), db_path=tmp_path / "silent.db")
    pipeline.load(settings)
    result = analyze(settings, rules=["missing-owner", "missing-mandate"], today="2026-11-28")
    assert result.findings == []
    by_rule = {q.rule: q for q in result.questions}
    assert by_rule["missing-owner"].checked[0]["id"] == "silent-joint-lead"
    assert by_rule["missing-owner"].checked[0]["sources"] == [tor]
    assert by_rule["missing-mandate"].checked == []  # silent on the lead says nothing of the mandate
    # the report prints the source already read, numbered in its bibliography
    from itu_graph.report import build_report, render_report
    for lang, words in (("en", "Already read, and it names none: \\["), ("zh", "已查阅、未载明的来源: \\[")):
        md = render_report(build_report(settings, lang=lang, today="2026-11-28"), "md").decode("utf-8")
        assert words in md and tor in md, lang


def test_a_team_inherits_lead_and_mandate_from_what_it_is_part_of(tmp_path):
    data = (entity("res", "Resolution", "Resolution 1") + entity("dsg", "Post", "Deputy head")
            + entity("tf", "TaskForce", "Task force", "ig:coordinates ex:topic", "ig:mandatedBy ex:res", 'ig:status "ongoing"')
            + entity("team", "InterSectoralTeam", "Team one", "ig:partOf ex:tf", "ig:coordinates ex:topic", 'ig:status "ongoing"')
            + "ex:dsg ig:leads ex:tf .\n")
    assert findings_for(tmp_path, data, "missing-owner", "a") == []
    assert findings_for(tmp_path, data, "missing-mandate", "b") == []
    # a part of an unled whole: one finding, on the whole
    unled = data.replace("ex:dsg ig:leads ex:tf .\n", "")
    assert kinds(findings_for(tmp_path, unled, "missing-owner", "c")) == [("tf", "question")]


def test_an_aggregate_is_no_lead_and_never_a_finding_itself(tmp_path):
    data = (entity("officials", "Team", "Elected officials") + "ex:officials a ig:Aggregate .\n"
            + entity("action", "Programme", "Action plan", 'ig:status "ongoing"') + "ex:officials ig:leads ex:action .\n"
            + entity("group", "CoordinationGroup", "Senior group", 'ig:status "ongoing"') + "ex:group a ig:Aggregate .\n")
    found = findings_for(tmp_path, data, "missing-owner", "a")
    assert kinds(found) == [("action", "question")] and found[0].ask == ["officials"]


def test_overdue_mandate(tmp_path):
    data = (entity("board", "Council", "Board") + entity("session", "ConferenceSession", "Board 2026",
                                                          "ig:sessionOf ex:board", 'ig:startDate "2026-06-01"^^xsd:date')
            + entity("res", "Resolution", "Resolution 9")
            + entity("ask", "Mandate", "Report to the Board", "ig:assignedTo ex:ua", "ig:dueAt ex:session",
                     "ig:mandatedBy ex:res"))
    (question,) = findings_for(tmp_path, data, "overdue-mandate", "a")
    assert question.evidence[0]["due"] == "2026-06-01" and not question.is_gap and question.ask == ["ua"]
    (gap,) = findings_for(tmp_path, data + statement("ask", "output", none=True), "overdue-mandate", "g")
    assert gap.is_gap and "Report on its status to Board 2026" in gap.suggested_action
    later = data.replace("2026-06-01", "2027-06-01")
    assert findings_for(tmp_path, later, "overdue-mandate", "b") == []
    done = data + entity("report", "Document", "The report") + "ex:ask ig:fulfilledBy ex:report .\n"
    assert findings_for(tmp_path, done, "overdue-mandate", "c") == []


def test_broker_dependency_and_its_second_channel(tmp_path):
    # a field office tied to the rest only through Unit A's committee
    data = (entity("office", "RegionalOffice", "North office")
            + entity("m1", "Committee", "Committee one", "ig:coordinates ex:topic")
            + "ex:ua ig:participatesIn ex:m1 . ex:office ig:participatesIn ex:m1 .\n"
            + entity("m0", "Committee", "Committee zero", "ig:coordinates ex:topic")
            + entity("uc", "Bureau", "Unit C", "ig:subOrganizationOf ex:sb")
            + "ex:ua ig:participatesIn ex:m0 . ex:ub ig:participatesIn ex:m0 . ex:uc ig:participatesIn ex:m0 .\n")
    found = [f for f in findings_for(tmp_path, data, "broker-dependency", "a") if f.severity == "high"]
    by_broker = {f.entities[0]: f for f in found}
    assert by_broker["ua"].evidence[0]["cut_off"] == [["office"]] and not by_broker["ua"].is_gap
    recorded = data + statement("office", "participation")
    assert [f.is_gap for f in findings_for(tmp_path, recorded, "broker-dependency", "r") if f.severity == "high"] == [True]
    second = data + entity("m2", "Committee", "Committee two", "ig:coordinates ex:topic") + \
        "ex:ub ig:participatesIn ex:m2 . ex:office ig:participatesIn ex:m2 .\n"
    assert [f for f in findings_for(tmp_path, second, "broker-dependency", "b") if f.severity == "high"] == []


def test_hierarchy_alone_makes_no_broker_and_no_silo(tmp_path):
    # a parent and its parts: structure, not coordination
    data = (entity("ro", "RegionalOffice", "Regional office")
            + "".join(entity(f"ao{i}", "AreaOffice", f"Area office {i}", "ig:subOrganizationOf ex:ro", "ig:reportsTo ex:ro")
                      for i in range(3))
            + entity("m0", "Committee", "Committee zero", "ig:coordinates ex:topic")
            + "ex:ua ig:participatesIn ex:m0 . ex:ro ig:participatesIn ex:m0 .\n")
    assert findings_for(tmp_path, data, "broker-dependency", "a") == []
    assert findings_for(tmp_path, data, "silo", "b") == []


def test_the_organization_itself_is_no_broker_between_its_parts(tmp_path):
    """The organization leads an initiative with one unit and another with a partner: that is no
    channel between them (it contains every agent), so no broker-dependency names it."""
    data = (entity("partner", "ExternalOrganization", "Partner")
            + entity("i1", "Programme", "Programme one", 'ig:status "ongoing"')
            + entity("i2", "Programme", "Programme two", 'ig:status "ongoing"')
            + "ex:org ig:leads ex:i1 , ex:i2 . ex:ua ig:participatesIn ex:i1 . ex:partner ig:participatesIn ex:i2 .\n"
            + entity("m0", "Committee", "Committee zero", "ig:coordinates ex:topic")
            + entity("uc", "Bureau", "Unit C", "ig:subOrganizationOf ex:sb")
            + "ex:ua ig:participatesIn ex:m0 . ex:ub ig:participatesIn ex:m0 . ex:uc ig:participatesIn ex:m0 .\n")
    found = findings_for(tmp_path, data, "broker-dependency", "a")
    assert not any("org" in f.entities for f in found)
    # the same ties through a unit do make it a broker, worded for one agent cut off
    through_unit = data.replace("ex:org ig:leads ex:i1 , ex:i2 .", "ex:ub ig:leads ex:i1 , ex:i2 .")
    (broker,) = findings_for(tmp_path, through_unit, "broker-dependency", "b")
    assert broker.entities[:2] == ["ub", "partner"] and broker.title.startswith("Does Partner coordinate")


def test_silo(tmp_path):
    units = "".join(entity(f"a{i}", "Bureau", f"A unit {i}", "ig:subOrganizationOf ex:sa") for i in range(4))
    data = units + entity("inner", "Committee", "Inner committee", "ig:coordinates ex:topic") + \
        "".join(f"ex:a{i} ig:participatesIn ex:inner .\n" for i in range(4))
    found = findings_for(tmp_path, data, "silo", "a")
    assert any(f.entities[0] == "sa" and f.severity == "high" and not f.is_gap for f in found)
    recorded = data + "".join(statement(f"a{i}", "participation") for i in range(4))
    assert any(f.entities[0] == "sa" and f.is_gap for f in findings_for(tmp_path, recorded, "silo", "r"))
    open_up = data + entity("cross", "Committee", "Cross committee", "ig:coordinates ex:topic") + \
        "".join(f"ex:a{i} ig:participatesIn ex:cross .\n" for i in range(4)) + \
        "".join(f"ex:b{i} ig:participatesIn ex:cross .\n" for i in range(4)) + \
        "".join(entity(f"b{i}", "Bureau", f"B unit {i}", "ig:subOrganizationOf ex:sb") for i in range(4))
    assert not any(f.entities[0] == "sa" for f in findings_for(tmp_path, open_up, "silo", "b"))


def test_probable_duplicates_are_questions(tmp_path):
    data = (entity("yt1", "TaskForce", "Youth Task Force", 'skos:altLabel "YTF"')
            + entity("yt2", "TaskForce", "The youth task-force") + entity("other", "TaskForce", "Other", 'skos:altLabel "YTF"')
            + entity("mcg", "CoordinationGroup", "Management group", 'skos:altLabel "MCG"')
            + entity("mcgp", "CoordinationGroup", "Management group plus", 'skos:altLabel "MCG+"')
            + entity("topic-people", "Topic", "People"))
    found = findings_for(tmp_path, data, "probable-duplicate")
    assert sorted(tuple(f.entities) for f in found) == [("other", "yt1"), ("yt1", "yt2")]
    assert all(not f.is_gap for f in found)


# ------------------------------------------------------------------ metrics against references
def weighted_random_graph(n, m, seed):
    graph = nx.gnm_random_graph(n, m, seed=seed)
    for k, (u, v) in enumerate(graph.edges()):
        graph[u][v]["weight"] = 1 + (k * 7 + seed) % 4
    graph.add_node("isolated")
    return graph


@pytest.mark.parametrize("weight", [None, "weight"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_constraint_and_effective_size_equal_networkx(weight, seed):
    """Against networkx's pure-Python definitions (``nodes=`` given). networkx 3.7's own sparse
    shortcut for effective_size (``nodes=None``) disagrees with its definition on weighted
    graphs, so it is not the reference."""
    graph = weighted_random_graph(120, 360, seed)
    nodes = list(graph)
    for ours, reference in ((constraint(graph, weight), nx.constraint(graph, nodes=nodes, weight=weight)),
                            (effective_size(graph, weight), nx.effective_size(graph, nodes=nodes, weight=weight))):
        for node, value in reference.items():
            if math.isnan(value):
                assert math.isnan(ours[node])
            else:
                assert abs(ours[node] - value) <= 1e-9


def test_constraint_on_borgattis_example():
    """The ego network of Borgatti (1997) 'Structural holes: unpacking Burt's redundancy
    measures': ego A with alters B-F, ties B-C, B-D, C-D (networkx's own test uses it)."""
    graph = nx.Graph([("A", x) for x in "BCDEF"] + [("B", "C"), ("B", "D"), ("C", "D")])
    assert effective_size(graph)["A"] == pytest.approx(nx.effective_size(graph)["A"])
    assert effective_size(graph)["A"] == pytest.approx(5 - 2 * 3 / 5)  # n - 2t/n, Borgatti's shortcut


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), min_size=1, max_size=40))
def test_constraint_matches_networkx_on_any_small_graph(edges):
    graph = nx.Graph([(u, v) for u, v in edges if u != v])
    if graph.number_of_nodes() == 0:
        return
    ours, reference = constraint(graph), nx.constraint(graph)
    for node, value in reference.items():
        assert (math.isnan(value) and math.isnan(ours[node])) or abs(ours[node] - value) <= 1e-9


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), min_size=1, max_size=45), st.booleans(),
       st.integers(0, 10_000))
def test_betweenness_equals_networkx_exact_and_sampled(edges, directed, seed):
    """Brandes by sparse products over batches of sources gives networkx's values, exact and with
    the same seeded sample of k sources (Brandes and Pich 2007) and networkx 3.7's rescaling."""
    graph = (nx.DiGraph if directed else nx.Graph)([(u, v) for u, v in edges if u != v])
    exact, reference = betweenness(graph), nx.betweenness_centrality(graph)
    assert all(abs(exact[n] - reference[n]) <= 1e-9 for n in graph)
    k = max(2, graph.number_of_nodes() // 2)
    if k < graph.number_of_nodes():
        sampled = betweenness(graph, k=k, seed=seed)
        reference = nx.betweenness_centrality(graph, k=k, seed=seed)
        assert all(abs(sampled[n] - reference[n]) <= 1e-9 for n in graph)


def test_betweenness_on_a_larger_network_equals_networkx():
    graph = nx.barabasi_albert_graph(1500, 3, seed=4)
    ours, reference = betweenness(graph, k=100, seed=7), nx.betweenness_centrality(graph, k=100, seed=7)
    assert max(abs(ours[n] - reference[n]) for n in graph) <= 1e-9


def test_ei_index_hand_computed():
    # groups: R = {r1, r2, r3}, T = {t1, t2}; ties: r1-r2, r2-r3 (internal), r1-t1, r3-t1 (external), t1-t2 (internal)
    graph = nx.Graph([("r1", "r2"), ("r2", "r3"), ("r1", "t1"), ("r3", "t1"), ("t1", "t2")])
    groups = {"r1": "R", "r2": "R", "r3": "R", "t1": "T", "t2": "T"}
    ei = ei_index(graph, groups)
    assert ei["nodes"] == {"r1": 0.0, "r2": -1.0, "r3": 0.0, "t1": (2 - 1) / 3, "t2": -1.0}
    # group R: members' ties E=2, I=4 (each internal tie counted from both ends) -> -2/6
    assert ei["groups"]["R"] == pytest.approx(-2 / 6)
    assert ei["groups"]["T"] == pytest.approx((2 - 2) / 4)
    assert ei["network"] == pytest.approx((2 - 3) / 5)


def test_brokerage_roles_hand_computed():
    """Directed worked example, one two-path per role (Gould and Fernandez 1989, Fig. 1)."""
    groups = {"v": "X", "a1": "X", "b1": "X", "a2": "Y", "b2": "Y", "a3": "X", "b3": "Z",
              "a4": "Y", "b4": "X", "a5": "Y", "b5": "Z"}
    graph = nx.DiGraph()
    for a, b in (("a1", "b1"), ("a2", "b2"), ("a3", "b3"), ("a4", "b4"), ("a5", "b5")):
        graph.add_edge(a, "v")
        graph.add_edge("v", b)
    roles = brokerage(graph, groups)["v"]
    # v is in X. coordinator: a in {a1,a3} x b in {b1,b4} = 4; itinerant: a in Y {a2,a4,a5} x b2 = 3;
    # representative: {a1,a3} x {b2,b3,b5} = 6; gatekeeper: {a2,a4,a5} x {b1,b4} = 6;
    # liaison: {a2,a4,a5} (Y) x {b3,b5} (Z) = 6; 25 open two-paths in all
    assert {r: roles[r] for r in ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")} == \
        {"coordinator": 4, "itinerant": 3, "representative": 6, "gatekeeper": 6, "liaison": 6}
    assert roles["total"] == 25
    closed = graph.copy()
    closed.add_edge("a1", "b1")
    assert brokerage(closed, groups)["v"]["coordinator"] == 3


def test_brokerage_on_an_undirected_star_counts_both_directions():
    graph = nx.Graph([("hub", "x"), ("hub", "y")])
    roles = brokerage(graph, {"hub": "H", "x": "X", "y": "Y"})["hub"]
    assert roles["liaison"] == 2 and roles["total"] == 2


def test_nmi():
    a = {1: "x", 2: "x", 3: "y", 4: "y"}
    assert normalized_mutual_information(a, {1: 0, 2: 0, 3: 1, 4: 1}) == pytest.approx(1.0)
    assert normalized_mutual_information(a, {1: 0, 2: 1, 3: 0, 4: 1}) == pytest.approx(0.0)


# ------------------------------------------------------------------ the ITU data
def test_itu_findings_cover_at_least_six_rules_with_evidence_and_sources(runner, cli_env, analyzed_itu):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    result = run_cli(runner, ["-q", "analyze", "--format", "json", "--today", "2026-11-28"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rules = {f["rule"] for f in data["findings"] + data["questions"]}
    assert len(rules) >= 6
    for f in data["findings"] + data["questions"]:
        assert f["evidence"] and f["sources"], f["id"]
        assert f["title"] and f["title_zh"] and f["suggested_action"]
    for f in data["findings"]:  # every gap rests on sourced completeness statements
        assert f["kind"] == "gap" and f["statements"] and all(s["sources"] for s in f["statements"]), f["id"]
    for q in data["questions"]:  # every question says what would settle it
        assert q["kind"] == "question" and q["to_settle"] and q["to_settle_zh"], q["id"]
    assert data["summary"]["findings"] == len(data["findings"])
    assert data["summary"]["questions"] == len(data["questions"])


def test_itu_overlaps_come_with_the_reference_urls(analyzed_itu):
    result = analyze(analyzed_itu, rules=["uncoordinated-overlap"], today="2026-11-28", write_back=False)
    findings = result.findings + result.questions
    cyber = next(f for f in findings if f.entities[0] == "topic-cybersecurity")
    assert "https://www.itu.int/en/ITU-T/studygroups/2025-2028/17/Pages/mandate.aspx" in cyber.sources


def test_ids_are_stable_and_unrelated_facts_leave_them_alone(tmp_path, copy_data):
    data = copy_data()
    settings = Settings(data_dirs=[data], ontology_dir=shipped_ontology(), db_path=tmp_path / "s.db")
    pipeline.load(settings)
    def everything():
        result = analyze(settings, today="2026-11-28")
        return {f.id: f.title for f in result.findings + result.questions}

    first = everything()
    again = everything()
    assert first == again
    (data / "itu" / "extra.ttl").write_text(PREFIXES + """
@prefix itu: <https://w3id.org/itu-graph/itu/> .
itu:topic-space-debris a ig:Topic ; skos:prefLabel "Space debris"@en , "空间碎片"@zh .
itu:itu-r ig:worksOn itu:topic-space-debris .
""", encoding="utf-8")
    pipeline.load(settings)
    after = everything()
    assert set(first) <= set(after)
    assert {k: after[k] for k in first} == first


def test_metrics_are_written_under_the_ontology_names(analyzed_itu, ontology):
    from itu_graph.store.falkordb import FalkorLiteStore
    with FalkorLiteStore(analyzed_itu.db_path) as store:
        row = store.run("MATCH (n:Resource {id: 'tsb'}) RETURN properties(n) AS p").rows[0]["p"]
    assert ontology.metric_keys <= set(row)
    assert row["group"] == "itu-t" and 0 <= row["betweenness"] <= 1


def test_reload_keeps_metrics_until_the_next_analysis(analyzed_itu):
    from itu_graph.store.falkordb import FalkorLiteStore
    counts = pipeline.load(analyzed_itu).counts
    assert not counts.changed
    with FalkorLiteStore(analyzed_itu.db_path) as store:
        assert store.run("MATCH (n:Resource {id: 'tsb'}) RETURN n.betweenness AS b").rows[0]["b"] is not None


@pytest.mark.skipif(not __import__("os").environ.get("NEO4J_URI"), reason="NEO4J_URI is not set: live Neo4j tests need a server")
@pytest.mark.neo4j
def test_findings_are_the_same_on_neo4j(itu_settings, analyzed_itu):
    neo = Settings.from_env(store="neo4j", data_dirs=itu_settings.data_dirs, ontology_dir=itu_settings.ontology_dir)
    pipeline.load(neo)
    on_neo = {f.id for f in analyze(neo, today="2026-11-28").findings}
    on_falkor = {f.id for f in analyze(analyzed_itu, today="2026-11-28", write_back=False).findings}
    assert on_neo == on_falkor


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), min_size=1, max_size=60),
       st.lists(st.sampled_from("XYZW"), min_size=15, max_size=15))
def test_vectorized_brokerage_equals_enumeration(edges, group_of):
    from itu_graph.analysis.metrics import brokerage_two_paths
    graph = nx.Graph([(u, v) for u, v in edges if u != v])
    graph.add_nodes_from(range(15))
    groups = {n: group_of[n] for n in graph.nodes()}
    assert brokerage(graph, groups) == brokerage_two_paths(graph, groups)


def test_metrics_are_the_same_in_small_chunks_and_with_dense_hub_rows(monkeypatch):
    """The triangle listing behind Burt's measures and brokerage, cut into tiny chunks and with
    every node of degree 3 or more given a dense row, gives the same values."""
    from itu_graph.analysis import metrics
    graph = weighted_random_graph(150, 600, 5)
    groups = {n: f"g{hash(str(n)) % 4}" for n in graph}
    expected = (constraint(graph, "weight"), effective_size(graph, "weight"), brokerage(graph, groups))
    monkeypatch.setattr(metrics, "TRIANGLE_CHUNK", 7)
    monkeypatch.setattr(metrics, "HUB_DEGREE", 3)
    got = (constraint(graph, "weight"), effective_size(graph, "weight"), brokerage(graph, groups))
    for ours, reference in zip(got[:2], expected[:2]):
        assert all((math.isnan(reference[n]) and math.isnan(ours[n])) or abs(ours[n] - reference[n]) <= 1e-12
                   for n in graph)
    assert got[2] == expected[2]
    reference = nx.constraint(graph, nodes=list(graph), weight="weight")
    assert all(math.isnan(v) or abs(got[0][n] - v) <= 1e-9 for n, v in reference.items())


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=0, max_size=40))
def test_cut_points_equal_networkx(edges):
    from itu_graph.analysis.metrics import cut_points
    graph = nx.Graph([(f"n{u}", f"n{v}") for u, v in edges if u != v])
    graph.add_node("alone")
    points, bridges = cut_points(graph)
    assert points == set(nx.articulation_points(graph))
    assert bridges == sorted(tuple(sorted(e)) for e in nx.bridges(graph))


def test_communities_are_seeded_and_cover_every_tied_agent():
    from itu_graph.analysis.metrics import communities
    graph = nx.connected_caveman_graph(6, 8)
    first, second = communities(graph, None, seed=7), communities(graph, None, seed=7)
    assert first == second and set(first) == set(graph)
    assert len(set(first.values())) == 6  # the caves are the communities


def test_partial_coordination_counts_the_narrower_topics_a_missing_sector_works_on(tmp_path):
    data = (entity("water", "Topic", "Water") + "ex:topic ig:broader ex:water .\n"
            + "ex:ua ig:worksOn ex:water . ex:ub ig:worksOn ex:topic .\n"
            + entity("solo", "Committee", "A-only committee", "ig:coordinates ex:water") + "ex:ua ig:leads ex:solo .\n")
    (partial,) = findings_for(tmp_path, data, "partial-coordination", "n")
    assert partial.entities[:2] == ["solo", "water"] and partial.evidence[0]["missing"] == ["sb"]
    assert partial.evidence[0]["gaps"] == [{"division": "sb", "topics": 1, "examples": ["topic"]}]


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), min_size=1, max_size=30))
def test_parts_without_a_cut_point_equal_networkx(edges):
    from itu_graph.analysis.metrics import parts_without
    graph = nx.Graph([(u, v) for u, v in edges if u != v])
    cut = sorted(nx.articulation_points(graph))
    split = parts_without(graph, cut)
    for node in cut:
        rest = nx.node_connected_component(graph, node) - {node}
        expected = sorted(nx.connected_components(graph.subgraph(rest)), key=lambda c: (-len(c), sorted(c)))
        assert split[node] == expected
