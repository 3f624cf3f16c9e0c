"""SHACL evaluated set-at-a-time: every constraint of a shapes graph as one SPARQL query on pyoxigraph.

pySHACL, the reference implementation we test against, checks each shape focus node by focus
node in Python; on 100k triples that takes most of a minute. Here each constraint component of
each shape becomes a single SPARQL SELECT over the whole data graph that returns every
violating (focus node, value node) pair at once, so validation costs a handful of indexed joins
per constraint, whatever the number of focus nodes.

Implements W3C SHACL (https://www.w3.org/TR/shacl/) for:

- targets: ``sh:targetClass`` (with ``rdfs:subClassOf*``), implicit class targets,
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf`` and SHACL-SPARQL
  ``sh:SPARQLTarget``;
- property paths: predicate, inverse, sequence, alternative, zero-or-more, one-or-more,
  zero-or-one;
- Core constraint components: class, datatype (lexical form checked for XSD types SPARQL can
  cast), nodeKind, minCount, maxCount, in, languageIn, uniqueLang, pattern, minLength,
  maxLength, min/maxInclusive, min/maxExclusive, hasValue, equals, disjoint, lessThan,
  lessThanOrEquals, qualifiedValueShape with qualifiedMin/MaxCount (when the qualified shape
  only uses value-level components);
- SHACL-SPARQL ``sh:sparql`` constraints (``$this`` pre-bound by ``VALUES``, ``$PATH``
  substituted, ``{?var}`` message templates);
- ``sh:severity``, ``sh:message``, ``sh:deactivated``.

A shapes graph using anything else (``sh:node``, ``sh:and``/``or``/``not``/``xone``,
``sh:closed``, nested property shapes, ...) raises :class:`UnsupportedShapes`; the caller then
uses pySHACL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from ..errors import OntologyError
from .vocab import SH

#: Parameters this module evaluates or may ignore (annotations); any other sh: term is unsupported.
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
_ANNOTATIONS = {SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
                SH.defaultValue, SH.property, SH.path, SH.prefixes, SH.declare}
_VALUE_LEVEL = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.languageIn, SH.pattern, SH.flags,
                SH.minLength, SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
                SH.maxExclusive}
_OTHER = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.hasValue, SH.equals, SH.disjoint, SH.lessThan,
          SH.lessThanOrEquals, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
          SH.qualifiedValueShapesDisjoint, SH.sparql}
SUPPORTED = _TARGETS | _ANNOTATIONS | _VALUE_LEVEL | _OTHER

#: XSD datatypes whose lexical forms SPARQL casts check (an ill-formed literal fails sh:datatype).
_CASTABLE = {XSD.boolean, XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.dateTime, XSD.date,
             XSD.time, XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)", SH.BlankNode: "isBlank(?value)", SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "!isLiteral(?value)", SH.BlankNodeOrLiteral: "!isIRI(?value)",
    SH.IRIOrLiteral: "!isBlank(?value)",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
_WHERE_BRACE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
#: Focus nodes per SPARQL-constraint query (they go in as a VALUES block).
FOCUS_CHUNK = 2_000


class UnsupportedShapes(OntologyError):
    """The shapes graph uses SHACL features this engine does not evaluate (``auto`` then uses
    pySHACL; asked for explicitly, it is an error about the ontology's shapes, exit code 2)."""


@dataclass(frozen=True)
class ShaclResult:
    """One validation result (sh:ValidationResult)."""

    severity: str
    component: str
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    path: str | None
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    message: str | None
    shape: str


@dataclass
class _Check:
    """One constraint compiled to SPARQL."""

    query: str
    severity: str
    component: str
    message: str | None
    path: str | None
    shape: str
    #: SHACL-SPARQL constraints run per chunk of focus nodes (pre-binding $this)
    focus_query: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)


def _n3(term) -> str:
    if isinstance(term, BNode):
        raise UnsupportedShapes("blank nodes as constraint values")
    return term.n3()


