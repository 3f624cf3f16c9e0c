"""What the report says, computed once and rendered in every format and language."""
from __future__ import annotations

import shlex
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from .. import pipeline
from ..analysis import analyze
from ..analysis.findings import SEVERITIES
from ..queries import load_queries, run_query
from ..rdf.mapping import Node, PropertyGraph, RelKey
from ..settings import Settings
from ..store import GraphStore, open_store
from ..wording import Wording
from .i18n import COMPLETENESS, GROUP_NAMES, METRIC_METHOD, RULE_METHOD, RULE_NAMES, TEXT
from .sentences import Sentences, join
from .sources import READ_DOCUMENTS, bibliography
from ..analysis.evidence import _cli_value
from ..analysis.network import read_network

#: The kinds of change since a baseline, in the order reports list them.
CHANGE_KINDS = ("opened", "closed", "entities_added", "entities_removed", "links_added", "links_removed")

NODE_FACTS = """
MATCH (n:Resource)
OPTIONAL MATCH (n)<-[:LEADS]-(lead:Agent)
OPTIONAL MATCH (n)<-[:PARTICIPATES_IN|LEADS]-(member:Agent)
RETURN n.id AS id, n.uri AS uri, labels(n) AS labels, n.name AS name, n.name_zh AS name_zh, n.sources AS sources,
       n.confidence AS confidence, n.acronyms AS acronyms, count(DISTINCT lead) AS leads, count(DISTINCT member) AS members
"""


@dataclass
class ReportData:
    lang: str
    today: str
    text: dict
    summary: dict
    findings: list[dict]
    rule_names: dict
    changes: dict | None
    heatmap: dict
    alignment: dict
    metrics: dict
    completeness: list[tuple[str, str]]
    method: dict
    network: dict
    names: dict = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)
    #: Page one: what the Committee should decide (see :func:`executive_summary`).
    executive: dict = field(default_factory=dict)
    #: [(theme id, heading, [findings])], gaps and questions apart, in display order.
    themes: list = field(default_factory=list)
    question_themes: list = field(default_factory=list)
    #: The numbered sources, in the order the report first cites them.
    bibliography: list[dict] = field(default_factory=list)
    #: The distinct evidence queries (Q1, Q2, ...): [{"number", "cypher", "rules"}].
    queries: list[dict] = field(default_factory=list)
    #: The coordination network for the figure: nodes (id, name, group, betweenness), edges, group names.
    network_graph: dict = field(default_factory=dict)
    shorts: dict = field(default_factory=dict)

    def name(self, entity_id: str) -> str:
        return self.names.get(entity_id, entity_id)

    def short(self, entity_id: str) -> str:
        return self.shorts.get(entity_id) or self.name(entity_id)

    def as_dict(self) -> dict:
        return {"lang": self.lang, "today": self.today, "summary": self.summary, "findings": self.findings,
                "questions": self.questions,
                "changes": self.changes, "heatmap": {**self.heatmap, "cells": [
                    {"sector": s, "topic": t, "count": c} for (s, t), c in self.heatmap["cells"].items()]},
                "alignment": {**self.alignment, "cells": [
                    {"element": e, "sector": s, "initiatives": v} for (e, s), v in self.alignment["cells"].items()]},
                "metrics": self.metrics, "completeness": [{"indicator": k, "value": v} for k, v in self.completeness],
                "network": self.network, "executive": self.executive, "bibliography": self.bibliography,
                "queries": self.queries,
                "themes": [{"theme": t, "heading": h, "findings": [f["id"] for f in items]} for t, h, items in self.themes],
                "question_themes": [{"theme": t, "heading": h, "questions": [f["id"] for f in items]}
                                    for t, h, items in self.question_themes]}


