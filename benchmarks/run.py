"""Benchmark harness: every stage at several sizes, with the baselines a user would reach for.

Stages: generate, build (pyoxigraph parse + superclass inference), validate (term checks + the
SHACL shapes, set-based on pyoxigraph), map, load into FalkorDB-lite (a first load goes through
GRAPH.BULK), reload (diff sync: nothing to write), analyze (rules + network metrics), report,
viz. Side by side: rdflib's own Turtle/TriG parser on the same file, pySHACL on the same data
(up to 100k triples), the statement loader (batched UNWIND ... MERGE, what a load over existing
data uses), a per-entity MERGE loader (one statement per node and per relationship, on a
sample), networkx's pure-Python constraint and effective_size on a 10k-node network. Each size runs in its own process, so its peak memory (ru_maxrss, plus
the engine's resident memory) is its own.

    python benchmarks/run.py                      # 10k, 100k and 1M triples (about 15 minutes)
    python benchmarks/run.py --sizes 10000 100000 --json /tmp/quick.json
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def progress(message: str) -> None:
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


#: What `itu-graph load` then `analyze` do; their sum is the end-to-end time, and the peak memory
#: at the end of analyze (Python, plus the engine's resident memory then) the end-to-end peak.
CORE = ("build (parse + inference)", "validate (SHACL on pyoxigraph)", "map", "load (GRAPH.BULK, empty graph)",
        "analyze (rules + metrics)")


def engine_rss_mb(store) -> float | None:
    try:
        import psutil
        pid = store._db.client.pid
        return round(psutil.Process(pid).memory_info().rss / 2**20, 1) if pid else None
    except Exception:
        return None


def run_size(triples: int, skip: set[str], part: str) -> dict:
    """One size, in a child process: ``core`` (the pipeline, then reload, report, viz) or
    ``baselines`` (what a user would otherwise reach for), so that the baselines' memory never
    counts in the pipeline's peak."""
    from generate import generate
    from itu_graph import pipeline
    from itu_graph.analysis import analyze
    from itu_graph.rdf.mapping import to_property_graph
    from itu_graph.settings import Settings
    from itu_graph.store.falkordb import FalkorLiteStore
    from itu_graph.sync import sync

    out: dict = {"triples_target": triples, "stages": {}}
    stages = out["stages"]

    def timed(name, fn, rate_of=None, repeat=1):
        progress(f"  {triples:,}: {name} …")
        seconds = float("inf")
        for _ in range(repeat):  # best of `repeat`: small inputs are at the mercy of warm-up
            started = time.perf_counter()
            value = fn()
            seconds = min(seconds, time.perf_counter() - started)
        stages[name] = {"seconds": round(seconds, 3), "peak_rss_mb": round(rss_mb(), 1)}
        if rate_of is not None:
            stages[name]["rate_per_s"] = round(rate_of(value) / seconds) if seconds else None
        return value

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        data.mkdir()
        text, _ = generate(triples)
        (data / "org.trig").write_text(text, encoding="utf-8")
        del text
        settings = Settings(data_dirs=[data], db_path=tmp / "bench.db")
        import pyoxigraph as ox
        if part == "baselines":
            dataset = pipeline.build_dataset(settings)
            repeat = 3 if triples <= 100_000 else 1
            timed("parse (pyoxigraph)", lambda: len(list(ox.parse(path=str(data / "org.trig"), format=ox.RdfFormat.TRIG))),
                  lambda n: n, repeat)
            if "baseline-parse" not in skip:
                from rdflib import Dataset
                timed("baseline: rdflib parse", lambda: len(Dataset().parse(str(data / "org.trig"), format="trig")),
                      lambda _n: len(dataset.quads), repeat)
            if "baseline-validate" not in skip and triples <= 100_000:
                timed("baseline: validate with pySHACL", lambda: pipeline.validate_dataset(dataset, engine="pyshacl"),
                      lambda _r: len(dataset))
            if "baseline-load" not in skip:
                graph = to_property_graph(dataset)

                class StatementsOnly(FalkorLiteStore):
                    def bulk_create(self, *args, **kwargs):
                        return False
                with StatementsOnly(tmp / "statements.db") as other:
                    def load_statements():
                        with other.write_lock():
                            return sync(other, graph, dataset.ontology)
                    timed("baseline: load by statements (UNWIND … MERGE)", load_statements,
                          lambda c: c.nodes_total + c.relationships_total)
                sample_nodes = list(graph.nodes.values())[:1500]
                sample_uris = {n.uri for n in sample_nodes}
                sample_rels = [k for k in graph.relationships if k.source in sample_uris and k.target in sample_uris][:1500]
                with FalkorLiteStore(tmp / "per-entity.db") as store:
                    store.ensure_schema()

                    def per_entity():
                        for n in sample_nodes:
                            labels = ":".join(f"`{label}`" for label in n.labels)
                            store.run(f"MERGE (n:Resource {{uri: $uri}}) SET n += $props, n:{labels}",
                                      {"uri": n.uri, "props": n.properties}, write=True)
                        for k in sample_rels:
                            store.run(f"MATCH (a:Resource {{uri: $s}}) MATCH (b:Resource {{uri: $t}}) "
                                      f"MERGE (a)-[r:`{k.type}`]->(b)", {"s": k.source, "t": k.target}, write=True)
                        return len(sample_nodes) + len(sample_rels)
                    timed("baseline: per-entity MERGE (sample, empty store)", per_entity, lambda n: n)
            return out

        dataset = timed("build (parse + inference)", lambda: pipeline.build_dataset(settings), lambda d: len(d.quads))
        out["triples"] = len(dataset.quads)
        out["inferred"] = len(dataset.inferred)
        report = timed("validate (SHACL on pyoxigraph)", lambda: pipeline.validate_dataset(dataset),
                       lambda _r: len(dataset))
        graph = timed("map", lambda: to_property_graph(dataset), lambda g: sum(g.counts()))
        out["nodes"], out["relationships"] = graph.counts()
        with FalkorLiteStore(settings.db_path) as store:
            def load():
                with store.write_lock():
                    return sync(store, graph, dataset.ontology)
            timed("load (GRAPH.BULK, empty graph)", load, lambda c: c.nodes_total + c.relationships_total)
            result = timed("analyze (rules + metrics)", lambda: analyze(settings, store=store, today="2026-11-28"),
                           lambda r: len(r.findings) + len(r.questions))
            out["end_to_end_peak_mb"] = {"python": round(rss_mb(), 1), "engine": engine_rss_mb(store)}
            out["findings"] = len(result.findings) + len(result.questions)  # gaps and questions
            out["network_agents"] = result.network["agents"]
            timed("reload, unchanged (diff sync)", load, lambda c: c.nodes_total + c.relationships_total)
            if "report" not in skip:
                from itu_graph.report import build_report, render_report
                timed("report (html)", lambda: render_report(build_report(
                    settings, store=store, analysis=result, validation=report), "html"))
            if "viz" not in skip:
                from itu_graph.viz import export_graph
                from itu_graph.viz.graph import read_graph
                timed("viz (graphml)", lambda: export_graph(read_graph(store, dataset.ontology), tmp / "n.graphml", "graphml"))
            out["engine_rss_mb"] = engine_rss_mb(store)
    out["peak_rss_mb"] = round(rss_mb(), 1)
    out["end_to_end_seconds"] = round(sum(stages[s]["seconds"] for s in CORE if s in stages), 2)
    return out