def _short(term) -> str:
    text = str(term)
    for prefix, namespace in (("ig:", "https://w3id.org/itu-graph/ontology#"), ("xsd:", str(XSD)),
                              ("rdf:", str(RDF)), ("sh:", str(SH))):
        if text.startswith(namespace):
            return prefix + text[len(namespace):]
    return text


class _Compiler:
    def __init__(self, shapes: Graph):
        self.g = shapes

    # ------------------------------------------------------------------ shapes graph reading
    def _one(self, subject, predicate):
        values = list(self.g.objects(subject, predicate))
        if len(values) > 1:
            raise UnsupportedShapes(f"{_short(predicate)} given {len(values)} times on one shape")
        return values[0] if values else None

    def _list(self, node) -> list:
        return list(Collection(self.g, node))

    def _check_parameters(self, shape, allowed=SUPPORTED) -> None:
        for predicate in set(self.g.predicates(shape)):
            if str(predicate).startswith(str(SH)) and predicate not in allowed:
                raise UnsupportedShapes(f"{_short(predicate)} (on shape {shape})")
        if self.g.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            raise UnsupportedShapes("sh:qualifiedValueShapesDisjoint")

    def _prefixes(self, node) -> dict[str, str]:
        """sh:prefixes -> the sh:declare'd prefix/namespace pairs (SHACL-SPARQL 5.2.1)."""
        out = {}
        for owner in self.g.objects(node, SH.prefixes):
            for declaration in self.g.objects(owner, SH.declare):
                out[str(self.g.value(declaration, SH.prefix))] = str(self.g.value(declaration, SH.namespace))
        return out

    def _message(self, *nodes) -> str | None:
        for node in nodes:
            messages = list(self.g.objects(node, SH.message))
            if messages:
                plain = [m for m in messages if not getattr(m, "language", None) or m.language == "en"]
                return str((plain or messages)[0])
        return None

    def _severity(self, node) -> str:
        return _SEVERITIES.get(self.g.value(node, SH.severity), "Violation")

    def path(self, node) -> str:
        """A SHACL property path as a SPARQL property path (SHACL 2.3.1)."""
        if isinstance(node, URIRef):
            return _n3(node)
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(p) for p in self._list(node)) + ")"
        for predicate, template in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                                    (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
            inner = self.g.value(node, predicate)
            if inner is not None:
                return template.format(self.path(inner))
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self._list(alternatives)) + ")"
        raise UnsupportedShapes(f"property path {node}")

    # ------------------------------------------------------------------ targets
    def focus(self, shape) -> tuple[str, dict[str, str]] | None:
        """A group graph pattern binding ?this to every focus node of the shape (SHACL 2.1.3)."""
        parts, prefixes = [], {}
        classes = list(self.g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.g:
            classes.append(shape)
        parts += [f"{{ ?this {_TYPE_PATH} {_n3(c)} . }}" for c in classes]
        nodes = list(self.g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " } }")
        parts += [f"{{ ?this {_n3(p)} [] . }}" for p in self.g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ [] {_n3(p)} ?this . }}" for p in self.g.objects(shape, SH.targetObjectsOf)]
        for target in self.g.objects(shape, SH.target):
            select = self.g.value(target, SH.select)
            if (target, RDF.type, SH.SPARQLTarget) not in self.g or select is None:
                raise UnsupportedShapes(f"target {target} (only SPARQL targets with sh:select)")
            prefixes.update(self._prefixes(target))
            parts.append("{ " + str(select) + " }")
        if not parts:
            return None
        if len(parts) == 1 and classes:
            return parts[0], prefixes
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }", prefixes

    # ------------------------------------------------------------------ constraints
    def value_condition(self, shape) -> list[tuple[str, str, str]]:
        """(component, condition on ?value meaning "conforms", default message) per value-level
        constraint of the shape."""
        g = self.g
        out = []
        for cls in g.objects(shape, SH["class"]):
            out.append(("ClassConstraintComponent", f"EXISTS {{ ?value {_TYPE_PATH} {_n3(cls)} . }}",
                        f"value is not an instance of {_short(cls)}"))
        for datatype in g.objects(shape, SH.datatype):
            condition = f"(isLiteral(?value) && datatype(?value) = {_n3(datatype)})"
            if datatype in _CASTABLE:
                condition = f"({condition} && COALESCE(isLiteral({_n3(datatype)}(STR(?value))), false))"
            out.append(("DatatypeConstraintComponent", condition,
                        f"value is not a well-formed literal of datatype {_short(datatype)}"))
        for kind in g.objects(shape, SH.nodeKind):
            if kind not in _NODE_KINDS:
                raise UnsupportedShapes(f"sh:nodeKind {kind}")
            out.append(("NodeKindConstraintComponent", _NODE_KINDS[kind], f"value is not of kind {_short(kind)}"))
        for members in g.objects(shape, SH["in"]):
            terms = self._list(members)
            condition = "(" + " || ".join(f"sameTerm(?value, {_n3(t)})" for t in terms) + ")" if terms else "false"
            out.append(("InConstraintComponent", condition,
                        "value is not one of " + ", ".join(str(t) for t in terms)))
        for languages in g.objects(shape, SH.languageIn):
            tags = [str(t) for t in self._list(languages)]
            matches = " || ".join(f"langMatches(lang(?value), {Literal(t).n3()})" for t in tags) or "false"
            out.append(("LanguageInConstraintComponent", f"(isLiteral(?value) && ({matches}))",
                        "language tag not in " + ", ".join(tags)))
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            out.append(("PatternConstraintComponent",
                        f"(!isBlank(?value) && REGEX(STR(?value), {Literal(str(pattern)).n3()}{extra}))",
                        f"value does not match the pattern {pattern}"))
        for predicate, op, component in ((SH.minLength, ">=", "MinLength"), (SH.maxLength, "<=", "MaxLength")):
            for n in g.objects(shape, predicate):
                out.append((f"{component}ConstraintComponent",
                            f"(!isBlank(?value) && STRLEN(STR(?value)) {op} {int(n)})",
                            f"value length must be {op} {int(n)}"))
        for predicate, op in _COMPARISONS.items():
            for bound in g.objects(shape, predicate):
                name = str(predicate).rsplit("#", 1)[1]
                out.append((f"{name[0].upper()}{name[1:]}ConstraintComponent",
                            f"COALESCE(?value {op} {_n3(bound)}, false)", f"value must be {op} {bound}"))
        return out

    def compile(self) -> list[_Check]:
        checks: list[_Check] = []
        shapes = set(self.g.subjects(RDF.type, SH.NodeShape)) | set(self.g.subjects(RDF.type, SH.PropertyShape))
        for target in _TARGETS:
            shapes |= set(self.g.subjects(target, None))
        for shape in sorted(shapes, key=str):
            if self.g.value(shape, SH.deactivated) == Literal(True):
                continue
            focus = self.focus(shape)
            if focus is None:
                continue  # a shape without targets is only reached through others (checked there)
            pattern, prefixes = focus
            if self.g.value(shape, SH.path) is not None:
                checks += self._property_checks(shape, shape, pattern, prefixes)
                continue
            self._check_parameters(shape)
            checks += self._constraint_checks(shape, shape, pattern, prefixes, path=None)
            for prop in self.g.objects(shape, SH.property):
                if self.g.value(prop, SH.deactivated) == Literal(True):
                    continue
                checks += self._property_checks(shape, prop, pattern, prefixes)
        return checks

    def _property_checks(self, shape, prop, pattern, prefixes) -> list[_Check]:
        self._check_parameters(prop, SUPPORTED - {SH.property})
        if self.g.value(prop, SH.property) is not None:
            raise UnsupportedShapes("nested property shapes")
        return self._constraint_checks(shape, prop, pattern, prefixes, path=self.g.value(prop, SH.path))

    def _constraint_checks(self, shape, node, focus, prefixes, path) -> list[_Check]:
        """Every constraint declared on ``node`` (the node shape itself, or one of its property
        shapes), each as one query returning ?this and, where SHACL reports one, ?value."""
        g = self.g
        severity, message = self._severity(node), self._message(node)
        result_path = str(path) if isinstance(path, URIRef) else None
        name = str(node) if not isinstance(node, BNode) else str(shape)
        values = f"?this {self.path(path)} ?value ." if path is not None else "BIND (?this AS ?value)"
        checks = []

        def add(component, query, default, **extra):
            checks.append(_Check(query, severity, component, message or default, result_path, name,
                                 prefixes=prefixes, **extra))

        for component, condition, default in self.value_condition(node):
            add(component, f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} FILTER (!({condition})) }}", default)
        for n in g.objects(node, SH.minCount):
            add("MinCountConstraintComponent", self._count_query(focus, values, "<", int(n)),
                f"fewer than {int(n)} value(s)")
        for n in g.objects(node, SH.maxCount):
            add("MaxCountConstraintComponent", self._count_query(focus, values, ">", int(n)),
                f"more than {int(n)} value(s)")
        if g.value(node, SH.uniqueLang) == Literal(True) and path is not None:
            p = self.path(path)
            add("UniqueLangConstraintComponent",
                f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {p} ?value . ?this {p} ?other . "
                "FILTER (!sameTerm(?value, ?other) && lang(?value) != \"\" && LCASE(lang(?value)) = LCASE(lang(?other))) }",
                "more than one value in the same language")
        for value in g.objects(node, SH.hasValue):
            add("HasValueConstraintComponent",
                f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values.replace('?value', _n3(value))} }} }}"
                if path is not None else f"SELECT ?this WHERE {{ {focus} FILTER (!sameTerm(?this, {_n3(value)})) }}",
                f"missing the value {value}")
        for other in g.objects(node, SH.equals):
            add("EqualsConstraintComponent",
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {{ {values} FILTER NOT EXISTS {{ ?this {_n3(other)} ?value }} }}"
                f" UNION {{ ?this {_n3(other)} ?value . FILTER NOT EXISTS {{ {values} }} }} }}",
                f"values differ from those of {_short(other)}")
        for other in g.objects(node, SH.disjoint):
            add("DisjointConstraintComponent",
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} ?this {_n3(other)} ?value . }}",
                f"value is also a value of {_short(other)}")
        for predicate, op, component in ((SH.lessThan, "<", "LessThan"), (SH.lessThanOrEquals, "<=", "LessThanOrEquals")):
            for other in g.objects(node, predicate):
                add(f"{component}ConstraintComponent",
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} ?this {_n3(other)} ?other . "
                    f"FILTER (!COALESCE(?value {op} ?other, false)) }}",
                    f"value is not {op} the value of {_short(other)}")
        qualified = g.value(node, SH.qualifiedValueShape)
        if qualified is not None:
            self._check_parameters(qualified, _VALUE_LEVEL | _ANNOTATIONS - {SH.property})
            conditions = [c for _component, c, _default in self.value_condition(qualified)]
            conforms = " && ".join(conditions) or "true"
            inner = f"{values} FILTER ({conforms})"
            for predicate, op, component in ((SH.qualifiedMinCount, "<", "QualifiedMinCount"),
                                             (SH.qualifiedMaxCount, ">", "QualifiedMaxCount")):
                for n in g.objects(node, predicate):
                    add(f"{component}ConstraintComponent", self._count_query(focus, inner, op, int(n)),
                        f"{'fewer' if op == '<' else 'more'} than {int(n)} conforming value(s)")
        for constraint in g.objects(node, SH.sparql):
            checks.append(self._sparql_check(shape, node, constraint, focus, prefixes, path, severity, message,
                                             result_path, name))
        return checks

    @staticmethod
    def _count_query(focus: str, values: str, op: str, n: int) -> str:
        if op == "<" and n == 1:
            return f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values} }} }}"
        optional = f"OPTIONAL {{ {values} }}" if op == "<" else values
        return (f"SELECT ?this WHERE {{ {focus} {optional} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?value) {op} {n})")

    def _sparql_check(self, shape, node, constraint, focus, prefixes, path, severity, message, result_path,
                      name) -> _Check:
        select = self.g.value(constraint, SH.select)
        if select is None or self.g.value(constraint, SH.deactivated) == Literal(True):
            raise UnsupportedShapes("sh:sparql without sh:select (or deactivated)")
        text = str(select)
        if "$currentShape" in text or "$shapesGraph" in text:
            raise UnsupportedShapes("$currentShape / $shapesGraph in a SPARQL constraint")
        if "$PATH" in text:
            if path is None:
                raise UnsupportedShapes("$PATH in a node shape's SPARQL constraint")
            text = text.replace("$PATH", self.path(path))
        if not _WHERE_BRACE.search(text):
            raise UnsupportedShapes("SPARQL constraint without a WHERE clause")
        merged = dict(prefixes)
        merged.update(self._prefixes(constraint))
        return _Check(text, severity, "SPARQLConstraintComponent",
                      self._message(constraint) or message or "SPARQL constraint not satisfied",
                      result_path, name, focus_query=f"SELECT DISTINCT ?this WHERE {{ {focus} }}", prefixes=merged)