def _localized(finding, lang: str) -> dict:
    d = finding.as_dict()
    if lang == "zh":
        d["display_title"] = finding.title_zh or finding.title
        d["display_action"] = finding.suggested_action_zh or finding.suggested_action
        d["display_caveat"] = finding.caveat_zh or finding.caveat
        d["display_to_settle"] = finding.to_settle_zh or finding.to_settle
    else:
        d["display_title"], d["display_action"], d["display_caveat"] = finding.title, finding.suggested_action, finding.caveat
        d["display_to_settle"] = finding.to_settle
    return d


#: Beyond this many agents the figure keeps the most central ones: a picture of thousands is a ball.
FIGURE_AGENTS = 150


def _network_graph(store, ontology, names: dict, shorts: dict, lang: str) -> dict:
    """The coordination network the metrics run on (analysis.network), for the report's figure:
    agents with at least one tie, their group and betweenness (networkx; sampled beyond 500)."""
    import networkx as nx
    net = read_network(store, ontology)
    g = net.graph.subgraph([n for n in net.graph if net.graph.degree(n)]).copy()
    isolated = net.graph.number_of_nodes() - g.number_of_nodes()
    between = nx.betweenness_centrality(g, k=min(200, len(g)) if len(g) > 500 else None, seed=7) if len(g) else {}
    keep = sorted(g, key=lambda n: (-between.get(n, 0), -g.degree(n), net.ids[n]))[:FIGURE_AGENTS]
    g = g.subgraph(keep)
    group_ids = {net.groups.get(n, "other") for n in g}
    return {"nodes": [{"id": net.ids[n], "name": names.get(net.ids[n], net.ids[n]), "group": net.groups.get(n, "other"),
                       "betweenness": round(between.get(n, 0.0), 6)} for n in sorted(g, key=lambda n: net.ids[n])],
            "edges": sorted([net.ids[a], net.ids[b], int(d.get("weight", 1))] for a, b, d in g.edges(data=True)),
            # a group's name, or its short name when the name would not fit above its disc
            "group_names": {grp: (names.get(grp) if len(names.get(grp) or "") <= 32 else shorts.get(grp))
                            or GROUP_NAMES[lang].get(grp, grp) for grp in group_ids},
            "isolated": isolated, "labels": 14}


def entity_changes(before_graph, after_graph) -> dict:
    before_nodes, after_nodes = set(before_graph.nodes), set(after_graph.nodes)
    before_links, after_links = set(before_graph.relationships), set(after_graph.relationships)
    short = lambda uri: after_graph.nodes.get(uri, before_graph.nodes.get(uri)).properties["id"]  # noqa: E731
    return {
        "entities_added": sorted(short(u) for u in after_nodes - before_nodes),
        "entities_removed": sorted(short(u) for u in before_nodes - after_nodes),
        "links_added": sorted([short(k.source), k.type, short(k.target)] for k in after_links - before_links),
        "links_removed": sorted([short(k.source), k.type, short(k.target)] for k in before_links - after_links),
    }


def _store_graph(nodes: list[dict], relationships: list[dict]) -> PropertyGraph:
    """What a store holds, in the mapping's shape, so the current data and a baseline are compared
    like for like (both as loaded)."""
    graph = PropertyGraph()
    for n in nodes:
        uri = n["properties"]["uri"]
        graph.nodes[uri] = Node(uri, n["labels"], n["properties"])
    for r in relationships:
        graph.relationships[RelKey(r["source"], r["type"], r["target"])] = r.get("sources") or []
    return graph


