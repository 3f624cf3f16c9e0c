"""One self-contained, offline, safe HTML page for a network, built with pyvis.

pyvis builds the vis-network nodes, edges and options; its own templates load Bootstrap and
vis-network from CDNs and switch tooltips to raw HTML when a title contains "href", so the page
is written here instead: the vis-network JavaScript and CSS that pyvis ships are inlined, the
graph travels as JSON in a non-executed script block (with ``<``, ``>`` and ``&`` escaped), every
user-derived string reaches the page through ``textContent`` only, and a Content-Security-Policy
allows nothing but the page's own scripts (by hash) and inline styles.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from importlib.resources import files
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from .graph import KINDS

#: Beyond this many nodes the layout is computed before writing and physics is off, so the page
#: stays responsive.
LAYOUT_THRESHOLD = 300
PALETTE = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
SEVERAL, NONE = "#ff7f0e", "#9e9e9e"
SHAPES = dict(KINDS)
METRICS = ("betweenness", "constraint", "effective_size", "ei_index", "brokerage_total")

TEXT = {
    "en": {"search": "Search names…", "classes": "Classes", "divisions": "{Divisions}", "gaps": "Highlight gaps",
           "legend": "Legend", "several": "several {divisions}", "none": "no {division}", "sources": "sources",
           "findings": "findings", "nodes": "nodes", "edges": "links", "size": "size: betweenness"},
    "zh": {"search": "搜索名称…", "classes": "类别", "divisions": "{division}", "gaps": "突出显示差距",
           "legend": "图例", "several": "多个{division}", "none": "无所属{division}", "sources": "来源",
           "findings": "发现", "nodes": "节点", "edges": "联系", "size": "大小：中介中心性"},
}


GROUP_TEXT = {"en": {"divisions": "Groups", "several": "several groups", "none": "no group"},
              "zh": {"divisions": "群体", "several": "多个群体", "none": "无所属群体"}}


def _vis_assets() -> tuple[str, str]:
    lib = Path(str(files("pyvis"))) / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # no source map fetch; no way to close the script element early
    js = "\n".join(line for line in js.split("\n") if not line.startswith("//# sourceMappingURL"))
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def json_for_script(data) -> str:
    """JSON safe inside a <script> element: no markup characters, no line separators."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _colors(graph: nx.MultiDiGraph) -> dict:
    divisions = sorted({d["division"] for _, d in graph.nodes(data=True)} - {"several", "none"})
    colors = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(divisions)}
    colors.update({"several": SEVERAL, "none": NONE})
    return colors


def texts(graph: nx.MultiDiGraph, lang: str) -> dict:
    """The page's fixed texts in the organization's words (read_graph puts them on the graph)."""
    from ..wording import Wording
    wording = Wording(graph.graph["wording"]) if graph.graph.get("wording") else Wording()
    t = wording.apply_all(TEXT[lang], lang)
    if graph.graph.get("declared_groups"):  # colours are the organization's declared groups, not its divisions
        t.update(GROUP_TEXT[lang])
    return t


def _lines(data: dict, lang: str) -> list[str]:
    t = TEXT[lang]
    lines = [f"{data['kind']} · {data['id']}"]
    if data.get("acronyms"):
        lines.append(", ".join(map(str, data["acronyms"])))
    if data.get("name_zh") and lang != "zh":
        lines.append(str(data["name_zh"]))
    elif lang == "zh" and data.get("name"):
        lines.append(str(data["name"]))
    for key in METRICS:
        value = data.get(key)
        if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
            lines.append(f"{key}: {value:.3g}" if isinstance(value, float) else f"{key}: {value}")
    if data.get("findings"):
        lines.append(f"{t['findings']}: " + ", ".join(data["findings"][:6]))
    sources = data.get("sources") or []
    if sources:
        lines.append(f"{t['sources']} ({len(sources)}):")
        lines.extend(str(s) for s in sources[:6])
    return lines


