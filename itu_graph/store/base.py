"""The store interface every engine implements, and the factory that picks one."""
from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from ..errors import ParameterError


@dataclass
class Result:
    """Rows of a statement as dicts keyed by column, and what it changed."""

    columns: list[str]
    rows: list[dict[str, Any]]
    counters: dict[str, int] = field(default_factory=dict)

    def values(self, column: str | None = None) -> list:
        column = column or self.columns[0]
        return [r[column] for r in self.rows]


class GraphStore(ABC):
    """Run parameterized Cypher on one graph, read-only unless ``write=True``.

    Implementations keep constructors free of I/O until first use, and are context managers.
    """

    name: str = "store"

    @abstractmethod
    def run(self, cypher: str, params: dict | None = None, *, write: bool = False) -> Result:
        """Run one statement. Without ``write`` the engine itself refuses writes."""

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create the ``:Resource(uri)`` uniqueness constraint / index if missing."""

    @abstractmethod
    def close(self) -> None: ...

    def bulk_create(self, nodes: Sequence[tuple[Sequence[str], dict]],
                    relationships: Sequence[tuple[int, str, int, dict]],
                    progress: Callable[[str, int], None] | None = None) -> bool:
        """Create a whole graph at once through the engine's bulk path, if it has one.

        ``nodes`` are (labels, properties); ``relationships`` are (index of the source node in
        ``nodes``, type, index of the target, properties). Only for a store whose graph is
        empty; returns False, having written nothing, when the store has no such path or the
        graph is not empty, and the caller writes statement by statement.
        """
        return False

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Exclusive access for a load; stores with their own transactions need none."""
        yield

    def describe(self) -> str:
        return self.name

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


STORES = ("falkordb", "neo4j")


def open_store(settings) -> GraphStore:
    """The store named by ``settings.store``: ``falkordb`` (embedded, default) or ``neo4j``."""
    kind = (settings.store or "falkordb").lower()
    if kind == "falkordb":
        from .falkordb import FalkorLiteStore
        return FalkorLiteStore(settings.db_path, settings.graph_name)
    if kind == "neo4j":
        from .neo4j import Neo4jStore
        return Neo4jStore(settings.neo4j_uri, settings.neo4j_username, settings.neo4j_password,
                          settings.neo4j_database)
    raise ParameterError(f"unknown store {settings.store!r}; choose one of {', '.join(STORES)}")
