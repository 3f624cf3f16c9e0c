"""The gap report (issue #6): every format agrees with analyze; HTML in a real Chromium, offline;
Chinese; DOCX; what changed since a baseline (data folder or git revision)."""
from __future__ import annotations

import json
import re
import subprocess

import pytest
from docx import Document

from itu_graph import pipeline
from itu_graph.analysis import analyze
from itu_graph.report import build_report, render_report
from itu_graph.settings import Settings, shipped_ontology

from browser import browser, open_page
from conftest import run_cli
from test_analysis import BASE, PREFIXES, entity
from xss import PAYLOADS, payload_dataset

TODAY = "2026-11-28"


@pytest.fixture(scope="module")
def chromium():
    with browser() as context:
        yield context


@pytest.fixture(scope="module")
def reports(analyzed_itu):
    return {lang: build_report(analyzed_itu, lang=lang, today=TODAY) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def analysis_json(analyzed_itu):
    return analyze(analyzed_itu, today=TODAY, write_back=False).as_dict()


def test_every_format_agrees_with_analyze(reports, analysis_json, tmp_path):
    ids = [f["id"] for f in analysis_json["findings"]]
    question_ids = [f["id"] for f in analysis_json["questions"]]
    summary = analysis_json["summary"]
    for lang, report in reports.items():
        assert report.summary == summary and [f["id"] for f in report.findings] == ids
        data = json.loads(render_report(report, "json"))
        assert data["summary"] == summary and [f["id"] for f in data["findings"]] == ids
        page = render_report(report, "html").decode("utf-8")
        assert sorted(re.findall(r"data-id='([^']+)'", page)) == sorted(ids + question_ids)
        assert [q["id"] for q in report.questions] == question_ids
        assert f"id='total-findings'>{summary['findings']}<" in page
        md = render_report(report, "md").decode("utf-8")
        assert sorted(re.findall(r"^\*\*([A-Z]+-[0-9a-f]{10})\*\*", md, flags=re.M)) == sorted(ids + question_ids)
        assert f"**{summary['findings']}**" in md
        doc = Document(__import__("io").BytesIO(render_report(report, "docx")))
        findings_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "ID")
        assert [row.cells[0].text for row in findings_table.rows[1:]] == ids
        by_severity = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows[1:]}
        t = report.text
        assert by_severity == {t["high"]: str(summary["by_severity"]["high"]), t["medium"]: str(summary["by_severity"]["medium"]),
                               t["low"]: str(summary["by_severity"]["low"]), t["total"]: str(summary["findings"])}


