"""Meetings (/meetings): where the programme's meetings were, and who took part (counts only)."""

import streamlit as st

from acpeu_data import metrics, tables
from ui import page as ui_page
from ui.widgets import downloads, show, table

page = ui_page.setup("Meetings")
_ = page._
meetings, participation = page.meetings, page.participation

# The charts are declared once in acpeu_data/views.py (the reports print the same).
section = page.section()
show(page, section.chart("map"), key="meetings_map")

st.header(_("Meetings"), anchor=False)
table(
    page,
    page.once_rows(
        "table",
        tables.meetings_for_display,
        meetings,
        page.once_rows("by_meeting", metrics.participation_by_meeting, meetings, participation),
        _,
    ),
    column_config={
        "start_date": st.column_config.DateColumn(_("Start"), format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn(_("End"), format="YYYY-MM-DD"),
        "title": st.column_config.TextColumn(_("Meeting"), width="large"),
        "kind": st.column_config.TextColumn(_("Kind")),
        "city": st.column_config.TextColumn(_("City")),
        "country": st.column_config.TextColumn(_("Country")),
        "participants": st.column_config.NumberColumn(_("Participants")),
        "women_share": st.column_config.NumberColumn(_("Women"), format="percent"),
        "source": st.column_config.TextColumn(_("Source")),
    },
)
downloads(page, "meetings", meetings, key="meetings")

show(page, section.chart("by_region"))
left, right = st.columns(2)
with left:
    show(page, section.chart("by_type"))
with right:
    women = section.headline("women")
    st.metric(women.label, women.value, help=women.help)
st.caption(_("Participation is counted per delegation: no names or other personal data are kept."))
downloads(page, "participation", participation, key="participation")
