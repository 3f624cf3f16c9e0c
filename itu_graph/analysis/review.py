"""Triage by the Coordination Committee (issue 15, point 5): the review file and its acceptance.

``itu-graph findings review -o REVIEW.yaml`` writes the open findings with empty decision fields
(:func:`review_document`, :func:`review_yaml`). ``itu-graph findings accept REVIEW.yaml``
(:func:`accept_review`) checks every decision, writes them as one TriG file (one named graph per
review: the graph is the ``ig:FindingReview``, who and when) with a real RDF serializer, then builds
and validates all data with it and removes it again on failure, as ``ingest accept`` does.
Later runs honour the decisions once loaded (:mod:`itu_graph.analysis.triage`).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from .. import pipeline
from ..errors import Location, ReviewError
from ..rdf.mapping import to_property_graph
from ..rdf.vocab import IG, RDF, SKOS, XSD
from ..settings import Settings
from .findings import Finding
from .triage import DECISIONS, REOPENED, evidence_digest, read_decisions

KIND = "itu-graph findings"
#: A review file is a few hundred findings; anything far beyond is not one, and is not parsed.
MAX_BYTES = 10_000_000
MAX_FINDINGS = 50_000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FINDING_ID = re.compile(r"^[A-Z]+-[0-9a-f]{10}$")
_DIGEST = re.compile(r"^[0-9a-f]{16}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: Keys a finding entry may have: what `review` writes (read-only context) and the decision fields.
CONTEXT_KEYS = {"id", "rule", "severity", "title", "title_zh", "entities", "sources", "evidence_digest", "triage"}
DECISION_KEYS = {"decision", "reason", "source", "owner", "due"}
#: Which decision fields each decision needs, and which it may have.
REQUIRED = {"confirm": set(), "dismiss": {"reason", "source"}, "assign": {"owner", "due"}}
ALLOWED = {"confirm": {"reason"}, "dismiss": {"reason", "source"}, "assign": {"reason", "owner", "due"}}

HEADER = """\
# itu-graph findings review. Nothing enters the data until `itu-graph findings accept` reads it.
# Fill in reviewer and date (YYYY-MM-DD) above the findings, then per finding you decide:
#   decision: confirm                 the finding stands (reason optional)
#   decision: dismiss                 it does not hold: reason and source are required; source is
#                                     the IRI or URL of what shows it (an entity id of the data is
#                                     taken as that entity)
#   decision: assign                  an action: owner (the id of a unit, body or post of the data)
#                                     and due (YYYY-MM-DD); reason optional
# Leave decision empty to decide later. A dismissed finding stays away while its evidence digest is
# unchanged and comes back, marked reopened, when the evidence changes.
"""


# ------------------------------------------------------------------------------ review file
def review_document(result, *, include_decided: bool = False, include_unverified: bool = False) -> dict:
    """The review file's content for an analysis result: open findings (never decided, or
    reopened) with empty decision fields; with ``include_decided`` also confirmed and assigned ones."""
    entries = []
    for f in result.findings:
        status = (f.triage or {}).get("status")
        if status and status != REOPENED and not include_decided:
            continue
        entry = {"id": f.id, "rule": f.rule, "severity": f.severity, "title": f.title, "title_zh": f.title_zh,
                 "entities": list(f.entities), "sources": list(f.sources), "evidence_digest": evidence_digest(f)}
        if f.triage:
            entry["triage"] = {k: v for k, v in f.triage.items() if v is not None}
        entry.update({key: None for key in ("decision", "reason", "source", "owner", "due")})
        entries.append(entry)
    return {"review": KIND, "reviewer": None, "date": None, "today": result.today,
            "include_unverified": include_unverified, "findings": entries}


def review_yaml(review: dict) -> str:
    import yaml
    return HEADER + yaml.safe_dump(review, allow_unicode=True, sort_keys=False, width=120)


# ------------------------------------------------------------------------------ reading it back
def load_review(path: Path) -> tuple[dict, list[int | None]]:
    """The review file and the line of each finding entry. Refuses files beyond ``MAX_BYTES``
    and any YAML alias: a review file needs none, and aliases nested in aliases make a few
    hundred bytes expand to billions of nodes (the "billion laughs")."""
    import yaml
    path = Path(path)
    where = Location(file=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReviewError(f"review file is {size:,} bytes; a review file is at most {MAX_BYTES:,}", where)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReviewError("review file not found", where) from exc
    except UnicodeDecodeError as exc:
        raise ReviewError(f"review file is not UTF-8 text ({exc.reason} at byte {exc.start})", where) from exc
    except OSError as exc:
        raise ReviewError(f"cannot read the review file: {exc.strerror}", where) from exc

    def syntax(exc: yaml.YAMLError) -> ReviewError:
        mark = getattr(exc, "problem_mark", None)
        return ReviewError(f"not a valid review file: {getattr(exc, 'problem', None) or exc}",
                           Location(file=str(path), line=mark.line + 1 if mark else None))
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise ReviewError(f"YAML aliases (*{event.anchor}) are not allowed in a review file; write the "
                                  "value out", Location(file=str(path), line=event.start_mark.line + 1))
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        review = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise syntax(exc) from exc
    if not isinstance(review, dict) or review.get("review") != KIND:
        raise ReviewError("not an itu-graph findings review (made by `itu-graph findings review -o REVIEW.yaml`)", where)
    if not isinstance(review.get("findings"), list):
        raise ReviewError("`findings` must be a list of findings", where)
    if len(review["findings"]) > MAX_FINDINGS:
        raise ReviewError(f"{len(review['findings']):,} findings; a review holds at most {MAX_FINDINGS:,}", where)
    lines: list[int | None] = [None] * len(review["findings"])
    for key, value in root.value:  # the composed mapping node: where each finding entry starts
        if getattr(key, "value", None) == "findings" and isinstance(value, yaml.SequenceNode):
            lines = [item.start_mark.line + 1 for item in value.value]
    return review, lines


def _date(value, what: str, where: Location) -> str:
    """An ISO date (YAML reads an unquoted 2026-03-01 as a date already)."""
    if isinstance(value, datetime):
        raise ReviewError(f"{what} must be a date (YYYY-MM-DD), not a date and time", where)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError:
                pass
        raise ReviewError(f"{what} {value!r} is not a date (YYYY-MM-DD)", where)
    raise ReviewError(f"{what} must be a date (YYYY-MM-DD), got {type(value).__name__} {value!r}", where)


def _text(value, what: str, where: Location, limit: int = 5000) -> str:
    if not isinstance(value, str):
        raise ReviewError(f"{what} must be text, got {type(value).__name__} {value!r}", where)
    value = value.strip()
    if not value:
        raise ReviewError(f"{what} is empty", where)
    if len(value) > limit:
        raise ReviewError(f"{what} is longer than {limit} characters", where)
    if _CONTROL.search(value):
        raise ReviewError(f"{what} contains control characters", where)
    return value


def _iri(value: str) -> bool:
    """An absolute IRI pyoxigraph accepts, with a scheme that names a source (http, https, urn, doi)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https", "urn", "doi") or (parts.scheme.startswith("http") and not parts.netloc):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def _short(title: str, limit: int = 100) -> str:
    """A finding title cut for an action's name (names are shown in tables and on the network)."""
    return title if len(title) <= limit else title[: limit - 1].rstrip(" ,;:，；：") + "…"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    # a name in another script has no ASCII slug: a short hash keeps ids plain and distinct
    return slug or hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


