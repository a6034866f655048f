"""Plotly figure builders: tidy frames from the figure modules (request_figures, meeting_figures) in, figures out.

A figure is the JSON plotly.js reads, as plain dicts (`Figure`: {"data": [...], "layout": {...}}),
never a graph_objects.Figure: these run once per filter state, and Plotly's object graph cost 1-3
ms a figure to build and as much again to copy on every rerun (Figure.to_dict), where a dict
costs nothing (plotly.express costs ten times more again). tests/test_charts.py checks every
builder's output against Plotly's validator instead; ui.widgets hands a figure to Streamlit
unvalidated, and the reports make a graph_objects.Figure of it where they change it. Every figure carries a title
that says what it shows; colour is never the only carrier of meaning (values are printed on
bars, lines differ in dash and marker).
"""

from __future__ import annotations

import hashlib
import html
import json
from typing import Any

import numpy as np
import pandas as pd

from acpeu_data import contract, i18n
from acpeu_data.i18n import Translate
from acpeu_data.request_figures import TOTAL

# A figure as plotly.js reads it: {"data": [trace dicts], "layout": {...}}; numbers as numpy
# arrays, text as lists. Built once per filter state and never changed after (a memo shares it
# between sessions): whoever changes one works on a copy (acpeu_data/report.py).
Figure = dict[str, Any]

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1f2937")
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]
MARKERS_PER_LINE = 12
SEQUENTIAL = [[0.0, "#f1f5f9"], [0.001, "#c6dbef"], [0.5, "#4292c6"], [1.0, "#08306b"]]
ACP_FRAME = "#334155"
GRID = "#e5e7eb"
VENUE_MAX_PX = 44
MAX_VENUE_LABELS = 15
# A small template of our own instead of Plotly's default one, which adds about 8 KB of JSON
# to every figure sent to the browser (and to every copy Streamlit makes of it).
TEMPLATE = {
    "layout": {
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "xaxis": {"automargin": True, "zeroline": False, "ticks": ""},
        "yaxis": {"automargin": True, "zeroline": False, "ticks": ""},
    }
}


def plain(values):
    """Return data text with <, > and & escaped: Plotly reads them as markup (bold, links)."""
    if isinstance(values, pd.DataFrame):
        return values.apply(plain)
    if isinstance(values, pd.Series):
        return values.map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
    return html.escape(values, quote=False) if isinstance(values, str) else values


def plain_list(values) -> list:
    """Return text values as a list, each escaped as `plain` does (cheaper for a few values)."""
    return [html.escape(v, quote=False) if isinstance(v, str) else v for v in values]


def _values(series: pd.Series) -> np.ndarray | list:
    """Return a column as the figure should hold it: cheap to copy and small as JSON.

    Streamlit deep-copies every figure on every rerun (Figure.to_dict): a numpy array copies
    in one step and Plotly sends numbers as base64; dates go as ISO text and text as a list,
    never as Python objects one by one (a list of Timestamps copies slowly).
    """
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series):
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            return i18n.iso_dates(series).tolist()
        return series.tolist()
    return series.to_numpy(dtype="float64" if series.hasnans else None)


def _axis(title: str, **extra) -> dict:
    return dict(title=dict(text=title), gridcolor=GRID, **extra)


def _figure(traces: list[dict], title: str, **layout) -> Figure:
    """Return a figure of trace dicts with the house layout; keyword arguments add to it."""
    base: dict[str, Any] = dict(
        template=TEMPLATE,
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17)),
        font=FONT,
        margin=dict(l=8, r=8, t=56, b=8),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=-0.3, x=0),
    )
    if SUBTITLE in title:  # a second line (what is illustrative) needs room above the plot
        base["margin"] = {**base["margin"], "t": 84}
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(base.get(key), dict) else value
    # What the data is, for plotly.js to tell a figure it has drawn from a new one
    # (ui.widgets.screen_figure explains why it matters).
    base["datarevision"] = _digest(traces)
    return {"data": traces, "layout": base}


