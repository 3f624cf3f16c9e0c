"""A grouped layout for the coordination network, computed before the page is written.

Each group gets its own region: its agents and the mechanisms private to it are laid out by
Fruchterman and Reingold's force-directed method (1991; igraph's C implementation, grid
variant for large regions), agents with no tie are set in rows on the region's outer side.
Regions sit on a ring (Gephi's and Kumu's "clusters" pictures), the mechanisms shared by several
groups in the middle, each at the mean of its members pulled into the centre disc, so lines
between groups run through the middle. Then the labels that are shown at the initial view (the
most central agents, the largest shared mechanisms) are freed of overlaps: their boxes are
pushed apart along the axis of least overlap (the usual rectangle-overlap removal, as in
Dwyer, Marriott and Stuckey 2005, without the constraint solver), and other nodes are moved out
of them. Sizes are in layout units, chosen so that at a nominal canvas the labels are
``LABEL_PX`` pixels high; everything scales together, so no zoom makes them overlap.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np

#: Distance between neighbouring nodes inside a region, in layout units.
SPACING = 60.0
#: The canvas the initial zoom is computed for (the page's network pane at 1280x900).
NOMINAL = (1000.0, 780.0)
#: On-screen height of the labels shown at the initial view, at the nominal canvas.
LABEL_PX = 14.0
#: Labels hidden at the initial view are this fraction of the shown ones (visible on zooming in).
SMALL = 0.5


@dataclass
class Layout:
    positions: dict = field(default_factory=dict)  # node -> (x, y)
    font: float = 14.0  # labels shown at the initial view
    small_font: float = 7.0  # other labels
    title_font: float = 18.0  # region titles
    regions: list = field(default_factory=list)  # {id, hull: [[x, y]], title: [x, y], baseline}
    boxes: dict = field(default_factory=dict)  # labelled node -> (left, top, right, bottom) of its label
    view: tuple = (0.0, 0.0, 1.0, 1.0)  # what the initial view shows: nodes, outlines and titles


def text_width(text: str, font: float) -> float:
    """A generous estimate of a label's width in a sans-serif face (CJK full width)."""
    width = 0.0
    for ch in text:
        if ord(ch) >= 0x2E80:
            width += 1.0
        elif ch.isupper() or ch.isdigit():
            width += 0.68
        elif ch in " .,;:'|il":
            width += 0.32
        else:
            width += 0.58
    return (width + 0.6) * font


def _local_layout(nodes: list, edges: list, seed: int) -> np.ndarray:
    """Fruchterman-Reingold positions for the connected nodes of one region, unit spacing."""
    import igraph as ig
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in edges])
    random.seed(seed)  # igraph draws from Python's random module
    angle = np.linspace(0, 2 * math.pi, len(nodes), endpoint=False)
    start = np.column_stack([np.cos(angle), np.sin(angle)]) * math.sqrt(len(nodes))
    niter = 500 if len(nodes) < 500 else 200
    coords = np.array(g.layout_fruchterman_reingold(seed=start.tolist(), niter=niter,
                                                    grid="auto" if len(nodes) > 1000 else "nogrid").coords)
    if len(nodes) > 1 and edges:
        lengths = np.linalg.norm(coords[[index[u] for u, _ in edges]] - coords[[index[v] for _, v in edges]], axis=1)
        median = float(np.median(lengths)) or 1.0
        coords = coords / median
    return coords - coords.mean(axis=0)


