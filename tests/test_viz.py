"""Network exports (issues #7, #17): offline safe HTML in a real Chromium, GraphML and GEXF round
trips; the coordination network page readable at first sight (labels of the most central agents
apart, read from vis-network in the browser), its panel, in English and Chinese."""
from __future__ import annotations

import json
import math
import re

import networkx as nx
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from itu_graph import pipeline
from itu_graph.settings import Settings, shipped_ontology
from itu_graph.store.falkordb import FalkorLiteStore
from itu_graph.viz.export import to_bytes
from itu_graph.viz.graph import read_graph
from itu_graph.viz.layout import grouped_layout
from itu_graph.viz.network import centrality_order, read_network_view

from browser import browser, open_page, wait_for
from conftest import TEST_DATA, run_cli
from xss import PAYLOADS, payload_dataset


@pytest.fixture(scope="module")
def chromium():
    with browser() as context:
        yield context


def itu_graph_counts(settings):
    with FalkorLiteStore(settings.db_path) as store:
        graph = read_graph(store, pipeline.load_ontology(settings))
    return graph.number_of_nodes(), graph.number_of_edges()


def test_html_loads_offline_draws_and_holds_every_node(runner, cli_env, analyzed_itu, tmp_path, chromium):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    out = tmp_path / "network.html"
    result = run_cli(runner, ["viz", "--view", "entities", "-o", out], env=env)
    assert result.exit_code == 0, result.output
    with open_page(chromium, out) as (page, run):
        wait_for(page, "window.ituGraph && window.ituGraph.ready")
        counts = page.evaluate("() => [window.ituGraph.nodes, window.ituGraph.edges]")
        canvas = page.evaluate("() => { const c = document.querySelector('#network canvas'); "
                               "return c ? [c.width, c.height] : null; }")
        page.wait_for_timeout(300)
        shot = page.locator("#network").screenshot(path=str(tmp_path / "network.png"))
    assert run.requests == [] and run.console_errors == [] and run.dialogs == []
    assert tuple(counts) == itu_graph_counts(analyzed_itu)
    assert canvas and canvas[0] > 100 and canvas[1] > 100
    import matplotlib.image
    pixels = matplotlib.image.imread(str(tmp_path / "network.png"))
    assert shot and pixels.std() > 0.01  # something is drawn, not a blank canvas


def test_html_has_a_csp_that_forbids_remote_loads(analyzed_itu, tmp_path, runner, cli_env):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    out = tmp_path / "n.html"
    run_cli(runner, ["viz", "--no-findings", "-o", out], env=env)
    import html
    text = html.unescape(out.read_text(encoding="utf-8"))
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    import re
    assert re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=", text) == []  # nothing loaded from anywhere
    assert "<link" not in text


def test_focus_type_sector_and_chinese(runner, cli_env, analyzed_itu, tmp_path, chromium):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    out = tmp_path / "focus.json"
    assert run_cli(runner, ["viz", "--view", "entities", "--focus", "isc-tf", "--depth", "1", "-o", out],
                   env=env).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    ids = {n["id"] for n in data["nodes"]}
    assert {"isc-tf", "br", "tsb", "bdt", "general-secretariat", "deputy-secretary-general", "iscg"} <= ids
    assert "itu-r-sg1" not in ids
    sectors = tmp_path / "sectors.json"
    run_cli(runner, ["viz", "--view", "entities", "--type", "StudyGroup", "--sector", "itu-r", "-o", sectors], env=env)
    assert {n["id"] for n in json.loads(sectors.read_text(encoding="utf-8"))["nodes"]} == \
        {"itu-r-sg1", "itu-r-sg3", "itu-r-sg4", "itu-r-sg5", "itu-r-sg6", "itu-r-sg7"}
    for view in ("network", "entities"):
        bad = run_cli(runner, ["viz", "--view", view, "--type", "Sectr", "-o", tmp_path / "x.html"], env=env)
        assert bad.exit_code == 2 and "unknown class" in bad.output and not (tmp_path / "x.html").exists()
    zh = tmp_path / "zh.html"
    run_cli(runner, ["viz", "--view", "entities", "--lang", "zh", "--focus", "isc-tf", "-o", zh], env=env)
    with open_page(chromium, zh) as (page, run):
        wait_for(page, "window.ituGraph && window.ituGraph.ready")
        page.fill("#search", "跨部门协调任务组")
        names = page.evaluate("() => Array.from(document.querySelectorAll('#matches li')).map(li => li.textContent)")
    assert "跨部门协调任务组" in names and run.console_errors == []


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_with_every_property(runner, cli_env, analyzed_itu, tmp_path, fmt, reader):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    out = tmp_path / f"network.{fmt}"
    assert run_cli(runner, ["viz", "--view", "entities", "-o", out], env=env).exit_code == 0
    graph = reader(str(out))
    assert (graph.number_of_nodes(), graph.number_of_edges()) == itu_graph_counts(analyzed_itu)
    tsb = graph.nodes["tsb"]
    assert tsb["name"] == "Telecommunication Standardization Bureau" and tsb["name_zh"] == "电信标准化局"
    assert json.loads(tsb["acronyms"]) == ["TSB"] and tsb["kind"] == "OrganizationalUnit"
    assert float(tsb["betweenness"]) >= 0 and json.loads(tsb["sources"])
    edge_types = {d.get("relation") for _, _, d in graph.edges(data=True)}
    assert {"SUB_ORGANIZATION_OF", "WORKS_ON", "COORDINATES", "PARTICIPATES_IN"} <= edge_types