def build_report(settings: Settings, lang: str = "en", baseline: str | None = None, today: str | None = None,
                 store: GraphStore | None = None, analysis=None, validation=None) -> ReportData:
    """Analyze the store and gather everything the report shows; what it says about the data comes
    from the store. ``analysis`` may be given when already computed (the demo writes the report in
    two languages from one analysis); ``validation``, the report of the data just loaded, adds its
    warning count."""
    lang = lang if lang in TEXT else "en"
    today = today or date.today().isoformat()
    owns = store is None
    store = store or open_store(settings)
    try:
        result = analysis or analyze(settings, today=today, store=store)
        today = result.today or today
        queries = load_queries()
        facts = store.run(NODE_FACTS).rows
        wording = Wording.from_store(store, pipeline.load_ontology(settings))
        names = {r["id"]: ((r["name_zh"] if lang == "zh" else None) or r["name"] or r["id"]) for r in facts}
        for group, name in GROUP_NAMES[lang].items():
            names.setdefault(group, name)
        coverage = run_query(store, queries["sector-topic-coverage"]).rows
        overlaps = {f.entities[0] for f in result.findings if f.rule == "uncoordinated-overlap"}
        sectors = sorted({r["sector"] for r in coverage}) or sorted(r["id"] for r in facts if "Division" in r["labels"])
        topics = sorted({r["topic"] for r in coverage}, key=lambda t: (-sum(1 for r in coverage if r["topic"] == t), t))
        heatmap = {"sectors": sectors, "topics": topics, "cells": {(r["sector"], r["topic"]): r["count"] for r in coverage},
                   "overlaps": sorted(overlaps & set(topics))}
        elements = [r for r in run_query(store, queries["initiatives-per-strategy-element"]).rows]
        matrix = defaultdict(list)
        for r in run_query(store, queries["strategy-alignment-matrix"]).rows:
            matrix[(r["element"], r["sector"])] = sorted(r["initiatives"])
        alignment = {"elements": [{"id": e["element"], "kind": e["kind"]} for e in elements],
                     "sectors": sectors, "cells": dict(matrix)}
        brokers = run_query(store, queries["top-brokers"], {"limit": 10}).rows
        network = result.network
        metrics = {"top_brokers": brokers, "ei_by_group": network.get("ei_by_group", {}),
                   "ei_network": network.get("ei_network")}
        # everything said about the data comes from the store the report reads
        graph = _store_graph(*pipeline.read_store(settings, store))
        doc_uris = {r["uri"] for r in facts if "Document" in r["labels"]}
        statements = [r for r in facts if "CompletenessStatement" in r["labels"]]
        entities = [r for r in facts if "SourceRemark" not in r["labels"]]
        led = [r for r in entities if ("Initiative" in r["labels"] or "CoordinationMechanism" in r["labels"])]
        mechanisms = [r for r in entities if "CoordinationMechanism" in r["labels"]]
        c = COMPLETENESS[lang]
        pct = lambda part, whole: f"{part} / {whole} ({100 * part / whole:.0f}%)" if whole else "0"  # noqa: E731
        completeness = [
            (c["entities"], str(len(entities))), (c["relationships"], str(len(graph.relationships))),
            (c["named_en_zh"], pct(sum(1 for r in entities if r["name"] and r["name_zh"]), len(entities))),
            (c["with_url_source"], pct(sum(1 for r in entities if any(pipeline.is_public_url(str(s)) and s not in doc_uris
                                                                        for s in r["sources"] or [])),
                                       len(entities))),
            (c["with_document_source"], pct(sum(1 for r in entities if set(r["sources"] or []) & doc_uris), len(entities))),
            (c["initiatives_with_lead"], pct(sum(1 for r in led if r["leads"]), len(led))),
            (c["mechanisms_with_participants"], pct(sum(1 for r in mechanisms if r["members"]), len(mechanisms))),
            (c["statements"], str(len(statements))),
            (c["partial"], str(sum(1 for r in entities if r["confidence"] == "partial"))),
        ]
        documents = store.run(READ_DOCUMENTS).rows
        ontology = pipeline.load_ontology(settings)
        shorts = {r["id"]: ((r["acronyms"] or [None])[0] if lang == "en" else None) or names[r["id"]] for r in facts}
        network_graph = _network_graph(store, ontology, names, shorts, lang)
        if validation is not None:  # given only when the caller validated the data it loaded (demo)
            completeness.append((c["warnings"], str(len(validation.warnings))))
        changes = None
        if baseline:
            from .baseline import baseline_settings
            with baseline_settings(settings, baseline) as base:
                pipeline.load(base, force=True)
                before = _store_graph(*pipeline.read_store(base))
                base_result = analyze(base, today=today)
                base_ids = {f.id for f in base_result.findings + base_result.questions}
            current_ids = {f.id for f in result.findings + result.questions}
            changes = {"baseline": baseline, "opened": sorted(current_ids - base_ids),
                       "closed": sorted(base_ids - current_ids), **entity_changes(before, graph)}
            changes["nothing"] = not any(changes[k] for k in CHANGE_KINDS)
    finally:
        if owns:
            store.close()
    summary = result.summary()
    text = wording.apply_all(TEXT[lang], lang)
    labels = {r["id"]: r["labels"] for r in facts}

    def kind(label: str) -> str:
        info = ontology.class_by_label.get(label)
        return (info.labels.get(lang) or info.labels.get("en") or label) if info else label

    def word(key: str) -> str:
        return wording.apply("{" + key + "}", lang)

    sentences = Sentences(lang, lambda i: names.get(i, i), lambda i: shorts.get(i) or names.get(i, i), kind, word)
    findings = [_localized(f, lang) for f in result.findings]
    questions = [_localized(f, lang) for f in result.questions]
    themes = by_theme(findings, names, labels, text)
    question_themes = by_theme(questions, names, labels, text)
    cited = [src for _t, _h, items in themes + question_themes for f in items
             for src in [*f["sources"], *(x for st in [*(f.get("statements") or []), *(f.get("checked") or [])]
                                          for x in st.get("sources") or [])]]
    refs = bibliography(cited, documents, lang)
    queries: dict[str, int] = {}
    for _t, _h, items in themes + question_themes:
        for f in items:
            enrich(f, sentences, refs, queries, names, text)
    query_rules: dict[str, list[str]] = {}
    for f in findings + questions:
        if f.get("query"):
            query_rules.setdefault(f["query"]["cypher"], [])
            if f["rule"] not in query_rules[f["query"]["cypher"]]:
                query_rules[f["query"]["cypher"]].append(f["rule"])
    return ReportData(
        lang=lang, today=today, text=text, summary=summary,
        findings=findings, rule_names=RULE_NAMES[lang], changes=changes,
        questions=questions,
        heatmap=heatmap, alignment=alignment, metrics=metrics, completeness=completeness,
        method={"rules": wording.apply_all(RULE_METHOD[lang], lang),
                "metrics": [(wording.apply(m, lang), wording.apply(t, lang)) for m, t in METRIC_METHOD[lang]]},
        network=network, names=names, shorts=shorts,
        executive=executive_summary(findings, questions, result.dismissed),
        themes=themes, question_themes=question_themes,
        bibliography=[r.as_dict() for r in sorted(refs.values(), key=lambda r: r.number)],
        queries=[{"number": n, "cypher": q, "rules": query_rules.get(q, [])} for q, n in sorted(queries.items(), key=lambda kv: kv[1])],
        network_graph=network_graph)


