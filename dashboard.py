"""Overview (/): the programme's headline figures for the current filter."""

import streamlit as st

from acpeu_data import charts, metrics, tables
from ui import page as ui_page
from ui.widgets import bar_chart, chart

page = ui_page.setup("Overview")
_ = page._
kpis = page.once("kpis", metrics.kpis, page.requests, page.meetings, page.participation)

first, second = st.columns(4), st.columns(4)
first[0].metric(_("Requests"), page.number(kpis.requests))
first[1].metric(_("Governments"), page.number(kpis.governments))
first[2].metric(_("Regional organisations"), page.number(kpis.regional_organisations))
first[3].metric(
    _("Trafficking or smuggling"),
    page.percent(kpis.trafficking_or_smuggling_share),
    help=_(
        "Share of requests whose topics include trafficking in human beings or smuggling of migrants."
    ),
)
second[0].metric(_("Countries reached"), page.number(kpis.countries_reached))
second[1].metric(_("Meetings"), page.number(kpis.meetings))
second[2].metric(_("Participants"), page.number(kpis.participants))

st.markdown(tables.summary_text(kpis, page.filters, _, page.lang))

over_time = page.once("over_time", metrics.requests_over_time, page.requests, include_total=True)
chart(
    page,
    page.once("over_time_chart", charts.cumulative_by_topic, over_time, _),
    page.once("over_time_numbers", tables.over_time_numbers, over_time, _),
    key="over_time",
)
regions = list(dict.fromkeys(page.dataset.countries["region"]))
by_region = page.once("by_region", metrics.requests_by_region, page.requests, regions)
colours = charts.region_colours(regions)
bar_chart(
    page,
    by_region,
    label="region",
    value="requests",
    title=_("Requests by region of the requester"),
    colours=[colours[r] for r in by_region["region"]],
    label_title=_("Region"),
    value_title=_("Requests"),
    key="by_region",
)
