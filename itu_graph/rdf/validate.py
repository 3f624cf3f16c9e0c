"""Validate a built dataset: terms the ontology knows, then the SHACL shapes.

Two passes. The first, in Python over the quads, checks what the mapping needs (every class and
property is in the ontology, every entity is a typed IRI, references resolve); these problems
are "unmappable": ``load --force`` still refuses them. The second runs pySHACL with the
ontology's shapes (W3C SHACL, https://www.w3.org/TR/shacl/).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import re

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF as RDFNS

from ..errors import Location
from ..memory import without_collector
from .build import Dataset
from .ontology import fixed_property_iris
from .vocab import SH, SKOS, TYPE, XSD

VIOLATION, WARNING, INFO = "Violation", "Warning", "Info"
IG_NS = "https://w3id.org/itu-graph/ontology#"

#: Longest label (name, acronym, search label) the tools will show, and longest literal at all.
MAX_LABEL = 1_000
MAX_LITERAL = 100_000
#: Bidirectional embedding, override and isolate controls: they make text display other than it
#: reads ("Trojan Source"), so names may not carry them. Marks such as RLM and joiners may.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
#: C0 controls but tab, line feed and carriage return: XML (DOCX, GraphML, GEXF) cannot hold them
#: and terminals act on them, so no literal may carry one.
CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")
INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
LABEL_PROPERTIES = (str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.hiddenLabel))
INTEGER_TYPES = {str(XSD.integer), str(XSD.int), str(XSD.long)}


def _fits_int64(lexical: str) -> bool:
    try:
        return -2 ** 63 <= int(lexical) < 2 ** 63
    except ValueError:
        return True  # not an integer at all: the datatype shape reports that


@dataclass(frozen=True)
class Problem:
    """One validation problem. ``where`` is its Location, or a function that finds it: finding
    the line of thousands of warnings nobody prints would cost more than validating."""

    severity: str
    message: str
    focus: str | None
    path: str | None
    where: Location | Callable[[], Location] = field(default_factory=Location, repr=False, compare=False)
    unmappable: bool = False

    @property
    def location(self) -> Location:
        if callable(self.where):
            object.__setattr__(self, "where", self.where())
        return self.where

    def as_dict(self) -> dict:
        return {"severity": self.severity, "message": self.message, "focus": self.focus,
                "path": self.path, "file": self.location.file, "line": self.location.line,
                "unmappable": self.unmappable}

    def __str__(self) -> str:
        where = str(self.location) or (self.focus or "")
        path = f" [{self.path}]" if self.path else ""
        return f"{self.severity}: {where}{path}: {self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == VIOLATION]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def by_location(self, problems: list[Problem] | None = None) -> list[Problem]:
        """Problems (all, or those given) in file and line order, for people to read."""
        order = {VIOLATION: 0, WARNING: 1, INFO: 2}
        return sorted(self.problems if problems is None else problems,
                      key=lambda p: (order[p.severity], p.location.file or "", p.location.line or 0, p.focus or "",
                                     p.message))

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def mappable(self) -> bool:
        return not any(p.unmappable for p in self.problems)

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "violations": len(self.violations),
                "warnings": len(self.warnings), "problems": [p.as_dict() for p in self.by_location()]}


@without_collector
def check_terms(dataset: Dataset) -> list[Problem]:
    """Every class, property and reference must be one the ontology and the data define."""
    ontology = dataset.ontology
    known_literal = fixed_property_iris() | set(ontology.datatype_properties)
    known_object = set(ontology.object_properties)
    problems: list[Problem] = []
    typed: set[str] = set()
    first_graph: dict[str, str] = {}
    references: list[ox.Quad] = []
    reported: set[tuple] = set()
    unknown_class: set[str] = set()

    def report(message, focus, path, graph, unmappable=True, severity=VIOLATION, obj=None):
        key = (message, focus, path)
        if key not in reported:
            reported.add(key)
            problems.append(Problem(severity, message, focus, path,
                                    (lambda: dataset.locate_triple(focus, path, obj, graph)) if focus else Location(),
                                    unmappable))

    for q in dataset.quads:
        s, p, o, g = q.subject, q.predicate.value, q.object, q.graph_name.value
        if not isinstance(s, ox.NamedNode):
            report("blank nodes and quoted triples cannot be entities; give it an IRI", None, p, g)
            continue
        first_graph.setdefault(s.value, g)
        if p == TYPE:
            if not isinstance(o, ox.NamedNode) or o.value not in ontology.classes:
                report(f"unknown class {o}: not in the ontology" + did_you_mean(o, ontology.classes),
                       s.value, p, g, obj=o.value if isinstance(o, ox.NamedNode) else None)
                unknown_class.add(s.value)
            typed.add(s.value)  # typed all the same: its references are not dangling
        elif p in known_object:
            if not isinstance(o, ox.NamedNode):
                report(f"{ontology.object_properties[p].cypher_name} needs an entity IRI, not a literal",
                       s.value, p, g)
            else:
                references.append(q)
        elif p in known_literal:
            if not isinstance(o, ox.Literal) and p != "http://purl.org/dc/terms/source":
                report("this property takes a literal value", s.value, p, g)
            elif isinstance(o, ox.Literal):
                value = o.value
                if len(value) > MAX_LITERAL or (p in LABEL_PROPERTIES and len(value) > MAX_LABEL):
                    report(f"literal of {len(value):,} characters is too long "
                           f"(labels up to {MAX_LABEL:,}, other text up to {MAX_LITERAL:,})", s.value, p, g)
                elif "\x00" in value:
                    report("literal holds a NUL character (U+0000), which graph stores cannot hold", s.value, p, g)
                elif CONTROLS.search(value):
                    bad = CONTROLS.search(value).group()
                    report(f"literal holds the control character U+{ord(bad):04X}; only tab and line breaks may "
                           "appear in text", s.value, p, g)
                elif o.datatype.value in INTEGER_TYPES and not _fits_int64(value):
                    report(f"integer {value[:40]} does not fit in 64 bits, the graph stores' integers", s.value, p, g)
                elif p in LABEL_PROPERTIES and BIDI_CONTROLS.search(value):
                    report("label holds bidirectional override characters (U+202A-202E, U+2066-2069), "
                           "which make text display other than it reads", s.value, p, g)
                elif p in LABEL_PROPERTIES and not INVISIBLE.sub("", value):
                    report("label is empty or made only of invisible characters", s.value, p, g)
        else:
            report(f"unknown property <{p}>: not in the ontology"
                   + did_you_mean(q.predicate, known_literal | known_object), s.value, p, g)
    for subject, graph in first_graph.items():
        if subject not in typed:
            report("entity has no class (rdf:type from the ontology)", subject, None, graph)
    for q in references:
        if q.object.value not in typed:
            report(f"dangling reference: {Location(entity=q.object.value)} is not an entity in the data",
                   q.subject.value, q.predicate.value, q.graph_name.value, obj=q.object.value)
    return problems


def did_you_mean(term, known) -> str:
    """" (did you mean ig:X or ig:Y?)" from the ontology's terms closest to the unknown one's local
    name (difflib's ratio, case-insensitive), or "" when none is close."""
    import difflib
    if not isinstance(term, ox.NamedNode):
        return ""
    local = {}
    for iri in known:
        local.setdefault(re.split(r"[#/]", iri)[-1].lower(), iri)
    wanted = re.split(r"[#/]", term.value)[-1].lower()
    close = difflib.get_close_matches(wanted, list(local), n=3, cutoff=0.6)
    # a word of the unknown name that is a class's name ("RegionalAssociation" -> RegionalBody) also counts
    close += [name for name in local if name not in close and len(name) > 4 and
              any(part and (part in name or name in part) for part in re.findall(r"[a-z]+", re.sub(
                  r"([a-z])([A-Z])", r"\1 \2", re.split(r"[#/]", term.value)[-1]).lower()) if len(part) > 4)][:3 - len(close)]
    if not close:
        return ""
    names = [f"ig:{re.split(r'[#/]', local[c])[-1]}" if local[c].startswith(IG_NS) else f"<{local[c]}>" for c in close]
    return " (did you mean " + " or ".join(names) + "?)"


#: SHACL engines: ``auto`` evaluates the shapes set-at-a-time on pyoxigraph (rdf.shacl) and falls
#: back to pySHACL when the shapes use a feature that engine lacks; ``pyshacl`` is the reference.
ENGINES = ("auto", "oxigraph", "pyshacl")


def shapes_graph(dataset: Dataset):
    """The ontology's SHACL shapes as one rdflib graph (small: rdflib is fine here)."""
    from rdflib import Graph
    from .shacl import literals_as_written
    shapes = Graph()
    with literals_as_written():
        for path in dataset.ontology.shapes_files():
            shapes.parse(path, format="turtle")
    return shapes


def run_shacl(dataset: Dataset, engine: str = "auto") -> list[Problem]:
    """The SHACL shapes over the union of all graphs, inferred superclasses included."""
    from . import shacl
    from ..errors import ParameterError
    if engine not in ENGINES:
        raise ParameterError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")
    shapes = shapes_graph(dataset)
    if len(shapes) == 0:
        return []
    # before any engine: pySHACL too would run SERVICE (over HTTP) and forbidden SPARQL
    shacl.check_sparql(shapes)
    if engine != "pyshacl":
        try:
            checks = shacl.compile_shapes(shapes)
            store = shacl.data_store(dataset.all_quads())
        except shacl.UnsupportedShapes:
            if engine == "oxigraph":
                raise
        else:
            return _problems(dataset, ((r.severity if r.severity in (VIOLATION, WARNING) else INFO, r.message,
                                        r.focus.value if isinstance(r.focus, ox.NamedNode) else None, r.path,
                                        shacl.lexical(r.value)) for r in shacl.evaluate(checks, store)))
    return _problems(dataset, _pyshacl_results(dataset, shapes))


def _pyshacl_results(dataset: Dataset, shapes):
    import pyshacl
    data = dataset.to_rdflib()
    _conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                                 advanced=True, allow_warnings=True, inplace=True)
    for result in results.subjects(RDFNS.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        severity = {SH.Violation: VIOLATION, SH.Warning: WARNING}.get(results.value(result, SH.resultSeverity), INFO)
        yield (severity, str(message) if message else None, str(focus) if isinstance(focus, URIRef) else None,
               _path_text(results, path), str(value) if value is not None else None)


def _path_text(graph, path) -> str | None:
    """A result path as both engines name it: the IRI, or a complex path in SPARQL syntax."""
    from . import shacl
    if path is None:
        return None
    try:
        return shacl.path_text(graph, path)
    except shacl.UnsupportedShapes:
        return None


def _problems(dataset: Dataset, results) -> list[Problem]:
    """(severity, message, focus IRI, path IRI, value) tuples from either engine as problems,
    one per distinct (severity, text, focus, path)."""
    problems = []
    seen = set()
    for severity, message, focus, path, value in results:
        text = message or "shape not satisfied"
        if value is not None and "{" not in text and value not in text:
            text += f" (value: {value})"
        hint = _datatype_hint(dataset, path, value, text)
        if hint:
            text += hint
        key = (severity, text, focus, path)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(severity, text, focus, path,
                                # a missing value has no triple: the entity is where to add it
                                (lambda focus=focus, path=path, value=value: dataset.locate_triple(focus, path, value)
                                 if value is not None else dataset.locate(focus)) if focus else Location()))
    return problems


