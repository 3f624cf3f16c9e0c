"""The set-based SHACL engine (rdf.shacl) gives the results pySHACL, the reference, gives.

Results are compared as sets of (severity, constraint component, focus node, result path,
value node): on the ITU data, on every bad-input case that reaches SHACL, on generated
datasets (hypothesis), and on a shapes graph exercising the components our own shapes do not use.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from itu_graph import pipeline
from itu_graph.errors import ItuGraphError
from itu_graph.rdf import shacl
from itu_graph.rdf.validate import run_shacl, shapes_graph
from itu_graph.rdf.vocab import SH
from itu_graph.settings import Settings, shipped_ontology

from conftest import TEST_DATA
from test_reliability import CORPUS, GOOD, P

LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term):
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("blank",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    datatype = str(term.datatype) if term.datatype else (LANG_STRING if term.language else XSD_STRING)
    return ("literal", str(term), term.language, datatype)


def _ox_term(term):
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return ("blank",)
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    return ("literal", term.value, term.language, term.datatype.value)


def reference_results(data: Graph, shapes: Graph) -> set[tuple]:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                                allow_warnings=True)
    out = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        out.add((str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[1],
                 str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[1],
                 _rdflib_term(report.value(result, SH.focusNode)),
                 shacl.path_text(report, path) if path is not None else None,
                 _rdflib_term(report.value(result, SH.value))))
    return out


def engine_results(data: Graph, shapes: Graph) -> set[tuple]:
    store = shacl.data_store(ox.parse(data.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES))
    return {(r.severity, r.component, _ox_term(r.focus), r.path, _ox_term(r.value))
            for r in shacl.validate(shapes, store)}


def assert_same_as_pyshacl(dataset):
    data = dataset.to_rdflib()
    shapes = shapes_graph(dataset)
    expected = reference_results(data, shapes)
    assert engine_results(data, shapes) == expected
    return expected


def test_itu_data_gives_the_same_results_as_pyshacl(itu_dataset):
    results = assert_same_as_pyshacl(itu_dataset)
    assert results and all(severity == "Warning" for severity, *_ in results)


def test_the_other_organization_gives_the_same_results(tmp_path):
    dataset = pipeline.build_dataset(Settings(data_dirs=[TEST_DATA / "other-org"], ontology_dir=shipped_ontology()))
    assert_same_as_pyshacl(dataset)


SHACL_CASES = [c for c in CORPUS if c[3] == 1]


@pytest.mark.parametrize("case, name, content, code, fragments", SHACL_CASES, ids=[c[0] for c in SHACL_CASES])
def test_every_bad_input_gives_the_same_results(tmp_path, case, name, content, code, fragments):
    (tmp_path / "base.ttl").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    dataset = pipeline.build_dataset(Settings(data_dirs=[tmp_path], ontology_dir=shipped_ontology()))
    assert_same_as_pyshacl(dataset)


def test_problems_read_the_same_where_the_shapes_give_the_message(tmp_path):
    """Both engines feed the same Problem text (file, line, message, value) when sh:message is set."""
    shutil.copy(TEST_DATA / "bad" / "missing-zh.ttl", tmp_path)
    (tmp_path / "more.ttl").write_text(P + 'ex:a a ig:Topic ; skos:prefLabel "A"@en , "甲"@zh ; ig:startDate "2024-05-01"^^xsd:date ;'
                                       ' ig:endDate "2024-01-01"^^xsd:date .\n', encoding="utf-8")
    dataset = pipeline.build_dataset(Settings(data_dirs=[tmp_path], ontology_dir=shipped_ontology()))
    ours = [str(p) for p in run_shacl(dataset, "oxigraph")]
    reference = [str(p) for p in run_shacl(dataset, "pyshacl")]
    assert sorted(ours) == sorted(reference)
    assert any("missing-zh.ttl:6" in p and "Chinese (@zh)" in p for p in ours)
    assert any("more.ttl:8" in p and "start date is after end date" in p for p in ours)


# ---------------------------------------------------------------- generated datasets
CLASSES = ["Topic", "Sector", "OrganizationalUnit", "CoordinationMechanism", "Initiative", "Document", "Mandate",
           "Post", "Goal", "Region", "Site"]
RELATIONS = ["subOrganizationOf", "participatesIn", "leads", "coordinates", "worksOn", "supports", "cites",
             "heads", "broader", "assignedTo", "mandatedBy", "basedIn", "servesRegion", "reportsTo"]
LABELS = ['"N"@en', '"名"@zh', '"M"@en', '"Nom"@fr', '"plain"', '"x"@zh']
EXTRAS = ['ig:status "ongoing"', 'ig:status "finished"', 'ig:status "planned" , "completed"',
          'ig:startDate "2024-01-01"^^xsd:date', 'ig:startDate "2024"', 'ig:endDate "2023-12-31"^^xsd:date',
          'ig:confidence "partial"', 'skos:altLabel "ABC"', 'skos:altLabel "ABC"@en',
          'dcterms:source <https://example.org/src>', 'dcterms:source "a page"', 'ig:expectedSectors "all"',
          'dcterms:description "d"@en , "e"@en']

entity = st.fixed_dictionaries({
    "cls": st.sampled_from(CLASSES),
    "labels": st.lists(st.sampled_from(LABELS), max_size=3, unique=True),
    "extras": st.lists(st.sampled_from(EXTRAS), max_size=3, unique=True),
    "links": st.lists(st.tuples(st.sampled_from(RELATIONS), st.integers(0, 7)), max_size=3, unique=True),
})


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entity, min_size=1, max_size=7), st.booleans())
def test_generated_datasets_give_the_same_results(entities, shared_id):
    lines = [P]
    for i, e in enumerate(entities):
        subject = "ex2:e0" if shared_id and i == len(entities) - 1 and i else f"ex:e{i}"
        parts = [f"a ig:{e['cls']}"]
        if e["labels"]:
            parts.append("skos:prefLabel " + " , ".join(e["labels"]))
        parts += e["extras"]
        parts += [f"ig:{rel} ex:e{target}" for rel, target in e["links"] if target < len(entities)]
        lines.append(f"{subject} " + " ;\n    ".join(parts) + " .\n")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "g.ttl").write_text("".join(lines), encoding="utf-8")
        try:
            dataset = pipeline.build_dataset(Settings(data_dirs=[Path(tmp)], ontology_dir=shipped_ontology()))
        except ItuGraphError:
            return
        assert_same_as_pyshacl(dataset)


# ---------------------------------------------------------------- components our shapes do not use
EXTRA_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Person a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:code ; sh:pattern "^[A-Z]{3}$" ; sh:minLength 3 ; sh:maxLength 3 ] ;
    sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minInclusive 0 ; sh:maxExclusive 150 ] ;
    sh:property [ sh:path ex:email ; sh:minCount 2 ; sh:maxCount 3 ; sh:nodeKind sh:Literal ] ;
    sh:property [ sh:path ( ex:memberOf ex:partOf ) ; sh:class ex:Org ] ;
    sh:property [ sh:path [ sh:alternativePath ( ex:friend ex:colleague ) ] ; sh:class ex:Person ] ;
    sh:property [ sh:path [ sh:oneOrMorePath ex:manager ] ; sh:disjoint ex:friend ] ;
    sh:property [ sh:path ex:role ; sh:hasValue "member" ; sh:in ( "member" "chair" ) ] ;
    sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ;
    sh:property [ sh:path ex:alias ; sh:equals ex:nickname ] ;
    sh:property [ sh:path ex:phone ; sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMaxCount 1 ] .
ex:Chair a sh:NodeShape ; sh:targetNode ex:bob ; sh:class ex:Chair ; sh:severity sh:Info .
ex:Managed a sh:NodeShape ; sh:targetObjectsOf ex:manager ; sh:nodeKind sh:IRI ; sh:minExclusive 5 .
"""
EXTRA_DATA = """
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ann a ex:Person ; ex:code "ABCD" , "AB1" , "XYZ" ; ex:age 30 , -1 , 150 , "40" , "x"^^xsd:integer ;
    ex:email "a@x" ; ex:memberOf ex:team ; ex:friend ex:bob , ex:org1 ; ex:manager ex:bob ;
    ex:role "chair" , "other" ; ex:start 5 ; ex:end 3 ; ex:alias "A" ; ex:nickname "A" , "Annie" ;
    ex:phone "1" , "2" , 3 .
ex:bob a ex:Person ; ex:email "b@x" , "c@x" , "d@x" , "e@x" ; ex:manager ex:carl ; ex:colleague ex:ann ;
    ex:role "member" ; ex:start "2020-01-01"^^xsd:date ; ex:end "2020-01-01"^^xsd:date .
ex:carl a ex:Person ; ex:email ex:box , "c@y" ; ex:manager ex:ann ; ex:friend ex:ann .
ex:team ex:partOf ex:org1 , ex:place .
ex:org1 a ex:Org .
"""


