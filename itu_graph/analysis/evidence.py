"""Each finding's evidence query: parameterized Cypher that returns the finding's rows (issue 17).

For a data rule, the query is the rule's own query (queries/rule-*.cypher) narrowed to the
finding: its final ``RETURN`` becomes a ``WITH`` of the same columns, filtered on the columns
that identify the finding (``topic``, ``mechanism``, …), then the same ``RETURN``. Run on the
same store, it returns exactly the row the finding was made from, so an analyst can check the
finding without reading the rule. For the network rules, whose facts are computed in Python, the
query returns the ties and the metrics ``analyze`` wrote back as node properties; for probable
duplicates, the two entities' names and acronyms.

The text runs unchanged with ``itu-graph cypher QUERY -p name=value ...`` (values as JSON) and
passes Neo4j's linter (tests/test_report_committee.py).
"""
from __future__ import annotations

import json
import re
import shlex
from functools import lru_cache

from .findings import Finding

#: Columns that identify a data rule's finding, in the rule's row.
KEYS = {
    "uncoordinated-overlap": ("topic",), "partial-coordination": ("mechanism", "topic"),
    "unaligned-activity": ("entity",), "uncovered-strategy-element": ("element",),
    "regional-gap": ("office", "region"), "missing-owner": ("entity",), "missing-mandate": ("mechanism",),
    "overdue-mandate": ("mandate",),
}

ARTICULATION_POINT = """MATCH (a:Agent {id: $agent})
MATCH (b:Agent)
WHERE b.id IN $cut_off
OPTIONAL MATCH (a)-[:LEADS|PARTICIPATES_IN]->(via:Resource)<-[:LEADS|PARTICIPATES_IN]-(b)
OPTIONAL MATCH (a)-[d:LIAISES_WITH|ASSISTS|ADVISES]-(b)
RETURN a.id AS broker, a.articulation_point AS articulation_point, a.betweenness AS betweenness,
       b.id AS cut_off, b.group AS cut_off_group, collect(DISTINCT via.id) AS through, collect(DISTINCT type(d)) AS direct
ORDER BY cut_off"""
BRIDGE = """MATCH (a:Agent {id: $a})
MATCH (b:Agent {id: $b})
OPTIONAL MATCH (a)-[:LEADS|PARTICIPATES_IN]->(via:Resource)<-[:LEADS|PARTICIPATES_IN]-(b)
OPTIONAL MATCH (a)-[d:LIAISES_WITH|ASSISTS|ADVISES]-(b)
RETURN a.id AS a, a.group AS group_a, b.id AS b, b.group AS group_b,
       collect(DISTINCT via.id) AS through, collect(DISTINCT type(d)) AS direct"""
SILO_GROUP = """MATCH (a:Agent)
WHERE a.group = $group AND a.degree > 0
RETURN a.id AS agent, a.ei_index AS ei_index, a.degree AS ties
ORDER BY agent"""
SILO_UNIT = """MATCH (a:Agent {id: $unit})
RETURN a.id AS unit, a.group AS group, a.ei_index AS ei_index, a.degree AS ties"""
DUPLICATE = """MATCH (n:Resource)
WHERE n.id IN $ids
RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.acronyms AS acronyms, n.sources AS sources
ORDER BY id"""

#: Every fixed evidence statement, for the linter.
FIXED = {"articulation-point": ARTICULATION_POINT, "bridge": BRIDGE, "silo-group": SILO_GROUP, "silo-unit": SILO_UNIT,
         "probable-duplicate": DUPLICATE}


def _split_top_level(text: str) -> list[str]:
    """Split a RETURN list at the commas outside brackets and quotes."""
    parts, depth, quote, current = [], 0, None, []
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return parts


@lru_cache(maxsize=None)
def narrowed(rule: str) -> str:
    """The rule's query with its final RETURN narrowed to the finding's key columns."""
    from ..queries import load_queries
    query = next(q for q in load_queries().values() if q.rule == rule)
    text = query.text
    at = [m.start() for m in re.finditer(r"^RETURN\b", text, flags=re.M)][-1]
    head, tail = text[:at], text[at + len("RETURN"):]
    order = re.search(r"^ORDER BY\b.*", tail, flags=re.M | re.S)
    items = tail[:order.start()] if order else tail
    columns = query.columns
    keys = KEYS[rule]
    clashes = [k for k in keys if f"${k}" in text]
    if clashes:  # never the case today; a rule that took such a parameter would need other names
        raise ValueError(f"rule {rule}: parameter names {clashes} are taken")
    where = " AND ".join(f"{k} = ${k}" for k in keys)
    body = " ".join(line.strip() for line in items.strip().splitlines())
    with_items = ",\n     ".join(_split_top_level(body))
    return (f"{head}WITH {with_items}\nWHERE {where}\nRETURN {', '.join(columns)}"
            + (f"\n{order.group(0).strip()}" if order else ""))


def evidence_query(finding: Finding, today: str, rule_params: dict | None = None) -> dict:
    """``{"cypher": text, "parameters": {...}}`` for a finding."""
    row = finding.evidence[0] if finding.evidence else {}
    if finding.rule in KEYS:
        from ..queries import load_queries
        query = next(q for q in load_queries().values() if q.rule == finding.rule)
        params = {p.name: (today if p.name == "today" else (rule_params or {}).get(p.name, p.example))
                  for p in query.params}
        params.update({k: row[k] for k in KEYS[finding.rule]})
        return {"cypher": narrowed(finding.rule), "parameters": params}
    if finding.rule == "broker-dependency" and "articulation_point" in row:
        return {"cypher": ARTICULATION_POINT,
                "parameters": {"agent": row["articulation_point"], "cut_off": [i for part in row["cut_off"] for i in part]}}
    if finding.rule == "broker-dependency":
        a, b = row["bridge"]
        return {"cypher": BRIDGE, "parameters": {"a": a, "b": b}}
    if finding.rule == "silo" and "unit" in row:
        return {"cypher": SILO_UNIT, "parameters": {"unit": row["unit"]}}
    if finding.rule == "silo":
        return {"cypher": SILO_GROUP, "parameters": {"group": row["group"]}}
    if finding.rule == "probable-duplicate":
        return {"cypher": DUPLICATE, "parameters": {"ids": list(row["entities"])}}
    return {}


def command_line(query: dict) -> str:
    """The query as a shell command: ``itu-graph cypher '…' -p name=JSON …``."""
    args = ["itu-graph", "cypher", query["cypher"]]
    for name, value in query["parameters"].items():
        args += ["-p", f"{name}={_cli_value(value)}"]
    return " ".join(shlex.quote(a) for a in args)


def _cli_value(value) -> str:
    """What ``-p name=...`` needs: the CLI reads JSON when the text parses as JSON, else a string,
    so a plain id stays plain and an id that would parse (``92``) is quoted."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def parameter_args(query: dict) -> list[str]:
    """``-p`` arguments as a list (for a subprocess or the CLI runner)."""
    out = []
    for name, value in query["parameters"].items():
        out += ["-p", f"{name}={_cli_value(value)}"]
    return out
