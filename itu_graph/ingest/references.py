"""Document symbols and references to resolutions and decisions, in the six UN languages."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Council and group documents: C24/35, C24/INF/4, C23/125(Add.1), CWG-FHR-16/13(Add.1)
SYMBOL = re.compile(r"(?<![A-Za-z0-9/-])(?:C\d{2}/(?:INF/)?\d+|(?:CWG|EG|IEG)-[A-Z&]+(?:-\d+)?/\d+)"
                    r"(?:\((?:Add|Rev|Corr)\.\d+\))*(?![0-9/])")
SERVICE_ORDER = re.compile(r"(?:Service Order No\.?\s?|Ordre de service n[°o]\.?\s?|Orden de servicio n\.?[°o]?\s?|"
                           r"第)(\d{2}/\d{2})(?:号服务令)?")
_QUAL = r"(ITU-[RTD]|UIT-[RTD]|МСЭ-[RTD]|WTSA|WTDC|AMNT|CMDT|ВАСЭ|ВКРЭ|Council|Conseil|Consejo|Совета)"
PATTERNS = [
    ("resolution", re.compile(rf"(?:{_QUAL}\s+)?Resolution\s+(?:(ITU-R)\s+)?(\d+)(\s*\((?:Rev\.\s*)?[^()\d]+,\s*\d{{4}}\))?")),
    ("resolution", re.compile(r"Résolution\s+(?:(UIT-[RTD])\s+)?(\d+)(\s*\((?:Rév\.\s*)?[^()\d]+,\s*\d{4}\))?")),
    ("resolution", re.compile(r"Resolución\s+(?:(UIT-[RTD])\s+)?(\d+)(\s*\((?:Rev\.\s*)?[^()\d]+,\s*\d{4}\))?")),
    ("resolution", re.compile(r"Резолюци[яиюей]\s+(?:(МСЭ-[RTD])\s+)?(\d+)")),
    ("resolution", re.compile(r"(?:القرار|قرار)\s+(\d+)")),
    ("resolution", re.compile(r"(ITU-[RTD])?第(\d+)号决议")),
    ("decision", re.compile(r"(?:Decision|Décision|Decisión|Решени[еяи])\s+(\d+)")),
    ("decision", re.compile(r"(?:المقرر)\s+(\d+)")),
    ("decision", re.compile(r"第(\d+)号决定")),
]
_GROUP_OF_QUALIFIER = {"R": "ra", "T": "wtsa", "D": "wtdc"}
_PP_CONTEXT = re.compile(r"全权代表大会|Plenipotentiary|plénipotentiaires|Plenipotenciarios|Полномочных|PP-\d{2}|"
                         r"Bucharest|Bucarest|Busan|Dubai|Guadalajara|Marrakesh|布加勒斯特")
_COUNCIL_CONTEXT = re.compile(r"理事会|Council|Conseil|Consejo|Совета")


@dataclass
class Reference:
    kind: str  # resolution, decision, symbol, service-order
    text: str
    start: int
    end: int
    number: str | None = None
    group: str | None = None  # pp, ra, wtsa, wtdc, council


def _group(qualifier: str | None, before: str, after: str) -> str:
    if qualifier:
        q = qualifier.upper()
        for letter in ("R", "T", "D"):
            if q.endswith("-" + letter) or q.endswith(letter) and q.startswith(("ITU", "UIT", "МСЭ")):
                return _GROUP_OF_QUALIFIER[letter]
        if q in ("WTSA", "AMNT", "ВАСЭ"):
            return "wtsa"
        if q in ("WTDC", "CMDT", "ВКРЭ"):
            return "wtdc"
        return "council"
    window = before[-14:]
    if _COUNCIL_CONTEXT.search(window) and not _PP_CONTEXT.search(window):
        return "council"
    return "pp"


def find_references(text: str) -> list[Reference]:
    found: list[Reference] = []
    for m in SYMBOL.finditer(text):
        found.append(Reference("symbol", m.group(0), m.start(), m.end()))
    for m in SERVICE_ORDER.finditer(text):
        if m.group(0).startswith("第") and "服务令" not in m.group(0):
            continue
        found.append(Reference("service-order", m.group(0), m.start(), m.end(), number=m.group(1)))
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            groups = [g for g in m.groups()]
            number = next(g for g in groups if g and g.isdigit())
            qualifier = next((g for g in groups if g and not g.isdigit() and not g.strip().startswith("(")), None)
            group = _group(qualifier, text[: m.start()], text[m.end(): m.end() + 20]) if kind == "resolution" else \
                ("council" if _COUNCIL_CONTEXT.search(text[max(0, m.start() - 14): m.start()]) else "pp")
            found.append(Reference(kind, m.group(0), m.start(), m.end(), number=number, group=group))
    found.sort(key=lambda r: (r.start, -r.end))
    return found
