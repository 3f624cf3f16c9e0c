"""The library surface behind the CLI, for notebooks and scripts too.

    >>> from itu_graph import pipeline
    >>> settings = pipeline.Settings()            # shipped ontology and ITU data
    >>> dataset = pipeline.build_dataset(settings)
    >>> report = pipeline.validate_dataset(dataset)
    >>> report.conforms
    True
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .errors import ValidationFailed
from .rdf.build import Dataset, build
from .rdf.mapping import PropertyGraph, to_property_graph
from .rdf.ontology import Ontology
from .rdf.validate import Report, validate
from .settings import Settings
from .store import GraphStore, open_store
from .sync import SyncCounts, sync


@lru_cache(maxsize=8)
def _load_ontology(directory: str) -> Ontology:
    return Ontology.load(Path(directory))


def load_ontology(settings: Settings) -> Ontology:
    return _load_ontology(str(Path(settings.ontology_dir).resolve()))


def build_dataset(settings: Settings) -> Dataset:
    """Ontology + every data file -> one dataset with superclasses inferred."""
    return build(load_ontology(settings), settings.data_dirs)


def validate_dataset(dataset: Dataset, shacl: bool = True, engine: str = "auto") -> Report:
    """Term checks and SHACL shapes (``engine``: auto, oxigraph or pyshacl; see rdf.validate)."""
    return validate(dataset, shacl=shacl, engine=engine)


@dataclass
class LoadResult:
    counts: SyncCounts
    report: Report
    store: str


def load(settings: Settings, *, force: bool = False, store: GraphStore | None = None,
         progress: Callable[[str, int], None] | None = None, dataset: Dataset | None = None,
         report: Report | None = None) -> LoadResult:
    """Build, validate, then sync into the store.

    Refuses on violations unless ``force``; even then refuses problems the mapping cannot
    represent (unknown classes or properties, untyped or blank-node entities). ``dataset`` and
    ``report`` may be given when already built and validated.
    """
    dataset = dataset or build_dataset(settings)
    report = report or validate_dataset(dataset, engine=settings.shacl_engine)
    if not report.mappable:
        raise ValidationFailed(f"{len(report.violations)} violation(s), some the graph cannot represent "
                               "(unknown terms or untyped entities); --force does not override these",
                               report)
    if not report.conforms and not force:
        raise ValidationFailed(f"{len(report.violations)} SHACL violation(s); fix them or use --force", report)
    graph = to_property_graph(dataset)
    owns_store = store is None
    store = store or open_store(settings)
    try:
        with store.write_lock():
            counts = sync(store, graph, dataset.ontology, progress=progress)
    finally:
        if owns_store:
            store.close()
    return LoadResult(counts, report, store.describe())


def write_validated(settings: Settings, out_dir: Path, payloads: list[tuple[Path, bytes]], what: str) -> list[Path]:
    """Write new data files (each atomically), validate the data with them, and remove them all
    again on any failure: what ``ingest accept`` and ``findings accept`` add to the data is either
    all there and valid, or not there at all. ``what`` names the content in the error."""
    from .files import write_atomic
    written: list[Path] = []
    try:
        for target, payload in payloads:
            written.append(write_atomic(target, payload))
        data_dirs = list(settings.data_dirs)
        if not any(out_dir.resolve().is_relative_to(Path(d).resolve()) for d in data_dirs):
            data_dirs.append(out_dir)
        check = validate_dataset(build_dataset(Settings(data_dirs=data_dirs, ontology_dir=settings.ontology_dir)),
                                 engine=settings.shacl_engine)
        if not check.conforms:
            raise ValidationFailed(f"{what} do not validate ({len(check.violations)} violation(s)); "
                                   "nothing was written", check)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def statistics(dataset: Dataset, graph: PropertyGraph | None = None) -> dict:
    """Entities per class (most specific and with superclasses), relationships per type,
    labels per language, entities and facts per source, and what the record holds of each
    coordination mechanism (coverage.mechanism_coverage).

    ``triples`` counts distinct asserted triples; one that several sources state is one fact,
    and it counts as checkable (``triples_in_url_graphs``) when at least one of them is a public
    web source. ``entities`` leaves out source remarks (completeness statements, silences): they
    are about sources, not parts of the organization."""
    from .coverage import mechanism_coverage
    graph = graph or to_property_graph(dataset)
    ontology = dataset.ontology
    label_counts = Counter(label for n in graph.nodes.values() for label in n.labels if label != "Resource")
    rel_counts = Counter(k.type for k in graph.relationships)
    languages = Counter()
    for n in graph.nodes.values():
        for key in n.properties:
            if key == "name":
                languages["en"] += 1
            elif key.startswith("name_"):
                languages[key[5:].replace("_", "-")] += 1
    per_source_entities: dict[str, set] = defaultdict(set)
    per_source_facts = Counter()
    stated_by_url: dict[tuple, bool] = {}
    for q in dataset.quads:
        per_source_entities[q.graph_name.value].add(q.subject.value)
        per_source_facts[q.graph_name.value] += 1
        triple = (q.subject, q.predicate, q.object)
        stated_by_url[triple] = stated_by_url.get(triple, False) or is_public_url(q.graph_name.value)
    per_source = {g: {"entities": len(per_source_entities[g]), "triples": per_source_facts[g]}
                  for g in sorted(per_source_facts)}
    remarks = sum(1 for n in graph.nodes.values() if "SourceRemark" in n.labels)
    members = [n for n in graph.nodes.values() if "SourceRemark" not in n.labels]
    coverage = mechanism_coverage(graph)
    confidence = Counter(n.properties.get("confidence", "unmarked") for n in members)
    return {
        "entities": len(members),
        "source_remarks": remarks,
        "relationships": len(graph.relationships),
        "triples": len(stated_by_url),
        "quads": len(dataset.quads),
        "inferred_triples": len(dataset.inferred),
        "entities_per_label": dict(sorted(label_counts.items())),
        "relationships_per_type": dict(sorted(rel_counts.items())),
        "labels_per_language": dict(sorted(languages.items())),
        "entities_with_en_and_zh": sum(1 for n in members
                                       if "name" in n.properties and "name_zh" in n.properties),
        "confidence": dict(sorted(confidence.items())),
        "sources": per_source,
        # a named graph whose name is a public web address (not the project's own w3id.org names,
        # not a file's urn:): the share of facts someone can check at their source
        "triples_in_url_graphs": sum(stated_by_url.values()),
        "classes_in_ontology": len(ontology.classes),
        "mechanisms": len(coverage),
        "mechanisms_described": sum(1 for c in coverage if not c.missing),
        "mechanism_coverage": [c.as_dict() for c in coverage],
    }


def is_public_url(iri: str) -> bool:
    """A source address a reader can open: http(s), and not one of the project's own identifiers."""
    return iri.startswith(("http://", "https://")) and not iri.startswith("https://w3id.org/itu-graph/")


