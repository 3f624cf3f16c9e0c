"""A report the Committee reads in ten minutes (issue 17, report half).

Gaps on tests/data/agency (7 planted gaps), questions on the ITU data (no gaps today). Real
Chromium with the network blocked; evidence queries run through the real CLI on the real engine
and through Neo4j's own linter."""
from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import pytest
from docx import Document

from itu_graph import neo4j_lint, pipeline
from itu_graph.analysis import analyze, context, evidence
from itu_graph.analysis.triage import Decision, apply_decisions, evidence_digest
from itu_graph.report import build_report, render_report, sources
from itu_graph.report.model import NODE_FACTS
from itu_graph.settings import Settings, shipped_ontology
from itu_graph.store.falkordb import FalkorLiteStore

from browser import browser, open_page
from conftest import TEST_DATA, run_cli

AGENCY = TEST_DATA / "agency"
TODAY = "2026-11-30"
JSON_PATTERNS = ('{"', '": [')
#: A4 less the report's @page margins (14 mm each side), in CSS pixels (96 per inch).
PRINTABLE_PX = round((210 - 28) / 25.4 * 96)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def chromium():
    with browser() as context_:
        yield context_


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    settings = Settings(data_dirs=[AGENCY], ontology_dir=shipped_ontology(),
                        db_path=tmp_path_factory.mktemp("agency") / "agency.db")
    pipeline.load(settings)
    return settings


@pytest.fixture(scope="module")
def agency_result(agency):
    return analyze(agency, today=TODAY)


@pytest.fixture(scope="module")
def itu_result(analyzed_itu):
    return analyze(analyzed_itu, today=TODAY)


@pytest.fixture(scope="module")
def pages(agency, agency_result, analyzed_itu, itu_result, tmp_path_factory):
    """The html reports, by (data, lang), and the reports themselves."""
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for data, settings, result in (("agency", agency, agency_result), ("itu", analyzed_itu, itu_result)):
        for lang in ("en", "zh"):
            report = build_report(settings, lang=lang, today=TODAY, analysis=result)
            path = folder / f"{data}-{lang}.html"
            path.write_bytes(render_report(report, "html"))
            out[(data, lang)] = (path, report)
    return out


def names_of(settings) -> dict[str, dict]:
    with FalkorLiteStore(settings.db_path) as store:
        return {r["id"]: r for r in store.run(NODE_FACTS).rows}


# ------------------------------------------------------------------ analysis: owner, theme, query
def test_each_gap_names_its_owner_and_theme(agency_result):
    by_rule = {f.rule: f for f in agency_result.findings}
    assert by_rule["uncoordinated-overlap"].owner == ["gwo"]            # no mechanism: the body both commissions are part of
    assert by_rule["partial-coordination"].owner == ["dept-infra"]      # the lead of the data group
    assert by_rule["overdue-mandate"].owner == ["sg"]                   # whom the mandate is assigned to
    assert by_rule["regional-gap"].owner == ["dept-regional"]           # the body the office is part of
    assert by_rule["uncovered-strategy-element"].owner == ["congress"]  # the body whose session adopted the plan
    assert by_rule["uncoordinated-overlap"].theme == "topic-water"      # hydrology, rolled up to its broadest topic
    assert by_rule["missing-owner"].theme == by_rule["missing-mandate"].theme == "topic-capacity"
    assert by_rule["regional-gap"].theme == "africa" and by_rule["uncovered-strategy-element"].theme == "enabler-digital"
    for f in agency_result.findings + agency_result.questions:
        assert f.query["cypher"] and f.as_dict()["query"] == f.query


def test_evidence_queries_return_the_findings_rows_through_the_cli(runner, cli_env, agency, agency_result):
    env = dict(cli_env, ITU_GRAPH_DB=str(agency.db_path))
    for f in agency_result.findings + agency_result.questions:
        result = run_cli(runner, ["-q", "cypher", f.query["cypher"], *evidence.parameter_args(f.query), "--format", "json"],
                         env=env)
        assert result.exit_code == 0, (f.id, result.output)
        rows = json.loads(result.stdout)
        assert rows, f.id
        if f.rule in evidence.KEYS:  # a rule's query narrowed to the finding returns exactly its row
            assert rows == json.loads(json.dumps(f.evidence, default=str)), f.id


