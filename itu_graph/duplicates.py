"""Probable duplicates: two entities that are likely one.

Blocking on exact keys, as record-linkage systems do before any fuzzy comparison (Christen, *Data
Matching*, 2012, ch. 4): two entities of the same most specific class that share an acronym, or
any two entities whose names are equal after normalization in some language (Unicode NFKC,
case folding, punctuation, hyphens and spacing removed, a leading article dropped). Shared
sources are reported as supporting evidence. Used by ``validate`` (warnings) and ``analyze``
(questions to verify); both read plain records, so the check runs on RDF and on the store alike.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations

#: Labels every entity carries, or that say nothing about what kind of thing it is.
GENERIC_LABELS = {"Resource", "Entity", "Agent", "Aggregate"}
#: Names are compared within one family of classes only: a topic and an enabler may share a name
#: ("Resource mobilization") without being one thing.
FAMILIES = ("Agent", "Topic", "Initiative", "StrategyElement", "StrategicPlan", "Document", "Event", "Mandate",
            "Region", "Site", "Concept", "SustainableDevelopmentGoal")
_ARTICLE = re.compile(r"^(the|l'|la|le|les|el|los|las)\s*", re.IGNORECASE)
_NOISE = re.compile(r"[\W_]+", re.UNICODE)
NAME_KEYS = ("name", "name_zh", "name_fr", "name_es", "name_ru", "name_ar")


def acronym_key(text: str) -> str:
    """Acronyms compare with case, spaces, dots and hyphens ignored; other signs count (MCG+ is not MCG)."""
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text).casefold())


def normalized(text: str) -> str:
    """The comparison key of a name: NFKC, case-folded, article, punctuation and spaces gone."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    return _NOISE.sub("", _ARTICLE.sub("", text))


@dataclass(frozen=True)
class DuplicatePair:
    ids: tuple[str, str]
    why: list[str]


def _kind(labels) -> frozenset:
    return frozenset(label for label in labels or [] if label not in GENERIC_LABELS)


def _family(labels) -> str:
    return next((f for f in FAMILIES if f in (labels or [])), "")


def probable_duplicates(records: list[dict]) -> list[DuplicatePair]:
    """Pairs of records (``id``, ``labels``, ``name``/``name_<lang>``, ``acronyms``, ``sources``)
    that share an acronym within one class, or a normalized name in any language."""
    reasons: dict[tuple[str, str], list[str]] = {}
    by_acronym: dict[tuple[frozenset, str], list[str]] = {}
    by_name: dict[str, list[tuple[str, str]]] = {}
    kinds, sources = {}, {}
    for r in records:
        kinds[r["id"]] = _kind(r.get("labels"))
        sources[r["id"]] = set(r.get("sources") or [])
        for acronym in r.get("acronyms") or []:
            key = acronym_key(acronym)
            if key:
                by_acronym.setdefault((kinds[r["id"]], key), []).append(r["id"])
        for field in NAME_KEYS:
            if r.get(field):
                key = normalized(r[field])
                if len(key) >= 3:
                    by_name.setdefault(_family(r.get("labels")) + ":" + key, []).append((r["id"], field))
    for (kind, acronym), ids in by_acronym.items():
        for a, b in combinations(sorted(set(ids)), 2):
            reasons.setdefault((a, b), []).append(f"same acronym ({acronym.upper()}) in one class")
    for key, hits in by_name.items():
        for (a, fa), (b, fb) in combinations(sorted(set(hits)), 2):
            if a != b:
                pair = (a, b) if a < b else (b, a)
                why = f"same {fa.replace('_', ' ')} after normalization"
                if why not in reasons.get(pair, []):
                    reasons.setdefault(pair, []).append(why)
    pairs = []
    for (a, b), why in sorted(reasons.items()):
        shared = sources[a] & sources[b]
        if shared:
            why = [*why, f"{len(shared)} source(s) in common"]
        pairs.append(DuplicatePair((a, b), why))
    return pairs
