"""Sync the mapped property graph into a store: create, update, retract; converge on reload.

The store's current state of what the tool owns (``:Resource`` nodes; relationships between
them whose type is in the ontology) is read first and compared with the mapped graph, so a load
only writes the difference: a second load of the same data writes nothing; what disappeared
from the data is deleted; nodes without ``:Resource``, relationships of other types and node
properties outside the mapping (metrics, an analyst's notes) are never touched. A load cut off
half-way leaves a state that the next load brings to exactly the mapped graph.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Callable, Iterable

from .cypher import Statements, name
from .memory import without_collector
from .rdf.mapping import PropertyGraph, RelKey, owned_property_keys
from .rdf.ontology import Ontology
from .store.base import GraphStore

BATCH_SIZE = 5000


@dataclass
class SyncCounts:
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_deleted: int = 0
    nodes_total: int = 0
    relationships_total: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def changed(self) -> bool:
        return any((self.nodes_created, self.nodes_updated, self.nodes_deleted, self.relationships_created,
                    self.relationships_updated, self.relationships_deleted))


def batches(items: list, size: int = BATCH_SIZE) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _normalize(value):
    if isinstance(value, tuple):
        return list(value)
    return value


def read_state(store: GraphStore, ontology: Ontology):
    """What the tool owns in the store: nodes by uri, relationships by key."""
    stmts = Statements(ontology)
    nodes = {r["uri"]: {"labels": sorted(r["labels"]), "properties": dict(r["properties"])}
             for r in store.run(stmts.READ_NODES).rows}
    rels = {}
    for r in store.run(stmts.READ_RELATIONSHIPS).rows:
        if r["type"] in stmts.types:
            rels[RelKey(r["source"], r["type"], r["target"])] = list(r["sources"] or [])
    return nodes, rels


def _bulk_create(store: GraphStore, graph: PropertyGraph, stmts: Statements, tick) -> bool:
    """A first load into an empty store through the store's bulk path, when it has one."""
    nodes = list(graph.nodes.values())
    for labels in {tuple(n.labels) for n in nodes}:
        for label in labels:
            name(label, stmts.labels)  # labels and types only from the ontology, as in statements
    for rel_type in {k.type for k in graph.relationships}:
        name(rel_type, stmts.types)
    position = {n.uri: i for i, n in enumerate(nodes)}
    relationships = [(position[k.source], k.type, position[k.target], {"sources": sources})
                     for k, sources in graph.relationships.items()]
    return store.bulk_create([(n.labels, n.properties) for n in nodes], relationships, progress=tick)


@without_collector
def sync(store: GraphStore, graph: PropertyGraph, ontology: Ontology,
         progress: Callable[[str, int], None] | None = None, batch_size: int = BATCH_SIZE) -> SyncCounts:
    """Make the store hold exactly ``graph`` (for what the tool owns) and count the changes."""
    stmts = Statements(ontology)
    tick = progress or (lambda _stage, _n: None)
    store.ensure_schema()
    current_nodes, current_rels = read_state(store, ontology)
    counts = SyncCounts(nodes_total=len(graph.nodes), relationships_total=len(graph.relationships))
    if not current_nodes and not current_rels and graph.nodes:
        created = _bulk_create(store, graph, stmts, tick)
        store.ensure_schema()  # a bulk attempt starts a new graph: index and constraint again, over its data
        if created:
            counts.nodes_created, counts.relationships_created = graph.counts()
            return counts

    # nodes: create or update, grouped by label set since labels cannot be parameters
    upserts: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    stale_keys: dict[str, list[str]] = defaultdict(list)
    stale_labels: dict[str, list[str]] = defaultdict(list)
    for uri, node in graph.nodes.items():
        desired = {k: _normalize(v) for k, v in node.properties.items()}
        existing = current_nodes.get(uri)
        if existing is None:
            counts.nodes_created += 1
            upserts[tuple(node.labels)].append({"uri": uri, "properties": desired})
            continue
        have = {k: _normalize(v) for k, v in existing["properties"].items()}
        owned_now = owned_property_keys(ontology, have)
        removed = sorted(owned_now - set(desired))
        changed_props = any(have.get(k) != v for k, v in desired.items())
        extra_labels = sorted((set(existing["labels"]) & stmts.labels) - set(node.labels))
        missing_labels = set(node.labels) - set(existing["labels"])
        if changed_props or removed or extra_labels or missing_labels:
            counts.nodes_updated += 1
            upserts[tuple(node.labels)].append({"uri": uri, "properties": desired})
            for key in removed:
                stale_keys[key].append(uri)
            for label in extra_labels:
                stale_labels[label].append(uri)
    deleted_nodes = sorted(set(current_nodes) - set(graph.nodes))
    counts.nodes_deleted = len(deleted_nodes)

    # relationships
    rel_upserts: dict[str, list[dict]] = defaultdict(list)
    rel_deletes: dict[str, list[dict]] = defaultdict(list)
    for key, sources in graph.relationships.items():
        have = current_rels.get(key)
        if have is None:
            counts.relationships_created += 1
        elif sorted(have) != sorted(sources):
            counts.relationships_updated += 1
        else:
            continue
        rel_upserts[key.type].append({"source": key.source, "target": key.target, "sources": sources})
    for key in current_rels.keys() - graph.relationships.keys():
        rel_deletes[key.type].append({"source": key.source, "target": key.target})
        counts.relationships_deleted += 1

    done = 0
    for labels, rows in sorted(upserts.items()):
        statement = stmts.merge_nodes(list(labels))
        for batch in batches(rows, batch_size):
            store.run(statement, {"rows": batch}, write=True)
            done += len(batch)
            tick("nodes", done)
    allowed_keys = set(stale_keys)
    for key, uris in sorted(stale_keys.items()):
        for batch in batches(uris, batch_size):
            store.run(stmts.remove_property(key, allowed_keys), {"uris": batch}, write=True)
    for label, uris in sorted(stale_labels.items()):
        for batch in batches(uris, batch_size):
            store.run(stmts.remove_label(label), {"uris": batch}, write=True)
    for rel_type, rows in sorted(rel_deletes.items()):
        for batch in batches(rows, batch_size):
            store.run(stmts.delete_relationships(rel_type), {"rows": batch}, write=True)
    for batch in batches(deleted_nodes, batch_size):
        store.run(stmts.DELETE_NODES, {"uris": batch}, write=True)
    done = 0
    for rel_type, rows in sorted(rel_upserts.items()):
        statement = stmts.merge_relationships(rel_type)
        for batch in batches(rows, batch_size):
            store.run(statement, {"rows": batch}, write=True)
            done += len(batch)
            tick("relationships", done)
    return counts


__all__ = ["SyncCounts", "sync", "read_state", "BATCH_SIZE"]
