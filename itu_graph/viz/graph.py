"""The graph to draw, read from the store and filtered (focus, depth, classes, Sectors)."""
from __future__ import annotations

import networkx as nx

from ..cypher import Statements
from ..errors import ParameterError
from ..rdf.ontology import Ontology
from ..store.base import GraphStore

READ_NODES = """
MATCH (n:Resource) WHERE NOT n:SourceRemark
OPTIONAL MATCH (n)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(s:Division)
WITH n, collect(DISTINCT s.id) AS own
OPTIONAL MATCH (n)<-[:LEADS|PARTICIPATES_IN]-(:Agent)-[:HEADS|SUB_ORGANIZATION_OF*0..5]->(t:Division)
RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS properties, own, collect(DISTINCT t.id) AS via
"""

#: How each kind of entity is drawn, most specific first: (label, vis-network shape).
KINDS = (("Division", "star"), ("CoordinationMechanism", "hexagon"), ("GovernanceBody", "diamond"),
         ("FieldOffice", "dot"), ("OrganizationalUnit", "dot"), ("Post", "dot"), ("Organization", "star"),
         ("ExternalOrganization", "dot"), ("Topic", "triangle"), ("StrategyElement", "star"),
         ("StrategicPlan", "star"), ("Initiative", "square"), ("Mandate", "triangleDown"),
         ("Instrument", "triangleDown"), ("Document", "triangleDown"), ("Event", "dot"), ("Region", "dot"),
         ("Site", "dot"), ("Concept", "star"), ("SustainableDevelopmentGoal", "star"))


def kind_of(labels: list[str]) -> str:
    for label, _shape in KINDS:
        if label in labels:
            return label
    return "Entity"


def check_types(ontology: Ontology, types: list[str] | None) -> None:
    """Refuse a class that is not one of the ontology's labels (before anything is drawn)."""
    labels = Statements(ontology).labels
    for t in types or []:
        if t not in labels:
            raise ParameterError(f"unknown class {t!r}; classes are the ontology's labels, e.g. Division, Topic")


def read_graph(store: GraphStore, ontology: Ontology, *, focus: str | None = None, depth: int = 1,
               types: list[str] | None = None, sectors: list[str] | None = None, lang: str = "en") -> nx.MultiDiGraph:
    """Entities and their relationships as a networkx multigraph keyed by entity id."""
    statements = Statements(ontology)
    check_types(ontology, types)
    from ..wording import Wording
    graph = nx.MultiDiGraph()
    graph.graph["wording"] = Wording.from_store(store, ontology).words
    # colours follow the organization's declared groups (ig:groupsBy) where it declares them
    from ..analysis.network import declared_group_labels, read_network
    declared = read_network(store, ontology).groups if declared_group_labels(store, ontology) else {}
    graph.graph["declared_groups"] = bool(declared)
    uri_to_id = {}
    for row in store.run(READ_NODES).rows:
        p = dict(row["properties"])
        uri_to_id[row["uri"]] = p["id"]
        sector_ids = [declared[row["uri"]]] if row["uri"] in declared else sorted(set(row["own"]) or set(row["via"]))
        name = (p.get(f"name_{lang}") if lang != "en" else None) or p.get("name") or p["id"]
        graph.add_node(p["id"], **{**p, "label": name, "labels": [l for l in row["labels"] if l != "Resource"],
                                   "kind": kind_of(row["labels"]), "divisions": sector_ids,
                                   "division": sector_ids[0] if len(sector_ids) == 1 else ("several" if sector_ids else "none")})
    for row in store.run(statements.READ_RELATIONSHIPS).rows:
        if row["type"] in statements.types and row["source"] in uri_to_id and row["target"] in uri_to_id:
            graph.add_edge(uri_to_id[row["source"]], uri_to_id[row["target"]], key=row["type"], relation=row["type"],
                           sources=list(row["sources"] or []))
    return filter_graph(graph, focus=focus, depth=depth, types=types, sectors=sectors)


def filter_graph(graph: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 1, types: list[str] | None = None,
                 sectors: list[str] | None = None) -> nx.MultiDiGraph:
    """The neighbourhood of ``focus`` (``depth`` hops), then the entities of the classes ``types``,
    then those of the divisions (or network groups) ``sectors``; graph attributes are kept."""
    if focus:
        if focus not in graph:
            raise ParameterError(f"no entity with id {focus!r} to focus on")
        keep = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus, cutoff=depth)
        graph = graph.subgraph(keep).copy()
    if types:
        graph = graph.subgraph([n for n, d in graph.nodes(data=True) if set(types) & set(d["labels"])]).copy()
    if sectors:  # divisions (Sectors in ITU's data)
        graph = graph.subgraph([n for n, d in graph.nodes(data=True) if set(sectors) & set(d["divisions"])
                                or n in sectors]).copy()
    return graph


def mark_findings(graph: nx.MultiDiGraph, findings, questions=()) -> None:
    """Flag the entities of each finding (the first entity is what the finding is about): gaps
    (``findings``) ringed by severity, ``questions`` to verify listed apart (``finding_list``)."""
    for f in questions:
        for position, entity in enumerate(f.entities):
            if entity in graph:
                graph.nodes[entity].setdefault("finding_list", []).append(
                    {"id": f.id, "title": f.title, "title_zh": f.title_zh, "severity": f.severity, "gap": False,
                     "subject": position == 0})
    for f in findings:
        for position, entity in enumerate(f.entities):
            if entity in graph:
                node = graph.nodes[entity]
                node.setdefault("findings", []).append(f.id)
                node.setdefault("finding_list", []).insert(0, {"id": f.id, "title": f.title, "title_zh": f.title_zh,
                                                               "severity": f.severity, "gap": True,
                                                               "subject": position == 0})
                if position == 0:
                    node["finding_subject"] = True
                    node["finding_severity"] = max(node.get("finding_severity", "low"), f.severity,
                                                   key=("low", "medium", "high").index)