# ------------------------------------------------------------------------------ accepting it
def default_out_dir(settings: Settings) -> Path:
    """``data/<org>/triage``: beside the organization's data files. When the first data folder
    holds its data in one sub-folder (data/itu/), that is the organization's folder."""
    first = Path(settings.data_dirs[0])
    if first.is_file():
        return first.parent / "triage"
    data_files = lambda d: [p for p in d.iterdir() if p.is_file() and p.suffix in (".ttl", ".trig", ".nq", ".jsonld")]  # noqa: E731
    subdirs = [d for d in sorted(first.iterdir()) if d.is_dir() and not d.name.startswith(".")] if first.is_dir() else []
    if not (data_files(first) if first.is_dir() else []) and len(subdirs) == 1:
        return subdirs[0] / "triage"
    return first / "triage"


def _namespace(uris: list[str], ids: list[str]) -> str:
    """The data's namespace: the IRI prefix most of its entities share."""
    counts = Counter(uri[: -len(eid)] for uri, eid in zip(uris, ids) if uri.endswith(eid))
    if not counts:
        raise ReviewError("the data has no entities: cannot tell its namespace")
    return counts.most_common(1)[0][0]


def _current_findings(settings: Settings, review: dict, store) -> tuple[dict[str, Finding], set[str]]:
    """The findings of the store now (judged against the review's day) and the ids decided before."""
    from .run import analyze
    today = review.get("today")
    today = today.isoformat() if isinstance(today, date) else (today if isinstance(today, str) else None)
    result = analyze(settings, today=today, include_unverified=bool(review.get("include_unverified")),
                     store=store, write_back=False)
    ontology = pipeline.load_ontology(settings)
    return {f.id: f for f in result.findings}, set(read_decisions(store, ontology))


