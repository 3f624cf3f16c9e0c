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
    """Gould and Fernandez (1989) brokerage roles (see :func:`brokerage_two_paths`).

    Undirected graphs whose nodes all have a group are counted with sparse matrices (same
    counts, by group arithmetic instead of enumerating two-paths); others by enumeration."""
    if not graph.is_directed() and all(n in groups for n in graph.nodes()) and graph.number_of_nodes():
        return _brokerage_undirected(graph, groups)
    return brokerage_two_paths(graph, groups)


def _brokerage_undirected(graph: nx.Graph, groups: dict) -> dict:
    """For broker v with neighbour counts c[g] per group: ordered neighbour pairs (a, b), a != b,
    number c[g1]c[g2] (minus c[g1] on the diagonal); the closed ones, a tied to b, are
    T_v[g1, g2] = (A S_g1 A S_g2 A)[v, v], one sparse product per group; open = all - closed,
    then summed into the five roles by whether g1, g2 equal v's group."""
    nodes, a = _adjacency(graph, None)
    a.data = np.ones_like(a.data)
    labels = sorted({groups[n] for n in nodes}, key=str)
    gi = {g: i for i, g in enumerate(labels)}
    member = np.array([gi[groups[n]] for n in nodes])
    k, n = len(labels), len(nodes)
    indicator = sp.csr_matrix((np.ones(n), (np.arange(n), member)), shape=(n, k))
    counts = np.asarray((a @ indicator).todense())  # c_v[g]
    closed = np.zeros((n, k, k))
    for g1 in range(k):
        keep = sp.diags((member == g1).astype(float))
        two_paths = (a @ keep @ a).multiply(a).tocsr()  # v -> a (in g1) -> b, with b tied to v
        closed[:, g1, :] = np.asarray((two_paths @ indicator).todense())
    total = counts[:, :, None] * counts[:, None, :]
    total[:, np.arange(k), np.arange(k)] -= counts
    open_pairs = total - closed
    own = member
    idx = np.arange(n)
    diag = open_pairs[:, np.arange(k), np.arange(k)]  # (n, k): O[g, g]
    coordinator = diag[idx, own]
    itinerant = diag.sum(axis=1) - coordinator
    row_own = open_pairs[idx, own, :]  # O[h, g2]
    col_own = open_pairs[idx, :, own]  # O[g1, h]
    representative = row_own.sum(axis=1) - coordinator
    gatekeeper = col_own.sum(axis=1) - coordinator
    liaison = open_pairs.sum(axis=(1, 2)) - coordinator - itinerant - representative - gatekeeper
    result = {}
    for i, node in enumerate(nodes):
        roles = {"coordinator": int(round(coordinator[i])), "itinerant": int(round(itinerant[i])),
                 "representative": int(round(representative[i])), "gatekeeper": int(round(gatekeeper[i])),
                 "liaison": int(round(liaison[i]))}
        result[node] = dict(roles, total=sum(roles.values()))
    return result


def brokerage_two_paths(graph: nx.Graph, groups: dict) -> dict:
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


def betweenness(graph: nx.Graph, k: int | None = None, seed: int | None = None) -> dict:
    """Shortest-path betweenness (Freeman 1977), normalized, endpoints excluded, unweighted.

    Brandes' (2001) dependency accumulation, written as sparse-matrix products over a batch of
    sources at once (the algebraic form of Brandes' algorithm; Bulu\u00e7 and Gilbert 2011,
    *The Combinatorial BLAS*): one breadth-first level of all sources in the batch is one
    product with the adjacency matrix, forwards for path counts, backwards for dependencies.
    With ``k``, the sources are a sample of k nodes (Brandes and Pich 2007), drawn and rescaled
    as ``networkx.betweenness_centrality(graph, k=k, seed=seed)`` does, so the values equal
    networkx's (the tests check it, exact and sampled).
    """
    import random
    nodes = list(graph.nodes())
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    rows, cols = [], []
    for u, v in graph.edges():
        if u == v:
            continue
        rows.append(index[u]), cols.append(index[v])
        if not graph.is_directed():
            rows.append(index[v]), cols.append(index[u])
    a = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    a.data[:] = 1.0  # parallel edges count once, as in a breadth-first search
    a_t = a.T.tocsr()
    sampled = k is not None and k < n
    sources = [index[v] for v in random.Random(seed).sample(nodes, k)] if sampled else list(range(n))
    scores = np.zeros(n)
    batch = int(min(max(1, 4_000_000 // n), 256))
    for start in range(0, len(sources), batch):
        chunk = np.asarray(sources[start:start + batch])
        columns = np.arange(len(chunk))
        sigma = np.zeros((n, len(chunk)))
        sigma[chunk, columns] = 1.0
        dist = np.full((n, len(chunk)), -1, dtype=np.int32)
        dist[chunk, columns] = 0
        frontier, depth = sigma.copy(), 0
        while True:  # forward: shortest-path counts, one level of every source per product
            reached = a_t @ frontier
            reached[dist >= 0] = 0.0
            new = reached > 0
            if not new.any():
                break
            depth += 1
            dist[new] = depth
            sigma += reached
            frontier = reached
        delta = np.zeros_like(sigma)
        safe_sigma = np.where(sigma > 0, sigma, 1.0)
        for level in range(depth, 0, -1):  # backward: dependencies, deepest level first
            share = np.where(dist == level, (1.0 + delta) / safe_sigma, 0.0)
            pulled = a @ share
            delta += np.where(dist == level - 1, sigma * pulled, 0.0)
        delta[chunk, columns] = 0.0  # a source is not between itself and a target
        scores += delta.sum(axis=1)
    big_n = n - 1  # rescaling exactly as networkx 3.7's _rescale (normalized, no endpoints)
    if big_n < 2:
        return {v: 0.0 for v in nodes}
    if not sampled:
        scores *= 1.0 / (big_n * (big_n - 1))
    else:
        chosen = np.zeros(n, dtype=bool)
        chosen[sources] = True
        scale_source = 1.0 / ((k - 1) * (big_n - 1)) if k > 1 else float("nan")
        scores = np.where(chosen, scores * scale_source, scores / (k * (big_n - 1)))
    return {v: float(scores[i]) for i, v in enumerate(nodes)}


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


#: Networks up to this many agents get exact betweenness; larger ones a sample of sources.
BETWEENNESS_EXACT_UP_TO = 1000
BETWEENNESS_SAMPLE = 200


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
    if graph.number_of_nodes() > BETWEENNESS_EXACT_UP_TO:
        # exact betweenness is O(n m); beyond a thousand agents a seeded sample of sources
        # (Brandes and Pich 2007) keeps analyze interactive with ranks that barely move
        between = betweenness(graph, k=BETWEENNESS_SAMPLE, seed=7)
    else:
        between = betweenness(graph)
    communities: dict = {}
    if graph.number_of_edges():
        found = nx.community.louvain_communities(graph, weight=weight, seed=7)
        for k, members in enumerate(sorted(found, key=lambda c: (-len(c), sorted(c)))):
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