def metrics_baseline(nodes: int = 10_000, edges: int = 30_000) -> dict:
    """Vectorized Burt metrics vs networkx's pure-Python ones on the same network."""
    import networkx as nx
    from itu_graph.analysis.metrics import constraint, effective_size
    graph = nx.gnm_random_graph(nodes, edges, seed=5)
    out = {"nodes": nodes, "edges": edges}
    started = time.perf_counter()
    ours_c = constraint(graph)
    ours_e = effective_size(graph)
    out["ours_seconds"] = round(time.perf_counter() - started, 3)
    subset = list(graph.nodes())  # the pure-Python path (nodes given), the definition
    started = time.perf_counter()
    ref_c = nx.constraint(graph, nodes=subset)
    out["networkx_constraint_seconds"] = round(time.perf_counter() - started, 3)
    sample = subset[:500]  # effective_size pure Python takes minutes on all nodes: time a sample, scale up
    started = time.perf_counter()
    ref_e = nx.effective_size(graph, nodes=sample, weight="weight")
    out["networkx_effective_size_seconds_500"] = round(time.perf_counter() - started, 3)
    out["networkx_effective_size_seconds_est"] = round(out["networkx_effective_size_seconds_500"] * nodes / 500, 1)
    diff_c = max(abs(ours_c[n] - ref_c[n]) for n in subset if not math.isnan(ref_c[n]))
    diff_e = max(abs(ours_e[n] - ref_e[n]) for n in sample if not math.isnan(ref_e[n]))
    out["max_abs_difference"] = max(diff_c, diff_e)
    out["speedup_vs_constraint"] = round(out["networkx_constraint_seconds"] / max(out["ours_seconds"], 1e-9), 1)
    return out