def accept_review(settings: Settings, review_path: Path, out_dir: Path | None = None, store=None) -> Path:
    """Check the review's decisions, write them as one TriG file (one named graph: the review),
    then build and validate all data with it; on failure the file is removed again."""
    review_path = Path(review_path)
    review, lines = load_review(review_path)
    top = Location(file=str(review_path))
    reviewer = _text(review.get("reviewer"), "reviewer (who decides, at the top of the file)", top, 200)
    decided_on = _date(review.get("date"), "date (of the decisions, at the top of the file)", top)
    review_id = review.get("id") or f"findings-review-{decided_on}-{_slug(reviewer)}"
    if not isinstance(review_id, str) or not _ID.match(review_id):
        raise ReviewError(f"review id {review_id!r} is not a plain id (letters, digits, . _ -)", top)

    dataset = pipeline.build_dataset(settings)
    ontology = dataset.ontology
    graph = to_property_graph(dataset)
    uri_of = {n.properties["id"]: uri for uri, n in graph.nodes.items()}
    agents = {n.properties["id"] for n in graph.nodes.values()
              if ontology.classes[str(IG.Agent)].cypher_label in n.labels}

    # every entry checked for form before the store is asked anything
    decisions: list[tuple[dict, Location, dict]] = []
    seen: dict[str, int | None] = {}
    for number, (entry, line) in enumerate(zip(review["findings"], lines), start=1):
        where = Location(file=str(review_path), line=line, entity=None)
        if not isinstance(entry, dict):
            raise ReviewError(f"finding {number} is not a mapping (id: ..., decision: ...)", where)
        unknown = sorted(str(k) for k in entry if k not in CONTEXT_KEYS | DECISION_KEYS)
        if unknown:
            raise ReviewError(f"finding {number}: unknown field(s) {', '.join(unknown)}; decision fields are "
                              f"{', '.join(sorted(DECISION_KEYS))}", where)
        fid = entry.get("id")
        if not isinstance(fid, str) or not _FINDING_ID.match(fid):
            raise ReviewError(f"finding {number}: id {fid!r} is not a finding id (such as UO-1234abcdef)", where)
        if fid in seen:
            raise ReviewError(f"finding {fid} appears twice (also at line {seen[fid]})", where)
        seen[fid] = line
        given = {k for k in DECISION_KEYS - {"decision"} if entry.get(k) not in (None, "")}
        verdict = entry.get("decision")
        if verdict in (None, ""):
            if given:
                raise ReviewError(f"{fid}: {', '.join(sorted(given))} given but no decision "
                                  f"({' | '.join(DECISIONS)})", where)
            continue
        if verdict not in DECISIONS:
            raise ReviewError(f"{fid}: decision {verdict!r} is not one of {', '.join(DECISIONS)}", where)
        missing = sorted(REQUIRED[verdict] - given)
        if missing:
            raise ReviewError(f"{fid}: {verdict} needs {' and '.join(missing)}", where)
        extra = sorted(given - ALLOWED[verdict])
        if extra:
            raise ReviewError(f"{fid}: {', '.join(extra)} do(es) not go with {verdict}", where)
        digest = entry.get("evidence_digest")
        if not isinstance(digest, str) or not _DIGEST.match(digest):
            raise ReviewError(f"{fid}: evidence_digest {digest!r} is not the 16 hex digits the review wrote", where)
        parsed = {"id": fid, "decision": verdict, "digest": digest}
        if "reason" in given:
            parsed["reason"] = _text(entry["reason"], f"{fid}: reason", where)
        if verdict == "dismiss":
            source = _text(entry["source"], f"{fid}: source", where, 2000)
            if source in uri_of or source in uri_of.values():
                parsed["justified_by"] = uri_of.get(source, source)
            elif _iri(source):
                parsed["url"] = source
            else:
                raise ReviewError(f"{fid}: source {source!r} is neither an entity of the data nor an IRI or URL "
                                  "(http, https, urn, doi)", where)
        if verdict == "assign":
            owner = _text(entry["owner"], f"{fid}: owner", where, 200)
            if owner not in uri_of:
                raise ReviewError(f"{fid}: owner {owner!r} is not an entity id of the data", where)
            if owner not in agents:
                raise ReviewError(f"{fid}: owner {owner!r} is not a unit, body or post (an agent) of the data", where)
            due = _date(entry["due"], f"{fid}: due", where)
            if due < decided_on:
                raise ReviewError(f"{fid}: due {due} is before the review's date {decided_on}", where)
            parsed.update(owner=owner, due=due)
        decisions.append((parsed, where, entry))
    if not decisions:
        raise ReviewError("no decisions in the review: set decision (confirm | dismiss | assign) on at least one "
                          "finding", top)

    out_dir = Path(out_dir or default_out_dir(settings))
    target = out_dir / f"{review_id}.trig"
    if target.exists():
        raise ReviewError("this review was accepted before; remove the file to accept it again, or give the review "
                          "its own id: (id: findings-review-...)", Location(file=str(target)))
    base = _namespace(list(uri_of.values()), list(uri_of))
    new_ids = [review_id] + [f"{review_id}-{p['id'].lower()}" for p, _, _ in decisions]
    clash = sorted(i for i in new_ids if i in uri_of)
    if clash:
        raise ReviewError(f"id(s) {', '.join(clash[:5])} already exist in the data; give the review its own id: "
                          "(id: ...)", top)

    # the findings as the store has them now: ids must be known, entities and titles come from here
    from ..store import open_store
    owns = store is None
    store = store or open_store(settings)
    try:
        current, decided_before = _current_findings(settings, review, store)
    finally:
        if owns:
            store.close()
    for parsed, where, _entry in decisions:
        if parsed["id"] not in current and parsed["id"] not in decided_before:
            raise ReviewError(f"{parsed['id']} is not a finding of the current analysis of the store (load the data, "
                              "then run `itu-graph findings review` again)", where)

    quads = _quads(review_id, base, reviewer, decided_on, decisions, current, uri_of)
    prefixes = {"ig": str(IG), "skos": str(SKOS), "xsd": str(XSD)}
    text = (b"# Decisions of the Coordination Committee on findings, accepted by `itu-graph findings accept`.\n"
            b"# The named graph is the review: every triple here is asserted by it.\n"
            + ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))
    (written,) = pipeline.write_validated(settings, out_dir, [(target, text)], "the decisions")
    return written


