"""The coordination network: which agents are tied, read from the store.

Projection (documented in docs/analysis.md):

* nodes: units, bodies, offices and posts (``:Agent`` that is not a coordination mechanism);
  a post that heads a unit stands for that unit (the Director of TSB is TSB in the network);
* a tie between two agents for every coordination mechanism both take part in or lead, every
  initiative both lead or take part in, and every direct link between them (LIAISES_WITH,
  ASSISTS, ADVISES, REPORTS_TO, SUB_ORGANIZATION_OF); the tie's weight counts these.
* shared topics are *not* ties: working on the same topic without a channel between the units
  is exactly what the overlap rules look for, so counting it as coordination would hide it.

Groups: an agent's Sector (through SUB_ORGANIZATION_OF, or the unit its post heads), else
``general-secretariat`` for the Secretariat and its parts, else ``regional-presence`` for field
offices, else ``other`` (governance bodies outside the Sectors, external partners).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from ..store.base import GraphStore

READ_AGENTS = """
MATCH (a:Agent)
WHERE NOT a:CoordinationMechanism
OPTIONAL MATCH (a)-[:HEADS]->(headed:Agent)
OPTIONAL MATCH (a)-[:HEADS*0..1]->(:Agent)-[:SUB_ORGANIZATION_OF*0..5]->(s:Sector)
OPTIONAL MATCH (a)-[:HEADS*0..1]->(:Agent)-[:SUB_ORGANIZATION_OF*0..5]->(gs:GeneralSecretariat)
OPTIONAL MATCH (a)-[:HEADS*0..1]->(:Agent)-[:SUB_ORGANIZATION_OF*0..3]->(f:FieldOffice)
OPTIONAL MATCH (a)-[:SERVES_REGION]->(r:Region)
RETURN a.uri AS uri, a.id AS id, a.name AS name, labels(a) AS labels, collect(DISTINCT headed.uri) AS heads,
       collect(DISTINCT s.id) AS sectors, count(DISTINCT gs) AS in_gs, count(DISTINCT f) AS in_field,
       collect(DISTINCT r.id) AS regions
"""
READ_SHARED = """
MATCH (a:Agent)-[:PARTICIPATES_IN|LEADS]->(x:Resource)
WHERE x:CoordinationMechanism OR x:Initiative
RETURN x.uri AS hub, x.id AS hub_id, collect(DISTINCT a.uri) AS members
"""
READ_DIRECT = """
MATCH (a:Agent)-[r:LIAISES_WITH|ASSISTS|ADVISES|REPORTS_TO|SUB_ORGANIZATION_OF]->(b:Agent)
RETURN a.uri AS source, b.uri AS target, type(r) AS type
"""

QUERIES = (READ_AGENTS, READ_SHARED, READ_DIRECT)


@dataclass
class CoordinationNetwork:
    graph: nx.Graph
    groups: dict  # uri -> group id
    regions: dict  # uri -> region id (field offices)
    ids: dict  # uri -> short id
    names: dict  # uri -> English name
    ties: dict  # (uri, uri) sorted -> list of why (hub ids or relationship types)


def read_network(store: GraphStore) -> CoordinationNetwork:
    agents = store.run(READ_AGENTS).rows
    represent: dict[str, str] = {}
    graph = nx.Graph()
    groups, regions, ids, names = {}, {}, {}, {}
    for row in agents:
        ids[row["uri"]] = row["id"]
        names[row["uri"]] = row["name"]
        heads = [h for h in row["heads"] if h]
        if "Post" in row["labels"] and len(heads) == 1:
            represent[row["uri"]] = heads[0]
    for row in agents:
        uri = row["uri"]
        if uri in represent:
            continue
        graph.add_node(uri)
        if row["sectors"]:
            groups[uri] = sorted(row["sectors"])[0]
        elif row["in_gs"] or "GeneralSecretariat" in row["labels"]:
            groups[uri] = "general-secretariat"
        elif row["in_field"] or "FieldOffice" in row["labels"]:
            groups[uri] = "regional-presence"
        else:
            groups[uri] = "other"
        if row["regions"]:
            regions[uri] = sorted(row["regions"])[0]
    ties: dict = defaultdict(list)

    def node(uri: str) -> str | None:
        uri = represent.get(uri, uri)
        return uri if uri in graph else None

    for row in store.run(READ_SHARED).rows:
        members = sorted({m for m in (node(u) for u in row["members"]) if m})
        for a, b in combinations(members, 2):
            ties[(a, b)].append(row["hub_id"])
    for row in store.run(READ_DIRECT).rows:
        a, b = node(row["source"]), node(row["target"])
        if a and b and a != b:
            ties[tuple(sorted((a, b)))].append(row["type"])
    for (a, b), why in ties.items():
        graph.add_edge(a, b, weight=len(why))
    return CoordinationNetwork(graph, groups, regions, ids, names, dict(ties))
