"""Requests (/requests): the filtered requests, what they were about and how they ended."""

import streamlit as st

from acpeu_data import tables
from ui import page as ui_page
from ui.widgets import downloads, show, source_column, table

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
        "source": source_column(page),
        "illustrative_fields": st.column_config.TextColumn(
            _("Illustrative fields"),
            help=_("Columns of a sourced request that are still illustrative or estimated."),
        ),
        "note": st.column_config.TextColumn(_("Note"), width="large"),
    },
)
downloads(page, "requests", requests, key="requests")

# The charts are declared once in acpeu_data/views.py (the reports print the same).
section = page.section()
left, right = st.columns(2)
with left:
    show(page, section.chart("by_topic"))
    show(page, section.chart("by_status"))
with right:
    show(page, section.chart("by_typology"))
    show(page, section.chart("by_region"))

if page.filters.date_to and not page.dataset.has_events:
    st.caption(
        _(
            "Statuses on {day} are estimated: the data has no status history "
            "(request_events.csv), so a completed request counts as ongoing until its "
            "completion and any other request has its status from its receipt on."
        ).format(day=page.date(page.filters.date_to))
    )

st.header(_("Time from request to completion"), anchor=False)
completion = section.chart("completion")
if completion is not None:
    cols = st.columns(3)
    for column, key in zip(cols, ["completed", "median_days", "mean_days"], strict=True):
        headline = section.headline(key)
        column.metric(headline.label, headline.value)
    show(page, completion)
else:
    st.info(_("No completed request matches the filter."))
section.notes = [n for n in section.notes if n != _("No completed request matches the filter.")]

st.header(_("Sustainable Development Goal targets the requests touch"), anchor=False)
show(page, section.chart("sdg"))
for note in section.notes:
    st.caption(note)
