"""Graph stores: the only package that knows a database driver.

``open_store(settings)`` returns the store the settings name: the embedded FalkorDB-lite
(default) or a Neo4j server.
"""
from __future__ import annotations

from .base import GraphStore, Result, open_store

__all__ = ["GraphStore", "Result", "open_store"]
