"""The coordination network page at 5,000 nodes: written, interactive and answering a click.

A synthetic organization (benchmarks/generate.py) is built, loaded into a fresh FalkorDB-lite
file and analyzed; then the network page (``viz --view network``) is written and opened in
headless Chromium with the network cut off (tests/browser.py). Measured: reading the view
from the store, the layout and the page (``write``), the time from opening the file until
vis-network has drawn (``interactive``), and from a click on the most central agent until its
panel is open (``click``). Not a test: timings depend on the machine.

    .venv/bin/python benchmarks/viz_network.py [--triples 70000] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=70_000, help="size of the synthetic organization")
    parser.add_argument("--json", type=Path, help="write the measurements here too")
    args = parser.parse_args()

    from generate import generate
    from itu_graph import pipeline
    from itu_graph.analysis import analyze
    from itu_graph.settings import Settings, shipped_ontology
    from itu_graph.store.falkordb import FalkorLiteStore
    from itu_graph.viz import export_graph
    from itu_graph.viz.graph import mark_findings
    from itu_graph.viz.network import read_network_view
    from browser import browser, open_page, wait_for

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "data").mkdir()
        text, triples = generate(args.triples)
        (tmp / "data" / "synthetic.trig").write_text(text, encoding="utf-8")
        settings = Settings(data_dirs=[tmp / "data"], ontology_dir=shipped_ontology(), db_path=tmp / "s.db")
        pipeline.load(settings)
        result = analyze(settings)
        started = time.perf_counter()
        with FalkorLiteStore(settings.db_path) as store:
            graph = read_network_view(store, pipeline.load_ontology(settings))
        mark_findings(graph, result.findings, result.questions)
        read_seconds = time.perf_counter() - started
        page_path = tmp / "network.html"
        export_graph(graph, page_path, "html", title="Synthetic coordination network")
        write_seconds = time.perf_counter() - started
        with browser() as context:
            started = time.perf_counter()
            with open_page(context, page_path) as (page, run):
                wait_for(page, "window.ituGraph && window.ituGraph.ready", timeout=120)
                interactive = time.perf_counter() - started
                first = page.evaluate("""() => { const net = window.ituGraph.network, id = window.ituGraph.top[0];
                    const r = document.querySelector('#network canvas').getBoundingClientRect();
                    const p = net.canvasToDOM(net.getPositions([id])[id]); return [r.left + p.x, r.top + p.y]; }""")
                started = time.perf_counter()
                page.mouse.click(*first)
                wait_for(page, "!document.getElementById('panel').hidden", timeout=60)
                click = time.perf_counter() - started
                errors = run.console_errors
    out = {"triples": triples, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
           "agents": sum(1 for _, d in graph.nodes(data=True) if d["role"] == "agent"),
           "read_seconds": round(read_seconds, 2), "write_seconds": round(write_seconds, 2),
           "interactive_seconds": round(interactive, 2), "click_to_panel_seconds": round(click, 2),
           "console_errors": len(errors)}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
