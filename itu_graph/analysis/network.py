"""The coordination network: which agents are tied, read from the store.

Projection (documented in docs/analysis.md):

* nodes: units, bodies, offices and posts (``:Agent`` that neither is a coordination mechanism
  nor coordinates anything, and is not an aggregate nor the organization itself); a post that
  heads a unit stands for that unit (the Director of TSB is TSB in the network). The organization
  contains every agent: a tie "through" it (it leads an initiative a unit takes part in) is no
  channel between its parts, so it is no broker;
* a tie between two agents for every coordinator (a mechanism, or any agent with a COORDINATES
  link) both take part in or lead, every initiative both lead or take part in, and every direct
  coordination link between them (LIAISES_WITH, ASSISTS, ADVISES); the tie's weight counts these.
  An aggregate (a node standing for a set of units) that takes part in something makes its
  members take part only when its members act for it (``members_act``).
* structure is *not* coordination: SUB_ORGANIZATION_OF, PART_OF and REPORTS_TO place an agent in
  its group but make no tie, so a parent is never a broker for its own parts;
* shared topics are *not* ties either: working on the same topic without a channel between the
  units is exactly what the overlap rules look for, so counting it as coordination would hide it.

Groups: those the organization declares (ig:groupsBy: the nearest instance of a declared class
above the agent); by default the agent's division (through SUB_ORGANIZATION_OF, or the unit its
post heads), else the general secretariat, else the topmost field office above it (or
``field-offices``), else ``other`` (governance bodies outside the divisions, external partners).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ..memory import without_collector
from ..store.base import GraphStore

# One hop each: groups are derived in Python from these edge lists (a breadth-first walk up
# SUB_ORGANIZATION_OF), which stays linear where variable-length OPTIONAL MATCHes per agent did not.
READ_AGENTS = """
MATCH (a:Agent)
WHERE NOT a:CoordinationMechanism AND NOT a:Aggregate AND NOT a:Organization
  AND NOT (a)-[:COORDINATES]->(:Resource)
RETURN a.uri AS uri, a.id AS id, a.name AS name, labels(a) AS labels
"""
READ_HEADS = """
MATCH (a:Agent)-[:HEADS]->(b:Agent)
RETURN a.uri AS source, b.uri AS target
"""
READ_SUB_ORGANIZATIONS = """
MATCH (a:Resource)-[:SUB_ORGANIZATION_OF]->(b:Resource)
RETURN a.uri AS source, b.uri AS target
"""
READ_GROUP_ROOTS = """
MATCH (n:Resource)
WHERE n:Division OR n:GeneralSecretariat OR n:FieldOffice{declared}
RETURN n.uri AS uri, n.id AS id, labels(n) AS labels
"""
#: The organization's own declaration of its groups (ig:groupsBy): class IRIs.
READ_GROUPING = """
MATCH (o:Organization)
WHERE o.groups_by IS NOT NULL
RETURN o.groups_by AS classes
"""
READ_REGIONS = """
MATCH (a:Agent)-[:SERVES_REGION]->(r:Region)
RETURN a.uri AS source, r.id AS region
"""
READ_SHARED = """
MATCH (a:Agent)-[:PARTICIPATES_IN|LEADS]->(x:Resource)
WHERE (x:CoordinationMechanism OR x:Initiative OR (x)-[:COORDINATES]->(:Resource)) AND NOT x:Aggregate
  AND (NOT a:Aggregate OR a.members_act = true)
