"""Requests (/requests): the filtered requests, what they were about and how they ended."""

import streamlit as st

from acpeu_data import charts, contract, metrics, tables
from ui import page as ui_page
from ui.widgets import bar_chart, chart, downloads, table

page = ui_page.setup("Requests")
_ = page._
requests = page.requests

table(
    page,
    page.once_rows("table", tables.requests_for_display, requests, _, page.lang),
    column_config={
        "request_id": st.column_config.TextColumn(_("Request")),
        "received_on": st.column_config.DateColumn(_("Received"), format="YYYY-MM-DD"),
        "requester": st.column_config.TextColumn(_("Requester")),
        "requester_type": st.column_config.TextColumn(_("Requester type")),
        "region": st.column_config.TextColumn(_("Region")),
        "countries": st.column_config.TextColumn(_("Countries")),
        "topics": st.column_config.TextColumn(_("Topics")),
        "typology": st.column_config.TextColumn(_("Typology")),
        "status": st.column_config.TextColumn(_("Status")),
        "completed_on": st.column_config.DateColumn(_("Completed"), format="YYYY-MM-DD"),
        "title": st.column_config.TextColumn(_("Title"), width="large"),
        "source": st.column_config.TextColumn(_("Source")),
    },
)
downloads(page, "requests", requests, key="requests")

left, right = st.columns(2)
regions = list(dict.fromkeys(page.dataset.countries["region"]))
region_colours = charts.region_colours(regions)
by_topic = page.once("by_topic", metrics.requests_by_topic, requests)
by_status = page.once("by_status", metrics.requests_by_status, requests)
by_typology = page.once("by_typology", metrics.requests_by_typology, requests)
by_region = page.once("by_region", metrics.requests_by_region, requests, regions)
with left:
    bar_chart(
        page,
        by_topic,
        label="label",
        value="requests",
        title=_("Requests by topic (a request can have several)"),
        colours=[contract.TOPIC_COLOURS[t] for t in by_topic["topic"]],
        label_title=_("Topic"),
        value_title=_("Requests"),
        key="by_topic",
    )
    bar_chart(
        page,
        by_status,
        label="label",
        value="requests",
        title=_("Requests by status"),
        colours="#56B4E9",
        label_title=_("Status"),
        value_title=_("Requests"),
        key="by_status",
    )
with right:
    bar_chart(
        page,
        by_typology,
        label="label",
        value="requests",
        title=_("Requests by type of assistance"),
        colours="#009E73",
        label_title=_("Type of assistance"),
        value_title=_("Requests"),
        key="by_typology",
    )
    bar_chart(
        page,
        by_region,
        label="region",
        value="requests",
        title=_("Requests by region of the requester"),
        colours=[region_colours[r] for r in by_region["region"]],
        label_title=_("Region"),
        value_title=_("Requests"),
        key="by_region",
    )

if page.filters.date_to and not page.dataset.has_events:
    st.caption(
        _(
            "Statuses on {day} are estimated: the data has no status history "
            "(request_events.csv), so a completed request counts as ongoing until its "
            "completion and any other request has its status from its receipt on."
        ).format(day=page.date(page.filters.date_to))
    )

st.header(_("Time from request to completion"), anchor=False)
times = page.once_rows("completion_times", metrics.completion_times, requests)
summary = page.once("completion_summary", metrics.completion_summary, times)
if summary.count:
    cols = st.columns(3)
    cols[0].metric(_("Completed requests"), page.number(summary.count))
    cols[1].metric(_("Median days to complete"), page.number(summary.median))
    cols[2].metric(_("Average days to complete"), page.number(summary.mean))
    bins = page.once("completion_bins", metrics.completion_bins, times)
    chart(
        page,
        page.once(
            "completion_chart",
            charts.histogram,
            bins,
            title=_("Days from received to completed"),
            value_title=_("Days"),
            count_title=_("Requests"),
        ),
        tables.numbers(bins, {"label": _("Days"), "requests": _("Requests")}),
        key="completion",
    )
else:
    st.info(_("No completed request matches the filter."))

st.header(_("Sustainable Development Goal targets the requests touch"), anchor=False)
sdg = page.once("sdg", metrics.sdg_targets, requests)
table(
    page,
    tables.numbers(
        sdg,
        {"target": _("SDG target"), "description": _("Target"), "requests": _("Requests")},
        translate=_,
    ),
)
st.caption(_(contract.SDG_SOURCE))
