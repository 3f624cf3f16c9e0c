"""Scan documents against the known entities: mentions, citations, candidates -> a review file."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import pipeline
from ..rdf.mapping import to_property_graph
from ..settings import Settings
from .extract import extract
from .lexicon import Lexicon, build_lexicon
from .names import Phrase, find_names_ar, find_names_en, find_names_romance, find_names_ru, find_names_zh, find_phrases
from .references import find_references
from .text import guess_language, is_cjk, normalize_text
from .variants import VariantIndex, build_variant_index, key, strip_accents

LANGUAGES = ("auto", "ar", "zh", "en", "fr", "ru", "es")
ACRONYM = re.compile(r"(?<![A-Za-z0-9-])[A-Z][A-Za-z0-9]*(?:[-&+][A-Z0-9][A-Za-z0-9]*)*(?![A-Za-z0-9-])")
#: Capitalized words that are not acronyms of anything.
_NOT_ACRONYMS = {"I", "II", "III", "IV", "V", "VI", "A", "AN", "THE", "OF", "AND", "NO", "ID", "OK", "PDF", "HTML"}


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:60] or "document"


def _context(original: str, start: int, end: int, width: int = 40) -> str:
    left = original[max(0, start - width): start]
    right = original[end: end + width]
    return re.sub(r"\s+", " ", f"{left}[{original[start:end]}]{right}").strip()


_BODY_CLASSES = {"GovernanceBody", "Conference", "Council", "CouncilWorkingGroup", "AdvisoryGroup", "StudyGroup"}
_LANGUAGE_OF_SCRIPT = (("zh", re.compile(r"[\u3400-\u9fff]")), ("ru", re.compile(r"[\u0400-\u04ff]")),
                       ("ar", re.compile(r"[\u0600-\u06ff]")))


@dataclass
class Hit:
    """One occurrence found in the normalized text, before overlapping ones are resolved."""
    start: int
    end: int
    section: str  # mention, variant, candidate
    entities: tuple[str, ...] = ()
    phrase: Phrase | None = None
    known_as: str | None = None
    how: str | None = None
    label: str | None = None
    group: str | None = None  # occurrences of one candidate (a definition and its later short forms)
    extra: dict = field(default_factory=dict)

    @property
    def priority(self) -> int:
        return {"mention": 0, "variant": 1, "candidate": 2}[self.section]


def _language_of(text: str, document_language: str | None) -> str:
    for lang, script in _LANGUAGE_OF_SCRIPT:
        if script.search(text):
            return lang
    return document_language if document_language in ("en", "fr", "es") else "en"


class _Resolver:
    """What a phrase found by the name finders is: a known entity in other words (a variant) or a
    candidate for a new one."""

    def __init__(self, lexicon: Lexicon, variants: VariantIndex, text: str, language: str | None):
        self.lexicon, self.variants, self.text, self.language = lexicon, variants, text, language

    def known(self, words: str, acronym: str | None = None):
        """(entities, known name, how) for ``words``, exact names first."""
        exact = self.lexicon.entities_for(words) if words else set()
        if exact:
            return sorted(exact), words, "same"
        match = self.variants.match(words, acronym=acronym) if words else None
        return (match.entities, match.known_as, match.how) if match else None

    def resolve(self, p: Phrase, exact_hits: list[Hit]) -> list[Hit]:
        if p.kind == "definition":
            return self._definition(p)
        if p.kind == "name":
            known = self.known(p.text)
            if known and known[2] == "same":
                return []
            if known:
                return [Hit(p.start, p.end, "variant", tuple(known[0]), p, known[1], known[2])]
            return [Hit(p.start, p.end, "candidate", phrase=p)]
        if p.kind == "list":
            known = self.known(p.expansion)
            if known:
                return [Hit(p.start, p.end, "variant", tuple(known[0]), p, known[1], "coordinated list")]
            return [Hit(p.start, p.end, "candidate", phrase=p, extra={"unresolved_list": True})]
        if p.kind == "session":
            return self._session(p, exact_hits)
        if p.kind == "code":
            ids = sorted(self.variants.codes.get((p.cls, p.number), set()))
            if ids:
                return [Hit(p.start, p.end, "variant", tuple(ids), p, self.variants.names.get(ids[0], ids[0]), "code")]
            return [Hit(p.start, p.end, "candidate", phrase=p)]
        if p.kind == "review":
            return [Hit(p.start, p.end, "candidate", phrase=p)]
        return []

    def _definition(self, p: Phrase) -> list[Hit]:
        short_known = sorted(self.lexicon.entities_for(p.acronym))
        long_known = self.known(p.text, acronym=p.acronym)
        long_start, long_end = p.extra["long_span"]
        later = [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(p.acronym)}(?![\w-])", self.text)
                 if m.start() >= p.end]
        if short_known and long_known and set(long_known[0]) & set(short_known):
            if long_known[2] == "same":
                return []
            return [Hit(long_start, long_end, "variant", tuple(short_known), p, long_known[1], long_known[2])]
        if short_known and not long_known:
            name = self.variants.names.get(short_known[0], p.acronym)
            return [Hit(long_start, long_end, "variant", tuple(short_known), p, name, "long form")]
        if long_known and not short_known:
            group = f"acronym:{p.acronym}"
            hits = [Hit(p.start, p.end, "variant", tuple(long_known[0]), p, long_known[1],
                        "new acronym" if long_known[2] == "same" else long_known[2], group=group)]
            hits += [Hit(s, e, "variant", tuple(long_known[0]), p, long_known[1], "new acronym", group=group)
                     for s, e in later]
            return hits
        group = f"definition:{p.acronym}"
        return [Hit(p.start, p.end, "candidate", phrase=p, group=group)] + \
            [Hit(s, e, "candidate", phrase=p, group=group) for s, e in later]

    def _session(self, p: Phrase, exact_hits: list[Hit]) -> list[Hit]:
        if self.lexicon.entities_for(p.text):
            return []
        bodies: list[str] = []
        if p.body:
            known = self.known(p.body)
            bodies = [e for e in (known[0] if known else []) if self.variants.classes.get(e, set()) & _BODY_CLASSES]
            if not bodies and not re.fullmatch(r"[A-Z][A-Z&]{2,7}", p.body) and p.kind == "session" and \
                    not re.search(r"session|meeting|réunion|reunión|сесси|دورة|会议", p.text):
                return []
        else:
            sentence_start = max(self.text.rfind(ch, 0, p.start) for ch in ".!?。\n")
            for hit in reversed(exact_hits):
                if sentence_start < hit.start < p.start and any(
                        self.variants.classes.get(e, set()) & _BODY_CLASSES for e in hit.entities):
                    bodies = [e for e in hit.entities if self.variants.classes.get(e, set()) & _BODY_CLASSES]
                    break
        sessions = sorted({s for b in bodies for s in self.variants.sessions.get((b, p.year), set())})
        if sessions:
            return [Hit(p.start, p.end, "variant", tuple(sessions), p, self.variants.names.get(sessions[0]), "session")]
        return [Hit(p.start, p.end, "candidate", phrase=p, extra={"session_of": bodies[0] if len(bodies) == 1 else None})]


def _resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Longest first, known before new; a candidate ending on a known name is that name with a
    modifier, and a name that a resolved coordinated list covers is the list's conjuncts."""
    exact = [h for h in hits if h.section == "mention"]
    lists = [h for h in hits if h.phrase is not None and h.phrase.kind == "list" and h.section == "variant"]
    keep = []
    for h in hits:
        if h.section == "candidate" and h.phrase.kind in ("name", "definition"):
            if any(e.end == h.end and e.start > h.start for e in exact) and h.phrase.kind == "name":
                continue
            if any(h.start <= x.start and x.end <= h.end for x in lists):
                continue
        if h.section == "candidate" and h.extra.get("unresolved_list"):
            continue
        keep.append(h)
    reviews = [h for h in keep if h.phrase is not None and h.phrase.kind == "review"]
    others = sorted((h for h in keep if h not in reviews), key=lambda h: (-(h.end - h.start), h.priority, h.start))
    taken: list[tuple[int, int]] = []
    chosen = []
    grouped_ok: set[str] = set()
    for h in others:
        if h.group and h.group in grouped_ok and not any(a < h.end and h.start < b for a, b in taken):
            chosen.append(h)
            taken.append((h.start, h.end))
            continue
        if any(a < h.end and h.start < b for a, b in taken):
            continue
        if h.group:
            grouped_ok.add(h.group)
        chosen.append(h)
        taken.append((h.start, h.end))
    return sorted(chosen + reviews, key=lambda h: (h.start, h.end))


