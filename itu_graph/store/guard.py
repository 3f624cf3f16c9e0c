"""Statements checked before they reach the embedded engine.

FalkorDB refuses writes in ``GRAPH.RO_QUERY`` itself, except in one place: a procedure call
inside a ``CALL { … }`` subquery. There a writing procedure (a full-text index created, say)
crashes the server (a segfault in its planner), in read-only and in writing sessions alike, and
every session sharing the server loses what it had not saved. So, before sending:

- a read-only statement may call only the procedures of :data:`READ_PROCEDURES`;
- no statement may call a procedure outside that list inside a ``CALL { … }`` subquery.

The check is lexical: strings, comments and escaped names are read as such, so ``CALL`` inside a
string literal is no call, and a name in backticks is the name it spells.
"""
from __future__ import annotations

import re

from ..errors import QueryError, ReadOnlyViolation

#: FalkorDB's procedures in READ mode (``CALL dbms.procedures()``), lower-cased.
READ_PROCEDURES = frozenset(name.lower() for name in (
    "algo.AStar", "algo.betweenness", "algo.BFS", "algo.HarmonicCentrality", "algo.labelPropagation",
    "algo.maxFlow", "algo.MSF", "algo.pageRank", "algo.SPpaths", "algo.SSpaths", "algo.WCC",
    "db.constraints", "db.idx.cch.query", "db.idx.fulltext.queryNodes", "db.idx.fulltext.queryRelationships",
    "db.idx.vector.queryNodes", "db.idx.vector.queryRelationships", "db.indexes", "db.labels",
    "db.meta.stats", "db.propertyKeys", "db.relationshipTypes", "dbms.functions", "dbms.procedures",
))

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<name>`(?:[^`]|``)*(?:`|\Z)|[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def _tokens(cypher: str) -> list[str]:
    """Names (backticks removed) and punctuation; strings become a placeholder, comments vanish."""
    out = []
    for match in _TOKEN.finditer(cypher):
        kind, text = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "string":
            out.append("'…'")
        elif kind == "name" and text.startswith("`"):
            out.append("`" + text[1:-1].replace("``", "`"))  # marked: an escaped name is never a keyword
        else:
            out.append(text)
    return out


def procedure_calls(cypher: str) -> list[tuple[str, int]]:
    """Each procedure a statement calls, lower-cased, with the depth of ``CALL { … }``
    subqueries around it (0: at the top)."""
    tokens = _tokens(cypher)
    calls: list[tuple[str, int]] = []
    braces: list[bool] = []  # per open brace: does it open a CALL subquery?
    scope_ends: set[int] = set()  # the ")" closing a scope clause, CALL (x, y) { … }
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "{":
            braces.append(i > 0 and (tokens[i - 1].upper() == "CALL" or i - 1 in scope_ends))
        elif token.upper() == "CALL" and i + 1 < len(tokens) and tokens[i + 1] == "(":
            depth, j = 0, i + 1
            while j < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[j], 0)
                if depth == 0:
                    break
                j += 1
            scope_ends.add(j)
            if j + 1 < len(tokens) and tokens[j + 1] == "{":
                i = j + 1
                continue
            calls.append(("", sum(braces)))  # CALL (…) not followed by a subquery: unknown, refused
            i = j + 1
            continue
        elif token == "}":
            if braces:
                braces.pop()
        elif token.upper() == "CALL" and i + 1 < len(tokens) and tokens[i + 1] != "{":
            parts, j = [], i + 1
            while j < len(tokens):
                part = tokens[j]
                if not (part[:1].isalpha() or part[:1] in "_$`"):
                    break
                parts.append(part.lstrip("`"))
                if j + 1 < len(tokens) and tokens[j + 1] == ".":
                    j += 2
                    continue
                j += 1
                break
            calls.append((".".join(parts).lower(), sum(braces)))
            i = j
            continue
        i += 1
    return calls


def check_statement(cypher: str, *, write: bool) -> None:
    """Refuse, before it is sent, a statement the engine must not run (see the module's doc)."""
    for name, depth in procedure_calls(cypher):
        if name in READ_PROCEDURES:
            continue
        if depth:
            raise QueryError(f"procedure {name or '(unnamed)'} called inside CALL {{ … }}: the embedded engine "
                             "cannot run that safely (it crashes); call it at the top of the statement")
        if not write:
            raise ReadOnlyViolation(f"procedure {name or '(unnamed)'} is not a known read-only procedure; "
                                    "run it with --write (the store was not changed)")
