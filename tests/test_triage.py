"""Triage by the Coordination Committee (issue 15, point 5), on the real embedded engine: the
review file, its acceptance as RDF, and later runs honouring the decisions (dismissed stays
dismissed while the evidence is unchanged, comes back reopened when it changes; an assigned action
is a mandate the overdue rule follows); bad review files give exit 2 and write nothing."""
from __future__ import annotations

import copy
from datetime import datetime

import pyoxigraph as ox
import pytest
import yaml

from itu_graph import neo4j_lint, pipeline
from itu_graph.analysis import analyze
from itu_graph.analysis.findings import Finding
from itu_graph.analysis.review import load_review
from itu_graph.analysis.triage import apply_decisions, evidence_digest, read_decisions, read_statement, Decision
from itu_graph.errors import ReviewError
from itu_graph.settings import Settings, shipped_ontology

from conftest import run_cli

from test_analysis import PREFIXES, entity

#: Two Sectors work on one topic and nothing joins them: one uncoordinated-overlap finding.
ORG = (entity("org", "Organization", "Org")
       + entity("sa", "Sector", "Sector A", "ig:subOrganizationOf ex:org", 'skos:altLabel "SA"')
       + entity("sb", "Sector", "Sector B", "ig:subOrganizationOf ex:org", 'skos:altLabel "SB"')
       + entity("ua", "Bureau", "Unit A", "ig:subOrganizationOf ex:sa", "ig:worksOn ex:topic")
       + entity("ub", "Bureau", "Unit B", "ig:subOrganizationOf ex:sb", "ig:worksOn ex:topic")
       + entity("res", "Resolution", "Resolution 1")
       + entity("topic", "Topic", "Water quality")
       # the record states that no mechanism coordinates the topic: the overlap is a gap, not a question
       + 'ex:cs-topic a ig:CompletenessStatement ; ig:statementAbout ex:topic ; ig:aspect "coordination" ; '
       + "ig:noValue true .\n")
#: A third Sector joins the work on the topic: the overlap's evidence changes, its id does not.
THIRD_SECTOR = (entity("sc", "Sector", "Sector C", "ig:subOrganizationOf ex:org", 'skos:altLabel "SC"')
                + entity("uc", "Bureau", "Unit C", "ig:subOrganizationOf ex:sc", "ig:worksOn ex:topic"))
RULE = "uncoordinated-overlap"


@pytest.fixture
def org(tmp_path, db_path):
    """A small organization loaded into its own FalkorDB-lite (the database the CLI runs use);
    returns (data dir, settings)."""
    data = tmp_path / "org"
    data.mkdir()
    (data / "org.ttl").write_text(PREFIXES + ORG, encoding="utf-8")
    settings = Settings(data_dirs=[data], ontology_dir=shipped_ontology(), db_path=db_path)
    pipeline.load(settings)
    return data, settings


def make_review(runner, cli_env, data, tmp_path, *extra) -> tuple[dict, dict]:
    """`findings review` through the CLI; the review and its overlap finding's entry."""
    path = tmp_path / "review.yaml"
    result = run_cli(runner, ["findings", "review", "-o", path, "--data", data, "--today", "2026-03-01", *extra],
                     env=cli_env)
    assert result.exit_code == 0, result.output
    review = yaml.safe_load(path.read_text(encoding="utf-8"))
    (entry,) = [f for f in review["findings"] if f["rule"] == RULE]
    return review, entry


