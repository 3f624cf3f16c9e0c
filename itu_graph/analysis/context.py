"""Who would own a finding, and which theme it belongs to (issue 17).

*Owner*: the agents that can act on a finding. As an audit report names the manager who owns a
recommendation (JIU, IIA Standard 2500), a finding names the entity that leads what it is about,
else the body that what it is about is part of, else the body that mandated it (through the
instrument's issuing session), else the organization at the top. Each rule says what "what it is
about" is (:data:`SUBJECTS`); the overdue-mandate rule uses whom the mandate is assigned to, the
network rules the agent or group concerned.

*Theme*: the topic or strategy element a finding concerns, so the report groups findings by
subject rather than by rule. A topic is rolled up to its broadest topic in the scheme, so a
theme gathers the work under it; a finding about an activity takes the topic the activity works
on or coordinates, else the strategy element it supports. Findings with neither get a fixed
theme: regional work (the region), mandates, the coordination network, data quality, other work.
"""
from __future__ import annotations

from ..store.base import GraphStore
from ..wording import READ_TOP_ORGANIZATION
from .findings import Finding

#: Fixed themes (keys the report names in each language).
THEME_MANDATES, THEME_NETWORK, THEME_DATA, THEME_OTHER = "theme:mandates", "theme:network", "theme:data", "theme:other"

#: What each data rule's finding is about, from its evidence row: the entity whose lead, parent
#: and mandator are looked up, and the one whose topic or strategy element gives the theme.
SUBJECTS = {
    "uncoordinated-overlap": "topic", "partial-coordination": "mechanism", "unaligned-activity": "entity",
    "uncovered-strategy-element": "element", "regional-gap": "office", "missing-owner": "entity",
    "missing-mandate": "mechanism", "overdue-mandate": "mandate",
}

#: Leads of an entity or of what it is part of, nearest first.
READ_LEADS = """
UNWIND $ids AS sid
MATCH p = (s:Resource {id: sid})-[:PART_OF|SUB_ORGANIZATION_OF*0..3]->(:Resource)<-[:LEADS]-(l:Agent)
RETURN sid AS id, l.id AS agent, length(p) AS depth
ORDER BY id, depth, agent
"""
#: The bodies an entity is part of (one step), and the body behind its mandate (the issuer of
#: the instrument, the body whose session issued it, or a body or session named directly), for the
#: entity or what it is part of.
READ_PARENTS = """
UNWIND $ids AS sid
MATCH (s:Resource {id: sid})-[:PART_OF|SUB_ORGANIZATION_OF]->(p:Agent)
RETURN sid AS id, p.id AS agent
ORDER BY id, agent
"""
READ_MANDATORS = """
UNWIND $ids AS sid
MATCH p = (s:Resource {id: sid})-[:PART_OF|SUB_ORGANIZATION_OF*0..3]->(:Resource)-[:MANDATED_BY]->(m:Resource)
OPTIONAL MATCH (m)-[:ISSUED_BY]->(issuer:Resource)
WITH sid, length(p) AS depth, coalesce(issuer, m) AS source
OPTIONAL MATCH (source)-[:SESSION_OF]->(body:Agent)
WITH sid, depth, coalesce(body, source) AS giver
WHERE giver:Agent
RETURN sid AS id, giver.id AS agent, depth
ORDER BY id, depth, agent
"""
#: Topics an entity works on or coordinates (rolled up with READ_BROADEST), and the strategy
#: elements it supports.
READ_TOPICS = """
UNWIND $ids AS sid
MATCH (s:Resource {id: sid})-[:WORKS_ON|COORDINATES]->(t:Topic)
RETURN sid AS id, t.id AS theme
ORDER BY id, theme
"""
READ_ELEMENTS = """
UNWIND $ids AS sid
MATCH (s:Resource {id: sid})-[:PART_OF*0..3]->(:Resource)-[:SUPPORTS]->(e:StrategyElement)
RETURN sid AS id, e.id AS theme
ORDER BY id, theme
"""
#: The broadest topic above each topic (itself when it has none).
READ_BROADEST = """
UNWIND $ids AS sid
MATCH (t:Topic {id: sid})
OPTIONAL MATCH (t)-[:BROADER*1..6]->(top:Topic)
WHERE NOT (top)-[:BROADER]->(:Topic)
RETURN sid AS id, coalesce(top.id, t.id) AS theme
ORDER BY id, theme
"""
READ_COMMON_PARENTS = """
UNWIND $ids AS sid
MATCH (s:Resource {id: sid})-[:SUB_ORGANIZATION_OF]->(p:Agent)
RETURN sid AS id, p.id AS agent
"""