#: Which rules' findings weigh most when severities are equal: what the Committee can act on
#: across the organization first, data questions last.
RULE_PRIORITY = ("uncoordinated-overlap", "uncovered-strategy-element", "overdue-mandate", "broker-dependency", "silo",
                 "partial-coordination", "regional-gap", "missing-owner", "missing-mandate", "unaligned-activity",
                 "probable-duplicate")
#: How many gaps (or questions) page one names.
EXECUTIVE_ITEMS = 5


def importance(f: dict) -> tuple:
    """Most important first: severity, a reopened decision, the rule's weight, how many entities it
    involves (an overlap of three divisions before one of two), then the id for a stable order."""
    rule = RULE_PRIORITY.index(f["rule"]) if f["rule"] in RULE_PRIORITY else len(RULE_PRIORITY)
    reopened = (f.get("triage") or {}).get("status") == "reopened"
    return (-SEVERITIES.index(f["severity"]), not reopened, rule, -len(f.get("entities") or []), f["id"])


def executive_summary(findings: list[dict], questions: list[dict], dismissed: list[str]) -> dict:
    """Page one: the few most important gaps (or, when there are none, questions), and the counts."""
    kind = "gaps" if findings else ("questions" if questions else "none")
    pool = findings if findings else questions
    ranked = sorted(pool, key=importance)
    triage = Counter((f.get("triage") or {}).get("status") for f in findings + questions)
    triage.pop(None, None)
    if dismissed:
        triage["dismissed"] = len(dismissed)
    return {"kind": kind, "items": [f["id"] for f in ranked[:EXECUTIVE_ITEMS]],
            "more": max(0, len(ranked) - EXECUTIVE_ITEMS), "triage": dict(sorted(triage.items()))}