def precomputed_layout(graph: nx.MultiDiGraph, iterations: int = 40, seed: int = 7) -> dict:
    """Positions for large graphs in O(edges) per step: communities (label propagation,
    Raghavan et al. 2007) are placed on a golden-angle spiral, their members scattered around
    the centre, then smoothed towards their neighbours (Laplacian smoothing). Force-directed
    layouts cost O(n²) per step: about a minute for 5,000 nodes here."""
    import numpy as np
    import scipy.sparse as sp
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    nodes = list(undirected.nodes())
    index = {n: i for i, n in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    communities = sorted(nx.community.label_propagation_communities(undirected), key=lambda c: (-len(c), sorted(c)[0]))
    positions = np.zeros((len(nodes), 2))
    golden = math.pi * (3 - math.sqrt(5))
    radius = 0.0
    for k, members in enumerate(communities):
        spread = 30 * math.sqrt(len(members))
        radius += spread if k else 0
        centre = np.array([radius * math.cos(k * golden), radius * math.sin(k * golden)])
        for m in members:
            positions[index[m]] = centre + rng.normal(0, spread / 2, 2)
    rows, cols = [], []
    for u, v in undirected.edges():
        rows += [index[u], index[v]]
        cols += [index[v], index[u]]
    adjacency = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(nodes)))
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    step = sp.diags(np.where(degree > 0, 1 / np.maximum(degree, 1), 0)) @ adjacency
    has_neighbours = (degree > 0)[:, None]
    for _ in range(iterations):
        positions = np.where(has_neighbours, 0.7 * positions + 0.3 * (step @ positions), positions)
    return {n: (float(positions[i, 0]), float(positions[i, 1])) for n, i in index.items()}


