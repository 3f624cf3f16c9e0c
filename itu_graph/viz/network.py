"""The network page's default view: the coordination network the metrics run on.

The agents of :func:`itu_graph.analysis.network.read_network` (units, bodies, offices, posts
standing for the unit they head), the mechanisms and initiatives that tie them drawn as small
nodes linked to their members, and the direct coordination links (LIAISES_WITH, ASSISTS,
ADVISES) between agents. Structure and shared topics are not drawn: they are not ties
(docs/analysis.md, "The coordination network"). Each agent carries its group (declared with
ig:groupsBy, else division / general secretariat / field offices), each mechanism the region it
is drawn in (its members' group when they share one, else the shared centre).
"""
from __future__ import annotations

import math

import networkx as nx

from ..analysis.network import FIELD_OFFICES, OTHER, read_network
from ..rdf.ontology import Ontology
from ..store.base import GraphStore
from .graph import kind_of

READ_BY_URI = """
UNWIND $uris AS u
MATCH (n:Resource {uri: u})
RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS properties
"""
READ_BY_ID = """
UNWIND $ids AS i
MATCH (n:Resource {id: i})
RETURN n.id AS id, n.name AS name, n.name_zh AS name_zh, n.acronyms AS acronyms
"""
READ_HUBS = """
MATCH (x:Resource)
WHERE x.id IN $ids
RETURN x.uri AS uri, labels(x) AS labels, properties(x) AS properties
"""
#: The region of mechanisms whose members sit in more than one group.
SHARED = "shared"
#: Names of the pseudo-groups, which are no entity of the data.
GROUP_NAMES = {OTHER: {"en": "Other bodies", "zh": "其他机构"},
               FIELD_OFFICES: {"en": "Field offices", "zh": "外地办事处"},
               SHARED: {"en": "Shared mechanisms", "zh": "共用机制"}}
#: Metrics shown in the side panel, in this order (written by analyze; docs/analysis.md).
METRICS = ("betweenness", "degree", "constraint", "effective_size", "ei_index", "brokerage_total",
           "articulation_point", "community")


def _name(props: dict, lang: str) -> str:
    return str((props.get(f"name_{lang}") if lang != "en" else None) or props.get("name") or props["id"])


def short_label(props: dict, lang: str, limit: int = 24) -> str:
    """What the canvas writes under a node: the acronym in English (ITU-T, TSAG), the name in
    Chinese when short, else the name cut at ``limit`` characters. The panel has the full names."""
    acronyms = [str(a) for a in props.get("acronyms") or [] if str(a).strip()]
    name = _name(props, lang)
    for bracket in ("（", " ("):  # "ITU-T第12研究组（性能…）": the part before the gloss
        if bracket in name and name.index(bracket) >= 2:
            name = name[:name.index(bracket)].strip()
    if lang == "zh" and len(name) <= 12:
        return name
    if acronyms:
        return min(acronyms, key=len)
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


def read_network_view(store: GraphStore, ontology: Ontology, *, lang: str = "en") -> nx.MultiDiGraph:
    """The coordination network as a display graph keyed by entity id (module docstring)."""
    from ..analysis.metrics import BETWEENNESS_EXACT_UP_TO, BETWEENNESS_SAMPLE, betweenness
    from ..wording import Wording
    net = read_network(store, ontology)
    graph = nx.MultiDiGraph(view="network")
    graph.graph["wording"] = Wording.from_store(store, ontology).words
    graph.graph["declared_groups"] = True  # colours are the network's groups, whatever their kind
    agents = list(net.graph.nodes())
    rows = {r["uri"]: r for r in store.run(READ_BY_URI, {"uris": agents}).rows} if agents else {}
    between = None
    if any(not isinstance((rows.get(u) or {}).get("properties", {}).get("betweenness"), (int, float)) for u in agents):
        # analyze has not written its metrics (or the data changed since): compute them as it does
        k = BETWEENNESS_SAMPLE if net.graph.number_of_nodes() > BETWEENNESS_EXACT_UP_TO else None
        between = betweenness(net.graph, k=k, seed=7)
    hub_ids = sorted({h for hubs in net.hubs.values() for h in hubs})
    members: dict[str, list[str]] = {}
    for uri, hubs in net.hubs.items():
        for h in hubs:
            members.setdefault(h, []).append(net.ids[uri])
    # a mechanism with one member in the network ties nobody: it is not drawn
    hub_ids = [h for h in hub_ids if len(members[h]) >= 2]
    hub_rows = {r["properties"]["id"]: r for r in store.run(READ_HUBS, {"ids": hub_ids}).rows} if hub_ids else {}
    group_ids = sorted(set(net.groups.values()))
    group_rows = {r["id"]: r for r in store.run(READ_BY_ID, {"ids": group_ids}).rows} if group_ids else {}
    groups = {}
    for g in group_ids + [SHARED]:
        row = group_rows.get(g)
        if row:
            groups[g] = {"en": row["name"] or g, "zh": row["name_zh"] or row["name"] or g}
        else:
            groups[g] = dict(GROUP_NAMES.get(g, {"en": g, "zh": g}))
    graph.graph["groups"] = groups
    graph.graph["classes"] = {info.cypher_label: {"en": info.labels.get("en") or info.cypher_label,
                                                   "zh": info.labels.get("zh") or info.labels.get("en") or info.cypher_label}
                              for info in ontology.classes.values()}
    for uri in agents:
        row = rows.get(uri) or {"labels": ["Agent"], "properties": {"id": net.ids[uri], "name": net.names.get(uri)}}
        p = dict(row["properties"])
        if between is not None:
            p["betweenness"] = float(between.get(uri, 0.0))
        p.setdefault("degree", net.graph.degree(uri))
        group = net.groups.get(uri, OTHER)
        graph.add_node(p["id"], **{**p, "label": _name(p, lang), "short": short_label(p, lang),
                                   "labels": [l for l in row["labels"] if l != "Resource"], "kind": kind_of(row["labels"]),
                                   "role": "agent", "group": group, "region": group, "divisions": [group],
                                   "division": group})
    for h in hub_ids:
        row = hub_rows.get(h)
        if row is None:
            continue
        p = dict(row["properties"])
        member_groups = sorted({graph.nodes[m]["group"] for m in members[h] if m in graph})
        region = member_groups[0] if len(member_groups) == 1 else SHARED
        graph.add_node(h, **{**p, "label": _name(p, lang), "short": short_label(p, lang),
                             "labels": [l for l in row["labels"] if l != "Resource"], "kind": kind_of(row["labels"]),
                             "role": "mechanism", "members": len(members[h]), "region": region, "group": region,
                             "divisions": member_groups, "division": region})
        for m in sorted(members[h]):
            if m in graph:
                graph.add_edge(m, h, key="MEMBER", relation="MEMBER", sources=[])
    for (a, b), types in sorted(net.direct.items()):
        for t in sorted(set(types)):
            graph.add_edge(net.ids[a], net.ids[b], key=t, relation=t, sources=[])
    return graph


def centrality_order(graph: nx.MultiDiGraph) -> list[str]:
    """Agents, most central first: betweenness, then ties in the network, then id (the same in every language)."""
    def key(n):
        d = graph.nodes[n]
        b = d.get("betweenness")
        b = b if isinstance(b, (int, float)) and not (isinstance(b, float) and math.isnan(b)) else 0.0
        return (-b, -int(d.get("degree") or 0), n)
    return sorted((n for n, d in graph.nodes(data=True) if d.get("role") == "agent"), key=key)