_DATATYPE_EXAMPLES = {str(XSD.date): "2024-06-04", str(XSD.boolean): "true", str(XSD.integer): "42",
                      str(XSD.anyURI): "https://example.org/page", str(XSD.double): "0.5"}


def _datatype_hint(dataset: Dataset, path: str | None, value: str | None, text: str) -> str:
    """For a value of the wrong datatype, what to write instead: the property's range from the
    ontology, with an example of its lexical form."""
    prop = dataset.ontology.datatype_properties.get(path) if path else None
    if prop is None or not prop.range or prop.range == str(XSD.string) or "datatype" not in text.lower():
        return ""
    short = "xsd:" + prop.range.rsplit("#", 1)[-1]
    example = _DATATYPE_EXAMPLES.get(prop.range, value or "…")
    if value and prop.range == str(XSD.date) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        example = value
    return f'; write it with its datatype, e.g. "{example}"^^{short}'



def fold_follow_ons(term_problems: list[Problem], shacl_problems: list[Problem]) -> list[Problem]:
    """Shape results about an entity whose class is unknown follow from that one cause (no shape
    targets it, or its names and links are judged against nothing): they are left out, and the
    unknown-class error says how many."""
    causes = {p.focus: i for i, p in enumerate(term_problems) if p.message.startswith("unknown class")}
    if not causes:
        return shacl_problems
    kept, folded = [], {}
    for problem in shacl_problems:
        if problem.focus in causes:
            folded[problem.focus] = folded.get(problem.focus, 0) + 1
        else:
            kept.append(problem)
    for focus, count in folded.items():
        i = causes[focus]
        cause = term_problems[i]
        term_problems[i] = Problem(cause.severity, f"{cause.message}; {count} further problem(s) about this entity "
                                   "follow from it and are not shown", cause.focus, cause.path, cause.where,
                                   cause.unmappable)
    return kept


