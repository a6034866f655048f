"""Reports managers send: one page or every page of the dashboard as a PDF brief or an HTML file.

The content is the pages' own (acpeu_data/views.py: headline figures, charts and the tables of
their numbers) for one filter and language, with a cover block saying what was filtered, as of
when, from which data and how much of it is illustrative. Two renderings of one HTML document:

- HTML: one self-contained file. plotly.js is inlined from the installed plotly package and
  the world shapes of the maps from static/ (`window.PlotlyGeoAssets`), so the charts are
  interactive and the file opens offline without asking any host for anything.
- PDF: charts drawn as SVG (vector) by Plotly's own exporter, kaleido, which drives the system
  Chromium (never a downloaded one); maps as 3x PNG (their SVG holds megabytes of coastline).
  WeasyPrint lays the pages out (A4 portrait, page numbers, a table of contents with page
  numbers, no chart cut across pages).

Nothing here imports Streamlit. Both builders take a `progress(share, text)` callback.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from acpeu_data import charts, contract, i18n, views
from acpeu_data.dataset import Dataset
from acpeu_data.filters import Filters
from acpeu_data.validate import N_

Progress = Callable[[float, str], None]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
TABLE_ROWS = 10  # rows of a chart's numbers table printed; the rest are counted
CHART_WIDTH = 760  # px; printed 180 mm wide, so 14 px fonts come out at about 9 pt
LEGEND_MARGIN = 120  # px under the plot of a chart with its legend below
PRINT_HEIGHT = 0.75  # of the chart's height on screen
GEO_SCALE = 3  # a map is a PNG of 2,700 px across (about 380 dpi on the page)
DEFAULT_CHROMIUM = "/usr/bin/chromium"
RENDER_TIMEOUT = 90  # seconds for any one chart


class RendererMissing(Exception):
    """The PDF cannot be made on this server; `str()` is an English msgid, `detail` the cause."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


def _no_progress(share: float, text: str) -> None:
    pass


# --- What a report holds ---------------------------------------------------------------------


@dataclass
class Report:
    lang: str
    title: str
    filter_line: str
    about: list[tuple[str, str]]  # (label, value): as of, data, made
    provenance: str
    sections: list[views.Section] = field(default_factory=list)

    @property
    def charts(self) -> list[views.Chart]:
        return [c for s in self.sections for c in s.charts if c.figure is not None]

    def untitled_figures(self) -> list[go.Figure]:
        """Return each chart's figure (in `charts` order) without its title: a copy to change."""
        return [_untitled(c.figure) for c in self.charts if c.figure is not None]


