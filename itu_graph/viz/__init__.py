"""Network visualization exports: offline interactive HTML, GraphML, GEXF, node-link JSON."""
from __future__ import annotations

from .export import FORMATS, export_graph
from .graph import read_graph
from .network import read_network_view

__all__ = ["export_graph", "read_graph", "read_network_view", "FORMATS"]
