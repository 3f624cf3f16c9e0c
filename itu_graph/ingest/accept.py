"""Accept a reviewed file: write the accepted facts as a new source file, then build and validate.

A review file is input someone else may have written. It is read with a YAML loader that
refuses aliases (a few nested ones expand to gigabytes) within a size cap, every field used is
checked for its type and form, and the new file is written by the RDF library's serializer from
terms, never by formatting strings, so no value can add a triple of its own.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import pipeline
from ..errors import IngestError, Location
from ..rdf.mapping import to_property_graph
from ..settings import Settings

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
_NAMESPACE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[/#]\Z")
#: C0 controls but tab and line feed, DEL and C1 controls: never in a name or title
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: a review file is a few hundred kilobytes; anything far larger is not one
MAX_REVIEW_BYTES = 16 * 1024 * 1024

IG = "https://w3id.org/itu-graph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREFIXES = {"ig": IG, "skos": SKOS, "xsd": XSD}


def _safe_loader():
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """SafeLoader (no Python tags) that refuses aliases: a review file never needs them, and
        nested ones ("billion laughs") expand a 2 KB file to gigabytes."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.events.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a review file",
                                                  event.start_mark)
            return super().compose_node(parent, index)

    return NoAliasLoader


def load_review(path: Path) -> dict:
    import yaml
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_REVIEW_BYTES + 1)
    except FileNotFoundError as exc:
        raise IngestError("review file not found", Location(file=str(path))) from exc
    except OSError as exc:
        raise IngestError(f"cannot read the review file: {exc.strerror}", Location(file=str(path))) from exc
    if len(raw) > MAX_REVIEW_BYTES:
        raise IngestError(f"review file larger than {MAX_REVIEW_BYTES // (1024 * 1024)} MB; not a review file",
                          Location(file=str(path)))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError("review file is not UTF-8", Location(file=str(path), line=raw[:exc.start].count(b"\n") + 1)) from exc
    try:
        review = yaml.load(text, Loader=_safe_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise IngestError(f"not a valid review file: {getattr(exc, 'problem', None) or exc}",
                          Location(file=str(path), line=mark.line + 1 if mark else None)) from exc
    except RecursionError as exc:
        raise IngestError("not a valid review file: nested too deeply", Location(file=str(path))) from exc
    if not isinstance(review, dict) or review.get("review") != "itu-graph ingest" or not isinstance(review.get("documents"), list):
        raise IngestError("not an itu-graph review file (made by `itu-graph ingest FILE -o REVIEW.yaml`)",
                          Location(file=str(path)))
    return review


# ---------------------------------------------------------------------------------- field checks
class _Fields:
    """Typed access to one mapping of the review, each error naming the field and the document."""

    def __init__(self, mapping: Any, where: Location, what: str):
        if mapping is None:
            mapping = {}
        if not isinstance(mapping, dict):
            raise IngestError(f"{what} must be a mapping, not {type(mapping).__name__}", where)
        self.mapping, self.where, self.what = mapping, where, what

    def _bad(self, key: str, expected: str) -> IngestError:
        value = self.mapping.get(key)
        return IngestError(f"{self.what}.{key} must be {expected}, not {type(value).__name__} {_show(value)}", self.where)

    def flag(self, key: str) -> bool:
        value = self.mapping.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self._bad(key, "true or false")
        return value

    def text(self, key: str, *, pattern: re.Pattern | None = None, expected: str = "text",
             name: bool = False) -> str | None:
        value = self.mapping.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self._bad(key, expected)
        value = str(value)
        if pattern is not None and not pattern.match(value):
            raise self._bad(key, expected)
        if name and (_CONTROL.search(value) or "\n" in value or not value.strip()):
            raise self._bad(key, "a name on one line, without control characters")
        return value

    def items(self, key: str) -> list:
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._bad(key, "a list")
        return value


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date(meta: _Fields) -> str | None:
    value = meta.mapping.get("date")
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise meta._bad("date", "a date (YYYY-MM-DD)")


def file_label(name: Any) -> str:
    """A document's file name as it may appear in a comment: the last path part, NFC, every
    control or line-breaking character replaced, at most 200 characters."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", str(name)))[-1]
    base = "".join("?" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") else ch for ch in base)
    return base[:200] or "?"


def _namespace(graph, entity_ids: list[str]) -> str:
    by_id = {n.properties["id"]: uri for uri, n in graph.nodes.items()}
    for eid in entity_ids:
        if eid in by_id:
            return by_id[eid][: -len(eid)]
    raise IngestError("cannot tell the data's namespace: no accepted entity; give --namespace")


def _literal(text: str, language: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=language) if language else ox.Literal(text)


def accept_review(settings: Settings, review_path: Path, out_dir: Path | None = None,
                  namespace: str | None = None) -> list[Path]:
    """Write one TriG file per document of the review (only accepted lines), then build and
    validate all data with them; on failure the new files are removed again, and nothing is
    written at all while any document of the review is refused."""
    review = load_review(review_path)
    if namespace is not None and not _NAMESPACE.match(namespace):
        raise IngestError(f"--namespace {namespace!r} is not an http(s) IRI ending in / or #")
    ontology = pipeline.load_ontology(settings)
    graph = to_property_graph(pipeline.build_dataset(settings))
    ids = {n.properties["id"] for n in graph.nodes.values()}
    labels = {c.cypher_label: c.iri for c in ontology.classes.values()}
    out_dir = Path(out_dir or Path(settings.data_dirs[0]) / "ingested")
    planned: list[tuple[Path, bytes]] = []
    for number, doc_raw in enumerate(review["documents"], start=1):
        where = Location(file=str(review_path), entity=f"document {number}")
        doc = _Fields(doc_raw, where, f"documents[{number}]")
        meta = _Fields(doc.mapping.get("document"), where, "document")
        doc_id = meta.text("id", pattern=_ID, expected="a plain id (letters, digits, . _ -)") or ""
        if not doc_id:
            raise IngestError(f"document id {meta.mapping.get('id')!r} is not a plain id (letters, digits, . _ -)", where)
        target = out_dir / f"{doc_id}.trig"
        if target.exists() or any(path == target for path, _ in planned):
            raise IngestError("this document was accepted before; remove the file to accept it again",
                              Location(file=str(target)))
        mentions = [_Fields(m, where, "mentions[]") for m in doc.items("mentions")]
        citations = [_Fields(c, where, "citations[]") for c in doc.items("citations")]
        candidates = [_Fields(c, where, "candidates[]") for c in doc.items("candidates")]
        variants = [_Fields(v, where, "variants[]") for v in doc.items("variants")]
        mentioned: set[str] = set()
        hidden: list[tuple[str, str]] = []  # (entity, variant) a reviewer adds as a search label
        for v in variants:
            if not v.flag("accept"):
                continue
            entities = v.items("entities")
            if len(entities) != 1 or not isinstance(entities[0], str) or not _ID.match(entities[0]):
                raise IngestError(f"an accepted variant names one entity (a plain id), not {_show(entities)}", where)
            mentioned.add(entities[0])
            if v.flag("hidden_label"):
                hidden.append((entities[0], v.text("text", name=True) or ""))
        links: dict[int, str] = {}
        for number_, c in enumerate(candidates):
            if c.flag("accept") and c.mapping.get("link") is not None:
                link = c.text("link", pattern=_ID, expected="a plain id (an entity of the data)")
                if link:
                    links[number_] = link
                    mentioned.add(link)
                    if c.flag("hidden_label") and c.text("text", name=True):
                        hidden.append((link, c.text("text", name=True)))
        for m in mentions:
            if m.flag("accept"):
                for eid in m.items("entities"):
                    if not isinstance(eid, str) or not _ID.match(eid):
                        raise IngestError(f"mentions[].entities holds {_show(eid)}, not a plain id", where)
                    mentioned.add(eid)
        cited: set[str] = set()
        for c in citations:
            if c.flag("accept"):
                entity = c.text("entity", pattern=_ID, expected="a plain id")
                if entity:
                    cited.add(entity)
        unknown = sorted((mentioned | cited) - ids)
        if unknown:
            raise IngestError(f"accepted lines name entities the data does not have: {', '.join(unknown)}", where)
        base = namespace or _namespace(graph, sorted(mentioned) + sorted(cited) + [doc_id])
        if not _NAMESPACE.match(base):
            raise IngestError(f"the data's namespace {base!r} is not an http(s) IRI ending in / or #", where)
        subject = ox.NamedNode(base + doc_id)
        context = ox.NamedNode(base + doc_id)
        triples: list[tuple] = []
        language = meta.text("language", pattern=_LANGUAGE, expected="a language code (en, zh, fr, …)")
        symbol = meta.text("symbol", name=True)
        date = _date(meta)
        sha256 = meta.text("sha256", pattern=_SHA256, expected="64 lower-case hex digits")
        source = meta.mapping.get("file")
        if source is not None and not isinstance(source, str):
            raise meta._bad("file", "a file name")
        if doc_id not in ids:
            title = _Fields(meta.mapping.get("title"), where, "document.title")
            en_raw, zh_raw = title.text("en", name=True), title.text("zh", name=True)
            en, zh = en_raw or zh_raw, zh_raw or en_raw
            if not en:
                raise IngestError("a new document needs a title (title: {en: ..., zh: ...})", where)
            triples += [(subject, RDF_TYPE, ox.NamedNode(IG + "Document")),
                        (subject, ox.NamedNode(SKOS + "prefLabel"), _literal(en, "en")),
                        (subject, ox.NamedNode(SKOS + "prefLabel"), _literal(zh, "zh"))]
            if symbol:
                triples.append((subject, ox.NamedNode(IG + "symbol"), _literal(symbol)))
            if language:
                triples.append((subject, ox.NamedNode(IG + "language"), _literal(language)))
            if date:
                triples.append((subject, ox.NamedNode(IG + "date"), ox.Literal(date, datatype=ox.NamedNode(XSD + "date"))))
        for number_, candidate in enumerate(candidates):
            if not candidate.flag("accept") or number_ in links:
                continue
            cls = candidate.text("class", pattern=re.compile(r"^[A-Za-z][A-Za-z0-9_]*\Z"), expected="an ontology class")
            names = _Fields(candidate.mapping.get("names"), where, "candidates[].names")
            for lang in names.mapping:
                if not isinstance(lang, str) or not _LANGUAGE.match(lang):
                    raise IngestError(f"candidates[].names has {_show(lang)}, not a language code", where)
            name_en = candidate.text("name", name=True) or names.text("en", name=True)
            name_zh = candidate.text("name_zh", name=True) or names.text("zh", name=True)
            text = candidate.text("text", name=True)
            new_id = candidate.text("id", pattern=_ID, expected="a plain id (letters, digits, . _ -)") \
                or re.sub(r"[^a-z0-9]+", "-", str(text or "").lower()).strip("-")
            if cls not in labels or not name_en or not name_zh or not _ID.match(new_id or ""):
                raise IngestError(f"accepted candidate {text!r} needs class (an ontology class), "
                                  "name, name_zh and a plain id", where)
            if new_id in ids:
                raise IngestError(f"accepted candidate id {new_id!r} already exists in the data", where)
            node = ox.NamedNode(base + new_id)
            triples += [(node, RDF_TYPE, ox.NamedNode(labels[cls])),
                        (node, ox.NamedNode(SKOS + "prefLabel"), _literal(name_en, "en")),
                        (node, ox.NamedNode(SKOS + "prefLabel"), _literal(name_zh, "zh"))]
            for lang in sorted(names.mapping):
                if lang not in ("en", "zh") and names.text(lang, name=True):
                    triples.append((node, ox.NamedNode(SKOS + "prefLabel"), _literal(names.text(lang, name=True), lang)))
            kind = candidate.text("kind")
            if kind == "acronym" and text:
                triples.append((node, ox.NamedNode(SKOS + "altLabel"), _literal(text)))
            acronym = candidate.text("acronym", name=True)
            if acronym and not (kind == "acronym" and acronym == text):
                triples.append((node, ox.NamedNode(SKOS + "altLabel"), _literal(acronym)))
            if candidate.text("number") and kind == "code":
                triples.append((node, ox.NamedNode(IG + "number"), _literal(candidate.text("number", name=True))))
            for field_, prop in (("session_of", "sessionOf"), ("part_of", "partOf"), ("issued_by", "issuedBy")):
                related = candidate.text(field_, pattern=_ID, expected="a plain id (an entity of the data)")
                if related:
                    if related not in ids:
                        raise IngestError(f"accepted candidate {text!r}: {field_} {related!r} is not in the data", where)
                    triples.append((node, ox.NamedNode(IG + prop), ox.NamedNode(base + related)))
            if kind == "symbol" and text:
                triples.append((node, ox.NamedNode(IG + "symbol"), _literal(text)))
            prop = "cites" if cls in ("Document", "Instrument", "Resolution", "Decision", "ServiceOrder") else "mentions"
            triples.append((subject, ox.NamedNode(IG + prop), node))
        for eid in sorted(mentioned):
            triples.append((subject, ox.NamedNode(IG + "mentions"), ox.NamedNode(base + eid)))
        for eid, label in sorted(set(hidden)):
            # a search label is a plain string (SHACL: no language tag); it lets the next scan find the variant
            triples.append((ox.NamedNode(base + eid), ox.NamedNode(SKOS + "hiddenLabel"), _literal(label)))
        for eid in sorted(cited):
            triples.append((subject, ox.NamedNode(IG + "cites"), ox.NamedNode(base + eid)))
        header = ("# Accepted by `itu-graph ingest accept` from a reviewed scan of "
                  + (file_label(source) if source else "?") + (f" (sha256 {sha256})" if sha256 else "") + ".\n"
                  "# The named graph is the document: every triple here is asserted by it.\n")
        body = ox.serialize([ox.Quad(s, p, o, context) for s, p, o in triples], format=ox.RdfFormat.TRIG,
                            prefixes=PREFIXES)
        planned.append((target, header.encode("utf-8") + body))
    return pipeline.write_validated(settings, out_dir, planned, "the accepted facts")
