"""How much of each coordination mechanism the record holds.

A mechanism is *described* when the data records who takes part in it, at least one topic it
coordinates, who leads it and what mandates it. For the lead and the mandate a source remark
stands in for the fact: a "no value" statement (the source says there is none) or a source
silence (the source that describes it, read in full, names none). The lead and the mandate of
what a mechanism is part of or inside (up to three levels) count for it, and a mandate may be an
instrument it implements, as for the rules missing-owner and missing-mandate (docs/analysis.md).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .rdf.mapping import PropertyGraph

ASPECTS = ("participants", "topics", "lead", "mandate")
INHERITANCE_DEPTH = 3


@dataclass
class MechanismCoverage:
    id: str
    name: str
    #: aspect -> how it is on record: "recorded", "inherited", "none stated", "source silent"
    found: dict[str, str] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [a for a in ASPECTS if a not in self.found]

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "found": self.found, "missing": self.missing}


def mechanism_coverage(graph: PropertyGraph) -> list[MechanismCoverage]:
    """Each coordination mechanism (ig:CoordinationMechanism, or any agent that coordinates) with
    the aspects the record holds for it."""
    mechanisms = {uri for uri, n in graph.nodes.items() if "CoordinationMechanism" in n.labels}
    mechanisms |= {k.source for k in graph.relationships if k.type == "COORDINATES"
                   and "Agent" in graph.nodes[k.source].labels}
    mechanisms = {uri for uri in mechanisms if "Aggregate" not in graph.nodes[uri].labels}
    out_edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    in_edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for k in graph.relationships:
        out_edges[k.source].add((k.type, k.target))
        in_edges[k.target].add((k.type, k.source))
    remarks: dict[tuple[str, str], set[str]] = defaultdict(set)
    for uri, n in graph.nodes.items():
        if "SourceRemark" not in n.labels:
            continue
        kind = ("source silent" if "SourceSilence" in n.labels
                else "none stated" if n.properties.get("no_value") else "complete")
        for t, about in out_edges[uri]:
            if t == "STATEMENT_ABOUT":
                remarks[(about, n.properties.get("aspect", ""))].add(kind)

    def acts(uri: str) -> bool:
        """An aggregate leads only when its members act for it (ontology: ig:membersAct)."""
        node = graph.nodes[uri]
        return "Aggregate" not in node.labels or bool(node.properties.get("members_act"))

    def own(uri: str, aspect: str) -> str | None:
        if aspect == "participants" and any(t == "PARTICIPATES_IN" for t, _ in in_edges[uri]):
            return "recorded"
        if aspect == "topics" and any(t == "COORDINATES" for t, _ in out_edges[uri]):
            return "recorded"
        if aspect == "lead" and any(t == "LEADS" and acts(x) for t, x in in_edges[uri]):
            return "recorded"
        if aspect == "mandate" and any(t == "MANDATED_BY" or (t == "IMPLEMENTS" and "Instrument" in graph.nodes[x].labels)
                                       for t, x in out_edges[uri]):
            return "recorded"
        if aspect in ("lead", "mandate"):
            said = remarks.get((uri, aspect), set())
            if said & {"none stated", "complete"}:  # a full list with nothing in it says there is none
                return "none stated"
            if "source silent" in said:
                return "source silent"
        return None

    def through_parents(uri: str, aspect: str) -> str | None:
        # the rules' reach (queries/rule-missing-owner.cypher, rule-missing-mandate.cypher): what
        # it is part of or inside, up to three levels
        level = {uri}
        for _ in range(INHERITANCE_DEPTH):
            level = {parent for node in level for t, parent in out_edges[node] if t in ("PART_OF", "SUB_ORGANIZATION_OF")}
            if any(own(parent, aspect) == "recorded" for parent in level):
                return "inherited"
        return None

    result = []
    for uri in sorted(mechanisms, key=lambda u: graph.nodes[u].properties.get("id", u)):
        props = graph.nodes[uri].properties
        cov = MechanismCoverage(props.get("id", uri), props.get("name", props.get("id", uri)))
        for aspect in ASPECTS:
            how = own(uri, aspect) or (through_parents(uri, aspect) if aspect in ("lead", "mandate") else None)
            if how:
                cov.found[aspect] = how
        result.append(cov)
    return result