def browser_baseline(nodes: int = 5000) -> dict | None:
    """Time for a 5,000-node offline HTML export to become interactive in headless Chromium."""
    import shutil
    if not shutil.which("chromium"):
        return None
    import networkx as nx
    from itu_graph.viz.html import render_html
    sys.path.insert(0, str(HERE.parent / "tests"))
    from browser import browser, open_page, wait_for
    g = nx.MultiDiGraph()
    base = nx.barabasi_albert_graph(nodes, 2, seed=3)
    for n in base.nodes():
        g.add_node(f"n{n}", id=f"n{n}", label=f"Unit {n}", kind="OrganizationalUnit", sector=f"s{n % 4}",
                   sectors=[f"s{n % 4}"], labels=["OrganizationalUnit"])
    for u, v in base.edges():
        g.add_edge(f"n{u}", f"n{v}", key="PARTICIPATES_IN", relation="PARTICIPATES_IN", sources=[])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.html"
        started = time.perf_counter()
        path.write_text(render_html(g), encoding="utf-8")
        write_seconds = time.perf_counter() - started
        with browser() as context:
            started = time.perf_counter()
            with open_page(context, path) as (page, run):
                wait_for(page, "window.ituGraph && window.ituGraph.ready", timeout=60)
                ready = time.perf_counter() - started
                page.mouse.click(700, 400)
                clicked = page.evaluate("() => window.ituGraph.network.getScale() > 0")
            errors = run.console_errors
    return {"nodes": nodes, "edges": g.number_of_edges(), "write_seconds": round(write_seconds, 2),
            "interactive_seconds": round(ready, 2), "responds_to_input": bool(clicked), "console_errors": len(errors)}


def table(results: list[dict]) -> str:
    names = []
    for r in results:
        for name in r["stages"]:
            if name not in names:
                names.append(name)
    head = "| stage | " + " | ".join(f"{r['triples']:,} triples" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    for name in names:
        cells = []
        for r in results:
            s = r["stages"].get(name)
            if not s:
                cells.append("—")
                continue
            rate = f" ({s['rate_per_s']:,}/s)" if s.get("rate_per_s") else ""
            cells.append(f"{s['seconds']:.2f} s{rate}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **build + validate + map + load + analyze** | " + " | ".join(f"**{r['end_to_end_seconds']:.1f} s**" for r in results) + " |")
    lines.append("| peak memory, build to analyze (Python + engine) | " + " | ".join(
        f"{r['end_to_end_peak_mb']['python']:.0f} MB + {r['end_to_end_peak_mb']['engine'] or 0:.0f} MB" for r in results) + " |")
    lines.append("| peak memory, with report and viz (Python + engine) | " + " | ".join(
        f"{r['peak_rss_mb']:.0f} MB + {r.get('engine_rss_mb') or 0:.0f} MB" for r in results) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip", nargs="*", default=[],
                        help="stages to skip: baseline-validate baseline-parse baseline-load report viz")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--part", choices=("core", "baselines"), default="core", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, set(args.skip), args.part)))
        return 0
    results = []
    for size in args.sizes:
        progress(f"size {size:,}")
        merged: dict = {}
        for part in ("core", "baselines"):
            proc = subprocess.run([sys.executable, __file__, "--child", str(size), "--part", part, "--skip", *args.skip],
                                  capture_output=True, text=True, cwd=HERE.parent)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return 1
            found = json.loads(proc.stdout.strip().splitlines()[-1])
            stages = {**merged.get("stages", {}), **found.pop("stages")}
            merged = {**found, **merged, "stages": stages}
        results.append(merged)
    progress("network metrics vs networkx")
    metrics = metrics_baseline()
    progress("5,000-node page in Chromium")
    page = browser_baseline()
    summary = {"sizes": results, "metrics": metrics, "viz_5000_nodes": page,
               "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}}
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        summary["growth"] = {"from": a["triples"], "to": b["triples"],
                             "time_ratio": round(b["end_to_end_seconds"] / a["end_to_end_seconds"], 2)}
    print(table(results))
    parse = [r for r in results if "baseline: rdflib parse" in r["stages"]]
    for r in parse:
        ours, base = r["stages"]["parse (pyoxigraph)"]["seconds"], r["stages"]["baseline: rdflib parse"]["seconds"]
        build = r["stages"]["build (parse + inference)"]["seconds"]
        print(f"parse {r['triples']:,}: pyoxigraph {ours:.2f} s vs rdflib {base:.2f} s = {base / ours:.1f}x "
              f"(whole build with inference {build:.2f} s = {base / build:.1f}x)")
    for r in results:
        s = r["stages"]
        if "baseline: per-entity MERGE (sample, empty store)" in s:
            bulk = s["load (GRAPH.BULK, empty graph)"]["rate_per_s"]
            per_entity = s["baseline: per-entity MERGE (sample, empty store)"]["rate_per_s"]
            print(f"load {r['triples']:,}: {bulk:,}/s bulk vs {per_entity:,}/s per entity ({bulk / per_entity:.1f}x)")
    print(f"metrics on {metrics['nodes']:,} nodes: {metrics['ours_seconds']} s vs networkx constraint "
          f"{metrics['networkx_constraint_seconds']} s ({metrics['speedup_vs_constraint']}x), effective_size est. "
          f"{metrics['networkx_effective_size_seconds_est']} s; max difference {metrics['max_abs_difference']:.1e}")
    if page:
        print(f"viz 5,000 nodes: written in {page['write_seconds']} s, interactive in {page['interactive_seconds']} s")
    if "growth" in summary:
        print(f"time growth {summary['growth']['from']:,} -> {summary['growth']['to']:,} triples: x{summary['growth']['time_ratio']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=1))
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
