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

import contextlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from ..errors import OntologyError
from .vocab import OWL, SH

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
    #: the sh:resultPath node in the shapes graph (an IRI or a path structure) and the shape that
    #: produced the result (sh:sourceShape), as rdflib terms, for building W3C reports
    path_node: object = field(default=None, compare=False)
    source_shape: object = field(default=None, compare=False)


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
    path_node: object = None
    source_shape: object = None
    #: SHACL-SPARQL: $currentShape and $shapesGraph, and the shapes graph's quads they need
    substitutions: dict = field(default_factory=dict)
    shapes_quads: list | None = None


class UnsupportedData(UnsupportedShapes):
    """The data holds literals the store would not keep as written (``auto`` then uses pySHACL)."""


class ForbiddenSparql(OntologyError):
    """A SPARQL query of the shapes graph uses what SHACL-SPARQL forbids or what would reach the
    network; the shapes graph is refused before any query runs (exit code 2), by every engine."""


def prefix_declarations(g: Graph, node) -> dict[str, str]:
    """The prefixes a SPARQL-based constraint or target declares: the ``sh:declare`` values of its
    ``sh:prefixes`` nodes and of every node those reach through ``owl:imports`` (SHACL 5.2.1)."""
    out: dict[str, str] = {}
    todo = list(g.objects(node, SH.prefixes))
    seen = set()
    while todo:
        owner = todo.pop()
        if owner in seen:
            continue
        seen.add(owner)
        todo += list(g.objects(owner, OWL.imports))
        for declaration in g.objects(owner, SH.declare):
            prefix, namespace = g.value(declaration, SH.prefix), g.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise ForbiddenSparql(f"a prefix declaration of {owner} lacks sh:prefix or sh:namespace")
            prefix, namespace = str(prefix), str(namespace)
            # both go into a PREFIX line: nothing in them may end it early
            if not re.fullmatch(r"[A-Za-z][\w.-]*|", prefix) or re.search(r'[\s<>"{}|^`\\]', namespace):
                raise ForbiddenSparql(f"prefix declaration {prefix!r} -> {namespace!r} of {owner} is not a "
                                      "valid prefix and namespace IRI")
            if out.get(prefix, namespace) != namespace:
                raise ForbiddenSparql(f"prefix {prefix!r} is declared with two namespaces for {node} "
                                      f"({out[prefix]} and {namespace})")
            out[prefix] = namespace
    return out


#: Variables SHACL-SPARQL pre-binds in constraints and validators (5.2.2, 6.2.3).
_PRE_BOUND = {"this", "shapesGraph", "currentShape", "value"}


