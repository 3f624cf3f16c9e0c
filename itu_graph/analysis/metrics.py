"""Organizational network metrics, with the definitions they implement.

Burt's constraint and effective size are computed with sparse matrices (scipy) and give the
same values as networkx's pure-Python ``constraint`` and ``effective_size`` (to 1e-9; the tests
check it). The Krackhardt E-I index and the Gould-Fernandez brokerage roles are not in
networkx; they are implemented here.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp


def _adjacency(graph: nx.Graph, weight: str | None):
    nodes = list(graph.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        w = float(data.get(weight, 1.0)) if weight else 1.0
        i, j = index[u], index[v]
        rows.append(i), cols.append(j), vals.append(w)
        if not graph.is_directed():
            rows.append(j), cols.append(i), vals.append(w)
    n = len(nodes)
    a = sp.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=float)
    a.sum_duplicates()
    return nodes, a


def _mutual(a: sp.csr_matrix) -> sp.csr_matrix:
    """w_ij + w_ji: networkx's mutual weight (for undirected graphs, twice the edge weight)."""
    return (a + a.T).tocsr()


def _row_scale(m: sp.csr_matrix, factors: np.ndarray) -> sp.csr_matrix:
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(factors > 0, 1.0 / factors, 0.0)
    return sp.diags(inv) @ m


def constraint(graph: nx.Graph, weight: str | None = None) -> dict:
    """Burt's constraint (Burt 1992, *Structural Holes*, eq. 2.4).

    c_i = sum over neighbours j of (p_ij + sum_q p_iq p_qj)^2, where p_ij is the share of i's
    (mutual) tie strength invested in j. Same definition and values as
    ``networkx.constraint``; NaN for isolated nodes. Vectorized: P + P·P on the sparsity
    pattern of P.
    """
    nodes, a = _adjacency(graph, weight)
    m = _mutual(a)
    p = _row_scale(m, np.asarray(m.sum(axis=1)).ravel()).tocsr()
    pattern = p.copy()
    pattern.data = np.ones_like(pattern.data)
    indirect = (p @ p).multiply(pattern)
    local = (p + indirect).tocsr()
    local.data **= 2
    values = np.asarray(local.sum(axis=1)).ravel()
    degree = np.diff(pattern.indptr)
    return {n: (float(values[i]) if degree[i] else float("nan")) for i, n in enumerate(nodes)}


def effective_size(graph: nx.Graph, weight: str | None = None) -> dict:
    """Burt's effective size (Burt 1992), as generalized by Borgatti (1997) for weights.

    e_i = sum over neighbours j of (1 - sum_q p_iq m_jq), with p as in :func:`constraint` and
    m_jq = mutual weight of j-q over j's strongest tie. Same values as
    ``networkx.effective_size``; NaN for isolated nodes.
    """
    nodes, a = _adjacency(graph, weight)
    m = _mutual(a)
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    row_max = np.asarray(m.max(axis=1).todense()).ravel()
    p = _row_scale(m, row_sum).tocsr()
    mm = _row_scale(m, row_max).tocsr()
    pattern = p.copy()
    pattern.data = np.ones_like(pattern.data)
    redundancy = (p @ mm.T).multiply(pattern)
    degree = np.diff(pattern.indptr)
    values = degree - np.asarray(redundancy.sum(axis=1)).ravel()
    return {n: (float(values[i]) if degree[i] else float("nan")) for i, n in enumerate(nodes)}


