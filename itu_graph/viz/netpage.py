"""The network page: the coordination network, grouped, offline and safe (``viz --view network``).

Same guarantees as the entity page (:mod:`itu_graph.viz.html`): vis-network inlined, the graph
as JSON in a non-executed script block, every name reaching the page through ``textContent`` (or
drawn on the canvas), a Content-Security-Policy that allows only the page's own scripts by hash.
The layout is computed here (:mod:`itu_graph.viz.layout`) and physics is off, so the page opens
at once and the most central agents' labels are legible and apart at the first view.
"""
from __future__ import annotations

import html
import math

import networkx as nx

from .html import _sha256, _vis_assets, json_for_script
from .layout import grouped_layout
from .network import METRICS, SHARED, centrality_order

#: Agents whose labels are shown at the initial view.
TOP_AGENTS = 20
#: Shared mechanisms (most members first) whose labels are shown too.
TOP_MECHANISMS = 6
SEVERITY_COLORS = {"high": "#c00000", "medium": "#e67e22", "low": "#d4ac0d"}
#: Group colours: no red, orange or yellow, which mark gaps.
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#393b79", "#637939", "#7b4173")
QUESTION_COLOR = "#222222"
SHARED_COLOR = "#555555"

TEXT = {
    "en": {"search": "Search names…", "gaps": "Mark findings", "legend": "Legend", "groups": "Groups",
           "agents": "agents", "mechanisms": "mechanisms and initiatives", "ties": "links",
           "size": "size: betweenness", "agent": "agent (unit, body, office)", "mechanism": "mechanism",
           "initiative": "initiative", "gap": "gap ({severity})", "question": "question to verify",
           "names": "Names", "class": "Class", "group": "Group", "metrics": "Metrics", "findings": "Findings",
           "sources": "Sources", "none": "none", "close": "Close", "yes": "yes", "no": "no",
           "hint": "Click a node for its details; scroll to zoom in for every label.",
           "entities": "Full entity graph: itu-graph viz --view entities", "direct": "direct link",
           "member": "member", "severity": {"high": "high", "medium": "medium", "low": "low"},
           "metric": {"betweenness": "betweenness", "degree": "ties in the network", "constraint": "constraint (Burt)",
                      "effective_size": "effective size", "ei_index": "E-I index",
                      "brokerage_total": "brokerage roles (Gould-Fernandez)", "articulation_point": "cut point",
                      "community": "community", "members": "members in the network"}},
    "zh": {"search": "搜索名称…", "gaps": "标出发现", "legend": "图例", "groups": "群体",
           "agents": "行为体", "mechanisms": "机制与举措", "ties": "联系",
           "size": "大小：中介中心性", "agent": "行为体（单位、机构、办事处）", "mechanism": "机制",
           "initiative": "举措", "gap": "差距（{severity}）", "question": "待核实问题",
           "names": "名称", "class": "类别", "group": "群体", "metrics": "指标", "findings": "发现",
           "sources": "来源", "none": "无", "close": "关闭", "yes": "是", "no": "否",
           "hint": "点击节点查看详情；放大后显示所有标签。",
           "entities": "完整实体图：itu-graph viz --view entities", "direct": "直接联系",
           "member": "成员", "severity": {"high": "高", "medium": "中", "low": "低"},
           "metric": {"betweenness": "中介中心性", "degree": "网络中的联系数", "constraint": "约束度（Burt）",
                      "effective_size": "有效规模", "ei_index": "E-I指数",
                      "brokerage_total": "中介角色（Gould-Fernandez）", "articulation_point": "割点",
                      "community": "社群", "members": "网络中的成员"}},
}


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if isinstance(value, float) and math.isnan(value) else float(value)


def _metric_rows(d: dict, t: dict) -> list[list[str]]:
    rows = []
    keys = METRICS if d.get("role") == "agent" else ("members",)
    for key in keys:
        value = d.get(key)
        if isinstance(value, bool):
            rows.append([t["metric"][key], t["yes"] if value else t["no"]])
        elif _number(value) is not None:
            v = _number(value)
            rows.append([t["metric"][key], str(int(v)) if v == int(v) and abs(v) < 1e12 else f"{v:.3g}"])
    return rows


