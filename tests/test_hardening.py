"""Issue 21: every input someone else controls, attacked as a hostile user or co-worker would.

Each test gives the attack as input and asserts the safe outcome (store unchanged, file
untouched, nothing injected, nothing secret printed), on the real engine and real files.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itu_graph.errors import QueryError, ReadOnlyViolation, StoreError
from itu_graph.settings import PROJECT_ROOT
from itu_graph.store.falkordb import FalkorLiteStore
from itu_graph.store.guard import procedure_calls

from conftest import run_cli


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ITU_GRAPH_"))}
    env.update(extra)
    return env


# ------------------------------------------------------------------ read-only Cypher and engine crashes
CRASHERS = [
    "CALL { CALL db.idx.fulltext.createNodeIndex('Resource', 'name') } RETURN 1",
    "MATCH (n) CALL (n) { CALL `db`.`idx`.fulltext.drop('Resource') } RETURN 1",
    "UNWIND [1] AS x CALL { WITH x CALL `db.idx.fulltext.createNodeIndex`('R', 'a') } RETURN x",
    "call {\n // a comment CALL db.labels()\n call db.idx.fulltext.createNodeIndex('R', 'a') } return 1",
]


def test_procedure_calls_are_read_as_the_engine_reads_them():
    assert procedure_calls("RETURN 'CALL db.idx.fulltext.drop(\"x\")' // CALL a.b()") == []
    assert procedure_calls("CALL db.labels() YIELD label RETURN label") == [("db.labels", 0)]
    assert procedure_calls(CRASHERS[1]) == [("db.idx.fulltext.drop", 1)]
    assert procedure_calls("CALL { CALL { CALL dbms.procedures() } }") == [("dbms.procedures", 2)]


@pytest.mark.parametrize("statement", CRASHERS)
def test_a_procedure_inside_a_subquery_never_reaches_the_engine_and_a_writer_keeps_its_writes(tmp_path, statement):
    """The crash took the server down with a sharing writer's unsaved writes, and the writer's
    close said nothing; now the statement is refused before it is sent, read-only or not."""
    db = tmp_path / "shared.db"
    writer = FalkorLiteStore(db)
    writer.run("CREATE (:AnalystNote {text: 'unsaved'})", write=True)
    for write in (False, True):
        reader = FalkorLiteStore(db)
        with pytest.raises(QueryError):
            reader.run(statement, write=write)
        reader.close()
    assert writer.run("MATCH (n:AnalystNote) RETURN count(n) AS c").rows == [{"c": 1}]
    writer.close()
    with FalkorLiteStore(db) as again:
        assert again.run("MATCH (n:AnalystNote) RETURN n.text AS t").rows == [{"t": "unsaved"}]


def test_read_only_cypher_allows_only_read_procedures(runner, cli_env):
    ok = run_cli(runner, ["cypher", "CALL db.labels() YIELD label RETURN label"], env=cli_env)
    assert ok.exit_code == 0, ok.output
    refused = run_cli(runner, ["cypher", "CALL db.idx.fulltext.createNodeIndex('Resource', 'name')"], env=cli_env)
    assert refused.exit_code == 3 and "read-only" in refused.output
    crash = run_cli(runner, ["cypher", CRASHERS[0]], env=cli_env)
    assert crash.exit_code == 3 and "CALL {" in crash.output
    with FalkorLiteStore(Path(cli_env["ITU_GRAPH_DB"])) as store:
        assert store.run("CALL db.indexes() YIELD label RETURN label").rows == []


def test_an_engine_crash_is_never_a_writers_silent_success(tmp_path):
    """The engine dies (a segfault, as the planner's) after a session wrote: its close is a
    store error (exit 4), whether or not the dead server's process has been reaped yet."""
    store = FalkorLiteStore(tmp_path / "crash.db")
    store.run("CREATE (:AnalystNote {text: 'unsaved'})", write=True)
    pid = store._db.client.pid
    os.kill(pid, signal.SIGSEGV)
    deadline = time.monotonic() + 10
    while store._db.client.pid and time.monotonic() < deadline:  # gone, not a zombie
        time.sleep(0.05)
    with pytest.raises(StoreError, match="stopped before"):
        store.close()
    assert StoreError.exit_code == 4


# ------------------------------------------------------------------ subprocess arguments
@pytest.mark.parametrize("revision", ["-o{victim}", "--output={victim}", "--remote=/nonexistent", "HEAD\n-o{victim}"])
def test_a_baseline_revision_never_reaches_git_as_an_option(tmp_path, itu_settings, revision):
    from itu_graph.errors import InputError
    from itu_graph.report.baseline import baseline_settings
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    with pytest.raises(InputError, match="neither a data folder nor a git revision"):
        with baseline_settings(itu_settings, revision.format(victim=victim)):
            pass
    assert victim.read_text() == "precious"


def test_a_baseline_revision_is_resolved_to_a_commit_first(tmp_path):
    from itu_graph.report.baseline import resolve_revision
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
    assert resolve_revision("HEAD", PROJECT_ROOT) == head
    from itu_graph.errors import InputError
    with pytest.raises(InputError):
        resolve_revision("no-such-branch-xyz", PROJECT_ROOT)


# ------------------------------------------------------------------ review files for `ingest accept`
import yaml  # noqa: E402
import pyoxigraph as ox  # noqa: E402
import hypothesis  # noqa: E402
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

from conftest import TEST_DATA  # noqa: E402
from itu_graph.errors import IngestError  # noqa: E402
from itu_graph.ingest import accept_review  # noqa: E402
from itu_graph.settings import Settings, shipped_ontology  # noqa: E402

NW = "https://example.org/northwind/"
IG = "https://w3id.org/itu-graph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def _review(**document) -> dict:
    meta = {"id": "doc-new", "exists": False, "title": {"en": "A note", "zh": "说明"}, "symbol": None, "date": None,
            "language": "en", "file": "note.txt", "sha256": "ab" * 32}
    meta.update(document)
    return {"review": "itu-graph ingest", "version": 1,
            "documents": [{"document": meta, "mentions": [{"entities": ["supply"], "label": "Supply", "accept": True}],
                           "citations": [], "candidates": []}]}


def _accept_cli(runner, cli_env, tmp_path, review_text: str):
    data = tmp_path / "data"
    if not data.exists():
        data.mkdir()
        (data / "northwind.ttl").write_bytes((TEST_DATA / "other-org" / "northwind.ttl").read_bytes())
    path = tmp_path / "review.yaml"
    path.write_text(review_text, encoding="utf-8")
    result = run_cli(runner, ["ingest", "accept", path, "--data", data], env=cli_env)
    return result, data


def _quads(path: Path) -> set:
    return {(q.subject.value, q.predicate.value, str(q.object), q.graph_name.value)
            for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG)}