def chromium_path() -> str | None:
    """Return the system Chromium for kaleido: $BROWSER_PATH, $CHROMIUM_PATH, /usr/bin/chromium."""
    for candidate in (
        os.environ.get("BROWSER_PATH"),
        os.environ.get("CHROMIUM_PATH"),
        DEFAULT_CHROMIUM,
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def pdf_problem() -> RendererMissing | None:
    """Return why a PDF cannot be made here (a missing library or browser), else None."""
    try:
        import kaleido  # noqa: F401, PLC0415
    except ImportError as error:
        return RendererMissing(
            N_(
                "PDF reports need the Python package kaleido, which is not installed on this server."
            ),
            str(error),
        )
    try:
        import weasyprint  # noqa: F401, PLC0415
    except (ImportError, OSError) as error:
        # OSError: the package is there but the Pango libraries it loads are not.
        return RendererMissing(
            N_(
                "PDF reports need WeasyPrint and the Pango libraries, which are not installed "
                "on this server."
            ),
            str(error),
        )
    if chromium_path() is None:
        return RendererMissing(
            N_(
                "PDF reports need Chromium to draw the charts, and none was found on this "
                "server (install the chromium package or set BROWSER_PATH)."
            )
        )
    return None


def _data_line(ds: Dataset, _, lang: str) -> str:
    if ds.is_bundled:
        where = _("the bundled data")
    elif ds.origin == "upload":
        where = _("uploaded files")
    elif ds.version[:1] == ("database",):
        where = ds.origin  # the database's URL without its password
    else:  # the folder's name only: a report never discloses where the server keeps it
        where = _("the configured data folder ({name})").format(name=Path(ds.origin).name)
    digest = hashlib.sha256(repr(ds.version).encode()).hexdigest()[:8]
    changed = [f.modified for f in ds.files if f.modified is not None]
    if changed:
        return _("{where}, version {version} of {date}").format(
            where=where, version=digest, date=i18n.format_date(max(changed).date(), lang)
        )
    return _("{where}, version {version}").format(where=where, version=digest)


def _illustrative(frame: pd.DataFrame) -> int:
    if "source" not in frame.columns:
        return 0
    return int((frame["source"] == contract.ILLUSTRATIVE).sum())


def _provenance(view: views.View) -> str:
    _ = view._
    counts = [
        (_illustrative(view.requests), len(view.requests)),
        (_illustrative(view.meetings), len(view.meetings)),
        (_illustrative(view.participation), len(view.participation)),
    ]
    if not any(n for n, _total in counts):
        return _("Every record in this report comes from a published source named in the data.")
    (r, rt), (m, mt), (p, pt) = ((view.number(n), view.number(t)) for n, t in counts)
    return _(
        "Of the records in this report, {requests} of {requests_total} requests, {meetings} of "
        "{meetings_total} meetings and {delegations} of {delegations_total} delegations are "
        "illustrative: made up to show what the dashboard does, not from a public source. "
        "The dashboard's Data page says which."
    ).format(
        requests=r,
        requests_total=rt,
        meetings=m,
        meetings_total=mt,
        delegations=p,
        delegations_total=pt,
    )


def as_of(view: views.View) -> str:
    """The 'as of' date in words: the filter's end date, else the latest date in the data."""
    _ = view._
    if view.filters.date_to is not None:
        return view.date(view.filters.date_to)
    ds = view.dataset
    dates = [
        ds.requests["received_on"].max() if len(ds.requests) else pd.NaT,
        ds.requests["completed_on"].max() if len(ds.requests) else pd.NaT,
        ds.meetings["end_date"].max() if len(ds.meetings) else pd.NaT,
    ]
    dates = [d for d in dates if pd.notna(d)]
    if not dates:
        return "–"
    return _("{date} (the latest date in the data)").format(date=view.date(max(dates).date()))


def assemble(
    ds: Dataset,
    filters: Filters,
    lang: str,
    pages: list[str],
    *,
    made_at: dt.datetime | None = None,
    view: views.View | None = None,
) -> Report:
    """Return the content of a report of `pages` (English page titles) for a filter."""
    view = view or views.View(ds, filters, lang)
    _ = view._
    made_at = made_at or dt.datetime.now(dt.UTC)
    programme = _("ACP-EU Migration Action")
    if len(pages) == 1:
        title = f"{programme}: {_(pages[0])}"
    else:
        title = f"{programme}: {_('All pages')}"
    made = (
        babel_dates.format_datetime(made_at, format="medium", tzinfo=dt.UTC, locale=view.lang)
        + " UTC"
    )
    report = Report(
        lang=view.lang,
        title=title,
        filter_line=views.filter_line(view),
        about=[
            (_("As of"), as_of(view)),
            (_("Data"), _data_line(ds, _, view.lang)),
            (_("Made"), made),
        ],
        provenance=_provenance(view),
    )
    for page in pages:
        build = views.PAGES.get(page)
        if build is None:
            section = views.Section(page, _(page))
            section.notes.append(views.Note(_("This page is not part of printed reports yet.")))
        else:
            section = build(view)
        report.sections.append(section)
    return report


# --- One HTML document for both formats -------------------------------------------------------

CSS = """
@page { size: A4 portrait; margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: string(report-title); font-size: 8pt; color: #444; }
  @bottom-right { content: "PAGE_LABEL " counter(page) " / " counter(pages); font-size: 8pt; }
}
html { font-family: "DejaVu Sans", "Source Sans Pro", Arial, sans-serif; color: #111;
  font-size: 10pt; line-height: 1.35; }
body { margin: 0 auto; max-width: 1000px; padding: 0 12px; }
h1 { font-size: 18pt; margin: 0 0 4pt; string-set: report-title content(); }
h2 { font-size: 14pt; margin: 14pt 0 6pt; border-bottom: 1.5pt solid #111; padding-bottom: 2pt;
  break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
.filter { font-size: 12pt; font-weight: bold; margin: 4pt 0; }
dl.about { display: grid; grid-template-columns: max-content auto; gap: 2pt 10pt; margin: 6pt 0; }
dl.about dt { font-weight: bold; } dl.about dd { margin: 0; }
.provenance { border-left: 3pt solid #111; padding: 3pt 8pt; margin: 8pt 0; }
.headlines { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6pt; margin: 6pt 0 8pt;
  align-items: start; }
.kpi { border: 1pt solid #111; padding: 4pt 8pt; break-inside: avoid; }
.kpi .label { display: block; font-size: 8.5pt; }
.kpi .value { display: block; font-size: 15pt; font-weight: bold; }
.kpi .help { display: block; font-size: 7pt; color: #333; }
figure { margin: 6pt 0; break-inside: avoid; page-break-inside: avoid; }
.chart { break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; max-height: 215mm; object-fit: contain; }
.plot { width: 100%; }
table { border-collapse: collapse; margin: 4pt 0 2pt; font-size: 8.5pt; width: 100%; }
th, td { border: 0.5pt solid #555; padding: 1.5pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; white-space: nowrap; }
thead { display: table-header-group; } tr { break-inside: avoid; }
table { break-inside: avoid; }  /* at most TABLE_ROWS rows: never split */
.more { font-size: 8.5pt; font-style: italic; margin: 0 0 6pt; }
.note { font-size: 9pt; }
nav.toc ol { padding-left: 16pt; }
nav.toc a { color: #111; text-decoration: none; }
section.page { break-before: page; }
section.page.first { break-before: auto; }
@media print { nav.toc a::after { content: leader(".") target-counter(attr(href), page); } }
"""


def _cell(value, lang: str) -> tuple[str, bool]:
    """Return a table cell as text in the language's format, and whether it is a number."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–", False
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value), False
        fmt = "#,##0" if number.is_integer() else "#,##0.#"
        return babel_numbers.format_decimal(number, format=fmt, locale=lang), True
    if isinstance(value, pd.Timestamp | dt.date):
        return i18n.format_date(pd.Timestamp(value).date(), lang), False
    return str(value), False


def _table(frame: pd.DataFrame, lang: str, _) -> str:
    shown = frame.head(TABLE_ROWS)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for record in shown.itertuples(index=False):
        cells = []
        for value in record:
            text, numeric = _cell(value, lang)
            cells.append(f"<td{' class=n' if numeric else ''}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    out = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    rest = len(frame) - len(shown)
    if rest > 0:
        n = i18n.ngettext(lang)
        more = n(
            "… and {count} more row (the dashboard shows all of them).",
            "… and {count} more rows (the dashboard shows all of them).",
            rest,
        ).format(count=i18n.format_number(rest, lang))
        out += f'<p class="more">{html.escape(more)}</p>'
    elif frame.empty:
        empty = _("No rows match the filter.")
        out = f'<p class="more">{html.escape(empty)}</p>'
    return out


def _untitled(fig: charts.Figure) -> go.Figure:
    """Return a copy of a figure without its title (the report prints it as a heading)."""
    copy = go.Figure(fig, skip_invalid=True, _validate=False)
    copy.layout.title = None
    copy.layout.margin.t = 24
    legend = copy.layout.showlegend is not False and len(copy.data) > 1
    if legend and copy.layout.legend.orientation == "h":
        # Below the axis title rather than over it, whatever the printed size: at the
        # bottom of the figure, in the bottom margin.
        copy.layout.legend.update(yref="container", yanchor="bottom", y=0)
        copy.layout.margin.b = max(copy.layout.margin.b or 0, LEGEND_MARGIN)
    return copy


def _slug(page: str) -> str:
    return "page-" + "".join(c if c.isalnum() else "-" for c in page.lower())


def render_html(report: Report, charts: list[str]) -> str:
    """Return the report as HTML; `charts` holds each chart's markup, in `report.charts` order."""
    _ = i18n.translator(report.lang)
    esc = html.escape
    out = [
        "<header>",
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="filter">{esc(report.filter_line)}</p>',
        '<dl class="about">',
        *(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in report.about),
        "</dl>",
        f'<p class="provenance">{esc(report.provenance)}</p>',
        "</header>",
    ]
    if len(report.sections) > 1:
        contents = _("Contents")
        out.append(f'<nav class="toc"><h2>{esc(contents)}</h2><ol>')
        for section in report.sections:
            out.append(f'<li><a href="#{_slug(section.page)}">{esc(section.title)}</a></li>')
        out.append("</ol></nav>")
    markup = iter(charts)
    for i, section in enumerate(report.sections):
        first = " first" if i == 0 and len(report.sections) == 1 else ""
        out.append(f'<section class="page{first}" id="{_slug(section.page)}">')
        out.append(f"<h2>{esc(section.title)}</h2>")
        if section.headlines:
            out.append('<div class="headlines">')
            for h in section.headlines:
                out.append(
                    f'<div class="kpi"><span class="label">{esc(h.label)}</span>'
                    f'<span class="value">{esc(h.value)}</span>'
                    + (f'<span class="help">{esc(h.note)}</span>' if h.note else "")
                    + (f'<span class="help">{esc(h.help)}</span>' if h.help else "")
                    + "</div>"
                )
            out.append("</div>")
        out += [f"<p>{esc(text)}</p>" for text in section.text]
        for chart in section.charts:
            # A chart, its title and its numbers stay on one page (when they fit on one).
            out.append(f'<div class="chart"><h3>{esc(chart.title)}</h3>')
            if chart.figure is not None:
                out.append(f"<figure>{next(markup)}</figure>")
            out.append(_table(chart.numbers, report.lang, _) + "</div>")
        out += [f'<p class="note">{esc(note.text)}</p>' for note in section.notes]
        out.append("</section>")
    return "\n".join(out)


def _document(report: Report, body: str, head: str = "") -> str:
    _ = i18n.translator(report.lang)
    css = CSS.replace("PAGE_LABEL", _("Page").replace('"', ""))
    return (
        f'<!DOCTYPE html>\n<html lang="{report.lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(report.title)}</title><style>{css}</style>{head}</head>"
        f"<body>{body}</body></html>"
    )


# --- HTML: interactive, self-contained --------------------------------------------------------


def _plotlyjs() -> str:
    from plotly.offline import get_plotlyjs  # noqa: PLC0415

    return get_plotlyjs()


def _geo_assets(figures: list[go.Figure]) -> str:
    """Return a script that hands plotly.js the world shapes the maps need (no fetch)."""
    names = set()
    for fig in figures:
        for key in fig.layout:
            if key.startswith("geo") and fig.layout[key] is not None:
                resolution = fig.layout[key].resolution or 110
                names.add(f"world_{int(resolution)}m")
    shapes = {}
    for name in sorted(names):
        path = STATIC_DIR / f"{name}.json"
        if path.is_file():
            shapes[name] = json.loads(path.read_text(encoding="utf-8"))
    if not shapes:
        return ""
    payload = json.dumps({"topojson": shapes}, separators=(",", ":")).replace("</", "<\\/")
    return f"<script>window.PlotlyGeoAssets = {payload};</script>"


def html_report(
    ds: Dataset,
    filters: Filters,
    lang: str,
    pages: list[str],
    *,
    made_at: dt.datetime | None = None,
    view: views.View | None = None,
    progress: Progress = _no_progress,
) -> bytes:
    """Return a self-contained HTML report: interactive charts, no request to any host."""
    progress(0.05, N_("Gathering the figures"))
    report = assemble(ds, filters, lang, pages, made_at=made_at, view=view)
    progress(0.5, N_("Drawing the charts"))
    figures = report.untitled_figures()
    markup, scripts = [], []
    config = json.dumps({"displaylogo": False, "responsive": True})
    for i, fig in enumerate(figures):
        div = f"chart-{i + 1}"
        height = int(fig.layout.height or 450)
        markup.append(f'<div class="plot" id="{div}" style="height:{height}px"></div>')
        spec = fig.to_json().replace("</", "<\\/")
        scripts.append(
            f"(function(){{var f={spec};Plotly.newPlot('{div}',f.data,f.layout,{config});}})();"
        )
    head = _geo_assets(figures) + f"<script>{_plotlyjs()}</script>"
    body = render_html(report, markup) + "<script>" + "\n".join(scripts) + "</script>"
    progress(1.0, N_("Ready"))
    return _document(report, body, head).encode("utf-8")


# --- PDF: static charts by kaleido, pages by WeasyPrint ---------------------------------------


class _Renderer:
    """kaleido with one Chromium kept open between reports, closed after IDLE_SECONDS unused.

    Starting Chromium and loading plotly.js into it takes most of a cold render (4-8 s on
    2 busy cores, against about 1 s for a page's charts once warm). One report renders at a
    time (a lock); a failed render closes the browser, so the next one starts afresh.
    """

    IDLE_SECONDS = 300

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None  # a kaleido.Kaleido while open (kaleido has no types)
        self._timer: threading.Timer | None = None
        atexit.register(self.close)

    def render(self, figures: list[tuple[go.Figure, bool]], browser: str) -> list[bytes]:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            try:
                if self._kaleido is None:
                    self._open(browser)
                return self._call(self._images(figures), timeout=RENDER_TIMEOUT * len(figures))
            except BaseException:
                self._close()
                raise
            finally:
                self._timer = threading.Timer(self.IDLE_SECONDS, self.close)
                self._timer.daemon = True
                self._timer.start()

    def _call(self, coroutine, timeout: float):
        assert self._loop is not None  # _open starts the loop before any call
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _open(self, browser: str) -> None:
        import kaleido  # noqa: PLC0415

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="report-renderer", daemon=True
        )
        self._thread.start()

        async def start():
            # mathjax=False: kaleido would otherwise load MathJax from a CDN.
            k = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=browser)
            await k.open()
            return k

        self._kaleido = self._call(start(), timeout=RENDER_TIMEOUT)

    async def _images(self, figures: list[tuple[go.Figure, bool]]) -> list[bytes]:
        topojson = STATIC_DIR.as_uri() + "/"
        out = []
        for fig, is_geo in figures:
            opts = dict(
                format="png" if is_geo else "svg",
                width=CHART_WIDTH,
                # Printed a little flatter than on screen: two charts with their numbers fit
                # on an A4 page more often, and nothing is lost (fonts keep their size).
                height=int((fig.layout.height or 450) * PRINT_HEIGHT),
                scale=GEO_SCALE if is_geo else 1,
            )
            out.append(await self._kaleido.calc_fig(fig, opts=opts, topojson=topojson))
        return out

    def _close(self) -> None:
        if self._kaleido is not None:
            with contextlib.suppress(Exception):
                self._call(self._kaleido.close(), timeout=30)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=30)
            with contextlib.suppress(Exception):
                self._loop.close()
        self._kaleido = self._loop = self._thread = None

    def close(self) -> None:
        """Close the browser now (it reopens on the next report)."""
        with self._lock:
            self._close()


