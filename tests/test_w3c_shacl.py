"""SHACL conformance and safety (issue 19): the W3C SHACL suite (core, SPARQL) on the set-based
engine and on ``auto``; SPARQL a shapes graph may not run (SERVICE, MINUS, VALUES, ...) refused
before any engine, with exit 2 and no connection made; literals the store would rewrite sent to
pySHACL instead of judged wrongly.

The suite is read from ../shared (tests/w3c_shacl.py); without it those tests skip, with the reason.
"""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from itu_graph import pipeline
from itu_graph.rdf import shacl
from itu_graph.rdf.validate import run_shacl
from itu_graph.settings import Settings, shipped_ontology

import w3c_shacl
from conftest import need_shared, run_cli
from test_reliability import GOOD

TESTS = w3c_shacl.load_tests() if w3c_shacl.SUITE.is_dir() else []


@pytest.fixture(scope="module")
def suite():
    need_shared(w3c_shacl.SUITE)
    return TESTS


@pytest.mark.parametrize("test", TESTS or [None], ids=[t.id for t in TESTS] or ["suite-missing"])
def test_w3c_suite_auto_is_right_and_the_set_based_engine_never_wrong(suite, test):
    ours, detail = w3c_shacl.outcome(test, w3c_shacl.run_ours)
    assert ours in ("pass", "unsupported"), detail
    combined, detail = w3c_shacl.auto(test)
    assert combined == "pass", detail


def test_w3c_suite_coverage_of_the_set_based_engine(suite):
    """What the set-based engine evaluates itself (the rest goes to pySHACL): it may only grow."""
    outcomes = [w3c_shacl.outcome(t, w3c_shacl.run_ours)[0] for t in suite]
    assert len(suite) == 120
    assert outcomes.count("pass") >= 87 and "fail" not in outcomes


