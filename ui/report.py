"""The Report control, in the same place on every page: this page or all pages, PDF or HTML.

A report is built only when asked for (a button), with its progress shown, and kept in the
session until the filter, the language or the data change; the download button then hands
over the bytes already made. Building is acpeu_data/report.py's; this module only asks.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import streamlit as st

from acpeu_data import report
from acpeu_data.validate import N_
from ui import navigation
from ui.screen import PageContext
from ui.widgets import download, folded

REPORT_KEY = "report"
# Pages that show the data's files rather than figures have no part in a report.
NOT_REPORTED = {"Data"}
FORMATS = {
    "pdf": N_("PDF: A4 pages to print or attach"),
    "html": N_("HTML: one file with interactive charts, opens offline"),
}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Made:
    key: tuple
    data: bytes
    file_name: str


def reported_pages() -> list[str]:
    """Return the dashboard's pages a report covers, in the sidebar's order (later pages too)."""
    return [entry.title for entry in navigation.PAGES if entry.title not in NOT_REPORTED]


def control(page: PageContext) -> None:
    """Draw the Report control: what to put in the report, a button to make it, the download."""
    _ = page._
    box = folded(
        _("Report: PDF or HTML to send"), key="report_control", icon=":material/description:"
    )
    if not box.open:
        return
    with box:
        everything = reported_pages()
        scopes = {"all": _("All pages")}
        if page.title in everything:
            scopes = {"page": _("This page ({page})").format(page=_(page.title)), **scopes}
        left, right = st.columns(2)
        with left:
            scope = st.radio(_("Pages"), list(scopes), format_func=scopes.get, key="report_scope")
        with right:
            fmt = st.radio(
                _("Format"),
                list(FORMATS),
                format_func=lambda f: _(FORMATS[f]),
                key="report_format",
            )
        problem = report.pdf_problem() if fmt == "pdf" else None
        if problem is not None:
            st.error(
                _("{problem} Choose HTML: it needs none of this.").format(problem=_(str(problem))),
                icon=":material/error:",
            )
            return
        pages = [page.title] if scope == "page" else everything
        key = (page.dataset.origin, page.dataset.version, page.filters, page.lang, *pages, fmt)
        made = st.session_state.get(REPORT_KEY)
        if made is not None and made.key != key:
            made = None
        if made is None and st.button(
            _("Make the report"), icon=":material/build:", key="report_make"
        ):
            made = _make(page, pages, fmt, key)
        if made is not None:
            download(
                _("Download the report ({size})").format(size=_size(made.data, page)),
                made.data,
                made.file_name,
                key="report_download",
            )
        st.caption(
            _(
                "The report holds this filter's headline figures, every chart of the "
                "pages with its numbers, and where the data comes from."
            )
        )


def _size(data: bytes, page: PageContext) -> str:
    kilobytes = len(data) / 1024
    if kilobytes < 1024:
        return f"{page.number(max(1, round(kilobytes)))} KB"
    return f"{page.number(round(kilobytes / 1024))} MB"


def _make(page: PageContext, pages: list[str], fmt: str, key: tuple) -> Made | None:
    _ = page._
    view = page.view()
    bar = st.progress(0.0, text=_("Making the report…"))

    def progress(share: float, text: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=_(text))

    build = report.pdf_report if fmt == "pdf" else report.html_report
    try:
        data = build(
            page.dataset,
            page.filters,
            page.lang,
            pages,
            made_at=dt.datetime.now(dt.UTC),
            view=view,
            progress=progress,
        )
    except report.RendererMissing as problem:
        bar.empty()
        st.error(_(str(problem)), icon=":material/error:")
        return None
    except Exception as error:  # noqa: BLE001 the reader gets a message, the log the traceback
        log.exception("report failed")
        bar.empty()
        st.error(
            _(
                "The report could not be made ({error}). The HTML format needs no browser "
                "on the server; try it, or try again in a minute."
            ).format(error=type(error).__name__),
            icon=":material/error:",
        )
        return None
    bar.empty()
    made = Made(key, data, report.file_name(pages, page.filters, fmt))
    st.session_state[REPORT_KEY] = made
    return made
