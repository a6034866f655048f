"""Reports: the PDF and HTML hold the filter, the headline figures and every chart of the pages.

The reports are made for real (kaleido drives the system Chromium, WeasyPrint lays out the
PDF) from the bundled data with a filter, and read back: the PDF with pypdf (text, pages and its
tagged structure, where every chart is a Figure with its title as alternative text), the HTML
as text. The expected figures come from the same aggregates the pages use, never typed in.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

import acpeu_data as ad
from acpeu_data import i18n, report, views

FILTER = ad.Filters(regions=("Caribbean",), date_to=dt.date(2017, 3, 21))
MADE = dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC)
ALL_PAGES = list(views.PAGES)


def _flat(text: str) -> str:
    """Text with every run of white space (no-break and narrow spaces too) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


def _needs_pdf_renderer() -> None:
    problem = report.pdf_problem()
    if problem is None:
        return
    message = f"{problem} ({problem.detail})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI requires the PDF renderer: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def dataset() -> ad.Dataset:
    return ad.load()


@pytest.fixture(scope="module")
def overview_pdf(dataset) -> PdfReader:
    _needs_pdf_renderer()
    data = report.pdf_report(dataset, FILTER, "en", ["Overview"], made_at=MADE)
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def french_pdf(dataset) -> PdfReader:
    _needs_pdf_renderer()
    data = report.pdf_report(dataset, FILTER, "fr", ALL_PAGES, made_at=MADE)
    return PdfReader(io.BytesIO(data))


def _text(pdf: PdfReader) -> str:
    return _flat(" ".join(page.extract_text() for page in pdf.pages))


def _figures(pdf: PdfReader) -> list[tuple[str, set[int]]]:
    """Return each Figure of the PDF's structure: its alternative text and the pages it is on."""
    page_numbers = {page.indirect_reference.idnum: i + 1 for i, page in enumerate(pdf.pages)}
    found = []

    def pages_of(node, inherited) -> set[int]:
        node = node.get_object()
        if isinstance(node, list):
            return set().union(*(pages_of(k, inherited) for k in node)) if node else set()
        if isinstance(node, int):  # a marked-content id on the element's page
            return {inherited} if inherited else set()
        if not hasattr(node, "get"):
            return set()
        page = node.get("/Pg")
        here = page_numbers[page.idnum] if page is not None else inherited
        kids = node.get("/K")
        if kids is None:
            return {here} if here else set()
        return pages_of(kids, here)

    def walk(node, inherited=None) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid, inherited)
            return
        if not hasattr(node, "get"):
            return
        page = node.get("/Pg")
        here = page_numbers[page.idnum] if page is not None else inherited
        if node.get("/S") == "/Figure":
            found.append((str(node.get("/Alt")), pages_of(node, here)))
            return
        if node.get("/K") is not None:
            walk(node["/K"], here)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_pdf_holds_the_filter_line_and_the_headline_figures(dataset, overview_pdf):
    text = _text(overview_pdf)
    view = views.View(dataset, FILTER, "en")
    section = views.overview(view)

    assert _flat(views.filter_line(view)) in text
    assert "Caribbean" in views.filter_line(view)
    for headline in section.headlines:
        assert _flat(f"{headline.label} {headline.value}") in text, headline.label
    assert _flat(section.text[0]) in text
    # The cover block: as of, data version, when made, and the provenance note.
    assert "As of Mar 21, 2017" in text
    assert "Jan 15, 2026" in text
    assert "illustrative" in text


def test_pdf_has_one_figure_per_chart_each_on_one_page_and_numbered_pages(dataset, overview_pdf):
    section = views.overview(views.View(dataset, FILTER, "en"))
    figures = _figures(overview_pdf)

    assert [alt for alt, _pages in figures] == [c.title for c in section.charts]
    assert all(len(pages) == 1 for _alt, pages in figures), figures
    # The header, seven figures with what of them is illustrative, the summary and the first
    # chart fill the first pages; the chart's table and the regions chart the next.
    count = len(overview_pdf.pages)
    assert 2 <= count <= 3
    for number, page in enumerate(overview_pdf.pages, start=1):
        assert f"Page {number} / {count}" in _flat(page.extract_text())


