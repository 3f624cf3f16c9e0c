"""analyze: rules and metrics over the store, metrics written back, findings returned."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from ..cypher import Statements
from ..memory import without_collector
from ..queries import load_queries, run_query
from ..store import GraphStore, open_store
from ..duplicates import probable_duplicates
from .findings import RECORDED, SEVERITIES, UNRECORDED, Finding, finding_id
from .metrics import ROLES, NetworkMetrics, compute, parts_without
from .network import CoordinationNetwork, read_network
from .context import add_context
from .evidence import evidence_query
from .rules import RULES, Completeness, one_per_gap, to_finding
from .triage import apply_decisions, dismissed_ids, read_decisions

#: A unit or group is a silo when its E-I index is at or below this: at least three of four of
#: its ties stay inside its own group (Krackhardt and Stern 1988 read -1..+1; -0.5 is our line).
SILO_THRESHOLD = -0.5
#: Units with fewer ties than this are not judged as silos: two ties say too little.
SILO_MIN_DEGREE = 3
NETWORK_RULES = ("broker-dependency", "silo")
DATA_RULES = ("probable-duplicate",)
ALL_RULES = tuple(RULES) + NETWORK_RULES + DATA_RULES

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
STATEMENTS = """
MATCH (s:CompletenessStatement)-[:STATEMENT_ABOUT]->(e:Resource)
RETURN s.id AS id, e.id AS about, s.aspect AS aspect, coalesce(s.no_value, false) AS no_value, s.sources AS sources
"""
SILENCES = """
MATCH (s:SourceSilence)-[:STATEMENT_ABOUT]->(e:Resource)
RETURN s.id AS id, e.id AS about, s.aspect AS aspect, s.sources AS sources
"""
ENTITY_RECORDS = """
MATCH (n:Entity)
WHERE NOT n:SourceRemark
RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.name_zh AS name_zh, n.name_fr AS name_fr,
       n.acronyms AS acronyms, n.sources AS sources