def test_the_components_our_shapes_do_not_use_agree_with_pyshacl():
    shapes = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    data = Graph().parse(data=EXTRA_DATA, format="turtle")
    expected = reference_results(data, shapes)
    assert engine_results(data, shapes) == expected
    components = {component for _severity, component, *_ in expected}
    assert {"PatternConstraintComponent", "MinInclusiveConstraintComponent", "MaxExclusiveConstraintComponent",
            "MinCountConstraintComponent", "MaxCountConstraintComponent", "ClassConstraintComponent",
            "DisjointConstraintComponent", "HasValueConstraintComponent", "InConstraintComponent",
            "LessThanConstraintComponent", "EqualsConstraintComponent", "DatatypeConstraintComponent",
            "QualifiedMaxCountConstraintComponent", "NodeKindConstraintComponent"} <= components


def test_shapes_beyond_the_engine_fall_back_to_pyshacl(tmp_path):
    ontology = tmp_path / "ontology"
    shutil.copytree(shipped_ontology(), ontology)
    (ontology / "shapes-extra.ttl").write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ig: <https://w3id.org/itu-graph/ontology#> .
@prefix ex: <https://example.org/> .
ex:TopicOrSector a sh:NodeShape ; sh:targetClass ig:Topic ;
    sh:or ( [ sh:class ig:Sector ] [ sh:class ig:Goal ] ) ; sh:message "a topic that is neither" .
""", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.ttl").write_text(GOOD, encoding="utf-8")
    dataset = pipeline.build_dataset(Settings(data_dirs=[data], ontology_dir=ontology))
    with pytest.raises(shacl.UnsupportedShapes, match="sh:or"):
        run_shacl(dataset, "oxigraph")
    problems = run_shacl(dataset, "auto")
    assert [p.message for p in problems] == ["a topic that is neither (value: https://example.org/bad/base)"]


def test_an_unknown_engine_is_a_parameter_error(itu_dataset):
    from itu_graph.errors import ParameterError
    with pytest.raises(ParameterError, match="SHACL engine"):
        run_shacl(itu_dataset, "jena")
