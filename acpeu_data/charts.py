"""Plotly figure builders: tidy frames from metrics in, graph_objects figures out.

graph_objects rather than plotly.express: about ten times cheaper per figure (platform notes),
and these run on every rerun. Every figure carries a title that says what it shows; colour is
never the only carrier of meaning (values are printed on bars, lines differ in dash and marker).
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from acpeu_data import contract
from acpeu_data.i18n import Translate
from acpeu_data.metrics import TOTAL

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1f2937")
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]
SEQUENTIAL = [[0.0, "#f1f5f9"], [0.001, "#c6dbef"], [0.5, "#4292c6"], [1.0, "#08306b"]]
ACP_FRAME = "#334155"


def plain(values):
    """Return data text with <, > and & escaped: Plotly reads them as markup (bold, links)."""
    if isinstance(values, pd.DataFrame):
        return values.apply(plain)
    if isinstance(values, pd.Series):
        return values.map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
    return html.escape(values, quote=False) if isinstance(values, str) else values


def _layout(fig: go.Figure, title: str, **extra) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=17)),
        font=FONT,
        margin=dict(l=8, r=8, t=56, b=8),
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=-0.3, x=0),
        **extra,
    )
    return fig


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
) -> go.Figure:
    """Return a horizontal bar chart with the values printed on the bars."""
    fig = go.Figure(
        go.Bar(
            x=frame[value],
            y=plain(frame[label]),
            orientation="h",
            marker=dict(color=colours, line=dict(color="#1f2937", width=0.5)),
            text=frame[value],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    height = 120 + 34 * max(len(frame), 1)
    return _layout(
        fig,
        title,
        height=height,
        xaxis=dict(title=value_title, gridcolor="#e5e7eb", rangemode="tozero"),
        yaxis=dict(autorange="reversed", automargin=True),
        showlegend=False,
    )


def cumulative_by_topic(over_time: pd.DataFrame, _: Translate) -> go.Figure:
    """Return cumulative requests received per topic over time (one line per topic, plus all)."""
    fig = go.Figure()
    topics = [t for t in contract.TOPICS if t in set(over_time["topic"])]
    for i, topic in enumerate(topics):
        rows = over_time[over_time["topic"] == topic]
        fig.add_trace(
            go.Scatter(
                x=rows["month"],
                y=rows["cumulative"],
                name=_(contract.TOPICS[topic]),
                mode="lines+markers",
                line=dict(color=contract.TOPIC_COLOURS[topic], dash=DASHES[i % 6], width=2),
                marker=dict(symbol=SYMBOLS[i % 6], size=5),
                hovertemplate="%{x|%Y-%m}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    total = over_time[over_time["topic"] == TOTAL]
    if len(total):
        fig.add_trace(
            go.Scatter(
                x=total["month"],
                y=total["cumulative"],
                name=_("All requests"),
                mode="lines",
                line=dict(color="#1f2937", width=3),
                hovertemplate="%{x|%Y-%m}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    return _layout(
        fig,
        _("Requests received over time, cumulative, by topic"),
        height=420,
        xaxis=dict(title=_("Month received"), gridcolor="#e5e7eb"),
        yaxis=dict(title=_("Requests (cumulative)"), gridcolor="#e5e7eb", rangemode="tozero"),
        hovermode="x unified",
    )


def _geo_layout(fig: go.Figure, title: str, height: int = 560) -> go.Figure:
    fig.update_geos(
        projection_type="natural earth",
        resolution=50,
        showcountries=True,
        countrycolor="#cbd5e1",
        showland=True,
        landcolor="#f8fafc",
        showocean=True,
        oceancolor="#eef6fb",
        showframe=False,
        # Centred east of Africa so that the Pacific states on both sides of the 180th
        # meridian sit together on the right and the Caribbean on the left.
        projection_rotation_lon=60,
        lataxis_range=[-50, 62],
    )
    return _layout(fig, title, height=height)


def requests_map(by_country: pd.DataFrame, _: Translate, fit: bool = False) -> go.Figure:
    """Return the world map of requests per ACP country, with regional-organisation requests apart.

    Country shapes show direct requests (the country requested, or was named as beneficiary);
    open diamonds show requests of regional organisations counted for their member states.
    """
    # customdata starts with the ISO3 code on every trace: a click on a marker reports no
    # `location`, so the click-to-filter reads the code from there.
    hover = "%{customdata[1]}<br>" + _("Direct requests") + ": %{z}<extra></extra>"
    fig = go.Figure(
        go.Choropleth(
            locations=by_country["iso3"],
            locationmode="ISO-3",
            z=by_country["direct"],
            customdata=plain(by_country[["iso3", "name"]]),
            colorscale=SEQUENTIAL,
            zmin=0,
            marker=dict(line=dict(color=ACP_FRAME, width=0.8)),
            colorbar=dict(title=dict(text=_("Requests")), thickness=12, len=0.6),
            hovertemplate=hover,
            name=_("Direct requests"),
        )
    )
    via = by_country[by_country["via_regional_organisation"] > 0]
    if len(via):
        fig.add_trace(
            go.Scattergeo(
                locations=via["iso3"],
                locationmode="ISO-3",
                mode="markers",
                marker=dict(
                    symbol="diamond-open",
                    size=8 + 3 * via["via_regional_organisation"].clip(upper=6),
                    color="#b45309",
                    line=dict(width=2),
                ),
                customdata=plain(via[["iso3", "name", "via_regional_organisation"]]),
                hovertemplate="%{customdata[1]}<br>"
                + _("Requests of its regional organisations")
                + ": %{customdata[2]}<extra></extra>",
                name=_("Requests of a regional organisation (member states)"),
            )
        )
    fig = _geo_layout(fig, _("Requests per ACP country"))
    fig.update_layout(showlegend=True, legend=dict(y=-0.02))
    if fit:
        # Zoom to the countries shown (e.g. one region), whose small islands vanish at world scale.
        fig.update_geos(fitbounds="locations", lataxis_range=None)
    return fig


def meetings_map(venues: pd.DataFrame, links: pd.DataFrame, _: Translate) -> go.Figure:
    """Return the map of meeting venues (size = participants) with lines from delegations."""
    fig = go.Figure()
    if len(links):
        # One trace for all lines: None breaks the line between two delegations.
        lats = np.column_stack([links["from_lat"], links["to_lat"], np.full(len(links), None)])
        lons = np.column_stack([links["from_lon"], links["to_lon"], np.full(len(links), None)])
        fig.add_trace(
            go.Scattergeo(
                lat=lats.ravel().tolist(),
                lon=lons.ravel().tolist(),
                mode="lines",
                line=dict(width=1, color="rgba(71, 85, 105, 0.35)"),
                hoverinfo="skip",
                name=_("Delegations travelling to a meeting"),
            )
        )
    size = venues["participants"].fillna(0)
    # A venue of one meeting is named by its title; one of several by its city.
    names = venues["title"].where(venues["title"] != "", venues["city"])
    fig.add_trace(
        go.Scattergeo(
            lat=venues["lat"],
            lon=venues["lon"],
            mode="markers+text",
            text=plain(venues["city"]),
            textposition="top center",
            marker=dict(
                size=10 + size.pow(0.5) * 2.2,
                color="#0072B2",
                opacity=0.85,
                line=dict(color="white", width=1),
            ),
            customdata=np.column_stack([plain(names), venues["meetings"], venues["participants"]]),
            hovertemplate="%{customdata[0]}<br>"
            + _("Meetings")
            + ": %{customdata[1]}<br>"
            + _("Participants")
            + ": %{customdata[2]}<extra></extra>",
            name=_("Meeting venue (size: participants)"),
        )
    )
    fig = _geo_layout(fig, _("Meeting venues and where delegations came from"))
    fig.update_geos(lataxis_range=[-50, 70])
    fig.update_layout(legend=dict(y=-0.02))
    return fig


def stacked_bar(
    frame: pd.DataFrame,
    *,
    category: str,
    series: str,
    value: str,
    title: str,
    colours: dict[str, str],
    value_title: str,
) -> go.Figure:
    """Return a horizontal stacked bar (one bar per category, one colour and pattern per series)."""
    fig = go.Figure()
    shapes = ["", "/", ".", "x", "-", "|", "+", "\\"]
    for i, name in enumerate(dict.fromkeys(frame[series])):
        rows = frame[frame[series] == name]
        fig.add_trace(
            go.Bar(
                x=rows[value],
                y=plain(rows[category]),
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
    height = 160 + 40 * max(frame[category].nunique(), 1)
    return _layout(
        fig,
        title,
        barmode="stack",
        height=height,
        xaxis=dict(title=value_title, gridcolor="#e5e7eb"),
        yaxis=dict(autorange="reversed", automargin=True),
    )


def histogram(bins: pd.DataFrame, *, title: str, value_title: str, count_title: str) -> go.Figure:
    """Return counts per range of values (metrics.completion_bins) as touching bars."""
    width = bins["to_days"] - bins["from_days"] + 1
    fig = go.Figure(
        go.Bar(
            x=bins["from_days"] + width / 2,
            y=bins["requests"],
            width=width,
            customdata=np.column_stack([bins["from_days"], bins["to_days"]]),
            marker=dict(color="#0072B2", line=dict(color="white", width=1)),
            hovertemplate="%{customdata[0]}–%{customdata[1]}: %{y}<extra></extra>",
        )
    )
    return _layout(
        fig,
        title,
        height=360,
        xaxis=dict(title=value_title, gridcolor="#e5e7eb"),
        yaxis=dict(title=count_title, gridcolor="#e5e7eb"),
        showlegend=False,
        bargap=0,
    )
