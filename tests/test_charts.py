"""Figure builders: data text never becomes Plotly markup."""

import base64
import functools
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import acpeu_data as ad
from acpeu_data import (
    charts,
    contract,
    filters,
    history,
    meeting_figures,
    report,
    request_figures,
    tables,
)
from acpeu_data.filters import Filters


def test_data_text_is_escaped_before_plotly_reads_it_as_markup():
    frame = pd.DataFrame({"label": ["<b>bold</b> & <a href='x'>link</a>"], "n": [3]})
    fig = charts.bar(frame, label="label", value="n", title="t", colours="#000", value_title="n")
    assert list(fig["data"][0]["y"]) == [
        "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href='x'&gt;link&lt;/a&gt;"
    ]


def test_meetings_map_escapes_titles_and_cities():
    venues = pd.DataFrame(
        {
            "lat": [1.0],
            "lon": [2.0],
            "city": ["<i>Suva</i>"],
            "title": ["<br>T"],
            "meetings": [1],
            "participants": [5],
        }
    )
    links = pd.DataFrame(columns=["from_lat", "to_lat", "from_lon", "to_lon"])
    fig = charts.meetings_map(venues, links, str)
    markers = fig["data"][-1]
    assert list(markers["text"]) == ["&lt;i&gt;Suva&lt;/i&gt;"]
    assert markers["customdata"][0][0] == "&lt;br&gt;T"


# --- every builder's figure is what Plotly's validator accepts ----------------------------------
# The builders skip Plotly's validation for speed (charts.py); these tests run it instead.


def plain_json(value):
    """Return figure JSON with Plotly's binary arrays ({'dtype', 'bdata'}) as lists of numbers."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), value["dtype"]).tolist()
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    return value


@functools.cache
def _figures() -> dict[str, charts.Figure]:
    ds = ad.load()
    f = Filters()
    requests = filters.filter_requests(ds, f)
    meetings = filters.filter_meetings(ds, f)
    participation = filters.filter_participation(ds, f)
    regions = list(dict.fromkeys(ds.countries["region"]))
    by_topic = request_figures.requests_by_topic(requests)
    by_region = meeting_figures.participation_by_region(meetings, participation)
    countries = tables.countries_for_map(
        request_figures.requests_by_country(ds, requests), (), "en"
    )
    return {
        "bar": charts.bar(
            by_topic,
            label="label",
            value="requests",
            title="t",
            colours=[contract.TOPIC_COLOURS[t] for t in by_topic["topic"]],
            value_title="v",
        ),
        "bar of one colour": charts.bar(
            by_topic, label="label", value="requests", title="t", colours="#000", value_title="v"
        ),
        "timeline": charts.cumulative_by_topic(request_figures.requests_over_time(requests), str),
        "requests map": charts.requests_map(countries, str),
        "requests map, fitted": charts.requests_map(countries, str, fit=True),
        "meetings map": charts.meetings_map(
            meeting_figures.venues(meetings),
            meeting_figures.meeting_links(meetings, participation),
            str,
        ),
        "stacked bar": charts.stacked_bar(
            by_region,
            category="title",
            series="region",
            value="participants",
            title="t",
            colours=charts.region_colours(regions),
            value_title="v",
        ),
        "histogram": charts.histogram(
            request_figures.completion_bins(request_figures.completion_times(requests)),
            title="t",
            value_title="v",
            count_title="c",
        ),
        "stages over time": charts.stages_over_time(
            history.stages_by_month(ds, requests), str, title="t", value_title="v"
        ),
        "days per stage": charts.stage_days(
            history.time_in_stage(ds, requests), str, title="t", value_title="v"
        ),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_figure_is_valid_plotly_as_built(name):
    fig = _figures()[name]
    # Validation raises on any unknown or wrongly typed property; the validated figure must
    # also serialise to the same JSON, so no shorthand (e.g. a title given as a bare string)
    # was silently rewritten.
    validated = go.Figure(fig)
    assert plain_json(json.loads(pio.to_json(validated))) == json.loads(
        pio.to_json(fig, validate=False)
    )
    assert charts.title_of(fig)


@pytest.mark.parametrize("name", ["timeline", "stacked bar"])
def test_a_report_changes_a_copy_of_a_figure_never_the_figure(name):
    # Figures are shared between sessions (ui.memo): the report's untitled copy with its
    # legend moved must leave the figure every page shows as it was.
    fig = _figures()[name]
    before = json.loads(pio.to_json(fig, validate=False))
    copy = report._untitled(fig)
    assert copy.layout.title.text is None and fig["layout"]["title"]["text"]
    assert json.loads(pio.to_json(fig, validate=False)) == before


def test_a_fitted_map_leaves_centring_to_plotly():
    # With a rotation of ours plotly.js draws the whole world even when asked to fit.
    fitted = go.Figure(_figures()["requests map, fitted"]).layout.geo
    world = go.Figure(_figures()["requests map"]).layout.geo
    assert fitted.fitbounds == "locations"
    assert fitted.projection.rotation.lon is None and fitted.lataxis.range is None
    assert world.fitbounds in (None, False) and world.projection.rotation.lon == 60
