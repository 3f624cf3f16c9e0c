"""Variants of known names, and the known entities most like an unknown name.

A variant is a wording of a known name the data does not hold: another hyphenation, spacing or
case ("Intersectoral", "Secretary General"), singular for plural, a short form without the
organization's name or a trailing qualifier ("Regional Office for the Americas", "Addis Ababa",
Chinese 非洲区域代表处 for 国际电联非洲区域代表处), the organization's own short form (国际电联
for 国际电信联盟, UIT from the initials of its French name), or a long form worded a little
differently. Names are compared on a key: NFKC, accents removed, case folded, words split at
hyphens and slashes, each word singular, function words dropped, then joined without spaces, so
spacing and hyphens never matter. Wording differences are scored by aligning the words of the two
keys (equal, or one a prefix of the other, or one edit apart) with the Dice coefficient.

"Similar" entities for an unknown name are ranked by character-trigram similarity (Jaccard) of
the accent-free, case-folded names in every language, after Angell, Freund and Willett, "Automatic
spelling correction using a trigram similarity measure" (1983), with a bonus for the class the
name suggests.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..rdf.mapping import PropertyGraph
from .text import is_cjk, normalize_label

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
#: function words of the six languages' names, dropped from keys ("Group of Experts on the …")
STOPWORDS = {
    "the", "of", "on", "for", "and", "in", "to", "a", "an", "its",
    "le", "la", "les", "l", "de", "du", "des", "d", "et", "sur", "pour", "en", "aux", "au", "a",
    "el", "los", "las", "del", "y", "sobre", "para",
    "по", "и", "в", "на", "для", "с", "при",
}
SEPARATORS = "[\\s\\-\u2010\u2011\u2012\u2013/]"
#: the classes whose names a short form may stand for (not topics or documents: "Youth", "Giga")
_NAMED_BODIES = {"Agent", "Event", "Site", "Region", "StrategyElement", "Initiative"}


def strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def singular(word: str) -> str:
    """A word's singular by the commonest English, French and Spanish plural endings."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("eaux", "eaus")):  # bureaux, bureaus
        return word[:-1]
    if word.endswith("aux"):
        return word[:-3] + "al"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("ones") or word.endswith("ores") or word.endswith("ales"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Folded words of a name: accents removed, case folded, singular."""
    folded = strip_accents(normalize_label(text)).casefold()
    return [singular(w) for w in _TOKEN.findall(folded)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def key(text: str) -> str:
    """The comparison key: content words joined (CJK: the characters themselves)."""
    if any(is_cjk(ch) for ch in text):
        return "".join(ch for ch in normalize_label(text) if ch.isalnum()).casefold()
    return "".join(content_words(text))


def loose_key(text: str) -> str:
    """Like key, but keeping function words: what a hyphen, space, case or plural change leaves equal."""
    if any(is_cjk(ch) for ch in text):
        return key(text)
    # only the last word is made singular: "ITU as One" and "ITUas One" must give one key
    folded = _TOKEN.findall(strip_accents(normalize_label(text)).casefold())
    return "".join(folded[:-1]) + singular(folded[-1]) if folded else ""


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)):
        return True
    if min(len(a), len(b)) >= 6 and abs(len(a) - len(b)) <= 1:
        # one edit apart (Levenshtein distance 1)
        if len(a) == len(b):
            return sum(x != y for x, y in zip(a, b)) == 1
        short, long = sorted((a, b), key=len)
        return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
    return False


def wording_score(a: list[str], b: list[str]) -> float:
    """Dice coefficient of two word lists, a word matching at most one close word of the other."""
    if not a or not b:
        return 0.0
    used: set[int] = set()
    matched = 0
    for word in a:
        for j, other in enumerate(b):
            if j not in used and _close(word, other):
                used.add(j)
                matched += 1
                break
    return 2 * matched / (len(a) + len(b))


def trigrams(text: str) -> set[str]:
    folded = strip_accents(normalize_label(text)).casefold()
    if any(is_cjk(ch) for ch in folded):
        chars = [ch for ch in folded if ch.isalnum()]
        return {a + b for a, b in zip(chars, chars[1:])} | set(chars)
    padded = "  " + " ".join(_TOKEN.findall(folded)) + " "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


@dataclass
class Match:
    entities: list[str]
    known_as: str  # the known name the text is a variant of
    how: str  # case, hyphen/space, singular/plural, short form, wording


@dataclass
class VariantIndex:
    """Known names by key, their derived short forms, and what is needed to rank similar entities."""
    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_loose: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    derived: dict[str, tuple[set[str], str]] = field(default_factory=dict)  # loose key -> (ids, known label)
    label_of_key: dict[str, str] = field(default_factory=dict)
    labels: list[tuple[str, str, set[str]]] = field(default_factory=list)  # (id, label, trigrams)
    words_of: dict[str, list[tuple[list[str], str]]] = field(default_factory=lambda: defaultdict(list))
    acronyms_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    classes: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    loose_pattern: re.Pattern | None = None
    org_names: set[str] = field(default_factory=set)
    #: (class, number) -> strategy elements: ("StrategicGoal", "1") -> goal-1
    codes: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (body id, year) -> its sessions: ("council", "2024") -> council-2024
    sessions: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def match(self, text: str, acronym: str | None = None) -> Match | None:
        """The known entity ``text`` names in other words, or None."""
        lk = loose_key(text)
        if not lk:
            return None
        if lk in self.by_loose:
            known = self.label_of_key.get(lk, text)
            return Match(sorted(self.by_loose[lk]), known, _how(text, known))
        if lk in self.derived:
            ids, known = self.derived[lk]
            return Match(sorted(ids), known, "short form")
        k = key(text)
        if k and k in self.by_key:
            return Match(sorted(self.by_key[k]), self.label_of_key.get(k, text), "wording")
        if any(is_cjk(ch) for ch in text):
            return None
        mine = content_words(text)
        if len(mine) < 2:
            return None
        best: tuple[float, str, str] | None = None
        candidates = {eid for w in mine if len(w) > 3 for eid in self.by_word.get(w, ())}
        for eid in candidates:
            for theirs, label in self.words_of[eid]:
                score = wording_score(mine, theirs)
                threshold = 0.6 if acronym and acronym in self.acronyms_of[eid] else 0.86
                if score >= threshold and (best is None or score > best[0]):
                    best = (score, eid, label)
        if best:
            return Match([best[1]], best[2], "wording")
        return None

    def similar(self, text: str, cls: str | None = None, prefer: set[str] | None = None,
                limit: int = 5) -> list[dict]:
        """The known entities most like ``text`` (trigram Jaccard of names; same class, or one of
        ``prefer``, first)."""
        mine = trigrams(text)
        if not mine:
            return []
        best: dict[str, tuple[float, str]] = {}
        for eid, label, theirs in self.labels:
            score = len(mine & theirs) / len(mine | theirs)
            if cls and cls in self.classes.get(eid, ()):
                score += 0.15
            if prefer and eid in prefer:
                score += 0.3
            if score > best.get(eid, (0.0, ""))[0]:
                best[eid] = (score, label)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [{"id": eid, "name": self.names.get(eid, label), "score": round(min(score, 1.0), 2)}
                for eid, (score, label) in ranked if score >= 0.12]

    @property
    def by_word(self) -> dict[str, set[str]]:
        if not hasattr(self, "_by_word"):
            index: dict[str, set[str]] = defaultdict(set)
            for eid, entries in self.words_of.items():
                for ws, _ in entries:
                    for w in ws:
                        if len(w) > 3:
                            index[w].add(eid)
            self._by_word = index
        return self._by_word


def _how(text: str, known: str) -> str:
    if text.casefold() == known.casefold():
        return "case"
    if re.sub(SEPARATORS, "", text).casefold() == re.sub(SEPARATORS, "", known).casefold():
        return "hyphen/space"
    return "singular/plural"


def _initials(name: str) -> str:
    """The initials of a name's content words (Union internationale des télécommunications: UIT)."""
    return "".join(w[0] for w in _TOKEN.findall(name) if w.casefold() not in STOPWORDS).upper()


def _word_pattern(word: str) -> str:
    """A name's word, matching its singular and plural."""
    base = singular(strip_accents(word).casefold()) if word.isalpha() and len(word) > 3 else None
    if base is None or strip_accents(word) != word:
        return re.escape(word)
    stem = word[: len(base)] if word.casefold().startswith(base) else None
    if stem is None:
        if base.endswith("y"):
            stem = word[: len(base) - 1]
            return re.escape(stem) + "(?:y|ies)"
        if word.casefold().endswith("eaux"):
            return re.escape(word[:-1]) + "[xs]?"
        return re.escape(word)
    if base.endswith("y"):
        return re.escape(stem[:-1]) + "(?:y|ies)"
    if base.endswith("eau"):
        return re.escape(stem) + "[xs]?"
    if base.endswith(("s", "sh", "ch", "x")):
        return re.escape(stem) + "(?:es)?"
    return re.escape(stem) + "s?"


def _loose_alternative(label: str, case_sensitive: bool) -> str:
    parts = [p for p in re.split(SEPARATORS + "+", label) if p]
    body = f"{SEPARATORS}?".join(_word_pattern(p) for p in parts)
    word = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
    body = body if case_sensitive else f"(?i:{body})"
    return f"(?<![{word}]){body}(?![{word}])"


def build_variant_index(graph: PropertyGraph) -> VariantIndex:
    """Keys of every known name, the short forms derived from them, and the loose pattern that
    finds hyphen, space, case and number variants in text."""
    index = VariantIndex()
    labels_of: dict[str, list[tuple[str, bool]]] = defaultdict(list)  # id -> (label, is acronym)
    orgs = []
    for node in graph.nodes.values():
        p = node.properties
        eid = p["id"]
        index.classes[eid] = set(node.labels)
        if p.get("name"):
            index.names[eid] = p["name"]
        for k, v in p.items():
            if (k == "name" or k.startswith("name_")) and isinstance(v, str):
                labels_of[eid].append((normalize_label(v), False))
        for v in p.get("search_labels") or []:
            labels_of[eid].append((normalize_label(v), False))
        for v in p.get("acronyms") or []:
            labels_of[eid].append((normalize_label(v), True))
            index.acronyms_of[eid].add(normalize_label(v))
        if "Organization" in node.labels and "ExternalOrganization" not in node.labels:
            orgs.append(eid)
    _index_codes_and_sessions(index, graph)
    for eid, labels in labels_of.items():
        for label, is_acronym in labels:
            lk = loose_key(label)
            if not lk:
                continue
            index.by_loose[lk].add(eid)
            index.label_of_key.setdefault(lk, label)
            k = key(label)
            if k and not is_acronym:
                index.by_key[k].add(eid)
                index.label_of_key.setdefault(k, label)
                if not any(is_cjk(ch) for ch in label):
                    index.words_of[eid].append((content_words(label), label))
            index.labels.append((eid, label, trigrams(label)))
    # the organization's own short names: acronyms, initials of its names, the Chinese prefix its units share
    prefixes: dict[str, str] = {}
    for org in orgs:
        for label, is_acronym in labels_of[org]:
            if is_acronym:
                prefixes[label] = org
            elif any(is_cjk(ch) for ch in label):
                prefixes[label] = org
                shared = Counter(lb[:4] for labels in labels_of.values() for lb, _ in labels
                                 if lb[:2] == label[:2] and len(lb) > 5 and all(is_cjk(ch) for ch in lb[:4]))
                if shared:
                    short, count = shared.most_common(1)[0]
                    if count >= 5 and loose_key(short) not in index.by_loose:
                        prefixes[short] = org
                        _derive(index, short, org, label)
            else:
                initials = _initials(label)
                if len(initials) >= 3:
                    prefixes[initials] = org
                    if loose_key(initials) not in index.by_loose:
                        _derive(index, initials, org, label, case_sensitive=True)
    index.org_names = set(prefixes)
    derived: dict[str, set[str]] = defaultdict(set)
    source: dict[str, str] = {}
    for eid, labels in labels_of.items():
        if not index.classes.get(eid, set()) & _NAMED_BODIES:
            continue
        for label, is_acronym in labels:
            if is_acronym:
                continue
            forms = set()
            bare = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", label)
            # a trailing qualifier is dropped only from bodies, places and events: "Digital
            # transformation (ITU-D priority)" without it is a common phrase, not a name
            if bare != label and index.classes[eid] & {"Agent", "Event", "Site"}:
                forms.add(bare)
            if "Site" in index.classes[eid] and "," in label:
                forms.add(label.split(",")[0])
            for prefix in prefixes:
                if any(is_cjk(ch) for ch in prefix):
                    if label.startswith(prefix) and len(label) - len(prefix) >= 3:
                        forms.add(label[len(prefix):])
                elif label.startswith(prefix + " "):
                    forms.add(label[len(prefix) + 1:])
                else:
                    m = re.match(rf"(.+?) (?:de l'|de la |of the |of ){re.escape(prefix)}$", label)
                    if m:
                        forms.add(m.group(1))
            for form in forms:
                form = form.strip()
                tokens = _TOKEN.findall(form)
                cjk = any(is_cjk(ch) for ch in form)
                if (cjk and len(form) < 3) or (not cjk and (len(tokens) < 2 and (len(form) < 5 or not form[0].isupper()))):
                    continue
                derived[loose_key(form)].add(eid)
                source.setdefault(loose_key(form), form + "\t" + label)
    for lk, ids in derived.items():
        if len(ids) == 1 and lk not in index.by_loose:
            form, label = source[lk].split("\t")
            _derive(index, form, next(iter(ids)), label,
                    case_sensitive=len(_TOKEN.findall(form)) < 2 and not any(is_cjk(ch) for ch in form))
    # the loose pattern: every name of two words or more, and every derived form
    alternatives: dict[str, str] = {}
    for eid, labels in labels_of.items():
        for label, is_acronym in labels:
            if any(is_cjk(ch) for ch in label):
                continue
            parts = [p for p in re.split(SEPARATORS + "+", label) if p]
            if is_acronym:
                if len(parts) >= 2:
                    alternatives[label] = _loose_alternative(label, True)
            elif len(parts) >= 2 or len(label) >= 6:
                alternatives[label] = _loose_alternative(label, False)
    for lk, (ids, known) in index.derived.items():
        form = index._derived_forms[lk]
        if any(is_cjk(ch) for ch in form):
            alternatives[form] = re.escape(form)
        else:
            alternatives[form] = _loose_alternative(form, index._derived_case[lk])
    ordered = sorted(alternatives, key=lambda s: (-len(s), s))
    index.loose_pattern = re.compile("|".join(alternatives[s] for s in ordered) or r"(?!x)x")
    return index


_CODE_CLASSES = ("StrategicGoal", "Target", "ThematicPriority", "Enabler", "StrategyElement")


def _plan_rank(graph: PropertyGraph, parents: dict[str, list[str]], uri: str) -> tuple:
    """How current the plan an element belongs to is: elements of a strategic plan come before
    elements of anything else, and a later plan before an earlier one ("Goal 1" in a text written
    now is a goal of the plan in force, not of the Connect 2030 Agenda or an older plan)."""
    frontier, seen = [uri], {uri}
    for _ in range(3):
        frontier = [p for node in frontier for p in parents.get(node, []) if p not in seen]
        seen.update(frontier)
        plans = [graph.nodes[p].properties for p in frontier if "StrategicPlan" in graph.nodes[p].labels]
        if plans:
            return (1, max(str(p.get("start_date") or "") for p in plans))
    return (0, "")


def _index_codes_and_sessions(index: VariantIndex, graph: PropertyGraph) -> None:
    parents: dict[str, list[str]] = defaultdict(list)
    for rel in graph.relationships:
        if rel.type == "PART_OF" and rel.target in graph.nodes:
            parents[rel.source].append(rel.target)
    ranked: dict[tuple[str, str], list[tuple[tuple, str]]] = defaultdict(list)
    for uri, node in graph.nodes.items():
        number = node.properties.get("number")
        if number is not None and "StrategyElement" in node.labels:
            rank = _plan_rank(graph, parents, uri)
            for cls in _CODE_CLASSES:
                if cls in node.labels:
                    ranked[(cls, str(number))].append((rank, node.properties["id"]))
    for key, elements in ranked.items():
        best = max(rank for rank, _ in elements)
        index.codes[key].update(eid for rank, eid in elements if rank == best)
    for rel in graph.relationships:
        if rel.type != "SESSION_OF":
            continue
        session, body = graph.nodes[rel.source].properties, graph.nodes[rel.target].properties
        years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", session.get("name", "")))
        for acronym in session.get("acronyms") or []:
            m = re.search(r"(?:-|^C)(\d{2})$", acronym)
            if m:
                years.add("20" + m.group(1))
        if len(years) == 1:
            index.sessions[(body["id"], years.pop())].add(session["id"])


def _derive(index: VariantIndex, form: str, eid: str, label: str, case_sensitive: bool = False) -> None:
    if not hasattr(index, "_derived_forms"):
        index._derived_forms = {}
        index._derived_case = {}
    lk = loose_key(form)
    index.derived[lk] = ({eid}, label)
    index._derived_forms[lk] = form
    index._derived_case[lk] = case_sensitive
