"""The organization's own words for what the report, the rules and the network page say.

ITU calls its main divisions Sectors; another agency has commissions or departments. Texts carry
the tokens ``{org}``, ``{division}``, ``{divisions}``, ``{Division}`` and ``{Divisions}``; :class:`Wording`
fills them, in English and Chinese, from the store: the name of the organization at the top
(an ``:Organization`` inside no other) and the most specific class shared by its divisions
(``:Division`` and its subclasses, named by the ontology's ``rdfs:label``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .store.base import GraphStore

READ_DIVISIONS = """
MATCH (d:Division)
RETURN labels(d) AS labels
"""
READ_TOP_ORGANIZATION = """
MATCH (o:Organization)
WHERE NOT (o)-[:SUB_ORGANIZATION_OF|PART_OF]->(:Organization)
RETURN o.id AS id, o.name AS name, o.name_zh AS name_zh
ORDER BY id
LIMIT 1
"""

#: When the data has no division and no organization.
DEFAULTS = {"en": {"org": "the organization", "division": "division", "divisions": "divisions"},
            "zh": {"org": "本组织", "division": "分部", "divisions": "分部"}}


def plural(noun: str) -> str:
    """English plural of a class name (Sector -> Sectors, Commission -> Commissions, Body -> Bodies)."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


@dataclass
class Wording:
    words: dict[str, dict[str, str]] = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULTS.items()})

    def get(self, key: str, lang: str) -> str:
        return self.words.get(lang, self.words["en"]).get(key) or DEFAULTS["en"][key]

    def apply(self, text: str | None, lang: str) -> str | None:
        """``text`` with its tokens replaced by the organization's words in ``lang``."""
        if not text or "{" not in text:
            return text
        division, divisions = self.get("division", lang), self.get("divisions", lang)
        return (text.replace("{divisions}", divisions)
                .replace("{Divisions}", divisions[:1].upper() + divisions[1:])
                .replace("{division}", division)
                .replace("{Division}", division[:1].upper() + division[1:])
                .replace("{org}", self.get("org", lang)))

    def apply_all(self, texts: dict, lang: str) -> dict:
        return {k: self.apply(v, lang) if isinstance(v, str) else v for k, v in texts.items()}

    @classmethod
    def from_store(cls, store: GraphStore, ontology) -> "Wording":
        wording = cls()
        by_label = ontology.class_by_label
        counts: Counter = Counter()
        for row in store.run(READ_DIVISIONS).rows:
            kinds = [by_label[label] for label in row["labels"] if label in by_label
                     and "https://w3id.org/itu-graph/ontology#Division" in (by_label[label].ancestors | {by_label[label].iri})]
            # the most specific of them: no other of its kinds is below it
            specific = [k for k in kinds if not any(k.iri in other.ancestors for other in kinds)]
            if specific:
                counts[specific[0].iri] += 1
        if counts:
            info = ontology.classes[counts.most_common(1)[0][0]]
            en = info.labels.get("en") or info.cypher_label
            zh = info.labels.get("zh") or en
            wording.words["en"].update(division=en, divisions=plural(en))
            wording.words["zh"].update(division=zh, divisions=zh)
        top = store.run(READ_TOP_ORGANIZATION).rows
        if top:
            wording.words["en"]["org"] = top[0]["name"] or top[0]["id"]
            wording.words["zh"]["org"] = top[0]["name_zh"] or top[0]["name"] or top[0]["id"]
        return wording


__all__ = ["Wording", "plural"]