def _slug_id(text: str) -> str | None:
    value = re.sub(r"[^a-z0-9]+", "-", strip_accents(text).lower()).strip("-")[:60]
    return value or None


def scan_text(original: str, lexicon: Lexicon, max_offsets: int = 5, variants: VariantIndex | None = None,
              language: str | None = None) -> dict:
    """Mentions of known entities, citations, variants of known names and candidates for new
    entities in one text (offsets into ``original``)."""
    norm = normalize_text(original)
    text = norm.text
    hits: list[Hit] = []
    for m in lexicon.pattern.finditer(text):
        entities = sorted(lexicon.entities_for(m.group(0)))
        if entities:
            hits.append(Hit(m.start(), m.end(), "mention", tuple(entities), label=m.group(0)))
    if variants is not None:
        exact_hits = list(hits)
        for m in variants.loose_pattern.finditer(text):
            if lexicon.entities_for(m.group(0)):
                continue
            match = variants.match(m.group(0))
            if match:
                hits.append(Hit(m.start(), m.end(), "variant", tuple(match.entities), known_as=match.known_as,
                                how=match.how))
        resolver = _Resolver(lexicon, variants, text, language)
        for phrase in find_phrases(text):
            hits += resolver.resolve(phrase, exact_hits)
        hits = _resolve_overlaps(hits)
    mentions: dict[tuple, dict] = {}
    found_variants: dict[tuple, dict] = {}
    new: dict[tuple, dict] = {}
    claimed: list[tuple[int, int]] = []
    for h in hits:
        start, end = norm.span(h.start, h.end)
        if h.section == "mention":
            claimed.append((h.start, h.end))
            entry = mentions.setdefault(h.entities, {"entities": list(h.entities), "label": h.label, "count": 0,
                                                     "offsets": [], "context": _context(original, start, end),
                                                     "accept": True})
        elif h.section == "variant":
            claimed.append((h.start, h.end))
            shown = original[start:end]
            entry = found_variants.setdefault((h.entities, h.group or shown), {
                "text": shown, "entities": list(h.entities), "known_as": h.known_as, "how": h.how,
                "context": _context(original, start, end), "count": 0, "offsets": [],
                # a plain change of hyphen, space, case or number is the same name; anything else is the reviewer's call
                "accept": h.how in ("case", "hyphen/space", "singular/plural", "coordinated list", "session", "code"),
                "hidden_label": False})
            if h.phrase is not None and h.phrase.kind == "definition" and h.phrase.acronym:
                entry["acronym"] = h.phrase.acronym
        else:
            if h.phrase.kind != "review":
                claimed.append((h.start, h.end))
            p = h.phrase
            shown = original[start:end] if not h.group else p.text
            entry_key = (p.kind, h.group or key(shown) or shown)
            if entry_key not in new:
                new[entry_key] = _candidate(p, original[start:end], variants, language, h)
                new[entry_key]["context"] = _context(original, start, end)
            entry = new[entry_key]
        entry["count"] += 1
        if len(entry["offsets"]) < max_offsets:
            entry["offsets"].append([start, end - start])
    citations, candidates = [], defaultdict(lambda: {"offsets": [], "count": 0})
    for ref in find_references(text):
        start, end = norm.span(ref.start, ref.end)
        entity = None
        if ref.kind == "symbol":
            base = re.sub(r"\((?:Add|Rev|Corr)\.\d+\)$", "", ref.text)
            entity = lexicon.documents_by_symbol.get(ref.text) or lexicon.documents_by_symbol.get(base)
        elif ref.kind in ("resolution", "decision"):
            # resolved only with the adopting body: Resolution 75 of ITU-R is not PP Resolution 75
            hits_ = lexicon.instruments.get((ref.kind, ref.group, ref.number), set())
            entity = sorted(hits_)[0] if len(hits_) == 1 else None
        if entity:
            citations.append({"text": ref.text, "kind": ref.kind, "number": ref.number, "issuer": ref.group,
                              "entity": entity, "offset": [start, end - start],
                              "context": _context(original, start, end), "accept": True})
        else:
            key_ = (ref.kind, ref.text if ref.kind != "resolution" and ref.kind != "decision"
                    else f"{ref.group}:{ref.number}")
            c = candidates[key_]
            c.update({"kind": ref.kind, "text": ref.text, "number": ref.number, "issuer": ref.group,
                      "context": c.get("context") or _context(original, start, end), "accept": False})
            c["count"] += 1
            if len(c["offsets"]) < max_offsets:
                c["offsets"].append([start, end - start])
        claimed.append((ref.start, ref.end))
    defined = {k[1].split(":", 1)[1] for k in new if k[0] == "definition"}
    for m in ACRONYM.finditer(text):
        token = m.group(0)
        letters = sum(1 for ch in token if ch.isupper())
        if letters < 2 or token in _NOT_ACRONYMS or token in lexicon.known_tokens or lexicon.entities_for(token):
            continue
        if token in defined or any(a < m.end() and m.start() < b for a, b in claimed):
            continue
        if token.upper() != token and not re.search(r"[-&+]", token):
            continue  # a capitalized word, not an acronym
        if variants is not None and not _HEAD_NEAR.search(text[max(0, m.start() - 30): m.start()]) and \
                not _HEAD_AFTER.match(text[m.end(): m.end() + 30]):
            continue  # precision guard: an acronym is a candidate beside a head word or with its definition
        start, end = norm.span(m.start(), m.end())
        c = candidates[("acronym", token)]
        c.update({"kind": "acronym", "text": token, "context": c.get("context") or _context(original, start, end),
                  "accept": False})
        c["count"] += 1
        if len(c["offsets"]) < max_offsets:
            c["offsets"].append([start, end - start])
    ordered_mentions = sorted(mentions.values(), key=lambda e: (e["offsets"][0][0], e["entities"]))
    result = {"mentions": ordered_mentions, "citations": citations,
              "candidates": sorted(list(candidates.values()) + list(new.values()),
                                   key=lambda c: (c["kind"], c["offsets"][0][0]))}
    if variants is not None:
        result["variants"] = sorted(found_variants.values(), key=lambda v: v["offsets"][0][0])
    return result


