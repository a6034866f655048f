"""Pipeline (/pipeline): where the requests stand, how they move, how long each stage takes,
which open requests are oldest, and (with From and To) what happened in between.

The charts are declared once in acpeu_data/views.py (the reports print the same)."""

import datetime as dt

import streamlit as st

from acpeu_data import history, tables, views
from ui.screen import current_page
from ui.widgets import downloads, headlines, show, table

page = current_page()
_ = page._
f = page.filters
requests = page.requests
section = page.section()
reference = f.date_to or dt.date.today()

for note in section.notes:
    st.info(note.text, icon=":material/info:")
for text in section.text:
    st.caption(text)

left, right = st.columns(2)
with left:
    show(page, section.chart("by_stage"))
with right:
    show(page, section.chart("age_bands"))

st.header(_("Oldest open requests"), anchor=False)
aged = page.view().ages  # the section's (acpeu_data.views)
st.caption(
    _(
        "Requests received, under review, approved or ongoing on {day}, oldest first: "
        "{count} in all."
    ).format(day=page.date(reference), count=page.number(len(aged)))
)
if len(aged):
    table(
        page,
        page.memoized_rows("aged_table", tables.ages_for_display, aged, _),
        tables.AGE_COLUMNS,
    )
    downloads(
        page,
        "requests",
        lambda: history.open_requests(requests, aged),
        key="aged",
        rows=len(aged),
    )
else:
    st.info(_("No open request matches the filter."))

st.header(_("Requests in each stage, month by month"), anchor=False)
over_time = section.find_chart("stages_over_time")
if over_time is not None:
    show(page, over_time)
    with st.expander(_("Moves between stages"), icon=":material/swap_horiz:"):
        show(page, section.chart("moves"))
else:
    st.info(_("No request matches the filter."))

st.header(_("Days spent in each stage"), anchor=False)
stage_days = section.find_chart("stage_days")
if stage_days is not None:
    show(page, stage_days)
    st.caption(
        _(
            "Only stays that ended count (by {day}): a request still in a stage is in the "
            "ageing above."
        ).format(day=page.date(reference))
    )
else:
    st.info(_("No request of the filter has left a stage yet."))

st.header(_("What happened between two dates"), anchor=False)
if f.date_from and f.date_to:
    changes = page.memoized_rows("changes", views.changes_between, page.view())
    st.caption(
        _("From {start} to {end}, both days included.").format(
            start=page.date(f.date_from), end=page.date(f.date_to)
        )
    )
    headlines(section.headlines)
    if len(changes):
        table(
            page,
            page.memoized_rows(
                "changes_table", tables.changes_for_display, changes, history.KINDS, _
            ),
            tables.CHANGE_COLUMNS,
        )
        downloads(page, "request_events", changes, key="changes")
    else:
        st.info(_("Nothing happened to the filtered requests between these dates."))
else:
    st.info(
        _(
            "Set both From and To in the filters to list what happened in between: new "
            "requests, status changes, completions and rejections."
        ),
        icon=":material/date_range:",
    )