def _grid(count: int, cell: float, width: float) -> np.ndarray:
    columns = max(1, min(count, int(max(width, cell) // cell)))
    return np.array([((i % columns) - (columns - 1) / 2, i // columns) for i in range(count)], dtype=float) * cell


def _separate(pos: np.ndarray, radius: np.ndarray, iterations: int = 30, within: float | None = None) -> np.ndarray:
    """Push overlapping discs apart (pairs from a k-d tree), optionally kept inside a disc."""
    from scipy.spatial import cKDTree
    pos = pos.copy()
    reach = float(radius.max()) * 2 if len(radius) else 0
    for _ in range(iterations):
        pairs = cKDTree(pos).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = pos[j] - pos[i]
        dist = np.linalg.norm(delta, axis=1)
        need = radius[i] + radius[j]
        over = dist < need
        if not over.any():
            break
        i, j, delta, dist, need = i[over], j[over], delta[over], dist[over], need[over]
        delta[dist == 0] = [1.0, 0.0]
        dist[dist == 0] = 1.0
        push = (delta / dist[:, None]) * ((need - dist) / 2)[:, None]
        np.subtract.at(pos, i, push)
        np.add.at(pos, j, push)
        if within is not None:
            norm = np.linalg.norm(pos, axis=1)
            outside = norm > within
            pos[outside] *= (within / norm[outside])[:, None]
    return pos


def grouped_layout(nodes: list, region: dict, edges: list, size: dict, labelled: dict, *, shared: str = "shared",
                   titles: dict | None = None, seed: int = 7) -> Layout:
    """Positions, label sizes and region outlines (module docstring).

    ``region``: node -> region id (``shared`` for the centre); ``edges``: undirected pairs;
    ``size``: node -> radius; ``labelled``: node -> the text shown under it at the initial view;
    ``titles``: region -> its name (to size the view)."""
    from scipy.spatial import ConvexHull
    if not nodes:
        return Layout()
    regions: dict[str, list] = {}
    for n in nodes:
        regions.setdefault(region[n], []).append(n)
    local_edges: dict[str, list] = {}
    for u, v in edges:
        if region[u] == region[v] and u != v:
            local_edges.setdefault(region[u], []).append((u, v))
    pos = {}
    # 1. each ring region on its own, centred on 0: tied nodes by force, the rest in rows
    local: dict[str, dict] = {}
    for r in sorted(regions):
        if r == shared:
            continue
        members = sorted(regions[r])
        tied = sorted({x for e in local_edges.get(r, []) for x in e})
        alone = [n for n in members if n not in set(tied)]
        alone.sort(key=lambda n: (-size[n], n))
        coords = {}
        if tied:
            xy = _local_layout(tied, local_edges[r], seed) * SPACING
            xy = _separate(xy, np.array([size[n] + SPACING / 4 for n in tied]))
            coords.update({n: xy[i] for i, n in enumerate(tied)})
        local[r] = {"tied": coords, "alone": alone}
    # 2. the ring, around the shared centre
    shared_nodes = sorted(regions.get(shared, []))
    centre_radius = SPACING * 0.45 * math.sqrt(len(shared_nodes)) + SPACING if shared_nodes else 0.0
    ring = sorted(local, key=lambda r: (-len(regions[r]), r))
    # interleave large and small regions so the ring stays round
    ring = [ring[i // 2] if i % 2 == 0 else ring[-(i // 2) - 1] for i in range(len(ring))]

    def placed(gap: float) -> dict:
        # a first guess at each region's disc, with its rows of unconnected nodes below it
        radii = {}
        for r in ring:
            tied = local[r]["tied"]
            spread = max((float(np.linalg.norm(p)) + size[n] for n, p in tied.items()), default=0.0)
            rows = math.ceil(len(local[r]["alone"]) / max(1, int(max(2 * spread, SPACING * 4) // (SPACING * 0.6)))) \
                if local[r]["alone"] else 0
            radii[r] = spread + rows * SPACING * 0.6 + SPACING * 0.5
        if len(ring) == 1 and not shared_nodes:
            return {ring[0]: (0.0, 0.0, math.pi / 2, radii[ring[0]])}
        total = sum(2 * radii[r] + gap for r in ring)
        radius = max(centre_radius + gap + max(radii.values()), total / (2 * math.pi))
        while True:
            angles, acc = {}, 0.0
            for r in ring:
                share = (2 * radii[r] + gap) / total * 2 * math.pi
                angles[r] = -math.pi / 2 + acc + share / 2
                acc += share
            ok = all(2 * radius * abs(math.sin((angles[b] - angles[a]) / 2)) >= radii[a] + radii[b] + gap
                     for a, b in zip(ring, ring[1:] + ring[:1]) if a != b)
            if ok:
                break
            radius *= 1.08
        return {r: (radius * math.cos(angles[r]), radius * math.sin(angles[r]), angles[r], radii[r]) for r in ring}

    gap = SPACING * 2
    layout = Layout()
    for _attempt in range(3):
        centres = placed(gap)
        pos = {}
        for r, (cx, cy, angle, _radius) in centres.items():
            for n, p in local[r]["tied"].items():
                pos[n] = (cx + p[0], cy + p[1])
            alone = local[r]["alone"]
            if alone:
                tied = local[r]["tied"]
                width = max((abs(p[0]) + size[n] for n, p in tied.items()), default=SPACING * 2) * 2
                grid = _grid(len(alone), SPACING * 0.6, max(width, SPACING * 4))
                outward = 1.0 if math.sin(angle) >= 0 else -1.0  # rows away from the centre
                edge = max((outward * p[1] + size[n] for n, p in tied.items()), default=-SPACING * 0.6)
                for i, n in enumerate(alone):
                    pos[n] = (cx + grid[i, 0], cy + outward * (edge + SPACING * 0.6 + grid[i, 1]))
        # 3. shared mechanisms: at their members' mean, pulled into the centre disc
        if shared_nodes:
            neighbours: dict = {n: [] for n in shared_nodes}
            for u, v in edges:
                if u in neighbours and v in pos:
                    neighbours[u].append(pos[v])
                if v in neighbours and u in pos:
                    neighbours[v].append(pos[u])
            ring_radius = max((math.hypot(c[0], c[1]) for c in centres.values()), default=1.0) or 1.0
            xy = np.array([np.mean(neighbours[n], axis=0) if neighbours[n] else (0.0, 0.0) for n in shared_nodes])
            xy = xy * (centre_radius - SPACING / 2) / ring_radius
            xy = _separate(xy, np.array([size[n] + SPACING / 5 for n in shared_nodes]), 60, centre_radius)
            pos.update({n: (float(xy[i, 0]), float(xy[i, 1])) for i, n in enumerate(shared_nodes)})
        # 4. label sizes for the nominal canvas; the gaps between regions must hold a title
        xs = np.array([p[0] for p in pos.values()])
        ys = np.array([p[1] for p in pos.values()])
        width = float(xs.max() - xs.min()) + 4 * SPACING
        height = float(ys.max() - ys.min()) + 4 * SPACING
        scale = min(NOMINAL[0] / width, NOMINAL[1] / height)
        font = LABEL_PX / scale
        if gap >= 3.2 * font:
            break
        gap = 3.6 * font
    layout.font, layout.small_font, layout.title_font = font, font * SMALL, font * 1.25
    # 5. the labels shown first, freed of overlaps
    pos = {n: np.array(p, dtype=float) for n, p in pos.items()}
    _free_labels(pos, size, labelled, font)
    layout.positions = {n: (round(float(p[0]), 2), round(float(p[1]), 2)) for n, p in pos.items()}
    layout.boxes = {n: _label_box(pos[n], size[n], text, font) for n, text in labelled.items()}
    # 6. the outline of each region, padded, and its title on the outer side
    pad = SPACING * 0.5
    extent = [(x - size[n], y - size[n]) for n, (x, y) in layout.positions.items()] + \
        [(x + size[n], y + size[n]) for n, (x, y) in layout.positions.items()]
    for r in sorted(regions):
        corners = []
        for n in regions[r]:
            x, y = pos[n]
            s = size[n] + pad
            corners += [(x - s, y - s), (x + s, y - s), (x - s, y + s), (x + s, y + s)]
            if n in layout.boxes:
                left, top, right, bottom = layout.boxes[n]
                corners += [(left - pad, top), (right + pad, top), (left - pad, bottom + pad), (right + pad, bottom + pad)]
        points = np.array(corners)
        try:
            hull = points[ConvexHull(points).vertices]
        except Exception:  # fewer than three distinct corners cannot happen with boxes, but stay safe
            hull = points
        if r == shared:
            above = True
        else:
            above = math.sin(centres[r][2]) < 0 if r in centres else True
        cx = float((points[:, 0].min() + points[:, 0].max()) / 2)
        ty = float(points[:, 1].min() - layout.title_font * 0.4) if above else \
            float(points[:, 1].max() + layout.title_font * 1.2)
        layout.regions.append({"id": r, "hull": [[round(float(x), 1), round(float(y), 1)] for x, y in hull],
                               "title": [round(cx, 1), round(ty, 1)]})
        half = text_width((titles or {}).get(r, r), layout.title_font) / 2
        extent += [(cx - half, ty - layout.title_font), (cx + half, ty + layout.title_font * 0.3)]
        extent += [tuple(p) for p in hull]
    xs, ys = [p[0] for p in extent], [p[1] for p in extent]
    layout.view = (min(xs), min(ys), max(xs), max(ys))
    return layout


def _label_box(p, radius: float, text: str, font: float) -> tuple:
    """vis-network draws a dot's label centred below it, hanging from the node's lower edge."""
    half = max(text_width(text, font) / 2, radius)
    return (p[0] - half, p[1] - radius, p[0] + half, p[1] + radius + 4 + font * 1.35)


def _free_labels(pos: dict, size: dict, labelled: dict, font: float, iterations: int = 400) -> None:
    """Move the labelled nodes until no two of their node-and-label boxes overlap (with a margin),
    then move other nodes out of those boxes."""
    ids = sorted(labelled)
    margin = font * 0.4
    for _ in range(iterations):
        moved = False
        boxes = {n: _label_box(pos[n], size[n], labelled[n], font) for n in ids}
        for a_i, a in enumerate(ids):
            for b in ids[a_i + 1:]:
                A, B = boxes[a], boxes[b]
                dx = min(A[2], B[2]) - max(A[0], B[0]) + margin
                dy = min(A[3], B[3]) - max(A[1], B[1]) + margin
                if dx > 0 and dy > 0:
                    moved = True
                    if dx < dy:
                        sign = 1.0 if pos[b][0] >= pos[a][0] else -1.0
                        pos[a][0] -= sign * dx / 2
                        pos[b][0] += sign * dx / 2
                    else:
                        sign = 1.0 if pos[b][1] >= pos[a][1] else -1.0
                        pos[a][1] -= sign * dy / 2
                        pos[b][1] += sign * dy / 2
                    boxes[a] = _label_box(pos[a], size[a], labelled[a], font)
                    boxes[b] = _label_box(pos[b], size[b], labelled[b], font)
        if not moved:
            break
    if not ids:
        return
    from scipy.spatial import cKDTree
    others = [n for n in pos if n not in labelled]
    if not others:
        return
    xy = np.array([pos[n] for n in others])
    tree = cKDTree(xy)
    for n in ids:
        left, top, right, bottom = _label_box(pos[n], size[n], labelled[n], font)
        centre = ((left + right) / 2, (top + bottom) / 2)
        reach = math.hypot(right - left, bottom - top) / 2 + SPACING
        for k in tree.query_ball_point(centre, reach):
            m = others[k]
            x, y = pos[m]
            s = size[m]
            if x + s > left and x - s < right and y + s > top and y - s < bottom:
                # out through the nearer horizontal side: labels are wide and low
                if y < (top + bottom) / 2:
                    pos[m][1] = top - s - 1
                else:
                    pos[m][1] = bottom + s + 1
