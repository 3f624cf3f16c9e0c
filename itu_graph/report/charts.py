"""Charts for the report: the Sector x topic heatmap and findings by rule, as SVG or PNG.

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


def heatmap(report, fmt: str = "svg") -> bytes:
    """Sectors (rows) x topics (columns): how many units and initiatives of each Sector work on each."""
    _style()
    h = report.heatmap
    sectors, topics = h["sectors"], h["topics"]
    values = [[h["cells"].get((s, t), 0) for t in topics] for s in sectors]
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(topics) + 2), 1.1 + 0.6 * len(sectors)))
    image = ax.imshow(values or [[0]], cmap="Blues", aspect="auto", vmin=0)
    ax.set_yticks(range(len(sectors)), [report.name(s) for s in sectors], fontsize=8)
    labels = [("◆ " if t in h["overlaps"] else "") + _wrap(report.name(t), 28) for t in topics]
    ax.set_xticks(range(len(topics)), labels, rotation=60, ha="right", fontsize=7)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                        color="white" if value > max(max(r) for r in values) / 2 else "#123")
    ax.set_title(report.text["heatmap"], fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.7)
    return _save(fig, fmt)


def findings_by_rule(report, fmt: str = "svg") -> bytes:
    """Stacked bars: findings per rule, split by severity."""
    _style()
    rules = sorted(report.summary["by_rule"])
    fig, ax = plt.subplots(figsize=(7, 0.4 * max(len(rules), 1) + 1))
    left = [0] * len(rules)
    for severity in ("high", "medium", "low"):
        counts = [sum(1 for f in report.findings if f["rule"] == r and f["severity"] == severity) for r in rules]
        ax.barh(range(len(rules)), counts, left=left, color=SEVERITY_COLORS[severity], label=report.text[severity])
        left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(range(len(rules)), [report.rule_names.get(r, r) for r in rules], fontsize=8)
    ax.invert_yaxis()
    ax.set_title(report.text["chart_findings"], fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, fmt)


def svg_inline(svg: bytes) -> str:
    """An SVG document as an element to put inside HTML (no XML prolog or doctype)."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]
