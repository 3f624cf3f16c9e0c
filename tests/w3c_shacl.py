"""The W3C SHACL test suite (core and SPARQL) run against the set-based engine, pySHACL and ``auto``.

The suite (https://w3c.github.io/data-shapes/data-shapes-test-suite/) lives in
``../shared/conformance/w3c-shacl/tests`` beside the checkout; it is not copied into the
repository. A test is a manifest entry of type ``sht:Validate`` with a data graph, a shapes
graph and either the expected validation report or ``sht:Failure`` (the validator must refuse).

Reports are compared as the W3C suite's own harness does: graph isomorphism of the reports
after dropping messages (``sh:resultMessage``) and ``sh:sourceConstraint``, ``sh:detail``; blank
nodes standing for focus nodes, values or shapes match any blank node, result paths are
compared as structures.

Outcomes per engine: ``pass``, ``fail`` (a wrong answer), ``unsupported`` (the set-based engine
declined: ``auto`` then uses pySHACL's answer). ``python tests/w3c_shacl.py`` (``make
conformance``) prints the counts per folder and exits 1 on any wrong answer of ``auto`` or any
wrong (not declined) answer of the set-based engine.
"""
from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from itu_graph.errors import ItuGraphError  # noqa: E402
from itu_graph.rdf import shacl  # noqa: E402
from itu_graph.rdf.vocab import SH  # noqa: E402

SUITE = ROOT.parent / "shared" / "conformance" / "w3c-shacl" / "tests"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
_PATH_PREDICATES = {RDF.first, RDF.rest, SH.inversePath, SH.alternativePath, SH.zeroOrMorePath,
                    SH.oneOrMorePath, SH.zeroOrOnePath}
_RESULT_PREDICATES = (SH.focusNode, SH.resultSeverity, SH.sourceConstraintComponent, SH.sourceShape, SH.value)


@dataclass(frozen=True, eq=False)
class W3CTest:
    """One sht:Validate entry: where its graphs are and what it expects (None = sht:Failure)."""

    name: str
    folder: str
    data: Path
    shapes: Path
    manifest: Path
    expected: Graph | None  # the expected report (see report_graph), None for sht:Failure

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.name}"


def _local(uri: str) -> Path:
    return Path(uri.removeprefix("file://"))


def load_tests(suite: Path = SUITE) -> list[W3CTest]:
    """Every sht:Validate entry reachable from the suite's top manifest through mf:include."""
    tests, seen, todo = [], set(), [suite / "manifest.ttl"]
    while todo:
        manifest = todo.pop(0).resolve()
        if manifest in seen:
            continue
        seen.add(manifest)
        with shacl.literals_as_written():
            g = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        todo += [_local(str(m)) for m in g.objects(None, URIRef(MF + "include"))]
        for entries in g.objects(None, URIRef(MF + "entries")):
            for entry in Collection(g, entries):
                if (entry, RDF.type, URIRef(SHT + "Validate")) not in g:
                    continue
                action = g.value(entry, URIRef(MF + "action"))
                result = g.value(entry, URIRef(MF + "result"))
                tests.append(W3CTest(
                    name=str(entry).rsplit("/", 1)[-1], folder=str(manifest.parent.relative_to(suite.resolve())),
                    data=_local(str(g.value(action, URIRef(SHT + "dataGraph")))),
                    shapes=_local(str(g.value(action, URIRef(SHT + "shapesGraph")))),
                    manifest=manifest,
                    expected=None if result == URIRef(SHT + "Failure") else expected_report(g, result)))
    return sorted(tests, key=lambda t: t.id)


# ---------------------------------------------------------------- reports as comparable graphs
def _copy_path(source: Graph, node, out: Graph):
    if isinstance(node, BNode):
        copy = BNode()
        for predicate, obj in source.predicate_objects(node):
            if predicate in _PATH_PREDICATES:
                out.add((copy, predicate, _copy_path(source, obj, out)))
        return copy
    return node


def report_graph(conforms: bool, results: list[dict], path_source: Graph | None = None) -> Graph:
    """A validation report holding only what is compared: conforms and, per result, focus node,
    path (as a structure), severity, component, source shape and value."""
    out = Graph()
    report = BNode()
    out.add((report, RDF.type, SH.ValidationReport))
    out.add((report, SH.conforms, Literal(conforms)))
    for result in results:
        node = BNode()
        out.add((report, SH.result, node))
        out.add((node, RDF.type, SH.ValidationResult))
        for predicate, value in result.items():
            if value is None:
                continue
            if predicate == SH.resultPath:
                out.add((node, predicate, _copy_path(path_source, value, out) if path_source is not None else value))
            else:
                out.add((node, predicate, BNode() if isinstance(value, BNode) else value))
    return out


def expected_report(source: Graph, report) -> Graph:
    results = []
    for result in source.objects(report, SH.result):
        row = {p: source.value(result, p) for p in _RESULT_PREDICATES}
        row[SH.resultPath] = source.value(result, SH.resultPath)
        results.append(row)
    conforms = source.value(report, SH.conforms)
    return report_graph(bool(conforms.toPython()) if conforms is not None else not results, results, source)


