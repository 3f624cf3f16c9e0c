"""analyze: rules and metrics over the store, metrics written back, findings returned."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from ..cypher import Statements
from ..memory import without_collector
from ..queries import load_queries, run_query
from ..store import GraphStore, open_store
from .findings import SEVERITIES, Finding, finding_id
from .metrics import ROLES, NetworkMetrics, compute, parts_without
from .network import CoordinationNetwork, read_network
from .rules import RULES, to_finding
from .triage import apply_decisions, dismissed_ids, read_decisions

#: A unit or group is a silo when its E-I index is at or below this: at least three of four of
#: its ties stay inside its own group (Krackhardt and Stern 1988 read -1..+1; -0.5 is our line).
SILO_THRESHOLD = -0.5
#: Units with fewer ties than this are not judged as silos: two ties say too little.
SILO_MIN_DEGREE = 3
NETWORK_RULES = ("broker-dependency", "silo")
ALL_RULES = tuple(RULES) + NETWORK_RULES

ENTITY_INFO = """
MATCH (n:Resource) WHERE n.id IN $ids
RETURN n.id AS id, n.name AS name, n.name_zh AS name_zh, n.acronyms AS acronyms, n.sources AS sources,
       n.confidence AS confidence
"""
RELATION_SOURCES = """
UNWIND $groups AS g
UNWIND g.ids AS entity
MATCH (a:Resource {id: entity})-[r]->(b:Resource)
WHERE b.id IN g.ids
RETURN g.key AS key, r.sources AS sources
"""
GROUP_NAMES_ZH = {"general-secretariat": "总秘书处", "regional-presence": "区域代表处", "other": "其他"}


@dataclass
class AnalysisResult:
    findings: list[Finding]
    network: dict = field(default_factory=dict)
    today: str = ""
    dismissed: list[str] = field(default_factory=list)  # ids the Committee dismissed, evidence unchanged

    def summary(self) -> dict:
        by_severity = {s: sum(1 for f in self.findings if f.severity == s) for s in reversed(SEVERITIES)}
        by_rule: dict[str, int] = {}
        for f in self.findings:
            by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
        return {"findings": len(self.findings), "by_severity": by_severity, "by_rule": dict(sorted(by_rule.items()))}

    def as_dict(self) -> dict:
        return {"today": self.today, "summary": self.summary(), "findings": [f.as_dict() for f in self.findings],
                "network": self.network, "dismissed": self.dismissed}


def _clean(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def write_metrics(store: GraphStore, statements: Statements, net: CoordinationNetwork, m: NetworkMetrics) -> int:
    """Metrics as node properties, under the names the ontology gives them, on either engine."""
    keys = sorted(statements.ontology.metric_keys)
    store.run(statements.clear_metrics(keys), write=True)
    rows = []
    for uri in net.graph.nodes():
        b = m.brokerage.get(uri, {})
        rows.append({"uri": uri, "betweenness": _clean(m.betweenness.get(uri)), "constraint": _clean(m.constraint.get(uri)),
                     "effective_size": _clean(m.effective_size.get(uri)), "ei_index": _clean(m.ei["nodes"].get(uri)),
                     "group": net.groups.get(uri), "degree": m.degree.get(uri, 0),
                     "brokerage_total": b.get("total", 0), **{f"brokerage_{r}": b.get(r, 0) for r in ROLES},
                     "articulation_point": uri in m.articulation_points, "community": m.communities.get(uri)})
    statement = statements.write_metrics(keys)
    for start in range(0, len(rows), 5000):
        store.run(statement, {"rows": rows[start:start + 5000]}, write=True)
    return len(rows)


def network_findings(net: CoordinationNetwork, m: NetworkMetrics, names) -> list[Finding]:
    findings = []
    graph = net.graph
    gname = lambda g, lang: (GROUP_NAMES_ZH.get(g) if lang == "zh" and g in GROUP_NAMES_ZH else names(g, lang))  # noqa: E731
    split = parts_without(graph, sorted(m.articulation_points))
    for uri in sorted(m.articulation_points):
        parts = split[uri]
        if len(parts) < 2:
            continue
        own = net.groups.get(uri, "other")
        cut_off = [sorted(net.ids[n] for n in part) for part in parts[1:]]
        cut_groups = sorted({net.groups.get(n, "other") for part in parts[1:] for n in part})
        between_groups = any(g != own for g in cut_groups)
        agent = net.ids[uri]
        evidence = [{"articulation_point": agent, "group": own, "betweenness": round(m.betweenness.get(uri, 0.0), 4),
                     "effective_size": _clean(m.effective_size.get(uri)), "parts": len(parts),
                     "main_part_size": len(parts[0]), "cut_off": cut_off, "cut_off_groups": cut_groups}]
        cut_names_en = "; ".join(", ".join(names(i, "en") for i in part[:4]) + (" …" if len(part) > 4 else "") for part in cut_off)
        cut_names_zh = "；".join("、".join(names(i, "zh") for i in part[:4]) + ("等" if len(part) > 4 else "") for part in cut_off)
        if between_groups:
            title = f"Coordination between groups hangs on {names(agent, 'en')}: without it, {cut_names_en} lose(s) every tie to the rest"
            title_zh = f"群体间的协调依赖于{names(agent, 'zh')}：缺少它，{cut_names_zh}将与其余部分失去一切联系"
        else:
            title = f"{cut_names_en} reach(es) the rest of the organization only through {names(agent, 'en')}"
            title_zh = f"{cut_names_zh}只能通过{names(agent, 'zh')}与组织其余部分联系"
        findings.append(Finding(
            id=finding_id("broker-dependency", agent), rule="broker-dependency",
            severity="high" if between_groups else "low", title=title, title_zh=title_zh,
            entities=[agent] + [i for part in cut_off for i in part], evidence=evidence,
            suggested_action="Add a second channel (a mechanism or a direct liaison) between the parts it connects.",
            suggested_action_zh="在其连接的各部分之间增加第二条渠道（协调机制或直接联络）。"))
    for a, b in m.bridges:
        ga, gb = net.groups.get(a, "other"), net.groups.get(b, "other")
        if ga == gb or graph.degree(a) == 1 or graph.degree(b) == 1:
            continue  # a pendant unit or an internal link is not a dependency between groups
        ia, ib = net.ids[a], net.ids[b]
        findings.append(Finding(
            id=finding_id("broker-dependency", ia, ib), rule="broker-dependency", severity="medium",
            title=f"The only tie between {names(ia, 'en')} and {names(ib, 'en')} is a bridge: cut it and their groups separate",
            title_zh=f"{names(ia, 'zh')}与{names(ib, 'zh')}之间唯一的联系是桥：一旦切断，两个群体即告分离",
            entities=[ia, ib], evidence=[{"bridge": [ia, ib], "groups": [ga, gb], "through": net.why(a, b)}],
            suggested_action="Add a second channel between these groups.",
            suggested_action_zh="在这两个群体之间增加第二条渠道。"))
    for group, value in sorted(m.ei["groups"].items()):
        if group == "other" or math.isnan(value) or value > SILO_THRESHOLD:
            continue
        members = sorted(net.ids[n] for n, g in net.groups.items() if g == group and n in graph)
        findings.append(Finding(
            id=finding_id("silo", "group", group), rule="silo", severity="high",
            title=f"{gname(group, 'en')} is a silo: its ties are mostly internal (E-I index {value:.2f})",
            title_zh=f"{gname(group, 'zh')}是一个孤岛：其联系主要在内部（E-I指数为{value:.2f}）",
            entities=[group, *members], evidence=[{"group": group, "ei_index": round(value, 4), "members": members}],
            suggested_action="Bring its units into the cross-Sector mechanisms that cover their topics.",
            suggested_action_zh="让其单位参与涉及其主题的跨部门机制。"))
    for uri, value in sorted(m.ei["nodes"].items()):
        if math.isnan(value) or value > SILO_THRESHOLD or graph.degree(uri) < SILO_MIN_DEGREE:
            continue
        if net.groups.get(uri) in (None, "other") or net.ids[uri] == net.groups.get(uri):
            continue  # the group's own head node is judged with its group
        unit = net.ids[uri]
        findings.append(Finding(
            id=finding_id("silo", unit), rule="silo", severity="medium",
            title=f"{names(unit, 'en')} works mostly inside {gname(net.groups[uri], 'en')} (E-I index {value:.2f})",
            title_zh=f"{names(unit, 'zh')}的工作主要局限于{gname(net.groups[uri], 'zh')}内部（E-I指数为{value:.2f}）",
            entities=[unit], evidence=[{"unit": unit, "group": net.groups[uri], "ei_index": round(value, 4),
                                        "ties": graph.degree(uri)}],
            suggested_action="Bring it into the cross-Sector mechanisms that cover its topics.",
            suggested_action_zh="让其参与涉及其主题的跨部门机制。"))
    return findings


class _Names:
    """Entity names by id and language, with English fallback."""

    def __init__(self, info: dict):
        self.info = info

    def __call__(self, entity_id: str, lang: str = "en") -> str:
        row = self.info.get(entity_id)
        if not row:
            return entity_id
        if lang == "zh" and row.get("name_zh"):
            return row["name_zh"]
        return row.get("name") or entity_id

    def short(self, entity_id: str, lang: str = "en") -> str:
        """The first acronym when there is one (ITU-T), else the name."""
        row = self.info.get(entity_id) or {}
        acronyms = row.get("acronyms") or []
        return acronyms[0] if acronyms else self(entity_id, lang)


@without_collector
def analyze(settings, *, rules: list[str] | None = None, min_severity: str = "low", today: str | None = None,
            include_unverified: bool | None = None, store: GraphStore | None = None,
            write_back: bool = True) -> AnalysisResult:
    """Run every rule (or those named) and the network metrics on the store.

    Findings whose main entity is marked ``confidence "unverified"`` are left out unless
    ``include_unverified``. Metrics are written back as node properties (``write_back``).
    """
    today = today or date.today().isoformat()
    include_unverified = settings.include_unverified if include_unverified is None else include_unverified
    wanted = set(rules or ALL_RULES)
    unknown = wanted - set(ALL_RULES)
    if unknown:
        from ..errors import ParameterError
        raise ParameterError(f"unknown rule(s) {', '.join(sorted(unknown))}; rules: {', '.join(ALL_RULES)}")
    owns = store is None
    store = store or open_store(settings)
    try:
        from ..pipeline import load_ontology
        statements = Statements(load_ontology(settings))
        net = read_network(store)
        metrics = compute(net.graph, net.groups, net.regions)
        if write_back:
            write_metrics(store, statements, net, metrics)
        raw: list[tuple[str, str, dict]] = []
        queries = {q.rule: q for q in load_queries().values() if q.rule}
        for rule in RULES:
            if rule not in wanted:
                continue
            query = queries[rule]
            params = {"today": today} if any(p.name == "today" for p in query.params) else {}
            for row in run_query(store, query, params).rows:
                raw.append((rule, query.severity or "medium", row))
        ids = {i for rule, _, row in raw for i in RULES[rule].entities(row)} | set(net.ids.values()) | set(net.groups.values())
        info = {r["id"]: r for r in store.run(ENTITY_INFO, {"ids": sorted(ids)}).rows}
        names = _Names(info)
        findings = [to_finding(rule, severity, row, names) for rule, severity, row in raw]
        findings += [f for f in network_findings(net, metrics, names) if f.rule in wanted]
        attach_sources(store, findings, info)
        add_caveats(findings, info)
        if not include_unverified:
            findings = [f for f in findings if (info.get(f.entities[0]) or {}).get("confidence") != "unverified"]
        findings = [f for f in findings if f.at_least(min_severity)]
        decisions = read_decisions(store, statements.ontology)  # the Committee's triage (analysis.triage)
        dismissed = dismissed_ids(findings, decisions)
        findings = apply_decisions(findings, decisions)
        findings.sort(key=lambda f: (-SEVERITIES.index(f.severity), f.rule, f.id))
        network = network_summary(net, metrics)
    finally:
        if owns:
            store.close()
    return AnalysisResult(findings, network, today, dismissed)


def attach_sources(store: GraphStore, findings: list[Finding], info: dict, batch: int = 2000) -> None:
    """A finding's sources: those of its entities and of the relationships among them (read in
    batches of findings, not one query each)."""
    for f in findings:
        f.sources = sorted({s for entity in f.entities for s in (info.get(entity) or {}).get("sources") or []})
    for start in range(0, len(findings), batch):
        chunk = findings[start:start + batch]
        groups = [{"key": i, "ids": f.entities} for i, f in enumerate(chunk)]
        extra: dict[int, set] = {}
        for row in store.run(RELATION_SOURCES, {"groups": groups}).rows:
            extra.setdefault(row["key"], set()).update(row["sources"] or [])
        for i, f in enumerate(chunk):
            if extra.get(i):
                f.sources = sorted(set(f.sources) | extra[i])


def add_caveats(findings: list[Finding], info: dict) -> None:
    """Say where the data behind a finding is thin (in English and Chinese)."""
    for f in findings:
        en, zh = [], []
        partial = sorted(e for e in f.entities if (info.get(e) or {}).get("confidence") == "partial")
        if partial:
            en.append(f"some facts behind it are marked partial in the sources ({', '.join(partial[:5])})")
            zh.append(f"其依据的部分事实在来源中标记为“部分确认”（{'、'.join(partial[:5])}）")
        if f.rule == "uncoordinated-overlap":
            silent = [m["id"] for m in f.evidence[0]["mechanisms"] if not m["sectors"]]
            if silent:
                en.append(f"{', '.join(silent)} cover(s) this topic but record(s) no participants; "
                          "the overlap may be coordinated there")
                zh.append(f"{'、'.join(silent)}涉及该主题，但没有记录参与方；重叠工作可能已在其中得到协调")
        elif f.rule == "regional-gap":
            en.append("regional work is recorded for the office network as a whole; the part of each office is "
                      "not recorded, so this may be a gap in the data rather than in the work")
            zh.append("区域工作仅按代表处网络整体记录，未记录各代表处的参与情况，因此这可能是数据缺口而非工作缺口")
        elif f.rule in ("missing-owner", "unaligned-activity", "missing-mandate"):
            en.append("absence of a link in the data is not proof of its absence in practice")
            zh.append("数据中缺少某一联系，并不证明实际工作中不存在该联系")
        elif f.rule in ("silo", "broker-dependency"):
            en.append("the coordination network counts only recorded participation; unrecorded channels would weaken this")
            zh.append("协调网络只计入有记录的参与；未记录的渠道会削弱这一结论")
        f.caveat = "; ".join(en) or None
        f.caveat_zh = "；".join(zh) or None


def network_summary(net: CoordinationNetwork, m: NetworkMetrics) -> dict:
    g = net.graph
    top = sorted(g.nodes(), key=lambda n: (-m.betweenness.get(n, 0), net.ids[n]))[:10]
    return {
        "agents": g.number_of_nodes(), "ties": g.number_of_edges(),
        "groups": dict(sorted({grp: sum(1 for n in g if net.groups.get(n) == grp) for grp in set(net.groups.values())}.items())),
        "ei_by_group": {k: _clean(round(v, 4)) for k, v in sorted(m.ei["groups"].items())},
        "ei_by_region": {k: _clean(round(v, 4)) for k, v in sorted(m.ei_region["groups"].items())},
        "ei_network": _clean(round(m.ei["network"], 4)),
        "articulation_points": sorted(net.ids[n] for n in m.articulation_points),
        "bridges": [[net.ids[a], net.ids[b]] for a, b in m.bridges],
        "communities": len(set(m.communities.values())),
        "community_vs_groups_nmi": _clean(round(m.community_vs_groups_nmi, 4)),
        "top_brokers": [{"agent": net.ids[n], "name": net.names.get(n), "group": net.groups.get(n),
                         "betweenness": round(m.betweenness.get(n, 0), 4),
                         "constraint": _clean(round(m.constraint.get(n, float("nan")), 4)),
                         "effective_size": _clean(round(m.effective_size.get(n, float("nan")), 4)),
                         "brokerage": m.brokerage.get(n, {})} for n in top],
    }
