"""Findings: what analyze reports, with stable ids.

A finding is a *gap* when the graph positively records every fact the rule relies on (its
``basis`` is ``recorded``: completeness or "no value" statements back the absence it reports),
and a *question to verify* otherwise (``basis`` ``unrecorded``): the record is silent, so the tool
asks, naming the fact that would settle it and, where the graph knows, who can answer.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

SEVERITIES = ("low", "medium", "high")
RECORDED, UNRECORDED = "recorded", "unrecorded"


def finding_id(rule: str, *key: str) -> str:
    """Stable id: the rule and the identity of what the finding is about, never its details,
    so the same data gives the same id and an unrelated change leaves it alone."""
    digest = hashlib.sha1("|".join((rule, *sorted(key))).encode("utf-8")).hexdigest()[:10]
    prefix = "".join(word[0] for word in rule.split("-")).upper()
    return f"{prefix}-{digest}"


@dataclass
class Finding:
    id: str
    rule: str
    severity: str
    title: str
    entities: list[str]
    evidence: list[dict]
    sources: list[str] = field(default_factory=list)
    suggested_action: str = ""
    caveat: str | None = None
    title_zh: str | None = None
    suggested_action_zh: str | None = None
    caveat_zh: str | None = None
    #: ``recorded``: a gap the record states; ``unrecorded``: a question to verify.
    basis: str = RECORDED
    #: The completeness and "no value" statements the finding rests on (id, about, aspect,
    #: no_value, sources).
    statements: list[dict] = field(default_factory=list)
    #: For a question: source silences on what is missing (id, about, aspect, sources): the sources
    #: that describe it, already read, that name none. They settle nothing; they save a search.
    checked: list[dict] = field(default_factory=list)
    #: For a question: the facts that would settle it, in English and Chinese.
    to_settle: list[str] = field(default_factory=list)
    to_settle_zh: list[str] = field(default_factory=list)
    #: Who can answer a question: the entities that lead or own what it is about.
    ask: list[str] = field(default_factory=list)
    #: The Committee's standing decision on it, when there is one (analysis.triage):
    #: status "confirmed", "action assigned" (owner, due) or "reopened" (a dismissal whose evidence changed).
    triage: dict | None = None
    #: Who would own the suggested action: the agents that lead what the finding is about, else
    #: the body it is part of or that mandated it (analysis.context).
    owner: list[str] = field(default_factory=list)
    #: The topic or strategy element it concerns (an entity id), or a fixed theme ("theme:network", ...).
    theme: str | None = None
    #: Its evidence query: ``{"cypher": ..., "parameters": {...}}``, returning its rows (analysis.evidence).
    query: dict = field(default_factory=dict)

    @property
    def is_gap(self) -> bool:
        return self.basis == RECORDED

    def as_dict(self) -> dict:
        return {**asdict(self), "kind": "gap" if self.is_gap else "question"}

    def at_least(self, severity: str) -> bool:
        return SEVERITIES.index(self.severity) >= SEVERITIES.index(severity)
