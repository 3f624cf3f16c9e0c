"""Charts for the report: the division x topic heatmap, findings by rule and the coordination
network, as SVG or PNG.

SVG charts keep their text as text (``svg.fonttype: none``): laying out glyphs as paths from a
CJK font costs seconds per chart, and the page's own font stack (Noto Sans CJK, Microsoft YaHei,
PingFang) shows the names. PNG charts (for Word) are drawn with a CJK font when the machine
has one (Debian's fonts-noto-cjk).
"""
from __future__ import annotations

import io
import textwrap
import warnings
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

SEVERITY_COLORS = {"high": "#c0392b", "medium": "#e67e22", "low": "#95a5a6"}


@lru_cache(maxsize=1)
def _fonts() -> list[str]:
    available = {f.name for f in font_manager.fontManager.ttflist}
    preferred = [name for name in ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "WenQuanYi Zen Hei",
                                   "Droid Sans Fallback") if name in available]
    return preferred + ["DejaVu Sans"]


def _style():
    plt.rcParams.update({"font.family": _fonts(), "svg.hashsalt": "itu-graph", "axes.unicode_minus": False,
                         "svg.fonttype": "none"})


def _save(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # a character no installed font has is drawn as a box; saying so for each is noise
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buffer, format=fmt, bbox_inches="tight", dpi=150, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return buffer.getvalue()


def _wrap(label: str, width: int) -> str:
    if any("\u4e00" <= ch <= "\u9fff" for ch in label):
        return "\n".join(label[i:i + width // 2] for i in range(0, len(label), width // 2))
    return "\n".join(textwrap.wrap(label, width)) or label


#: Smallest text in a chart, in points at the size the chart is printed (A4, 182 mm text width):
#: charts are drawn at most PRINT_WIDTH inches wide and shown at their natural size.
MIN_POINTS = 9
PRINT_WIDTH = 6.8


def heatmap(report, fmt: str = "svg") -> bytes:
    """Topics (rows, only those with work) x divisions (columns): how many units, bodies and
    initiatives of each division work on each topic; overlaps without a joint mechanism marked ◆."""
    _style()
    h = report.heatmap
    sectors = h["sectors"]
    topics = [t for t in h["topics"] if any(h["cells"].get((s, t), 0) for s in sectors)]
    values = [[h["cells"].get((s, t), 0) for s in sectors] for t in topics]
    width = min(PRINT_WIDTH, 3.4 + 1.0 * len(sectors))
    fig, ax = plt.subplots(figsize=(width, 1.0 + 0.2 * max(len(topics), 1)))
    ax.imshow(values or [[0]], cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(sectors)), [_wrap(report.short(s), 24) for s in sectors], fontsize=MIN_POINTS)
    ax.xaxis.tick_top()
    labels = [("◆ " if t in h["overlaps"] else "") + report.name(t) for t in topics]
    ax.set_yticks(range(len(topics)), [label if len(label) <= 42 else label[:40] + "…" for label in labels],
                  fontsize=MIN_POINTS)
    peak = max((max(r) for r in values), default=0)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=MIN_POINTS,
                        color="white" if value > peak / 2 else "#123")
    ax.tick_params(length=0)
    return _save(fig, fmt)


def findings_by_rule(report, fmt: str = "svg") -> bytes:
    """Bars per rule: gaps stacked by severity, and the questions to verify beside them (hatched)."""
    _style()
    gaps = report.summary["by_rule"]
    questions = report.summary.get("questions_by_rule", {})
    rules = sorted(set(gaps) | set(questions), key=lambda r: report.rule_names.get(r, r))
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH, 0.5 * max(len(rules), 1) + 0.9))
    left = [0] * len(rules)
    y_gap = [i - 0.2 for i in range(len(rules))]
    for severity in ("high", "medium", "low"):
        counts = [sum(1 for f in report.findings if f["rule"] == r and f["severity"] == severity) for r in rules]
        ax.barh(y_gap, counts, left=left, height=0.38, color=SEVERITY_COLORS[severity],
                label=f"{report.text['gaps_word']}: {report.text[severity]}")
        left = [a + b for a, b in zip(left, counts)]
    ax.barh([i + 0.2 for i in range(len(rules))], [questions.get(r, 0) for r in rules], height=0.38,
            color="#dfe6ee", edgecolor="#7f8c8d", hatch="//", label=report.text["questions"])
    ax.set_yticks(range(len(rules)), [report.rule_names.get(r, r) for r in rules], fontsize=MIN_POINTS)
    ax.tick_params(axis="x", labelsize=MIN_POINTS)
    ax.invert_yaxis()
    ax.legend(fontsize=MIN_POINTS, loc="lower right")
    return _save(fig, fmt)


GROUP_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                "#7f7f7f"]