"""



@dataclass
class AnalysisResult:
    """``findings``: the gaps (basis recorded); ``questions``: what the record does not settle.
    Counts and severities are of gaps only; questions are listed apart."""
    findings: list[Finding]
    network: dict = field(default_factory=dict)
    today: str = ""
    questions: list[Finding] = field(default_factory=list)
    dismissed: list[str] = field(default_factory=list)  # ids the Committee dismissed, evidence unchanged

    def summary(self) -> dict:
        by_severity = {s: sum(1 for f in self.findings if f.severity == s) for s in reversed(SEVERITIES)}
        by_rule: dict[str, int] = {}
        for f in self.findings:
            by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
        questions: dict[str, int] = {}
        for f in self.questions:
            questions[f.rule] = questions.get(f.rule, 0) + 1
        return {"findings": len(self.findings), "by_severity": by_severity, "by_rule": dict(sorted(by_rule.items())),
                "questions": len(self.questions), "questions_by_rule": dict(sorted(questions.items()))}

    def as_dict(self) -> dict:
        return {"today": self.today, "summary": self.summary(), "findings": [f.as_dict() for f in self.findings],
                "questions": [f.as_dict() for f in self.questions], "network": self.network, "dismissed": self.dismissed}


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


def _participation_basis(agents: list[str], st: Completeness, names) -> dict:
    """A network finding says an agent's ties are few or one-sided; that holds only when what the
    agent takes part in is recorded in full (a participation statement for each agent)."""
    found, missing = [], []
    for agent in agents:
        statements = st.get(agent, "participation")
        if statements:
            found.extend(statements)
        else:
            missing.append((f"record every mechanism and initiative {names(agent, 'en')} takes part in, "
                            "or state that the list recorded is complete",
                            f"记录{names(agent, 'zh')}参与的全部机制和举措，或说明所记录的名单完整"))
    missing = missing[:5] + ([("… and the same for the other agents listed", "……其余所列单位同样如此")]
                             if len(missing) > 5 else [])
    return {"basis": UNRECORDED if missing else RECORDED, "statements": list({s["id"]: s for s in found}.values()),
            "to_settle": [en for en, _ in missing], "to_settle_zh": [zh for _, zh in missing]}


def network_findings(net: CoordinationNetwork, m: NetworkMetrics, names, st: Completeness | None = None) -> list[Finding]:
    """Broker dependencies (articulation points, bridges) and silos (E-I index) on the coordination
    network, which holds coordination ties only (docs/analysis.md). A finding is a gap when the
    participation of the agents it is about is recorded in full, a question otherwise."""
    st = st or Completeness([])
    findings = []
    graph = net.graph
    from ..report.i18n import GROUP_NAMES

    def gname(group: str, lang: str) -> str:
        return GROUP_NAMES.get(lang, GROUP_NAMES["en"]).get(group) or names(group, lang)
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
                     "main_part_size": len(parts[0]), "cut_off": cut_off, "cut_off_groups": cut_groups,
                     "ties": {i: net.why(uri, n) for part in parts[1:] for n in part
                              for i in [net.ids[n]] if graph.has_edge(uri, n)}}]
        cut_names_en = "; ".join(", ".join(names(i, "en") for i in part[:4]) + (" …" if len(part) > 4 else "") for part in cut_off)
        cut_names_zh = "；".join("、".join(names(i, "zh") for i in part[:4]) + ("等" if len(part) > 4 else "") for part in cut_off)
        basis = _participation_basis([i for part in cut_off for i in part], st, names)
        if between_groups:
            title = f"Coordination between groups hangs on {names(agent, 'en')}: without it, {cut_names_en} lose(s) every tie to the rest"
            title_zh = f"群体间的协调依赖于{names(agent, 'zh')}：缺少它，{cut_names_zh}将与其余部分失去一切联系"
        else:
            title = f"{cut_names_en} reach(es) the rest of the organization only through {names(agent, 'en')}"
            title_zh = f"{cut_names_zh}只能通过{names(agent, 'zh')}与组织其余部分联系"
        if basis["basis"] == UNRECORDED:
            verb = "Does" if sum(len(part) for part in cut_off) == 1 else "Do"
            title = f"{verb} {cut_names_en} coordinate with the rest of the organization other than through {names(agent, 'en')}?"
            title_zh = f"除通过{names(agent, 'zh')}外，{cut_names_zh}是否与组织其余部分有协调渠道？"
        findings.append(Finding(
            id=finding_id("broker-dependency", agent), rule="broker-dependency",
            severity="high" if between_groups else "low", title=title, title_zh=title_zh,
            entities=[agent] + [i for part in cut_off for i in part], evidence=evidence,
            suggested_action="Add a second channel (a mechanism or a direct liaison) between the parts it connects.",
            suggested_action_zh="在其连接的各部分之间增加第二条渠道（协调机制或直接联络）。",
            ask=[i for part in cut_off for i in part][:5], **basis))
    for a, b in m.bridges:
        ga, gb = net.groups.get(a, "other"), net.groups.get(b, "other")
        if ga == gb or graph.degree(a) == 1 or graph.degree(b) == 1:
            continue  # a pendant unit or an internal link is not a dependency between groups
        ia, ib = net.ids[a], net.ids[b]
        basis = _participation_basis([ia, ib], st, names)
        gap = basis["basis"] == RECORDED
        findings.append(Finding(
            id=finding_id("broker-dependency", ia, ib), rule="broker-dependency", severity="medium",
            title=(f"The only tie between {names(ia, 'en')} and {names(ib, 'en')} is a bridge: cut it and their groups separate"
                   if gap else f"Is the tie between {names(ia, 'en')} and {names(ib, 'en')} the only channel between their groups?"),
            title_zh=(f"{names(ia, 'zh')}与{names(ib, 'zh')}之间唯一的联系是桥：一旦切断，两个群体即告分离"
                      if gap else f"{names(ia, 'zh')}与{names(ib, 'zh')}之间的联系是否是两个群体之间唯一的渠道？"),
            entities=[ia, ib], evidence=[{"bridge": [ia, ib], "groups": [ga, gb], "through": net.why(a, b)}],
            suggested_action="Add a second channel between these groups.",
            suggested_action_zh="在这两个群体之间增加第二条渠道。", ask=[ia, ib], **basis))
    for group, value in sorted(m.ei["groups"].items()):
        if group == "other" or math.isnan(value) or value > SILO_THRESHOLD:
            continue
        members = sorted(net.ids[n] for n, g in net.groups.items() if g == group and n in graph)
        tied = sorted(net.ids[n] for n, g in net.groups.items() if g == group and n in graph and graph.degree(n))
        basis = _participation_basis(tied, st, names)
        gap = basis["basis"] == RECORDED
        findings.append(Finding(
            id=finding_id("silo", "group", group), rule="silo", severity="high",
            title=(f"{gname(group, 'en')} is a silo: its coordination ties are mostly internal (E-I index {value:.2f})" if gap else
                   f"Is {gname(group, 'en')} a silo? Its recorded coordination ties are mostly internal (E-I index {value:.2f})"),
            title_zh=(f"{gname(group, 'zh')}是一个孤岛：其协调联系主要在内部（E-I指数为{value:.2f}）" if gap else
                      f"{gname(group, 'zh')}是否是孤岛？有记录的协调联系主要在内部（E-I指数为{value:.2f}）"),
            entities=[group, *members], evidence=[{"group": group, "ei_index": round(value, 4), "members": members}],
            suggested_action="Bring its units into the cross-group mechanisms that cover their topics.",
            suggested_action_zh="让其单位参与涉及其主题的跨群体协调机制。", ask=[group], **basis))
    for uri, value in sorted(m.ei["nodes"].items()):
        if math.isnan(value) or value > SILO_THRESHOLD or graph.degree(uri) < SILO_MIN_DEGREE:
            continue
        if net.groups.get(uri) in (None, "other") or net.ids[uri] == net.groups.get(uri):
            continue  # the group's own head node is judged with its group
        unit = net.ids[uri]
        basis = _participation_basis([unit], st, names)
        gap = basis["basis"] == RECORDED
        group_en, group_zh = gname(net.groups[uri], 'en'), gname(net.groups[uri], 'zh')
        findings.append(Finding(
            id=finding_id("silo", unit), rule="silo", severity="medium",
            title=(f"{names(unit, 'en')} coordinates mostly inside {group_en} (E-I index {value:.2f})" if gap else
                   f"Does {names(unit, 'en')} coordinate outside {group_en}? Its recorded ties mostly stay inside (E-I index {value:.2f})"),
            title_zh=(f"{names(unit, 'zh')}的协调主要局限于{group_zh}内部（E-I指数为{value:.2f}）" if gap else
                      f"{names(unit, 'zh')}是否在{group_zh}之外开展协调？其有记录的联系主要在内部（E-I指数为{value:.2f}）"),
            entities=[unit], evidence=[{"unit": unit, "group": net.groups[uri], "ei_index": round(value, 4),
                                        "ties": graph.degree(uri)}],
            suggested_action="Bring it into the cross-group mechanisms that cover its topics.",
            suggested_action_zh="让其参与涉及其主题的跨群体协调机制。", ask=[unit], **basis))
    return findings


def duplicate_findings(pairs, names) -> list[Finding]:
    """Probable duplicates (see duplicates.probable_duplicates) as questions to verify."""
    findings = []
    for pair in pairs:
        a, b = pair.ids
        findings.append(Finding(
            id=finding_id("probable-duplicate", a, b), rule="probable-duplicate", severity="low",
            title=f"Are {names(a, 'en')} ({a}) and {names(b, 'en')} ({b}) one and the same?",
            title_zh=f"{names(a, 'zh')}（{a}）与{names(b, 'zh')}（{b}）是否为同一实体？",
            entities=[a, b], evidence=[{"entities": [a, b], "why": pair.why}],
            suggested_action="Merge them into one entity if sources show they are one; otherwise tell them apart by name.",
            suggested_action_zh="如来源表明二者为同一实体，则予以合并；否则以名称加以区分。",
            basis=UNRECORDED, to_settle=[f"check the sources of {a} and {b}: one body or two?"],
            to_settle_zh=[f"核对{a}与{b}的来源：是同一机构还是两个机构？"]))
    return findings


class _Names:
    """Entity names by id and language, with English fallback; ``wording``: the organization's
    words for its divisions and itself (itu_graph.wording)."""

    def __init__(self, info: dict, wording=None):
        from ..wording import Wording
        self.info = info
        self.wording = wording or Wording()

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
        net = read_network(store, statements.ontology)
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
            rows = one_per_gap(rule, run_query(store, query, params).rows)
            raw.extend((rule, query.severity or "medium", row) for row in rows)
        completeness = Completeness(store.run(STATEMENTS).rows, store.run(SILENCES).rows)
        ids = {i for rule, _, row in raw for i in RULES[rule].entities(row)} | set(net.ids.values()) | set(net.groups.values())
        ids |= {i for _, _, row in raw for key in ("parents", "given_by", "leads", "assigned_to", "report_to",
                                                     "aggregate_leads", "unknown_status") for i in row.get(key) or []}
        pairs = probable_duplicates(store.run(ENTITY_RECORDS).rows) if "probable-duplicate" in wanted else []
        ids |= {i for pair in pairs for i in pair.ids}
        info = {r["id"]: r for r in store.run(ENTITY_INFO, {"ids": sorted(ids)}).rows}
        from ..wording import Wording
        names = _Names(info, Wording.from_store(store, statements.ontology))
        findings = [to_finding(rule, severity, row, names, completeness) for rule, severity, row in raw]
        findings += [f for f in network_findings(net, metrics, names, completeness) if f.rule in wanted]
        findings += duplicate_findings(pairs, names)
        attach_sources(store, findings, info)
        add_context(store, findings, set(net.groups.values()))
        for f in findings:
            f.query = evidence_query(f, today)
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
    return AnalysisResult([f for f in findings if f.is_gap], network, today, [f for f in findings if not f.is_gap],
                          dismissed)


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
    """Say where the facts behind a finding are thin (in English and Chinese)."""
    for f in findings:
        en, zh = [], []
        partial = sorted(e for e in f.entities if (info.get(e) or {}).get("confidence") == "partial")
        if partial:
            # named, not by id: the caveat is read by the Committee
            en_names = [(info[e].get("name") or e) for e in partial[:5]]
            zh_names = [(info[e].get("name_zh") or info[e].get("name") or e) for e in partial[:5]]
            en.append(f"some facts behind it are marked partial in the sources ({', '.join(en_names)})")
            zh.append(f"其依据的部分事实在来源中标记为“部分确认”（{'、'.join(zh_names)}）")
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