_HEAD_WORDS_ANY = (r"group|groupe|grupo|committee|comité|comite|office|bureau|oficina|department|département|"
                   r"departamento|unit|unité|unidad|task force|team|équipe|equipo|commission|comisión|secretariat|"
                   r"council|conseil|consejo|board|forum|initiative|programme|platform|группа|комитет|бюро|"
                   r"فريق|لجنة|مكتب|工作组|委员会|小组|组|局|部|办公室")
_HEAD_NEAR = re.compile(rf"(?i:\b(?:{_HEAD_WORDS_ANY})\s*(?:\w+\s+)?)$")
_HEAD_AFTER = re.compile(rf"(?i:\s*(?:{_HEAD_WORDS_ANY})\b)")


def _candidate(p: Phrase, shown: str, variants: VariantIndex | None, language: str | None, hit: Hit) -> dict:
    """A candidate line: proposed class, names, acronym and the similar known entities."""
    name = p.text if p.kind in ("definition", "review", "code", "session") else shown
    if p.kind == "list":
        name = p.expansion
    lang = _language_of(name, language)
    cls = p.cls
    if p.kind == "definition" and cls is None:
        cls = _class_of_name(name)
    c: dict = {"kind": {"list": "list-item"}.get(p.kind, p.kind), "text": shown if p.kind != "definition" else
               f"{p.text} ({p.acronym})", "class": cls, "names": {lang: name}}
    if lang == "en":
        c["name"] = name
    if lang == "zh":
        c["name_zh"] = name
    if p.acronym:
        c["acronym"] = p.acronym
    suggested = _slug_id(p.acronym) if p.acronym and not any(is_cjk(ch) for ch in p.acronym) else \
        (_slug_id(name) if lang in ("en", "fr", "es") else None)
    if suggested:
        c["id"] = suggested
    prefer: set[str] = set()
    if p.kind == "session":
        c["session_of"] = hit.extra.get("session_of")
        c["year"] = p.year
        prefer = {s for (_, year), ids in (variants.sessions.items() if variants else []) if year == p.year for s in ids}
    if p.kind == "code":
        c["number"] = p.number
        parent = p.number.split(".")[0] if "." in p.number else None
        if parent and variants:
            goals = variants.codes.get(("StrategicGoal", parent), set())
            if len(goals) == 1:
                c["part_of"] = next(iter(goals))
            prefer = set(goals)
    if p.kind == "review" and variants:
        issuer = variants.match(p.body) if p.body else None
        issuers = set(issuer.entities) if issuer else set()
        if len(issuers) == 1:
            c["issued_by"] = next(iter(issuers))
        prefer = issuers
    if variants is not None:
        c["similar"] = variants.similar(name + (f" {p.acronym}" if p.acronym else ""), cls, prefer)
    c.update({"count": 0, "offsets": [], "accept": False})
    return c