def _quads(review_id: str, base: str, reviewer: str, decided_on: str, decisions, current: dict[str, Finding],
           uri_of: dict[str, str]) -> list[ox.Quad]:
    """The review as RDF: the review itself, a decision per finding, a mandate per assigned action."""
    node = lambda eid: ox.NamedNode(base + eid)  # noqa: E731
    ig = lambda local: ox.NamedNode(str(IG[local]))  # noqa: E731
    day = lambda value: ox.Literal(value, datatype=ox.NamedNode(str(XSD.date)))  # noqa: E731
    graph = node(review_id)
    quads: list[ox.Quad] = []

    def add(subject, predicate, obj) -> None:
        quads.append(ox.Quad(subject, predicate, obj, graph))

    def names(subject, en: str, zh: str) -> None:
        add(subject, ox.NamedNode(str(SKOS.prefLabel)), ox.Literal(en, language="en"))
        add(subject, ox.NamedNode(str(SKOS.prefLabel)), ox.Literal(zh, language="zh"))

    add(graph, ox.NamedNode(str(RDF.type)), ig("FindingReview"))
    names(graph, f"Findings review of {decided_on} ({reviewer})", f"{decided_on}调查结果审查（{reviewer}）")
    add(graph, ig("reviewer"), ox.Literal(reviewer))
    add(graph, ig("date"), day(decided_on))
    for parsed, _where, _entry in decisions:
        fid = parsed["id"]
        finding = current.get(fid)
        subject = node(f"{review_id}-{fid.lower()}")
        add(subject, ox.NamedNode(str(RDF.type)), ig("FindingDecision"))
        names(subject, f"Decision on finding {fid}", f"关于调查结果{fid}的决定")
        add(subject, ig("findingId"), ox.Literal(fid))
        if finding is not None:
            add(subject, ig("findingRule"), ox.Literal(finding.rule))
        add(subject, ig("triageDecision"), ox.Literal(parsed["decision"]))
        add(subject, ig("evidenceDigest"), ox.Literal(parsed["digest"]))
        add(subject, ig("reviewer"), ox.Literal(reviewer))
        add(subject, ig("decidedOn"), day(decided_on))
        add(subject, ig("decidedIn"), graph)
        if parsed.get("reason"):
            add(subject, ig("reason"), ox.Literal(parsed["reason"]))
        if parsed.get("justified_by"):
            add(subject, ig("justifiedBy"), ox.NamedNode(parsed["justified_by"]))
        if parsed.get("url"):
            add(subject, ig("justifiedByUrl"), ox.Literal(parsed["url"], datatype=ox.NamedNode(str(XSD.anyURI))))
        if parsed["decision"] == "assign":
            action = node(f"{review_id}-{fid.lower()}-action")
            add(subject, ig("assignsMandate"), action)
            add(action, ox.NamedNode(str(RDF.type)), ig("Mandate"))
            title = _short(finding.title) if finding else fid
            title_zh = _short(finding.title_zh or finding.title) if finding else fid
            names(action, f"Action on finding {fid}: {title}", f"关于调查结果{fid}的行动：{title_zh}")
            add(action, ig("assignedTo"), ox.NamedNode(uri_of[parsed["owner"]]))
            add(action, ig("dueDate"), day(parsed["due"]))
            add(action, ig("mandatedBy"), graph)
            # the Committee tracks its own actions in this graph: what fulfils one is recorded here,
            # so an action past its due date with no output recorded is a gap, not a question
            statement = node(f"{review_id}-{fid.lower()}-action-output")
            add(statement, ox.NamedNode(str(RDF.type)), ig("CompletenessStatement"))
            add(statement, ig("statementAbout"), action)
            add(statement, ig("aspect"), ox.Literal("output"))
            # the action concerns what the finding is about (entities the data has: a silo's group
            # name, for one, may not be an entity)
            for eid in (finding.entities if finding else []):
                if eid in uri_of:
                    add(action, ig("concerns"), ox.NamedNode(uri_of[eid]))
    return quads
