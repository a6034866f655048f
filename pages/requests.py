"""Requests (/requests): the filtered requests, what they were about and how they ended."""

import streamlit as st

from acpeu_data import charts, contract, metrics, tables
from ui import page as ui_page
from ui.widgets import chart, downloads

page = ui_page.setup("Requests")
_ = page._
requests = page.requests

st.dataframe(
    tables.requests_for_display(requests, _, page.lang),
    hide_index=True,
    width="stretch",
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
topic_colours = contract.TOPIC_COLOURS
with left:
    by_topic = metrics.requests_by_topic(requests)
    chart(
        page,
        charts.bar(
            by_topic.assign(shown=by_topic["label"].map(_)),
            label="shown",
            value="requests",
            title=_("Requests by topic (a request can have several)"),
            colours=[topic_colours[t] for t in by_topic["topic"]],
            value_title=_("Requests"),
        ),
        tables.numbers(by_topic, {"label": _("Topic"), "requests": _("Requests")}, translate=_),
        key="by_topic",
    )
    by_status = metrics.requests_by_status(requests)
    chart(
        page,
        charts.bar(
            by_status.assign(shown=by_status["label"].map(_)),
            label="shown",
            value="requests",
            title=_("Requests by status"),
            colours="#56B4E9",
            value_title=_("Requests"),
        ),
        tables.numbers(by_status, {"label": _("Status"), "requests": _("Requests")}, translate=_),
        key="by_status",
    )
with right:
    by_typology = metrics.requests_by_typology(requests)
    chart(
        page,
        charts.bar(
            by_typology.assign(shown=by_typology["label"].map(_)),
            label="shown",
            value="requests",
            title=_("Requests by type of assistance"),
            colours="#009E73",
            value_title=_("Requests"),
        ),
        tables.numbers(
            by_typology, {"label": _("Type of assistance"), "requests": _("Requests")}, translate=_
        ),
        key="by_typology",
    )
    regions = list(dict.fromkeys(page.dataset.countries["region"]))
    by_region = metrics.requests_by_region(requests, regions)
    region_colours = charts.region_colours(regions)
    chart(
        page,
        charts.bar(
            by_region.assign(shown=by_region["region"].map(_)),
            label="shown",
            value="requests",
            title=_("Requests by region of the requester"),
            colours=[region_colours[r] for r in by_region["region"]],
            value_title=_("Requests"),
        ),
        tables.numbers(by_region, {"region": _("Region"), "requests": _("Requests")}, translate=_),
        key="by_region",
    )

st.subheader(_("Time from request to completion"), anchor=False)
times = metrics.completion_times(requests)
summary = metrics.completion_summary(times)
if summary.count:
    cols = st.columns(3)
    cols[0].metric(_("Completed requests"), page.number(summary.count))
    cols[1].metric(_("Median days to complete"), page.number(summary.median))
    cols[2].metric(_("Average days to complete"), page.number(summary.mean))
    chart(
        page,
        charts.histogram(
            times["days"],
            title=_("Days from received to completed"),
            value_title=_("Days"),
            count_title=_("Requests"),
        ),
        tables.numbers(
            times,
            {"request_id": _("Request"), "days": _("Days")},
        ),
        key="completion",
    )
else:
    st.info(_("No completed request matches the filter."))

st.subheader(_("Sustainable Development Goal targets the requests touch"), anchor=False)
sdg = metrics.sdg_targets(requests)
st.dataframe(
    tables.numbers(
        sdg,
        {"target": _("SDG target"), "description": _("Target"), "requests": _("Requests")},
        translate=_,
    ),
    hide_index=True,
    width="stretch",
)
st.caption(_(contract.SDG_SOURCE))
