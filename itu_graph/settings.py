"""Settings: one object built from options and environment, passed down (never global)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "itu-graph" / "itu-graph.db"


def shipped_ontology() -> Path:
    return PROJECT_ROOT / "ontology"


def shipped_data() -> Path:
    return PROJECT_ROOT / "data"


@dataclass
class Settings:
    """Where the ontology and data are, which store to use and how to reach it.

    Environment: ``ITU_GRAPH_DB``, ``ITU_GRAPH_STORE``, ``ITU_GRAPH_GRAPH``, ``NEO4J_URI``,
    ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``, ``ITU_GRAPH_SHACL_ENGINE``.
    """

    data_dirs: list[Path] = field(default_factory=lambda: [shipped_data()])
    ontology_dir: Path = field(default_factory=shipped_ontology)
    store: str = "falkordb"
    db_path: Path = field(default_factory=default_db_path)
    graph_name: str = "itu_graph"
    neo4j_uri: str | None = field(default=None, repr=False)  # may hold a password
    neo4j_username: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    include_unverified: bool = False
    #: SHACL engine: auto (set-based on pyoxigraph, pySHACL when shapes need it), oxigraph, pyshacl
    shacl_engine: str = "auto"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        values = dict(
            store=env.get("ITU_GRAPH_STORE", "falkordb"),
            db_path=Path(env["ITU_GRAPH_DB"]) if env.get("ITU_GRAPH_DB") else default_db_path(),
            graph_name=env.get("ITU_GRAPH_GRAPH", "itu_graph"),
            neo4j_uri=env.get("NEO4J_URI"), neo4j_username=env.get("NEO4J_USERNAME"),
            neo4j_password=env.get("NEO4J_PASSWORD"), neo4j_database=env.get("NEO4J_DATABASE"),
            shacl_engine=env.get("ITU_GRAPH_SHACL_ENGINE", "auto"),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