def render_html(graph: nx.MultiDiGraph, title: str = "Coordination network", lang: str = "en",
                highlight_findings: bool = True) -> str:
    """The page for ``graph``: the coordination network (``read_network_view``) or every entity."""
    if graph.graph.get("view") == "network":
        from .netpage import render_network_html
        return render_network_html(graph, title=title, lang=lang, highlight_findings=highlight_findings)
    lang = lang if lang in TEXT else "en"
    colors = _colors(graph)
    big = graph.number_of_nodes() > LAYOUT_THRESHOLD
    positions = precomputed_layout(graph) if big and graph.number_of_nodes() else {}
    net = Network(directed=True)
    betweenness = [d.get("betweenness") for _, d in graph.nodes(data=True) if isinstance(d.get("betweenness"), (int, float))]
    top = max(betweenness) if betweenness else 0
    meta = []
    for n, d in graph.nodes(data=True):
        b = d.get("betweenness") if isinstance(d.get("betweenness"), (int, float)) else 0
        size = 10 + (30 * b / top if top else 0) + min(graph.degree(n), 20) * 0.5
        options = {"label": str(d.get("label", n)), "shape": SHAPES.get(d["kind"], "dot"),
                   "color": colors[d["division"]], "size": round(size, 1), "borderWidth": 1}
        if big:
            options.update(x=positions[n][0], y=positions[n][1], physics=False)
        net.add_node(n, **options)
        meta.append({"id": n, "name": str(d.get("label", n)), "kind": d["kind"], "division": d["division"],
                     "finding": bool(d.get("findings")), "subject": bool(d.get("finding_subject")),
                     "severity": d.get("finding_severity"),
                     "lines": _lines(d, lang)})
    edge_meta = []
    for u, v, k, d in graph.edges(keys=True, data=True):
        net.add_edge(u, v, label=str(d.get("relation", k)), arrows="to")
        edge_meta.append({"type": str(d.get("relation", k)), "sources": [str(s) for s in d.get("sources", [])][:6]})
    if big:
        net.toggle_physics(False)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    options = {
        "physics": {"enabled": not big, "solver": "barnesHut", "stabilization": {"iterations": 150, "fit": True}},
        "edges": {"font": {"size": 8, "align": "middle"}, "color": {"color": "#b0b0b0"}, "smooth": False},
        "nodes": {"font": {"size": 12, "face": "Noto Sans CJK SC, Noto Sans, sans-serif"}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big},
        "layout": {"improvedLayout": graph.number_of_nodes() <= 100},
    }
    vis_nodes = [{k: v for k, v in node.items() if k != "title"} for node in nodes]
    vis_edges = [{"from": e["from"], "to": e["to"], "label": e.get("label"), "arrows": "to"} for e in edges]
    t = texts(graph, lang)
    data = {"nodes": [dict(m, vis=vn) for m, vn in zip(meta, vis_nodes)],
            "edges": [dict(m, vis=ve) for m, ve in zip(edge_meta, vis_edges)],
            "options": options, "colors": colors, "text": t, "highlight": highlight_findings,
            "shapes": {kind: SHAPES.get(kind, "dot") for kind in sorted({m["kind"] for m in meta})}}
    vis_js, vis_css = _vis_assets()
    app_js = APP_JS
    csp = ("default-src 'none'; script-src " + _sha256(vis_js) + " " + _sha256(app_js)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    return PAGE.format(lang="zh-Hans" if lang == "zh" else "en", csp=html.escape(csp, quote=True),
                       title=html.escape(title), vis_css=vis_css, css=CSS, data=json_for_script(data),
                       vis_js=vis_js, app_js=app_js, search=html.escape(t["search"]),
                       classes=html.escape(t["classes"]), divisions=html.escape(t["divisions"]),
                       gaps=html.escape(t["gaps"]), legend=html.escape(t["legend"]),
                       counts=f"{graph.number_of_nodes()} {t['nodes']} · {graph.number_of_edges()} {t['edges']} · {t['size']}")


PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{vis_css}</style>
<style>{css}</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <p class="counts">{counts}</p>
</header>
<main>
  <aside>
    <input id="search" type="search" placeholder="{search}" autocomplete="off">
    <ul id="matches"></ul>
    <label class="toggle"><input id="gaps" type="checkbox" checked> {gaps}</label>
    <h2>{classes}</h2><div id="class-filters"></div>
    <h2>{divisions}</h2><div id="division-filters"></div>
    <h2>{legend}</h2><div id="legend"></div>
  </aside>
  <div id="network"></div>
</main>
<script type="application/json" id="graph-data">{data}</script>
<script>{vis_js}</script>
<script>{app_js}</script>
</body>
</html>
"""

CSS = """
html, body { margin: 0; height: 100%; font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #222; }
header { padding: 6px 14px; border-bottom: 1px solid #ddd; }
h1 { font-size: 18px; margin: 4px 0; } h2 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; color: #555; }
.counts { margin: 0; font-size: 12px; color: #666; }
main { display: flex; height: calc(100% - 64px); }
aside { width: 250px; padding: 8px 12px; overflow-y: auto; border-right: 1px solid #eee; font-size: 12px; }
#network { flex: 1; min-height: 400px; }
#search { width: 100%; box-sizing: border-box; padding: 4px; }
#matches { list-style: none; padding: 0; margin: 4px 0; max-height: 160px; overflow-y: auto; }
#matches li { cursor: pointer; padding: 2px 0; } #matches li:hover { text-decoration: underline; }
aside label { display: block; } .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 50%; }
.tip { max-width: 360px; font-size: 12px; white-space: normal; } .tip b { display: block; margin-bottom: 2px; }
div.vis-tooltip { white-space: normal; }
"""

APP_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var t = data.text;
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function nodeTip(n) {
    var d = el("div", null, "tip");
    d.appendChild(el("b", n.name));
    n.lines.forEach(function (line) { d.appendChild(el("div", line)); });
    return d;
  }
  function edgeTip(e) {
    var d = el("div", null, "tip");
    d.appendChild(el("b", e.type));
    e.sources.forEach(function (s) { d.appendChild(el("div", s)); });
    return d;
  }
  var byId = {};
  var nodeItems = data.nodes.map(function (n) {
    byId[n.id] = n;
    var item = Object.assign({}, n.vis, { title: nodeTip(n) });
    item.label = n.name;
    return item;
  });
  var edgeItems = data.edges.map(function (e, i) {
    return Object.assign({ id: "e" + i }, e.vis, { title: edgeTip(e) });
  });
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var hiddenClasses = {}, hiddenDivisions = {};
  var nodeView = new vis.DataView(nodes, { filter: function (item) {
    var n = byId[item.id];
    return !hiddenClasses[n.kind] && !hiddenDivisions[n.division];
  } });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edges }, data.options);
  window.ituGraph = { nodes: nodes.length, edges: edges.length, ready: false, network: network };
  network.once("afterDrawing", function () { window.ituGraph.ready = true; });
  network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });

  var SEVERITY = { high: "#c00000", medium: "#e67e22" };
  function highlight(on) {
    // what a finding is about gets a ring in the colour of its severity; low ones stay plain
    nodes.update(data.nodes.map(function (n) {
      var ring = n.subject && SEVERITY[n.severity];
      if (!on || !ring) { return { id: n.id, borderWidth: 1, color: n.vis.color }; }
      return { id: n.id, borderWidth: 4,
               color: { background: n.vis.color, border: ring, highlight: { border: ring, background: n.vis.color } } };
    }));
  }
  var gaps = document.getElementById("gaps");
  gaps.checked = !!data.highlight;
  gaps.addEventListener("change", function () { highlight(gaps.checked); });
  highlight(gaps.checked);

  function filters(containerId, values, hidden, labelOf, colorOf) {
    var box = document.getElementById(containerId);
    values.forEach(function (value) {
      var label = el("label");
      var input = el("input"); input.type = "checkbox"; input.checked = true;
      input.addEventListener("change", function () { hidden[value] = !input.checked; nodeView.refresh(); });
      label.appendChild(input);
      if (colorOf) { var s = el("span", null, "swatch"); s.style.background = colorOf(value); label.appendChild(s); }
      label.appendChild(document.createTextNode(" " + labelOf(value)));
      box.appendChild(label);
    });
  }
  var kinds = Object.keys(data.shapes).sort();
  var divisions = Object.keys(data.colors).sort();
  filters("class-filters", kinds, hiddenClasses, function (k) { return k + " (" + data.shapes[k] + ")"; });
  filters("division-filters", divisions, hiddenDivisions, function (s) {
    return s === "several" ? t.several : (s === "none" ? t.none : ((byId[s] && byId[s].name) || s));
  }, function (s) { return data.colors[s]; });
  var legend = document.getElementById("legend");
  divisions.forEach(function (s) {
    var row = el("div"); var sw = el("span", null, "swatch"); sw.style.background = data.colors[s];
    row.appendChild(sw);
    row.appendChild(document.createTextNode(s === "several" ? t.several : (s === "none" ? t.none : ((byId[s] && byId[s].name) || s))));
    legend.appendChild(row);
  });
  kinds.forEach(function (k) { legend.appendChild(el("div", data.shapes[k] + " = " + k)); });

  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  search.addEventListener("input", function () {
    while (matches.firstChild) { matches.removeChild(matches.firstChild); }
    var q = search.value.trim().toLowerCase();
    if (!q) { return; }
    data.nodes.filter(function (n) {
      return n.name.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0 ||
             n.lines.some(function (l) { return l.toLowerCase().indexOf(q) >= 0; });
    }).slice(0, 30).forEach(function (n) {
      var li = el("li", n.name);
      li.addEventListener("click", function () {
        network.selectNodes([n.id]);
        network.focus(n.id, { scale: 1.2, animation: false });
      });
      matches.appendChild(li);
    });
  });
})();
"""