def theme_heading(theme: str, names: dict, labels: dict, text: dict) -> str:
    if theme in text:
        return text[theme]
    kinds = labels.get(theme) or []
    prefix = (text["theme_topic"] if "Topic" in kinds else text["theme_region"] if "Region" in kinds
              else text["theme_element"] if "StrategyElement" in kinds else "")
    name = names.get(theme, theme)
    return f"{prefix}{text['theme_sep']}{name}" if prefix else name


def by_theme(items: list[dict], names: dict, labels: dict, text: dict) -> list[tuple[str, str, list[dict]]]:
    """Findings grouped by theme; themes by their most severe finding, then size, then heading;
    within a theme, by importance."""
    groups: dict[str, list[dict]] = {}
    for f in items:
        groups.setdefault(f.get("theme") or "theme:other", []).append(f)
    out = []
    for theme, members in groups.items():
        members.sort(key=importance)
        out.append((theme, theme_heading(theme, names, labels, text), members))
    fixed_last = lambda t: t.startswith("theme:")  # noqa: E731
    out.sort(key=lambda x: (fixed_last(x[0]), importance(x[2][0])[0], -len(x[2]), x[1]))
    return out


def enrich(f: dict, sentences: Sentences, refs: dict, queries: dict, names: dict, text: dict) -> None:
    """What the report shows of a finding, in its language: evidence sentences and table, the
    statements it rests on with their references, owner, who can answer, triage, references."""
    f["display_evidence"], f["evidence_table"] = sentences.evidence(f)
    f["display_statements"] = [{"text": sentences.statement(st), "refs": sorted({refs[x].number for x in st.get("sources") or []
                                                                                 if x in refs})}
                               for st in f.get("statements") or []]
    f["refs"] = sorted({refs[x].number for x in f["sources"] if x in refs})
    f["checked_refs"] = sorted({refs[x].number for st in f.get("checked") or [] for x in st.get("sources") or []
                                if x in refs})
    f["display_owner"] = [names.get(o, o) for o in f.get("owner") or []]
    f["display_ask"] = [names.get(a, a) for a in (f.get("ask") or f.get("owner") or [])]
    if f.get("query"):
        cypher = f["query"]["cypher"]
        queries.setdefault(cypher, len(queries) + 1)
        f["query_ref"] = queries[cypher]
        f["display_params"] = " ".join("-p " + shlex.quote(f"{k}={_cli_value(v)}") for k, v in f["query"]["parameters"].items())
    t = f.get("triage")
    if t:
        status = text.get(f"triage_{t['status']}", t["status"])
        detail = []
        if t.get("owner"):
            owners = t["owner"] if isinstance(t["owner"], list) else [t["owner"]]
            detail.append(f"{text['owner']}: {join([names.get(o, o) for o in owners], sentences.lang)}")
        if t.get("due"):
            detail.append(f"{text['due']} {t['due']}")
        if t.get("decided_on"):
            detail.append(str(t["decided_on"]))
        if t.get("reviewer"):
            detail.append(str(t["reviewer"]))
        f["display_triage"] = {"status": t["status"], "text": status + (" (" + ", ".join(detail) + ")" if detail else ""),
                               "reason": t.get("reason")}


__all__ = ["ReportData", "build_report", "SEVERITIES"]