# ---------------------------------------------------------------- no network, no forbidden SPARQL
class Listener:
    """A loopback TCP listener that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()  # no answer: the client fails fast

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_the_listener_sees_a_service_call_made_without_the_check(listener):
    """pyoxigraph really sends SERVICE over HTTP: this is what the refusal prevents."""
    store = ox.Store()
    with pytest.raises(Exception):
        list(store.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"))
    assert listener.connections >= 1


SERVICE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ig: <https://w3id.org/itu-graph/ontology#> .
@prefix ex: <https://example.org/> .
ex:Exfiltrate a sh:NodeShape ; sh:targetClass ig:Topic ;
    sh:sparql [ sh:select \"\"\"SELECT $this WHERE { $this ?p ?o .
        SERVICE <http://127.0.0.1:PORT/sparql> { ?a ?b ?c } }\"\"\" ] .
"""
SERVICE_TARGET = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Fetch a sh:NodeShape ; sh:nodeKind sh:IRI ;
    sh:target [ a sh:SPARQLTarget ; sh:select \"\"\"SELECT ?this WHERE {
        { SERVICE SILENT <http://127.0.0.1:PORT/> { ?this ?b ?c } } UNION { ?this a ?class } }\"\"\" ] .
"""
MINUS_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ig: <https://w3id.org/itu-graph/ontology#> .
@prefix ex: <https://example.org/> .
ex:Minus a sh:NodeShape ; sh:targetClass ig:Topic ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }" ] .
"""


def _ontology_with(tmp_path: Path, shapes: str) -> Path:
    ontology = tmp_path / "ontology"
    shutil.copytree(shipped_ontology(), ontology)
    (ontology / "shapes-extra.ttl").write_text(shapes, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.ttl").write_text(GOOD, encoding="utf-8")
    return ontology


@pytest.mark.parametrize("engine", ["auto", "oxigraph", "pyshacl"])
@pytest.mark.parametrize("shapes, word", [(SERVICE_SHAPES, "SERVICE"), (SERVICE_TARGET, "SERVICE"),
                                          (MINUS_SHAPES, "MINUS")], ids=["constraint", "target", "minus"])
def test_a_shapes_graph_with_forbidden_sparql_is_refused_before_anything_runs(tmp_path, runner, cli_env, listener,
                                                                              engine, shapes, word):
    ontology = _ontology_with(tmp_path, shapes.replace("PORT", str(listener.port)))
    result = run_cli(runner, ["validate", "--ontology", ontology, "--data", tmp_path / "data",
                              "--shacl-engine", engine], env=cli_env)
    assert result.exit_code == 2, result.output
    assert word in result.output and "https://example.org/" in result.output  # names the shape
    assert listener.connections == 0


def test_forbidden_sparql_is_an_error_not_a_fallback(tmp_path):
    ontology = _ontology_with(tmp_path, MINUS_SHAPES)
    dataset = pipeline.build_dataset(Settings(data_dirs=[tmp_path / "data"], ontology_dir=ontology))
    with pytest.raises(shacl.ForbiddenSparql, match="MINUS") as caught:
        run_shacl(dataset, "auto")
    assert not isinstance(caught.value, shacl.UnsupportedShapes)


@pytest.mark.parametrize("query, ok", [
    ("SELECT $this WHERE { { FILTER ($this = <urn:a>) } UNION { $this <urn:p> ?o } }", True),
    ("SELECT $this WHERE { { SELECT $this ?o WHERE { $this <urn:p> ?o } } }", True),
    ("SELECT $this WHERE { { SELECT * WHERE { $this <urn:p> ?o } } }", True),
    ("SELECT $this WHERE { { SELECT ?o WHERE { ?s <urn:p> ?o } } }", False),
    ("SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = <urn:a>) } } }", False),
    ("SELECT $this WHERE { VALUES ?x { 1 } }", False),
    ("SELECT $this WHERE { BIND (<urn:a> AS $this) }", False),
    ("SELECT $this FROM <http://127.0.0.1/> WHERE { $this ?p ?o }", False),
    ("SELECT $this WHERE { $this ?p ?o . FILTER (?o = \"SERVICE <http://x> { }\") }", True),
    ("SELECT $this WHERE { $this ?p ?o", False),
])
def test_the_sparql_check(query, ok):
    if ok:
        shacl.check_query(query, {}, "ex:q", pre_bound=True)
    else:
        with pytest.raises(shacl.ForbiddenSparql):
            shacl.check_query(query, {}, "ex:q", pre_bound=True)


def test_prebinding_reaches_nested_groups_and_skips_strings():
    query = 'SELECT $this WHERE { { FILTER (?this = 1) } UNION { ?x ?y "{$this}" } { SELECT $this WHERE { $this ?p ?o } } }'
    out = shacl.prebind(query, "V")
    assert out.count("V") == 3  # the WHERE group, the first branch and the subquery's group
    assert '"{$this}"' in out and "{ SELECT" in out


# ---------------------------------------------------------------- literals exactly as written
REWRITTEN = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
    sh:property [ sh:path ex:byte ; sh:datatype xsd:byte ] ;
    sh:property [ sh:path ex:int ; sh:datatype xsd:int ] ;
    sh:property [ sh:path ex:dec ; sh:in ( "4.0"^^xsd:decimal ) ] .
"""


@pytest.mark.parametrize("literal, valid", [('"300"^^xsd:byte', False), ('"12"^^xsd:byte', True),
                                            ('"2147483647"^^xsd:int', True), ('"+5"^^xsd:int', True),
                                            ('"4.0"^^xsd:decimal', True), ('"04.00"^^xsd:decimal', False)])
def test_literals_the_store_would_rewrite_are_judged_as_written(literal, valid):
    predicate = {"byte": "ex:byte", "int": "ex:int", "decimal": "ex:dec"}[literal.rsplit(":", 1)[1]]
    data = f"@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix ex: <https://example.org/> .\nex:a {predicate} {literal} ."
    quads = list(ox.parse(data.encode(), format=ox.RdfFormat.TURTLE))
    assert shacl.rewritten_literals(quads)  # the store would change each of them...
    with pytest.raises(shacl.UnsupportedData):
        shacl.data_store(quads)  # ...so the set-based engine declines, and auto asks pySHACL
    with shacl.literals_as_written():
        shapes = Graph().parse(data=REWRITTEN, format="turtle")
        graph = Graph().parse(data=data, format="turtle")
    import pyshacl
    conforms, _report, _text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms is valid
