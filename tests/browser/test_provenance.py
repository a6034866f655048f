"""The public-sources switch and the Source columns, in the real app (bundled data).

With `?source=public` every page keeps only the records whose source is a URL; the switch
travels with the page links and goes back off with a click; the Requests, Meetings and
country-profile tables carry a Source column; a download of a `source=public` view holds
only rows with a URL source.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import expect

import acpeu_data as ad
from acpeu_data import filters as flt
from acpeu_data import headline_figures

PAGES = [("Overview", "/"), ("Requests", "/requests"), ("Countries", "/countries"),
         ("Meetings", "/meetings"), ("Data", "/data")]  # fmt: skip
PUBLIC = ad.Filters(source="public")


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def switch(app):
    return app.sidebar.get_by_role("switch", name="Public sources only")


def flip(app) -> None:
    """Click the switch's label, as a user does (the input itself is hidden), and wait."""
    app.sidebar.get_by_text("Public sources only", exact=True).click()
    app.wait_until_idle()


def source_query(app) -> list[str]:
    return parse_qs(urlsplit(app.page.url).query).get("source", [])


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_the_switch_on_every_page(browsing, name, path):
    app = browsing.open(f"{path}?source=public")
    expect(switch(app)).to_be_checked()
    expect(app.page.get_by_text("Public sources only:", exact=False).first).to_be_visible()
    assert source_query(app) == ["public"]
    flip(app)
    expect(switch(app)).not_to_be_checked()
    app.page.wait_for_function("() => !new URLSearchParams(location.search).has('source')")
    flip(app)
    app.page.wait_for_function(
        "() => new URLSearchParams(location.search).get('source') === 'public'"
    )
    assert not app.exceptions()
    browsing.assert_clean()


def test_the_switch_survives_a_page_change_and_sets_the_overview(browsing):
    ds = ad.load()
    kpis = headline_figures.kpis(
        flt.filter_requests(ds, PUBLIC),
        flt.filter_meetings(ds, PUBLIC),
        flt.filter_participation(ds, PUBLIC),
    )
    app = browsing.open("/requests")
    flip(app)
    app.go_to_page("Overview")
    expect(switch(app)).to_be_checked()
    app.expect_metric("Requests", str(kpis.requests))
    app.expect_metric("Programme meetings", str(kpis.meetings))
    app.expect_metric("Participants", f"more than {kpis.participants}")
    assert kpis.requests == 15 and kpis.meetings == 7
    figures = app.page.get_by_test_id("stMetric").all_inner_texts()
    assert len(figures) == 7 and not any("illustrative" in text for text in figures)
    browsing.assert_clean()


def frame_with(app, *columns: str):
    """Return the st.dataframe whose header holds `columns` (tables in closed expanders are
    not drawn, so positions differ from the script's order)."""
    frames = app.page.get_by_test_id("stDataFrame")
    frames.first.wait_for(state="attached")
    for frame in frames.all():
        if not frame.is_visible():
            continue
        frame.scroll_into_view_if_needed()  # a grid below the fold is drawn when scrolled to
        grid = frame.locator('table[role="grid"]')
        grid.wait_for(state="attached")
        if set(columns) <= set(grid.locator("thead th").all_inner_texts()):
            return frame
    raise AssertionError(f"no table with the columns {columns}")


def source_cells(app, frame) -> list[str]:
    header, rows = app.table(frame)
    assert "Source" in header, header
    column = header.index("Source")
    return [row[column] for row in rows if len(row) > column]


def test_source_column_in_the_requests_table(browsing):
    app = browsing.open("/requests")
    cells = source_cells(app, frame_with(app, "Request", "Source"))
    assert cells and all(is_url(c) or c == "data#Illustrative" for c in cells)
    assert any(is_url(c) for c in cells)  # the 15 real requests come first


def test_source_column_in_the_meetings_table(browsing):
    app = browsing.open("/meetings")
    frame = frame_with(app, "Meeting", "Source", "Participants")
    cells = source_cells(app, frame)
    assert len(cells) == 9 and all(is_url(c) for c in cells)
    header, rows = app.table(frame)
    shown = dict(
        zip(
            [r[header.index("Meeting")] for r in rows],
            [r[header.index("Participants")] for r in rows],
            strict=True,
        )
    )
    assert shown["ACP-EU Migration Action closing event"] == "more than 90"
    assert shown["ACP-EU Dialogue seminar on remittances"] == "unknown"


def test_source_column_in_the_country_profile(browsing):
    app = browsing.open("/countries?country=GUY")
    app.page.get_by_text("Country profile: Guyana").wait_for()
    requests = source_cells(app, frame_with(app, "Request", "Source"))
    assert any(is_url(c) for c in requests) and "data#Illustrative" in requests
    delegations = source_cells(app, frame_with(app, "Delegates", "Source"))
    assert delegations and set(delegations) == {"data#Illustrative"}
    expect(app.page.get_by_text("illustrative participation rows", exact=False)).to_be_visible()
    browsing.assert_clean()


@pytest.mark.parametrize(("path", "table", "button"), [
    ("/requests", "requests", "Download CSV"),
    ("/meetings", "meetings", "Download CSV"),
])  # fmt: skip
def test_download_of_a_public_view_has_a_url_source_on_every_row(browsing, path, table, button):
    app = browsing.open(f"{path}?source=public")
    with app.page.expect_download() as info:
        app.page.get_by_role("button", name=button).first.click()
    rows = pd.read_csv(Path(info.value.path()), encoding="utf-8-sig", dtype=str)
    expected = getattr(flt, f"filter_{table}")(ad.load(), PUBLIC)
    assert len(rows) == len(expected) > 0
    assert rows["source"].map(is_url).all()
    assert "public-sources" in info.value.suggested_filename
    browsing.assert_clean()
