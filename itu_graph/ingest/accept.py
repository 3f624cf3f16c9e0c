"""Accept a reviewed file: write the accepted facts as a new source file, then build and validate."""
from __future__ import annotations

import re
from pathlib import Path

from .. import pipeline
from ..errors import IngestError, Location, ValidationFailed
from ..files import write_atomic
from ..rdf.mapping import to_property_graph
from ..settings import Settings

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _literal(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def load_review(path: Path) -> dict:
    import yaml
    try:
        review = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IngestError("review file not found", Location(file=str(path))) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise IngestError(f"not a valid review file: {getattr(exc, 'problem', exc)}",
                          Location(file=str(path), line=mark.line + 1 if mark else None)) from exc
    if not isinstance(review, dict) or review.get("review") != "itu-graph ingest" or not isinstance(review.get("documents"), list):
        raise IngestError("not an itu-graph review file (made by `itu-graph ingest FILE -o REVIEW.yaml`)",
                          Location(file=str(path)))
    return review


def _namespace(graph, entity_ids: list[str]) -> str:
    by_id = {n.properties["id"]: uri for uri, n in graph.nodes.items()}
    for eid in entity_ids:
        if eid in by_id:
            return by_id[eid][: -len(eid)]
    raise IngestError("cannot tell the data's namespace: no accepted entity; give --namespace")


def accept_review(settings: Settings, review_path: Path, out_dir: Path | None = None,
                  namespace: str | None = None) -> list[Path]:
    """Write one TriG file per document of the review (only accepted lines), then build and
    validate all data with them; on failure the new files are removed again."""
    review = load_review(review_path)
    ontology = pipeline.load_ontology(settings)
    graph = to_property_graph(pipeline.build_dataset(settings))
    ids = {n.properties["id"] for n in graph.nodes.values()}
    labels = {c.cypher_label: c.iri for c in ontology.classes.values()}
    out_dir = Path(out_dir or Path(settings.data_dirs[0]) / "ingested")
    written: list[Path] = []
    for number, doc in enumerate(review["documents"], start=1):
        where = Location(file=str(review_path), entity=f"document {number}")
        meta = doc.get("document") or {}
        doc_id = str(meta.get("id") or "")
        if not _ID.match(doc_id):
            raise IngestError(f"document id {doc_id!r} is not a plain id (letters, digits, . _ -)", where)
        target = out_dir / f"{doc_id}.trig"
        if target.exists():
            raise IngestError("this document was accepted before; remove the file to accept it again",
                              Location(file=str(target)))
        mentioned = sorted({e for m in doc.get("mentions") or [] if m.get("accept") for e in m.get("entities") or []})
        cited = sorted({c["entity"] for c in doc.get("citations") or [] if c.get("accept") and c.get("entity")})
        unknown = sorted(set(mentioned + cited) - ids)
        if unknown:
            raise IngestError(f"accepted lines name entities the data does not have: {', '.join(unknown)}", where)
        base = namespace or _namespace(graph, mentioned + cited + [doc_id])
        subject = f"<{base}{doc_id}>"
        lines = []
        if doc_id not in ids:
            title = meta.get("title") or {}
            en, zh = title.get("en") or title.get("zh"), title.get("zh") or title.get("en")
            if not en:
                raise IngestError("a new document needs a title (title: {en: ..., zh: ...})", where)
            lines.append(f"{subject} a ig:Document ; skos:prefLabel {_literal(en)}@en , {_literal(zh)}@zh .")
            for key, prop in (("symbol", "ig:symbol"), ("language", "ig:language")):
                if meta.get(key):
                    lines.append(f"{subject} {prop} {_literal(meta[key])} .")
            if meta.get("date"):
                lines.append(f'{subject} ig:date "{meta["date"]}"^^xsd:date .')
        for candidate in doc.get("candidates") or []:
            if not candidate.get("accept"):
                continue
            cls, name_en, name_zh = candidate.get("class"), candidate.get("name"), candidate.get("name_zh")
            new_id = candidate.get("id") or re.sub(r"[^a-z0-9]+", "-", str(candidate.get("text", "")).lower()).strip("-")
            if cls not in labels or not name_en or not name_zh or not _ID.match(new_id or ""):
                raise IngestError(f"accepted candidate {candidate.get('text')!r} needs class (an ontology class), "
                                  "name, name_zh and a plain id", where)
            if new_id in ids:
                raise IngestError(f"accepted candidate id {new_id!r} already exists in the data", where)
            lines.append(f"<{base}{new_id}> a <{labels[cls]}> ; skos:prefLabel {_literal(name_en)}@en , {_literal(name_zh)}@zh .")
            if candidate.get("kind") == "acronym":
                lines.append(f"<{base}{new_id}> skos:altLabel {_literal(candidate['text'])} .")
            if candidate.get("kind") == "symbol":
                lines.append(f"<{base}{new_id}> ig:symbol {_literal(candidate['text'])} .")
            prop = "ig:cites" if cls in ("Document", "Instrument", "Resolution", "Decision", "ServiceOrder") else "ig:mentions"
            lines.append(f"{subject} {prop} <{base}{new_id}> .")
        for eid in mentioned:
            lines.append(f"{subject} ig:mentions <{base}{eid}> .")
        for eid in cited:
            lines.append(f"{subject} ig:cites <{base}{eid}> .")
        source = meta.get("file") or "?"
        text = ("# Accepted by `itu-graph ingest accept` from a reviewed scan of " + str(Path(source).name)
                + (f" (sha256 {meta['sha256']})" if meta.get("sha256") else "") + ".\n"
                "# The named graph is the document: every triple here is asserted by it.\n"
                "@prefix ig:   <https://w3id.org/itu-graph/ontology#> .\n"
                "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                "@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .\n\n"
                f"{subject} {{\n" + "".join(f"    {line}\n" for line in lines) + "}\n")
        written.append(write_atomic(target, text))
    try:
        data_dirs = list(settings.data_dirs)
        if not any(out_dir.resolve().is_relative_to(Path(d).resolve()) for d in data_dirs):
            data_dirs.append(out_dir)
        check = pipeline.validate_dataset(pipeline.build_dataset(Settings(data_dirs=data_dirs,
                                                                          ontology_dir=settings.ontology_dir)),
                                          engine=settings.shacl_engine)
        if not check.conforms:
            raise ValidationFailed(f"the accepted facts do not validate ({len(check.violations)} violation(s)); "
                                   "nothing was written", check)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