def _sparql_nodes(algebra) -> Iterator:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    todo = [algebra]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            yield node
            todo += list(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            todo += list(node)


def _sparql_nodes_terms(block) -> Iterator:
    from pyparsing import ParseResults
    from rdflib.term import Variable
    todo = [block]
    while todo:
        node = todo.pop()
        if isinstance(node, Variable):
            yield node
        elif isinstance(node, (dict, list, tuple, ParseResults)):
            todo += list(node.values() if isinstance(node, dict) else node)


def check_query(text: str, prefixes: dict[str, str], where: str, pre_bound: bool) -> None:
    """Refuse a SPARQL query of a shapes graph before anything runs it.

    Everywhere: ``SERVICE`` (the SPARQL engines send it over HTTP: a shapes file must never make
    validation call out) and dataset clauses (``FROM``: the data graph is the one validated).
    Where variables are pre-bound (constraints, validators; SHACL 5.2.2): ``MINUS``, ``VALUES``,
    ``BIND``/``AS`` to a pre-bound variable, and subqueries that do not return ``$this``.
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    try:
        parsed = parseQuery(_prolog(prefixes) + text.replace("$PATH", "<urn:itu-graph:path>"))
        query = translateQuery(parsed)
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise many kinds
        raise ForbiddenSparql(f"the SPARQL query of {where} does not parse: {str(exc).splitlines()[0][:200]}") from None
    if getattr(query.algebra, "datasetClause", None):
        raise ForbiddenSparql(f"the SPARQL query of {where} has a FROM clause; validation reads only the data graph")
    nodes = list(_sparql_nodes(query.algebra))
    for node in nodes:
        if node.name == "ServiceGraphPattern":
            raise ForbiddenSparql(f"the SPARQL query of {where} uses SERVICE, which would send requests over the "
                                  "network; the shapes graph is refused")
    if not pre_bound:
        return
    for node in _sparql_nodes(parsed):
        # SELECT * counts as returning $this only where $this is in scope, in a triple pattern
        if node.name == "SubSelect":
            star = "projection" not in node
            projected = set() if star else {str(v["var"]) for v in node["projection"] if "var" in v}
            in_scope = {str(t) for block in _sparql_nodes(node["where"]) if block.name == "TriplesBlock"
                        for t in _sparql_nodes_terms(block)}
            if "this" not in projected and not (star and "this" in in_scope):
                raise ForbiddenSparql(f"a subquery of {where} does not return $this; SHACL-SPARQL requires "
                                      "subqueries to return the pre-bound variables (5.2.2)")
    for node in nodes:
        if node.name == "Minus":
            raise ForbiddenSparql(f"the SPARQL query of {where} uses MINUS, which SHACL-SPARQL forbids "
                                  "with pre-bound variables (5.2.2)")
        if node.name == "values":
            raise ForbiddenSparql(f"the SPARQL query of {where} uses VALUES, which SHACL-SPARQL forbids (5.2.2)")
        if node.name == "Extend" and str(node.get("var")) in _PRE_BOUND:
            raise ForbiddenSparql(f"the SPARQL query of {where} assigns the pre-bound variable ${node['var']} "
                                  "(BIND/AS), which SHACL-SPARQL forbids (5.2.2)")


def check_sparql(shapes: Graph) -> None:
    """Check every SPARQL query of a shapes graph (constraints, targets, validators) with
    :func:`check_query`; raises :class:`ForbiddenSparql`. Run before any engine, pySHACL too."""
    targets = set(shapes.objects(None, SH.target))
    for predicate in (SH.select, SH.ask, SH.construct, SH.update):
        for node, text in shapes.subject_objects(predicate):
            if predicate in (SH.construct, SH.update):
                raise ForbiddenSparql(f"{_short(predicate)} on {node}: SHACL rules and updates are not run")
            is_target = node in targets or (node, RDF.type, SH.SPARQLTarget) in shapes \
                or (node, RDF.type, SH.SPARQLTargetType) in shapes
            check_query(str(text), prefix_declarations(shapes, node), _describe(shapes, node), pre_bound=not is_target)


def _describe(g: Graph, node) -> str:
    """A SPARQL constraint, target or validator named for a person: its IRI, or (a blank node)
    the shape or component it belongs to."""
    if not isinstance(node, BNode):
        return f"<{node}>"
    for predicate, kind in ((SH.sparql, "SPARQL constraint"), (SH.target, "SPARQL target"),
                            (SH.validator, "validator"), (SH.nodeValidator, "node validator"),
                            (SH.propertyValidator, "property validator")):
        for owner in g.subjects(predicate, node):
            return f"the {kind} of {_describe(g, owner)}"
    return "a blank node"


@contextlib.contextmanager
def literals_as_written():
    """rdflib parsers inside this block keep literals' lexical forms: by default rdflib rewrites
    well-formed typed literals ("1"^^xsd:boolean becomes "true"), and SHACL tells them apart
    (sh:uniqueLang "1"^^xsd:boolean is not true; sh:in and sh:hasValue compare terms)."""
    import rdflib
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


SHAPES_GRAPH = ox.NamedNode("urn:itu-graph:shapes-graph")


def _to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


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
        if (shape, SH.sparql, shape) in self.g:
            allowed = allowed | {SH.select}  # the shape is its own SPARQL constraint
        for predicate in set(self.g.predicates(shape)):
            if str(predicate).startswith(str(SH)) and predicate not in allowed:
                raise UnsupportedShapes(f"{_short(predicate)} (on shape {shape})")
        if self.g.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            raise UnsupportedShapes("sh:qualifiedValueShapesDisjoint")

    def _prefixes(self, node) -> dict[str, str]:
        return prefix_declarations(self.g, node)

    def _message(self, *nodes) -> str | None:
        for node in nodes:
            messages = list(self.g.objects(node, SH.message))
            if messages:
                plain = [m for m in messages if not getattr(m, "language", None) or m.language == "en"]
                return str((plain or messages)[0])
        return None

    def _severity(self, node) -> str:
        """Violation, Warning, Info, or a custom severity's IRI (SHACL 2.1.4 allows any IRI)."""
        severity = self.g.value(node, SH.severity)
        if severity is None:
            return "Violation"
        if isinstance(severity, BNode):
            raise UnsupportedShapes("a blank node as sh:severity")
        return _SEVERITIES.get(severity, str(severity))

    def path(self, node) -> str:
        """A SHACL property path as a SPARQL property path (SHACL 2.3.1)."""
        if isinstance(node, URIRef):
            return _n3(node)
        forms = [p for p in (RDF.first, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath,
                             SH.alternativePath) if (node, p, None) in self.g]
        if len(forms) != 1:
            raise UnsupportedShapes(f"ill-formed property path {node} ({len(forms)} path forms on one node)")
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
        components = set(self.g.subjects(RDF.type, SH.ConstraintComponent))
        for predicate in (SH.parameter, SH.validator, SH.nodeValidator, SH.propertyValidator):
            components |= set(self.g.subjects(predicate, None))
        if components:
            # their parameters are not sh: terms, so a shape using one would otherwise look
            # constraint-free here and silently pass
            raise UnsupportedShapes(f"custom constraint components ({', '.join(sorted(map(str, components)))})")
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
        result_path = path_text(self.g, path) if path is not None else None
        name = str(node) if not isinstance(node, BNode) else str(shape)
        values = f"?this {self.path(path)} ?value ." if path is not None else "BIND (?this AS ?value)"
        checks = []

        def add(component, query, default, **extra):
            checks.append(_Check(query, severity, component, message or default, result_path, name,
                                 prefixes=prefixes, path_node=path, source_shape=node, **extra))

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
                f"SELECT DISTINCT ?this (LCASE(lang(?value)) AS ?lang) WHERE {{ {focus} ?this {p} ?value . "
                f"?this {p} ?other . FILTER (!sameTerm(?value, ?other) && lang(?value) != \"\" "
                "&& LCASE(lang(?value)) = LCASE(lang(?other))) }",
                "more than one value in the same language")
        for value in g.objects(node, SH.hasValue):
            add("HasValueConstraintComponent",
                f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ {values.replace('?value', _n3(value))} }} }}"
                if path is not None else f"SELECT ?this WHERE {{ {focus} FILTER (!sameTerm(?this, {_n3(value)})) }}",
                f"missing the value {value}")
        for other in g.objects(node, SH.equals):
            if path is None:
                # a node shape's only value is the focus node: report it unless it is a value of
                # `other`, and every value of `other` that is not the focus node (SHACL 4.4.1)
                # (the focus pattern is repeated in each branch: a UNION branch does not see
                # the bindings made outside it)
                query = (f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} BIND (?this AS ?value) "
                         f"FILTER NOT EXISTS {{ ?this {_n3(other)} ?this }} }} UNION {{ {focus} ?this {_n3(other)} ?value . "
                         "FILTER (!sameTerm(?value, ?this)) } }")
            else:
                query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {{ {values} FILTER NOT EXISTS "
                         f"{{ ?this {_n3(other)} ?value }} }} UNION {{ ?this {_n3(other)} ?value . "
                         f"FILTER NOT EXISTS {{ {values} }} }} }}")
            add("EqualsConstraintComponent", query, f"values differ from those of {_short(other)}")
        for other in g.objects(node, SH.disjoint):
            add("DisjointConstraintComponent",
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {values} ?this {_n3(other)} ?value . }}",
                f"value is also a value of {_short(other)}")
        for predicate, op, component in ((SH.lessThan, "<", "LessThan"), (SH.lessThanOrEquals, "<=", "LessThanOrEquals")):
            for other in g.objects(node, predicate):
                add(f"{component}ConstraintComponent",
                    f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} {values} ?this {_n3(other)} ?other . "
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
        substitutions, shapes_quads = {}, None
        if re.search(r"[?$](currentShape|shapesGraph)\b", text):
            # pre-bound by substitution (constant per constraint); the shapes graph is put in the
            # store as a named graph while this constraint runs, and kept out of the data graph
            substitutions = {"currentShape": _to_ox(shape), "shapesGraph": SHAPES_GRAPH}
            shapes_quads = [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), SHAPES_GRAPH) for s, p, o in self.g]
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
                      result_path, name, focus_query=f"SELECT DISTINCT ?this WHERE {{ {focus} }}", prefixes=merged,
                      path_node=path, source_shape=node, substitutions=substitutions, shapes_quads=shapes_quads)


