"""The README's main job, end to end on the embedded engine."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from . import pipeline
from .files import write_atomic
from .output import to_json
from .settings import Settings


def run_demo(settings: Settings, out_dir: Path, echo: Callable[[str], None] = print,
             progress=None) -> dict:
    """Build, validate, load into FalkorDB-lite, then write the outputs into ``out_dir``."""
    started = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dataset = pipeline.build_dataset(settings)
    echo(f"build:    {len(dataset.quads):,} triples (+{len(dataset.inferred):,} inferred) from "
         f"{len(dataset.files)} file(s)")
    dataset.write(out_dir / "dataset.trig")
    report = pipeline.validate_dataset(dataset)
    echo(f"validate: {'conforms' if report.conforms else 'DOES NOT CONFORM'} "
         f"({len(report.violations)} violations, {len(report.warnings)} warnings)")
    result = pipeline.load(settings, progress=progress)
    c = result.counts
    echo(f"load:     {c.nodes_total} nodes, {c.relationships_total} relationships in {result.store} "
         f"({c.nodes_created} created, {c.nodes_updated} updated, {c.nodes_deleted} deleted)")
    from .analysis import analyze
    analysis = analyze(settings)
    summary = analysis.summary()
    write_atomic(out_dir / "findings.json", to_json(analysis.as_dict()))
    echo(f"analyze:  {summary['findings']} findings (" + ", ".join(f"{v} {k}" for k, v in summary["by_severity"].items())
         + f") from {len(summary['by_rule'])} rules; network of {analysis.network['agents']} agents, "
         f"{analysis.network['ties']} ties")
    figures = pipeline.statistics(dataset)
    echo(f"stats:    {figures['entities']} entities, {len(figures['entities_per_label'])} classes used, "
         f"{figures['entities_with_en_and_zh']} with English and Chinese names")
    echo(f"outputs in {out_dir.resolve()}  ({time.monotonic() - started:.1f} s)")
    return {"dataset": out_dir / "dataset.trig", "counts": c.as_dict()}
