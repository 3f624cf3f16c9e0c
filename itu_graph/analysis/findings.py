"""Findings: what analyze reports, with stable ids."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

SEVERITIES = ("low", "medium", "high")


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
    #: The Committee's standing decision on it, when there is one (analysis.triage):
    #: status "confirmed", "action assigned" (owner, due) or "reopened" (a dismissal whose evidence changed).
    triage: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def at_least(self, severity: str) -> bool:
        return SEVERITIES.index(self.severity) >= SEVERITIES.index(severity)