def test_evidence_queries_on_the_itu_data_return_rows(runner, cli_env, analyzed_itu, itu_result):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    first = {}
    for f in itu_result.questions:
        kind = (f.rule, tuple(sorted(f.query["parameters"])))
        first.setdefault(kind, f)
    assert len({rule for rule, _ in first}) >= 9
    for f in first.values():
        result = run_cli(runner, ["-q", "cypher", f.query["cypher"], *evidence.parameter_args(f.query), "--format", "json"],
                         env=env)
        assert result.exit_code == 0, (f.id, result.output)
        assert json.loads(result.stdout), f.id


def test_the_command_line_shown_is_one_a_shell_runs_unchanged():
    query = {"cypher": "MATCH (n:Resource {id: $id}) WHERE n.name <> 'x' RETURN n.id", "parameters": {"id": "92", "ids": ["a"]}}
    line = evidence.command_line(query)
    import shlex
    args = shlex.split(line)
    assert args[:3] == ["itu-graph", "cypher", query["cypher"]]
    assert args[3:] == ["-p", 'id="92"', "-p", 'ids=["a"]']  # a numeric-looking id stays a string


def test_every_evidence_query_and_report_read_passes_neo4js_linter(ontology, agency_result, itu_result):
    statements = {}
    for f in agency_result.findings + agency_result.questions + itu_result.questions:
        statements.setdefault(f.query["cypher"], f.query["parameters"])
    lint = {f"evidence-{i}": (text, params) for i, (text, params) in enumerate(statements.items())}
    lint.update({f"context-{i}": (text, {"ids": []}) for i, text in enumerate(context.QUERIES)})
    lint["documents"] = (sources.READ_DOCUMENTS, {})
    assert len(lint) >= 14
    diagnostics = neo4j_lint.lint(lint, ontology.schema_for_lint(("en", "zh", "fr", "ar", "ru", "es")))
    assert [(d.statement, d.message) for d in diagnostics] == []


# ------------------------------------------------------------------ the report in a browser
def _visible(page) -> str:
    return page.evaluate("() => document.body.innerText")


@pytest.mark.parametrize("data,lang", [("agency", "en"), ("agency", "zh"), ("itu", "en"), ("itu", "zh")])
def test_page_one_comes_first_and_no_json_is_visible(pages, chromium, data, lang):
    path, report = pages[(data, lang)]
    with open_page(chromium, path) as (page, run):
        before = page.evaluate("""() => {
            const summary = document.querySelector('#executive'), first = document.querySelector('.finding');
            return !!summary && !!first && !!(summary.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""")
        items = page.evaluate("() => Array.from(document.querySelectorAll('#executive ol.decisions > li')).map(li => li.innerText)")
        body = _visible(page)
    assert run.requests == [] and run.console_errors == []
    assert before
    assert not [p for p in JSON_PATTERNS if p in body]
    t = report.text
    if data == "agency":  # gaps: each named with its action and owner
        assert len(items) == 5 and all(t["action"] in i and t["owner"] in i for i in items)
        assert report.findings[0]["display_title"] in body
    else:  # no gap: said plainly, the most important questions and who can answer them
        assert report.summary["findings"] == 0
        assert t["exec_no_gaps"].format(n=report.summary["questions"]) in body
        assert len(items) == 5 and all(t["ask"] in i for i in items)
        top = {i for i in report.executive["items"]}
        assert all(f["severity"] == "high" for f in report.questions if f["id"] in top)


def test_every_gap_shows_an_evidence_sentence_naming_its_entities(pages, chromium, agency):
    names = names_of(agency)
    for lang in ("en", "zh"):
        path, report = pages[("agency", lang)]
        with open_page(chromium, path) as (page, _run):
            shown = page.evaluate("""() => Array.from(document.querySelectorAll('.finding:not(.question)')).map(
                d => [d.dataset.id, Array.from(d.querySelectorAll('.evidence-sentence')).map(s => s.textContent)])""")
        by_id = {f["id"]: f for f in report.findings}
        assert sorted(i for i, _ in shown) == sorted(by_id)
        for fid, sentences in shown:
            assert sentences, fid
            text = " ".join(sentences)
            wanted = [(names[e]["name_zh"] if lang == "zh" else names[e]["name"]) for e in by_id[fid]["entities"]]
            assert any(w in text for w in wanted), (fid, text)
            assert not any(e in text for e in by_id[fid]["entities"]), (fid, text)  # names, never ids


