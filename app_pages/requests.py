"""Requests (/requests): the filtered requests, what they were about and how they ended."""

import streamlit as st

from acpeu_data import tables
from ui.screen import current_page
from ui.widgets import downloads, headlines, show, table

page = current_page()
_ = page._
requests = page.requests

table(
    page,
    page.memoized_rows("table", tables.requests_for_display, requests, _, page.lang),
    tables.REQUEST_COLUMNS,
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
completion = section.find_chart("completion")
if completion is not None:
    headlines([section.headline(key) for key in ("completed", "median_days", "mean_days")])
    show(page, completion)
for note in section.notes:
    if note.shown_as_info:  # in the place of the chart there is no data for
        st.info(note.text)

st.header(_("Sustainable Development Goal targets the requests touch"), anchor=False)
show(page, section.chart("sdg"))
for note in section.notes:
    if not note.shown_as_info:
        st.caption(note.text)
