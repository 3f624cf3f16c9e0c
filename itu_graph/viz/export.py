"""Write the graph: GraphML, GEXF, node-link JSON (with every property) or offline HTML."""
from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import networkx as nx

from ..errors import ParameterError
from ..files import write_atomic

FORMATS = ("html", "graphml", "gexf", "json")


def _flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and GEXF take scalars only: lists and maps become JSON text, None is dropped."""
    flat = nx.MultiDiGraph()
    for n, data in graph.nodes(data=True):
        flat.add_node(n, **{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                            for k, v in data.items() if v is not None})
    for u, v, k, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: (json.dumps(b, ensure_ascii=False) if isinstance(b, (list, dict)) else b)
                                      for a, b in data.items() if b is not None})
    return flat


def to_bytes(graph: nx.MultiDiGraph, fmt: str, **html_options) -> bytes:
    if fmt == "graphml":
        buffer = BytesIO()
        nx.write_graphml(_flat(graph), buffer, encoding="utf-8")
        return buffer.getvalue()
    if fmt == "gexf":
        buffer = BytesIO()
        nx.write_gexf(_flat(graph), buffer, encoding="utf-8")
        return buffer.getvalue()
    if fmt == "json":
        data = nx.node_link_data(graph, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    if fmt == "html":
        from .html import render_html
        return render_html(graph, **html_options).encode("utf-8")
    raise ParameterError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_graph(graph: nx.MultiDiGraph, path: Path, fmt: str | None = None, **html_options) -> Path:
    fmt = fmt or Path(path).suffix.lstrip(".").replace("htm", "html").replace("htmll", "html")
    return write_atomic(Path(path), to_bytes(graph, fmt, **html_options))
