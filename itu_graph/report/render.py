"""Render the report as HTML (self-contained, printable on A4), Markdown, JSON or DOCX."""
from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

from ..errors import ParameterError
from ..files import write_atomic
from . import charts
from .model import CHANGE_KINDS, ReportData

FORMATS = ("html", "md", "json", "docx")
SEVERITY_ORDER = ("high", "medium", "low")


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _source_html(source: str) -> str:
    if source.startswith(("https://", "http://")):
        return f'<a href="{_e(source)}" rel="noreferrer noopener">{_e(source)}</a>'
    return _e(source)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _changes(report: ReportData) -> list[tuple[str, int, str]]:
    """(kind, how many, what) for each kind of change since the baseline; entities by name,
    links as "source TYPE target", findings by id."""
    rows = []
    for key in CHANGE_KINDS:
        values = report.changes[key]
        shown = [" ".join(report.name(x) if i != 1 else x for i, x in enumerate(v)) if isinstance(v, list)
                 else (v if key in ("opened", "closed") else report.name(v)) for v in values]
        rows.append((key, len(values), ", ".join(shown[:30]) or report.text["none"]))
    return rows


def _grouped(report: ReportData) -> list[tuple[str, list[dict]]]:
    rules = []
    for f in report.findings:
        if f["rule"] not in rules:
            rules.append(f["rule"])
    return [(rule, [f for f in report.findings if f["rule"] == rule]) for rule in rules]


# ------------------------------------------------------------------------------------ html
CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #1d2733;
       max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; font-size: 10.5pt; line-height: 1.45; }