RETURN x.uri AS hub, x.id AS hub_id, collect(DISTINCT a.uri) AS members
"""
#: Members of aggregates whose members act for them: what the aggregate joins, they join.
READ_ACTING_MEMBERS = """
MATCH (m:Agent)-[:SUB_ORGANIZATION_OF|PART_OF]->(g:Aggregate)
WHERE g.members_act = true
RETURN g.uri AS aggregate, collect(DISTINCT m.uri) AS members
"""
READ_DIRECT = """
MATCH (a:Agent)-[r:LIAISES_WITH|ASSISTS|ADVISES]->(b:Agent)
RETURN a.uri AS source, b.uri AS target, type(r) AS type
"""

QUERIES = (READ_AGENTS, READ_HEADS, READ_SUB_ORGANIZATIONS, READ_GROUP_ROOTS.format(declared=""), READ_GROUPING,
           READ_REGIONS, READ_SHARED, READ_ACTING_MEMBERS, READ_DIRECT)
#: The group of agents under no division, secretariat or field office (and of none declared).
OTHER = "other"
#: The group of field offices with no field-office entity above them to name it.
FIELD_OFFICES = "field-offices"
#: How far up SUB_ORGANIZATION_OF an agent's Sector or Secretariat is looked for, and a field office.
SECTOR_DEPTH, FIELD_DEPTH = 5, 3


@dataclass
class CoordinationNetwork:
    graph: nx.Graph
    groups: dict  # uri -> group id
    regions: dict  # uri -> region id (field offices)
    ids: dict  # uri -> short id
    names: dict  # uri -> English name
    hubs: dict  # uri -> ids of the mechanisms and initiatives it takes part in or leads
    direct: dict  # (uri, uri) sorted -> relationship types between them

    def why(self, a: str, b: str) -> list[str]:
        """What ties two agents: shared mechanisms and initiatives, then direct relationships."""
        key = (a, b) if a <= b else (b, a)
        return sorted(self.hubs.get(a, set()) & self.hubs.get(b, set())) + self.direct.get(key, [])


def _within(up: dict[str, list[str]], start: str, depth: int) -> dict[str, int]:
    """Nodes reachable from ``start`` in at most ``depth`` steps along ``up``, with their distance
    (a shortest walk is a path, so this is Cypher's ``*0..depth`` without repeated relationships)."""
    seen = {start: 0}
    frontier = [start]
    for level in range(1, depth + 1):
        nxt = []
        for node in frontier:
            for parent in up.get(node, ()):
                if parent not in seen:
                    seen[parent] = level
                    nxt.append(parent)
        frontier = nxt
    return seen


def declared_group_labels(store: GraphStore, ontology) -> list[str]:
    """The property-graph labels of the classes the data declares as its groups (ig:groupsBy on
    the organization), in the ontology's mapping; unknown IRIs are ignored (validation reports them)."""
    if ontology is None:
        return []
    labels = []
    for row in store.run(READ_GROUPING).rows:
        classes = row["classes"] if isinstance(row["classes"], list) else [row["classes"]]
        for iri in classes:
            info = ontology.classes.get(str(iri))
            if info and info.cypher_label not in labels:
                labels.append(info.cypher_label)
    return labels


def _group_of(reach: dict[str, int], own_labels, declared: list[str], roots: dict[str, tuple[str, list[str]]]) -> str:
    """Declared groups: the nearest node above (or the agent itself) that has a declared label.
    Default: the nearest division, else the general secretariat, else the topmost field office
    within reach, else ``other``."""
    by_distance = sorted(((d, n) for n, d in reach.items() if n in roots), key=lambda x: (x[0], roots[x[1]][0]))
    if declared:
        for _d, node in by_distance:
            if set(roots[node][1]) & set(declared):
                return roots[node][0]
        return OTHER
    for wanted in ("Division", "GeneralSecretariat"):
        for _d, node in by_distance:
            if wanted in roots[node][1]:
                return roots[node][0]
    offices = [(d, node) for d, node in by_distance if "FieldOffice" in roots[node][1] and d <= FIELD_DEPTH]
    if offices:
        return roots[max(offices)[1]][0]  # the topmost office: the network of offices, when there is one
    return FIELD_OFFICES if "FieldOffice" in own_labels else OTHER


@without_collector
def read_network(store: GraphStore, ontology=None) -> CoordinationNetwork:
    """Read the coordination network (projection in the module docstring); ``ontology`` maps the
    data's declared group classes (ig:groupsBy) to labels."""
    agents = store.run(READ_AGENTS).rows
    heads: dict[str, set[str]] = defaultdict(set)
    for row in store.run(READ_HEADS).rows:
        heads[row["source"]].add(row["target"])
    up: dict[str, list[str]] = defaultdict(list)
    for row in store.run(READ_SUB_ORGANIZATIONS).rows:
        up[row["source"]].append(row["target"])
    declared = declared_group_labels(store, ontology)
    # labels come from the ontology's mapping, never from the data's text
    extra = "".join(f" OR n:{label}" for label in declared)
    roots = {row["uri"]: (row["id"], row["labels"]) for row in store.run(READ_GROUP_ROOTS.format(declared=extra)).rows}
    served: dict[str, set[str]] = defaultdict(set)
    for row in store.run(READ_REGIONS).rows:
        served[row["source"]].add(row["region"])

    represent: dict[str, str] = {}
    graph = nx.Graph()
    groups, regions, ids, names = {}, {}, {}, {}
    for row in agents:
        ids[row["uri"]] = row["id"]
        names[row["uri"]] = row["name"]
        if "Post" in row["labels"] and len(heads.get(row["uri"], ())) == 1:
            represent[row["uri"]] = next(iter(heads[row["uri"]]))
    for row in agents:
        uri = row["uri"]
        if uri in represent:
            continue
        graph.add_node(uri)
        # the agent itself and the unit it heads (HEADS*0..1), then up SUB_ORGANIZATION_OF
        reach: dict[str, int] = {}
        for start in (uri, *heads.get(uri, ())):
            for node, distance in _within(up, start, SECTOR_DEPTH).items():
                reach[node] = min(distance, reach.get(node, distance))
        groups[uri] = _group_of(reach, row["labels"], declared, roots)
        if served.get(uri):
            regions[uri] = sorted(served[uri])[0]

    def node(uri: str) -> str | None:
        uri = represent.get(uri, uri)
        return uri if uri in graph else None

    nodes = list(graph.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    hubs: dict[str, set[str]] = defaultdict(set)
    rows, cols = [], []
    acting = {row["aggregate"]: row["members"] for row in store.run(READ_ACTING_MEMBERS).rows}
    for k, row in enumerate(store.run(READ_SHARED).rows):
        members = [m for u in row["members"] for m in acting.get(u, [u])]
        for member in {m for m in (node(u) for u in members) if m}:
            hubs[member].add(row["hub_id"])
            rows.append(index[member])
            cols.append(k)
    direct: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in store.run(READ_DIRECT).rows:
        a, b = node(row["source"]), node(row["target"])
        if a and b and a != b:
            direct[(a, b) if a <= b else (b, a)].append(row["type"])
    # tie weights: shared hubs (the co-membership product B·Bᵀ of the agent-hub incidence
    # matrix, computed sparse rather than pair by pair) plus direct relationships
    n = len(nodes)
    incidence = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(cols, default=-1) + 1))
    shared = sp.triu(incidence @ incidence.T, k=1).tocoo()
    weights: dict[tuple[int, int], float] = {}
    for i, j, w in zip(shared.row.tolist(), shared.col.tolist(), shared.data.tolist()):
        weights[(i, j)] = w
    for (a, b), types in direct.items():
        i, j = sorted((index[a], index[b]))
        weights[(i, j)] = weights.get((i, j), 0.0) + len(types)
    graph.add_weighted_edges_from((nodes[i], nodes[j], int(w)) for (i, j), w in weights.items())
    return CoordinationNetwork(graph, groups, regions, ids, names, dict(hubs), dict(direct))