def test_pdf_is_a4_portrait(overview_pdf):
    box = overview_pdf.pages[0].mediabox
    # A4 is 210 x 297 mm = 595 x 842 points.
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_all_pages_pdf_in_french_has_a_table_of_contents_that_points_to_each_page(
    dataset, french_pdf
):
    _ = i18n.translator("fr")
    pages = [_flat(p.extract_text()) for p in french_pdf.pages]
    contents = pages[0]
    assert "Sommaire" in contents
    assert "Toutes les pages" in contents
    assert "À la date du 21 mars 2017" in contents
    for title in ALL_PAGES:
        translated = _(title)
        match = re.search(rf"{re.escape(translated)} \.*\s*(\d+)", contents)
        assert match, f"{translated} is not in the table of contents"
        page = int(match.group(1))
        assert pages[page - 1].startswith(translated) or f" {translated} " in pages[page - 1]
    total = len(french_pdf.pages)
    assert f"Page {total} / {total}" in pages[-1]


def test_all_pages_pdf_in_french_has_french_labels_and_every_chart(dataset, french_pdf):
    view = views.View(dataset, FILTER, "fr")
    sections = [views.PAGES[p](view) for p in ALL_PAGES]
    text = _text(french_pdf)

    for label in ["Vue d'ensemble", "Demandes", "Pays", "Réunions", "Gouvernements"]:
        assert label in text
    assert "Requests by" not in text
    headline = sections[0].headline("trafficking_or_smuggling")
    assert _flat(f"{headline.label} {headline.value}") in text  # "31 %": French percent
    charts = [c.title for s in sections for c in s.charts if c.figure is not None]
    figures = _figures(french_pdf)
    assert [alt for alt, _pages in figures] == charts
    assert all(len(pages) == 1 for _alt, pages in figures), figures


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("src", "href", "action", "srcset") and v]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


@pytest.fixture(scope="module")
def overview_html(dataset) -> str:
    return report.html_report(dataset, FILTER, "en", ["Overview"], made_at=MADE).decode()


def test_html_holds_the_same_figures_and_one_interactive_chart_per_chart(dataset, overview_html):
    view = views.View(dataset, FILTER, "en")
    section = views.overview(view)
    text = _flat(
        re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", overview_html, flags=re.S))
    )

    assert _flat(views.filter_line(view)) in text
    for headline in section.headlines:
        assert _flat(f"{headline.label} {headline.value}") in text
    assert overview_html.count("Plotly.newPlot(") == len(section.charts)
    for chart in section.charts:
        assert chart.title in text


def test_html_asks_no_other_host_for_anything(overview_html):
    links = _Links()
    links.feed(overview_html)
    assert all(u.startswith(("#", "data:")) for u in links.urls), links.urls
    # plotly.js is inlined whole; it names hosts of map styles it could use (none here).
    # Everything else in the file, our scripts included, names no host at all.
    plotly_js = report._plotlyjs()
    assert plotly_js in overview_html
    assert "://" not in overview_html.replace(plotly_js, "").replace("http://www.w3.org/", "")


def test_html_of_maps_carries_the_world_shapes(dataset):
    html = report.html_report(dataset, FILTER, "en", ["Countries"], made_at=MADE).decode()
    assert "window.PlotlyGeoAssets" in html
    assert '"world_50m"' in html


def test_report_of_a_filter_that_matches_nothing(dataset):
    before = ad.Filters(date_to=dt.date(2000, 1, 1))
    html = report.html_report(dataset, before, "en", ALL_PAGES, made_at=MADE).decode()
    assert "No request matches the filter." in html
    assert "No completed request matches the filter." in html


def test_a_page_without_a_declaration_is_listed_with_a_note(dataset):
    # A page the dashboard may add later, with no builder in acpeu_data/views.py yet.
    content = report.assemble(dataset, FILTER, "en", ["Overview", "Budgets"], made_at=MADE)
    assert [s.title for s in content.sections] == ["Overview", "Budgets"]
    assert [n.text for n in content.sections[1].notes] == [
        "This page is not part of printed reports yet."
    ]


def test_missing_browser_is_a_clear_message_and_html_still_works(dataset, monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    problem = report.pdf_problem()
    assert isinstance(problem, report.RendererMissing)
    assert "Chromium" in str(problem)
    assert i18n.translator("fr")(str(problem)) != str(problem)
    with pytest.raises(report.RendererMissing):
        report.pdf_report(dataset, FILTER, "en", ["Overview"], made_at=MADE)
    assert report.html_report(dataset, FILTER, "en", ["Overview"], made_at=MADE)


def test_file_names_say_scope_filter_and_as_of():
    assert (
        report.file_name(["Overview"], FILTER, "pdf")
        == "acpeu-report_overview_caribbean_2017-03-21.pdf"
    )
    assert report.file_name(ALL_PAGES, ad.Filters(), "html") == "acpeu-report_all-pages_all.html"
