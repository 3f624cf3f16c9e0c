"""The mapping between the RDF dataset and the property graph, both ways.

Property graph shape (neosemantics conventions, see DESIGN.md):

* a node per typed entity, labelled ``:Resource`` plus one label per class and superclass
  (``ig:cypherLabel``); properties ``uri``, ``id`` (the IRI's last segment), ``name`` (the
  English ``skos:prefLabel``), ``name_<lang>`` for other languages, ``description[_<lang>]``,
  ``definition[_<lang>]``, ``acronyms`` (``skos:altLabel``, sorted), ``search_labels``
  (``skos:hiddenLabel``: a source's wordings, for finding the entity in text), one key per datatype
  property (``ig:cypherProperty``), and ``sources``: the named graphs that state anything about
  the entity plus its ``dcterms:source`` IRIs, sorted;
* a relationship per object-property triple, of type ``ig:cypherType``, with ``sources``: the
  named graphs that assert it.

What the mapping does not carry back (see README): which graph asserted which *node property*
(sources are kept per node, not per property; export puts a node's triples in its first
source graph), ``dcterms:source`` triples (folded into ``sources``), the language tag of
acronyms, and a literal's datatype beyond the range the ontology declares.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .build import Dataset
from ..memory import without_collector
from .ontology import Ontology
from .vocab import ACRONYMS, LANG_PROPERTIES, SEARCH_LABELS, SOURCE, TYPE, XSD

_NUMERIC = {str(XSD.integer): int, str(XSD.int): int, str(XSD.long): int,
            str(XSD.decimal): float, str(XSD.double): float, str(XSD.float): float}


@dataclass
class Node:
    uri: str
    labels: list[str]
    properties: dict


@dataclass(frozen=True)
class RelKey:
    source: str
    type: str
    target: str


@dataclass
class PropertyGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[RelKey, list[str]] = field(default_factory=dict)  # -> sources

    def counts(self) -> tuple[int, int]:
        return len(self.nodes), len(self.relationships)


def lang_key(base: str, language: str | None) -> str:
    """``name`` for English or untagged, ``name_zh`` for Chinese, ``name_zh_hant`` for zh-Hant."""
    if not language or language.lower() == "en":
        return base
    return f"{base}_{language.lower().replace('-', '_')}"


def literal_value(literal: ox.Literal):
    convert = _NUMERIC.get(literal.datatype.value)
    if convert:
        try:
            return convert(literal.value)
        except ValueError:
            return literal.value
    if literal.datatype.value == str(XSD.boolean):
        return literal.value in ("true", "1")
    return literal.value


@without_collector
def to_property_graph(dataset: Dataset) -> PropertyGraph:
    """Map a built (validated) dataset to nodes and relationships. Unknown terms are skipped:
    validation reports them, and the mapping never turns them into labels or types."""
    ontology = dataset.ontology
    classes: dict[str, set[str]] = defaultdict(set)
    props: dict[str, dict] = defaultdict(dict)
    sources: dict[str, set[str]] = defaultdict(set)
    acronyms: dict[str, set[str]] = defaultdict(set)
    search_labels: dict[str, set[str]] = defaultdict(set)
    multi: dict[tuple[str, str], list] = defaultdict(list)
    rels: dict[RelKey, set[str]] = defaultdict(set)
    object_props = ontology.object_properties
    data_props = ontology.datatype_properties
    # asserted quads only: inferred superclass types add nothing, since cypher_labels adds every
    # superclass and an inferred type sits in the graph of the type it follows from
    named_node = ox.NamedNode
    for subject, predicate, o, graph_name in dataset.quads:
        if type(subject) is not named_node:
            continue
        s, p, g = subject.value, predicate.value, graph_name.value
        sources[s].add(g)
        if p == TYPE:
            if isinstance(o, ox.NamedNode) and o.value in ontology.classes:
                classes[s].add(o.value)
        elif p in object_props:
            if isinstance(o, ox.NamedNode):
                rels[RelKey(s, object_props[p].cypher_name, o.value)].add(g)
        elif p in LANG_PROPERTIES and isinstance(o, ox.Literal):
            props[s][lang_key(LANG_PROPERTIES[p], o.language)] = o.value
        elif p == ACRONYMS and isinstance(o, ox.Literal):
            acronyms[s].add(o.value)
        elif p == SEARCH_LABELS and isinstance(o, ox.Literal):
            search_labels[s].add(o.value)
        elif p == SOURCE and isinstance(o, ox.NamedNode):
            sources[s].add(o.value)
        elif p in data_props and isinstance(o, ox.Literal):
            multi[(s, data_props[p].cypher_name)].append(literal_value(o))
    for (s, key), values in multi.items():
        values = sorted(set(values), key=str)
        props[s][key] = values[0] if len(values) == 1 else values
    graph = PropertyGraph()
    for uri, cls in classes.items():
        properties = {"uri": uri, "id": Ontology.local_name(uri), **props.get(uri, {})}
        if acronyms.get(uri):
            properties["acronyms"] = sorted(acronyms[uri])
        if search_labels.get(uri):
            properties["search_labels"] = sorted(search_labels[uri])
        properties["sources"] = sorted(sources[uri])
        graph.nodes[uri] = Node(uri, ontology.cypher_labels(cls), properties)
    for key, srcs in rels.items():
        if key.source in graph.nodes and key.target in graph.nodes:
            graph.relationships[key] = sorted(srcs)
    return graph


def owned_property_keys(ontology: Ontology, properties: dict) -> set[str]:
    """The keys of a node's properties that the mapping writes (the rest belong to others:
    metrics written by ``analyze``, an analyst's own annotations)."""
    fixed = {"uri", "id", "acronyms", "search_labels", "sources"} | {p.cypher_name for p in ontology.datatype_properties.values()}
    bases = tuple(LANG_PROPERTIES.values())
    prefixes = tuple(f"{b}_" for b in bases)
    return {k for k in properties if k in fixed or k in bases or k.startswith(prefixes)}