def _rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)  # rdflib's parsers give plain literals no datatype
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


_SEVERITY = {"Violation": SH.Violation, "Warning": SH.Warning, "Info": SH.Info}


# ---------------------------------------------------------------- the engines
class Declined(Exception):
    """The set-based engine does not evaluate this test (UnsupportedShapes)."""


def run_ours(test: W3CTest) -> Graph:
    """The set-based engine's report; raises Declined, or ItuGraphError when it refuses the shapes."""
    with shacl.literals_as_written():
        shapes = Graph().parse(test.shapes, format="turtle", publicID=test.shapes.as_uri())
    data = ox.parse(path=str(test.data), format=ox.RdfFormat.TURTLE, base_iri=test.data.as_uri())
    try:
        shacl.check_sparql(shapes)
        results = shacl.validate(shapes, shacl.data_store(data))
    except shacl.UnsupportedShapes as exc:
        raise Declined(str(exc)) from None
    rows = [{SH.focusNode: _rdflib(r.focus), SH.resultSeverity: _SEVERITY.get(r.severity, URIRef(r.severity)),
             SH.sourceConstraintComponent: SH[r.component], SH.sourceShape: r.source_shape,
             SH.value: _rdflib(r.value), SH.resultPath: r.path_node} for r in results]
    return report_graph(not results, rows, shapes)  # SHACL 3.6.1: any result, whatever its severity


def run_pyshacl(test: W3CTest) -> Graph:
    import pyshacl
    with shacl.literals_as_written():
        shapes = Graph().parse(test.shapes, format="turtle", publicID=test.shapes.as_uri())
        data = Graph().parse(test.data, format="turtle", publicID=test.data.as_uri())
    conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                               allow_warnings=True)
    node = report.value(None, RDF.type, SH.ValidationReport, any=True) if False else \
        next(report.subjects(RDF.type, SH.ValidationReport))
    return expected_report(report, node)


_OUTCOMES: dict[tuple[str, str], tuple[str, str]] = {}


def outcome(test: W3CTest, engine) -> tuple[str, str]:
    """("pass" | "fail" | "unsupported", detail) of one engine on one test (computed once)."""
    key = (test.id, engine.__name__)
    if key not in _OUTCOMES:
        _OUTCOMES[key] = _outcome(test, engine)
    return _OUTCOMES[key]


def _outcome(test: W3CTest, engine) -> tuple[str, str]:
    try:
        got = engine(test)
    except Declined as exc:
        return "unsupported", str(exc)
    except Exception as exc:  # noqa: BLE001 - any refusal is the expected answer of a Failure test
        if test.expected is None:
            return "pass", f"refused: {exc}"
        return "fail", f"raised {type(exc).__name__}: {exc}"
    if test.expected is None:
        return "fail", "accepted shapes the suite says must be refused"
    if isomorphic(got, test.expected):
        return "pass", ""
    return "fail", "report differs:\n" + _diff(got, test.expected)


def _diff(got: Graph, want: Graph) -> str:
    def rows(g):
        return sorted(" ".join(f"{str(p).rsplit('#', 1)[-1]}={o.n3() if not isinstance(o, BNode) else '_'}"
                               for p, o in sorted(g.predicate_objects(r)) if p != RDF.type)
                      for r in g.subjects(RDF.type, SH.ValidationResult))
    return "  got:  " + "\n        ".join(rows(got)) + "\n  want: " + "\n        ".join(rows(want))


def auto(test: W3CTest) -> tuple[str, str]:
    """What ``--shacl-engine auto`` answers: ours, or pySHACL's where ours declines."""
    result, detail = outcome(test, run_ours)
    if result == "unsupported":
        result, detail = outcome(test, run_pyshacl)
    return result, detail


def main() -> int:
    if not SUITE.is_dir():
        print(f"the W3C SHACL suite is expected at {SUITE} (shared/ beside the checkout)", file=sys.stderr)
        return 0 if not os.environ.get("ITU_GRAPH_REQUIRE_SHARED") else 1
    tests = load_tests()
    counts: dict[str, Counter] = defaultdict(Counter)
    wrong = []
    for test in tests:
        ours, detail = outcome(test, run_ours)
        reference, _ = outcome(test, run_pyshacl)
        combined, auto_detail = auto(test)
        for key, value in (("set-based", ours), ("pyshacl", reference), ("auto", combined)):
            counts[test.folder][f"{key} {value}"] += 1
            counts["total"][f"{key} {value}"] += 1
        if ours == "fail" or combined == "fail":
            wrong.append(f"{test.id}: set-based {ours}, auto {combined}\n  {detail or auto_detail}")
    columns = ["set-based pass", "set-based unsupported", "set-based fail", "pyshacl pass", "pyshacl fail",
               "auto pass", "auto fail"]
    print(f"{'folder':28}" + "".join(f"{c:>23}" for c in columns))
    for folder in sorted(counts, key=lambda f: (f == "total", f)):
        print(f"{folder:28}" + "".join(f"{counts[folder][c]:>23}" for c in columns))
    for line in wrong:
        print(line)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
