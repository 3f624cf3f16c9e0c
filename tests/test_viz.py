"""Network exports (issue #7): offline safe HTML in a real Chromium, GraphML and GEXF round trips."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from itu_graph import pipeline
from itu_graph.settings import Settings, shipped_ontology
from itu_graph.store.falkordb import FalkorLiteStore
from itu_graph.viz.graph import read_graph

from browser import browser, open_page, wait_for
from conftest import run_cli
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
    result = run_cli(runner, ["viz", "-o", out], env=env)
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
    assert run_cli(runner, ["viz", "--focus", "isc-tf", "--depth", "1", "-o", out], env=env).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    ids = {n["id"] for n in data["nodes"]}
    assert {"isc-tf", "br", "tsb", "bdt", "general-secretariat", "deputy-secretary-general", "iscg"} <= ids
    assert "itu-r-sg1" not in ids
    sectors = tmp_path / "sectors.json"
    run_cli(runner, ["viz", "--type", "StudyGroup", "--sector", "itu-r", "-o", sectors], env=env)
    assert {n["id"] for n in json.loads(sectors.read_text(encoding="utf-8"))["nodes"]} == \
        {"itu-r-sg1", "itu-r-sg3", "itu-r-sg4", "itu-r-sg5", "itu-r-sg6", "itu-r-sg7"}
    bad = run_cli(runner, ["viz", "--type", "Sectr", "-o", tmp_path / "x.html"], env=env)
    assert bad.exit_code == 2 and "unknown class" in bad.output and not (tmp_path / "x.html").exists()
    zh = tmp_path / "zh.html"
    run_cli(runner, ["viz", "--lang", "zh", "--focus", "isc-tf", "-o", zh], env=env)
    with open_page(chromium, zh) as (page, run):
        wait_for(page, "window.ituGraph && window.ituGraph.ready")
        page.fill("#search", "跨部门协调任务组")
        names = page.evaluate("() => Array.from(document.querySelectorAll('#matches li')).map(li => li.textContent)")
    assert "跨部门协调任务组" in names and run.console_errors == []


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_with_every_property(runner, cli_env, analyzed_itu, tmp_path, fmt, reader):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    out = tmp_path / f"network.{fmt}"
    assert run_cli(runner, ["viz", "-o", out], env=env).exit_code == 0
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