def compile_shapes(shapes: Graph) -> list[_Check]:
    """The shapes graph as SPARQL queries; raises :class:`UnsupportedShapes`."""
    return _Compiler(shapes).compile()


def data_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """An in-memory store holding the quads; the queries read the union of its graphs, the data
    graph pySHACL sees (a triple stated in two graphs is found twice, and every query's result
    is a set of focus and value nodes, so that changes nothing).

    Raises :class:`UnsupportedData` when the store would not keep a literal as written:
    oxigraph stores XSD numbers, booleans and dates by value, so "4.0"^^xsd:decimal reads back
    as "4", "300"^^xsd:byte as "300"^^xsd:integer (valid!), "1"^^xsd:boolean as "true", and
    sh:datatype, sh:pattern or sh:in would judge another literal than the data's."""
    quads = list(quads)
    changed = rewritten_literals(quads)
    if changed:
        shown = ", ".join(f'"{lit.value}"^^<{lit.datatype.value}>' for lit in changed[:3])
        raise UnsupportedData(f"{len(changed)} literal(s) the store would rewrite ({shown}"
                              f"{', ...' if len(changed) > 3 else ''})")
    store = ox.Store()
    store.bulk_extend(quads)
    return store


_XSD = str(XSD)
_XSD_STRING = str(XSD.string)
_PROBE = ox.NamedNode("urn:itu-graph:probe")


