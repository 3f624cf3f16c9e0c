"""One error hierarchy for itu-graph; the CLI maps it to exit codes in one place.

::

    ItuGraphError                   exit 2  (unusable input or environment)
    ├── InputError                  exit 2  a file cannot be read or parsed (file, line, column)
    ├── OntologyError               exit 2  the ontology itself is unusable
    ├── ValidationFailed            exit 1  the data parses but violates the shapes (SHACL report)
    ├── ParameterError              exit 2  a query parameter is missing or malformed
    ├── QueryError                  exit 3  the engine refused a statement
    │   └── ReadOnlyViolation       exit 3  a write was attempted without --write
    ├── StoreError                  exit 4  the database cannot be reached, started or locked
    ├── IngestError                 exit 2  a document cannot be read for ingestion
    └── ReviewError                 exit 2  a findings review file cannot be accepted (file, line)

Every error carries where it is about (``location``: ``file:line:column`` or an entity IRI) so
messages point at the thing to fix.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where an error is: a file position, an entity, or both."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    entity: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            pos = self.file
            if self.line is not None:
                pos += f":{self.line}"
                if self.column is not None:
                    pos += f":{self.column}"
            parts.append(pos)
        if self.entity:
            parts.append(f"<{self.entity}>")
        return " ".join(parts)


class ItuGraphError(Exception):
    """Root of every error itu-graph raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        where = str(self.location) if self.location else ""
        return f"{where}: {self.message}" if where else self.message


class InputError(ItuGraphError):
    """An input file is missing, unreadable, badly encoded or not valid RDF."""


class OntologyError(ItuGraphError):
    """The ontology is unusable: unparsable, or a class or property lacks its Cypher name."""


class ValidationFailed(ItuGraphError):
    """The data parses but does not conform to the ontology's shapes."""

    exit_code = 1

    def __init__(self, message: str, report: object | None = None):
        super().__init__(message)
        self.report = report


class ParameterError(ItuGraphError):
    """A query or command parameter is missing, unknown or of the wrong form."""


class QueryError(ItuGraphError):
    """The graph engine refused a statement."""

    exit_code = 3


class ReadOnlyViolation(QueryError):
    """A statement tried to write in a read-only session."""


class StoreError(ItuGraphError):
    """The graph store cannot be started, reached or locked."""

    exit_code = 4


class IngestError(ItuGraphError):
    """A document cannot be read or understood for ingestion."""


class ReviewError(ItuGraphError):
    """A findings review file (``itu-graph findings review``) is unreadable or its decisions are
    incomplete, of the wrong type, or about findings and owners the data does not have."""


EXIT_CODES = {
    "ok / conforms": 0,
    "validation violations (ValidationFailed)": 1,
    "unusable input: syntax, encoding, unknown terms, bad parameters (InputError, OntologyError, ParameterError, IngestError, ReviewError)": 2,
    "the engine refused a statement, or a write without --write (QueryError, ReadOnlyViolation)": 3,
    "store unavailable or locked (StoreError)": 4,
}
