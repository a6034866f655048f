"""Every page run headless with streamlit.testing's AppTest, on the bundled data."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import acpeu_data as ad
from acpeu_data import filters as flt
from acpeu_data import headline_figures
from tests.apptest import open_app

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "app_pages/requests.py",
    "app_pages/pipeline.py",
    "app_pages/countries.py",
    "app_pages/meetings.py",
    "app_pages/data.py",
]
TIMEOUT = 60


def run_app(query: dict[str, list[str]] | None = None, page: str | None = None) -> AppTest:
    return open_app(page, query=query)


def metric_values(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def expected_kpis(filters: ad.Filters) -> headline_figures.Kpis:
    ds = ad.load()
    return headline_figures.kpis(
        flt.filter_requests(ds, filters),
        flt.filter_meetings(ds, filters),
        flt.filter_participation(ds, filters),
    )


def plotly_specs(app: AppTest) -> list[dict]:
    return [
        json.loads(el.proto.spec)
        for el in app.get("plotly_chart")
        if getattr(el, "proto", None) is not None
    ]


def array_length(values) -> int:
    """Return the length of a Plotly JSON array, plain or binary-encoded ({'dtype', 'bdata'})."""
    if isinstance(values, dict):
        return len(base64.b64decode(values["bdata"])) // np.dtype(values["dtype"]).itemsize
    return len(values)


def test_overview_shows_every_headline_figure_from_the_data():
    app = run_app()
    values = metric_values(app)
    assert list(values) == [
        "Requests",
        "Governments",
        "Regional organisations",
        "Trafficking or smuggling",
        "Countries reached",
        "Programme meetings",
        "Participants",
    ]
    kpis = expected_kpis(ad.Filters())
    assert values["Requests"] == str(kpis.requests)
    assert values["Programme meetings"] == str(kpis.meetings)
    # What is illustrative is said under the figure that counts it.
    deltas = {m.label: m.proto.delta for m in app.metric}
    assert deltas["Requests"] == f"of which {kpis.requests_illustrative} illustrative"
    assert f"of which {kpis.participants_illustrative} illustrative" in deltas["Participants"]
    assert deltas["Programme meetings"] == f"plus {kpis.related_events} related events"


def test_overview_as_of_the_seed_date_reads_like_the_seed():
    app = run_app({"to": ["2017-03-21"]})
    values = metric_values(app)
    assert (values["Requests"], values["Governments"], values["Regional organisations"]) == (
        "58",
        "44",
        "5",
    )
    share = int(values["Trafficking or smuggling"].rstrip("%"))
    assert 30 <= share <= 36
    assert any(
        "58 requests from 44 governments and 5 regional organisations" in m.value
        for m in app.markdown
    )


def test_region_in_the_url_filters_the_overview_and_stays_in_the_url():
    app = run_app({"region": ["Caribbean"]})
    kpis = expected_kpis(ad.Filters(regions=("Caribbean",)))
    assert metric_values(app)["Requests"] == str(kpis.requests)
    assert app.query_params.get("region") in (["Caribbean"], "Caribbean")


def test_changing_the_region_widget_changes_the_figures_and_the_url():
    app = run_app()
    app.multiselect(key="w_region").select("Pacific").run()
    kpis = expected_kpis(ad.Filters(regions=("Pacific",)))
    assert metric_values(app)["Requests"] == str(kpis.requests)
    assert "Pacific" in str(app.query_params.get("region"))


def test_the_filter_survives_a_page_change():
    app = run_app({"region": ["Caribbean"]})
    app.switch_page("app_pages/requests.py").run()
    assert app.multiselect(key="w_region").value == ["Caribbean"]
    app.switch_page("app_pages/overview.py").run()
    kpis = expected_kpis(ad.Filters(regions=("Caribbean",)))
    assert metric_values(app)["Requests"] == str(kpis.requests)


def test_invalid_link_values_are_dropped_with_a_notice():
    app = run_app({"region": ["Atlantis", "Pacific"], "to": ["not-a-date"]})
    assert app.multiselect(key="w_region").value == ["Pacific"]
    notices = " ".join(w.value for w in app.warning)
    assert "Atlantis" in notices


def test_a_link_of_500_junk_values_gives_one_notice_not_500():
    """Issue 16, item 10: each junk value used to get a banner of its own."""
    junk = [f"junk{i}" for i in range(500)]
    app = run_app({"region": junk, "topic": ["nope"]})
    link_notices = [w for w in app.warning if "in the link" in w.value]
    assert len(link_notices) == 1
    text = link_notices[0].value
    assert text.count("Ignored") == 3 and "… and 498 more values of the link were ignored." in text
    assert metric_values(app)["Requests"] == str(len(ad.load().requests))  # nothing filtered


def test_reset_filters_clears_every_filter():
    app = run_app({"region": ["Pacific"], "topic": ["visas"]})
    reset = next(b for b in app.button if b.label == "Reset filters")
    reset.click().run()
    assert app.multiselect(key="w_region").value == []
    assert app.multiselect(key="w_topic").value == []
    assert metric_values(app)["Requests"] == str(len(ad.load().requests))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception(page):
    app = run_app(page=page)
    assert app.title[0].value


def test_requests_page_table_holds_exactly_the_filtered_rows():
    app = run_app({"region": ["Caribbean"], "to": ["2017-12-31"]}, page="app_pages/requests.py")
    ds = ad.load()
    expected = flt.filter_requests(
        ds, ad.Filters(regions=("Caribbean",), date_to=dt.date(2017, 12, 31))
    )
    table = app.dataframe[0].value
    assert sorted(table["request_id"]) == sorted(expected["request_id"])


def test_countries_page_draws_a_map_of_every_acp_country():
    app = run_app(page="app_pages/countries.py")
    specs = plotly_specs(app)
    choropleth = next(t for s in specs for t in s["data"] if t["type"] == "choropleth")
    assert array_length(choropleth["locations"]) == len(ad.load().countries)


def test_one_country_shows_its_profile():
    app = run_app({"country": ["GUY"]}, page="app_pages/countries.py")
    assert any("Guyana" in h.value for h in app.header)


def test_meetings_page_maps_every_venue():
    app = run_app(page="app_pages/meetings.py")
    specs = plotly_specs(app)
    venues = [
        t
        for s in specs
        for t in s["data"]
        if t["type"] == "scattergeo" and "markers" in t.get("mode", "")
    ]
    meetings = ad.load().meetings
    assert array_length(venues[0]["lat"]) == len(meetings.drop_duplicates(["city", "lat", "lon"]))
    # customdata per venue: name, meetings held there, participants
    assert sum(int(row[1]) for row in venues[0]["customdata"]) == len(meetings)


# --- the provenance switch ---------------------------------------------------------------


@pytest.mark.parametrize("page", [None, *PAGES])
def test_public_sources_switch_on_every_page(page):
    app = run_app({"source": ["public"]}, page=page)
    assert app.toggle(key="w_source").value is True
    assert app.query_params.get("source") in (["public"], "public")
    captions = " ".join(c.value for c in app.caption)
    assert "Public sources only" in captions
    app.toggle(key="w_source").set_value(False).run()
    assert "source" not in app.query_params


def test_public_sources_only_overview_shows_the_published_facts():
    app = run_app({"source": ["public"]})
    values = metric_values(app)
    kpis = expected_kpis(ad.Filters(source="public"))
    assert values["Requests"] == str(kpis.requests) == "15"
    assert values["Programme meetings"] == "7"
    assert values["Participants"] == f"more than {kpis.participants}"
    deltas = {m.label: m.proto.delta for m in app.metric}
    assert "illustrative" not in " ".join(deltas.values())
    assert "3 meetings' totals unknown" in deltas["Participants"]
    summary = " ".join(m.value for m in app.markdown)
    assert "4 programme meetings brought together more than 290 participants." in summary
    assert "2 related events" in summary


def test_public_sources_only_meetings_table_shows_no_illustrative_number():
    app = run_app({"source": ["public"]}, page="app_pages/meetings.py")
    shown = app.dataframe[0].value  # the map's numbers are drawn only once opened
    assert len(shown) == 9
    by_title = dict(zip(shown["title"], shown["participants"], strict=True))
    assert by_title["ACP-EU Migration Action closing event"] == "more than 90"
    assert by_title["Peer-to-peer exchange meeting on remittances"] == "unknown"
    assert shown["delegations"].isna().all()  # the illustrative breakdowns are left out
    assert shown["source"].str.startswith("https://").all()


def test_meetings_table_flags_illustrative_breakdowns_and_unknown_totals():
    app = run_app(page="app_pages/meetings.py")
    shown = app.dataframe[0].value.set_index("title")
    assert shown.loc["Peer-to-peer exchange meeting on remittances", "participants"] == (
        "62 (illustrative)"
    )
    assert shown.loc["ACP-EU Dialogue seminar on remittances", "participants"] == "unknown"
    assert shown.loc["ACP-EU Dialogue seminar on remittances", "kind"] == "Related event"
    georgetown = (
        "Peer-to-peer exchange meeting on trafficking in human beings and smuggling of migrants"
    )
    assert shown.loc[georgetown, "participants"] == "70"
    assert shown.loc[georgetown, "delegations_source"] == "Illustrative"


def test_requests_table_has_the_source_and_the_note():
    app = run_app(page="app_pages/requests.py")
    shown = app.dataframe[0].value
    # An illustrative record links to the Data page's list of them, shown as "Illustrative".
    assert set(shown["source"]) >= {"data#Illustrative"}
    real = shown[shown["source"] != "data#Illustrative"]
    assert len(real) == 15 and real["source"].str.startswith("https://").all()
    assert real["note"].str.len().gt(0).all()


def test_the_switch_is_not_offered_for_data_without_illustrative_records(tmp_path, monkeypatch):
    import shutil

    for file in (ROOT / "data").glob("*.csv"):
        shutil.copy(file, tmp_path / file.name)
    for name in ("requests.csv", "participation.csv"):
        path = tmp_path / name
        text = path.read_text(encoding="utf-8").replace(",illustrative", ",")
        path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ACPEU_DATA_DIR", str(tmp_path))
    app = run_app({"source": ["public"]})
    assert not [t for t in app.toggle if t.key == "w_source"]
    assert metric_values(app)["Requests"] == "71"