BILLION_LAUGHS = "review: itu-graph ingest\ndocuments: []\n" + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))


def test_a_billion_laughs_review_is_refused_within_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BILLION_LAUGHS)
    assert bomb.stat().st_size < 2048
    code, stderr, peak_kib, _ = _run_measured(["ingest", "accept", str(bomb), "--data", str(TEST_DATA / "other-org"),
                                               "--out-dir", str(tmp_path / "out")], tmp_path)
    assert code == 2, stderr
    assert "aliases" in stderr and "bomb.yaml:4" in stderr
    assert peak_kib < 400 * 1024, peak_kib  # KiB: nowhere near the gigabytes of the expansion
    assert not (tmp_path / "out").exists()


def test_a_huge_review_file_is_refused(tmp_path):
    from itu_graph.ingest.accept import MAX_REVIEW_BYTES, load_review
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.write(b"review: itu-graph ingest\n")
        handle.truncate(MAX_REVIEW_BYTES + 10)
    with pytest.raises(IngestError, match="larger than"):
        load_review(big)


@pytest.mark.parametrize("field, value, message", [
    ("date", '2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> . <https://example.org/northwind/supply> '
             '<https://w3id.org/itu-graph/ontology#leads> <https://example.org/northwind/board> . #', "date"),
    ("date", "2024-13-45", "date"),
    ("date", ["2024-01-01"], "date"),
    ("sha256", "ab" * 32 + ").\n<https://example.org/northwind/supply> a <https://w3id.org/itu-graph/ontology#Council> .\n#",
     "sha256"),
    ("sha256", "xyz", "sha256"),
    ("id", "doc-new\n", "plain id"),
    ("id", ["doc-new"], "plain id"),
    ("language", 'en" . <x> <y> <z> . #', "language"),
    ("title", ["A", "B"], "title"),
    ("title", {"en": "A\u0001B", "zh": "说明"}, "control"),
    ("symbol", {"a": 1}, "symbol"),
])
def test_review_fields_of_the_wrong_type_or_form_are_refused(runner, cli_env, tmp_path, field, value, message):
    result, data = _accept_cli(runner, cli_env, tmp_path, yaml.safe_dump(_review(**{field: value}), allow_unicode=True))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in data.rglob("*")) == ["northwind.ttl"]  # nothing written


