"""Organizational network metrics, with the definitions they implement.

Burt's constraint and effective size (and the brokerage roles' closed pairs) come from one
vectorized pass over the network's triangles, betweenness from Brandes' algorithm as sparse
products; they give the same values as networkx's pure-Python ``constraint``,
``effective_size`` and ``betweenness_centrality`` (to 1e-9; the tests check it). Louvain
communities, articulation points and bridges run in igraph's C core. The Krackhardt E-I index
and the Gould-Fernandez brokerage roles are not in networkx; they are implemented here.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp


@dataclass
class EdgeList:
    """A graph's nodes (in order) and ties as index and weight arrays, read from networkx once
    and shared by every metric (each conversion is a Python pass over all ties)."""

    nodes: list
    rows: np.ndarray
    cols: np.ndarray
    weights: np.ndarray
    directed: bool

    @classmethod
    def of(cls, graph: nx.Graph, weight: str | None) -> "EdgeList":
        nodes = list(graph.nodes())
        index = {n: i for i, n in enumerate(nodes)}
        triples = [(index[u], index[v], float(data.get(weight, 1.0)) if weight else 1.0)
                   for u, v, data in graph.edges(data=True) if u != v]
        array = np.array(triples, dtype=float).reshape(-1, 3)
        return cls(nodes, array[:, 0].astype(np.int64), array[:, 1].astype(np.int64), array[:, 2],
                   graph.is_directed())


def _adjacency(graph: nx.Graph, weight: str | None, edges: EdgeList | None = None):
    """Weighted adjacency (both directions for an undirected graph), self-loops left out."""
    edges = edges or EdgeList.of(graph, weight)
    rows, cols, vals = edges.rows, edges.cols, edges.weights if weight else np.ones(len(edges.rows))
    if not edges.directed:
        rows, cols, vals = np.concatenate([rows, cols]), np.concatenate([cols, rows]), np.concatenate([vals, vals])
    n = len(edges.nodes)
    a = sp.csr_matrix((vals, (rows, cols)), shape=(n, n), dtype=float)
    a.sum_duplicates()
    return edges.nodes, a


def _mutual(a: sp.csr_matrix) -> sp.csr_matrix:
    """w_ij + w_ji: networkx's mutual weight (for undirected graphs, twice the edge weight)."""
    return (a + a.T).tocsr()


#: candidate checks per chunk of the triangle listing (bounds its memory), and the cells of the
#: dense position rows kept for the highest-degree nodes
TRIANGLE_CHUNK = 4_000_000
HUB_CELLS = 25_000_000
HUB_DEGREE = 64


