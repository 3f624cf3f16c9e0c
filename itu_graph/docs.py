"""Generated documentation: the schema reference (docs/schema.md) from the ontology."""
from __future__ import annotations

from .rdf.ontology import Ontology
from .rdf.vocab import LANG_PROPERTIES


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    for prefix, ns in (("ig:", "https://w3id.org/itu-graph/ontology#"), ("org:", "http://www.w3.org/ns/org#"),
                       ("skos:", "http://www.w3.org/2004/02/skos/core#"), ("prov:", "http://www.w3.org/ns/prov#"),
                       ("dcterms:", "http://purl.org/dc/terms/"), ("foaf:", "http://xmlns.com/foaf/0.1/"),
                       ("xsd:", "http://www.w3.org/2001/XMLSchema#")):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return f"<{iri}>"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def schema_markdown(ontology: Ontology) -> str:
    """Classes, relationship types and property keys with their Cypher names and en/zh labels."""
    lines = ["# Schema reference", "",
             "Generated from `ontology/itu.ttl` by `itu-graph docs`; a test keeps it in sync.",
             "Every node has the label `:Resource` plus one label per class and superclass below, and the",
             "properties `uri` (unique), `id` (last segment of the IRI), `name` (English `skos:prefLabel`),",
             "`name_<lang>` (other languages, e.g. `name_zh`), `acronyms` (`skos:altLabel`), `sources`",
             "(named graphs and `dcterms:source` pages that state it), `description[_<lang>]` and",
             "`definition[_<lang>]`. Relationships carry `sources` (the named graphs asserting them).", "",
             "## Node labels (classes)", "",
             "| Cypher label | class | superclasses | en | zh | meaning |",
             "|---|---|---|---|---|---|"]
    for c in sorted(ontology.classes.values(), key=lambda c: c.cypher_label):
        lines.append(f"| `{c.cypher_label}` | `{_short(c.iri)}` | {', '.join(f'`{_short(p)}`' for p in c.parents)} "
                     f"| {_cell(c.labels.get('en', ''))} | {_cell(c.labels.get('zh', ''))} | {_cell(c.comment)} |")
    lines += ["", "## Relationship types (object properties)", "",
              "| Cypher type | property | from | to | en | zh | meaning |", "|---|---|---|---|---|---|---|"]
    for p in sorted(ontology.object_properties.values(), key=lambda p: p.cypher_name):
        lines.append(f"| `{p.cypher_name}` | `{_short(p.iri)}` | `{_short(p.domain)}` | `{_short(p.range)}` "
                     f"| {_cell(p.labels.get('en', ''))} | {_cell(p.labels.get('zh', ''))} | {_cell(p.comment)} |")
    lines += ["", "## Node property keys (datatype properties)", "",
              "| key | property | datatype | en | zh | meaning |", "|---|---|---|---|---|---|"]
    for p in sorted(ontology.datatype_properties.values(), key=lambda p: p.cypher_name):
        lines.append(f"| `{p.cypher_name}` | `{_short(p.iri)}` | `{_short(p.range)}` "
                     f"| {_cell(p.labels.get('en', ''))} | {_cell(p.labels.get('zh', ''))} | {_cell(p.comment)} |")
    lines += ["", "## Fixed mapping of W3C properties", "", "| RDF | node property |", "|---|---|"]
    for iri, key in LANG_PROPERTIES.items():
        lines.append(f"| `{_short(iri)}` | `{key}` (English), `{key}_<lang>` |")
    lines += ["| `skos:altLabel` | `acronyms` (list) |", "| `skos:hiddenLabel` | `search_labels` (list: a source's wordings, for ingestion) |", "| `dcterms:source` | `sources` (list, with graph names) |", ""]
    return "\n".join(lines)