@pytest.mark.parametrize("text", [
    "review: itu-graph ingest\ndocuments: [{document: 'x'}]\n",
    "review: itu-graph ingest\ndocuments: [{document: {id: doc-a, title: {en: A, zh: B}}, mentions: [{accept: 'yes', entities: [supply]}]}]\n",
    "review: itu-graph ingest\ndocuments: [{document: {id: doc-a, title: {en: A, zh: B}}, mentions: [{accept: true, entities: 5}]}]\n",
    "review: itu-graph ingest\ndocuments: [{document: {id: doc-a, title: {en: A, zh: B}}, candidates: [7]}]\n",
    "review: itu-graph ingest\ndocuments: [{document: {id: doc-a, title: {en: A, zh: B}}, mentions: [{accept: true, entities: [supply]}]}]\n"
    "x: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
])
def test_malformed_reviews_are_exit_2_not_tracebacks(runner, cli_env, tmp_path, text):
    result, data = _accept_cli(runner, cli_env, tmp_path, text)
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in data.rglob("*")) == ["northwind.ttl"]


def test_a_file_name_with_a_newline_adds_no_triple(runner, cli_env, tmp_path):
    evil = "note.txt\n<https://example.org/northwind/supply> a <https://w3id.org/itu-graph/ontology#Council> .\n#"
    result, data = _accept_cli(runner, cli_env, tmp_path, yaml.safe_dump(_review(file=evil), allow_unicode=True))
    assert result.exit_code == 0, result.output
    written = data / "ingested" / "doc-new.trig"
    doc = NW + "doc-new"
    assert _quads(written) == {
        (doc, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{IG}Document>", doc),
        (doc, SKOS + "prefLabel", '"A note"@en', doc), (doc, SKOS + "prefLabel", '"说明"@zh', doc),
        (doc, IG + "language", '"en"', doc), (doc, IG + "mentions", f"<{NW}supply>", doc)}
    first, second = written.read_text().splitlines()[:2]
    assert first.startswith("# Accepted by") and "Council> .?#" in first and second.startswith("# The named graph")


# fuzz: any value of the fields a reviewer edits, any document file name
_ANY_TEXT = st.text(max_size=30)
_FIELD = st.one_of(st.none(), _ANY_TEXT, st.integers(), st.booleans(), st.lists(_ANY_TEXT, max_size=2),
                   st.dictionaries(_ANY_TEXT, _ANY_TEXT, max_size=2), st.dates())


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def _mostly(valid, weight: int = 12):
    # a valid value most of the time, so that most examples get past the first check
    return st.integers(0, weight).flatmap(lambda pick: valid if pick else _FIELD)


_NAME = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@given(doc_id=_mostly(st.from_regex(r"doc-[a-z0-9]{1,8}", fullmatch=True)), en=_mostly(_NAME), zh=_mostly(_NAME),
       date=_mostly(st.one_of(st.none(), st.dates())), language=_mostly(st.sampled_from(["en", "zh", "fr"])),
       sha256=_mostly(st.just("ab" * 32)), symbol=_mostly(st.one_of(st.none(), _NAME)),
       file=st.one_of(_ANY_TEXT, st.text(st.characters(), max_size=40)), accept=_mostly(st.booleans()))
def test_fuzzed_reviews_are_refused_or_write_exactly_the_reviewed_triples(tmp_path_factory, doc_id, en, zh, date,
                                                                          language, sha256, symbol, file, accept):
    tmp = tmp_path_factory.mktemp("fuzz")
    data = tmp / "data"
    data.mkdir()
    (data / "northwind.ttl").write_bytes((TEST_DATA / "other-org" / "northwind.ttl").read_bytes())
    review = _review(id=doc_id, title={"en": en, "zh": zh}, date=date, language=language, sha256=sha256,
                     symbol=symbol, file=file)
    review["documents"][0]["mentions"][0]["accept"] = accept
    path = tmp / "review.yaml"
    path.write_text(yaml.safe_dump(review, allow_unicode=True), encoding="utf-8")
    settings = Settings(data_dirs=[data], ontology_dir=shipped_ontology())
    try:
        written = accept_review(settings, path, namespace=NW)
    except IngestError as exc:
        hypothesis.event(str(exc.message)[:40])
        assert sorted(p.name for p in data.rglob("*")) == ["northwind.ttl"]
        return
    hypothesis.event("accepted")
    [target] = written
    doc = NW + str(doc_id)
    name_en, name_zh = (str(en) if en not in (None, "") else None), (str(zh) if zh not in (None, "") else None)
    expected = {(doc, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{IG}Document>", doc),
                (doc, SKOS + "prefLabel", ox.Literal(name_en or name_zh, language="en").__str__(), doc),
                (doc, SKOS + "prefLabel", ox.Literal(name_zh or name_en, language="zh").__str__(), doc)}
    if symbol not in (None, ""):
        expected.add((doc, IG + "symbol", str(ox.Literal(str(symbol))), doc))
    if language not in (None, ""):
        expected.add((doc, IG + "language", str(ox.Literal(str(language))), doc))
    if date not in (None, ""):
        expected.add((doc, IG + "date", str(ox.Literal(str(date), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date"))), doc))
    if accept is True:
        expected.add((doc, IG + "mentions", f"<{NW}supply>", doc))
    assert _quads(target) == expected


@pytest.mark.parametrize("name", ["my file.ttl", "a#b?c%.ttl", "ünï côdé.ttl"])
def test_a_data_file_name_with_spaces_or_iri_characters_builds(runner, cli_env, tmp_path, name):
    data = tmp_path / "d"
    data.mkdir()
    (data / name).write_bytes((TEST_DATA / "other-org" / "northwind.ttl").read_bytes())
    result = run_cli(runner, ["validate", "--data", data], env=cli_env)
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------ documents: bombs and giants
#: Runs the CLI, then records the process's own peak resident memory (VmHWM). The rusage of a child
#: (wait4's ru_maxrss) also counts the memory it held as a fork of the test process before exec,
#: which grows with whatever the test session loaded; VmHWM belongs to the new program alone.
_MEASURED = """
import sys
from pathlib import Path
from itu_graph.cli import main
try:
    main(sys.argv[2:])
    code = 0
except SystemExit as exit_:
    code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
status = Path("/proc/self/status").read_text()
Path(sys.argv[1]).write_text(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:")))
sys.exit(code)
"""


def _run_measured(args: list[str], tmp_path: Path) -> tuple[int, str, int, float]:
    """Exit code, stderr, peak memory (KiB) and seconds of `itu-graph ARGS` in its own process."""
    start = time.monotonic()
    peak_file = tmp_path / "peak-kib"
    proc = subprocess.run([sys.executable, "-c", _MEASURED, str(peak_file), *args], cwd=PROJECT_ROOT,
                          env=_clean_env(ITU_GRAPH_DB=str(tmp_path / "m.db")),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc.returncode, proc.stderr.decode(), int(peak_file.read_text()), time.monotonic() - start


def _zip_bomb_docx(path: Path, inflated_mb: int) -> Path:
    """A Word package whose document.xml inflates to `inflated_mb` MB of one repeated paragraph."""
    import zipfile
    from docx import Document
    plain = path.with_suffix(".plain.docx")
    Document().save(str(plain))
    paragraph = b"<w:p><w:r><w:t>ITU as One</w:t></w:r></w:p>" * 20000
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "word/document.xml":
                bomb.writestr(item, data)
                continue
            head, _, tail = data.partition(b"<w:body>")
            with bomb.open("word/document.xml", "w", force_zip64=True) as out:
                out.write(head + b"<w:body>")
                for _ in range(inflated_mb * 1024 * 1024 // len(paragraph)):
                    out.write(paragraph)
                out.write(tail)
    return path


def test_a_zip_bomb_docx_is_refused_before_it_inflates(tmp_path):
    bomb = _zip_bomb_docx(tmp_path / "bomb.docx", 400)
    assert bomb.stat().st_size < 8 * 1024 * 1024
    code, stderr, peak_kib, _ = _run_measured(["ingest", str(bomb), "-o", str(tmp_path / "r.yaml")], tmp_path)
    assert code == 2, stderr
    assert "bomb.docx" in stderr and "unzips" in stderr and "Traceback" not in stderr
    assert peak_kib < 400 * 1024, peak_kib
    assert not (tmp_path / "r.yaml").exists()


def test_a_huge_text_file_is_refused_fast(tmp_path):
    from itu_graph.ingest.extract import MAX_TEXT_CHARS
    big = tmp_path / "big.txt"
    big.write_text("The Coordination Committee met. " * (MAX_TEXT_CHARS // 30), encoding="utf-8")
    code, stderr, peak_kib, seconds = _run_measured(["ingest", str(big), "-o", str(tmp_path / "r.yaml")], tmp_path)
    assert code == 2 and "characters of text" in stderr, stderr
    assert seconds < 30 and peak_kib < 500 * 1024, (seconds, peak_kib)
    assert not (tmp_path / "r.yaml").exists()


def test_a_pdf_claiming_90000_pages_is_refused_fast(tmp_path):
    # five levels of page-tree nodes, each naming the next one 9 or 10 times: 90,000 pages in < 1 KB
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b"3 0 R " * 9 + b"] /Count 90000 >>"]
    for level in range(3, 7):
        objects.append(b"<< /Type /Pages /Parent %d 0 R /Kids [" % (level - 1) + b"%d 0 R " % (level + 1) * 10
                       + b"] /Count %d >>" % 10 ** (7 - level))
    objects.append(b"<< /Type /Page /Parent 6 0 R /MediaBox [0 0 612 792] >>")
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref, size = len(body), len(objects) + 1
    body += b"xref\n0 %d\n0000000000 65535 f \n" % size + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(body)
    assert len(body) < 1024
    code, stderr, _, seconds = _run_measured(["ingest", str(pdf), "-o", str(tmp_path / "r.yaml")], tmp_path)
    assert code == 2 and "more than 2,000" in stderr and "pages.pdf" in stderr, stderr
    assert seconds < 20


# ------------------------------------------------------------------ outputs: Markdown and CSV
MD_PAYLOADS = ["[click](javascript:alert(40))", "![t](http://evil.example/p.png)", "<http://evil.example/auto>",
               "[x]: javascript:alert(41)\n[y][x]", "` <img src=x onerror=alert(42)> `", "*a* _b_ # c | d",
               "&lt;script&gt;alert(43)&lt;/script&gt;", "<a href='javascript:alert(44)'>a</a>"]


@pytest.fixture(scope="module")
def chromium():
    from browser import browser
    with browser() as context:
        yield context


def _md_payload_settings(tmp_path: Path) -> "Settings":
    from itu_graph import pipeline
    from xss import payload_dataset, turtle_literal
    folder = tmp_path / "xss"
    folder.mkdir()
    extra = [f"ex:m{i} a ig:Sector ; skos:prefLabel {turtle_literal(p)}@en , {turtle_literal(p + ' 中文')}@zh ; "
             f"ig:worksOn ex:topic ." for i, p in enumerate(MD_PAYLOADS)]
    (folder / "xss.ttl").write_text(payload_dataset() + "\n".join(extra) + "\n", encoding="utf-8")
    settings = Settings(data_dirs=[folder], ontology_dir=shipped_ontology(), db_path=tmp_path / "x.db")
    pipeline.load(settings, force=True)
    return settings


@pytest.mark.browser
def test_markdown_report_rendered_by_a_markdown_renderer_runs_no_script(tmp_path, chromium):
    from markdown_it import MarkdownIt
    from browser import open_page
    from xss import PAYLOADS
    from itu_graph.report import build_report, render_report
    settings = _md_payload_settings(tmp_path)
    renderer = MarkdownIt("commonmark", {"html": True})  # passes raw HTML through: escaping is ours alone
    for lang in ("en", "zh"):
        md = render_report(build_report(settings, lang=lang, today="2026-11-28"), "md").decode("utf-8")
        path = tmp_path / f"md-{lang}.html"
        path.write_text("<!doctype html><meta charset='utf-8'><body>" + renderer.render(md) + "</body>", encoding="utf-8")
        with open_page(chromium, path) as (page, run):
            page.wait_for_timeout(300)
            injected = page.evaluate("() => document.querySelectorAll('img, iframe, object, embed, video, details, "
                                     "script, style, base, input, svg, math, meta[http-equiv]').length")
            links = page.evaluate("() => Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
            body = page.evaluate("() => document.body.innerText")
        assert run.dialogs == [] and run.requests == [] and injected == 0, (run, injected)
        assert all(h.startswith(("http://", "https://")) for h in links), links
        assert "http://evil.example/p.png" not in links
        for payload in PAYLOADS[:2] + MD_PAYLOADS[:3]:
            assert payload in body, payload


def test_csv_output_neutralizes_formula_cells(runner, cli_env):
    from itu_graph.output import to_csv
    import csv
    import io
    evil = ["=HYPERLINK(\"http://evil.example\",\"x\")", "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3",
            "\t=1+1"]
    rows = [{"v": v, "n": -5} for v in evil]
    out = list(csv.reader(io.StringIO(to_csv(["v", "n"], rows), newline="")))
    cells = [row[0] for row in out[1:]]
    assert all(cell.startswith("'") for cell in cells), cells
    assert [cell[1:] for cell in cells] == evil  # the value is kept, only made inert
    assert [row[1] for row in out[1:]] == ["-5"] * len(evil)  # numbers stay numbers
    with FalkorLiteStore(Path(cli_env["ITU_GRAPH_DB"])) as store:
        store.run("CREATE (:AnalystNote {text: '=1+1'})", write=True)
    result = run_cli(runner, ["cypher", "MATCH (n:AnalystNote) RETURN n.text AS f, '@x' AS g, 'plain' AS h",
                              "--format", "csv"], env=cli_env)
    assert result.exit_code == 0 and result.stdout.splitlines()[1] == "'=1+1,'@x,plain", result.stdout


# ------------------------------------------------------------------ credentials
SECRET_PARTS = ["Zq1k", "Xw2k", "Yv3k", "Ut4k", "Ss5k"]
SECRET = "Zq1k/Xw2k?Yv3k#Ut4k[Ss5k"


@pytest.mark.parametrize("uri", [f"bolt://admin:{SECRET}@127.0.0.1:9", f"neo4j://admin:{SECRET}@127.0.0.1:notaport",
                                 f"bolt://admin:{SECRET}@[::1", f"bolt+s://{SECRET}@127.0.0.1:9"])
def test_a_password_with_uri_delimiters_never_reaches_any_output(runner, tmp_path, uri):
    from itu_graph.store.neo4j import redact_uri
    assert not any(part in redact_uri(uri) for part in SECRET_PARTS)
    env = _clean_env(NEO4J_URI=uri)
    for args in (["--store", "neo4j", "cypher", "RETURN 1"], ["-vv", "--store", "neo4j", "load"]):
        result = run_cli(runner, args, env=env)
        assert result.exit_code in (2, 4), result.output
        assert not any(part in result.output for part in SECRET_PARTS), result.output
    proc = subprocess.run([sys.executable, "-m", "itu_graph.cli", "--store", "neo4j", "--neo4j-uri", uri, "cypher", "RETURN 1"],
                          env=_clean_env(), capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert proc.returncode in (2, 4) and "Traceback" not in proc.stderr, proc.stderr
    assert not any(part in proc.stdout + proc.stderr for part in SECRET_PARTS), proc.stderr


def test_the_password_in_a_uri_is_still_the_credential(tmp_path):
    from itu_graph.store.neo4j import Neo4jStore
    store = Neo4jStore(f"bolt://admin:{SECRET}@127.0.0.1:9", None, None)
    assert store._auth == ("admin", SECRET) and store.describe() == "Neo4j bolt://127.0.0.1:9"
    assert SECRET not in repr(Settings(neo4j_uri=f"bolt://admin:{SECRET}@h:1"))


# ------------------------------------------------------------------ terminal output
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b1;1H\x01"


def test_escape_sequences_in_names_never_reach_the_terminal(runner, cli_env):
    with FalkorLiteStore(Path(cli_env["ITU_GRAPH_DB"])) as store:
        store.run("CREATE (:AnalystNote {text: $t})", {"t": "note " + ESCAPES}, write=True)
    table = run_cli(runner, ["cypher", "MATCH (n:AnalystNote) RETURN n.text AS text"], env=cli_env)
    assert table.exit_code == 0 and "note" in table.output
    assert not any(ch in table.output for ch in "\x1b\x07\x9b\x01"), repr(table.output)
    error = run_cli(runner, ["query", "show", "x" + ESCAPES], env=cli_env)
    assert error.exit_code == 2 and not any(ch in error.output for ch in "\x1b\x07\x9b\x01"), repr(error.output)
    as_json = run_cli(runner, ["cypher", "MATCH (n:AnalystNote) RETURN n.text AS text", "--format", "json"], env=cli_env)
    assert "\\u001b" in as_json.stdout and "\x1b" not in as_json.stdout  # JSON escapes them itself


# ------------------------------------------------------------------ the database's folder and files
from itu_graph.store import lite_files  # noqa: E402

NOBODY = 65534


def _shared_dir(tmp_path: Path, mode: int) -> Path:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, mode)
    return shared


def test_a_world_writable_database_folder_is_refused(runner, tmp_path):
    shared = _shared_dir(tmp_path, 0o777)
    result = run_cli(runner, ["--db", shared / "itu.db", "cypher", "RETURN 1"], env=_clean_env())
    assert result.exit_code == 4 and "writable by other users" in result.output, result.output
    assert list(shared.iterdir()) == []
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)  # sticky and ours: nobody else can remove or rename our files there
    ok = run_cli(runner, ["--db", sticky / "itu.db", "cypher", "RETURN 1"], env=_clean_env())
    assert ok.exit_code == 0, ok.output


def test_a_lock_file_planted_as_a_symlink_truncates_nothing(runner, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "itu.db.lock").symlink_to(victim)
    result = run_cli(runner, ["--db", folder / "itu.db", "cypher", "CREATE (:AnalystNote)", "--write"], env=_clean_env())
    assert result.exit_code == 4 and "symbolic link" in result.output, result.output
    assert victim.read_text() == "precious"


@pytest.mark.skipif(os.getuid() != 0, reason="planting another user's file needs root")
def test_another_users_lock_or_settings_file_is_refused_at_once(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    lock = folder / "itu.db.lock"
    lock.write_text("1")
    os.chown(lock, NOBODY, NOBODY)
    store = FalkorLiteStore(folder / "itu.db", lock_timeout=30)
    start = time.monotonic()
    with pytest.raises(StoreError, match="another user"):
        store.run("CREATE (:AnalystNote)", write=True)
    store.close()
    assert time.monotonic() - start < 10  # refused, not waited for
    lock.unlink()
    registry = folder / "itu.db.settings"
    registry.write_text("{}")
    os.chown(registry, NOBODY, NOBODY)
    with pytest.raises(StoreError, match="another user"):
        FalkorLiteStore(folder / "itu.db").run("RETURN 1")


def test_a_planted_settings_file_never_redirects_the_engine_nor_kills_its_pid(tmp_path):
    """The registry (ours by its owner, as if written through a co-worker's script) names a pid
    file and socket of a process that is not the engine: refused, and that process lives on."""
    folder = tmp_path / "db"
    folder.mkdir()
    fake_dir = tmp_path / "fake"
    fake_dir.mkdir(mode=0o700)
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        (fake_dir / "redis.pid").write_text(str(bystander.pid))
        (folder / "itu.db.settings").write_text(json.dumps({
            "pidfile": str(fake_dir / "redis.pid"), "unixsocket": str(fake_dir / "redis.socket"),
            "dbdir": str(folder), "dbfilename": "itu.db"}))
        os.chmod(folder / "itu.db.settings", 0o600)
        store = FalkorLiteStore(folder / "itu.db")
        with pytest.raises(StoreError, match="not this database's engine"):
            store.run("RETURN 1")
        store.close()
        assert bystander.poll() is None  # not killed
    finally:
        bystander.kill()
        bystander.wait()


def test_a_stale_settings_file_is_removed_and_the_store_starts(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    gone = tmp_path / "gone"
    gone.mkdir(mode=0o700)
    (gone / "redis.pid").write_text("999999")
    registry = folder / "itu.db.settings"
    registry.write_text(json.dumps({"pidfile": str(gone / "redis.pid"), "unixsocket": str(gone / "redis.socket"),
                                    "dbdir": str(folder), "dbfilename": "itu.db"}))
    os.chmod(registry, 0o600)
    with FalkorLiteStore(folder / "itu.db") as store:
        assert store.run("RETURN 1 AS one").rows in ([], [{"one": 1}])
    assert not registry.exists()


_SESSION = """
import sys, time
from itu_graph.store.falkordb import FalkorLiteStore
store = FalkorLiteStore(sys.argv[1])
store.run("CREATE (:AnalystNote {text: 'unsaved'})", write=True)
print(store._db.client.pid, flush=True)
time.sleep(600)
"""


def _killed_session(db: Path) -> int:
    """A session that wrote and was then killed with SIGKILL; the pid of its engine."""
    proc = subprocess.Popen([sys.executable, "-c", _SESSION, str(db)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            env=_clean_env(PYTHONPATH=str(PROJECT_ROOT)))
    engine = int(proc.stdout.readline())
    proc.kill()
    proc.wait()
    os.kill(engine, 0)  # the engine outlived its session
    return engine


def _gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_an_engine_orphaned_by_kill_9_is_stopped_at_the_next_start(tmp_path, monkeypatch):
    monkeypatch.setattr(lite_files, "FRESH_SECONDS", 0)
    db = tmp_path / "orphan.db"
    engine = _killed_session(db)
    with FalkorLiteStore(db) as store:
        assert store.run("MATCH (n:AnalystNote) RETURN count(n) AS c").rows in ([], [{"c": 0}])  # unsaved: gone
        assert store._db.client.pid != engine
    assert _gone(engine)


def test_store_stop_stops_a_verified_engine_but_not_under_a_writer(runner, tmp_path):
    db = tmp_path / "stop.db"
    engine = _killed_session(db)
    writer = FalkorLiteStore(db)
    with writer.write_lock():
        busy = run_cli(runner, ["--db", db, "store", "stop"], env=_clean_env())
        assert busy.exit_code == 4 and engine and os.kill(engine, 0) is None, busy.output
    writer.close()  # it only held the lock: it never connected
    result = run_cli(runner, ["--db", db, "store", "stop"], env=_clean_env())
    assert result.exit_code == 0 and "stopped the engine" in result.output, result.output
    assert _gone(engine)
    again = run_cli(runner, ["--db", db, "store", "stop"], env=_clean_env())
    assert again.exit_code == 0 and "no engine running" in again.output


# ------------------------------------------------------------------ control characters in names
@pytest.mark.parametrize("name", ["Sector\u0001One", "Bell\u0007", "Esc\u001b[31m", "Back\u0008space", "Form\u000cfeed"])
def test_a_control_character_in_a_name_fails_validation_and_never_loads(runner, cli_env, tmp_path, name):
    from xss import turtle_literal
    data = tmp_path / "d"
    data.mkdir()
    (data / "x.ttl").write_text(
        "@prefix ig: <https://w3id.org/itu-graph/ontology#> .\n@prefix ex: <https://example.org/x/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f"ex:s a ig:Sector ; skos:prefLabel {turtle_literal(name)}@en , \"部门\"@zh .\n", encoding="utf-8")
    result = run_cli(runner, ["validate", "--data", data], env=cli_env)
    assert result.exit_code == 1 and f"U+{ord(next(c for c in name if ord(c) < 32)):04X}" in result.output, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    forced = run_cli(runner, ["load", "--force", "--data", data], env=cli_env)
    assert forced.exit_code != 0, forced.output
    with FalkorLiteStore(Path(cli_env["ITU_GRAPH_DB"])) as store:
        assert store.run("MATCH (n) RETURN count(n) AS c").rows in ([], [{"c": 0}])


def test_tabs_and_line_breaks_in_text_still_validate(runner, cli_env, tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    (data / "x.ttl").write_text(
        "@prefix ig: <https://w3id.org/itu-graph/ontology#> .\n@prefix ex: <https://example.org/x/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'ex:s a ig:Sector ; skos:prefLabel "Sector\\tOne"@en , "部门\\r\\n一"@zh .\n', encoding="utf-8")
    result = run_cli(runner, ["validate", "--data", data], env=cli_env)
    assert result.exit_code == 0, result.output


def test_an_engine_orphaned_by_kill_9_stops_by_itself(tmp_path):
    """No next session needed: the watcher started with the engine stops it once nobody is
    connected (within a few checks of two seconds)."""
    from itu_graph.store import watchdog
    db = tmp_path / "alone.db"
    engine = _killed_session(db)
    assert _gone(engine, timeout=watchdog.INTERVAL * (watchdog.EMPTY_CHECKS + 3) + 5)
    # the watcher removes the registry just after the engine is gone: allow it that moment
    registry = tmp_path / "alone.db.settings"
    deadline = time.monotonic() + 5
    while registry.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not registry.exists()


def test_a_live_idle_session_keeps_its_engine(tmp_path):
    from itu_graph.store import watchdog
    store = FalkorLiteStore(tmp_path / "idle.db")
    store.run("CREATE (:AnalystNote {text: 'kept'})", write=True)
    time.sleep(watchdog.INTERVAL * (watchdog.EMPTY_CHECKS + 2))
    assert store.run("MATCH (n:AnalystNote) RETURN n.text AS t").rows == [{"t": "kept"}]
    store.close()