def test_every_source_is_shown_with_a_title(pages, chromium, analyzed_itu):
    for key in (("agency", "en"), ("itu", "en"), ("itu", "zh")):
        path, report = pages[key]
        with open_page(chromium, path) as (page, _run):
            entries = page.evaluate("""() => Array.from(document.querySelectorAll('ol.bibliography > li')).map(
                li => [li.id, (li.querySelector('.source-title') || {}).textContent || ''])""")
            cited = page.evaluate("() => Array.from(document.querySelectorAll('a.cite')).map(a => a.getAttribute('href'))")
        assert len(entries) == len(report.bibliography) > 0
        assert all(title.strip() for _id, title in entries)
        assert {c[1:] for c in cited} <= {i for i, _ in entries}
    _path, itu = pages[("itu", "en")]
    by_source = {r["source"]: r for r in itu.bibliography}
    # the document behind the seed facts is cited by its title, not its IRI; a page by host and path, with its site
    assert by_source["https://w3id.org/itu-graph/itu/doc-itu-as-one-report-2024"]["title"].startswith("Report on the implementation")
    assert all(not r["title"].startswith("http") for r in itu.bibliography)
    page_ref = next(r for s, r in by_source.items() if s.startswith("https://www.itu.int/"))
    assert page_ref["site"] == "itu.int" and page_ref["link"].startswith("https://")
    # a council document: title, symbol and date as the data gives them
    with FalkorLiteStore(analyzed_itu.db_path) as store:
        documents = store.run(sources.READ_DOCUMENTS).rows
    refs = sources.bibliography(["https://w3id.org/itu-graph/itu/tdag32-c46"], documents, "en")
    ref = refs["https://w3id.org/itu-graph/itu/tdag32-c46"]
    assert ref.title.startswith("TDAG-32 Contribution 46") and ref.date == "2025-04-30" and ref.number == 1
    _path, agency = pages[("agency", "en")]
    assert "Data file agency.ttl" in {r["title"] for r in agency.bibliography}


