"""The sidebar filter and the map click change the figures, and the view travels with its URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

import acpeu_data as ad
from acpeu_data import filters as flt
from acpeu_data import geo, headline_figures, i18n

REGION = "Caribbean"
# Big countries, so that a click lands inside the shape at the map's size.
CLICKABLE_COUNTRIES = ("SDN", "KEN", "NGA", "ETH", "TZA", "COD", "AGO", "GUY")


@pytest.fixture(scope="module")
def dataset() -> ad.Dataset:
    return ad.load()


def number(value: float) -> str:
    return i18n.format_number(value, "en")


def overview_figures(ds: ad.Dataset, filters: ad.Filters) -> dict[str, str]:
    """The Overview's metrics as the app must show them, computed from the data.

    Only the formatting (thousands separators, the percent sign) is the app's own;
    the figures come from the data through acpeu_data.
    """
    kpis = headline_figures.kpis(
        flt.filter_requests(ds, filters),
        flt.filter_meetings(ds, filters),
        flt.filter_participation(ds, filters),
        by_place=bool(filters.regions or filters.countries),
    )
    participants = number(kpis.participants)
    if kpis.participants_more_than:
        participants = f"more than {participants}"
    return {
        "Requests": number(kpis.requests),
        "Governments": number(kpis.governments),
        "Regional organisations": number(kpis.regional_organisations),
        "Trafficking or smuggling": i18n.format_percent(kpis.trafficking_or_smuggling_share, "en"),
        "Countries reached": number(kpis.countries_reached),
        "Programme meetings": number(kpis.meetings),
        "Participants": participants,
    }


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def wait_for_query(app, key: str, value: str) -> None:
    """Wait until the URL's query holds exactly `key=value` (written with replaceState)."""
    app.page.wait_for_function(
        "([key, value]) => new URLSearchParams(location.search).getAll(key).join() === value",
        arg=[key, value],
    )


def expect_figures(app, figures: dict[str, str]) -> None:
    for label, value in figures.items():
        app.expect_metric(label, value)


def test_region_filter_sets_figures_survives_navigation_reload_and_sharing(
    browsing, second_browsing, dataset
):
    everything = overview_figures(dataset, ad.Filters())
    caribbean = overview_figures(dataset, ad.Filters(regions=(REGION,)))
    assert caribbean["Requests"] != everything["Requests"], "the region must change the view"

    app = browsing.open("/")
    expect_figures(app, everything)

    app.pick("Region", REGION)
    expect_figures(app, caribbean)
    assert query(app.page.url).get("region") == [REGION]

    app.go_to_page("Requests")
    assert app.chosen("Region") == [REGION]
    assert query(app.page.url).get("region") == [REGION]
    app.go_to_page("Overview")
    expect_figures(app, caribbean)
    # Navigation clears the query string; the app must write the filter back before a
    # reload or a copied link can reproduce the view.
    wait_for_query(app, "region", REGION)

    app.reload()
    assert app.chosen("Region") == [REGION]
    expect_figures(app, caribbean)

    shared = urlsplit(app.page.url)
    colleague = second_browsing.open(f"{shared.path}?{shared.query}")
    expect_figures(colleague, caribbean)
    assert colleague.chosen("Region") == [REGION]

    browsing.assert_clean()
    second_browsing.assert_clean()


def test_clicking_a_country_on_the_map_filters_the_requests_table(browsing, dataset):
    with_requests = {
        iso3
        for iso3 in CLICKABLE_COUNTRIES
        if len(flt.filter_requests(dataset, ad.Filters(countries=(iso3,)))) > 0
    }
    iso3 = next(c for c in CLICKABLE_COUNTRIES if c in with_requests)
    expected = flt.filter_requests(dataset, ad.Filters(countries=(iso3,)))
    assert len(expected) < len(dataset.requests), "the country must narrow the table"

    app = browsing.open("/countries")
    chart = app.page.get_by_test_id("stPlotlyChart").first
    assert app.wait_for_shapes("path.choroplethlocation", 41, within=chart) > 40
    app.click_country(iso3, chart)

    # The selection reruns the app, which then writes the filter into the URL.
    wait_for_query(app, "country", iso3)
    assert app.chosen("Country") == [geo.country_name(iso3, "en")]

    app.go_to_page("Requests")
    requests_table = app.page.get_by_test_id("stDataFrame").first
    assert app.table_row_count(requests_table) == len(expected)
    header, rows = app.table(requests_table)
    shown_ids = {row[header.index("Request")] for row in rows}
    assert shown_ids and shown_ids <= set(expected["request_id"])
    browsing.assert_clean()