RENDERER = _Renderer()


def chart_images(report: Report) -> list[tuple[str, bytes]]:
    """Return each chart of a report as (mime type, bytes): SVG, or PNG for a map."""
    problem = pdf_problem()
    if problem is not None:
        raise problem
    browser = chromium_path()
    assert browser is not None  # pdf_problem found it
    figures = list(zip(report.untitled_figures(), [c.geo for c in report.charts], strict=True))
    images = RENDERER.render(figures, browser)
    return [
        ("image/png" if is_geo else "image/svg+xml", data)
        for (_fig, is_geo), data in zip(figures, images, strict=True)
    ]


def pdf_report(
    ds: Dataset,
    filters: Filters,
    lang: str,
    pages: list[str],
    *,
    made_at: dt.datetime | None = None,
    view: views.View | None = None,
    progress: Progress = _no_progress,
) -> bytes:
    """Return the PDF report (A4 portrait); RendererMissing when this server cannot make one."""
    problem = pdf_problem()
    if problem is not None:
        raise problem
    import weasyprint  # noqa: PLC0415
    import weasyprint.urls  # noqa: PLC0415

    progress(0.05, N_("Gathering the figures"))
    report = assemble(ds, filters, lang, pages, made_at=made_at, view=view)
    progress(0.2, N_("Drawing the charts"))
    images = chart_images(report)
    progress(0.7, N_("Laying out the pages"))
    markup = []
    for (mime, data), chart in zip(images, report.charts, strict=True):
        encoded = base64.b64encode(data).decode("ascii")
        markup.append(f'<img src="data:{mime};base64,{encoded}" alt="{html.escape(chart.title)}">')
    document = _document(report, render_html(report, markup))
    # No base URL and a fetcher that refuses anything but data: URLs: the PDF never reaches out.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    pdf = weasyprint.HTML(string=document, url_fetcher=fetcher).write_pdf(pdf_tags=True)
    progress(1.0, N_("Ready"))
    return pdf


def file_name(pages: list[str], filters: Filters, extension: str) -> str:
    """Return e.g. 'acpeu-report_overview_caribbean_2017-03-21.pdf'."""
    scope = pages[0].lower() if len(pages) == 1 else "all-pages"
    as_of_part = f"_{filters.date_to.isoformat()}" if filters.date_to else ""
    return f"acpeu-report_{scope}_{filters.slug()}{as_of_part}.{extension}"
