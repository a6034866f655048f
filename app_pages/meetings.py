"""Meetings (/meetings): where the programme's meetings were, and who took part (counts only)."""

import streamlit as st

from acpeu_data import meeting_figures, tables
from ui.screen import current_page
from ui.widgets import downloads, show, source_column, table

page = current_page()
_ = page._
meetings, participation = page.meetings, page.participation

# The charts are declared once in acpeu_data/views.py (the reports print the same).
section = page.section()
show(page, section.chart("map"), key="meetings_map")
st.caption(section.notes[0])  # what the bubbles and lines are, and what of them is illustrative
by_place = bool(page.filters.regions or page.filters.countries)
totals = page.memoized_rows(
    "totals", meeting_figures.meeting_totals, meetings, participation, use_reported=not by_place
)

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
    column_config={
        "start_date": st.column_config.DateColumn(_("Start"), format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn(_("End"), format="YYYY-MM-DD"),
        "title": st.column_config.TextColumn(_("Meeting"), width="medium"),
        "kind": st.column_config.TextColumn(_("Kind")),
        "city": st.column_config.TextColumn(_("City")),
        "country": st.column_config.TextColumn(_("Country")),
        "participants": st.column_config.TextColumn(
            _("Participants"),
            help=_(
                "The published total where there is one, else the sum of the delegations "
                "(marked illustrative when they are); unknown when neither exists."
            ),
        ),
        "reported_source": source_column(page, _("Source of the total")),
        "delegations": st.column_config.NumberColumn(_("Sum of delegations")),
        "delegations_source": st.column_config.TextColumn(_("Delegations' source")),
        "women_share": st.column_config.NumberColumn(
            _("Women"),
            format="percent",
            help=_("Among the participants whose gender was reported (next column)."),
        ),
        "women_covered": st.column_config.NumberColumn(_("Gender reported for")),
        "source": source_column(page),
        "note": st.column_config.TextColumn(_("Note"), width="large"),
    },
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
    women = section.headline("women")
    st.metric(
        women.label,
        women.value,
        delta=women.note or None,
        delta_color="off",
        delta_arrow="off",
        help=women.help,
    )
st.caption(_("Participation is counted per delegation: no names or other personal data are kept."))
downloads(page, "participation", participation, key="participation")