def test_cli_writes_each_format(runner, cli_env, analyzed_itu, tmp_path):
    env = dict(cli_env, ITU_GRAPH_DB=str(analyzed_itu.db_path))
    for fmt in ("html", "md", "json", "docx"):
        out = tmp_path / f"r.{fmt}"
        result = run_cli(runner, ["report", "-o", out, "--today", TODAY], env=env)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    analysis = json.loads(run_cli(runner, ["-q", "analyze", "--format", "json", "--today", TODAY], env=env).stdout)
    assert [f["id"] for f in data["findings"]] == [f["id"] for f in analysis["findings"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_report_in_chromium_offline_with_heatmap(reports, tmp_path, chromium, lang):
    path = tmp_path / f"report-{lang}.html"
    path.write_bytes(render_report(reports[lang], "html"))
    with open_page(chromium, path) as (page, run):
        headings = page.evaluate("() => Array.from(document.querySelectorAll('h2')).map(h => h.textContent)")
        heatmap = page.locator("#heatmap-chart svg")
        box = heatmap.bounding_box()
        heatmap.screenshot(path=str(tmp_path / f"heatmap-{lang}.png"))
        texts = page.evaluate("() => document.querySelector('#heatmap-chart').textContent")
        body = page.evaluate("() => document.body.innerText")
    assert run.requests == [] and run.console_errors == [] and run.dialogs == []
    assert box and box["width"] > 300 and box["height"] > 100
    import matplotlib.image
    assert matplotlib.image.imread(str(tmp_path / f"heatmap-{lang}.png")).std() > 0.05
    if lang == "zh":
        assert headings[:2] == ["委员会需要决定的事项", "摘要"]
        assert "部门 × 主题覆盖情况" in headings and "战略对应矩阵" in headings
        assert "国际电联电信标准化部门" in texts and "网络安全和信任" in texts
        assert "待核实的问题" in body and "解决所需" in body
    else:
        assert headings[:2] == ["What the Committee should decide", "Summary"]
        assert "Sector × topic coverage" in headings and "Strategy alignment matrix" in headings
        assert "ITU-T" in texts and "Cybersecurity and trust" in texts  # divisions by short name, topics by name


def test_docx_holds_headings_findings_table_and_charts(reports):
    for lang, report in reports.items():
        doc = Document(__import__("io").BytesIO(render_report(report, "docx")))
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
        t = report.text
        assert {t["executive"], t["summary"], t["heatmap"], t["alignment"], t["findings_by_theme"], t["metrics"],
                t["completeness"], t["method"]} <= set(headings)
        assert len(doc.inline_shapes) >= 2  # findings chart and heatmap
        assert any(t.rows[0].cells[0].text == "ID" for t in doc.tables)


def _org(folder, with_mechanism: bool):
    folder.mkdir(parents=True, exist_ok=True)
    data = BASE + "ex:ua ig:worksOn ex:topic . ex:ub ig:worksOn ex:topic .\n"
    if with_mechanism:
        data += entity("joint", "TaskForce", "Joint task force", "ig:coordinates ex:topic", 'ig:status "ongoing"',
                       "ig:supports ex:enabler") + "ex:ua ig:leads ex:joint . ex:ub ig:participatesIn ex:joint .\n"
    (folder / "org.ttl").write_text(PREFIXES + data, encoding="utf-8")
    return folder


def test_baseline_lacking_a_mechanism_lists_closed_findings_and_added_entity(tmp_path):
    before = _org(tmp_path / "before", with_mechanism=False)
    now = _org(tmp_path / "now", with_mechanism=True)
    settings = Settings(data_dirs=[now], ontology_dir=shipped_ontology(), db_path=tmp_path / "now.db")
    pipeline.load(settings)
    baseline_findings = {f.id: f.rule for f in analyze(Settings(data_dirs=[before], ontology_dir=shipped_ontology(),
                                                                 db_path=tmp_path / "b.db"), today=TODAY).questions} \
        if pipeline.load(Settings(data_dirs=[before], ontology_dir=shipped_ontology(), db_path=tmp_path / "b.db")) else {}
    report = build_report(settings, baseline=str(before), today=TODAY)
    c = report.changes
    overlap_id = next(i for i, rule in baseline_findings.items() if rule == "uncoordinated-overlap")
    assert overlap_id in c["closed"] and not c["nothing"]
    assert c["entities_added"] == ["joint"] and c["entities_removed"] == []
    assert ["ua", "LEADS", "joint"] in c["links_added"]
    page = render_report(report, "html").decode("utf-8")
    assert overlap_id in page and "Joint task force" in page
    same = build_report(settings, baseline=str(now), today=TODAY)
    assert same.changes["nothing"] and same.changes["closed"] == [] and same.changes["opened"] == []
    assert "Nothing changed since the baseline" in render_report(same, "html").decode("utf-8")
    zh = build_report(settings, baseline=str(now), today=TODAY, lang="zh")
    assert "与基线相比没有变化" in render_report(zh, "md").decode("utf-8")


def test_baseline_from_a_git_revision(tmp_path):
    repo = tmp_path / "repo"
    data = _org(repo / "data", with_mechanism=False)
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "before")
    _org(data, with_mechanism=True)
    settings = Settings(data_dirs=[data], ontology_dir=shipped_ontology(), db_path=tmp_path / "g.db")
    pipeline.load(settings)
    report = build_report(settings, baseline="HEAD", today=TODAY)
    assert report.changes["entities_added"] == ["joint"] and report.changes["closed"]
    with pytest.raises(Exception, match="no-such-rev|unknown revision|not a valid|bad revision"):
        build_report(settings, baseline="no-such-rev", today=TODAY)


def test_script_payloads_in_the_report_never_run(tmp_path, chromium):
    folder = tmp_path / "xss"
    folder.mkdir()
    (folder / "xss.ttl").write_text(payload_dataset(), encoding="utf-8")
    settings = Settings(data_dirs=[folder], ontology_dir=shipped_ontology(), db_path=tmp_path / "x.db")
    pipeline.load(settings)
    for lang in ("en", "zh"):
        report = build_report(settings, lang=lang, today=TODAY)
        path = tmp_path / f"xss-{lang}.html"
        path.write_bytes(render_report(report, "html"))
        with open_page(chromium, path) as (page, run):
            page.wait_for_timeout(300)
            injected = page.evaluate("() => document.querySelectorAll('img, iframe, object, embed, video, details, script, "
                                     "base, input, meta[http-equiv=refresh]').length")
            body = page.evaluate("() => document.body.innerText")
            links = page.evaluate("() => Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
        assert run.dialogs == [] and run.requests == [] and injected == 0
        # links leave the page only to http(s); the others point into it (references, queries)
        assert all(h.startswith(("http://", "https://", "#")) for h in links)
        assert "javascript:alert(30)" in body  # the source shows as text, not as a link
        for payload in PAYLOADS[:3]:
            assert payload in body