h1 { font-size: 20pt; margin: 0; } h2 { font-size: 14pt; border-bottom: 2px solid #1f4e79; padding-bottom: 2px; margin-top: 22px; }
h3 { font-size: 12pt; margin: 16px 0 6px; } .subtitle { color: #555; margin: 2px 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 9pt; }
th, td { border: 1px solid #ccd4dc; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eef3f8; } td.num { text-align: right; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: white; font-size: 8.5pt; }
.high { background: #c0392b; } .medium { background: #e67e22; } .low { background: #7f8c8d; }
.finding { border: 1px solid #dde3ea; border-left: 4px solid #1f4e79; padding: 6px 9px; margin: 8px 0; break-inside: avoid; }
.finding .id { font-family: monospace; color: #555; font-size: 8.5pt; }
.finding ul { margin: 2px 0 2px 18px; padding: 0; } .finding li { word-break: break-all; font-size: 8.5pt; }
pre { white-space: pre-wrap; word-break: break-word; font-size: 8pt; background: #f6f8fa; padding: 4px; margin: 2px 0; }
.chart svg { width: 100%; height: auto; } .note { color: #555; font-size: 9pt; }
.caveat { color: #7a5b00; font-size: 9pt; }
@media print { .finding, table { break-inside: avoid; } h2 { break-after: avoid; } a { color: inherit; } }
"""


def render_html(report: ReportData) -> str:
    t, name = report.text, report.name
    out = []
    add = out.append
    add(f"<header><h1>{_e(t['title'])}</h1><p class='subtitle'>{_e(t['subtitle'])}</p>"
        f"<p class='note'>{_e(t['generated'])}: {_e(report.today)}</p></header>")
    add(f"<h2 id='summary'>{_e(t['summary'])}</h2>")
    add(f"<table class='by-severity'><tr><th>{_e(t['severity'])}</th><th>{_e(t['count'])}</th></tr>")
    for sev in SEVERITY_ORDER:
        add(f"<tr><td><span class='badge {sev}'>{_e(t[sev])}</span></td><td class='num'>{report.summary['by_severity'].get(sev, 0)}</td></tr>")
    add(f"<tr><th>{_e(t['total'])}</th><th class='num' id='total-findings'>{report.summary['findings']}</th></tr></table>")
    add(f"<table class='by-rule'><tr><th>{_e(t['rule'])}</th><th>{_e(t['count'])}</th></tr>")
    for rule, count in report.summary["by_rule"].items():
        add(f"<tr><td>{_e(report.rule_names.get(rule, rule))}</td><td class='num'>{count}</td></tr>")
    add("</table>")
    add(f"<p id='questions-count'>{_e(t['questions_count'])}: {report.summary.get('questions', 0)}</p>")
    add(f"<div class='chart' id='findings-chart'>{charts.svg_inline(charts.findings_by_rule(report, 'svg'))}</div>")
    n = report.network
    add(f"<p class='note'>{_e(t['network'])}: {n.get('agents', 0)} {_e(t['agents'])}, {n.get('ties', 0)} {_e(t['ties'])}, "
        f"{n.get('communities', 0)} {_e(t['communities'])}; {_e(t['nmi'])}: {_e(_fmt(n.get('community_vs_groups_nmi')))}; "
        f"{_e(t['articulation'])}: {_e(', '.join(name(a) for a in n.get('articulation_points', [])))}</p>")
    add(f"<h3 id='changes'>{_e(t['changes'])}</h3>")
    add(_changes_html(report))
    add(f"<h2 id='heatmap'>{_e(t['heatmap'])}</h2><p class='note'>{_e(t['heatmap_note'])}</p>")
    add(f"<div class='chart' id='heatmap-chart'>{charts.svg_inline(charts.heatmap(report, 'svg'))}</div>")
    add(f"<h2 id='alignment'>{_e(t['alignment'])}</h2><p class='note'>{_e(t['alignment_note'])}</p>")
    a = report.alignment
    add("<table class='alignment'><tr><th>" + _e(t["element"]) + "</th>" + "".join(f"<th>{_e(name(s))}</th>" for s in a["sectors"]) + "</tr>")
    for element in a["elements"]:
        cells = "".join("<td>" + _e(", ".join(name(i) for i in a["cells"].get((element["id"], s), []))) + "</td>" for s in a["sectors"])
        add(f"<tr><td>{_e(name(element['id']))}</td>{cells}</tr>")
    add("</table>")
    add(f"<h2 id='findings'>{_e(t['findings'])}</h2>")
    for rule, items in _grouped(report):
        add(f"<h3>{_e(report.rule_names.get(rule, rule))} ({len(items)})</h3>")
        for f in items:
            add(f"<div class='finding' data-id='{_e(f['id'])}'><span class='badge {_e(f['severity'])}'>{_e(t[f['severity']])}</span> "
                f"<span class='id'>{_e(f['id'])}</span><div><strong>{_e(f['display_title'])}</strong></div>")
            add(f"<div><em>{_e(t['entities'])}:</em> {_e(', '.join(name(e) for e in f['entities'][:12]))}"
                f"{' …' if len(f['entities']) > 12 else ''}</div>")
            add(f"<div><em>{_e(t['evidence'])}:</em><pre>{_e(json.dumps(f['evidence'], ensure_ascii=False, indent=1)[:1500])}</pre></div>")
            add(f"<div><em>{_e(t['action'])}:</em> {_e(f['display_action'])}</div>")
            if f.get("display_caveat"):
                add(f"<div class='caveat'><em>{_e(t['caveat'])}:</em> {_e(f['display_caveat'])}</div>")
            add(f"<div><em>{_e(t['sources'])} ({len(f['sources'])}):</em><ul>"
                + "".join(f"<li>{_source_html(s)}</li>" for s in f["sources"][:12]) + "</ul></div></div>")
    add(f"<h2 id='questions'>{_e(t['questions'])} ({len(report.questions)})</h2><p class='note'>{_e(t['questions_note'])}</p>")
    for q in report.questions:
        add(f"<div class='finding question' data-id='{_e(q['id'])}'><span class='id'>{_e(q['id'])}</span> "
            f"<span class='note'>{_e(report.rule_names.get(q['rule'], q['rule']))}</span>"
            f"<div><strong>{_e(q['display_title'])}</strong></div>")
        add(f"<div><em>{_e(t['to_settle'])}:</em><ul>" + "".join(f"<li>{_e(x)}</li>" for x in q["display_to_settle"][:6])
            + "</ul></div>")
        if q.get("ask"):
            add(f"<div><em>{_e(t['ask'])}:</em> {_e(', '.join(name(a) for a in q['ask'][:6]))}</div>")
        add(f"<div><em>{_e(t['sources'])} ({len(q['sources'])}):</em><ul>"
            + "".join(f"<li>{_source_html(s)}</li>" for s in q["sources"][:8]) + "</ul></div></div>")
    add(f"<h2 id='metrics'>{_e(t['metrics'])}</h2><ul class='note'>")
    for key in ("metrics_betweenness", "metrics_constraint", "metrics_effective", "metrics_ei", "metrics_brokerage"):
        add(f"<li>{_e(t[key])}</li>")
    add("</ul>")
    add(f"<table class='brokers'><tr><th>{_e(t['agent'])}</th><th>{_e(t['betweenness'])}</th><th>{_e(t['constraint'])}</th>"
        f"<th>{_e(t['effective_size'])}</th><th>{_e(t['brokerage'])}</th></tr>")
    for row in report.metrics["top_brokers"]:
        add(f"<tr><td>{_e(name(row['agent']))}</td><td class='num'>{_e(_fmt(row['betweenness']))}</td>"
            f"<td class='num'>{_e(_fmt(row['constraint']))}</td><td class='num'>{_e(_fmt(row['effective_size']))}</td>"
            f"<td class='num'>{_e(_fmt(row['brokerage']))}</td></tr>")
    add("</table>")
    add(f"<h3>{_e(t['ei_by_group'])}</h3><table class='ei'><tr><th>{_e(t['group'])}</th><th>{_e(t['ei'])}</th></tr>")
    for group, value in report.metrics["ei_by_group"].items():
        add(f"<tr><td>{_e(name(group))}</td><td class='num'>{_e(_fmt(value))}</td></tr>")
    add("</table>")
    add(f"<h2 id='completeness'>{_e(t['completeness'])}</h2><p class='note'>{_e(t['completeness_note'])}</p>")
    add(f"<table><tr><th>{_e(t['indicator'])}</th><th>{_e(t['value'])}</th></tr>")
    for key, value in report.completeness:
        add(f"<tr><td>{_e(key)}</td><td class='num'>{_e(value)}</td></tr>")
    add("</table>")
    add(f"<h2 id='method'>{_e(t['method'])}</h2><h3>{_e(t['rules'])}</h3><table>")
    for rule, text in report.method["rules"].items():
        add(f"<tr><td>{_e(report.rule_names.get(rule, rule))}</td><td>{_e(text)}</td></tr>")
    add(f"</table><h3>{_e(t['definitions'])}</h3><table>")
    for metric, text in report.method["metrics"]:
        add(f"<tr><td>{_e(metric)}</td><td>{_e(text)}</td></tr>")
    add("</table>")
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    return (f"<!DOCTYPE html>\n<html lang='{'zh-Hans' if report.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{_e(t['title'])}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")


def _changes_html(report: ReportData) -> str:
    t, c = report.text, report.changes
    if c is None:
        return f"<p class='note' id='no-baseline'>{_e(t['no_baseline'])}</p>"
    if c["nothing"]:
        return f"<p id='no-changes'>{_e(t['baseline'])}: {_e(c['baseline'])}. {_e(t['no_changes'])}</p>"
    rows = [f"<tr class='{key}'><td>{_e(t[key])}</td><td class='num'>{count}</td><td>{_e(shown)}</td></tr>"
            for key, count, shown in _changes(report)]
    return f"<p>{_e(t['baseline'])}: {_e(c['baseline'])}</p><table class='changes'>" + "".join(rows) + "</table>"


# ------------------------------------------------------------------------------------ markdown
# Names, titles and sources come from the data, which anyone may have written. In Markdown they
# become text and nothing else: HTML is escaped as entities (a renderer passes raw HTML through),
# the characters that open links, images, emphasis or code are backslash-escaped, so no
# [x](javascript:…) link and no remote ![image](…) can form; links are ours, http(s) only.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~])")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def _md(text) -> str:
    text = str(text if text is not None else "")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


def _md_code(text) -> str:
    """A code span that holds any text: fenced by more backticks than any run inside it."""
    text = " ".join(str(text).splitlines())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def _md_source(source: str) -> str:
    return f"<{source}>" if _SAFE_URL.match(source) else _md_code(source)


def render_markdown(report: ReportData) -> str:
    t, name = report.text, report.name
    lines = [f"# {t['title']}", "", f"*{t['subtitle']}* — {t['generated']}: {report.today}", "", f"## {t['summary']}", "",
             f"| {t['severity']} | {t['count']} |", "|---|---:|"]
    lines += [f"| {t[s]} | {report.summary['by_severity'].get(s, 0)} |" for s in SEVERITY_ORDER]
    lines += [f"| **{t['total']}** | **{report.summary['findings']}** |", "",
              f"{t['questions_count']}: {report.summary.get('questions', 0)}", "", f"| {t['rule']} | {t['count']} |", "|---|---:|"]
    lines += [f"| {_md(report.rule_names.get(r, r))} | {c} |" for r, c in report.summary["by_rule"].items()]
    lines += ["", f"### {t['changes']}", ""]
    c = report.changes
    if c is None:
        lines.append(t["no_baseline"])
    elif c["nothing"]:
        lines.append(f"{t['baseline']}: {_md_code(c['baseline'])}. {t['no_changes']}")
    else:
        lines += [f"{t['baseline']}: {_md_code(c['baseline'])}", ""]
        lines += [f"- **{t[key]}** ({count}): {_md(shown)}" for key, count, shown in _changes(report)]
    h = report.heatmap
    lines += ["", f"## {t['heatmap']}", "", t["heatmap_note"], "",
              "| | " + " | ".join(_md(name(s)) for s in h["sectors"]) + " |", "|---|" + "---:|" * len(h["sectors"])]
    for topic in h["topics"]:
        mark = "◆ " if topic in h["overlaps"] else ""
        lines.append(f"| {mark}{_md(name(topic))} | " + " | ".join(str(h["cells"].get((s, topic), "")) for s in h["sectors"]) + " |")
    a = report.alignment
    lines += ["", f"## {t['alignment']}", "", t["alignment_note"], "",
              f"| {t['element']} | " + " | ".join(_md(name(s)) for s in a["sectors"]) + " |", "|---|" + "---|" * len(a["sectors"])]
    for element in a["elements"]:
        lines.append(f"| {_md(name(element['id']))} | " + " | ".join(
            _md(", ".join(name(i) for i in a["cells"].get((element["id"], s), []))) for s in a["sectors"]) + " |")
    lines += ["", f"## {t['findings']}"]
    for rule, items in _grouped(report):
        lines += ["", f"### {_md(report.rule_names.get(rule, rule))} ({len(items)})"]
        for f in items:
            lines += ["", f"**{_md(f['id'])}** · {t[f['severity']]} · {_md(f['display_title'])}", "",
                      f"- {t['entities']}: {_md(', '.join(name(e) for e in f['entities'][:12]))}",
                      f"- {t['evidence']}: {_md_code(json.dumps(f['evidence'], ensure_ascii=False)[:400])}",
                      f"- {t['action']}: {_md(f['display_action'])}"]
            if f.get("display_caveat"):
                lines.append(f"- {t['caveat']}: {_md(f['display_caveat'])}")
            lines.append(f"- {t['sources']}: " + ", ".join(_md_source(s) for s in f["sources"][:8]))
    lines += ["", f"## {t['questions']} ({len(report.questions)})", "", t["questions_note"]]
    for q in report.questions:
        lines += ["", f"**{q['id']}** · {_md(report.rule_names.get(q['rule'], q['rule']))} · {_md(q['display_title'])}", ""]
        lines += [f"- {t['to_settle']}: {_md(x)}" for x in q["display_to_settle"][:6]]
        if q.get("ask"):
            lines.append(f"- {t['ask']}: {_md(', '.join(name(a) for a in q['ask'][:6]))}")
    lines += ["", f"## {t['metrics']}", ""] + [f"- {t[k]}" for k in ("metrics_betweenness", "metrics_constraint",
                                                                      "metrics_effective", "metrics_ei", "metrics_brokerage")]
    lines += ["", f"| {t['agent']} | {t['betweenness']} | {t['constraint']} | {t['effective_size']} | {t['brokerage']} |",
              "|---|---:|---:|---:|---:|"]
    lines += [f"| {_md(name(r['agent']))} | {_fmt(r['betweenness'])} | {_fmt(r['constraint'])} | {_fmt(r['effective_size'])} | "
              f"{_fmt(r['brokerage'])} |" for r in report.metrics["top_brokers"]]
    lines += ["", f"| {t['group']} | {t['ei']} |", "|---|---:|"]
    lines += [f"| {_md(name(g))} | {_fmt(v)} |" for g, v in report.metrics["ei_by_group"].items()]
    lines += ["", f"## {t['completeness']}", "", t["completeness_note"], "", f"| {t['indicator']} | {t['value']} |", "|---|---:|"]
    lines += [f"| {_md(k)} | {_md(v)} |" for k, v in report.completeness]
    lines += ["", f"## {t['method']}", "", f"### {t['rules']}", ""]
    lines += [f"- **{report.rule_names.get(r, r)}**: {text}" for r, text in report.method["rules"].items()]
    lines += ["", f"### {t['definitions']}", ""] + [f"- **{m}**: {text}" for m, text in report.method["metrics"]]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ docx
def render_docx(report: ReportData) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    t, name = report.text, report.name
    doc = Document()
    for style_name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[style_name]
        style.font.name = "Calibri"
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Microsoft YaHei")
    doc.styles["Normal"].font.size = Pt(10)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    doc.add_heading(t["title"], level=0)
    doc.add_paragraph(f"{t['subtitle']} — {t['generated']}: {report.today}")
    doc.add_heading(t["summary"], level=1)
    table = doc.add_table(rows=1, cols=2, style="Light Grid Accent 1")
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = t["severity"], t["count"]
    for sev in SEVERITY_ORDER:
        row = table.add_row().cells
        row[0].text, row[1].text = t[sev], str(report.summary["by_severity"].get(sev, 0))
    row = table.add_row().cells
    row[0].text, row[1].text = t["total"], str(report.summary["findings"])
    doc.add_paragraph(f"{t['questions_count']}: {report.summary.get('questions', 0)}")
    doc.add_picture(io.BytesIO(charts.findings_by_rule(report, "png")), width=Cm(16))
    doc.add_heading(t["changes"], level=2)
    c = report.changes
    if c is None:
        doc.add_paragraph(t["no_baseline"])
    elif c["nothing"]:
        doc.add_paragraph(f"{t['baseline']}: {c['baseline']}. {t['no_changes']}")
    else:
        for key, count, shown in _changes(report):
            doc.add_paragraph(f"{t[key]} ({count}): {shown}", style="List Bullet")
    doc.add_heading(t["heatmap"], level=1)
    doc.add_paragraph(t["heatmap_note"])
    doc.add_picture(io.BytesIO(charts.heatmap(report, "png")), width=Cm(17))
    doc.add_heading(t["alignment"], level=1)
    a = report.alignment
    table = doc.add_table(rows=1, cols=1 + len(a["sectors"]), style="Light Grid Accent 1")
    table.rows[0].cells[0].text = t["element"]
    for i, s in enumerate(a["sectors"]):
        table.rows[0].cells[i + 1].text = name(s)
    for element in a["elements"]:
        cells = table.add_row().cells
        cells[0].text = name(element["id"])
        for i, s in enumerate(a["sectors"]):
            cells[i + 1].text = ", ".join(name(x) for x in a["cells"].get((element["id"], s), []))
    doc.add_heading(t["findings"], level=1)
    table = doc.add_table(rows=1, cols=4, style="Light Grid Accent 1")
    for cell, text in zip(table.rows[0].cells, ("ID", t["severity"], t["rule"], t["findings"])):
        cell.text = text
    for f in report.findings:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = f["id"], t[f["severity"]]
        cells[2].text, cells[3].text = report.rule_names.get(f["rule"], f["rule"]), f["display_title"]
    for rule, items in _grouped(report):
        doc.add_heading(f"{report.rule_names.get(rule, rule)} ({len(items)})", level=2)
        for f in items:
            doc.add_paragraph(f"{f['id']} · {t[f['severity']]} · {f['display_title']}", style="List Bullet")
            doc.add_paragraph(f"{t['action']}: {f['display_action']}")
            if f.get("display_caveat"):
                doc.add_paragraph(f"{t['caveat']}: {f['display_caveat']}")
            doc.add_paragraph(f"{t['sources']}: " + "; ".join(f["sources"][:8]))
    doc.add_heading(t["questions"], level=1)
    doc.add_paragraph(t["questions_note"])
    for q in report.questions:
        doc.add_paragraph(f"{q['id']} · {report.rule_names.get(q['rule'], q['rule'])} · {q['display_title']}", style="List Bullet")
        doc.add_paragraph(f"{t['to_settle']}: " + "; ".join(q["display_to_settle"][:6]))
        if q.get("ask"):
            doc.add_paragraph(f"{t['ask']}: " + ", ".join(name(a) for a in q["ask"][:6]))
    doc.add_heading(t["metrics"], level=1)
    for key in ("metrics_betweenness", "metrics_constraint", "metrics_effective", "metrics_ei", "metrics_brokerage"):
        doc.add_paragraph(t[key], style="List Bullet")
    table = doc.add_table(rows=1, cols=5, style="Light Grid Accent 1")
    for cell, text in zip(table.rows[0].cells, (t["agent"], t["betweenness"], t["constraint"], t["effective_size"], t["brokerage"])):
        cell.text = text
    for r in report.metrics["top_brokers"]:
        cells = table.add_row().cells
        for cell, value in zip(cells, (name(r["agent"]), _fmt(r["betweenness"]), _fmt(r["constraint"]),
                                       _fmt(r["effective_size"]), _fmt(r["brokerage"]))):
            cell.text = value
    doc.add_heading(t["completeness"], level=1)
    table = doc.add_table(rows=1, cols=2, style="Light Grid Accent 1")
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = t["indicator"], t["value"]
    for key, value in report.completeness:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
    doc.add_heading(t["method"], level=1)
    doc.add_heading(t["rules"], level=2)
    for rule, text in report.method["rules"].items():
        doc.add_paragraph(f"{report.rule_names.get(rule, rule)}: {text}", style="List Bullet")
    doc.add_heading(t["definitions"], level=2)
    for metric, text in report.method["metrics"]:
        doc.add_paragraph(f"{metric}: {text}", style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render_report(report: ReportData, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "md":
        return render_markdown(report).encode("utf-8")
    if fmt == "json":
        return json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str).encode("utf-8")
    if fmt == "docx":
        return render_docx(report)
    raise ParameterError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write_report(report: ReportData, path: Path, fmt: str) -> Path:
    return write_atomic(Path(path), render_report(report, fmt))
