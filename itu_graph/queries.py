"""The named, documented Cypher query library in ``queries/*.cypher``.

Each file starts with a header of ``// key: value`` lines (continuation lines start with
``//`` and two spaces)::

    // name: units-of-sector
    // title: Units of a Sector
    // description: Every unit, body and group inside a Sector, at any depth.
    // category: structure
    // param: sector = "itu-t"  id of the Sector
    // columns: unit, name, name_zh, kind

Parameters carry a JSON example value; ``run`` checks that each declared parameter is given
(or has a default, marked ``default``) and that no unknown one is. The same text runs on
FalkorDB-lite and Neo4j 5; a query that cannot names its engine in ``engines:`` with the reason.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import InputError, Location, ParameterError
from .settings import PROJECT_ROOT
from .store.base import GraphStore, Result

QUERIES_DIR = PROJECT_ROOT / "queries"
_HEADER = re.compile(r"^//\s*([a-z_]+):\s?(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<example>.+?)(?:\s{2,}(?P<doc>.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    example: object
    doc: str
    default: bool  # the example is also the default when the parameter is not given


@dataclass
class Query:
    name: str
    title: str
    description: str
    category: str
    text: str
    path: Path
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    engines: list[str] = field(default_factory=lambda: ["falkordb", "neo4j"])
    rule: str | None = None
    severity: str | None = None

    def example_params(self) -> dict:
        return {p.name: p.example for p in self.params}

    def bind(self, given: dict) -> dict:
        """Check and complete parameters: every declared one present (or defaulted), no others."""
        names = {p.name for p in self.params}
        unknown = sorted(set(given) - names)
        if unknown:
            raise ParameterError(f"query {self.name} has no parameter {', '.join(unknown)}; "
                                 f"it takes: {', '.join(sorted(names)) or 'none'}")
        bound = dict(given)
        for p in self.params:
            if p.name not in bound:
                if p.name == "today":
                    bound["today"] = date.today().isoformat()
                elif p.default:
                    bound[p.name] = p.example
                else:
                    raise ParameterError(f"query {self.name} needs parameter {p.name} "
                                         f"(e.g. -p {p.name}={json.dumps(p.example, ensure_ascii=False)}): {p.doc}")
        return bound


def parse_query(path: Path) -> Query:
    header: dict[str, list[str]] = {}
    body: list[str] = []
    last = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not body and line.startswith("//"):
            match = _HEADER.match(line)
            if match:
                last = match.group(1)
                header.setdefault(last, []).append(match.group(2).strip())
            elif last and line.startswith("//  "):
                header[last][-1] += " " + line[2:].strip()
            continue
        if line.strip() or body:
            body.append(line)
    for key in ("name", "title", "description", "category", "columns"):
        if key not in header:
            raise InputError(f"query header lacks '{key}:'", Location(file=str(path), line=1))
    params = []
    for raw in header.get("param", []):
        match = _PARAM.match(raw)
        if not match:
            raise InputError(f"bad param line {raw!r}: use `name = JSON-example  description`", Location(file=str(path)))
        doc = (match.group("doc") or "").strip()
        try:
            example = json.loads(match.group("example"))
        except json.JSONDecodeError as exc:
            raise InputError(f"param {match.group('name')}: example is not JSON", Location(file=str(path))) from exc
        params.append(Param(match.group("name"), example, doc, doc.startswith("(default)")))
    name = header["name"][0]
    if name != path.stem:
        raise InputError(f"query name {name!r} differs from the file name", Location(file=str(path), line=1))
    return Query(
        name=name, title=header["title"][0], description=" ".join(header["description"]),
        category=header["category"][0], text="\n".join(body).strip(), path=path, params=params,
        columns=[c.strip() for c in header["columns"][0].split(",")],
        engines=[e.strip() for e in header.get("engines", ["falkordb, neo4j"])[0].split(",")],
        rule=(header.get("rule") or [None])[0], severity=(header.get("severity") or [None])[0],
    )


def load_queries(directory: Path = QUERIES_DIR) -> dict[str, Query]:
    queries = {}
    for path in sorted(Path(directory).glob("*.cypher")):
        q = parse_query(path)
        queries[q.name] = q
    return queries


def get_query(name: str, directory: Path = QUERIES_DIR) -> Query:
    queries = load_queries(directory)
    if name not in queries:
        close = [n for n in queries if name in n or n in name]
        hint = f"; did you mean {', '.join(close)}?" if close else "; `itu-graph query list` shows them"
        raise ParameterError(f"no query named {name!r}{hint}")
    return queries[name]


def run_query(store: GraphStore, query: Query, params: dict | None = None) -> Result:
    """Run a library query read-only with checked parameters; columns in header order."""
    if store.name not in query.engines:
        raise ParameterError(f"query {query.name} is for {', '.join(query.engines)}, not {store.name}")
    result = store.run(query.text, query.bind(params or {}))
    if result.columns and result.columns != query.columns:
        raise InputError(f"query {query.name} returns {result.columns}, its header says {query.columns}",
                         Location(file=str(query.path)))
    return Result(query.columns, result.rows, result.counters)
