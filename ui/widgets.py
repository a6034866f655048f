"""Widgets every page uses: a chart with its numbers one click away, tables, and downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from plotly.basedatatypes import BaseFigure

from acpeu_data import charts, export, tables, views
from acpeu_data.i18n import Translate
from ui import data as ui_data
from ui.screen import PageContext, filter_line

# Geo figures fetch world shapes from this path of the app (static/), never from a CDN: the
# 50m shapes with fewer points (tools/simplify_shapes.py), which halve a map's redrawing.
GEO_CONFIG = {"topojsonURL": "app/static/light/", "displaylogo": False}
CHART_CONFIG = {"displaylogo": False}
# Above this many rows Streamlit sends a table a page at a time as the reader scrolls, and
# sorts it on the server (lazy=True); below it the whole table goes at once.
LAZY_ROWS = 1_000
# What st.plotly_chart(theme="streamlit") adds to a figure in the browser with this app's theme
# (.streamlit/config.toml, light): Streamlit 1.67 merges it into the figure's template (over
# the figure's own template, under its layout) and sets the title in bold. The dashboard sends
# it in the layout itself, with theme=None (screen_figure): the same look, drawn once.
FAMILY = '"Source Sans", sans-serif, "Source Sans", sans-serif'  # Streamlit's, as it writes it
STREAMLIT_LOOK: dict = {
    "hoverlabel": {
        "bgcolor": "#FFFFFF",
        "bordercolor": "rgba(17, 17, 34, 0.2)",
        "font": {"color": "#808495", "family": FAMILY, "size": 12},
    },
    "font": {"color": "#808495", "family": FAMILY, "size": 12, "weight": 400},
    "title": {
        "font": {"family": FAMILY, "size": 16, "color": "#111122"},
        "pad": {"l": 4},
        "xanchor": "left",
        "x": 0,
    },
    "legend": {
        "title": {"font": {"size": 12, "color": "#808495"}, "side": "top"},
        "valign": "top",
        "bordercolor": "transparent",
        "borderwidth": 0,
        "font": {"size": 12, "color": "#262730"},
    },
    "paper_bgcolor": "#FFFFFF",
    "plot_bgcolor": "#FFFFFF",
    "margin": {"pad": 8, "r": 0, "l": 0},
}
# For a figure with axes only (an axis in the layout of a map would draw an empty one). Its
# colours of grid, zero line, ticks and minor grid are left out: in a template they only colour
# what is drawn anyway (the figures' own gridcolor wins, zero lines and ticks are off), while in
# the layout they would switch grid lines on.
STREAMLIT_AXES_LOOK: dict = {
    "xaxis": {
        "showgrid": False,
        "tickfont": {"color": "#808495", "size": 12},
        "title": {"font": {"color": "#808495", "size": 14}, "standoff": 20},
        "automargin": True,
    },
    "yaxis": {
        "ticklabelposition": "outside",
        "title": {"font": {"color": "#808495", "size": 14}, "standoff": 24},
        "tickfont": {"color": "#808495", "size": 12},
        "automargin": True,
    },
}
# The MIME type of each kind of file the dashboard hands over, by the file name's extension.
MIME_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "pdf": "application/pdf",
    "html": "text/html",
    "jsonl": "application/jsonl",
}


def column_config(columns: tables.Columns, _: Translate) -> dict:
    """Return Streamlit's column config for a table's declared columns (tables.Column)."""
    made = {}
    for name, column in columns.items():
        label, width = _(column.label), column.width
        help = _(column.help) if column.help else None
        if column.kind == "date":
            made[name] = st.column_config.DateColumn(
                label, format="YYYY-MM-DD", width=width, help=help
            )
        elif column.kind in ("number", "percent"):
            made[name] = st.column_config.NumberColumn(
                label,
                format="percent" if column.kind == "percent" else None,
                width=width,
                help=help,
            )
        elif column.kind == "link":
            made[name] = st.column_config.LinkColumn(
                label, display_text=tables.SOURCE_DISPLAY, width=width, help=help
            )
        else:
            made[name] = st.column_config.TextColumn(label, width=width, help=help)
    return made


def table(page: PageContext, frame: pd.DataFrame, columns: tables.Columns | None = None) -> None:
    """Show a table, its columns as declared (tables.Column: labels, kinds, widths); a large
    one loads as the reader scrolls, and says so."""
    config = column_config(columns, page._) if columns else None
    # Lazy only when large: a small lazy table took the browser longer to draw (bench/README.md).
    lazy = len(frame) > LAZY_ROWS
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, lazy=lazy)
    if lazy:
        st.caption(
            page._(
                "{rows} rows: more load as you scroll; sorting works on all of them. "
                "The downloads hold every row."
            ).format(rows=page.number(len(frame)))
        )


class Prebuilt(BaseFigure):
    """A figure (acpeu_data.charts.Figure) handed to st.plotly_chart as it is.

    Streamlit validates a figure given as a dict (it builds a graph_objects.Figure of it, 3-5 ms
    a figure on every rerun) and copies a graph_objects.Figure (to_dict, 1-3 ms); it sends
    either as `plotly.io.to_json(fig.to_dict(), validate=False)`. The figures here were checked
    against Plotly's validator once, in tests/test_charts.py, and are never changed: this
    hands Streamlit the dict itself, which it only serialises (tests/test_widgets.py holds
    it to what Streamlit sends for the same figure as a graph_objects.Figure).
    """

    def __init__(self, figure: charts.Figure):
        self._figure = figure

    def to_dict(self) -> charts.Figure:
        return self._figure


def chart(page: PageContext, item: views.Chart, *, key: str, on_select=None):
    """Show a chart's figure and, in an expander, the table of its numbers (made only while the
    expander is open); return the selection event."""
    assert item.figure is not None  # a table alone is shown by `show`
    # The first line only: a label that changes with the filter would close the expander.
    title = charts.first_line(charts.title_of(item.figure))
    options = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    event = st.plotly_chart(
        Prebuilt(screen_figure(item.figure, selectable=bool(on_select))),
        key=key,
        config=GEO_CONFIG if item.geo else CHART_CONFIG,
        width="stretch",
        theme=None,  # its look is in the figure (screen_figure)
        **options,
    )
    numbers_box = folded(
        page._("Numbers: {title}").format(title=title),
        key=f"{key}_numbers",
        icon=":material/table:",
    )
    if numbers_box.open:
        with numbers_box:
            table(page, item.numbers)
    return event


def screen_figure(fig: charts.Figure, *, selectable: bool = False) -> charts.Figure:
    """Return the figure as the browser should get it: drawn once, not twice.

    Streamlit hands a chart to plotly.js when it mounts and again at once (after re-applying
    its theme to a copy, and when it has measured the chart's width). plotly.js draws the
    second one from scratch when the layout holds a template (compared as an object, and a
    copy is a new one) or when its data may have changed (no datarevision, or numbers as
    typed arrays it has not seen); that second drawing was a third of the browser's work on a
    filter change (bench/README.md). So the figure goes with theme=None, its template and
    Streamlit's look (STREAMLIT_LOOK) written into the layout, the title in bold as Streamlit
    sets it, and its datarevision (charts: a digest of its data; numbers go as JSON lists,
    Prebuilt); for a chart one can select in, the click and drag modes Streamlit would set.
    A new figure of small dicts: the figure itself (kept per filter state) is not changed.
    """
    layout = dict(fig["layout"])
    template = layout.pop("template", {}).get("layout", {})
    axes = "xaxis" in layout or "yaxis" in layout
    look = _merged(template, {**STREAMLIT_LOOK, **(STREAMLIT_AXES_LOOK if axes else {})})
    if not axes:
        look = {k: v for k, v in look.items() if k not in ("xaxis", "yaxis")}
    layout = _merged(look, layout)
    if layout.get("title", {}).get("text"):
        layout["title"] = {**layout["title"], "text": f"<b>{layout['title']['text']}</b>"}
    if selectable:
        layout.update(clickmode="event+select", dragmode="pan")
    return {**fig, "layout": layout}


def _merged(base: dict, over: dict) -> dict:
    """Return `base` with `over` merged into it, nested dicts key by key (`over` wins)."""
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        out[key] = (
            _merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
        )
    return out


def folded(label: str, *, key: str, icon: str):
    """Return an expander whose contents the caller draws only while it is open (`.open`).

    Opening it reruns the page, which then draws the contents; while it is closed the browser
    has nothing to lay out for it on each filter change (bench/README.md).
    """
    return st.expander(label, icon=icon, key=key, on_change="rerun")


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


def headlines(items: list[views.Headline], *, per_row: int | None = None) -> None:
    """Show headline figures side by side, `per_row` to a row (all in one row by default)."""
    per_row = per_row or len(items)
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        # The last row keeps the others' column widths: fewer figures, empty columns after.
        for column, item in zip(st.columns(per_row), row, strict=False):
            headline(item, column)


def headline(item: views.Headline, where=st) -> None:
    """Show one headline figure; under it, in grey and without an arrow, what of it is
    illustrative or unknown (its note), and what it means on hover (its help)."""
    where.metric(
        item.label,
        item.value,
        delta=item.note or None,
        delta_color="off",
        delta_arrow="off",
        help=item.help or None,
    )


def show(page: PageContext, item: views.Chart, *, key: str | None = None, on_select=None):
    """Show one chart of a page's section (acpeu_data.views) with its numbers; a table alone."""
    if item.figure is None:
        table(page, item.numbers)
        return None
    return chart(page, item, key=key or item.key, on_select=on_select)