def ei_index(graph: nx.Graph, groups: dict) -> dict:
    """Krackhardt and Stern (1988) E-I index: (E - I) / (E + I).

    E counts ties to members of other groups, I ties inside one's own group. Returns per node
    (``nodes``), per group (``groups``: a group's ties counted from its members' side, so an
    internal tie counts twice, as in the original group-level index over member ties) and for
    the whole network (``network``: each tie once). Nodes without a group are left out; a node
    with no ties to grouped nodes gets NaN.
    """
    per_node: dict = {}
    group_counts: dict = defaultdict(lambda: [0, 0])  # external, internal
    external_total = internal_total = 0
    for u, v in graph.edges():
        if u == v or u not in groups or v not in groups:
            continue
        if groups[u] == groups[v]:
            internal_total += 1
        else:
            external_total += 1
    for node in graph.nodes():
        if node not in groups:
            continue
        e = i = 0
        for other in graph.neighbors(node):
            if other == node or other not in groups:
                continue
            if groups[other] == groups[node]:
                i += 1
            else:
                e += 1
        per_node[node] = (e - i) / (e + i) if e + i else float("nan")
        group_counts[groups[node]][0] += e
        group_counts[groups[node]][1] += i
    per_group = {g: ((e - i) / (e + i) if e + i else float("nan")) for g, (e, i) in group_counts.items()}
    total = external_total + internal_total
    network = (external_total - internal_total) / total if total else float("nan")
    return {"nodes": per_node, "groups": per_group, "network": network}


ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def brokerage(graph: nx.Graph, groups: dict) -> dict:
    """Gould and Fernandez (1989) brokerage roles, as R's ``sna::brokerage`` counts them.

    For every two-path a -> v -> b with a != b and no tie a -> b, broker v gets one count in
    the role set by group membership (g): coordinator g(a)=g(v)=g(b); itinerant
    g(a)=g(b)!=g(v); representative g(a)=g(v)!=g(b); gatekeeper g(a)!=g(v)=g(b); liaison all
    different. An undirected graph is read as symmetric (each tie both ways), as sna reads a
    symmetric matrix, so every open pair is counted once in each direction. Nodes without a
    group get their own singleton group.
    """
    directed = graph if graph.is_directed() else graph.to_directed()
    g = {n: groups.get(n, ("__self__", n)) for n in directed.nodes()}
    result = {n: Counter({r: 0 for r in ROLES}) for n in directed.nodes()}
    for v in directed.nodes():
        preds = [a for a in directed.predecessors(v) if a != v]
        succs = [b for b in directed.successors(v) if b != v]
        for a in preds:
            for b in succs:
                if a == b or directed.has_edge(a, b):
                    continue
                ga, gv, gb = g[a], g[v], g[b]
                if ga == gv == gb:
                    role = "coordinator"
                elif ga == gb:
                    role = "itinerant"
                elif ga == gv:
                    role = "representative"
                elif gv == gb:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                result[v][role] += 1
    return {n: dict(c, total=sum(c.values())) for n, c in result.items()}


def normalized_mutual_information(labels_a: dict, labels_b: dict) -> float:
    """NMI (Danon et al. 2005, arithmetic mean normalization) between two partitions of the
    same nodes: 1 when they agree, 0 when independent."""
    nodes = [n for n in labels_a if n in labels_b]
    if not nodes:
        return float("nan")
    n = len(nodes)
    joint = Counter((labels_a[x], labels_b[x]) for x in nodes)
    ca = Counter(labels_a[x] for x in nodes)
    cb = Counter(labels_b[x] for x in nodes)
    mi = sum(c / n * np.log((c * n) / (ca[a] * cb[b])) for (a, b), c in joint.items())
    ha = -sum(c / n * np.log(c / n) for c in ca.values())
    hb = -sum(c / n * np.log(c / n) for c in cb.values())
    if ha + hb == 0:
        return 1.0
    return float(2 * mi / (ha + hb))


@dataclass
class NetworkMetrics:
    betweenness: dict
    constraint: dict
    effective_size: dict
    ei: dict
    ei_region: dict
    brokerage: dict
    articulation_points: set
    bridges: list
    communities: dict
    community_vs_groups_nmi: float
    degree: dict


def compute(graph: nx.Graph, groups: dict, regions: dict, weight: str | None = "weight") -> NetworkMetrics:
    """All metrics of the coordination network (undirected, weighted by shared ties)."""
    if graph.number_of_nodes() > 3000:
        # exact betweenness is O(n m); beyond a few thousand agents a seeded sample of sources
        # (Brandes and Pich 2007) keeps analyze interactive with ranks that barely move
        between = nx.betweenness_centrality(graph, k=min(500, graph.number_of_nodes()), seed=7)
    else:
        between = nx.betweenness_centrality(graph)
    communities: dict = {}
    if graph.number_of_edges():
        for k, members in enumerate(sorted(nx.community.greedy_modularity_communities(graph, weight=weight),
                                           key=lambda c: (-len(c), sorted(c)))):
            for m in members:
                communities[m] = k
    grouped = {n: groups[n] for n in communities if n in groups}
    return NetworkMetrics(
        betweenness=between,
        constraint=constraint(graph, weight),
        effective_size=effective_size(graph, weight),
        ei=ei_index(graph, groups),
        ei_region=ei_index(graph, regions),
        brokerage=brokerage(graph, groups),
        articulation_points=set(nx.articulation_points(graph)),
        bridges=sorted(tuple(sorted(e)) for e in nx.bridges(graph)),
        communities=communities,
        community_vs_groups_nmi=normalized_mutual_information(communities, grouped),
        degree=dict(graph.degree()),
    )
