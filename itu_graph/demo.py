"""The README's main job, end to end on the embedded engine."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from . import pipeline
from .analysis import analyze
from .files import write_atomic
from .output import to_json
from .report import build_report, write_report
from .settings import Settings
from .store import open_store
from .viz import export_graph
from .viz.graph import mark_findings, read_graph
from .viz.network import read_network_view


def run_demo(settings: Settings, out_dir: Path, echo: Callable[[str], None] = print, progress=None) -> dict:
    """Build, validate, load into the store, analyze, then write report and network into ``out_dir``.

    Everything is computed once and shared: one dataset, one validation, one store session, one
    analysis for both report languages.
    """
    started = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dataset = pipeline.build_dataset(settings)
    echo(f"build:    {len(dataset.quads):,} triples (+{len(dataset.inferred):,} inferred) from "
         f"{len(dataset.files)} file(s)")
    dataset.write(out_dir / "dataset.trig")
    validation = pipeline.validate_dataset(dataset, engine=settings.shacl_engine)
    echo(f"validate: {'conforms' if validation.conforms else 'DOES NOT CONFORM'} "
         f"({len(validation.violations)} violations, {len(validation.warnings)} warnings)")
    with open_store(settings) as store:
        result = pipeline.load(settings, progress=progress, store=store, dataset=dataset, report=validation)
        c = result.counts
        echo(f"load:     {c.nodes_total} nodes, {c.relationships_total} relationships in {result.store} "
             f"({c.nodes_created} created, {c.nodes_updated} updated, {c.nodes_deleted} deleted)")
        analysis = analyze(settings, store=store)
        summary = analysis.summary()
        write_atomic(out_dir / "findings.json", to_json(analysis.as_dict()))
        echo(f"analyze:  {summary['findings']} gaps (" + ", ".join(f"{v} {k}" for k, v in summary["by_severity"].items())
             + f") from {len(summary['by_rule'])} rules, {summary['questions']} questions to verify; "
             f"network of {analysis.network['agents']} agents, "
             f"{analysis.network['ties']} ties")
        for lang in ("en", "zh"):
            report = build_report(settings, lang=lang, store=store, analysis=analysis,
                                  validation=validation)
            write_report(report, out_dir / f"report-{lang}.html", "html")
            write_report(report, out_dir / f"report-{lang}.docx", "docx")
        write_report(report, out_dir / "report-zh.md", "md")
        echo(f"report:   {out_dir / 'report-en.html'}, {out_dir / 'report-zh.html'} (+ .docx, .md)")
        ontology = pipeline.load_ontology(settings)
        network = {lang: read_network_view(store, ontology, lang=lang) for lang in ("en", "zh")}
        graph = read_graph(store, ontology)
    for g in (*network.values(), graph):
        mark_findings(g, analysis.findings, analysis.questions)
    export_graph(network["en"], out_dir / "network.html", "html", title="Coordination network")
    export_graph(network["zh"], out_dir / "network-zh.html", "html", title="协调网络", lang="zh")
    export_graph(network["en"], out_dir / "network.graphml", "graphml")
    export_graph(graph, out_dir / "entities.html", "html", title="Entities and relationships")
    export_graph(graph, out_dir / "entities.graphml", "graphml")
    echo(f"viz:      {out_dir / 'network.html'}, network-zh.html (coordination network: "
         f"{network['en'].number_of_nodes()} nodes, {network['en'].number_of_edges()} links), entities.html "
         f"({graph.number_of_nodes()} nodes, {graph.number_of_edges()} links), network.graphml, entities.graphml")
    echo(f"outputs in {out_dir.resolve()}  ({time.monotonic() - started:.1f} s)")
    return {"out": out_dir, "counts": c.as_dict(), "findings": summary["findings"]}