QUERIES = (READ_LEADS, READ_PARENTS, READ_MANDATORS, READ_TOPICS, READ_ELEMENTS, READ_TOP_ORGANIZATION, READ_COMMON_PARENTS,
           READ_BROADEST)


def _by_id(rows, column="agent") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in rows:
        if row[column] and row[column] not in out.setdefault(row["id"], []):
            out[row["id"]].append(row[column])
    return out


def _nearest(rows) -> dict[str, list[str]]:
    """Per entity, the agents at the smallest depth."""
    best: dict[str, int] = {}
    for row in rows:
        best[row["id"]] = min(row["depth"], best.get(row["id"], row["depth"]))
    return _by_id([r for r in rows if r["depth"] == best[r["id"]]])


def subject(finding: Finding) -> str | None:
    column = SUBJECTS.get(finding.rule)
    return finding.evidence[0].get(column) if column and finding.evidence else None


def add_context(store: GraphStore, findings: list[Finding], groups: set[str] = frozenset()) -> None:
    """Set ``owner`` and ``theme`` on every finding (in place), with one batch of reads."""
    ids = sorted({s for f in findings if (s := subject(f))}
                 | {d for f in findings if f.rule == "uncoordinated-overlap" for d in f.evidence[0].get("divisions") or []})
    params = {"ids": ids}
    leads = _nearest(store.run(READ_LEADS, params).rows)
    parents = _by_id(store.run(READ_PARENTS, params).rows)
    mandators = _nearest(store.run(READ_MANDATORS, params).rows)
    worked_on = _by_id(store.run(READ_TOPICS, params).rows, "theme")
    elements = _by_id(store.run(READ_ELEMENTS, params).rows, "theme")
    common = _by_id(store.run(READ_COMMON_PARENTS, params).rows)
    top = [r["id"] for r in store.run(READ_TOP_ORGANIZATION).rows]
    topic_keys = sorted({f.evidence[0]["topic"] for f in findings
                         if f.rule in ("uncoordinated-overlap", "partial-coordination") and f.evidence}
                        | {t for ts in worked_on.values() for t in ts})
    broadest = {i: v[0] for i, v in _by_id(store.run(READ_BROADEST, {"ids": topic_keys}).rows, "theme").items()}
    topics = {e: sorted({broadest.get(t, t) for t in ts}) for e, ts in worked_on.items()}

    def owners_of(entity: str) -> list[str]:
        return leads.get(entity) or parents.get(entity) or mandators.get(entity) or []

    def theme_of(entity: str) -> str:
        candidates = topics.get(entity) or elements.get(entity)
        # each broadest topic (or element) counts once: the first by id
        return min(candidates) if candidates else THEME_OTHER

    for f in findings:
        row = f.evidence[0] if f.evidence else {}
        s = subject(f)
        owner: list[str] = []
        if f.rule == "uncoordinated-overlap":
            owner = [lead for m in row.get("mechanisms") or [] for lead in owners_of(m["id"])]
            if not owner:  # the body the divisions all belong to can set up a joint mechanism
                shared = [set(common.get(d, [])) for d in row.get("divisions") or []]
                owner = sorted(set.intersection(*shared)) if shared else []
            f.theme = broadest.get(s, s)
        elif f.rule == "partial-coordination":
            owner = owners_of(s)
            f.theme = broadest.get(row["topic"], row["topic"])
        elif f.rule == "uncovered-strategy-element":
            owner = owners_of(s)
            f.theme = s
        elif f.rule == "regional-gap":
            owner = parents.get(s) or [s]
            f.theme = row.get("region") or THEME_OTHER
        elif f.rule == "overdue-mandate":
            owner = list(row.get("assigned_to") or []) or owners_of(s)
            f.theme = THEME_MANDATES
        elif f.rule == "missing-owner":
            # no lead: the body it is part of, the body that mandated it, who leads it as a set
            owner = list(dict.fromkeys([*(row.get("parents") or []), *parents.get(s, []), *(row.get("given_by") or []),
                                        *mandators.get(s, []), *(row.get("aggregate_leads") or [])]))
            f.theme = theme_of(s)
        elif s:
            owner = owners_of(s)
            f.theme = theme_of(s)
        elif f.rule == "broker-dependency":
            owner = [row["articulation_point"]] if "articulation_point" in row else list(row.get("bridge") or [])
            f.theme = THEME_NETWORK
        elif f.rule == "silo":
            owner = [row["unit"]] if "unit" in row else ([row["group"]] if row.get("group") in groups else [])
            f.theme = THEME_NETWORK
        elif f.rule == "probable-duplicate":
            f.theme = THEME_DATA
        else:
            f.theme = THEME_OTHER
        if not owner and f.rule != "probable-duplicate":
            owner = top
        f.owner = [o for o in dict.fromkeys(owner) if o]