def compile_shapes(shapes: Graph) -> list[_Check]:
    """The shapes graph as SPARQL queries; raises :class:`UnsupportedShapes`."""
    return _Compiler(shapes).compile()


def data_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """An in-memory store holding the quads; the queries read the union of its graphs, the data
    graph pySHACL sees (a triple stated in two graphs is found twice, and every query's result
    is a set of focus and value nodes, so that changes nothing)."""
    store = ox.Store()
    store.bulk_extend(quads)
    return store


def _prolog(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def lexical(term) -> str | None:
    """A term as SHACL messages show it: an IRI or a literal's lexical form (None stays None)."""
    if term is None:
        return None
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def evaluate(checks: list[_Check], store: ox.Store) -> Iterator[ShaclResult]:
    """Run compiled checks against the data store."""
    for check in checks:
        prolog = _prolog(check.prefixes)
        if check.focus_query is None:
            for row in store.query(prolog + check.query, use_default_graph_as_union=True):
                yield _result(check, row, check.message)
            continue
        focus = list(dict.fromkeys(row["this"] for row in
                                   store.query(prolog + check.focus_query, use_default_graph_as_union=True)))
        for start in range(0, len(focus), FOCUS_CHUNK):
            block = "VALUES $this { " + " ".join(str(t) for t in focus[start:start + FOCUS_CHUNK]) + " } "
            match = _WHERE_BRACE.search(check.query)
            query = check.query[:match.end()] + " " + block + check.query[match.end():]
            for row in store.query(prolog + query, use_default_graph_as_union=True):
                variables = {}
                for name in set(_TEMPLATE.findall(check.message or "")) | {"this", "value", "path"}:
                    try:
                        variables[name] = row[name]
                    except (KeyError, TypeError):
                        variables[name] = None
                message = _TEMPLATE.sub(lambda m: lexical(variables.get(m.group(1)))
                                        if variables.get(m.group(1)) is not None else m.group(0), check.message or "")
                path = variables.get("path")
                # SHACL-SPARQL 5.3.2: without a ?value binding, a node shape reports the focus node
                value = variables.get("value") or (variables["this"] if check.path is None else None)
                yield ShaclResult(check.severity, check.component, variables["this"],
                                  path.value if isinstance(path, ox.NamedNode) else check.path,
                                  value, message, check.shape)


def _result(check: _Check, row, message) -> ShaclResult:
    try:
        value = row["value"]
    except (KeyError, TypeError):
        value = None
    if check.component in ("MinCountConstraintComponent", "MaxCountConstraintComponent",
                           "UniqueLangConstraintComponent", "QualifiedMinCountConstraintComponent",
                           "QualifiedMaxCountConstraintComponent", "HasValueConstraintComponent"):
        value = None  # SHACL reports no value node for these
    return ShaclResult(check.severity, check.component, row["this"], check.path, value, message, check.shape)


def validate(shapes: Graph, store: ox.Store) -> list[ShaclResult]:
    """All validation results of the data in ``store`` against ``shapes``."""
    return list(evaluate(compile_shapes(shapes), store))


__all__ = ["ShaclResult", "UnsupportedShapes", "compile_shapes", "data_store", "evaluate", "validate", "lexical",
           "SUPPORTED"]