def test_script_payloads_in_names_never_run(tmp_path, chromium):
    folder = tmp_path / "xss"
    folder.mkdir()
    (folder / "xss.ttl").write_text(payload_dataset(), encoding="utf-8")
    settings = Settings(data_dirs=[folder], ontology_dir=shipped_ontology(), db_path=tmp_path / "x.db")
    pipeline.load(settings)
    from itu_graph.analysis import analyze
    from itu_graph.viz import export_graph
    from itu_graph.viz.graph import mark_findings
    result = analyze(settings, write_back=False)
    findings = result.findings + result.questions
    assert findings
    for lang in ("en", "zh"):
        with FalkorLiteStore(settings.db_path) as store:
            graph = read_graph(store, pipeline.load_ontology(settings), lang=lang)
        mark_findings(graph, findings)
        out = tmp_path / f"xss-{lang}.html"
        export_graph(graph, out, "html", title=PAYLOADS[0], lang=lang)
        with open_page(chromium, out) as (page, run):
            wait_for(page, "window.ituGraph && window.ituGraph.ready")
            page.fill("#search", "alert")
            shown = page.evaluate("() => Array.from(document.querySelectorAll('#matches li')).map(li => li.textContent)")
            injected = page.evaluate("() => document.querySelectorAll('img, iframe, svg[onload], object, embed, video, details, "
                                     "input[onfocus], base, meta[http-equiv=refresh]').length")
            title = page.evaluate("() => document.querySelector('h1').textContent")
            page.wait_for_timeout(300)
        assert run.dialogs == [] and run.requests == [], (run.dialogs, run.requests)
        assert injected == 0
        assert title == PAYLOADS[0]
        suffix = " 中文" if lang == "zh" else ""
        assert {p + suffix for p in PAYLOADS if "alert" in p and "\u2028" not in p} <= set(shown)
    # the coordination network page shows the same payloads as text only, in its panel too
    for lang in ("en", "zh"):
        with FalkorLiteStore(settings.db_path) as store:
            graph = read_network_view(store, pipeline.load_ontology(settings), lang=lang)
        mark_findings(graph, result.findings, result.questions)
        out = tmp_path / f"xss-network-{lang}.html"
        export_graph(graph, out, "html", title=PAYLOADS[0], lang=lang)
        with open_page(chromium, out) as (page, run):
            wait_for(page, "window.ituGraph && window.ituGraph.ready")
            page.fill("#search", "alert")
            shown = page.evaluate("() => Array.from(document.querySelectorAll('#matches li')).map(li => li.textContent)")
            page.evaluate("() => window.ituGraph.select('sa')")
            panel = page.evaluate("() => document.getElementById('panel-body').textContent")
            injected = page.evaluate("() => document.querySelectorAll('img, iframe, svg, object, embed, video, details, "
                                     "input[onfocus], base, meta[http-equiv=refresh]').length")
            page.wait_for_timeout(300)
        assert run.dialogs == [] and run.requests == [] and run.console_errors == [], (run.dialogs, run.requests)
        assert injected == 0 and PAYLOADS[0] in panel
        assert (PAYLOADS[0] + (" 中文" if lang == "zh" else "")) in shown