__all__ = ["Settings", "build_dataset", "validate_dataset", "load", "LoadResult", "statistics",
           "load_ontology"]


EXPORT_FORMATS = {"trig": "TRIG", "ttl": "TURTLE", "nquads": "N_QUADS", "jsonld": "JSON_LD"}


def read_store(settings: Settings, store: GraphStore | None = None) -> tuple[list[dict], list[dict]]:
    """Nodes and relationships the tool owns, as plain dicts."""
    from .cypher import Statements
    ontology = load_ontology(settings)
    owns = store is None
    store = store or open_store(settings)
    try:
        stmts = Statements(ontology)
        nodes = [{"labels": r["labels"], "properties": dict(r["properties"])} for r in store.run(stmts.READ_NODES).rows]
        rels = [r for r in store.run(stmts.READ_RELATIONSHIPS).rows if r["type"] in stmts.types]
    finally:
        if owns:
            store.close()
    return nodes, rels


def export_quads(settings: Settings, store: GraphStore | None = None):
    """The store read back into RDF quads (see rdf.mapping.from_property_graph)."""
    from .rdf.mapping import from_property_graph
    nodes, rels = read_store(settings, store)
    return from_property_graph(nodes, rels, load_ontology(settings))


def serialize_quads(quads, fmt: str) -> bytes:
    """Quads as TriG, Turtle (the union of the graphs), N-Quads or JSON-LD, canonically ordered
    (:func:`canonical_quads`)."""
    import pyoxigraph as ox
    from .errors import ParameterError
    from .rdf.build import canonical_quads
    if fmt not in EXPORT_FORMATS:
        raise ParameterError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    rdf_format = getattr(ox.RdfFormat, EXPORT_FORMATS[fmt])
    prefixes = {"ig": "https://w3id.org/itu-graph/ontology#", "skos": "http://www.w3.org/2004/02/skos/core#",
                "dcterms": "http://purl.org/dc/terms/", "xsd": "http://www.w3.org/2001/XMLSchema#"}
    if fmt == "ttl":
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads},
                         key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    quads = canonical_quads(quads)
    if fmt == "nquads":
        return ox.serialize(quads, format=rdf_format)
    return ox.serialize(quads, format=rdf_format, prefixes=prefixes)


def store_digest(store: GraphStore) -> str:
    """A fingerprint of everything in the store (every node and relationship, whoever wrote it):
    equal digests mean equal states."""
    import hashlib
    import json
    nodes = store.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties").rows
    rels = store.run("MATCH (a)-[r]->(b) RETURN properties(a) AS a, type(r) AS type, properties(r) AS r, "
                     "properties(b) AS b").rows
    canonical = sorted(json.dumps([sorted(n["labels"]), n["properties"]], sort_keys=True, default=str) for n in nodes)
    canonical += sorted(json.dumps([r["a"], r["type"], r["r"], r["b"]], sort_keys=True, default=str) for r in rels)
    return hashlib.sha256("\n".join(canonical).encode("utf-8")).hexdigest()
