"""Cypher statements the tool itself sends, built from ontology names only.

Labels and relationship types cannot be Cypher parameters, so they are interpolated, but only
after :func:`name` checked them against the ontology; every value is a ``$parameter``. The same
text runs on FalkorDB-lite and Neo4j 5.
"""
from __future__ import annotations

from .errors import Location, OntologyError
from .rdf.ontology import Ontology


def name(identifier: str, allowed: set[str] | frozenset[str]) -> str:
    """Backtick-quote a label, type or key after checking it is one the ontology defines."""
    if identifier not in allowed:
        raise OntologyError(f"{identifier!r} is not a label, type or key of the ontology",
                            Location(entity=identifier))
    return f"`{identifier}`"


class Statements:
    """The statements of load/sync and export, for one ontology."""

    #: Keys of the row maps the statements UNWIND; Neo4j's linter checks ``row.key`` like a
    #: property key, so it needs them besides the ontology's keys.
    ROW_KEYS = ("uri", "properties", "source", "target", "sources")

    READ_NODES = ("MATCH (n:Resource) WHERE n.uri IS NOT NULL "
                  "RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS properties")
    READ_RELATIONSHIPS = ("MATCH (a:Resource)-[r]->(b:Resource) "
                          "RETURN a.uri AS source, type(r) AS type, b.uri AS target, r.sources AS sources")
    DELETE_NODES = "UNWIND $uris AS uri MATCH (n:Resource {uri: uri}) DETACH DELETE n"

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.labels = frozenset(c.cypher_label for c in ontology.classes.values()) | {"Resource"}
        self.types = frozenset(p.cypher_name for p in ontology.object_properties.values())

    def merge_nodes(self, labels: list[str]) -> str:
        extra = "".join(f":{name(label, self.labels)}" for label in labels if label != "Resource")
        return ("UNWIND $rows AS row MERGE (n:Resource {uri: row.uri}) "
                f"SET n += row.properties{', n' + extra if extra else ''}")

    def remove_property(self, key: str, allowed: set[str]) -> str:
        return f"UNWIND $uris AS uri MATCH (n:Resource {{uri: uri}}) SET n.{name(key, allowed)} = null"

    def remove_label(self, label: str) -> str:
        return f"UNWIND $uris AS uri MATCH (n:Resource {{uri: uri}}) REMOVE n:{name(label, self.labels)}"

    def merge_relationships(self, rel_type: str) -> str:
        return ("UNWIND $rows AS row MATCH (a:Resource {uri: row.source}) MATCH (b:Resource {uri: row.target}) "
                f"MERGE (a)-[r:{name(rel_type, self.types)}]->(b) SET r.sources = row.sources")

    def delete_relationships(self, rel_type: str) -> str:
        return ("UNWIND $rows AS row MATCH (a:Resource {uri: row.source})"
                f"-[r:{name(rel_type, self.types)}]->(b:Resource {{uri: row.target}}) DELETE r")

    def clear_metrics(self, keys: list[str]) -> str:
        """Remove metrics from the nodes that hold any (a first analysis writes nothing here)."""
        allowed = self.ontology.metric_keys
        held = " OR ".join(f"n.{name(k, allowed)} IS NOT NULL" for k in keys)
        return f"MATCH (n:Resource) WHERE {held} SET " + ", ".join(f"n.{name(k, allowed)} = null" for k in keys)

    def write_metrics(self, keys: list[str]) -> str:
        allowed = self.ontology.metric_keys
        sets = ", ".join(f"n.{name(k, allowed)} = row.{name(k, allowed)}" for k in keys)
        return f"UNWIND $rows AS row MATCH (n:Resource {{uri: row.uri}}) SET {sets}"

    def all_for_lint(self, metric_keys: set[str]) -> list[str]:
        """Every statement this class can produce, for Neo4j's linter."""
        keys = set(self.ontology.node_property_keys(("en", "zh", "fr", "ar", "ru", "es")))
        out = [self.READ_NODES, self.READ_RELATIONSHIPS, self.DELETE_NODES,
               self.merge_nodes(sorted(self.labels))]
        out += [self.remove_label(label) for label in sorted(self.labels - {"Resource"})]
        out += [self.remove_property(k, keys) for k in sorted(keys)]
        metrics = sorted(self.ontology.metric_keys)
        out += [self.clear_metrics(metrics), self.write_metrics(metrics)]
        for t in sorted(self.types):
            out += [self.merge_relationships(t), self.delete_relationships(t)]
        return out