# ------------------------------------------------------------------ the coordination network page
#: What reads vis-network's own geometry: each label's box (canvas units -> page pixels), whether
#: vis-network draws it at the current zoom, and the node's centre on the page.
LABEL_BOXES = """ids => {
  const net = window.ituGraph.network, rect = document.querySelector('#network canvas').getBoundingClientRect();
  return ids.map(id => {
    const n = net.body.nodes[id], s = n.labelModule.size;
    const a = net.canvasToDOM({x: s.left, y: s.top}), b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
    const c = net.canvasToDOM({x: n.x, y: n.y});
    return {id: id, drawn: n.labelModule.visible(), box: [a.x, a.y, b.x, b.y], centre: [rect.left + c.x, rect.top + c.y],
            canvas: [rect.width, rect.height]};
  });
}"""
DRAWN = """() => Object.keys(window.ituGraph.network.body.nodes).filter(id => {
  const n = window.ituGraph.network.body.nodes[id];
  return n.options.label !== undefined && n.labelModule.visible(); })"""


def _overlaps(boxes):
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if min(a["box"][2], b["box"][2]) > max(a["box"][0], b["box"][0])
            and min(a["box"][3], b["box"][3]) > max(a["box"][1], b["box"][1])]


def most_central(settings, n=20):
    with FalkorLiteStore(settings.db_path) as store:
        graph = read_network_view(store, pipeline.load_ontology(settings))
    return graph, centrality_order(graph)[:n]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_network_page_labels_of_the_most_central_agents_are_apart_and_a_click_opens_the_panel(
        runner, cli_env, analyzed_itu, tmp_path, chromium, lang):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    out = tmp_path / f"network-{lang}.html"
    result = run_cli(runner, ["viz", "--lang", lang, "-o", out], env=env)  # the default view
    assert result.exit_code == 0, result.output
    graph, top = most_central(analyzed_itu)
    assert len(top) == 20 and {"bdt", "general-secretariat", "tsb"} & set(top)
    with open_page(chromium, out) as (page, run):
        wait_for(page, "window.ituGraph && window.ituGraph.ready")
        assert page.evaluate("() => window.ituGraph.top.slice(0, 20)") == top
        boxes = page.evaluate(LABEL_BOXES, top)
        drawn = page.evaluate(DRAWN)
        everything = page.evaluate(LABEL_BOXES, drawn)
        groups = page.evaluate("() => Array.from(document.querySelectorAll('#groups div')).map(d => d.textContent)")
        # click the most central agent where it is drawn
        first = boxes[0]
        page.mouse.click(*first["centre"])
        wait_for(page, "!document.getElementById('panel').hidden")
        panel = page.evaluate("() => ({title: document.querySelector('#panel h3').textContent, "
                              "names: Array.from(document.querySelectorAll('#panel .names li')).map(li => li.textContent), "
                              "group: document.querySelector('#panel .group').textContent, "
                              "text: document.getElementById('panel-body').textContent})")
        dimmed = page.evaluate("ids => ids.map(id => window.ituGraph.nodeData.get(id).opacity)",
                               [top[0], *graph.neighbors(top[0])])
        opacities = page.evaluate("() => window.ituGraph.nodeData.get().map(n => n.opacity)")
        page.locator("#network").screenshot(path=str(tmp_path / "shot.png"))
    assert run.requests == [] and run.console_errors == [] and run.dialogs == []
    # every one of the 20 is drawn at the first view, legible, inside the canvas, and apart
    for b in boxes:
        left, top_, right, bottom = b["box"]
        assert b["drawn"], b
        assert bottom - top_ >= 10, b  # at least 10 px high on the page
        assert left >= 0 and top_ >= 0 and right <= b["canvas"][0] and bottom <= b["canvas"][1], b
    assert _overlaps(boxes) == []
    # and so is every label drawn at the first view (the others appear on zooming in)
    assert set(top) <= set(drawn) and _overlaps(everything) == []
    assert len(drawn) < graph.number_of_nodes()
    # the panel: both names, the group; the neighbourhood stays, the rest is dimmed
    node = graph.nodes[top[0]]
    assert {node["name"], node["name_zh"]} <= set(panel["names"])
    assert panel["title"] == (node["name_zh"] if lang == "zh" else node["name"])
    group = graph.graph["groups"][node["group"]][lang]
    assert panel["group"] == group and group in groups
    assert set(dimmed) == {1} and 0.15 in opacities
    metric = "中介中心性" if lang == "zh" else "betweenness"
    assert metric in panel["text"]
    if lang == "zh":
        assert "国际电联电信发展部门" in groups


