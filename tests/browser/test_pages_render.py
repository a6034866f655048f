"""Every page renders in a real browser, offline, without errors; the maps draw their shapes."""

from __future__ import annotations

import pytest

PAGES = ["/", "/requests", "/pipeline", "/countries", "/meetings", "/data"]
PAGE_LINKS = ["Overview", "Requests", "Pipeline", "Countries", "Meetings", "Data"]
# The programme served 79 ACP countries; a map drawing fewer than this many shapes has
# lost its world shapes (e.g. a wrong topojsonURL answers 200 with HTML, and draws nothing).
MIN_COUNTRY_SHAPES = 41


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_exception_or_console_error(browsing, path):
    app = browsing.open(path)

    assert app.exceptions() == []
    assert app.page.get_by_role("heading", level=1).count() == 1
    for label in PAGE_LINKS:
        assert app.page_link(label).count() == 1, f"no sidebar link {label}"
    # The bundled data is valid: no page may show the "folder has problems" banner.
    assert app.page.get_by_test_id("stAlertContentError").count() == 0
    browsing.assert_clean()


def test_countries_map_draws_country_shapes_offline(browsing):
    app = browsing.open("/countries")
    chart = app.page.get_by_test_id("stPlotlyChart").first

    shapes = app.wait_for_shapes("path.choroplethlocation", MIN_COUNTRY_SHAPES, within=chart)

    assert shapes >= MIN_COUNTRY_SHAPES
    browsing.assert_clean()


def test_meetings_map_draws_venues_offline(browsing):
    app = browsing.open("/meetings")

    venues = app.wait_for_shapes(".scattergeo path.point", 1)

    assert venues > 0
    browsing.assert_clean()


# The ocean of the maps' light shapes is one rectangle painted under the land
# (tools/simplify_shapes.py); drawn the wrong way round or clipped away it paints nothing, and
# the map loses its sea without any error. Views: world scale with a latitude range
# (Meetings), zoomed to a region, zoomed across the 180th meridian (Pacific).
OCEAN_VIEWS = [
    "/meetings",
    "/countries",
    "/countries?region=Caribbean",
    "/countries?region=Pacific",
]


@pytest.mark.parametrize("path", OCEAN_VIEWS)
def test_maps_paint_the_ocean_under_the_whole_map(browsing, path):
    app = browsing.open(path)
    chart = app.page.get_by_test_id("stPlotlyChart").first
    app.wait_for_shapes(".geo .layer.ocean path", 1, within=chart)

    covered = chart.evaluate(
        """(chart) => {
            const ocean = chart.querySelector(".geo .layer.ocean path").getBBox();
            const map = chart.querySelector(".geo .bglayer rect, .geo").getBBox();
            return (ocean.width * ocean.height) / (map.width * map.height);
        }"""
    )

    assert covered > 0.95, f"the ocean covers {covered:.0%} of the map"
    browsing.assert_clean()
