"""The ontology as the code sees it: classes, properties and their Cypher names.

Labels, relationship types and property keys used in Cypher come from here and nowhere else,
so a data file can never introduce a label or a type.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..errors import InputError, Location, OntologyError
from .vocab import ACRONYMS, IG, LANG_PROPERTIES, OWL, RDF, RDFS, SEARCH_LABELS, SOURCE

_CYPHER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ClassInfo:
    iri: str
    cypher_label: str
    labels: dict[str, str]
    comment: str
    parents: tuple[str, ...]
    ancestors: frozenset[str]  # every superclass, transitively, this class excluded


@dataclass(frozen=True)
class PropertyInfo:
    iri: str
    cypher_name: str
    labels: dict[str, str]
    comment: str
    domain: str | None
    range: str | None
    is_object: bool
    parents: tuple[str, ...] = field(default_factory=tuple)
    is_metric: bool = False  # written by analyze, never by load


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


class Ontology:
    """Classes and properties of the shipped (or a user's) ontology directory."""

    def __init__(self, graph: Graph, files: list[Path]):
        self.graph = graph
        self.files = files
        self.classes: dict[str, ClassInfo] = {}
        self.properties: dict[str, PropertyInfo] = {}
        self._read()

    @classmethod
    def load(cls, directory: Path) -> "Ontology":
        directory = Path(directory)
        files = sorted(p for p in directory.glob("*.ttl") if not p.name.startswith("shapes"))
        if not files:
            raise OntologyError(f"no ontology (*.ttl other than shapes*.ttl) in {directory}",
                                Location(file=str(directory)))
        graph = Graph()
        for path in files:
            try:
                graph.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
                raise OntologyError(f"cannot parse ontology: {exc}", Location(file=str(path))) from exc
        return cls(graph, files)

    def shapes_files(self) -> list[Path]:
        return sorted(p for d in {f.parent for f in self.files} for p in d.glob("shapes*.ttl"))

    # ------------------------------------------------------------------ reading
    def _labels(self, subject: URIRef) -> dict[str, str]:
        return {o.language or "": str(o) for o in self.graph.objects(subject, RDFS.label)
                if isinstance(o, Literal)}

    def _comment(self, subject: URIRef) -> str:
        for o in self.graph.objects(subject, RDFS.comment):
            if isinstance(o, Literal) and o.language in (None, "en"):
                return str(o)
        return ""

    def _read(self) -> None:
        g = self.graph
        parents: dict[str, list[str]] = {}
        for cls in g.subjects(RDF.type, OWL.Class):
            if isinstance(cls, URIRef):
                parents[str(cls)] = sorted(str(p) for p in g.objects(cls, RDFS.subClassOf)
                                           if isinstance(p, URIRef))

        def ancestors(iri: str, seen: frozenset[str] = frozenset()) -> set[str]:
            result: set[str] = set()
            for parent in parents.get(iri, []):
                if parent in seen:
                    raise OntologyError("subclass cycle", Location(entity=parent))
                result.add(parent)
                result |= ancestors(parent, seen | {iri})
            return result

        for iri in parents:
            label = g.value(URIRef(iri), IG.cypherLabel)
            if label is None:
                raise OntologyError("class has no ig:cypherLabel", Location(entity=iri))
            self._check_name(str(label), iri)
            self.classes[iri] = ClassInfo(iri, str(label), self._labels(URIRef(iri)),
                                          self._comment(URIRef(iri)), tuple(parents[iri]),
                                          frozenset(ancestors(iri)))
        for kind, annotation, is_object in ((OWL.ObjectProperty, IG.cypherType, True),
                                            (OWL.DatatypeProperty, IG.cypherProperty, False)):
            for prop in g.subjects(RDF.type, kind):
                if not isinstance(prop, URIRef):
                    continue
                name = g.value(prop, annotation)
                if name is None:
                    raise OntologyError(f"property has no {annotation.n3(g.namespace_manager)}",
                                        Location(entity=str(prop)))
                self._check_name(str(name), str(prop))
                domain, rng = g.value(prop, RDFS.domain), g.value(prop, RDFS.range)
                self.properties[str(prop)] = PropertyInfo(
                    str(prop), str(name), self._labels(prop), self._comment(prop),
                    str(domain) if domain else None, str(rng) if rng else None, is_object,
                    tuple(sorted(str(p) for p in g.objects(prop, RDFS.subPropertyOf))),
                    (prop, RDF.type, IG.MetricProperty) in g)
        seen: dict[tuple[bool, str], str] = {}
        for info in self.properties.values():
            key = (info.is_object, info.cypher_name)
            if key in seen:
                raise OntologyError(f"Cypher name {info.cypher_name} used twice (also {seen[key]})",
                                    Location(entity=info.iri))
            seen[key] = info.iri
        reserved = set(LANG_PROPERTIES.values()) | {"uri", "id", "acronyms", "search_labels", "sources", "name"}
        for info in self.datatype_properties.values():
            if info.cypher_name in reserved or info.cypher_name.startswith(tuple(f"{r}_" for r in LANG_PROPERTIES.values())):
                raise OntologyError(f"property key {info.cypher_name} is reserved by the mapping",
                                    Location(entity=info.iri))

    @staticmethod
    def _check_name(name: str, iri: str) -> None:
        if not _CYPHER_NAME.match(name):
            raise OntologyError(f"Cypher name {name!r} is not a plain identifier", Location(entity=iri))

    # ------------------------------------------------------------------ views
    @cached_property
    def object_properties(self) -> dict[str, PropertyInfo]:
        return {k: v for k, v in self.properties.items() if v.is_object}

    @cached_property
    def datatype_properties(self) -> dict[str, PropertyInfo]:
        """Properties the data states (metrics excluded)."""
        return {k: v for k, v in self.properties.items() if not v.is_object and not v.is_metric}

    @cached_property
    def metric_properties(self) -> dict[str, PropertyInfo]:
        """Properties ``analyze`` writes back to nodes."""
        return {k: v for k, v in self.properties.items() if v.is_metric}

    @cached_property
    def metric_keys(self) -> set[str]:
        return {p.cypher_name for p in self.metric_properties.values()}

    @cached_property
    def class_by_label(self) -> dict[str, ClassInfo]:
        return {c.cypher_label: c for c in self.classes.values()}

    @cached_property
    def property_by_type(self) -> dict[str, PropertyInfo]:
        return {p.cypher_name: p for p in self.object_properties.values()}

    @cached_property
    def property_by_key(self) -> dict[str, PropertyInfo]:
        return {p.cypher_name: p for p in self.datatype_properties.values()}

    def superclasses(self, class_iri: str) -> frozenset[str]:
        """The class and all its superclasses (ontology and W3C ones)."""
        return self.classes[class_iri].ancestors | {class_iri}

    def cypher_labels(self, class_iris) -> list[str]:
        """Labels for a node of these classes: ``Resource`` plus one per class and superclass."""
        labels = {"Resource"}
        for iri in class_iris:
            for c in self.superclasses(iri):
                if c in self.classes:
                    labels.add(self.classes[c].cypher_label)
        return sorted(labels)

    def is_subclass(self, class_iri: str, of: str) -> bool:
        return class_iri in self.classes and of in self.superclasses(class_iri)

    # ------------------------------------------------------------------ for Cypher checks
    def node_property_keys(self, languages=("en",)) -> list[str]:
        keys = {"uri", "id", "acronyms", "search_labels", "sources"}
        for key in LANG_PROPERTIES.values():
            keys.add(key)
            keys.update(f"{key}_{lang}" for lang in languages if lang != "en")
        keys.update(p.cypher_name for p in self.datatype_properties.values())
        return sorted(keys)

    def schema_for_lint(self, languages, metric_keys=()) -> dict:
        """Labels, relationship types and property keys, as Neo4j's linter takes them."""
        return {
            "labels": sorted({c.cypher_label for c in self.classes.values()} | {"Resource"}),
            "relationshipTypes": sorted(p.cypher_name for p in self.object_properties.values()),
            "propertyKeys": sorted(set(self.node_property_keys(languages)) | self.metric_keys | set(metric_keys)),
        }

    @staticmethod
    def local_name(iri: str) -> str:
        return _local(iri)


def fixed_property_iris() -> set[str]:
    """W3C properties the mapping reads besides the ontology's own."""
    return set(LANG_PROPERTIES) | {ACRONYMS, SEARCH_LABELS, SOURCE}


__all__ = ["Ontology", "ClassInfo", "PropertyInfo", "fixed_property_iris", "InputError"]
