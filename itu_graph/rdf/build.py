"""Build: ontology + data files -> one RDF dataset, superclasses inferred.

Each data file is a source. TriG files name their graphs themselves (one graph per source
document); the triples of a plain Turtle file go into a graph named after the file
(``urn:itu-graph:file:<path relative to its data directory>``). The graph names are what the
property graph's ``sources`` lists hold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox

from ..errors import InputError, Location
from ..memory import without_collector
from .ontology import Ontology
from .vocab import TYPE

DATA_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
                 ".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES}
FILE_GRAPH_PREFIX = "urn:itu-graph:file:"
_RDF_TYPE = ox.NamedNode(TYPE)


_IRI_TOKEN = re.compile(r"<([^<>\s\"]*)>")
# starts only where a name can start (the lookbehind), so a long run of letters is scanned once
_PREFIXED_NAME = re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]*+:([^\s;,()\[\]{}<>\"'^]+)")


@dataclass
class SourceFile:
    path: Path
    relative: str
    text: str
    quad_count: int = 0
    _term_lines: tuple[dict[str, int], dict[str, int]] | None = field(default=None, repr=False)

    def term_lines(self) -> tuple[dict[str, int], dict[str, int]]:
        """First line of every ``<IRI>`` and of every prefixed name's local part, built once on
        first use, so locating thousands of problems costs one pass over the file, not one each."""
        if self._term_lines is None:
            iris: dict[str, int] = {}
            local_names: dict[str, int] = {}
            for number, line in enumerate(self.text.splitlines(), start=1):
                code = line.split("#", 1)[0] if not line.lstrip().startswith("<") else line
                for match in _IRI_TOKEN.finditer(code):
                    iris.setdefault(match.group(1), number)
                for match in _PREFIXED_NAME.finditer(code):
                    local_names.setdefault(match.group(1).rstrip("."), number)
            self._term_lines = (iris, local_names)
        return self._term_lines


@dataclass
class Dataset:
    """The built dataset: asserted quads, inferred type quads, and where each came from."""

    ontology: Ontology
    quads: list[ox.Quad] = field(default_factory=list)
    inferred: list[ox.Quad] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    graph_files: dict[str, str] = field(default_factory=dict)  # graph name -> first file

    def all_quads(self) -> Iterator[ox.Quad]:
        yield from self.quads
        yield from self.inferred

    def __len__(self) -> int:
        return len(self.quads) + len(self.inferred)

    def file_of_graph(self, graph: str) -> SourceFile | None:
        rel = self.graph_files.get(graph)
        return next((f for f in self.files if f.relative == rel), None)

    def locate(self, entity: str, graph: str | None = None) -> Location:
        """Best location for an entity: the file and line where it is written."""
        local = Ontology.local_name(entity)
        candidates = [self.file_of_graph(graph)] if graph else []
        candidates += self.files
        for f in candidates:
            if f is None:
                continue
            iris, local_names = f.term_lines()
            lines = [n for n in (iris.get(entity), local_names.get(local) if local else None) if n]
            if lines:
                return Location(file=str(f.path), line=min(lines), entity=entity)
        return Location(entity=entity)

    def locate_triple(self, subject: str, predicate: str | None = None, obj: str | None = None,
                      graph: str | None = None) -> Location:
        """The line of the triple itself, not the entity's first mention: in the file of ``graph``
        (else every file), the first line that holds the predicate (and the object, when given) and
        follows a mention of the subject most closely. Falls back to :meth:`locate`."""
        if not predicate:
            return self.locate(subject, graph)
        candidates = [self.file_of_graph(graph)] if graph else []
        candidates += [f for f in self.files if f not in candidates]

        def tokens(term: str) -> list[str]:
            local = Ontology.local_name(term) if term.startswith(("http://", "https://", "urn:")) else None
            return [f"<{term}>"] + ([f":{local}"] if local else []) + ([] if local or not term else [term])

        subject_tokens, predicate_tokens = tokens(subject), tokens(predicate)
        if predicate == TYPE:
            predicate_tokens.append(" a ")
        object_tokens = tokens(obj) if obj else []
        for f in candidates:
            if f is None:
                continue
            last_subject, best = None, None
            for number, line in enumerate(f.text.splitlines(), start=1):
                padded = f" {line} "
                if any(t in padded for t in subject_tokens):
                    last_subject = number
                if last_subject is None:
                    continue
                if any(t in padded for t in predicate_tokens) and (not object_tokens or any(t in line for t in object_tokens)):
                    distance = number - last_subject
                    if best is None or distance < best[0]:
                        best = (distance, number)
                    if distance == 0:
                        break
            if best:
                return Location(file=str(f.path), line=best[1], entity=subject)
        return self.locate(subject, graph)

    def write(self, path: Path, fmt: str = "trig") -> None:
        """Serialize (TriG or N-Quads) in canonical order (:func:`canonical_quads`); written to a
        temporary file first, so never half-written."""
        formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "nq": ox.RdfFormat.N_QUADS}
        if fmt not in formats:
            raise InputError(f"unknown output format {fmt!r}; use trig or nquads")
        tmp = path.with_name(path.name + ".partial")
        try:
            ox.serialize(canonical_quads(self.all_quads()), str(tmp), formats[fmt],
                         prefixes={"ig": "https://w3id.org/itu-graph/ontology#",
                                   "skos": "http://www.w3.org/2004/02/skos/core#",
                                   "dcterms": "http://purl.org/dc/terms/"})
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)

    def to_rdflib(self, with_inferred: bool = True):
        """The union of all graphs as an rdflib Graph (for SHACL and comparisons)."""
        from rdflib import Graph
        graph = Graph()
        data = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in
                             (self.all_quads() if with_inferred else self.quads)),
                            format=ox.RdfFormat.N_TRIPLES)
        graph.parse(data=data, format="nt")
        return graph


def canonical_quads(quads) -> list:
    """The quads without duplicates, sorted by graph, subject, predicate and object (each by its
    N-Quads form): the order every export writes, so that one store always gives the same bytes
    (exports are kept in git and diffed). Blank nodes keep their labels: validated data and the
    store's mapping (``from_property_graph``) have none, every entity has its IRI."""
    return sorted(set(quads), key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def data_files(directories: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Every data file under the directories, as (file, its data directory), sorted."""
    found = []
    for directory in directories:
        directory = Path(directory)
        if directory.is_file():
            found.append((directory, directory.parent))
            continue
        if not directory.is_dir():
            raise InputError("data directory does not exist", Location(file=str(directory)))
        for path in sorted(directory.rglob("*")):
            if path.is_file() and path.suffix in DATA_SUFFIXES:
                found.append((path, directory))
    return found


def read_text(path: Path) -> str:
    """File text as UTF-8; other encodings are refused with the line of the first bad byte."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", Location(file=str(path))) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8 (byte 0x{raw[exc.start]:02x}); RDF files must be UTF-8",
                         Location(file=str(path), line=line, column=column)) from exc


