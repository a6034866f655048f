"""The Report control in a real browser: the PDF and the HTML are downloaded and read back.

The HTML is then opened in a fresh tab with every request to another host blocked and
counted: its charts must draw (the map with its country shapes) with none.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import acpeu_data as ad
from acpeu_data import report, views
from tests.browser.helpers import blocking_violations

REGION = "Caribbean"
AS_OF = "2017-03-21"
FILTER = ad.Filters(regions=(REGION,), date_to=dt.date.fromisoformat(AS_OF))
CONTROL = "Report: PDF or HTML to send"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


@pytest.fixture(scope="module")
def expected() -> list[views.Section]:
    view = views.View(ad.load(), FILTER, "en")
    return [views.PAGES[page](view) for page in views.PAGES]


def make_and_download(app, scope: str, fmt: str) -> tuple[Path, str]:
    page = app.page
    control = page.get_by_test_id("stExpander").filter(has_text=CONTROL)
    if not control.get_by_text("Make the report").is_visible():
        control.get_by_text(CONTROL).click()
    control.get_by_text(scope, exact=False).first.click()
    app.wait_until_idle()
    control.get_by_text(fmt, exact=False).first.click()
    app.wait_until_idle()
    control.get_by_role("button", name="Make the report").click()
    download = control.get_by_role("button", name=re.compile("^Download the report"))
    download.wait_for(timeout=120_000)
    with page.expect_download() as info:
        download.click()
    return Path(info.value.path()), info.value.suggested_filename


def test_pdf_and_html_reports_download_from_the_control(browsing, expected):
    app = browsing.open(f"/?region={REGION}&to={AS_OF}")
    filter_line = _flat(views.filter_line(views.View(ad.load(), FILTER, "en")))

    pdf_path, pdf_name = make_and_download(app, "This page (", "PDF: ")

    pdf = PdfReader(pdf_path)
    text = _flat(" ".join(p.extract_text() for p in pdf.pages))
    assert filter_line in text
    for headline in expected[0].headlines:
        assert _flat(f"{headline.label} {headline.value}") in text
    assert f"Page {len(pdf.pages)} / {len(pdf.pages)}" in text
    assert pdf_name == f"acpeu-report_overview_caribbean_{AS_OF}.pdf"
    # The control, open with its download button, passes the same audit as the pages.
    assert blocking_violations(app.page) == []

    html_path, html_name = make_and_download(app, "All pages", "HTML: ")

    html = html_path.read_text(encoding="utf-8")
    charts = [c for s in expected for c in s.charts if c.figure is not None]
    assert html.count("Plotly.newPlot(") == len(charts)
    assert filter_line in _flat(re.sub(r"<[^>]+>", " ", html))
    assert html_name == f"acpeu-report_all-pages_caribbean_{AS_OF}.html"
    assert app.exceptions() == []
    browsing.assert_clean()

    # Opened on its own, offline: every chart draws, the map with its shapes, nothing asked.
    tab = browsing.new_page()
    tab.set_content(html, wait_until="load")
    tab.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(charts)}"
    )
    # The Countries map fits the Caribbean: one shape per country of its numbers table.
    countries_map = next(s.chart("map") for s in expected if s.find_chart("map") is not None)
    countries = len(countries_map.numbers)
    tab.wait_for_function(
        f"document.querySelectorAll('path.choroplethlocation').length >= {countries}"
    )
    browsing.assert_clean()


def test_pdf_renderer_is_the_one_the_server_uses():
    # The browser tests and the reports drive the same system Chromium: never a download.
    assert report.chromium_path() is not None