def _class_of_name(name: str) -> str | None:
    for finder in (find_names_en, find_names_romance, find_names_ru, find_names_ar, find_names_zh):
        for p in finder(name):
            if p.start == 0 or p.end == len(name):
                return p.cls
    return None


def scan_documents(settings: Settings, files: list[Path], lang: str = "auto", doc_id: str | None = None,
                   max_offsets: int = 5) -> dict:
    """The review of each file: the document, its mentions, citations and new-entity candidates."""
    graph = to_property_graph(pipeline.build_dataset(settings))
    lexicon = build_lexicon(graph)
    variants = build_variant_index(graph)
    existing = {n.properties["id"]: n for n in graph.nodes.values()}
    documents = []
    for path in files:
        path = Path(path)
        original, title = extract(path)
        language = guess_language(original) if lang == "auto" else lang
        symbol = next((r.text for r in find_references(normalize_text(original[:600]).text) if r.kind == "symbol"), None)
        identifier = doc_id if (doc_id and len(files) == 1) else "doc-" + slug(symbol or path.stem)
        known = existing.get(identifier)
        if known is not None:
            title_en = known.properties.get("name", identifier)
            title_zh = known.properties.get("name_zh", title_en)
        else:
            title_en = title_zh = title or symbol or path.stem
        found = scan_text(original, lexicon, max_offsets=max_offsets, variants=variants, language=language)
        found["mentions"] = [m for m in found["mentions"] if identifier not in m["entities"]]
        documents.append({
            "document": {"id": identifier, "exists": known is not None, "title": {"en": title_en, "zh": title_zh},
                         "symbol": symbol, "date": None, "language": language, "file": str(path),
                         "sha256": hashlib.sha256(path.read_bytes()).hexdigest()},
            **found,
        })
    return {"review": "itu-graph ingest", "version": 1, "documents": documents}


def review_yaml(review: dict) -> str:
    import yaml
    header = ("# itu-graph review file. Nothing enters the data until `itu-graph ingest accept` reads it.\n"
              "# Set accept: true/false per line; give a new document English and Chinese titles; an accepted\n"
              "# candidate needs class (an ontology class such as Document or Topic) and name/name_zh (or names:\n"
              "# {en: ..., zh: ...}); its acronym, session_of, part_of and issued_by are written too. To link a\n"
              "# candidate to a known entity instead (see similar), accept it with link: ID. An accepted variant is a\n"
              "# mention of its entity; hidden_label: true also adds the variant as a search label.\n")
    return header + yaml.safe_dump(review, allow_unicode=True, sort_keys=False, width=120)