def parse_file(path: Path, relative: str) -> tuple[SourceFile, list[ox.Quad]]:
    text = read_text(path)
    source = SourceFile(path, relative, text)
    if not text.strip():
        raise InputError("empty file: no triples", Location(file=str(path)))
    fmt = DATA_SUFFIXES[path.suffix]
    # percent-encoded: a file name may hold spaces or anything else an IRI cannot
    default_graph = ox.NamedNode(FILE_GRAPH_PREFIX + quote(relative, safe="/-._~"))
    try:
        quads = [q if not isinstance(q.graph_name, ox.DefaultGraph)
                 else ox.Quad(q.subject, q.predicate, q.object, default_graph)
                 for q in ox.parse(text.encode("utf-8"), format=fmt,
                                   base_iri=path.resolve().as_uri())]
    except SyntaxError as exc:
        message = re.sub(r"^Parser error (at|between) line \d+ column \d+( and line \d+ column \d+)?: ",
                         "", str(exc.msg or exc))
        raise InputError(f"{'TriG' if path.suffix == '.trig' else 'RDF'} syntax error: {message}",
                         Location(file=str(path), line=exc.lineno, column=exc.offset)) from exc
    except ValueError as exc:
        raise InputError(f"invalid RDF: {exc}", Location(file=str(path))) from exc
    if not quads:
        raise InputError("no triples in file", Location(file=str(path)))
    source.quad_count = len(quads)
    return source, quads


@without_collector
def build(ontology: Ontology, directories: Iterable[Path]) -> Dataset:
    """Parse every data file and infer the superclasses of every typed entity.

    Inferred ``rdf:type`` triples go into the graph of the type triple they follow from, so a
    superclass has the same source as the class it was inferred from.
    """
    dataset = Dataset(ontology)
    files = data_files(directories)
    if not files:
        raise InputError("no data files (*.ttl, *.trig, *.nq, *.nt) found",
                         Location(file=", ".join(str(d) for d in directories)))
    ordered: dict[ox.Quad, None] = {}  # a quad stated in several files counts once, in first order
    for path, root in files:
        relative = path.relative_to(root).as_posix()
        source, quads = parse_file(path, relative)
        dataset.files.append(source)
        ordered.update(dict.fromkeys(quads))
        for graph in {q.graph_name.value for q in quads}:
            dataset.graph_files.setdefault(graph, relative)
    dataset.quads = list(ordered)
    inferred: dict[ox.Quad, None] = {}
    ancestors = {ox.NamedNode(iri): [ox.NamedNode(a) for a in c.ancestors] for iri, c in ontology.classes.items()}
    for q in dataset.quads:
        if q.predicate == _RDF_TYPE:
            for parent in ancestors.get(q.object, ()):
                quad = ox.Quad(q.subject, _RDF_TYPE, parent, q.graph_name)
                if quad not in ordered:
                    inferred[quad] = None
    dataset.inferred = list(inferred)
    return dataset


__all__ = ["Dataset", "SourceFile", "build", "canonical_quads", "data_files", "parse_file", "read_text", "FILE_GRAPH_PREFIX"]
