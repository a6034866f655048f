"""Meetings (/meetings): where the programme's meetings were, and who took part (counts only)."""

import streamlit as st

from acpeu_data import meeting_figures, tables
from ui.screen import current_page
from ui.widgets import downloads, headline, show, table

page = current_page()
_ = page._
meetings, participation = page.meetings, page.participation

# The charts are declared once in acpeu_data/views.py (the reports print the same).
section = page.section()
show(page, section.chart("map"), key="meetings_map")
# What the bubbles and lines are, and what of them is illustrative.
st.caption(section.notes[0].text)
# The meetings' totals the section was built from (delegations' counts when places are chosen).
totals = page.view().totals

st.header(_("Meetings"), anchor=False)
table(
    page,
    page.memoized_rows(
        "table",
        tables.meetings_for_display,
        meetings,
        page.memoized_rows(
            "by_meeting", meeting_figures.participation_by_meeting, meetings, participation
        ),
        totals,
        _,
        page.lang,
    ),
    tables.MEETING_COLUMNS,
)
programme = int(totals["programme"].sum())
st.caption(
    page.n("{count} programme meeting", "{count} programme meetings", programme)
    + "; "
    + page.n(
        "{count} related event (not counted as a programme meeting).",
        "{count} related events (not counted as programme meetings).",
        len(totals) - programme,
    )
    + " "
    + _("Unknown totals are shown as unknown and left out of every sum, never as 0.")
)
downloads(page, "meetings", meetings, key="meetings")

show(page, section.chart("by_region"))
left, right = st.columns(2)
with left:
    show(page, section.chart("by_type"))
with right:
    headline(section.headline("women"))
st.caption(_("Participation is counted per delegation: no names or other personal data are kept."))
downloads(page, "participation", participation, key="participation")