def test_network_view_is_the_metrics_network_with_groups_and_computes_betweenness_when_absent(tmp_path):
    """Without analyze, betweenness is computed (Brandes, as analyze does) and equals networkx's."""
    from itu_graph.analysis.network import read_network
    settings = Settings(data_dirs=[TEST_DATA / "agency"], ontology_dir=shipped_ontology(), db_path=tmp_path / "a.db")
    pipeline.load(settings)
    with FalkorLiteStore(settings.db_path) as store:
        ontology = pipeline.load_ontology(settings)
        view = read_network_view(store, ontology)
        net = read_network(store, ontology)
    agents = {net.ids[u] for u in net.graph}
    assert {n for n, d in view.nodes(data=True) if d["role"] == "agent"} == agents
    expected = nx.betweenness_centrality(net.graph)
    for uri, value in expected.items():
        assert view.nodes[net.ids[uri]]["betweenness"] == pytest.approx(value, abs=1e-12)
    assert {view.nodes[net.ids[u]]["group"] for u in net.graph} == set(net.groups.values())
    # every mechanism drawn ties two or more agents, and agents tied in the network meet through
    # a drawn mechanism or a direct link
    for n, d in view.nodes(data=True):
        if d["role"] == "mechanism":
            assert len(list(view.predecessors(n))) >= 2
    undirected = view.to_undirected()
    for a, b in net.graph.edges():
        a, b = net.ids[a], net.ids[b]
        assert undirected.has_edge(a, b) or set(undirected[a]) & set(undirected[b])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_network_page_of_another_organization_speaks_its_words(tmp_path, lang):
    from test_other_organization import AGENCY, ITU_WORDS
    settings = Settings(data_dirs=[AGENCY], ontology_dir=shipped_ontology(), db_path=tmp_path / "a.db")
    pipeline.load(settings)
    with FalkorLiteStore(settings.db_path) as store:
        graph = read_network_view(store, pipeline.load_ontology(settings), lang=lang)
    page = to_bytes(graph, "html", lang=lang).decode("utf-8")
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', page, re.S).group(1))
    shown = json.dumps([data["text"], [r["name"] for r in data["regions"]],
                        [[n["kindName"], n["groupName"]] for n in data["nodes"]]], ensure_ascii=False)
    assert not [w for w in ITU_WORDS if w in shown]
    assert {"com-obs", "com-svc", "dept-regional", "ro-africa"} <= {r["id"] for r in data["regions"]}


@hypothesis_settings(max_examples=25, deadline=None)
@given(st.integers(2, 40), st.integers(1, 5), st.integers(0, 60), st.integers(0, 10_000))
def test_grouped_layout_frees_the_shown_labels_of_overlaps(n, k, m, seed):
    import random
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(n)]
    region = {v: (f"g{rng.randrange(k)}" if rng.random() > 0.2 else "shared") for v in nodes}
    edges = sorted({tuple(sorted(rng.sample(nodes, 2))) for _ in range(m)})
    size = {v: rng.uniform(4, 30) for v in nodes}
    labelled = {v: rng.choice(["BDT", "Telecommunication Development", "电信发展局", "ISC-TF", "x"]) for v in nodes[:20]}
    layout = grouped_layout(nodes, region, edges, size, labelled)
    assert set(layout.positions) == set(nodes)
    assert all(math.isfinite(c) for p in layout.positions.values() for c in p)
    boxes = [{"id": v, "box": layout.boxes[v]} for v in labelled]
    assert _overlaps(boxes) == []
    left, top, right, bottom = layout.view
    assert all(left <= x <= right and top <= y <= bottom for x, y in layout.positions.values())


def test_the_network_views_statements_pass_neo4js_linter():
    from itu_graph import neo4j_lint
    from itu_graph.viz import network
    if not neo4j_lint.available():
        pytest.fail("Neo4j's Cypher linter is not installed: run `make setup-tests`")
    ontology = pipeline.load_ontology(Settings(ontology_dir=shipped_ontology()))
    statements = {"by-uri": (network.READ_BY_URI, {"uris": []}), "by-id": (network.READ_BY_ID, {"ids": []}),
                  "hubs": (network.READ_HUBS, {"ids": []})}
    diagnostics = neo4j_lint.lint(statements, ontology.schema_for_lint(("en", "zh", "fr", "ar", "ru", "es")))
    assert [d for d in diagnostics if d.severity in (neo4j_lint.ERROR, neo4j_lint.WARNING)] == []