def _sizes(graph: nx.MultiDiGraph) -> dict:
    between = {n: _number(d.get("betweenness")) or 0.0 for n, d in graph.nodes(data=True) if d.get("role") == "agent"}
    top = max(between.values(), default=0.0)
    sizes = {}
    for n, d in graph.nodes(data=True):
        if d.get("role") == "agent":
            degree = _number(d.get("degree")) or 0.0
            sizes[n] = round(7 + (24 * math.sqrt(between[n] / top) if top else 0) + 1.5 * math.sqrt(degree), 1)
        else:
            sizes[n] = round(4 + 1.5 * math.sqrt(_number(d.get("members")) or 2), 1)
    return sizes


def render_network_html(graph: nx.MultiDiGraph, title: str = "Coordination network", lang: str = "en",
                        highlight_findings: bool = True) -> str:
    """The page (module docstring) for a graph from :func:`itu_graph.viz.network.read_network_view`."""
    lang = lang if lang in TEXT else "en"
    t = TEXT[lang]
    groups = graph.graph.get("groups") or {}
    classes = graph.graph.get("classes") or {}
    region_ids = sorted({d["region"] for _, d in graph.nodes(data=True)} - {SHARED})
    colors = {r: PALETTE[i % len(PALETTE)] for i, r in enumerate(region_ids)}
    colors[SHARED] = SHARED_COLOR
    sizes = _sizes(graph)
    order = centrality_order(graph)
    top = order[:TOP_AGENTS]
    shared_hubs = sorted((n for n, d in graph.nodes(data=True) if d.get("role") == "mechanism"),
                         key=lambda n: (-(graph.nodes[n].get("members") or 0), n))
    labelled = {n: str(graph.nodes[n]["short"]) for n in top + shared_hubs[:TOP_MECHANISMS]}
    undirected = {(u, v) if u <= v else (v, u) for u, v in graph.edges() if u != v}

    def group_name(g: str) -> str:
        names = groups.get(g) or {}
        return str(names.get(lang) or names.get("en") or g)

    regions_of = {n: d["region"] for n, d in graph.nodes(data=True)}
    layout = grouped_layout(list(graph.nodes()), regions_of, sorted(undirected), sizes, labelled,
                            titles={r: group_name(r) for r in set(regions_of.values())})

    nodes = []
    for n, d in graph.nodes(data=True):
        findings = d.get("finding_list") or []
        gap = next((f["severity"] for f in sorted(findings, key=lambda f: ("high", "medium", "low").index(f["severity"]))
                    if f["gap"] and f["subject"]), None)
        question = any(not f["gap"] and f["subject"] for f in findings)
        kind = d.get("kind", "Entity")
        x, y = layout.positions[n]
        nodes.append({
            "id": n, "label": str(d.get("short") or d.get("label") or n), "name": str(d.get("label") or n),
            "names": [str(v) for v in dict.fromkeys([d.get("name"), d.get("name_zh")]) if v],
            "acronyms": [str(a) for a in d.get("acronyms") or []],
            "role": d.get("role"), "kind": kind, "kindName": str((classes.get(kind) or {}).get(lang) or kind),
            "group": d["region"], "groupName": group_name(d["region"]),
            "x": x, "y": y, "size": sizes[n], "top": n in labelled,
            "color": colors[d["region"]], "shape": "dot" if d.get("role") == "agent" else (
                "square" if "Initiative" in (d.get("labels") or []) else "diamond"),
            "gap": gap, "question": question,
            "metrics": _metric_rows(d, t),
            "findings": [{"title": str(f["title_zh"] if lang == "zh" and f.get("title_zh") else f["title"]),
                          "gap": f["gap"], "severity": f["severity"]} for f in findings[:40]],
            "more": max(0, len(findings) - 40),
            "sources": [str(s) for s in (d.get("sources") or [])][:20],
        })
    edges = [{"from": u, "to": v, "type": str(k)} for u, v, k in graph.edges(keys=True)]
    regions = [dict(r, name=group_name(r["id"]), color=colors.get(r["id"], SHARED_COLOR)) for r in layout.regions]
    text = dict(t, severityColors=SEVERITY_COLORS, questionColor=QUESTION_COLOR,
                gap=t["gap"], agentsCount=sum(1 for n in nodes if n["role"] == "agent"))
    data = {"nodes": nodes, "edges": edges, "regions": regions, "text": text, "highlight": highlight_findings,
            "top": top, "view": layout.view, "font": {"top": layout.font, "small": layout.small_font, "title": layout.title_font},
            "big": len(nodes) > 1500}
    vis_js, vis_css = _vis_assets()
    csp = ("default-src 'none'; script-src " + _sha256(vis_js) + " " + _sha256(APP_JS)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    agents = sum(1 for n in nodes if n["role"] == "agent")
    counts = (f"{agents} {t['agents']} · {len(nodes) - agents} {t['mechanisms']} · {len(edges)} {t['ties']}"
              f" · {t['size']}")
    return PAGE.format(lang="zh-Hans" if lang == "zh" else "en", csp=html.escape(csp, quote=True),
                       title=html.escape(title), vis_css=vis_css, css=CSS, data=json_for_script(data), vis_js=vis_js,
                       app_js=APP_JS, search=html.escape(t["search"]), gaps=html.escape(t["gaps"]),
                       legend=html.escape(t["legend"]), groups=html.escape(t["groups"]), counts=html.escape(counts),
                       hint=html.escape(t["hint"]), entities=html.escape(t["entities"]), close=html.escape(t["close"]))


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
  <aside id="side">
    <input id="search" type="search" placeholder="{search}" autocomplete="off">
    <ul id="matches"></ul>
    <label class="toggle"><input id="gaps" type="checkbox" checked> {gaps}</label>
    <h2>{groups}</h2><div id="groups"></div>
    <h2>{legend}</h2><div id="legend"></div>
    <p class="hint">{hint}</p>
    <p class="hint">{entities}</p>
  </aside>
  <div id="network"></div>
  <aside id="panel" hidden>
    <button id="close" type="button">{close}</button>
    <div id="panel-body"></div>
  </aside>
</main>
<script type="application/json" id="graph-data">{data}</script>
<script>{vis_js}</script>
<script>{app_js}</script>
</body>
</html>
"""

CSS = """
html, body { margin: 0; height: 100%; font-family: "Noto Sans", "Noto Sans CJK SC", sans-serif; color: #222; }
header { padding: 6px 14px; border-bottom: 1px solid #ddd; height: 52px; box-sizing: border-box; }
h1 { font-size: 18px; margin: 2px 0; } h2 { font-size: 12px; margin: 12px 0 4px; text-transform: uppercase; color: #555; }
.counts { margin: 0; font-size: 12px; color: #666; }
main { display: flex; height: calc(100% - 52px); }
#side { width: 220px; flex: none; padding: 8px 12px; overflow-y: auto; border-right: 1px solid #eee; font-size: 12px; }
#network { flex: 1; min-width: 300px; min-height: 400px; position: relative; }
#panel { width: 300px; flex: none; padding: 8px 14px; overflow-y: auto; border-left: 1px solid #ddd; font-size: 13px; background: #fcfcfc; }
#panel[hidden] { display: none; }
#panel h3 { font-size: 16px; margin: 6px 0; } #panel h4 { font-size: 12px; margin: 12px 0 3px; text-transform: uppercase; color: #555; }
#panel ul { margin: 0; padding-left: 16px; } #panel li { margin: 2px 0; overflow-wrap: anywhere; }
#panel table { border-collapse: collapse; } #panel td { padding: 1px 8px 1px 0; vertical-align: top; }
#close { float: right; }
#search { width: 100%; box-sizing: border-box; padding: 4px; }
#matches { list-style: none; padding: 0; margin: 4px 0; max-height: 160px; overflow-y: auto; }
#matches li { cursor: pointer; padding: 2px 0; } #matches li:hover { text-decoration: underline; }
aside label { display: block; } .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 50%; vertical-align: middle; }
.ring { display: inline-block; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%; border: 3px solid; vertical-align: middle; }
.dashed { border-style: dashed; } .hint { color: #666; }
.gap-high { color: #c00000; } .gap-medium { color: #b35900; } .gap-low { color: #8a7000; } .question { color: #222; }
div.vis-tooltip { white-space: normal; max-width: 320px; }
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
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  var byId = {}, adjacency = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; adjacency[n.id] = []; });
  data.edges.forEach(function (e) { adjacency[e.from].push(e.to); adjacency[e.to].push(e.from); });

  function style(n, dim, near) {
    var marked = markFindings && (n.gap || n.question);
    var ring = n.gap ? t.severityColors[n.gap] : (n.question ? t.questionColor : null);
    var background = n.role === "agent" ? n.color : "#ffffff";
    var border = marked ? ring : (n.role === "agent" ? "#ffffff" : n.color);
    return {
      id: n.id, opacity: dim ? 0.15 : 1,
      borderWidth: marked ? (n.role === "agent" ? 4 : 2) : (n.role === "agent" ? 1 : 2),
      shapeProperties: { borderDashes: marked && !n.gap ? [5, 4] : false },
      color: { background: background, border: border, highlight: { background: background, border: "#000000" },
               hover: { background: background, border: "#000000" } },
      font: { size: n.top || near ? data.font.top : data.font.small, color: dim ? "rgba(40,40,40,0)" : "#1a1a1a",
              strokeWidth: dim ? 0 : (n.top || near ? data.font.top / 4 : data.font.small / 4), strokeColor: "#ffffff",
              face: "Noto Sans, Noto Sans CJK SC, sans-serif" }
    };
  }
  var markFindings = !!data.highlight;
  var nodeItems = data.nodes.map(function (n) {
    var tip = el("div", n.name);
    return Object.assign(style(n, false), { label: n.label, title: tip, x: n.x, y: n.y, size: n.size,
                                            shape: n.shape, fixed: true });
  });
  var edgeItems = data.edges.map(function (e, i) {
    var direct = e.type !== "MEMBER";
    return { id: "e" + i, from: e.from, to: e.to, dashes: direct, width: direct ? 2 : 1,
             color: { color: direct ? "#7a7a7a" : "#b8b8b8", highlight: "#333333", opacity: 0.8 } };
  });
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var options = {
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    edges: { smooth: false, selectionWidth: 1.5 },
    nodes: { scaling: { label: { drawThreshold: 5, maxVisible: 80 } } },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: data.big, hideEdgesOnZoom: data.big,
                   multiselect: false, dragNodes: false }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.ituGraph = { nodes: nodes.length, edges: edges.length, ready: false, network: network, top: data.top,
                      shown: data.nodes.filter(function (n) { return n.top; }).map(function (n) { return n.id; }) };

  // the groups: a tinted outline behind each region, its name on the outer side
  function tint(hex, alpha) {
    var v = parseInt(hex.slice(1), 16);
    return "rgba(" + ((v >> 16) & 255) + "," + ((v >> 8) & 255) + "," + (v & 255) + "," + alpha + ")";
  }
  network.on("beforeDrawing", function (ctx) {
    data.regions.forEach(function (r) {
      if (!r.hull.length) { return; }
      ctx.beginPath();
      ctx.moveTo(r.hull[0][0], r.hull[0][1]);
      for (var i = 1; i < r.hull.length; i++) { ctx.lineTo(r.hull[i][0], r.hull[i][1]); }
      ctx.closePath();
      ctx.lineJoin = "round";
      ctx.fillStyle = tint(r.color, 0.08);
      ctx.fill();
      ctx.lineWidth = data.font.top / 8;
      ctx.strokeStyle = tint(r.color, 0.5);
      ctx.stroke();
      ctx.font = "bold " + data.font.title + "px Noto Sans, Noto Sans CJK SC, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "alphabetic";
      ctx.fillStyle = r.color;
      ctx.fillText(r.name, r.title[0], r.title[1]);
    });
  });

  // the initial view: everything in sight; only the labels of the most central nodes are large
  // enough to be drawn, the others appear when zooming in (or in the tooltip on hover)
  function initialView() {
    var v = data.view, width = Math.max(v[2] - v[0], 1), height = Math.max(v[3] - v[1], 1);
    var scale = 0.97 * Math.min(container.clientWidth / width, container.clientHeight / height);
    network.moveTo({ position: { x: (v[0] + v[2]) / 2, y: (v[1] + v[3]) / 2 }, scale: scale, animation: false });
    return scale;
  }
  var scale0;
  function firstView() {
    scale0 = initialView();
    network.setOptions({ nodes: { scaling: { label: { drawThreshold: 0.75 * data.font.top * scale0 + 1, maxVisible: 80 } } } });
  }
  firstView();
  // the panel opening or the window changing size: the first view again, for the new canvas
  var resizing = null;
  network.on("resize", function () {
    if (resizing) { clearTimeout(resizing); }
    resizing = setTimeout(function () { resizing = null; firstView(); }, 50);
  });
  network.once("afterDrawing", function () { window.ituGraph.ready = true; });
  network.redraw();

  // click: the node's neighbourhood (for an agent, its mechanisms and their members) and the panel
  function neighbourhood(id) {
    var keep = {}; keep[id] = true;
    adjacency[id].forEach(function (m) {
      keep[m] = true;
      if (byId[id].role === "agent" && byId[m].role !== "agent") {
        adjacency[m].forEach(function (k) { keep[k] = true; });
      }
    });
    return keep;
  }
  var focused = null;
  function highlight(id) {
    focused = id;
    var keep = id ? neighbourhood(id) : null;
    // the neighbourhood's labels are shown at the size of the first view's
    nodes.update(data.nodes.map(function (n) { return style(n, keep && !keep[n.id], keep && keep[n.id]); }));
    edges.update(data.edges.map(function (e, i) {
      var on = !keep || (keep[e.from] && keep[e.to] && (e.from === id || e.to === id || byId[e.from].role !== "agent" || byId[e.to].role !== "agent"));
      return { id: "e" + i, hidden: !on };
    }));
  }
  var panel = document.getElementById("panel"), body = document.getElementById("panel-body");
  function section(title, items, render) {
    body.appendChild(el("h4", title));
    if (!items.length) { body.appendChild(el("div", t.none)); return; }
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(render(item)); });
    body.appendChild(list);
  }
  function show(id) {
    var n = byId[id];
    clear(body);
    body.appendChild(el("h3", n.name));
    body.appendChild(el("h4", t.names));
    var names = el("ul", null, "names");
    n.names.concat(n.acronyms).forEach(function (name) { names.appendChild(el("li", name)); });
    body.appendChild(names);
    body.appendChild(el("h4", t.class)); body.appendChild(el("div", n.kindName, "class"));
    body.appendChild(el("h4", t.group)); body.appendChild(el("div", n.groupName, "group"));
    body.appendChild(el("h4", t.metrics));
    var table = el("table");
    n.metrics.forEach(function (row) {
      var tr = el("tr"); tr.appendChild(el("td", row[0])); tr.appendChild(el("td", row[1])); table.appendChild(tr);
    });
    body.appendChild(n.metrics.length ? table : el("div", t.none));
    section(t.findings, n.findings, function (f) {
      return el("li", (f.gap ? t.gap.replace("{severity}", t.severity[f.severity] || f.severity) : t.question) + ": " + f.title,
                f.gap ? "gap-" + f.severity : "question");
    });
    if (n.more) { body.appendChild(el("div", "+" + n.more)); }
    section(t.sources, n.sources, function (s) { return el("li", s); });
    panel.hidden = false;
  }
  function select(id) {
    if (!id) { panel.hidden = true; highlight(null); return; }
    highlight(id);
    show(id);
  }
  window.ituGraph.select = select;
  window.ituGraph.nodeData = nodes;
  network.on("click", function (params) { select(params.nodes.length ? params.nodes[0] : null); });
  document.getElementById("close").addEventListener("click", function () { network.unselectAll(); select(null); });
  var gaps = document.getElementById("gaps");
  gaps.checked = markFindings;
  gaps.addEventListener("change", function () { markFindings = gaps.checked; highlight(focused); });

  // legend: groups, shapes, findings
  var groupBox = document.getElementById("groups");
  data.regions.forEach(function (r) {
    var row = el("div"); var sw = el("span", null, "swatch"); sw.style.background = r.color;
    row.appendChild(sw); row.appendChild(document.createTextNode(r.name)); groupBox.appendChild(row);
  });
  var legend = document.getElementById("legend");
  [["●", t.agent], ["◆", t.mechanism], ["■", t.initiative], ["- -", t.direct]].forEach(function (pair) {
    legend.appendChild(el("div", pair[0] + " " + pair[1]));
  });
  ["high", "medium", "low"].forEach(function (s) {
    var row = el("div"); var ring = el("span", null, "ring"); ring.style.borderColor = t.severityColors[s];
    row.appendChild(ring); row.appendChild(document.createTextNode(t.gap.replace("{severity}", t.severity[s])));
    legend.appendChild(row);
  });
  var qrow = el("div"); var qring = el("span", null, "ring dashed"); qring.style.borderColor = t.questionColor;
  qrow.appendChild(qring); qrow.appendChild(document.createTextNode(t.question)); legend.appendChild(qrow);

  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  search.addEventListener("input", function () {
    clear(matches);
    var q = search.value.trim().toLowerCase();
    if (!q) { return; }
    data.nodes.filter(function (n) {
      return n.id.toLowerCase().indexOf(q) >= 0 || n.names.concat(n.acronyms).some(function (s) {
        return s.toLowerCase().indexOf(q) >= 0; });
    }).slice(0, 30).forEach(function (n) {
      var li = el("li", n.name);
      li.addEventListener("click", function () {
        network.selectNodes([n.id]);
        network.focus(n.id, { scale: Math.max(network.getScale(), 2 * scale0), animation: false });
        select(n.id);
      });
      matches.appendChild(li);
    });
  });
})();
"""