def check_duplicates(dataset: Dataset) -> list[Problem]:
    """Probable duplicates (itu_graph.duplicates) as warnings, located at the second entity."""
    from ..duplicates import probable_duplicates
    from .vocab import ACRONYMS
    ontology = dataset.ontology
    classes: dict[str, set[str]] = {}
    records: dict[str, dict] = {}
    pref = str(SKOS.prefLabel)
    for q in dataset.quads:
        if not isinstance(q.subject, ox.NamedNode):
            continue
        s, p = q.subject.value, q.predicate.value
        if p == TYPE and isinstance(q.object, ox.NamedNode) and q.object.value in ontology.classes:
            classes.setdefault(s, set()).add(q.object.value)
        elif isinstance(q.object, ox.Literal) and p in (pref, ACRONYMS):
            record = records.setdefault(s, {"id": s, "acronyms": [], "sources": set()})
            if p == ACRONYMS:
                record["acronyms"].append(q.object.value)
            else:
                lang = (q.object.language or "en").lower().replace("-", "_")
                record["name" if lang == "en" else f"name_{lang}"] = q.object.value
    rows = []
    for uri, record in records.items():
        if uri in classes:
            labels = ontology.cypher_labels(classes[uri])
            if "SourceRemark" not in labels:  # what sources say about entities, not entities
                rows.append({**record, "labels": labels})
    return [Problem(WARNING, f"probable duplicate of {a}: " + "; ".join(pair.why), b, None,
                    lambda b=b: dataset.locate(b))
            for pair in probable_duplicates(rows) for a, b in [pair.ids]]


def validate(dataset: Dataset, shacl: bool = True, engine: str = "auto") -> Report:
    """Term checks, then the SHACL shapes (``engine``: see :data:`ENGINES`), then probable
    duplicates (warnings)."""
    report = Report(check_terms(dataset))
    if shacl:
        report.problems.extend(fold_follow_ons(report.problems, run_shacl(dataset, engine)))
    report.problems.extend(check_duplicates(dataset))
    order = {VIOLATION: 0, WARNING: 1, INFO: 2}
    report.problems.sort(key=lambda p: (order[p.severity], p.focus or "", p.message))
    return report


__all__ = ["Problem", "Report", "validate", "check_terms", "run_shacl", "shapes_graph", "ENGINES",
           "VIOLATION", "WARNING"]