def rewritten_literals(quads: list[ox.Quad]) -> list[ox.Literal]:
    """The distinct XSD-typed literals of ``quads`` that an oxigraph store reads back otherwise
    (lexical form or datatype), found by storing each once in a scratch store."""
    typed = list({q.object for q in quads if isinstance(q.object, ox.Literal)
                  and q.object.datatype.value.startswith(_XSD) and q.object.datatype.value != _XSD_STRING})
    if not typed:
        return []
    probe = ox.Store()
    probe.bulk_extend(ox.Quad(ox.NamedNode(f"urn:i:{i}"), _PROBE, literal) for i, literal in enumerate(typed))
    changed = []
    for quad in probe:
        original = typed[int(quad.subject.value[len("urn:i:"):])]
        if quad.object != original:
            changed.append(original)
    return sorted(changed, key=str)


def path_text(g: Graph, node) -> str:
    """How results name a property path (sh:resultPath): the predicate's IRI, or for inverse,
    sequence, alternative and repeat paths the SPARQL 1.1 property path (SHACL 2.3.1)."""
    if isinstance(node, URIRef):
        return str(node)
    return _Compiler(g).path(node)


def _prolog(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def lexical(term) -> str | None:
    """A term as SHACL messages show it: an IRI or a literal's lexical form (None stays None)."""
    if term is None:
        return None
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


#: Tokens that matter for finding group graph patterns in a SPARQL query: strings, IRIs and
#: comments (skipped, they may hold braces), braces, $this/?this and SELECT.
_LEXICAL = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
    r"|[{}]|[?$][A-Za-z_][A-Za-z0-9_]*|\bSELECT\b", re.IGNORECASE)