@pytest.mark.parametrize("data,lang", [("agency", "en"), ("itu", "en"), ("itu", "zh")])
def test_prints_on_a4_with_nothing_wider_than_the_page_and_charts_legible(pages, chromium, tmp_path, data, lang):
    path, _report = pages[(data, lang)]
    with open_page(chromium, path) as (page, _run):
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINTABLE_PX, "height": 1100})
        wide = page.evaluate("""(limit) => Array.from(document.querySelectorAll('body *')).filter(el => {
                const r = el.getBoundingClientRect();
                return r.width > 0 && (r.right > limit + 1 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible');
            }).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))""", PRINTABLE_PX)
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        smallest = page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll('.chart svg text')).map(t => {
                const size = parseFloat(getComputedStyle(t).fontSize);
                return size * t.getScreenCTM().a;
            }))""")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10000
    assert wide == [] and overflow <= PRINTABLE_PX
    assert smallest >= 8 * 96 / 72 - 0.05, smallest  # 8 pt, in CSS pixels


def test_the_heatmap_lists_only_topics_with_work(pages, analyzed_itu):
    _path, report = pages[("itu", "en")]
    from itu_graph.report import charts
    svg = charts.heatmap(report, "svg").decode("utf-8")
    texts = set(re.findall(r">([^<>]+)</text>", svg))
    h = report.heatmap
    worked = {t for t in h["topics"] if any(h["cells"].get((s, t), 0) for s in h["sectors"])}
    with FalkorLiteStore(analyzed_itu.db_path) as store:
        all_topics = {r["id"] for r in store.run("MATCH (t:Topic) RETURN t.id AS id").rows}
    idle = all_topics - worked
    assert idle and worked
    assert not {report.name(t) for t in idle} & {x.removeprefix("◆ ") for x in texts}
    assert all(any(report.name(t) in x or x.rstrip("…") in report.name(t) for x in texts) for t in list(worked)[:10])


def test_the_chinese_report_speaks_chinese(pages, chromium):
    path, report = pages[("agency", "zh")]
    with open_page(chromium, path) as (page, _run):
        blocks = page.evaluate("""() => Array.from(document.querySelectorAll('.finding')).map(d => Array.from(
            d.querySelectorAll('.evidence, .rests, table.names, p')).filter(p => !p.classList.contains('ref')
            && !p.classList.contains('refs')).map(p => p.innerText).join(' '))""")
    assert len(blocks) == len(report.findings) + len(report.questions)
    for text in blocks:
        assert CJK.search(text)
        assert not re.findall(r"\b[a-z]{3,}\b", text), text  # no English words (acronyms such as CSVC are names)
    for f in report.findings:
        for piece in [*f["display_evidence"], f["display_action"], *(s["text"] for s in f["display_statements"])]:
            assert CJK.search(piece) and not re.findall(r"\b[a-z]{3,}\b", piece), piece


def test_triage_status_is_shown(agency, agency_result, tmp_path):
    gaps = agency_result.findings
    decisions = {gaps[0].id: Decision(gaps[0].id, "confirm", evidence_digest(gaps[0]), "2026-03-10", "Coordination Committee"),
                 gaps[1].id: Decision(gaps[1].id, "assign", evidence_digest(gaps[1]), "2026-03-10", "Coordination Committee",
                                      owners=("dept-infra",), due="2026-06-30", mandate="m-1"),
                 gaps[2].id: Decision(gaps[2].id, "dismiss", "0" * 16, "2026-03-10", "Coordination Committee", reason="r")}
    decided = replace(agency_result, findings=apply_decisions(gaps, decisions))
    for lang, words in (("en", ("confirmed", "action assigned", "reopened", "Infrastructure Department", "2026-06-30")),
                        ("zh", ("已确认", "已指派行动", "已重新开启", "基础设施司"))):
        report = build_report(agency, lang=lang, today=TODAY, analysis=decided)
        page = render_report(report, "html").decode("utf-8")
        for word in words:
            assert word in page, (lang, word)
        assert report.executive["triage"] == {"action assigned": 1, "confirmed": 1, "reopened": 1}
        md = render_report(report, "md").decode("utf-8")
        assert report.text["triage_confirmed"] in md


def test_docx_has_headings_for_the_navigation_pane_and_the_figures(agency, agency_result):
    for lang in ("en", "zh"):
        report = build_report(agency, lang=lang, today=TODAY, analysis=agency_result)
        doc = Document(io.BytesIO(render_report(report, "docx")))
        headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
        t = report.text
        assert headings[0] == ("Heading 1", t["executive"])
        names = {text for _style, text in headings}
        assert {t["findings_by_theme"], t["network_figure"], t["bibliography"], t["analysts"]} <= names
        assert any(style == "Heading 2" and text.startswith(t["theme_topic"]) for style, text in headings)
        assert len(doc.inline_shapes) >= 3  # findings chart, heatmap, network
        body = "\n".join(p.text for p in doc.paragraphs)
        assert not [p for p in JSON_PATTERNS if p in body]
        assert report.findings[0]["display_evidence"][0] in body


def test_html_network_figure_shows_the_groups(pages, chromium):
    path, report = pages[("agency", "en")]
    with open_page(chromium, path) as (page, _run):
        texts = page.evaluate("() => Array.from(document.querySelectorAll('#network-figure svg text')).map(t => t.textContent)")
        box = page.locator("#network-figure svg").bounding_box()
    assert {"Commission for Observation", "Department of Regional Affairs", "Office for Africa"} <= set(texts)
    assert box and box["width"] > 500
    groups = set(report.network_graph["group_names"].values())
    assert groups <= set(texts)


def test_markdown_and_json_carry_the_same(agency, agency_result):
    report = build_report(agency, lang="en", today=TODAY, analysis=agency_result)
    md = render_report(report, "md").decode("utf-8")
    assert md.index(report.text["executive"]) < md.index(report.text["findings_by_theme"])
    assert "```cypher" in md and not [p for p in JSON_PATTERNS if p in md.split(f"## {report.text['analysts']}")[0]]
    data = json.loads(render_report(report, "json"))
    assert all(f["query"]["cypher"] and f["owner"] and f["theme"] for f in data["findings"])
    assert data["executive"]["kind"] == "gaps" and len(data["bibliography"]) == len(report.bibliography)
