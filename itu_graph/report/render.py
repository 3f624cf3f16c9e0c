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
from .sentences import join

FORMATS = ("html", "md", "json", "docx")
SEVERITY_ORDER = ("high", "medium", "low")


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


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


# ------------------------------------------------------------------------------------ html
CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #1d2733;
       max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; font-size: 10.5pt; line-height: 1.45;
       overflow-wrap: anywhere; }
h1 { font-size: 20pt; margin: 0; } h2 { font-size: 14pt; border-bottom: 2px solid #1f4e79; padding-bottom: 2px; margin-top: 22px; }
h3 { font-size: 12pt; margin: 16px 0 6px; } .subtitle { color: #555; margin: 2px 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 9pt; table-layout: auto; }
th, td { border: 1px solid #ccd4dc; padding: 3px 5px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #eef3f8; } td.num, th.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: white; font-size: 8.5pt; }
.high { background: #c0392b; } .medium { background: #e67e22; } .low { background: #7f8c8d; }
.triage { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 8.5pt; border: 1px solid #1f4e79; color: #1f4e79; }
.triage.reopened { border-color: #c0392b; color: #c0392b; }
#executive { border: 2px solid #1f4e79; padding: 4mm 5mm; margin: 8px 0 12px; }
#executive h2 { margin-top: 0; } #executive ol { padding-left: 20px; } #executive li { margin: 0 0 6px; }
#executive .action { margin: 1px 0 0; } #executive table { width: auto; min-width: 50%; }
.finding { border: 1px solid #dde3ea; border-left: 4px solid #1f4e79; padding: 6px 9px; margin: 8px 0; break-inside: avoid; }
.finding.question { border-left-color: #95a5a6; }
.finding p { margin: 3px 0; } .finding table { font-size: 8.5pt; margin: 4px 0; }
.finding ul { margin: 2px 0 2px 18px; padding: 0; }
.ref { font-size: 8pt; color: #5b6672; } .ref code { font-size: 8pt; }
.refs a, .cite { text-decoration: none; }
pre, code { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 8pt; background: #f6f8fa; padding: 4px; margin: 2px 0; }
.chart svg { max-width: 100%; height: auto; display: block; margin: 0 auto; } .note { color: #555; font-size: 9pt; }
.caveat { color: #7a5b00; font-size: 9pt; }
ol.bibliography { padding-left: 28px; font-size: 9pt; } ol.bibliography li { margin-bottom: 2px; }
@media print {
  .finding, tr { break-inside: avoid; } h2, h3 { break-after: avoid; } a { color: inherit; }
  #executive { break-after: page; } body { max-width: none; padding: 0; }
}
"""


def _names_list(names: list[str], lang: str, limit: int = 6) -> str:
    return join(names, lang, limit)


def _cites_html(numbers: list[int]) -> str:
    return " ".join(f"<a class='cite' href='#src-{n}'>[{n}]</a>" for n in numbers)


def _table_html(table: dict | None, cls: str = "names") -> str:
    if not table:
        return ""
    head = "".join(f"<th>{_e(h)}</th>" for h in table["headers"])
    rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in table["rows"])
    return f"<table class='{cls}'><tr>{head}</tr>{rows}</table>"


def _finding_html(report: ReportData, f: dict, question: bool) -> str:
    t, lang = report.text, report.lang
    out = [f"<div class='finding{' question' if question else ''}' data-id='{_e(f['id'])}' id='f-{_e(f['id'])}'>"]
    head = f"<span class='badge {_e(f['severity'])}'>{_e(t[f['severity']])}</span> "
    if f.get("display_triage"):
        tri = f["display_triage"]
        head += f"<span class='triage {_e(tri['status'].replace(' ', '-'))}'>{_e(t['triage'])}: {_e(tri['text'])}</span> "
    out.append(f"<p>{head}<strong class='title'>{_e(f['display_title'])}</strong></p>")
    if f["display_evidence"]:
        out.append("<p class='evidence'>" + " ".join(f"<span class='evidence-sentence'>{_e(x)}</span>" for x in f["display_evidence"])
                   + "</p>")
    out.append(_table_html(f.get("evidence_table")))
    if f.get("display_statements"):
        out.append(f"<p class='rests'><em>{_e(t['rests_on'])}</em> " + ("；" if lang == "zh" else "; ").join(
            f"{_e(s['text'])} {_cites_html(s['refs'])}" for s in f["display_statements"]) + ("。" if lang == "zh" else ".") + "</p>")
    if question and f.get("display_to_settle"):
        out.append(f"<div><em>{_e(t['to_settle'])}:</em><ul>" + "".join(f"<li>{_e(x)}</li>" for x in f["display_to_settle"][:6])
                   + "</ul></div>")
    if question:
        if f.get("checked_refs"):
            out.append(f"<p class='checked'><em>{_e(t['checked'])}:</em> {_cites_html(f['checked_refs'])}</p>")
        if f.get("display_ask"):
            out.append(f"<p><em>{_e(t['ask'])}:</em> {_e(_names_list(f['display_ask'], lang))}</p>")
    out.append(f"<p><em>{_e(t['action'])}:</em> {_e(f['display_action'])}"
               + (f" <em>{_e(t['owner'])}:</em> {_e(_names_list(f['display_owner'], lang))}" if f.get("display_owner") and not question else "")
               + "</p>")
    if f.get("display_triage", {}).get("reason"):
        out.append(f"<p class='note'>{_e(f['display_triage']['reason'])}</p>")
    if f.get("display_caveat"):
        out.append(f"<p class='caveat'><em>{_e(t['caveat'])}:</em> {_e(f['display_caveat'])}</p>")
    if f.get("refs"):
        out.append(f"<p class='refs'><em>{_e(t['sources'])}:</em> {_cites_html(f['refs'])}</p>")
    ref = f"{_e(t['reference'])}: {_e(f['id'])} · {_e(report.rule_names.get(f['rule'], f['rule']))}"
    if f.get("query_ref"):
        ref += (f" · <a href='#q-{f['query_ref']}'>{_e(t['query'])} Q{f['query_ref']}</a>"
                f" <code class='params'>{_e(f['display_params'])}</code>")
    out.append(f"<p class='ref'>{ref}</p></div>")
    return "".join(out)


def _executive_html(report: ReportData) -> str:
    t, lang, ex = report.text, report.lang, report.executive
    by_id = {f["id"]: f for f in report.findings + report.questions}
    out = [f"<section id='executive'><h2>{_e(t['executive'])}</h2>"]
    if ex["kind"] == "gaps":
        out.append(f"<p>{_e(t['exec_gaps'].format(n=report.summary['findings']))}</p><ol class='decisions'>")
        for i in ex["items"]:
            f = by_id[i]
            out.append(f"<li><span class='badge {_e(f['severity'])}'>{_e(t[f['severity']])}</span> <strong>{_e(f['display_title'])}</strong>"
                       + (f" <span class='triage'>{_e(f['display_triage']['text'])}</span>" if f.get("display_triage") else "")
                       + f"<p class='action'><em>{_e(t['action'])}:</em> {_e(f['display_action'])} "
                       f"<em>{_e(t['owner'])}:</em> {_e(_names_list(f['display_owner'], lang))}</p></li>")
        out.append("</ol>")
    elif ex["kind"] == "questions":
        out.append(f"<p id='no-gaps'>{_e(t['exec_no_gaps'].format(n=report.summary.get('questions', 0)))}</p><ol class='decisions'>")
        for i in ex["items"]:
            f = by_id[i]
            out.append(f"<li><strong>{_e(f['display_title'])}</strong>"
                       f"<p class='action'><em>{_e(t['ask'])}:</em> {_e(_names_list(f['display_ask'], lang))}</p></li>")
        out.append("</ol>")
    else:
        out.append(f"<p>{_e(t['exec_no_findings'])}</p>")
    out.append(f"<table class='by-severity'><tr><th>{_e(t['gaps_by_severity'])}</th><th class='num'>{_e(t['count'])}</th></tr>")
    for sev in SEVERITY_ORDER:
        out.append(f"<tr><td><span class='badge {sev}'>{_e(t[sev])}</span></td>"
                   f"<td class='num'>{report.summary['by_severity'].get(sev, 0)}</td></tr>")
    out.append(f"<tr><th>{_e(t['total'])}</th><th class='num' id='total-findings'>{report.summary['findings']}</th></tr></table>")
    out.append(f"<p id='questions-count'>{_e(t['questions_count'])}: {report.summary.get('questions', 0)}</p>")
    if ex.get("triage"):
        out.append(f"<p>{_e(t['triage_counts'])}: " + ", ".join(f"{_e(t.get('triage_' + k, k))} {v}" for k, v in ex["triage"].items())
                   + "</p>")
    out.append("</section>")
    return "".join(out)


def render_html(report: ReportData) -> str:
    t, name = report.text, report.name
    out = []
    add = out.append
    add(f"<header><h1>{_e(t['title'])}</h1><p class='subtitle'>{_e(t['subtitle'])}</p>"
        f"<p class='note'>{_e(t['generated'])}: {_e(report.today)}</p></header>")
    add(_executive_html(report))
    add(f"<h2 id='summary'>{_e(t['summary'])}</h2>")
    add(f"<table class='by-rule'><tr><th>{_e(t['rule'])}</th><th class='num'>{_e(t['gaps_word'])}</th>"
        f"<th class='num'>{_e(t['questions'])}</th></tr>")
    for rule in sorted(set(report.summary["by_rule"]) | set(report.summary.get("questions_by_rule", {})),
                       key=lambda r: report.rule_names.get(r, r)):
        add(f"<tr><td>{_e(report.rule_names.get(rule, rule))}</td><td class='num'>{report.summary['by_rule'].get(rule, 0)}</td>"
            f"<td class='num'>{report.summary.get('questions_by_rule', {}).get(rule, 0)}</td></tr>")
    add("</table>")
    add(f"<div class='chart' id='findings-chart'>{charts.svg_inline(charts.findings_by_rule(report, 'svg'))}</div>")
    add(f"<p class='note'>{_e(t['findings_chart_note'])}</p>")
    add(f"<h3 id='changes'>{_e(t['changes'])}</h3>")
    add(_changes_html(report))
    add(f"<h2 id='findings'>{_e(t['findings_by_theme'])}</h2><p class='note'>{_e(t['findings_note'])}</p>")
    if not report.findings:
        add(f"<p>{_e(t['no_findings'])}</p>")
    for _theme, heading, items in report.themes:
        add(f"<h3 class='theme'>{_e(heading)} ({len(items)})</h3>")
        add("".join(_finding_html(report, f, question=False) for f in items))
    add(f"<h2 id='questions'>{_e(t['questions'])} ({len(report.questions)})</h2>"
        f"<p class='note'>{_e(t['questions_note'])} {_e(t['questions_by_theme'])}</p>")
    for _theme, heading, items in report.question_themes:
        add(f"<h3 class='theme'>{_e(heading)} ({len(items)})</h3>")
        add("".join(_finding_html(report, f, question=True) for f in items))
    add(f"<h2 id='heatmap'>{_e(t['heatmap'])}</h2><p class='note'>{_e(t['heatmap_note'])}</p>")
    add(f"<div class='chart' id='heatmap-chart'>{charts.svg_inline(charts.heatmap(report, 'svg'))}</div>")
    add(f"<h2 id='alignment'>{_e(t['alignment'])}</h2><p class='note'>{_e(t['alignment_note'])}</p>")
    a = report.alignment
    add("<table class='alignment'><tr><th>" + _e(t["element"]) + "</th>" + "".join(f"<th>{_e(report.short(s))}</th>" for s in a["sectors"]) + "</tr>")
    for element in a["elements"]:
        cells = "".join("<td>" + _e(", ".join(name(i) for i in a["cells"].get((element["id"], s), []))) + "</td>" for s in a["sectors"])
        add(f"<tr><td>{_e(name(element['id']))}</td>{cells}</tr>")
    add("</table>")
    g = report.network_graph
    add(f"<h2 id='network'>{_e(t['network_figure'])}</h2>"
        f"<p class='note'>{_e(t['network_figure_note'].format(isolated=g.get('isolated', 0)))}</p>")
    add(f"<div class='chart' id='network-figure'>{charts.svg_inline(charts.network(report, 'svg'))}</div>")
    n = report.network
    add(f"<p class='note'>{_e(t['network'])}: {n.get('agents', 0)} {_e(t['agents'])}, {n.get('ties', 0)} {_e(t['ties'])}, "
        f"{n.get('communities', 0)} {_e(t['communities'])}; {_e(t['nmi'])}: {_e(_fmt(n.get('community_vs_groups_nmi')))}; "
        f"{_e(t['articulation'])}: {_e(', '.join(name(a) for a in n.get('articulation_points', [])))}</p>")
    add(f"<h3 id='metrics'>{_e(t['metrics'])}</h3><ul class='note'>")
    for key in ("metrics_betweenness", "metrics_constraint", "metrics_effective", "metrics_ei", "metrics_brokerage"):
        add(f"<li>{_e(t[key])}</li>")
    add("</ul>")
    add(f"<table class='brokers'><tr><th>{_e(t['agent'])}</th><th class='num'>{_e(t['betweenness'])}</th>"
        f"<th class='num'>{_e(t['constraint'])}</th><th class='num'>{_e(t['effective_size'])}</th>"
        f"<th class='num'>{_e(t['brokerage'])}</th></tr>")
    for row in report.metrics["top_brokers"]:
        add(f"<tr><td>{_e(name(row['agent']))}</td><td class='num'>{_e(_fmt(row['betweenness']))}</td>"
            f"<td class='num'>{_e(_fmt(row['constraint']))}</td><td class='num'>{_e(_fmt(row['effective_size']))}</td>"
            f"<td class='num'>{_e(_fmt(row['brokerage']))}</td></tr>")
    add("</table>")
    add(f"<h3>{_e(t['ei_by_group'])}</h3><table class='ei'><tr><th>{_e(t['group'])}</th><th class='num'>{_e(t['ei'])}</th></tr>")
    for group, value in report.metrics["ei_by_group"].items():
        add(f"<tr><td>{_e(name(group))}</td><td class='num'>{_e(_fmt(value))}</td></tr>")
    add("</table>")
    add(f"<h2 id='completeness'>{_e(t['completeness'])}</h2><p class='note'>{_e(t['completeness_note'])}</p>")
    add(f"<table><tr><th>{_e(t['indicator'])}</th><th class='num'>{_e(t['value'])}</th></tr>")
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
    add(f"<h2 id='sources'>{_e(t['bibliography'])}</h2><p class='note'>{_e(t['bibliography_note'])}</p><ol class='bibliography'>")
    for ref in report.bibliography:
        add(f"<li id='src-{ref['number']}' value='{ref['number']}'>{_reference_html(ref, t)}</li>")
    add("</ol>")
    add(f"<h2 id='analysts'>{_e(t['analysts'])}</h2><p class='note'>{_e(t['analysts_note'])}</p>")
    for q in report.queries:
        rules = ", ".join(report.rule_names.get(r, r) for r in q["rules"])
        add(f"<h3 id='q-{q['number']}'>Q{q['number']} · {_e(rules)}</h3><pre class='cypher'>{_e(q['cypher'])}</pre>")
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    return (f"<!DOCTYPE html>\n<html lang='{'zh-Hans' if report.lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{_e(t['title'])}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")


def _reference_text(ref: dict, t: dict) -> str:
    """Title, symbol, date and site of a reference, as plain text."""
    parts = [ref["title"]]
    if ref.get("symbol"):
        parts.append(ref["symbol"])
    if ref.get("date"):
        parts.append(ref["date"])
    if ref.get("site") and ref["site"] not in ref["title"]:
        parts.append(f"{t['site']}: {ref['site']}")
    return ", ".join(parts)


def _reference_html(ref: dict, t: dict) -> str:
    text = f"<span class='source-title'>{_e(ref['title'])}</span>"
    rest = _reference_text(ref, t)[len(ref["title"]):]
    link = ref.get("link")
    if link and _SAFE_URL.match(link):
        return f"{text}{_e(rest)}. <a href=\"{_e(link)}\" rel=\"noreferrer noopener\">{_e(link)}</a>"
    return f"{text}{_e(rest)}."


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


def _md_finding(report: ReportData, f: dict, question: bool) -> list[str]:
    t, lang = report.text, report.lang
    cite = lambda numbers: " ".join(f"\\[{n}\\]" for n in numbers)  # noqa: E731
    head = f"**{_md(f['id'])}** · {t[f['severity']]} · {_md(f['display_title'])}"
    if f.get("display_triage"):
        head += f" · *{_md(t['triage'])}: {_md(f['display_triage']['text'])}*"
    lines = ["", head, ""]
    if f["display_evidence"]:
        lines.append(f"- {t['evidence']}: " + " ".join(_md(x) for x in f["display_evidence"]))
    table = f.get("evidence_table")
    if table:
        lines += ["", "  | " + " | ".join(_md(h) for h in table["headers"]) + " |", "  |" + "---|" * len(table["headers"])]
        lines += ["  | " + " | ".join(_md(c) for c in row) + " |" for row in table["rows"]]
        lines.append("")
    if f.get("display_statements"):
        lines.append(f"- {t['rests_on']} " + ("；" if lang == "zh" else "; ").join(
            f"{_md(s['text'])} {cite(s['refs'])}" for s in f["display_statements"]))
    if question:
        lines += [f"- {t['to_settle']}: {_md(x)}" for x in f["display_to_settle"][:6]]
        if f.get("checked_refs"):
            lines.append(f"- {t['checked']}: {cite(f['checked_refs'])}")
        if f.get("display_ask"):
            lines.append(f"- {t['ask']}: {_md(join(f['display_ask'], lang, 6))}")
    lines.append(f"- {t['action']}: {_md(f['display_action'])}")
    if f.get("display_owner") and not question:
        lines.append(f"- {t['owner']}: {_md(join(f['display_owner'], lang, 6))}")
    if f.get("display_caveat"):
        lines.append(f"- {t['caveat']}: {_md(f['display_caveat'])}")
    if f.get("refs"):
        lines.append(f"- {t['sources']}: {cite(f['refs'])}")
    if f.get("query_ref"):
        lines.append(f"- {t['reference']}: {_md(report.rule_names.get(f['rule'], f['rule']))} · {t['query']} Q{f['query_ref']} "
                     f"{_md_code(f['display_params'])}")
    return lines


def render_markdown(report: ReportData) -> str:
    t, name, lang = report.text, report.name, report.lang
    by_id = {f["id"]: f for f in report.findings + report.questions}
    ex = report.executive
    lines = [f"# {t['title']}", "", f"*{t['subtitle']}* — {t['generated']}: {report.today}", "", f"## {t['executive']}", ""]
    if ex["kind"] == "gaps":
        lines += [t["exec_gaps"].format(n=report.summary["findings"]), ""]
        for k, i in enumerate(ex["items"], start=1):
            f = by_id[i]
            lines.append(f"{k}. **{_md(f['display_title'])}** ({t[f['severity']]}) — {t['action']}: {_md(f['display_action'])} "
                         f"{t['owner']}: {_md(join(f['display_owner'], lang, 6))}")
    elif ex["kind"] == "questions":
        lines += [t["exec_no_gaps"].format(n=report.summary.get("questions", 0)), ""]
        for k, i in enumerate(ex["items"], start=1):
            f = by_id[i]
            lines.append(f"{k}. **{_md(f['display_title'])}** — {t['ask']}: {_md(join(f['display_ask'], lang, 6))}")
    else:
        lines.append(t["exec_no_findings"])
    lines += ["", f"| {t['gaps_by_severity']} | {t['count']} |", "|---|---:|"]
    lines += [f"| {t[s]} | {report.summary['by_severity'].get(s, 0)} |" for s in SEVERITY_ORDER]
    lines += [f"| **{t['total']}** | **{report.summary['findings']}** |", "",
              f"{t['questions_count']}: {report.summary.get('questions', 0)}"]
    if ex.get("triage"):
        lines += ["", f"{t['triage_counts']}: " + ", ".join(f"{t.get('triage_' + k, k)} {v}" for k, v in ex["triage"].items())]
    lines += ["", f"## {t['summary']}", "", f"| {t['rule']} | {t['gaps_word']} | {t['questions']} |", "|---|---:|---:|"]
    for rule in sorted(set(report.summary["by_rule"]) | set(report.summary.get("questions_by_rule", {})),
                       key=lambda r: report.rule_names.get(r, r)):
        lines.append(f"| {_md(report.rule_names.get(rule, rule))} | {report.summary['by_rule'].get(rule, 0)} | "
                     f"{report.summary.get('questions_by_rule', {}).get(rule, 0)} |")
    lines += ["", f"### {t['changes']}", ""]
    c = report.changes
    if c is None:
        lines.append(t["no_baseline"])
    elif c["nothing"]:
        lines.append(f"{t['baseline']}: {_md_code(c['baseline'])}. {t['no_changes']}")
    else:
        lines += [f"{t['baseline']}: {_md_code(c['baseline'])}", ""]
        lines += [f"- **{t[key]}** ({count}): {_md(shown)}" for key, count, shown in _changes(report)]
    lines += ["", f"## {t['findings_by_theme']}", "", t["findings_note"]]
    if not report.findings:
        lines += ["", t["no_findings"]]
    for _theme, heading, items in report.themes:
        lines += ["", f"### {_md(heading)} ({len(items)})"]
        for f in items:
            lines += _md_finding(report, f, question=False)
    lines += ["", f"## {t['questions']} ({len(report.questions)})", "", f"{t['questions_note']} {t['questions_by_theme']}"]
    for _theme, heading, items in report.question_themes:
        lines += ["", f"### {_md(heading)} ({len(items)})"]
        for f in items:
            lines += _md_finding(report, f, question=True)
    h = report.heatmap
    topics = [x for x in h["topics"] if any(h["cells"].get((s, x), 0) for s in h["sectors"])]
    lines += ["", f"## {t['heatmap']}", "", t["heatmap_note"], "",
              "| | " + " | ".join(_md(report.short(s)) for s in h["sectors"]) + " |", "|---|" + "---:|" * len(h["sectors"])]
    for topic in topics:
        mark = "◆ " if topic in h["overlaps"] else ""
        lines.append(f"| {mark}{_md(name(topic))} | " + " | ".join(str(h["cells"].get((s, topic), "")) for s in h["sectors"]) + " |")
    a = report.alignment
    lines += ["", f"## {t['alignment']}", "", t["alignment_note"], "",
              f"| {t['element']} | " + " | ".join(_md(report.short(s)) for s in a["sectors"]) + " |", "|---|" + "---|" * len(a["sectors"])]
    for element in a["elements"]:
        lines.append(f"| {_md(name(element['id']))} | " + " | ".join(
            _md(", ".join(name(i) for i in a["cells"].get((element["id"], s), []))) for s in a["sectors"]) + " |")
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
    lines += ["", f"## {t['bibliography']}", "", t["bibliography_note"], ""]
    for ref in report.bibliography:
        link = f" <{ref['link']}>" if ref.get("link") and _SAFE_URL.match(ref["link"]) else ""
        lines.append(f"{ref['number']}. {_md(_reference_text(ref, t))}.{link}")
    lines += ["", f"## {t['analysts']}", "", t["analysts_note"]]
    for q in report.queries:
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", q["cypher"])), default=0) + 1)
        lines += ["", f"### Q{q['number']} · {_md(', '.join(report.rule_names.get(r, r) for r in q['rules']))}", "",
                  f"{fence}cypher", q["cypher"], fence]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ docx
def _docx_table(doc, headers: list[str], rows: list[list[str]], style: str = "Light Grid Accent 1"):
    table = doc.add_table(rows=1, cols=len(headers), style=style)
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = str(text)
    return table


def _docx_finding(doc, report: ReportData, f: dict, question: bool) -> None:
    from docx.shared import Pt
    t, lang = report.text, report.lang
    cite = lambda numbers: " ".join(f"[{n}]" for n in numbers)  # noqa: E731
    p = doc.add_paragraph(style="List Bullet")
    p.add_run(f"{t[f['severity']]} · ").bold = False
    p.add_run(f["display_title"]).bold = True
    if f.get("display_triage"):
        p.add_run(f" — {t['triage']}: {f['display_triage']['text']}").italic = True
    if f["display_evidence"]:
        doc.add_paragraph(" ".join(f["display_evidence"]))
    if f.get("evidence_table"):
        _docx_table(doc, f["evidence_table"]["headers"], f["evidence_table"]["rows"])
    if f.get("display_statements"):
        doc.add_paragraph(f"{t['rests_on']} " + ("；" if lang == "zh" else "; ").join(
            f"{s['text']} {cite(s['refs'])}" for s in f["display_statements"]))
    if question:
        if f.get("display_to_settle"):
            doc.add_paragraph(f"{t['to_settle']}: " + ("；" if lang == "zh" else "; ").join(f["display_to_settle"][:6]))
        if f.get("checked_refs"):
            doc.add_paragraph(f"{t['checked']}: {cite(f['checked_refs'])}")
        if f.get("display_ask"):
            doc.add_paragraph(f"{t['ask']}: {join(f['display_ask'], lang, 6)}")
    doc.add_paragraph(f"{t['action']}: {f['display_action']}"
                      + (f" {t['owner']}: {join(f['display_owner'], lang, 6)}" if f.get("display_owner") and not question else ""))
    if f.get("display_caveat"):
        doc.add_paragraph(f"{t['caveat']}: {f['display_caveat']}")
    ref = f"{t['sources']}: {cite(f['refs'])} · {t['reference']}: {f['id']}"
    if f.get("query_ref"):
        ref += f" · {t['query']} Q{f['query_ref']} {f['display_params']}"
    run = doc.add_paragraph().add_run(ref)
    run.font.size = Pt(8)


def render_docx(report: ReportData) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    t, name, lang = report.text, report.name, report.lang
    doc = Document()
    for style_name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[style_name]
        style.font.name = "Calibri"
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Microsoft YaHei")
    doc.styles["Normal"].font.size = Pt(10)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    doc.core_properties.title = t["title"]
    doc.add_heading(t["title"], level=0)
    doc.add_paragraph(f"{t['subtitle']} — {t['generated']}: {report.today}")
    # page one: what the Committee should decide
    doc.add_heading(t["executive"], level=1)
    by_id = {f["id"]: f for f in report.findings + report.questions}
    ex = report.executive
    if ex["kind"] == "gaps":
        doc.add_paragraph(t["exec_gaps"].format(n=report.summary["findings"]))
        for i in ex["items"]:
            f = by_id[i]
            p = doc.add_paragraph(style="List Number")
            p.add_run(f["display_title"]).bold = True
            p.add_run(f" ({t[f['severity']]}). {t['action']}: {f['display_action']} {t['owner']}: {join(f['display_owner'], lang, 6)}")
    elif ex["kind"] == "questions":
        doc.add_paragraph(t["exec_no_gaps"].format(n=report.summary.get("questions", 0)))
        for i in ex["items"]:
            f = by_id[i]
            p = doc.add_paragraph(style="List Number")
            p.add_run(f["display_title"]).bold = True
            p.add_run(f" {t['ask']}: {join(f['display_ask'], lang, 6)}")
    else:
        doc.add_paragraph(t["exec_no_findings"])
    _docx_table(doc, [t["severity"], t["count"]],
                [[t[sev], str(report.summary["by_severity"].get(sev, 0))] for sev in SEVERITY_ORDER]
                + [[t["total"], str(report.summary["findings"])]])
    doc.add_paragraph(f"{t['questions_count']}: {report.summary.get('questions', 0)}")
    if ex.get("triage"):
        doc.add_paragraph(f"{t['triage_counts']}: " + ", ".join(f"{t.get('triage_' + k, k)} {v}" for k, v in ex["triage"].items()))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(t["summary"], level=1)
    rules = sorted(set(report.summary["by_rule"]) | set(report.summary.get("questions_by_rule", {})),
                   key=lambda r: report.rule_names.get(r, r))
    _docx_table(doc, [t["rule"], t["gaps_word"], t["questions"]],
                [[report.rule_names.get(r, r), str(report.summary["by_rule"].get(r, 0)),
                  str(report.summary.get("questions_by_rule", {}).get(r, 0))] for r in rules])
    doc.add_picture(io.BytesIO(charts.findings_by_rule(report, "png")), width=Cm(17))
    doc.add_heading(t["changes"], level=2)
    c = report.changes
    if c is None:
        doc.add_paragraph(t["no_baseline"])
    elif c["nothing"]:
        doc.add_paragraph(f"{t['baseline']}: {c['baseline']}. {t['no_changes']}")
    else:
        for key, count, shown in _changes(report):
            doc.add_paragraph(f"{t[key]} ({count}): {shown}", style="List Bullet")
    doc.add_heading(t["findings_by_theme"], level=1)
    doc.add_paragraph(t["findings_note"])
    _docx_table(doc, ["ID", t["severity"], t["rule"], t["findings"]],
                [[f["id"], t[f["severity"]], report.rule_names.get(f["rule"], f["rule"]), f["display_title"]] for f in report.findings])
    if not report.findings:
        doc.add_paragraph(t["no_findings"])
    for _theme, heading, items in report.themes:
        doc.add_heading(f"{heading} ({len(items)})", level=2)
        for f in items:
            _docx_finding(doc, report, f, question=False)
    doc.add_heading(f"{t['questions']} ({len(report.questions)})", level=1)
    doc.add_paragraph(f"{t['questions_note']} {t['questions_by_theme']}")
    for _theme, heading, items in report.question_themes:
        doc.add_heading(f"{heading} ({len(items)})", level=2)
        for f in items:
            _docx_finding(doc, report, f, question=True)
    doc.add_heading(t["heatmap"], level=1)
    doc.add_paragraph(t["heatmap_note"])
    doc.add_picture(io.BytesIO(charts.heatmap(report, "png")), width=Cm(min(17, 9 + 2.5 * len(report.heatmap["sectors"]))))
    doc.add_heading(t["alignment"], level=1)
    a = report.alignment
    _docx_table(doc, [t["element"], *[report.short(s) for s in a["sectors"]]],
                [[name(e["id"]), *[", ".join(name(x) for x in a["cells"].get((e["id"], s), [])) for s in a["sectors"]]]
                 for e in a["elements"]])
    g = report.network_graph
    doc.add_heading(t["network_figure"], level=1)
    doc.add_paragraph(t["network_figure_note"].format(isolated=g.get("isolated", 0)))
    doc.add_picture(io.BytesIO(charts.network(report, "png")), width=Cm(17))
    doc.add_heading(t["metrics"], level=2)
    for key in ("metrics_betweenness", "metrics_constraint", "metrics_effective", "metrics_ei", "metrics_brokerage"):
        doc.add_paragraph(t[key], style="List Bullet")
    _docx_table(doc, [t["agent"], t["betweenness"], t["constraint"], t["effective_size"], t["brokerage"]],
                [[name(r["agent"]), _fmt(r["betweenness"]), _fmt(r["constraint"]), _fmt(r["effective_size"]), _fmt(r["brokerage"])]
                 for r in report.metrics["top_brokers"]])
    doc.add_heading(t["completeness"], level=1)
    _docx_table(doc, [t["indicator"], t["value"]], [[k, v] for k, v in report.completeness])
    doc.add_heading(t["method"], level=1)
    doc.add_heading(t["rules"], level=2)
    for rule, text in report.method["rules"].items():
        doc.add_paragraph(f"{report.rule_names.get(rule, rule)}: {text}", style="List Bullet")
    doc.add_heading(t["definitions"], level=2)
    for metric, text in report.method["metrics"]:
        doc.add_paragraph(f"{metric}: {text}", style="List Bullet")
    doc.add_heading(t["bibliography"], level=1)
    doc.add_paragraph(t["bibliography_note"])
    for ref in report.bibliography:
        doc.add_paragraph(f"[{ref['number']}] {_reference_text(ref, t)}." + (f" {ref['link']}" if ref.get("link") else ""))
    doc.add_heading(t["analysts"], level=1)
    doc.add_paragraph(t["analysts_note"])
    for q in report.queries:
        doc.add_heading(f"Q{q['number']} · " + ", ".join(report.rule_names.get(r, r) for r in q["rules"]), level=2)
        run = doc.add_paragraph().add_run(q["cypher"])
        run.font.name = "Consolas"
        run.font.size = Pt(8)
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
