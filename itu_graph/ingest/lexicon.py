"""What ingestion looks for: every label, acronym, search label and symbol of every entity, and
the numbered instruments (resolutions, decisions) with the body that adopted them."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..rdf.mapping import PropertyGraph
from .text import is_cjk, normalize_label

_WORD = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
#: Bodies whose texts are told apart by the qualifier a reference carries.
ISSUER_GROUPS = {"pp": "pp", "pp-22": "pp", "pp-26": "pp", "ra": "ra", "wtsa": "wtsa", "wtdc": "wtdc",
                 "council": "council"}
_NUMBER_IN_NAME = re.compile(r"\b(?:Resolution|Decision)s?\s+(?:ITU-[RTD]\s+)?(\d+)")


@dataclass
class Lexicon:
    pattern: re.Pattern
    exact: dict[str, set[str]]
    folded: dict[str, set[str]]
    instruments: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)  # (kind, group, number)
    known_tokens: set[str] = field(default_factory=set)
    documents_by_symbol: dict[str, str] = field(default_factory=dict)

    def entities_for(self, matched: str) -> set[str]:
        return self.exact.get(matched, set()) | self.folded.get(matched.lower(), set())


def _alternative(label: str, case_sensitive: bool) -> str:
    body = re.escape(label)
    if not case_sensitive:
        body = f"(?i:{body})"
    start = "" if is_cjk(label[0]) or not re.match(f"[{_WORD}]", label[0]) else f"(?<![{_WORD}])"
    end = "" if is_cjk(label[-1]) or not re.match(f"[{_WORD}]", label[-1]) else f"(?![{_WORD}])"
    return start + body + end


def build_lexicon(graph: PropertyGraph) -> Lexicon:
    exact: dict[str, set[str]] = defaultdict(set)
    folded: dict[str, set[str]] = defaultdict(set)
    entries: dict[tuple[str, bool], None] = {}
    issuers: dict[str, set[str]] = defaultdict(set)
    for key in graph.relationships:
        if key.type == "ISSUED_BY":
            issuers[key.source].add(graph.nodes[key.target].properties["id"])
    instruments: dict = defaultdict(set)
    documents_by_symbol = {}
    known = set()
    for uri, node in graph.nodes.items():
        p = node.properties
        eid = p["id"]
        names = [v for k, v in p.items() if (k == "name" or k.startswith("name_")) and isinstance(v, str)]
        for label in names + list(p.get("search_labels") or []):
            label = normalize_label(label)
            if len(label) >= 2 or is_cjk(label[:1]):
                folded[label.lower()].add(eid)
                entries[(label, False)] = None
        for acronym in list(p.get("acronyms") or []) + ([p["symbol"]] if isinstance(p.get("symbol"), str) else []):
            acronym = normalize_label(acronym)
            known.add(acronym)
            if len(acronym) >= 2 and not acronym.isdigit():
                exact[acronym].add(eid)
                entries[(acronym, True)] = None
        if isinstance(p.get("symbol"), str):
            documents_by_symbol[normalize_label(p["symbol"])] = eid
        if "Instrument" in node.labels:
            kind = "decision" if "Decision" in node.labels else "resolution"
            number = p.get("number")
            if not number:
                match = _NUMBER_IN_NAME.search(p.get("name", ""))
                number = match.group(1) if match else None
            if number:
                groups = {ISSUER_GROUPS.get(i) for i in issuers.get(uri, set())} - {None}
                for group in groups or {"unknown"}:
                    instruments[(kind, group, str(number))].add(eid)
    ordered = sorted(entries, key=lambda e: (-len(e[0]), e[0]))
    pattern = re.compile("|".join(_alternative(label, sensitive) for label, sensitive in ordered) or r"(?!x)x")
    return Lexicon(pattern, dict(exact), dict(folded), dict(instruments), known, documents_by_symbol)