def accept(runner, cli_env, data, tmp_path, review: dict, name: str = "decided.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(review, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return run_cli(runner, ["findings", "accept", path, "--data", data], env=cli_env)


def overlap(settings, today="2026-03-01"):
    result = analyze(settings, today=today, write_back=False)
    return [f for f in result.findings if f.rule == RULE], result


def test_dismiss_rerun_gone_change_evidence_back_reopened(runner, cli_env, org, tmp_path):
    data, settings = org
    review, entry = make_review(runner, cli_env, data, tmp_path)
    assert review["reviewer"] is None and entry["decision"] is None and len(entry["evidence_digest"]) == 16
    (before,), _ = overlap(settings)
    assert entry["id"] == before.id and entry["evidence_digest"] == evidence_digest(before)

    review.update(reviewer="Coordination Committee", date="2026-03-02")
    entry.update(decision="dismiss", reason="The Sectors meet in the joint water group, see its minutes.",
                 source="https://example.org/minutes/water-group-2026")
    result = accept(runner, cli_env, data, tmp_path, review)
    assert result.exit_code == 0, result.output
    (written,) = (data / "triage").glob("*.trig")
    assert written.name == "findings-review-2026-03-02-coordination-committee.trig"
    graphs = {q.graph_name.value for q in ox.parse(written.read_bytes(), format=ox.RdfFormat.TRIG)}
    assert graphs == {"https://example.org/t/findings-review-2026-03-02-coordination-committee"}

    pipeline.load(settings)
    gone, result = overlap(settings)
    assert gone == [] and result.dismissed == [before.id]
    again = tmp_path / "again.yaml"
    assert run_cli(runner, ["findings", "review", "-o", again, "--data", data], env=cli_env).exit_code == 0
    assert before.id not in {f["id"] for f in yaml.safe_load(again.read_text(encoding="utf-8"))["findings"]}

    (data / "org.ttl").write_text(PREFIXES + ORG + THIRD_SECTOR, encoding="utf-8")
    pipeline.load(settings)
    (back,), result = overlap(settings)
    assert back.id == before.id and result.dismissed == []
    assert back.triage["status"] == "reopened" and back.triage["evidence_changed"]
    assert back.triage["reason"].startswith("The Sectors meet")
    assert back.triage["sources"] == ["https://example.org/minutes/water-group-2026"]
    # the reopened finding is open again: the next review lists it, with what was decided
    review2, entry2 = make_review(runner, cli_env, data, tmp_path, "--force")
    assert entry2["triage"]["status"] == "reopened" and entry2["evidence_digest"] != entry["evidence_digest"]


def test_assign_then_the_due_date_passes_and_the_action_is_overdue(runner, cli_env, org, tmp_path):
    data, settings = org
    review, entry = make_review(runner, cli_env, data, tmp_path)
    review.update(reviewer="Committee", date="2026-03-02")
    entry.update(decision="assign", owner="ua", due="2026-06-30", reason="Unit A convenes the Sectors.")
    result = accept(runner, cli_env, data, tmp_path, review)
    assert result.exit_code == 0, result.output
    pipeline.load(settings)
    action = f"findings-review-2026-03-02-committee-{entry['id'].lower()}-action"

    (assigned,), result = overlap(settings, today="2026-06-01")
    assert assigned.triage["status"] == "action assigned"
    assert (assigned.triage["owner"], assigned.triage["due"], assigned.triage["mandate"]) == ("ua", "2026-06-30", action)
    assert not [f for f in result.findings if f.rule == "overdue-mandate"]

    late = analyze(settings, today="2026-07-01", write_back=False)
    (overdue,) = [f for f in late.findings if f.rule == "overdue-mandate"]
    assert overdue.entities[0] == action
    assert overdue.evidence[0]["assigned_to"] == ["ua"] and overdue.evidence[0]["due"] == "2026-06-30"
    assert overdue.evidence[0]["given_by"] == ["findings-review-2026-03-02-committee"]
    # the action concerns what the finding is about
    with pipeline.open_store(settings) as store:
        concerns = store.run("MATCH (m:Mandate {id: $id})-[:CONCERNS]->(e:Resource) RETURN e.id AS id",
                             {"id": action}).rows
    assert {r["id"] for r in concerns} >= {"topic", "sa", "sb"}


def test_confirm_is_carried_and_the_latest_decision_stands(runner, cli_env, org, tmp_path):
    data, settings = org
    review, entry = make_review(runner, cli_env, data, tmp_path)
    first = copy.deepcopy(review)
    first.update(reviewer="Committee", date="2026-03-02")
    first["findings"][first["findings"].index(entry)].update(decision="dismiss", reason="joint group", source="res")
    assert accept(runner, cli_env, data, tmp_path, first, "one.yaml").exit_code == 0
    second = copy.deepcopy(review)
    second.update(reviewer="Committee", date="2026-04-02")
    second["findings"][second["findings"].index(entry)].update(decision="confirm", reason="the group never met")
    result = accept(runner, cli_env, data, tmp_path, second, "two.yaml")
    assert result.exit_code == 0, result.output
    pipeline.load(settings)
    (finding,), _ = overlap(settings)
    assert finding.triage["status"] == "confirmed" and finding.triage["decided_on"] == "2026-04-02"
    with pipeline.open_store(settings) as store:
        decisions = read_decisions(store)
    assert decisions[entry["id"]].decision == "confirm"
    # the first review's dismissal named an entity of the data as its source: a relationship
    with pipeline.open_store(settings) as store:
        rows = store.run("MATCH (d:FindingDecision)-[:JUSTIFIED_BY]->(e:Resource) RETURN e.id AS id").rows
    assert rows == [{"id": "res"}]


def _bad(review: dict, entry_id: str, **changes) -> dict:
    bad = copy.deepcopy(review)
    bad.update(reviewer="Committee", date="2026-03-02")
    for f in bad["findings"]:
        if f["id"] == entry_id:
            f.update(changes)
    return bad


BAD = {
    "missing reason": ({"decision": "dismiss", "source": "https://example.org/x"}, "dismiss needs reason"),
    "missing source": ({"decision": "dismiss", "reason": "no"}, "dismiss needs source"),
    "unknown finding id": ({"id": "UO-0123456789", "decision": "confirm"}, "UO-0123456789 is not a finding of the current analysis"),
    "malformed finding id": ({"id": "nonsense", "decision": "confirm"}, "is not a finding id"),
    "decision not a word": ({"decision": 5}, "decision 5 is not one of confirm, dismiss, assign"),
    "reason not text": ({"decision": "confirm", "reason": ["a", "b"]}, "reason must be text"),
    "due not a date": ({"decision": "assign", "owner": "ua", "due": 12}, "due must be a date"),
    "due impossible": ({"decision": "assign", "owner": "ua", "due": "2026-02-30"}, "is not a date (YYYY-MM-DD)"),
    "due before review": ({"decision": "assign", "owner": "ua", "due": "2026-01-01"}, "is before the review's date"),
    "unknown owner": ({"decision": "assign", "owner": "nobody", "due": "2026-06-30"}, "not an entity id of the data"),
    "owner not an agent": ({"decision": "assign", "owner": "topic", "due": "2026-06-30"}, "is not a unit, body or post"),
    "owner on a dismissal": ({"decision": "dismiss", "reason": "r", "source": "https://example.org/x", "owner": "ua"},
                             "owner do(es) not go with dismiss"),
    "source not an IRI": ({"decision": "dismiss", "reason": "r", "source": "the minutes"}, "neither an entity of the data"),
    "reason without decision": ({"reason": "undecided"}, "reason given but no decision"),
    "unknown field": ({"decison": "confirm"}, "unknown field(s) decison"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_review_files_exit_2_and_write_nothing(runner, cli_env, org, tmp_path, case):
    data, settings = org
    review, entry = make_review(runner, cli_env, data, tmp_path)
    changes, message = BAD[case]
    result = accept(runner, cli_env, data, tmp_path, _bad(review, entry["id"], **changes))
    assert result.exit_code == 2, result.output
    assert message in result.output and "decided.yaml:" in result.output  # file and line
    assert not (data / "triage").exists() or not any((data / "triage").iterdir())


@pytest.mark.parametrize("top, message", [
    ({"reviewer": None, "date": "2026-03-02"}, "reviewer (who decides"),
    ({"reviewer": "C", "date": "2 March"}, "is not a date"),
    ({"reviewer": "C", "date": datetime(2026, 3, 2, 10, 0)}, "not a date and time"),
    ({"reviewer": "C", "date": "2026-03-02T10:00:00"}, "is not a date (YYYY-MM-DD)"),
    ({"reviewer": "C", "date": "2026-03-02", "review": "itu-graph ingest"}, "not an itu-graph findings review"),
    ({"reviewer": "C", "date": "2026-03-02", "findings": "all"}, "`findings` must be a list"),
])
def test_bad_review_headers_exit_2(runner, cli_env, org, tmp_path, top, message):
    data, _ = org
    review, entry = make_review(runner, cli_env, data, tmp_path)
    entry.update(decision="confirm")
    review.update(top)
    result = accept(runner, cli_env, data, tmp_path, review)
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (data / "triage").exists()


def test_no_decision_at_all_is_an_error(runner, cli_env, org, tmp_path):
    data, _ = org
    review, _entry = make_review(runner, cli_env, data, tmp_path)
    review.update(reviewer="C", date="2026-03-02")
    result = accept(runner, cli_env, data, tmp_path, review)
    assert result.exit_code == 2 and "no decisions in the review" in result.output


def test_a_yaml_alias_bomb_is_refused_before_it_expands(runner, cli_env, org, tmp_path):
    data, _ = org
    layers = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    layers += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("review: itu-graph findings\nreviewer: x\ndate: 2026-03-02\n" + "\n".join(layers)
                    + "\nfindings: []\n", encoding="utf-8")
    result = run_cli(runner, ["findings", "accept", bomb, "--data", data], env=cli_env)
    assert result.exit_code == 2 and "aliases (*a0) are not allowed" in result.output and "bomb.yaml:5" in result.output
    assert not (data / "triage").exists()


def test_oversized_broken_and_missing_review_files(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 10_000_001)
    with pytest.raises(ReviewError, match="at most"):
        load_review(big)
    broken = tmp_path / "broken.yaml"
    broken.write_text("review: itu-graph findings\nfindings: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(ReviewError) as info:
        load_review(broken)
    assert info.value.location.line is not None and info.value.exit_code == 2
    with pytest.raises(ReviewError, match="not found"):
        load_review(tmp_path / "missing.yaml")


def test_an_existing_review_file_is_not_overwritten(runner, cli_env, org, tmp_path):
    data, _ = org
    make_review(runner, cli_env, data, tmp_path)
    result = run_cli(runner, ["findings", "review", "-o", tmp_path / "review.yaml", "--data", data], env=cli_env)
    assert result.exit_code == 2 and "--force" in result.output


def test_the_shapes_hold_a_hand_written_decision_to_the_same_rules(tmp_path):
    """A triage file written by hand is checked on every build: a dismissal with no source and an
    action with no owner are violations, on both SHACL engines alike."""
    data = tmp_path / "org"
    data.mkdir()
    (data / "org.ttl").write_text(PREFIXES + ORG, encoding="utf-8")
    (data / "triage.trig").write_text(PREFIXES + """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:rev {
  ex:rev a ig:FindingReview ; skos:prefLabel "Review"@en , "审查"@zh ; ig:reviewer "C" ; ig:date "2026-03-02"^^xsd:date .
  ex:d1 a ig:FindingDecision ; skos:prefLabel "D1"@en , "决定1"@zh ; ig:findingId "UO-0123456789" ;
      ig:triageDecision "dismiss" ; ig:reason "r" ; ig:evidenceDigest "0123456789abcdef" ; ig:reviewer "C" ;
      ig:decidedOn "2026-03-02"^^xsd:date ; ig:decidedIn ex:rev .
  ex:d2 a ig:FindingDecision ; skos:prefLabel "D2"@en , "决定2"@zh ; ig:findingId "UO-0123456788" ;
      ig:triageDecision "assign" ; ig:evidenceDigest "0123456789abcdef" ; ig:reviewer "C" ;
      ig:decidedOn "2026-03-02"^^xsd:date ; ig:decidedIn ex:rev ; ig:assignsMandate ex:act .
  ex:act a ig:Mandate ; skos:prefLabel "Act"@en , "行动"@zh ; ig:dueDate "2026-06-30"^^xsd:date ; ig:mandatedBy ex:rev .
}
""", encoding="utf-8")
    dataset = pipeline.build_dataset(Settings(data_dirs=[data], ontology_dir=shipped_ontology()))
    found = {}
    for engine in ("oxigraph", "pyshacl"):
        report = pipeline.validate_dataset(dataset, engine=engine)
        found[engine] = sorted((v.focus.rsplit("/", 1)[-1], v.message) for v in report.violations)
    assert found["oxigraph"] == found["pyshacl"]
    messages = " ".join(m for _, m in found["oxigraph"])
    assert "a dismissal needs the source" in messages and "an assigned action has an owner" in messages


def test_apply_decisions_on_plain_findings():
    f = Finding(id="UO-0123456789", rule=RULE, severity="high", title="t", entities=["topic"],
                evidence=[{"topic": "topic", "sectors": ["sa", "sb"]}])
    same = evidence_digest(f)
    assert same == evidence_digest(Finding(**{**f.__dict__, "evidence": [{"sectors": ["sa", "sb"], "topic": "topic"}]}))
    dismissed = Decision(f.id, "dismiss", same, "2026-03-02", "C", reason="r")
    assert apply_decisions([f], {f.id: dismissed}) == []
    changed = Decision(f.id, "dismiss", "0" * 16, "2026-03-02", "C", reason="r")
    (back,) = apply_decisions([f], {f.id: changed})
    assert back.triage["status"] == "reopened" and f.triage is None  # the input is left alone


def test_the_decisions_read_passes_neo4js_linter(ontology):
    if not neo4j_lint.available():
        pytest.fail("Neo4j's Cypher linter is not installed: run `make setup-tests`")
    schema = ontology.schema_for_lint(("en", "zh"))
    assert [(d.statement, d.message) for d in neo4j_lint.lint({"decisions": (read_statement(ontology), {})}, schema)] == []


def test_a_decisions_file_that_does_not_validate_is_removed_again(runner, cli_env, org, tmp_path):
    """Same safety as `ingest accept`: the file is written whole, the data validated with it, and
    on violations it is removed (exit 1, the violations listed)."""
    data, _ = org
    review, entry = make_review(runner, cli_env, data, tmp_path)
    review.update(reviewer="Committee", date="2026-03-02")
    entry.update(decision="confirm")
    # the data goes wrong after the review was made: an entity with no Chinese name
    (data / "late.ttl").write_text(PREFIXES + 'ex:late a ig:Topic ; skos:prefLabel "Late"@en .\n', encoding="utf-8")
    result = accept(runner, cli_env, data, tmp_path, review)
    assert result.exit_code == 1 and "nothing was written" in result.output, result.output
    assert not any((data / "triage").glob("*.trig")) and not any((data / "triage").glob(".*partial"))
