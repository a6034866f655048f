"""Make static/light/world_50m.json: the 50m world shapes with fewer points, every island kept.

    .venv/bin/python tools/simplify_shapes.py        # rebuilds the file exactly

The dashboard's maps need the 50m shapes (world_110m.json lacks 22 small island states of the
programme: acpeu_data/reference/README.md), but redrawing all of their 122,526 points after a
filter change took most of a map page's time in the browser (bench/README.md). This file:

- drops the points within TOLERANCE quantized units (0.11 degree of longitude, 0.054 of
  latitude: a pixel or two on a map zoomed to a region) of the line through their
  neighbours (Douglas-Peucker, arc by arc, ends kept: neighbours still meet, and an island
  keeps a ring of at least four points);
- leaves out of the `land` and `coastlines` layers the pieces smaller than MIN_SPAN units
  (islets under about 0.7 by 0.4 degree). The `countries` shapes, which the maps colour and
  outline, keep every island;
- makes the `ocean` layer one rectangle of the map (all longitudes, latitudes within
  OCEAN_EDGE_LAT). plotly.js paints the ocean below the land, so the map looks the same,
  without tracing the 18,803 points of every coast once more (a third of a map's drawing
  time in Chromium, bench/README.md).

Features, ids, properties (`ct`, where plotly.js puts markers) and the quantization are the
original file's. The full file stays in static/ for the reports (PDF, HTML) and for
tools/make_centroids.py.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "world_50m.json"
TARGET = ROOT / "static" / "light" / "world_50m.json"
SPECKLESS = ("land", "coastlines")
TOLERANCE = 3.0
MIN_SPAN = 20
OCEAN_EDGE_LAT = 89


def _keep(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Return a mask of the points Douglas-Peucker keeps (both ends always)."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        inner = points[first + 1 : last]
        direction = end - start
        length = np.hypot(*direction)
        if length == 0:
            distance = np.hypot(*(inner - start).T)
        else:
            offset = inner - start
            distance = np.abs(direction[0] * offset[:, 1] - direction[1] * offset[:, 0]) / length
        farthest = int(np.argmax(distance))
        if distance[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return keep


def simplify(arc: list[list[int]], tolerance: float) -> list[list[int]]:
    """Return a delta-encoded arc with fewer points (a closed ring keeps at least four)."""
    points = np.cumsum(np.asarray(arc, dtype=np.int64), axis=0)
    if len(points) <= 4:
        return arc
    keep = _keep(points, tolerance)
    if (points[0] == points[-1]).all():
        # A ring by itself (an island): split at its farthest point, keep both halves' shape.
        far = int(np.argmax(np.hypot(*(points - points[0]).T)))
        keep = np.zeros(len(points), dtype=bool)
        keep[: far + 1] |= _keep(points[: far + 1], tolerance)
        keep[far:] |= _keep(points[far:], tolerance)
        while keep.sum() < 4:  # a ring needs three distinct points and the closing one
            keep[np.flatnonzero(~keep)[len(np.flatnonzero(~keep)) // 2]] = True
    kept = points[keep]
    return np.diff(kept, axis=0, prepend=[[0, 0]]).tolist()


def _span(geometry: dict, arcs: list[np.ndarray]) -> int:
    """Return the larger side, in quantized units, of a geometry's bounding box."""
    indices = np.ravel(geometry["arcs"]).tolist() if geometry["type"] == "LineString" else None
    if indices is None:  # a Polygon: rings of arc indices
        indices = [i for ring in geometry["arcs"] for i in ring]
    points = np.concatenate([arcs[i if i >= 0 else ~i] for i in indices])
    return int((points.max(axis=0) - points.min(axis=0)).max())


def drop_specks(topology: dict, min_span: int) -> None:
    """Remove the land and coastline pieces smaller than min_span (islets far from any scale
    the dashboard draws); the `countries` shapes, which the maps colour, keep every island."""
    arcs = [np.cumsum(np.asarray(arc), axis=0) for arc in topology["arcs"]]
    for name in SPECKLESS:
        layer = topology["objects"][name]
        layer["geometries"] = [
            g
            for g in layer["geometries"]
            if g["type"] not in ("Polygon", "LineString")
            or not g.get("arcs")
            or _span(g, arcs) >= min_span
        ]


def open_ocean(topology: dict) -> None:
    """Make the ocean one rectangle of the map, all longitudes by OCEAN_EDGE_LAT north and south
    (the land is drawn over it).

    The ring runs clockwise on a map (north up): up the 180th meridian's west side, east along
    the north edge, down the east side, west along the south edge; d3-geo, which plotly.js draws
    with, takes such a ring's inside to be the map, and so does its clipping to a zoomed view.
    Its edges follow the meridians and parallels in small steps so that the projection bends them.
    """
    scale_x, scale_y = topology["transform"]["scale"]
    left, bottom = topology["transform"]["translate"]
    edge = OCEAN_EDGE_LAT
    lats, lons = range(-edge, edge + 1, 2), range(-180, 181, 10)
    ring = (
        [(-180, lat) for lat in lats]
        + [(lon, edge) for lon in lons]
        + [(180, lat) for lat in reversed(lats)]
        + [(lon, -edge) for lon in reversed(lons)]
    )
    points = [[round((lon - left) / scale_x), round((lat - bottom) / scale_y)] for lon, lat in ring]
    points.append(points[0])
    delta = [points[0]] + [[b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(points)]
    topology["arcs"].append(delta)
    polygon = {"type": "Polygon", "arcs": [[len(topology["arcs"]) - 1]]}
    topology["objects"]["ocean"] = {"type": "GeometryCollection", "geometries": [polygon]}


def lighter(topology: dict) -> dict:
    """Return the topology with specks dropped, arcs simplified and the ocean one polygon
    (the input is changed)."""
    drop_specks(topology, MIN_SPAN)
    topology["arcs"] = [simplify(arc, TOLERANCE) for arc in topology["arcs"]]
    open_ocean(topology)  # after: its edges' small steps are what bends them on the map
    return topology


def main() -> None:
    """Write the lighter file and say how many points it keeps."""
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    before = sum(len(arc) for arc in topology["arcs"])
    topology = lighter(topology)
    after = sum(len(arc) for arc in topology["arcs"])
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(json.dumps(topology, separators=(",", ":")), encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {after:,} of {before:,} points")


if __name__ == "__main__":
    main()
