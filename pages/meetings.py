"""Meetings (/meetings): where the programme's meetings were, and who took part (counts only)."""

import streamlit as st

from acpeu_data import charts, contract, metrics, tables
from ui import page as ui_page
from ui.widgets import bar_chart, chart, downloads, table

page = ui_page.setup("Meetings")
_ = page._
meetings, participation = page.meetings, page.participation

venues = page.once("venues", metrics.venues, meetings)
links = page.once("links", metrics.meeting_links, meetings, participation)
chart(
    page,
    page.once("map", charts.meetings_map, venues, links, _),
    page.once(
        "map_numbers",
        tables.numbers,
        venues,
        {
            "city": _("City"),
            "country_name": _("Country"),
            "meetings": _("Meetings"),
            "participants": _("Participants"),
        },
    ),
    key="meetings_map",
    geo=True,
)

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

regions = [*dict.fromkeys(page.dataset.countries["region"]), contract.NON_ACP]


def participants_by_region():
    by_region = metrics.participation_by_region(meetings, participation)
    shown = metrics.largest_meetings(by_region)
    if len(shown) == len(by_region):
        title = _("Participants per meeting, by region of the delegation")
    else:
        title = _(
            "Participants in the {shown} largest of {count} meetings, by region of the delegation"
        ).format(
            shown=page.number(shown["meeting_id"].nunique()),
            count=page.number(by_region["meeting_id"].nunique()),
        )
    fig = charts.stacked_bar(
        shown.assign(series=shown["region"].map(_)),
        category="title",
        series="series",
        value="participants",
        title=title,
        colours={_(r): c for r, c in charts.region_colours(regions).items()},
        value_title=_("Participants"),
    )
    numbers = tables.numbers(
        by_region,
        {"title": _("Meeting"), "region": _("Region"), "participants": _("Participants")},
        translate=_,
    )
    return fig, numbers


fig, numbers = page.once_rows("by_region", participants_by_region)
chart(page, fig, numbers, key="by_region")
left, right = st.columns(2)
with left:
    by_type = page.once("by_type", metrics.participation_by_stakeholder_type, participation)
    bar_chart(
        page,
        by_type,
        label="label",
        value="participants",
        title=_("Participants by stakeholder type"),
        colours="#CC79A7",
        label_title=_("Stakeholder type"),
        value_title=_("Participants"),
        key="by_type",
    )
with right:
    women = page.once("women", metrics.women_share, participation)
    st.metric(
        _("Women among participants"),
        page.percent(women.share),
        help=_(
            "Counted only where delegations reported women; {covered} of {total} participants."
        ).format(covered=page.number(women.covered), total=page.number(women.participants)),
    )
st.caption(_("Participation is counted per delegation: no names or other personal data are kept."))
downloads(page, "participation", participation, key="participation")
