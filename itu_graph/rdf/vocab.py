"""Namespaces and the fixed, W3C-based part of the RDF to property graph mapping."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

IG = Namespace("https://w3id.org/itu-graph/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Literal-valued W3C properties every entity may carry, and the node property they map to.
#: Language-tagged values become ``<key>`` for English and ``<key>_<lang>`` for other languages.
LANG_PROPERTIES = {
    str(SKOS.prefLabel): "name",
    str(DCTERMS.description): "description",
    str(SKOS.definition): "definition",
}
ACRONYMS = str(SKOS.altLabel)
#: SKOS hidden labels: wordings a source uses, for finding the entity in text, never shown.
SEARCH_LABELS = str(SKOS.hiddenLabel)
SOURCE = str(DCTERMS.source)
TYPE = str(RDF.type)

#: Languages of the organization's work (ITU's six); the mapping accepts any BCP 47 tag,
#: these are the ones documented and offered by reports.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

__all__ = ["IG", "SH", "RDF", "RDFS", "OWL", "SKOS", "DCTERMS", "XSD", "LANG_PROPERTIES",
           "ACRONYMS", "SEARCH_LABELS", "SOURCE", "TYPE", "UN_LANGUAGES"]