def _triangles(pattern: sp.csr_matrix):
    """Every (edge, common neighbour) of an undirected graph, as positions into ``pattern``.

    The quantities behind Burt's measures and the brokerage roles sum over two-paths i-q-j
    whose ends are tied, that is over triangles. Listing them edge by edge, from the endpoint
    of lower degree (the edge-iterator with degree ordering; Schank and Wagner 2005, "Finding,
    counting and listing all triangles in large graphs"), costs the sum over edges of the
    smaller degree, where a product P·P would cost the sum of squared degrees, which hubs make
    quadratic. Yields, per chunk, CSR positions ``lh, hl, lq, ql, qh, hq`` (l, h the edge's
    ends, q the common neighbour; ``xy`` the position of entry (x, y)) and the node indices
    ``low, high, q``. Each triangle comes once per edge, so three times in all.
    """
    n = pattern.shape[0]
    indptr, indices = pattern.indptr, pattern.indices.astype(np.int64)
    degree = np.diff(indptr)
    rows = np.repeat(np.arange(n, dtype=np.int64), degree)
    keys = rows * n + indices  # sorted: CSR rows in order, columns sorted within a row
    transpose = np.searchsorted(keys, indices * n + rows)  # position of (j, i) for each (i, j)
    upper = np.flatnonzero(rows < indices)
    ei, ej = rows[upper], indices[upper]
    swap = (degree[ei] > degree[ej]) | ((degree[ei] == degree[ej]) & (ei > ej))
    low, high = np.where(swap, ej, ei), np.where(swap, ei, ej)
    pos_edge = np.where(swap, transpose[upper], upper)  # position of (low, high)
    # the highest-degree nodes get a dense row of positions, so most look-ups (a tie to a hub)
    # are one indexing operation instead of a binary search; at most HUB_CELLS cells
    hub_count = int(min(np.count_nonzero(degree >= HUB_DEGREE), HUB_CELLS // max(n, 1)))
    hubs = np.argsort(-degree, kind="stable")[:hub_count]
    hub_row = np.full(n, -1, dtype=np.int64)
    hub_row[hubs] = np.arange(hub_count)
    dense = np.full((hub_count, n), -1, dtype=np.int64 if pattern.nnz >= 2 ** 31 else np.int32)
    for r, h in enumerate(hubs):
        dense[r, indices[indptr[h]:indptr[h + 1]]] = np.arange(indptr[h], indptr[h + 1])  # position of (h, x)
    dense_flat = dense.ravel() if hub_count else np.full(1, -1, dtype=np.int64)
    work = degree[low].astype(np.int64)
    bounds = np.searchsorted(np.cumsum(work), np.arange(TRIANGLE_CHUNK, work.sum() + TRIANGLE_CHUNK, TRIANGLE_CHUNK))
    start = 0
    for stop in np.unique(np.minimum(bounds + 1, len(low))):
        if stop <= start:
            continue
        counts = work[start:stop]
        edge = np.repeat(np.arange(start, stop), counts)
        offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        lq = indptr[low[edge]] + offset
        q = indices[lq]
        row = hub_row[high[edge]]
        at_hub = row >= 0
        hq = dense_flat.take(np.where(at_hub, row * n + q, 0)).astype(np.int64)
        hq[~at_hub] = -1
        rest = np.flatnonzero(~at_hub)
        candidate = high[edge[rest]] * n + q[rest]
        where = np.searchsorted(keys, candidate)
        hit = keys.take(np.minimum(where, len(keys) - 1)) == candidate
        hq[rest[hit]] = where[hit]
        found = np.flatnonzero(hq >= 0)
        edge, lq, q, hq = edge.take(found), lq.take(found), q.take(found), hq.take(found)
        qh = transpose.take(hq)
        lh = pos_edge[edge]
        yield {"lh": lh, "hl": transpose[lh], "lq": lq, "ql": transpose[lq], "qh": qh, "hq": hq,
               "low": low[edge], "high": high[edge], "q": q}
        start = stop


def _mutual_ties(graph: nx.Graph, weight: str | None, edges: EdgeList | None = None) -> tuple[list, sp.csr_matrix]:
    """Mutual tie weights w_ij + w_ji (networkx's mutual weight; for an undirected graph twice
    the edge weight) as a CSR matrix with sorted indices and a symmetric pattern."""
    nodes, a = _adjacency(graph, weight, edges)
    m = _mutual(a)
    m.sort_indices()
    return nodes, m


def _burt(m: sp.csr_matrix, member: np.ndarray | None = None, groups: int = 0):
    """Burt's constraint and effective size for every node, and (with ``member``, each node's
    group index) the tied neighbour pairs per broker and group pair, in one pass over the
    triangles of ``m``'s pattern.

    p_ij = m_ij / sum_k m_ik and m_jq / max_k m_jk are scaled on the stored values, so every
    matrix keeps ``m``'s positions and a triangle's positions index all of them.
    """
    n = m.shape[0]
    degree = np.diff(m.indptr)
    rows = np.repeat(np.arange(n), degree)
    row_sum = np.bincount(rows, m.data, minlength=n)
    row_max = np.zeros(n)
    np.maximum.at(row_max, rows, m.data)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = m.data / row_sum[rows]
        mm = m.data / row_max[rows]
    indirect = np.zeros(m.nnz)  # per tie (i, j): sum over common neighbours q of p_iq p_qj
    redundancy = np.zeros(n)  # per node i: sum over ties (i, j) and common q of p_iq m_jq
    closed = np.zeros(n * groups * groups) if member is not None else None
    for t in _triangles(m):
        lh, hl, lq, ql, qh, hq = t["lh"], t["hl"], t["lq"], t["ql"], t["qh"], t["hq"]
        indirect += np.bincount(lh, p[lq] * p[qh], minlength=m.nnz)
        indirect += np.bincount(hl, p[hq] * p[ql], minlength=m.nnz)
        redundancy += np.bincount(t["low"], p[lq] * mm[hq], minlength=n)
        redundancy += np.bincount(t["high"], p[hq] * mm[lq], minlength=n)
        if closed is not None:  # the tie low-high closes the pair at broker q, in both orders
            gl, gh = member[t["low"]], member[t["high"]]
            closed += np.bincount(t["q"] * groups * groups + gl * groups + gh, minlength=len(closed))
            closed += np.bincount(t["q"] * groups * groups + gh * groups + gl, minlength=len(closed))
    constraint_values = np.bincount(rows, (p + indirect) ** 2, minlength=n).astype(float)
    effective = degree - redundancy
    isolated = degree == 0
    constraint_values[isolated] = np.nan
    effective[isolated] = np.nan
    return constraint_values, effective, (closed.reshape(n, groups, groups) if closed is not None else None)


def constraint(graph: nx.Graph, weight: str | None = None) -> dict:
    """Burt's constraint (Burt 1992, *Structural Holes*, eq. 2.4).

    c_i = sum over neighbours j of (p_ij + sum_q p_iq p_qj)^2, where p_ij is the share of i's
    (mutual) tie strength invested in j. Same definition and values as
    ``networkx.constraint``; NaN for isolated nodes. The indirect term is summed over the
    triangles on each tie (:func:`_triangles`), never over all two-paths.
    """
    nodes, m = _mutual_ties(graph, weight)
    values, _effective, _closed = _burt(m)
    return {node: float(values[i]) for i, node in enumerate(nodes)}


def effective_size(graph: nx.Graph, weight: str | None = None) -> dict:
    """Burt's effective size (Burt 1992), as generalized by Borgatti (1997) for weights.

    e_i = sum over neighbours j of (1 - sum_q p_iq m_jq), with p as in :func:`constraint` and
    m_jq = mutual weight of j-q over j's strongest tie. Same values as
    ``networkx.effective_size``; NaN for isolated nodes.
    """
    nodes, m = _mutual_ties(graph, weight)
    _values, effective, _closed = _burt(m)
    return {node: float(effective[i]) for i, node in enumerate(nodes)}


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
    if not _by_group_arithmetic(graph, groups):
        return brokerage_two_paths(graph, groups)
    nodes, m = _mutual_ties(graph, None)
    k, member = _group_index(nodes, groups)
    return _brokerage_undirected(nodes, m, member, k, _burt(m, member, k)[2])


def _by_group_arithmetic(graph: nx.Graph, groups: dict) -> bool:
    """Undirected, every node in a group: the roles can be counted by group arithmetic."""
    return not graph.is_directed() and graph.number_of_nodes() > 0 and all(n in groups for n in graph.nodes())


def _group_index(nodes: list, groups: dict) -> tuple[int, np.ndarray]:
    """The number of groups and each node's group as an index (groups in sorted order)."""
    labels = sorted({groups[n] for n in nodes}, key=str)
    position = {g: i for i, g in enumerate(labels)}
    return len(labels), np.array([position[groups[n]] for n in nodes], dtype=np.int64)


def _brokerage_undirected(nodes: list, m: sp.csr_matrix, member: np.ndarray, k: int, closed: np.ndarray) -> dict:
    """For broker v with neighbour counts c[g] per group: ordered neighbour pairs (a, b), a != b,
    number c[g1]c[g2] (minus c[g1] on the diagonal); the closed ones, a tied to b, are the
    triangles through v (``closed``, from :func:`_burt`); open = all - closed, then summed into
    the five roles by whether g1, g2 equal v's group."""
    n = len(nodes)
    pattern = sp.csr_matrix((np.ones(m.nnz), m.indices, m.indptr), shape=m.shape)
    indicator = sp.csr_matrix((np.ones(n), (np.arange(n), member)), shape=(n, k))
    counts = np.asarray((pattern @ indicator).todense())  # c_v[g]
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


def betweenness(graph: nx.Graph, k: int | None = None, seed: int | None = None,
                edges: EdgeList | None = None) -> dict:
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
    nodes, a = _adjacency(graph, None, edges)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
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


def _to_igraph(graph: nx.Graph, weight: str | None, edges: EdgeList | None = None):
    """The undirected network in igraph (its C core runs the searches below), nodes in order."""
    import igraph
    edges = edges or EdgeList.of(graph, weight)
    converted = igraph.Graph(n=len(edges.nodes), edges=np.column_stack([edges.rows, edges.cols]).tolist())
    converted.es["weight"] = edges.weights.tolist() if weight else [1.0] * len(edges.rows)
    return edges.nodes, converted


def communities(graph: nx.Graph, weight: str | None = "weight", seed: int = 7,
                edges: EdgeList | None = None) -> dict:
    """Louvain communities (Blondel, Guillaume, Lambiotte and Lefebvre 2008, "Fast unfolding of
    communities in large networks"): igraph's multilevel implementation, weighted, with a
    seeded generator so the same network gives the same communities. Numbered by size."""
    import random

    import igraph
    if graph.number_of_edges() == 0:
        return {}
    nodes, converted = _to_igraph(graph, weight, edges)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        clustering = converted.community_multilevel(weights="weight" if weight else None)
    finally:
        igraph.set_random_number_generator(random)
    found = [[nodes[i] for i in members] for members in clustering]
    out = {}
    for k, members in enumerate(sorted(found, key=lambda c: (-len(c), sorted(map(str, c))))):
        for member in members:
            out[member] = k
    return out


def cut_points(graph: nx.Graph, edges: EdgeList | None = None) -> tuple[set, list]:
    """Articulation points and bridges (Hopcroft and Tarjan 1973; Tarjan 1974), by igraph's
    depth-first search in C: the same sets as networkx's ``articulation_points`` and
    ``bridges``. Bridges as sorted pairs, in sorted order."""
    nodes, converted = _to_igraph(graph, None, edges)
    points = {nodes[i] for i in converted.articulation_points()}
    ends = converted.get_edgelist()
    bridges = sorted(tuple(sorted((nodes[ends[e][0]], nodes[ends[e][1]]), key=str)) for e in converted.bridges())
    return points, bridges


def parts_without(graph: nx.Graph, cut: list) -> dict:
    """For each node of ``cut``: the parts its connected component falls into without it,
    largest first (ties by smallest member), by igraph's component search in C."""
    if not cut:
        return {}
    nodes, converted = _to_igraph(graph, None)
    converted.vs["original"] = list(range(len(nodes)))
    index = {n: i for i, n in enumerate(nodes)}
    out = {}
    for node in cut:
        v = index[node]
        rest = converted.induced_subgraph([u for u in converted.subcomponent(v) if u != v])
        original = rest.vs["original"]
        parts = [{nodes[original[i]] for i in members} for members in rest.connected_components()]
        out[node] = sorted(parts, key=lambda part: (-len(part), min(part)))
    return out


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
    edges = EdgeList.of(graph, weight)
    if graph.number_of_nodes() > BETWEENNESS_EXACT_UP_TO:
        # exact betweenness is O(n m); beyond a thousand agents a seeded sample of sources
        # (Brandes and Pich 2007) keeps analyze interactive with ranks that barely move
        between = betweenness(graph, k=BETWEENNESS_SAMPLE, seed=7, edges=edges)
    else:
        between = betweenness(graph, edges=edges)
    found = communities(graph, weight, seed=7, edges=edges)
    grouped = {n: groups[n] for n in found if n in groups}
    points, bridges = cut_points(graph, edges)
    # one pass over the triangles gives Burt's two measures and the brokerage roles' closed pairs
    nodes, m = _mutual_ties(graph, weight, edges)
    grouped_roles = _by_group_arithmetic(graph, groups)
    k, member = _group_index(nodes, groups) if grouped_roles else (0, None)
    constraint_values, effective, closed = _burt(m, member, k)
    roles = (_brokerage_undirected(nodes, m, member, k, closed) if grouped_roles
             else brokerage_two_paths(graph, groups))
    return NetworkMetrics(
        betweenness=between,
        constraint={node: float(constraint_values[i]) for i, node in enumerate(nodes)},
        effective_size={node: float(effective[i]) for i, node in enumerate(nodes)},
        ei=ei_index(graph, groups),
        ei_region=ei_index(graph, regions),
        brokerage=roles,
        articulation_points=points,
        bridges=bridges,
        communities=found,
        community_vs_groups_nmi=normalized_mutual_information(found, grouped),
        degree=dict(graph.degree()),
    )
