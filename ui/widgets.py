"""Widgets every page uses: a chart with its numbers one click away, and table downloads."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from acpeu_data import export
from ui.page import Page, filter_line

# Geo figures fetch world shapes from this path of the app (static/), never from a CDN.
GEO_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}
CHART_CONFIG = {"displaylogo": False}


def chart(
    page: Page,
    fig: go.Figure,
    numbers: pd.DataFrame,
    *,
    key: str,
    geo: bool = False,
    on_select=None,
):
    """Show a figure and, in an expander, the table of its numbers; return the selection event."""
    title = fig.layout.title.text or ""
    options = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    event = st.plotly_chart(
        fig,
        key=key,
        config=GEO_CONFIG if geo else CHART_CONFIG,
        width="stretch",
        **options,
    )
    with st.expander(page._("Numbers: {title}").format(title=title), icon=":material/table:"):
        st.dataframe(numbers, hide_index=True, width="stretch")
    return event


def downloads(page: Page, table: str, frame: pd.DataFrame, *, key: str) -> None:
    """Offer the filtered table as CSV and Excel; the files are built only on click."""
    _ = page._
    slug = page.filters.slug()
    as_of = page.filters.date_to
    about = [
        (_("Table"), table),
        (_("Filter"), filter_line(page)),
        (_("Filter as link parameters"), urlencode(page.filters.to_query(), doseq=True)),
        (_("Data source"), page.dataset.origin),
        (_("Rows"), str(len(frame))),
    ]
    left, right, _rest = st.columns([1, 1, 4])
    with left:
        st.download_button(
            _("Download CSV"),
            data=lambda: export.table_to_csv(frame, table),
            file_name=export.export_filename(table, slug, as_of, "csv"),
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key=f"{key}_csv",
        )
    with right:
        st.download_button(
            _("Download Excel"),
            data=lambda: export.tables_to_xlsx({table: frame}, about=about),
            file_name=export.export_filename(table, slug, as_of, "xlsx"),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            icon=":material/download:",
            key=f"{key}_xlsx",
        )
