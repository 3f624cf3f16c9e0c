"""What the report says, computed once and rendered in every format and language."""
from __future__ import annotations

from collections import defaultdict
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

#: The kinds of change since a baseline, in the order reports list them.
CHANGE_KINDS = ("opened", "closed", "entities_added", "entities_removed", "links_added", "links_removed")

NODE_FACTS = """
MATCH (n:Resource)
OPTIONAL MATCH (n)<-[:LEADS]-(lead:Agent)
OPTIONAL MATCH (n)<-[:PARTICIPATES_IN|LEADS]-(member:Agent)
RETURN n.id AS id, n.uri AS uri, labels(n) AS labels, n.name AS name, n.name_zh AS name_zh, n.sources AS sources,
       n.confidence AS confidence, count(DISTINCT lead) AS leads, count(DISTINCT member) AS members
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

    def name(self, entity_id: str) -> str:
        return self.names.get(entity_id, entity_id)

    def as_dict(self) -> dict:
        return {"lang": self.lang, "today": self.today, "summary": self.summary, "findings": self.findings,
                "questions": self.questions,
                "changes": self.changes, "heatmap": {**self.heatmap, "cells": [
                    {"sector": s, "topic": t, "count": c} for (s, t), c in self.heatmap["cells"].items()]},
                "alignment": {**self.alignment, "cells": [
                    {"element": e, "sector": s, "initiatives": v} for (e, s), v in self.alignment["cells"].items()]},
                "metrics": self.metrics, "completeness": [{"indicator": k, "value": v} for k, v in self.completeness],
                "network": self.network}


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
        entities = [r for r in facts if "CompletenessStatement" not in r["labels"]]
        led = [r for r in entities if ("Initiative" in r["labels"] or "CoordinationMechanism" in r["labels"])]
        mechanisms = [r for r in entities if "CoordinationMechanism" in r["labels"]]
        c = COMPLETENESS[lang]
        pct = lambda part, whole: f"{part} / {whole} ({100 * part / whole:.0f}%)" if whole else "0"  # noqa: E731
        completeness = [
            (c["entities"], str(len(entities))), (c["relationships"], str(len(graph.relationships))),
            (c["named_en_zh"], pct(sum(1 for r in entities if r["name"] and r["name_zh"]), len(entities))),
            (c["with_url_source"], pct(sum(1 for r in entities if any(str(s).startswith("http") and s not in doc_uris
                                                                        and "w3id.org" not in s for s in r["sources"] or [])),
                                       len(entities))),
            (c["with_document_source"], pct(sum(1 for r in entities if set(r["sources"] or []) & doc_uris), len(entities))),
            (c["initiatives_with_lead"], pct(sum(1 for r in led if r["leads"]), len(led))),
            (c["mechanisms_with_participants"], pct(sum(1 for r in mechanisms if r["members"]), len(mechanisms))),
            (c["statements"], str(len(statements))),
            (c["partial"], str(sum(1 for r in entities if r["confidence"] == "partial"))),
        ]
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
    return ReportData(
        lang=lang, today=today, text=wording.apply_all(TEXT[lang], lang), summary=summary,
        findings=[_localized(f, lang) for f in result.findings], rule_names=RULE_NAMES[lang], changes=changes,
        questions=[_localized(f, lang) for f in result.questions],
        heatmap=heatmap, alignment=alignment, metrics=metrics, completeness=completeness,
        method={"rules": wording.apply_all(RULE_METHOD[lang], lang),
                "metrics": [(wording.apply(m, lang), wording.apply(t, lang)) for m, t in METRIC_METHOD[lang]]},
        network=network, names=names)


__all__ = ["ReportData", "build_report", "SEVERITIES"]
