"""Canonical exports (issue 19): one store gives the same bytes in every format, every time;
no quad twice; lines sorted. On the ITU data and on generated data (hypothesis)."""
from __future__ import annotations

import json
import random

import pyoxigraph as ox
from hypothesis import given, settings as hsettings, strategies as st

from itu_graph import pipeline
from itu_graph.rdf.build import canonical_quads
from itu_graph.store.falkordb import FalkorLiteStore

from conftest import run_cli

FORMATS = ("trig", "ttl", "nquads", "jsonld")


def test_two_exports_of_the_itu_store_are_byte_identical(runner, cli_env, loaded_itu):
    env = dict(cli_env, ITU_GRAPH_DB=str(loaded_itu.db_path))
    for fmt in FORMATS:
        first = run_cli(runner, ["-q", "export", "--format", fmt], env=env)
        second = run_cli(runner, ["-q", "export", "--format", fmt], env=env)
        assert first.exit_code == second.exit_code == 0, first.output
        assert first.stdout_bytes == second.stdout_bytes, fmt
        assert len(first.stdout_bytes) > 100_000


def test_the_nquads_export_has_each_quad_once_in_sorted_order(itu_store, loaded_itu):
    raw = list(pipeline.export_quads(loaded_itu, itu_store))
    lines = pipeline.serialize_quads(raw, "nquads").decode().splitlines()
    assert len(lines) == len(set(lines)) == len(set(raw))
    quads = list(ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS))
    keys = [(str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)) for q in quads]
    assert keys == sorted(keys)
    assert not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)


def test_every_format_reads_back_to_the_same_quads(itu_store, loaded_itu):
    quads = set(pipeline.export_quads(loaded_itu, itu_store))
    for fmt, rdf_format in (("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        assert set(ox.parse(pipeline.serialize_quads(quads, fmt), format=rdf_format)) == quads, fmt
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    turtle = ox.parse(pipeline.serialize_quads(quads, "ttl"), format=ox.RdfFormat.TURTLE)
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in turtle} == triples
    json.loads(pipeline.serialize_quads(quads, "jsonld"))


def test_the_built_dataset_file_is_canonical(itu_dataset, tmp_path):
    itu_dataset.write(tmp_path / "a.trig")
    itu_dataset.write(tmp_path / "b.nq", "nquads")
    text = (tmp_path / "b.nq").read_text(encoding="utf-8").splitlines()
    assert len(text) == len(set(text))
    # the same quads listed in another order and with repeats still give the same bytes
    shuffled = list(itu_dataset.all_quads())
    random.Random(7).shuffle(shuffled)
    again = pipeline.serialize_quads(shuffled + shuffled[:50], "trig")
    assert again == pipeline.serialize_quads(canonical_quads(itu_dataset.all_quads()), "trig")


IRI = st.sampled_from([f"https://example.org/e{i}" for i in range(6)]).map(ox.NamedNode)
PREDICATE = st.sampled_from(["https://example.org/p", "https://example.org/q",
                             "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]).map(ox.NamedNode)
LITERAL = st.one_of(
    st.text(max_size=8).map(ox.Literal),
    st.tuples(st.text(min_size=1, max_size=5), st.sampled_from(["en", "zh", "fr"])).map(
        lambda t: ox.Literal(t[0], language=t[1])),
    st.integers(-10**6, 10**6).map(lambda i: ox.Literal(str(i), datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))))
GRAPH = st.one_of(st.just(ox.DefaultGraph()), IRI)
QUAD = st.builds(ox.Quad, IRI, PREDICATE, st.one_of(IRI, LITERAL), GRAPH)


@hsettings(max_examples=60, deadline=None)
@given(st.lists(QUAD, max_size=25), st.randoms(use_true_random=False))
def test_generated_quads_serialize_the_same_in_any_order_with_any_repeats(quads, rng):
    shuffled = quads + quads[: len(quads) // 2]
    rng.shuffle(shuffled)
    for fmt in FORMATS:
        assert pipeline.serialize_quads(shuffled, fmt) == pipeline.serialize_quads(quads, fmt), fmt
    # N-Quads ends each statement with "\n" only; other line separators (U+0085, U+2028) may stand
    # in literals, so str.splitlines would cut a statement in two
    lines = pipeline.serialize_quads(shuffled, "nquads").decode().split("\n")
    assert len([line for line in lines if line]) == len(set(quads))


def test_a_reload_exports_the_same_bytes(settings_for):
    """Load, export; load again from scratch into another database, export: identical."""
    outputs = []
    for name in ("one", "two"):
        settings = settings_for()
        settings = type(settings)(**{**settings.__dict__, "db_path": settings.db_path.with_name(f"{name}.db")})
        pipeline.load(settings)
        with FalkorLiteStore(settings.db_path) as store:
            outputs.append(pipeline.serialize_quads(pipeline.export_quads(settings, store), "trig"))
    assert outputs[0] == outputs[1]