def _digest(traces: list[dict]) -> str:
    """Return a short digest of the traces (their JSON): equal traces, equal digests."""
    text = json.dumps(traces, default=_jsonable, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _jsonable(value: Any) -> Any:
    # numpy arrays and numbers, as plotly.io.to_json writes them (NaN included).
    return value.tolist() if isinstance(value, np.ndarray | np.generic) else str(value)


def title_of(fig: Figure) -> str:
    """Return a figure's title (with its second line, if any)."""
    return fig["layout"].get("title", {}).get("text") or ""


SUBTITLE = "<br><span style='font-size:13px;font-weight:normal'>"


def with_note(title: str, note: str | None) -> str:
    """Return a figure title with a second line in smaller type (e.g. what is illustrative)."""
    return f"{title}{SUBTITLE}{note}</span>" if note else title


def plain_title(title: str) -> str:
    """Return a title with a second line (Title + SUBTITLE + note + </span>) as 'Title (note)'."""
    if SUBTITLE not in title:
        return title
    head, note = title.split(SUBTITLE, 1)
    return f"{head} ({note.removesuffix('</span>')})"


def first_line(title: str) -> str:
    """Return a title without its second line (the note on illustrative records)."""
    return title.split(SUBTITLE, 1)[0]


def region_colours(regions: list[str]) -> dict[str, str]:
    """Return a fixed colour per region, in the order the regions are listed."""
    palette = contract.REGION_COLOURS
    acp = [r for r in regions if r != contract.NON_ACP]
    colours = {region: palette[i % len(palette)] for i, region in enumerate(acp)}
    colours[contract.NON_ACP] = contract.NON_ACP_COLOUR
    return colours


def bar(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    title: str,
    colours: list[str] | str,
    value_title: str,
) -> Figure:
    """Return a horizontal bar chart with the values printed on the bars."""
    return bars(
        frame[label].tolist(),
        frame[value].to_numpy(),
        title=title,
        colours=colours,
        value_title=value_title,
    )


def bars(
    labels: list,
    values: np.ndarray,
    *,
    title: str,
    colours: list[str] | str,
    value_title: str,
) -> Figure:
    """Return a horizontal bar chart of values per label, the values printed on the bars."""
    trace = dict(
        type="bar",
        # Numbers as _values holds them: a numpy array (float64 where some are missing).
        x=values.astype("float64") if values.dtype.kind == "f" else values,
        y=plain_list(labels),
        orientation="h",
        marker=dict(
            color=colours if isinstance(colours, str) else list(colours),
            line=dict(color="#1f2937", width=0.5),
        ),
        text=[str(v) for v in values.tolist()],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    return _figure(
        [trace],
        title,
        height=120 + 34 * max(len(labels), 1),
        xaxis=_axis(value_title, rangemode="tozero"),
        yaxis=dict(autorange="reversed", automargin=True),
        showlegend=False,
    )


def cumulative_by_topic(over_time: pd.DataFrame, _: Translate, note: str | None = None) -> Figure:
    """Return cumulative requests received per topic over time (one line per topic, plus all);
    `note`, a second line under the title."""
    hover = "%{x|%Y-%m}: %{y}<extra>%{fullData.name}</extra>"
    # Columns taken out once and cut per topic by position: six masks over the frame and six
    # date formattings would cost more than the figure itself.
    months = np.asarray(_values(over_time["month"]), dtype=object)
    cumulative = over_time["cumulative"].to_numpy()
    topic_of_row = over_time["topic"].to_numpy(dtype=object)
    rows_of = {
        topic: np.flatnonzero(topic_of_row == topic) for topic in dict.fromkeys(topic_of_row)
    }

    def line(key: str, name: str, **style) -> dict:
        rows = rows_of[key]
        x, y = months[rows].tolist(), cumulative[rows]
        return dict(type="scatter", x=x, y=y, name=name, hovertemplate=hover, **style)

    topics = [t for t in contract.TOPICS if t in rows_of]
    traces = [
        line(
            topic,
            _(contract.TOPICS[topic]),
            mode="lines+markers",
            line=dict(color=contract.TOPIC_COLOURS[topic], dash=DASHES[i % 6], width=2),
            # A symbol every few months tells the lines apart without colour; one on every
            # point would be hundreds of SVG nodes for the browser to redraw on each change.
            marker=dict(symbol=SYMBOLS[i % 6], size=5, maxdisplayed=MARKERS_PER_LINE),
        )
        for i, topic in enumerate(topics)
    ]
    if TOTAL in rows_of:
        traces.append(
            line(TOTAL, _("All requests"), mode="lines", line=dict(color="#1f2937", width=3))
        )
    return _figure(
        traces,
        with_note(_("Requests received over time, cumulative, by topic"), note),
        height=420,
        xaxis=_axis(_("Month received")),
        yaxis=_axis(_("Requests (cumulative)"), rangemode="tozero"),
        hovermode="x unified",
    )


def _geo(lataxis_range: tuple[float, float] = (-50, 62), *, fit: bool = False) -> dict:
    """Return the house map settings: the world, or (fit) zoomed to the locations shown."""
    if fit:
        # plotly.js centres a fitted map itself (across the 180th meridian too); a rotation
        # or latitude range of ours would keep it at world scale.
        view = dict(projection=dict(type="natural earth"), fitbounds="locations")
    else:
        view = dict(
            projection=dict(
                type="natural earth",
                # Centred east of Africa so that the Pacific states on both sides of the 180th
                # meridian sit together on the right and the Caribbean on the left.
                rotation=dict(lon=60),
            ),
            lataxis=dict(range=list(lataxis_range)),
        )
    return dict(
        **view,
        resolution=50,
        showcountries=True,
        countrycolor="#cbd5e1",
        showland=True,
        landcolor="#f8fafc",
        showocean=True,
        oceancolor="#eef6fb",
        showframe=False,
    )


def requests_map(
    by_country: pd.DataFrame, _: Translate, fit: bool = False, note: str | None = None
) -> Figure:
    """Return the world map of requests per ACP country, with regional-organisation requests apart.

    Country shapes show direct requests (the country requested, or was named as beneficiary);
    open diamonds show requests of regional organisations counted for their member states.
    `note`: a second line under the title.
    """
    # customdata starts with the ISO3 code on every trace: a click on a marker reports no
    # `location`, so the click-to-filter reads the code from there.
    hover = "%{customdata[1]}<br>" + _("Direct requests") + ": %{z}<extra></extra>"
    traces = [
        dict(
            type="choropleth",
            locations=_values(by_country["iso3"]),
            locationmode="ISO-3",
            z=_values(by_country["direct"]),
            customdata=[
                list(pair)
                for pair in zip(
                    plain_list(by_country["iso3"]), plain_list(by_country["name"]), strict=True
                )
            ],
            colorscale=SEQUENTIAL,
            zmin=0,
            marker=dict(line=dict(color=ACP_FRAME, width=0.8)),
            colorbar=dict(title=dict(text=_("Requests")), thickness=12, len=0.6),
            hovertemplate=hover,
            name=_("Direct requests"),
        )
    ]
    counts = by_country["via_regional_organisation"].to_numpy()
    via = np.flatnonzero(counts > 0)
    if len(via):
        iso3 = by_country["iso3"].to_numpy(dtype=object)[via]
        names = by_country["name"].to_numpy(dtype=object)[via]
        traces.append(
            dict(
                type="scattergeo",
                locations=iso3.tolist(),
                locationmode="ISO-3",
                mode="markers",
                marker=dict(
                    symbol="diamond-open",
                    size=8 + 3 * np.minimum(counts[via], 6),
                    color="#b45309",
                    line=dict(width=2),
                ),
                customdata=[
                    list(row)
                    for row in zip(
                        plain_list(iso3), plain_list(names), counts[via].tolist(), strict=True
                    )
                ],
                hovertemplate="%{customdata[1]}<br>"
                + _("Requests of its regional organisations")
                + ": %{customdata[2]}<extra></extra>",
                name=_("Requests of a regional organisation (member states)"),
            )
        )
    # Zoomed to the countries shown (e.g. one region), whose small islands vanish at world scale.
    geo = _geo(fit=fit)
    return _figure(
        traces,
        with_note(_("Requests per ACP country"), note),
        height=560,
        geo=geo,
        showlegend=True,
        legend=dict(y=-0.02),
    )


def meetings_map(
    venues: pd.DataFrame, links: pd.DataFrame, _: Translate, title: str | None = None
) -> Figure:
    """Return the map of meeting venues (size = participants) with lines from delegations."""
    traces = []
    if len(links):
        # One trace for all lines: None breaks the line between two delegations.
        gap = np.full(len(links), None)
        traces.append(
            dict(
                type="scattergeo",
                lat=np.column_stack([links["from_lat"], links["to_lat"], gap]).ravel().tolist(),
                lon=np.column_stack([links["from_lon"], links["to_lon"], gap]).ravel().tolist(),
                mode="lines",
                line=dict(width=1, color="rgba(71, 85, 105, 0.35)"),
                hoverinfo="skip",
                name=_("Delegations travelling to a meeting"),
            )
        )
    size = venues["participants"].fillna(0)
    # A venue of one meeting is named by its title; one of several by its city.
    titles = venues["title"].to_numpy(dtype=object)
    city = venues["city"].to_numpy(dtype=object)
    names = np.where(titles != "", titles, city)
    # Only the largest venues carry their city's name on the map (venues come largest first);
    # the others have it on hover, so that names never pile up.
    cities = plain_list(city[:MAX_VENUE_LABELS]) + [""] * max(len(city) - MAX_VENUE_LABELS, 0)
    traces.append(
        dict(
            type="scattergeo",
            lat=_values(venues["lat"]),
            lon=_values(venues["lon"]),
            mode="markers+text",
            text=cities,
            textposition="top center",
            marker=dict(
                # Area proportional to participants, the largest venue VENUE_MAX_PX across,
                # whatever the scale of the data.
                size=_values(size),
                sizemode="area",
                sizeref=2 * max(float(size.max()), 1.0) / VENUE_MAX_PX**2,
                sizemin=6,
                color="#0072B2",
                opacity=0.85,
                line=dict(color="white", width=1),
            ),
            customdata=np.column_stack(
                [np.array(plain_list(names), dtype=object), venues["meetings"], size]
            ).tolist(),
            hovertemplate="%{customdata[0]}<br>"
            + _("Meetings")
            + ": %{customdata[1]}<br>"
            + _("Participants")
            + ": %{customdata[2]}<extra></extra>",
            name=_("Meeting venue (size: participants)"),
        )
    )
    return _figure(
        traces,
        title or _("Meeting venues and where delegations came from"),
        height=560,
        geo=_geo((-50, 70)),
        legend=dict(y=-0.02),
    )


def stacked_bar(
    frame: pd.DataFrame,
    *,
    category: str,
    series: str,
    value: str,
    title: str,
    colours: dict[str, str],
    value_title: str,
    translate: Translate | None = None,
) -> Figure:
    """Return a horizontal stacked bar (one bar per category, one colour and pattern per series).

    `translate` names each series (its colour is the name's); by default the value itself.
    """
    shapes = ["", "/", ".", "x", "-", "|", "+", "\\"]
    traces = []
    # The columns taken out once and cut per series by position, not a mask of the frame each.
    of_row = frame[series].to_numpy(dtype=object)
    categories = frame[category].to_numpy(dtype=object)
    numbers = frame[value]
    values = numbers.to_numpy(dtype="float64" if numbers.hasnans else None)
    for i, code in enumerate(dict.fromkeys(of_row)):
        rows = np.flatnonzero(of_row == code)
        name = translate(code) if translate is not None else code
        traces.append(
            dict(
                type="bar",
                x=values[rows],
                y=plain_list(categories[rows]),
                name=plain(str(name)),
                orientation="h",
                marker=dict(
                    color=colours.get(name, "#999999"),
                    pattern=dict(shape=shapes[i % len(shapes)], fgcolor="#1f2937", solidity=0.2),
                    line=dict(color="white", width=0.5),
                ),
                hovertemplate="%{y}<br>%{fullData.name}: %{x}<extra></extra>",
            )
        )
    return _figure(
        traces,
        title,
        barmode="stack",
        height=160 + 40 * max(frame[category].nunique(), 1),
        xaxis=_axis(value_title),
        yaxis=dict(autorange="reversed", automargin=True),
    )


def histogram(bins: pd.DataFrame, *, title: str, value_title: str, count_title: str) -> Figure:
    """Return counts per range of values (request_figures.completion_bins) as touching bars."""
    start, end = bins["from_days"].to_numpy(), bins["to_days"].to_numpy()
    width = end - start + 1
    trace = dict(
        type="bar",
        x=start + width / 2,
        y=_values(bins["requests"]),
        width=width,
        customdata=np.column_stack([start, end]).tolist(),
        marker=dict(color="#0072B2", line=dict(color="white", width=1)),
        hovertemplate="%{customdata[0]}–%{customdata[1]}: %{y}<extra></extra>",
    )
    return _figure(
        [trace],
        title,
        height=360,
        xaxis=_axis(value_title),
        yaxis=_axis(count_title),
        showlegend=False,
        bargap=0,
    )


PATTERNS = ["", "/", ".", "x", "-", "|", "+", "\\"]


def stages_over_time(months: pd.DataFrame, _: Translate, *, title: str, value_title: str):
    """Return requests per stage at each month's end (history.stages_by_month) as stacked areas.

    Each status has its colour and a fill pattern, and is named in the legend and on hover.
    """
    traces = []
    status_of_row = months["status"].to_numpy(dtype=object)
    shown = i18n.iso_dates(months["month"])
    requests = months["requests"].to_numpy()
    for i, code in enumerate(contract.STATUSES):
        rows = np.flatnonzero(status_of_row == code)
        if not len(rows):
            continue
        traces.append(
            dict(
                type="scatter",
                mode="lines",
                stackgroup="stages",
                x=shown[rows].tolist(),
                y=requests[rows],
                name=_(contract.STATUSES[code]),
                line=dict(color=contract.STATUS_COLOURS[code], width=1),
                fillcolor=contract.STATUS_COLOURS[code],
                # A light texture over the colour: each stage differs in more than hue.
                fillpattern=dict(
                    shape=PATTERNS[i % len(PATTERNS)],
                    bgcolor=contract.STATUS_COLOURS[code],
                    fgcolor="white",
                    fgopacity=0.6,
                    solidity=0.25,
                ),
                hovertemplate="%{x|%Y-%m}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    return _figure(
        traces,
        title,
        height=420,
        xaxis=_axis("", type="date"),
        yaxis=_axis(value_title, rangemode="tozero"),
        hovermode="x unified",
        legend=dict(traceorder="normal"),
    )


def stage_days(times: pd.DataFrame, _: Translate, *, title: str, value_title: str) -> Figure:
    """Return the median days per stage (history.time_in_stage) as bars, the middle half of
    the stays (first to third quartile) as a whisker, the median printed on each bar."""
    # The columns of the stages with ended stays, as arrays (no selection of the frame).
    kept = np.flatnonzero(times["stays"].to_numpy() > 0)
    codes = times["status"].to_numpy(dtype=object)[kept].tolist()
    labels = [_(contract.STATUSES[code]) for code in codes]
    median = times["median"].to_numpy(dtype="float64")[kept]
    q1 = times["q1"].to_numpy(dtype="float64")[kept]
    q3 = times["q3"].to_numpy(dtype="float64")[kept]
    stays = times["stays"].to_numpy(dtype="float64")[kept]
    trace = dict(
        type="bar",
        x=median,
        y=[plain(label) for label in labels],
        orientation="h",
        marker=dict(
            color=[contract.STATUS_COLOURS[code] for code in codes],
            line=dict(color="#1f2937", width=0.5),
        ),
        error_x=dict(
            type="data",
            symmetric=False,
            array=q3 - median,
            arrayminus=median - q1,
            color="#1f2937",
            thickness=1.5,
            width=6,
        ),
        text=[f"{m:g}" for m in median],
        textposition="inside",
        insidetextanchor="start",
        customdata=np.column_stack([q1, q3, stays]).tolist(),
        hovertemplate="%{y}: %{x} (%{customdata[0]}–%{customdata[1]}; n=%{customdata[2]})"
        "<extra></extra>",
    )
    return _figure(
        [trace],
        title,
        height=120 + 44 * max(len(kept), 1),
        xaxis=_axis(value_title, rangemode="tozero"),
        yaxis=dict(autorange="reversed", automargin=True),
        showlegend=False,
    )