def prebind(query: str, block: str, names: Iterable[str] = ("this",)) -> str:
    """``query`` with ``block`` (``VALUES ?this { ... }``) opening its WHERE group and every nested
    group graph pattern that mentions ``$this``.

    SHACL-SPARQL pre-binding (5.2.2) means ``$this`` is bound everywhere in the query, in nested
    groups, UNION branches and subqueries too; a VALUES block joined only at the top leaves a
    FILTER in a nested group with ``$this`` unbound. Given the restrictions checked by
    :func:`check_query` (no MINUS, no VALUES, subqueries return ``$this``), joining the focus
    nodes in every group that uses ``$this`` gives the bindings substitution would. A ``{`` that
    opens a subquery (``{ SELECT``) is left alone; its own WHERE group gets the block."""
    tokens = [(m.start(), m.group()) for m in _LEXICAL.finditer(query)]
    opens: list[int] = []
    groups: list[tuple[int, int]] = []  # (token index of a "{", of its "}")
    for i, (_position, text) in enumerate(tokens):
        if text == "{":
            opens.append(i)
        elif text == "}" and opens:
            groups.append((opens.pop(), i))
    inserts = set()
    for n, (start, end) in enumerate(sorted(groups)):
        inner = [text for _position, text in tokens[start + 1:end]]
        if inner and inner[0].upper() == "SELECT":
            continue  # "{ SELECT ..." wraps a subquery: not a group graph pattern
        if n == 0 or any(text[0] in "?$" and text[1:] in names for text in inner):
            inserts.add(tokens[start][0] + 1)
    out, last = [], 0
    for position in sorted(inserts):
        out += [query[last:position], " ", block, " "]
        last = position
    return "".join(out) + query[last:]


def evaluate(checks: list[_Check], store: ox.Store) -> Iterator[ShaclResult]:
    """Run compiled checks against the data store."""
    for check in checks:
        if check.shapes_quads is None:
            yield from _evaluate(check, store, {"use_default_graph_as_union": True})
            continue
        data_graphs = [g for g in store.named_graphs() if g != SHAPES_GRAPH] + [ox.DefaultGraph()]
        store.extend(check.shapes_quads)
        try:
            # materialized: the shapes graph leaves the store before anything else reads it
            yield from list(_evaluate(check, store, {"default_graph": data_graphs}))
        finally:
            store.remove_graph(SHAPES_GRAPH)


def _evaluate(check: _Check, store: ox.Store, dataset: dict) -> Iterator[ShaclResult]:
    prolog = _prolog(check.prefixes)
    if check.focus_query is None:
        for row in store.query(prolog + check.query, **dataset):
            yield _result(check, row, check.message)
        return
    focus = list(dict.fromkeys(row["this"] for row in store.query(prolog + check.focus_query, **dataset)))
    names = ["this", *check.substitutions]
    constants = " ".join(str(check.substitutions[name]) for name in names[1:])
    for start in range(0, len(focus), FOCUS_CHUNK):
        rows = " ".join(f"({t} {constants})" for t in focus[start:start + FOCUS_CHUNK])
        block = f"VALUES ({' '.join('?' + n for n in names)}) {{ {rows} }} "
        query = prebind(check.query, block, names)
        for row in store.query(prolog + query, **dataset):
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
                              value, message, check.shape,
                              URIRef(path.value) if isinstance(path, ox.NamedNode) else check.path_node,
                              check.source_shape)


def _result(check: _Check, row, message) -> ShaclResult:
    try:
        value = row["value"]
    except (KeyError, TypeError):
        value = None
    if check.component in ("MinCountConstraintComponent", "MaxCountConstraintComponent",
                           "UniqueLangConstraintComponent", "QualifiedMinCountConstraintComponent",
                           "QualifiedMaxCountConstraintComponent", "HasValueConstraintComponent"):
        value = None  # SHACL reports no value node for these
    return ShaclResult(check.severity, check.component, row["this"], check.path, value, message, check.shape,
                       check.path_node, check.source_shape)


def validate(shapes: Graph, store: ox.Store) -> list[ShaclResult]:
    """All validation results of the data in ``store`` against ``shapes``."""
    return list(evaluate(compile_shapes(shapes), store))


__all__ = ["ShaclResult", "UnsupportedShapes", "UnsupportedData", "ForbiddenSparql", "check_sparql", "check_query",
           "prebind", "path_text", "literals_as_written", "prefix_declarations", "rewritten_literals", "compile_shapes", "data_store", "evaluate", "validate", "lexical",
           "SUPPORTED"]
