"""Ingestion that finds what the graph does not know yet (issue 20): candidates for new entities,
variants of known names, precision guards, the gold set's recall and precision, accepting both."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from itu_graph import pipeline
from itu_graph.ingest.acronyms import best_long_form, find_definitions
from itu_graph.ingest.evaluate import evaluate, format_scores, parse_marked
from itu_graph.ingest.lexicon import build_lexicon
from itu_graph.ingest.scan import review_yaml, scan_documents, scan_text
from itu_graph.ingest.variants import build_variant_index
from itu_graph.rdf.mapping import to_property_graph
from itu_graph.settings import Settings, shipped_ontology

from conftest import TEST_DATA, run_cli

GOLD = TEST_DATA / "ingest" / "gold"


@pytest.fixture(scope="module")
def graph(itu_dataset):
    return to_property_graph(itu_dataset)


@pytest.fixture(scope="module")
def scan(graph):
    lexicon, variants = build_lexicon(graph), build_variant_index(graph)

    def run(text: str, language: str = "en") -> dict:
        return scan_text(text, lexicon, variants=variants, language=language)
    return run


def candidates(review: dict, kind: str | None = None) -> dict[str, dict]:
    return {c["text"]: c for c in review["candidates"] if kind is None or c["kind"] == kind}


def variants(review: dict) -> dict[str, list[str]]:
    return {v["text"]: v["entities"] for v in review["variants"]}


# ------------------------------------------------------------------------------------ gold set
def test_gold_set_recall_and_precision(itu_settings, tmp_path):
    files = sorted(GOLD.glob("*.txt"))
    languages = {f.name.split("-")[0] for f in files}
    assert len(files) >= 10 and {"en", "fr", "zh"} <= languages and len(languages) >= 4
    marked = sum(len(parse_marked(f.read_text(encoding="utf-8"))[1]) for f in files)
    assert marked >= 150
    scores = evaluate(itu_settings, GOLD, tmp_path)
    table = format_scores(scores)
    print("\n" + table)  # the per-language report (pytest -s shows it)
    total = scores["all"]
    assert total.gold == marked
    assert total.recall >= 0.9, table + "\nmissed:\n" + "\n".join(total.missed)
    assert total.precision >= 0.85, table + "\nwrong:\n" + "\n".join(total.wrong)
    for lang in languages:  # no language is left far behind (Spanish names are not in the data)
        assert scores[lang].recall >= 0.75 and scores[lang].precision >= 0.85, table


def test_gold_marks_parse_nested_and_back_to_plain_text():
    text, gold = parse_marked("The [[[[JIU|un-jiu]] review of [[ITU|itu]]|new]] and [[CoCo|coco]].")
    assert text == "The JIU review of ITU and CoCo."
    assert [(g.text, g.entity) for g in gold] == [("JIU review of ITU", "new"), ("JIU", "un-jiu"), ("ITU", "itu"),
                                                  ("CoCo", "coco")]
    with pytest.raises(ValueError):
        parse_marked("[[open|x]] ]] [[never closed")


# ------------------------------------------------------------------------- acronym definitions
@pytest.mark.parametrize("text, short, long", [
    ("The Independent Management Advisory Committee (IMAC) advises.", "IMAC", "Independent Management Advisory Committee"),
    ("the PKM (Projects and Knowledge Management) team", "PKM", "Projects and Knowledge Management"),
    ("le Groupe de travail du Conseil sur les ressources financières et humaines (GTC-RFH) se réunit", "GTC-RFH",
     "Groupe de travail du Conseil sur les ressources financières et humaines"),
    ("Группа по координации управления (ГКУ) готовит решения", "ГКУ", "Группа по координации управления"),
    ("国际电信联盟（以下简称“国际电联”）是联合国专门机构", "国际电联", "国际电信联盟"),
    ("理事会设立了企业规划任务组（CPTF），", "CPTF", "企业规划任务组"),
])
def test_acronym_definitions_in_both_orders_and_languages(text, short, long):
    found = [(d.short, d.long) for d in find_definitions(text)]
    assert (short, long) in found
    d = next(d for d in find_definitions(text) if d.short == short)
    assert text[d.long_span[0]:d.long_span[1]] == long and text[d.short_span[0]:d.short_span[1]] == short


def test_no_definition_without_one():
    assert find_definitions("see Figure (a), the (2024) figures and (note) below") == []
    assert find_definitions("文件（见C24/49号文件）") == []


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(["The ", "we saw the ", "", "and "]), st.sampled_from([" met.", " and others", ", then"]),
       st.booleans())
def test_acronym_finder_recovers_any_initials_definition(data, before, after, short_first):
    # Schwartz and Hearst return the shortest long form whose words hold the short form's letters in
    # order: it is the whole name when no initial recurs later in it, so the words are built that way
    initials = data.draw(st.lists(st.sampled_from("abcdefghijklm"), min_size=2, max_size=5, unique=True))
    rest = st.text(alphabet="".join(ch for ch in "abcdefghijklmnopqrstuvwxyz" if ch not in initials),
                   min_size=1, max_size=8)
    words = [i + data.draw(rest) for i in initials]
    long = " ".join(w.capitalize() for w in words)
    short = "".join(w[0].upper() for w in words)
    text = before + (f"{short} ({long})" if short_first else f"{long} ({short})") + after
    found = [(d.short, d.long) for d in find_definitions(text)]
    assert (short, long) in found, text


@settings(max_examples=300)
@given(st.text(alphabet="ABCDEFGH abcdefgh()（）-国际电联组", max_size=80))
def test_acronym_finder_is_sound_on_any_text(text):
    for d in find_definitions(text):
        assert text[d.short_span[0]:d.short_span[1]] == d.short
        assert text[d.long_span[0]:d.long_span[1]] == d.long
        if not any("\u4e00" <= ch <= "\u9fff" for ch in d.short + d.long):
            # every letter of the short form occurs in order in the long form
            assert best_long_form(d.short, d.long) is not None


# ---------------------------------------------------------------------------------- variants
@pytest.mark.parametrize("text, entity", [
    ("the Intersectoral Coordination Task Force", "isc-tf"),          # hyphen
    ("the Office of the Secretary General", "osg"),                    # hyphen as a space
    ("the Human Resources Management department", "hrmd"),            # case
    ("the Joint Coordination Activities", "jca"),                     # plural of a singular name
    ("the Inter-Sector Coordination Task Force (ISC-TF)", "isc-tf"),  # long form worded differently
    ("the Group of Experts on the Evaluation of ITU Regional Presence", "eg-regional-presence-evaluation"),
    ("the Regional Office for the Americas", "ro-americas"),          # without the organization's name
])
def test_variants_of_english_names(scan, text, entity):
    review = scan(text)
    if text.endswith("department"):  # a case variant: names are matched without case already
        assert [entity] in [m["entities"] for m in review["mentions"]]
        return
    found = {e for entities in variants(review).values() for e in entities}
    assert entity in found, review
    shown = next(v for v in review["variants"] if entity in v["entities"])
    assert shown["text"] in text and shown["known_as"] and shown["how"]


@pytest.mark.parametrize("text, entity, language", [
    ("国际电联的各部门", "itu", "zh"),                 # 国际电联 for 国际电信联盟
    ("非洲区域代表处提交了报告", "ro-africa", "zh"),    # without 国际电联
    ("le Secteur des radiocommunications travaille", "itu-r", "fr"),  # without "de l'UIT"
    ("la gestion de l'UIT", "itu", "fr"),              # UIT, the initials of the French name
])
def test_variants_short_and_long_forms_in_other_languages(scan, text, entity, language):
    assert entity in {e for es in variants(scan(text, language)).values() for e in es}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_variant_matcher_finds_perturbed_known_names(graph, data):
    index = build_variant_index(graph)
    names = sorted({(n.properties["name"], n.properties["id"]) for n in graph.nodes.values()
                    if isinstance(n.properties.get("name"), str) and re.fullmatch(r"[A-Za-z -]+", n.properties["name"])
                    and len(n.properties["name"].split()) >= 2})
    name, eid = data.draw(st.sampled_from(names))
    parts = re.split(r"[ -]", name)
    seps = [data.draw(st.sampled_from([" ", "-", "", " - "])) for _ in parts[1:]]
    words = [data.draw(st.sampled_from([p, p.lower(), p.upper(), p.capitalize()])) for p in parts]
    variant = words[0] + "".join(s + w for s, w in zip(seps, words[1:]))
    match = index.match(variant)
    assert match is not None and eid in match.entities, (variant, name)
    if len(parts[-1]) > 3 and parts[-1].isalpha() and not parts[-1].endswith(("s", "y", "x")):
        plural = index.match(variant + "s")
        assert plural is not None and eid in plural.entities, (variant + "s", name)


# ----------------------------------------------------------------------------------- candidates
@pytest.mark.parametrize("text, language, name, cls", [
    ("A new Projects and Knowledge Management Department was set up.", "en", "Projects and Knowledge Management Department", "Department"),
    ("The Ethics Office handles declarations.", "en", "Ethics Office", "Department"),
    ("Le Bureau de l'éthique et la Division de l'audit interne y contribuent.", "fr", "Division de l'audit interne", "Department"),
    ("La Unidad de Auditoría Interna informa al Consejo.", "es", "Unidad de Auditoría Interna", "Department"),
    ("Департамент проектов и управления знаниями готовит отчёт.", "ru", "Департамент проектов и управления знаниями", "Department"),
    ("أنشأ مكتب الأخلاقيات سجلا جديدا.", "ar", "مكتب الأخلاقيات", "Bureau"),
    ("电信发展局新设了项目与知识管理部，与总秘书处共享数据。", "zh", "项目与知识管理部", "Department"),
    ("内部审计处向秘书长报告。", "zh", "内部审计处", "Department"),
])
def test_names_by_head_word_in_six_languages(scan, text, language, name, cls):
    found = candidates(scan(text, language), "name")
    assert name in found, found
    c = found[name]
    assert c["class"] == cls and c["names"] == {language: name} and c["accept"] is False
    assert isinstance(c["similar"], list)


@pytest.mark.parametrize("text, language, shown, acronym", [
    ("The Independent Management Advisory Committee (IMAC) advises. The IMAC met twice.", "en",
     "Independent Management Advisory Committee (IMAC)", "IMAC"),
    ("Le Comité consultatif indépendant pour les questions de gestion (CCIG) conseille.", "fr",
     "Comité consultatif indépendant pour les questions de gestion (CCIG)", "CCIG"),
    ("独立管理咨询委员会（IMAC）就风险提供咨询。", "zh", "独立管理咨询委员会 (IMAC)", "IMAC"),
])
def test_defined_acronyms_are_candidates_with_their_long_form(scan, text, language, shown, acronym):
    review = scan(text, language)
    c = candidates(review, "definition")[shown]
    assert c["acronym"] == acronym and c["class"] == "Committee"
    if acronym == "IMAC" and language == "en":
        assert c["count"] == 2 and c["id"] == "imac"  # the later short form is the same candidate
    assert not any(x["kind"] == "acronym" and x["text"] == acronym for x in review["candidates"])


@pytest.mark.parametrize("text, language, entity, new", [
    ("At its 2019 session of the Council, members asked for a note.", "en", None, "2019 session of the Council"),
    ("The Council will discuss it at Council 2025.", "en", "council-2025", None),
    ("Le Conseil de l'UIT examinera la question à sa session de 2025.", "fr", "council-2025", None),
    ("理事会2019年会议要求说明。", "zh", None, "理事会2019年会议"),
    ("理事会2024年会议审议了报告。", "zh", "council-2024", None),
])
def test_sessions_and_meetings(scan, text, language, entity, new):
    review = scan(text, language)
    if entity:
        assert entity in {e for es in variants(review).values() for e in es} | \
            {e for m in review["mentions"] for e in m["entities"]}, review
    if new:
        c = candidates(review, "session")[new]
        assert c["class"] == "ConferenceSession" and c["session_of"] == "council" and c["year"] == "2019"


@pytest.mark.parametrize("text, language, known, new", [
    ("Goal 1 is universal connectivity; Target 1.1 counts users.", "en", {"Goal 1": "goal-1"}, "Target 1.1"),
    ("L'Objectif 2 porte sur la transformation; la Cible 1.2 mesure l'accès.", "fr", {"Objectif 2": "goal-2"}, "Cible 1.2"),
    ("目标1是普遍连通。具体目标1.1统计使用互联网的人数。", "zh", {"目标1": "goal-1"}, "具体目标1.1"),
])
def test_strategic_plan_codes(scan, text, language, known, new):
    review = scan(text, language)
    assert {k: v[0] for k, v in variants(review).items() if k in known} == known
    c = candidates(review, "code")[new]
    assert c["class"] == "Target" and c["part_of"] == "goal-1" and c["number"] == new[-3:]


@pytest.mark.parametrize("text, language, shown, issuer", [
    ("The JIU review of management and administration in ITU found overlaps.", "en",
     "JIU review of management and administration in ITU", "un-jiu"),
    ("The External Auditor's report on the 2023 financial statements comes first.", "en",
     "External Auditor's report on the 2023 financial statements", None),
    ("le rapport du Vérificateur extérieur des comptes sur les états financiers de 2023 avant", "fr",
     "rapport du Vérificateur extérieur des comptes sur les états financiers de 2023", None),
    ("联检组关于国际电联管理和行政的审查认为存在重叠。", "zh", "联检组关于国际电联管理和行政的审查", None),
])
def test_reviews_and_reports_by_other_bodies(scan, text, language, shown, issuer):
    review = scan(text, language)
    c = candidates(review, "review")[shown]
    assert c["class"] == "Document" and c.get("issued_by") == issuer
    if issuer:  # the issuer inside stays a mention of its own
        assert [issuer] in [m["entities"] for m in review["mentions"]]


@pytest.mark.parametrize("text, language, expected", [
    ("The ITU Radiocommunication, Telecommunication Standardization and Telecommunication Development Sectors meet.",
     "en", ["itu-r", "itu-t", "itu-d"]),
    ("the Radiocommunication and Telecommunication Standardization Bureaux", "en", ["br", "tsb"]),
    ("Les Secteurs des radiocommunications, de la normalisation des télécommunications et du développement des "
     "télécommunications gardent leurs groupes.", "fr", ["itu-r", "itu-t", "itu-d"]),
    ("无线电通信、电信标准化和电信发展部门各自设有顾问组。", "zh", ["itu-r", "itu-t", "itu-d"]),
])
def test_coordinated_lists_give_one_mention_per_conjunct(scan, text, language, expected):
    review = scan(text, language)
    listed = review["variants"]  # each conjunct is a variant (the list's expansion, or the plural/short form itself)
    assert [v["entities"][0] for v in sorted(listed, key=lambda v: v["offsets"][0][0])] == expected
    assert not candidates(review, "name")  # the whole list is not one new name
    assert ["itu"] not in [m["entities"] for m in review["mentions"]]  # "ITU" shared by the list is no mention


# ----------------------------------------------------------------------------------- precision
@pytest.mark.parametrize("text, language", [
    ("Member States asked the Union to report. Committee members met.", "en"),
    ("The Area Offices and the Regional Offices do not have one.", "en"),
    ("Working groups meet. The Committee agreed.", "en"),
    ("Les États Membres ont demandé un rapport au Conseil sur les risques.", "fr"),
    ("各局和该工作组以及三个部门均已参加。", "zh"),
])
def test_generic_phrases_and_sentence_initial_capitals_are_not_candidates(scan, text, language):
    review = scan(text, language)
    assert not [c for c in review["candidates"]], review["candidates"]


def test_bare_unknown_acronym_needs_a_head_word(scan):
    review = scan("ICT and AI matter; the ABC-XY group met and so did the QRS Committee.")
    shown = {c["text"] for c in review["candidates"]}
    assert "ABC-XY" in shown and not {"ICT", "AI"} & shown


# ----------------------------------------------------------------------------------- accepting
def test_accept_creates_candidates_links_and_variants(runner, cli_env, copy_data, tmp_path):
    data = copy_data()
    note = tmp_path / "note.txt"
    note.write_text("The Independent Management Advisory Committee (IMAC) advises the Council. "
                    "The Intersectoral Coordination Task Force met at its 2019 session of the Council. "
                    "The Ethics Office and Target 1.1 were discussed.", encoding="utf-8")
    review_file = tmp_path / "review.yaml"
    result = run_cli(runner, ["ingest", note, "--data", data, "-o", review_file], env=cli_env)
    assert result.exit_code == 0, result.output
    review = yaml.safe_load(review_file.read_text(encoding="utf-8"))
    doc = review["documents"][0]
    doc["document"].update(id="doc-oversight-note", title={"en": "Oversight note", "zh": "监督说明"})
    by_text = {c["text"]: c for c in doc["candidates"]}
    imac = by_text["Independent Management Advisory Committee (IMAC)"]
    imac.update(accept=True, name_zh="独立管理咨询委员会")            # class, name, acronym, id were proposed
    by_text["2019 session of the Council"].update(accept=True, id="council-2019", name_zh="理事会2019年会议")
    by_text["Ethics Office"].update(accept=True, link="osg", hidden_label=True)   # linked, not created
    by_text["Target 1.1"].update(accept=True, id="target-1-1", name_zh="具体目标1.1")
    variant = next(v for v in doc["variants"] if v["entities"] == ["isc-tf"])
    assert variant["text"] == "Intersectoral Coordination Task Force" and variant["accept"] is True
    variant["hidden_label"] = True
    review_file.write_text(review_yaml(review), encoding="utf-8")
    result = run_cli(runner, ["ingest", "accept", review_file, "--data", data], env=cli_env)
    assert result.exit_code == 0, result.output
    graph = to_property_graph(pipeline.build_dataset(Settings(data_dirs=[data], ontology_dir=shipped_ontology())))
    base = "https://w3id.org/itu-graph/itu/"
    node = graph.nodes[base + "imac"]
    assert "Committee" in node.labels and node.properties["name"] == "Independent Management Advisory Committee"
    assert node.properties["name_zh"] == "独立管理咨询委员会" and node.properties["acronyms"] == ["IMAC"]
    assert base + "doc-oversight-note" in node.properties["sources"]
    session = graph.nodes[base + "council-2019"]
    assert "ConferenceSession" in session.labels
    rels = {(k.source, k.type, k.target) for k in graph.relationships}
    assert (base + "council-2019", "SESSION_OF", base + "council") in rels
    assert (base + "target-1-1", "PART_OF", base + "goal-1") in rels
    assert graph.nodes[base + "target-1-1"].properties["number"] == "1.1"
    out = {(t, graph.nodes[target].properties["id"]) for s, t, target in rels if s == base + "doc-oversight-note"}
    assert {("MENTIONS", "imac"), ("MENTIONS", "council-2019"), ("MENTIONS", "osg"), ("MENTIONS", "isc-tf"),
            ("MENTIONS", "target-1-1")} <= out
    assert "Intersectoral Coordination Task Force" in graph.nodes[base + "isc-tf"].properties["search_labels"]
    assert "Ethics Office" in graph.nodes[base + "osg"].properties["search_labels"]


@pytest.mark.parametrize("change, message", [
    (lambda doc: doc["variants"][0].update(accept=True, entities=["isc-tf", "iscg"]), "one entity"),
    (lambda doc: doc["variants"][0].update(accept=True, entities=["no-such"]), "no-such"),
    (lambda doc: doc["candidates"][0].update(accept=True, link="Robert'); DROP"), "plain id"),
    (lambda doc: doc["candidates"][0].update(accept=True, session_of="nowhere", name_zh="x", id="x-1"), "nowhere"),
    (lambda doc: doc["candidates"][0].update(accept=True, names={"en\n": "x"}), "language code"),
    (lambda doc: doc["candidates"][0].update(accept=True, name_zh="a\nb"), "one line"),
])
def test_accept_refuses_bad_new_fields_and_writes_nothing(runner, cli_env, copy_data, tmp_path, change, message):
    data = copy_data()
    note = tmp_path / "n.txt"
    note.write_text("The Intersectoral Coordination Task Force met at its 2019 session of the Council.", encoding="utf-8")
    review = scan_documents(Settings(data_dirs=[data], ontology_dir=shipped_ontology()), [note])
    doc = review["documents"][0]
    doc["document"].update(id="doc-bad-fields", title={"en": "t", "zh": "t"})
    change(doc)
    path = tmp_path / "r.yaml"
    path.write_text(review_yaml(review), encoding="utf-8")
    result = run_cli(runner, ["ingest", "accept", path, "--data", data], env=cli_env)
    assert result.exit_code == 2 and message in result.output, result.output
    assert not list(data.rglob("doc-bad-fields.trig"))
