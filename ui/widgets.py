"""Widgets every page uses: a chart with its numbers one click away, tables, and downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from acpeu_data import charts, export, tables, views
from ui import data as ui_data
from ui.screen import PageContext, filter_line

# Geo figures fetch world shapes from this path of the app (static/), never from a CDN.
GEO_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}
CHART_CONFIG = {"displaylogo": False}
# Above this many rows Streamlit sends a table a page at a time as the reader scrolls, and
# sorts it on the server (lazy=True); below it the whole table goes at once.
LAZY_ROWS = 1_000
# The MIME type of each kind of file the dashboard hands over, by the file name's extension.
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "pdf": "application/pdf",
    "html": "text/html",
    "jsonl": "application/jsonl",
}


def request_columns(page: PageContext, *, wide: bool = True) -> dict:
    """Column config of a table of requests (tables.requests_for_display): one declaration for
    the Requests page and the country profile; `wide` gives the title and note more room."""
    _ = page._
    text, date = st.column_config.TextColumn, st.column_config.DateColumn
    return {
        "request_id": text(_("Request")),
        "received_on": date(_("Received"), format="YYYY-MM-DD"),
        "requester": text(_("Requester")),
        "requester_type": text(_("Requester type")),
        "region": text(_("Region")),
        "countries": text(_("Countries")),
        "topics": text(_("Topics")),
        "typology": text(_("Typology")),
        "status": text(_("Status")),
        "completed_on": date(_("Completed"), format="YYYY-MM-DD"),
        "title": text(_("Title"), width="large" if wide else "medium"),
        "source": source_column(page),
        "illustrative_fields": text(
            _("Illustrative fields"),
            help=_("Columns of a sourced request that are still illustrative or estimated."),
        ),
        "note": text(_("Note"), width="large" if wide else None),
    }


def source_column(page: PageContext, label: str | None = None):
    """Return the column config of a Source column: a link for a URL, the text otherwise."""
    return st.column_config.LinkColumn(
        label or page._("Source"),
        display_text=tables.SOURCE_DISPLAY,
        help=page._("Where the record comes from: a public web page, or Illustrative (made up)."),
    )


def table(page: PageContext, frame: pd.DataFrame, column_config: dict | None = None) -> None:
    """Show a table; a large one loads as the reader scrolls, and says so."""
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config, lazy=True)
    if len(frame) > LAZY_ROWS:
        st.caption(
            page._(
                "{rows} rows: more load as you scroll; sorting works on all of them. "
                "The downloads hold every row."
            ).format(rows=page.number(len(frame)))
        )


def chart(
    page: PageContext,
    fig: go.Figure,
    numbers: pd.DataFrame,
    *,
    key: str,
    geo: bool = False,
    on_select=None,
):
    """Show a figure and, in an expander, the table of its numbers; return the selection event."""
    title = charts.plain_title(fig.layout.title.text or "")
    options = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    event = st.plotly_chart(
        fig,
        key=key,
        config=GEO_CONFIG if geo else CHART_CONFIG,
        width="stretch",
        **options,
    )
    with st.expander(page._("Numbers: {title}").format(title=title), icon=":material/table:"):
        table(page, numbers)
    return event


def downloads(
    page: PageContext,
    table: str,
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    key: str,
    rows: int | None = None,
) -> None:
    """Offer the filtered table as CSV and Excel; the files are built only on click.

    `frame` may be a function giving the table (then only called on click; `rows` says how
    many rows it has).
    """
    _ = page._
    rows_of = frame if callable(frame) else (lambda: frame)
    slug = page.filters.slug()
    as_of = page.filters.date_to
    about = [
        (_("Table"), table),
        (_("Filter"), filter_line(page)),
        (_("Filter as link parameters"), urlencode(page.filters.to_query(), doseq=True)),
        (_("Data source"), ui_data.source_label(page.dataset, _)),
        (_("Rows"), str(rows if rows is not None else len(rows_of()))),
    ]
    left, right, tags, _rest = st.columns([1, 1, 1.4, 2.6], vertical_alignment="center")
    with tags:
        hxl = st.checkbox(
            _("Add HXL hashtags"),
            key=f"{key}_hxl",
            help=_(
                "A second row of Humanitarian Exchange Language tags (#country+code, ...) "
                "under the column names, for tools that read HXL."
            ),
        )
    with left:
        download(
            _("Download CSV"),
            lambda: export.table_to_csv(rows_of(), table, hxl=hxl),
            export.export_filename(table, slug, as_of, "csv"),
            key=f"{key}_csv",
        )
    with right:
        download(
            _("Download Excel"),
            lambda: export.tables_to_xlsx({table: rows_of()}, about=about, hxl=hxl),
            export.export_filename(table, slug, as_of, "xlsx"),
            key=f"{key}_xlsx",
        )


def download(label: str, data: bytes | Callable[[], bytes], file_name: str, *, key: str) -> None:
    """Offer a file: its MIME type follows its extension (MIME_TYPES); `data` may be a function,
    then called only when the reader clicks."""
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=MIME_TYPES[PurePath(file_name).suffix.removeprefix(".")],
        on_click="ignore",
        icon=":material/download:",
        key=key,
    )


def show(page: PageContext, item: views.Chart, *, key: str | None = None, on_select=None):
    """Show one chart of a page's section (acpeu_data.views) with its numbers; a table alone."""
    if item.figure is None:
        table(page, item.numbers)
        return None
    return chart(
        page, item.figure, item.numbers, key=key or item.key, geo=item.geo, on_select=on_select
    )
