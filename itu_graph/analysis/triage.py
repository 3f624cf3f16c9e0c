"""Triage by the Coordination Committee (issue 15, point 5): how later runs honour its decisions.

The decisions are data (``ontology/triage.ttl``, written by ``itu-graph findings accept``): one
``ig:FindingDecision`` per decided finding, with the digest of the evidence the reviewer saw.
:func:`read_decisions` reads them from the store in one statement; :func:`apply_decisions`
applies them to a run's findings:

* dismissed, evidence unchanged: left out (and counted by the caller);
* dismissed, evidence changed: kept, ``triage.status = "reopened"`` (the reason for the dismissal
  was about other facts);
* confirmed: ``triage.status = "confirmed"``;
* assigned: ``triage.status = "action assigned"`` with the owner, the due date and the mandate,
  which the overdue-mandate rule follows like any other mandate.

When a finding was decided more than once (reviewed again after it was reopened), the latest
decision stands.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from ..rdf.ontology import Ontology
from ..rdf.vocab import IG
from ..store import GraphStore
from .findings import Finding

DECISIONS = ("confirm", "dismiss", "assign")
STATUS = {"confirm": "confirmed", "assign": "action assigned", "dismiss": "dismissed"}
REOPENED = "reopened"


def evidence_digest(finding: Finding) -> str:
    """SHA-256 of the canonical JSON of the finding's evidence (sorted keys), first 16 hex digits.

    Canonical so that the same evidence always gives the same digest whatever the order the
    engine returned the keys in; values the JSON module does not know (dates) as their text.
    """
    canonical = json.dumps(finding.evidence, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Decision:
    """One stored decision on a finding (the latest one when there are several)."""

    finding_id: str
    decision: str
    evidence_digest: str
    decided_on: str
    reviewer: str
    entity: str = ""                 # id of the ig:FindingDecision node
    rule: str | None = None
    reason: str | None = None
    sources: tuple[str, ...] = ()    # entity ids and URLs that justify a dismissal
    mandate: str | None = None
    owners: tuple[str, ...] = ()
    due: str | None = None


def _names(ontology: Ontology) -> dict[str, str]:
    """The labels, relationship types and keys of the triage vocabulary, from the ontology."""
    cls = lambda local: ontology.classes[str(IG[local])].cypher_label  # noqa: E731
    prop = lambda local: ontology.properties[str(IG[local])].cypher_name  # noqa: E731
    return {"Decision": cls("FindingDecision"), "Mandate": cls("Mandate"),
            "JUSTIFIED_BY": prop("justifiedBy"), "ASSIGNS": prop("assignsMandate"), "ASSIGNED_TO": prop("assignedTo"),
            "finding_id": prop("findingId"), "rule": prop("findingRule"), "decision": prop("triageDecision"),
            "reason": prop("reason"),
            "digest": prop("evidenceDigest"), "reviewer": prop("reviewer"), "decided_on": prop("decidedOn"),
            "url": prop("justifiedByUrl"), "due": prop("dueDate")}


def read_statement(ontology: Ontology) -> str:
    """The one Cypher read of every decision, labels and keys from the ontology."""
    n = _names(ontology)
    return (f"MATCH (d:{n['Decision']})\n"
            f"OPTIONAL MATCH (d)-[:{n['JUSTIFIED_BY']}]->(j:Resource)\n"
            f"OPTIONAL MATCH (d)-[:{n['ASSIGNS']}]->(m:{n['Mandate']})\n"
            f"OPTIONAL MATCH (m)-[:{n['ASSIGNED_TO']}]->(o:Resource)\n"
            f"RETURN d.id AS entity, d.{n['finding_id']} AS finding_id, d.{n['rule']} AS rule, "
            f"d.{n['decision']} AS decision, d.{n['reason']} AS reason, d.{n['digest']} AS evidence_digest, "
            f"d.{n['reviewer']} AS reviewer, d.{n['decided_on']} AS decided_on, d.{n['url']} AS url, "
            f"collect(DISTINCT j.id) AS justified_by, m.id AS mandate, m.{n['due']} AS due, "
            f"collect(DISTINCT o.id) AS owners\n"
            "ORDER BY finding_id, decided_on, entity")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # a node property stated twice comes back as a list
        return str(sorted(value, key=str)[-1]) if value else None
    return str(value)


def read_decisions(store: GraphStore, ontology: Ontology | None = None) -> dict[str, Decision]:
    """Every finding's standing decision, by finding id: the latest (by decision date, then by
    decision id, which starts with the review id) when a finding was decided more than once."""
    if ontology is None:
        from ..pipeline import load_ontology
        from ..settings import Settings
        ontology = load_ontology(Settings())
    decisions: dict[str, Decision] = {}
    for row in store.run(read_statement(ontology)).rows:
        if not row.get("finding_id") or row.get("decision") not in DECISIONS:
            continue  # SHACL keeps these out of loaded data; a hand-written node is not a decision
        url = _text(row.get("url"))
        decision = Decision(
            finding_id=str(row["finding_id"]), decision=str(row["decision"]),
            evidence_digest=_text(row.get("evidence_digest")) or "", decided_on=_text(row.get("decided_on")) or "",
            reviewer=_text(row.get("reviewer")) or "", entity=str(row.get("entity") or ""), rule=_text(row.get("rule")),
            reason=_text(row.get("reason")),
            sources=tuple(sorted(row.get("justified_by") or [])) + ((url,) if url else ()),
            mandate=row.get("mandate"), owners=tuple(sorted(row.get("owners") or [])), due=_text(row.get("due")))
        current = decisions.get(decision.finding_id)
        if current is None or (decision.decided_on, decision.entity) >= (current.decided_on, current.entity):
            decisions[decision.finding_id] = decision
    return decisions


def triage_record(decision: Decision, digest: str) -> dict:
    """What a finding carries about its standing decision (``Finding.triage``)."""
    changed = digest != decision.evidence_digest
    record = {"status": REOPENED if decision.decision == "dismiss" and changed else STATUS[decision.decision],
              "decision": decision.decision, "decided_on": decision.decided_on, "reviewer": decision.reviewer,
              "reason": decision.reason, "evidence_changed": changed, "evidence_digest": digest,
              "decided_evidence_digest": decision.evidence_digest}
    if decision.decision == "dismiss":
        record["sources"] = list(decision.sources)
    if decision.decision == "assign":
        record.update(owner=decision.owners[0] if len(decision.owners) == 1 else list(decision.owners),
                      due=decision.due, mandate=decision.mandate)
    return record


def apply_decisions(findings: list[Finding], decisions: dict[str, Decision]) -> list[Finding]:
    """The findings as the Committee left them: dismissed ones whose evidence is unchanged are
    left out; the others carry their triage status (``Finding.triage``). The input is not changed."""
    result = []
    for finding in findings:
        decision = decisions.get(finding.id)
        if decision is None:
            result.append(finding)
            continue
        digest = evidence_digest(finding)
        if decision.decision == "dismiss" and digest == decision.evidence_digest:
            continue
        result.append(replace(finding, triage=triage_record(decision, digest)))
    return result


def dismissed_ids(findings: list[Finding], decisions: dict[str, Decision]) -> list[str]:
    """The ids :func:`apply_decisions` leaves out: dismissed with unchanged evidence."""
    return sorted(f.id for f in findings if (d := decisions.get(f.id)) is not None
                  and d.decision == "dismiss" and evidence_digest(f) == d.evidence_digest)