def from_property_graph(nodes: list[dict], relationships: list[dict], ontology: Ontology):
    """Rebuild RDF quads from what the store holds (export).

    ``nodes``: dicts with ``labels`` and ``properties``; ``relationships``: dicts with
    ``source``, ``type``, ``target``, ``sources``. Types come back with their superclasses;
    node triples go into the node's first source graph, relationship triples into each of
    theirs.
    """
    by_label = ontology.class_by_label
    by_key = ontology.property_by_key
    by_type = ontology.property_by_type
    lang_bases = {v: k for k, v in LANG_PROPERTIES.items()}
    default_graph = ox.NamedNode("urn:itu-graph:export")
    quads: list[ox.Quad] = []
    for node in nodes:
        p = node["properties"]
        subject = ox.NamedNode(p["uri"])
        graph = ox.NamedNode(p["sources"][0]) if p.get("sources") else default_graph
        for label in node["labels"]:
            if label in by_label:
                quads.append(ox.Quad(subject, ox.NamedNode(TYPE), ox.NamedNode(by_label[label].iri), graph))
                for ancestor in by_label[label].ancestors:
                    if ancestor not in ontology.classes:
                        quads.append(ox.Quad(subject, ox.NamedNode(TYPE), ox.NamedNode(ancestor), graph))
        for key, value in p.items():
            if key in ("uri", "id", "sources"):
                continue
            if key in ("acronyms", "search_labels"):
                predicate = ox.NamedNode(ACRONYMS if key == "acronyms" else SEARCH_LABELS)
                quads.extend(ox.Quad(subject, predicate, ox.Literal(v), graph) for v in value)
                continue
            base, _, lang = key.partition("_")
            if base in lang_bases:
                language = lang.replace("_", "-") if lang else "en"
                quads.append(ox.Quad(subject, ox.NamedNode(lang_bases[base]),
                                     ox.Literal(value, language=language), graph))
            elif key in by_key:
                info = by_key[key]
                datatype = ox.NamedNode(info.range) if info.range else None
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, bool):
                        lit = ox.Literal("true" if v else "false", datatype=ox.NamedNode(str(XSD.boolean)))
                    elif datatype and datatype.value != str(XSD.string):
                        lit = ox.Literal(str(v), datatype=datatype)
                    else:
                        lit = ox.Literal(str(v))
                    quads.append(ox.Quad(subject, ox.NamedNode(info.iri), lit, graph))
    for rel in relationships:
        if rel["type"] not in by_type:
            continue
        predicate = ox.NamedNode(by_type[rel["type"]].iri)
        for src in rel.get("sources") or ["urn:itu-graph:export"]:
            quads.append(ox.Quad(ox.NamedNode(rel["source"]), predicate, ox.NamedNode(rel["target"]),
                                 ox.NamedNode(src)))
    return quads


__all__ = ["Node", "RelKey", "PropertyGraph", "to_property_graph", "from_property_graph",
           "lang_key", "owned_property_keys"]
