"""Scan documents against the known entities: mentions, citations, candidates -> a review file."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

from .. import pipeline
from ..rdf.mapping import to_property_graph
from ..settings import Settings
from .extract import extract
from .lexicon import Lexicon, build_lexicon
from .references import find_references
from .text import guess_language, normalize_text

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


def scan_text(original: str, lexicon: Lexicon, max_offsets: int = 5) -> dict:
    norm = normalize_text(original)
    text = norm.text
    mentions: dict[tuple, dict] = {}
    claimed: list[tuple[int, int]] = []
    for m in lexicon.pattern.finditer(text):
        entities = sorted(lexicon.entities_for(m.group(0)))
        if not entities:
            continue
        start, end = norm.span(m.start(), m.end())
        claimed.append((m.start(), m.end()))
        key = tuple(entities)
        entry = mentions.setdefault(key, {"entities": list(entities), "label": m.group(0), "count": 0, "offsets": [],
                                          "context": _context(original, start, end), "accept": True})
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
            hits = lexicon.instruments.get((ref.kind, ref.group, ref.number), set())
            entity = sorted(hits)[0] if len(hits) == 1 else None
        if entity:
            citations.append({"text": ref.text, "kind": ref.kind, "number": ref.number, "issuer": ref.group,
                              "entity": entity, "offset": [start, end - start],
                              "context": _context(original, start, end), "accept": True})
        else:
            key = (ref.kind, ref.text if ref.kind != "resolution" and ref.kind != "decision"
                   else f"{ref.group}:{ref.number}")
            c = candidates[key]
            c.update({"kind": ref.kind, "text": ref.text, "number": ref.number, "issuer": ref.group,
                      "context": c.get("context") or _context(original, start, end), "accept": False})
            c["count"] += 1
            if len(c["offsets"]) < max_offsets:
                c["offsets"].append([start, end - start])
    for m in ACRONYM.finditer(text):
        token = m.group(0)
        letters = sum(1 for ch in token if ch.isupper())
        if letters < 2 or token in _NOT_ACRONYMS or token in lexicon.known_tokens or lexicon.entities_for(token):
            continue
        if any(a <= m.start() and m.end() <= b for a, b in claimed):
            continue
        if token.upper() != token and not re.search(r"[-&+]", token):
            continue  # a capitalized word, not an acronym
        start, end = norm.span(m.start(), m.end())
        c = candidates[("acronym", token)]
        c.update({"kind": "acronym", "text": token, "context": c.get("context") or _context(original, start, end),
                  "accept": False})
        c["count"] += 1
        if len(c["offsets"]) < max_offsets:
            c["offsets"].append([start, end - start])
    ordered_mentions = sorted(mentions.values(), key=lambda e: (e["offsets"][0][0], e["entities"]))
    return {"mentions": ordered_mentions, "citations": citations,
            "candidates": sorted(candidates.values(), key=lambda c: (c["kind"], c["offsets"][0][0]))}


def scan_documents(settings: Settings, files: list[Path], lang: str = "auto", doc_id: str | None = None) -> dict:
    """The review of each file: the document, its mentions, citations and new-entity candidates."""
    graph = to_property_graph(pipeline.build_dataset(settings))
    lexicon = build_lexicon(graph)
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
        found = scan_text(original, lexicon)
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
              "# candidate needs class (an ontology class such as Document or Topic) and name/name_zh.\n")
    return header + yaml.safe_dump(review, allow_unicode=True, sort_keys=False, width=120)