def _group_layout(nodes: list[str], groups: dict[str, str], weight: dict[str, float]) -> tuple[dict, dict]:
    """Positions: each group a disc of its own, its agents on a sunflower spiral (Vogel 1979) from
    the most central outwards, so that every agent has room and the groups stay apart; the discs
    on a grid, largest first. Returns node positions and, per group, its centre and radius."""
    import math
    members: dict[str, list[str]] = {}
    for node in nodes:
        members.setdefault(groups.get(node, "other"), []).append(node)
    order = sorted(members, key=lambda g: (-len(members[g]), g))
    spacing = 0.5
    golden = math.pi * (3 - math.sqrt(5))
    radius = {g: spacing * math.sqrt(len(members[g])) + 0.35 for g in order}
    columns = max(1, math.ceil(math.sqrt(len(order) * 1.4)))
    cell = 2 * max(radius.values(), default=1.0) + 0.6
    positions, circles = {}, {}
    for k, g in enumerate(order):
        row, col = divmod(k, columns)
        cx, cy = col * cell + cell / 2, -row * cell - cell / 2
        circles[g] = (cx, cy, radius[g])
        for i, node in enumerate(sorted(members[g], key=lambda n: (-weight.get(n, 0), n))):
            r = spacing * math.sqrt(i + 0.5)
            positions[node] = (cx + r * math.cos(i * golden), cy + r * math.sin(i * golden))
    return positions, circles


def _place_labels(fig, ax, positions: dict, labels: dict[str, str], order: list[str]) -> None:
    """Label the agents in ``order`` (most central first) where the label overlaps no label already
    placed: above, below, right or left of the node; an agent with no free place stays unlabelled."""
    renderer = fig.canvas.get_renderer()
    placed = []
    for node in order:
        x, y = positions[node]
        for dx, dy, ha, va in ((0, 7, "center", "bottom"), (0, -7, "center", "top"), (7, 0, "left", "center"),
                               (-7, 0, "right", "center")):
            text = ax.annotate(labels[node], (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                               fontsize=MIN_POINTS, zorder=3,
                               bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = ax.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed) and inside.contains(box.x0, box.y0) \
                    and inside.contains(box.x1, box.y1):
                placed.append(box)
                break
            text.remove()


def network(report, fmt: str = "svg") -> bytes:
    """The coordination network the metrics run on: agents with at least one tie, grouped (one
    shaded disc per group), sized by betweenness, the most central agents labelled where their
    labels do not overlap."""
    _style()
    data = report.network_graph
    groups = {n["id"]: n["group"] for n in data["nodes"]}
    between = {n["id"]: n["betweenness"] for n in data["nodes"]}
    positions, circles = _group_layout([n["id"] for n in data["nodes"]], groups, between)
    xs = [c[0] - c[2] for c in circles.values()] + [c[0] + c[2] for c in circles.values()]
    ys = [c[1] - c[2] for c in circles.values()] + [c[1] + c[2] + 0.45 for c in circles.values()]
    span_x, span_y = (max(xs) - min(xs), max(ys) - min(ys)) if xs else (1, 1)
    height = min(9.0, max(2.5, PRINT_WIDTH * span_y / max(span_x, 1e-9)))
    fig, ax = plt.subplots(figsize=(PRINT_WIDTH, height))
    fig.subplots_adjust(0.01, 0.01, 0.99, 0.99)
    order = sorted(circles, key=lambda g: (-sum(1 for n in groups.values() if n == g), g))
    colour = {g: GROUP_COLORS[i % len(GROUP_COLORS)] for i, g in enumerate(order)}
    from matplotlib.patches import Circle
    for g, (cx, cy, r) in circles.items():
        ax.add_patch(Circle((cx, cy), r, facecolor=colour[g], alpha=0.09, edgecolor=colour[g], linewidth=1))
        name = data["group_names"].get(g, g)
        ax.text(cx, cy + r + 0.06, name if len(name) <= 40 else name[:38] + "…", ha="center", va="bottom",
                fontsize=MIN_POINTS + 0.5, fontweight="bold", color=colour[g])
    for a, b, _w in data["edges"]:
        same = groups.get(a) == groups.get(b)
        (x1, y1), (x2, y2) = positions[a], positions[b]
        ax.plot([x1, x2], [y1, y2], color="#8796a5" if same else "#56616e", linewidth=0.6,
                alpha=0.55 if same else 0.35, zorder=1)
    peak = max(between.values(), default=0) or 1.0
    for node, (x, y) in positions.items():
        ax.scatter([x], [y], s=14 + 300 * between.get(node, 0) / peak, color=colour.get(groups.get(node)),
                   edgecolors="white", linewidths=0.6, zorder=2)
    ax.set_aspect("equal")
    if xs:
        ax.set_xlim(min(xs) - 0.1, max(xs) + 0.1)
        ax.set_ylim(min(ys) - 0.1, max(ys) + 0.1)
    ax.axis("off")
    names = {n["id"]: n["name"] or n["id"] for n in data["nodes"]}
    labels = {k: (v if len(v) <= 30 else v[:28] + "…") for k, v in names.items()}
    top = [n for n in sorted(positions, key=lambda n: (-between.get(n, 0), n)) if between.get(n, 0) > 0][:data.get("labels", 14)]
    _place_labels(fig, ax, positions, labels, top)
    return _save(fig, fmt)


def svg_inline(svg: bytes) -> str:
    """An SVG document as an element to put inside HTML (no XML prolog or doctype)."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]
