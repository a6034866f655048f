"""Countries (/countries): a world map of requests per country, and one country's profile."""

import streamlit as st

from acpeu_data import filters, geo, headline_figures, request_figures, tables
from ui import sidebar
from ui.screen import current_page
from ui.widgets import downloads, show, table

MAP_KEY = "country_map"


def _select_clicked_countries() -> None:
    # A click on the map becomes the country filter before the sidebar is drawn again.
    event = st.session_state.get(MAP_KEY)
    points = event.selection.points if event and event.selection else []
    clicked = filters.countries_from_selection(points)
    if clicked:
        sidebar.set_countries(clicked)


page = current_page()
_ = page._

st.caption(
    _(
        "Click a country to filter every page to it (shift-click to add more). Open diamonds "
        "mark member states of regional organisations that requested assistance."
    )
)
# The map is declared once in acpeu_data/views.py (the reports print the same).
section = page.section()
show(page, section.chart("map"), key=MAP_KEY, on_select=_select_clicked_countries)
for note in section.notes:
    st.caption(note.text)

if len(page.filters.countries) == 1:
    iso3 = page.filters.countries[0]
    name = geo.country_name(iso3, page.lang)
    st.header(_("Country profile: {country}").format(country=name), anchor=False)
    profile = page.memoized_rows(
        "profile",
        request_figures.country_profile,
        iso3,
        page.requests,
        page.meetings,
        page.participation,
    )
    left, right = st.columns(2)
    with left:
        st.subheader(_("Its requests"), anchor=False)
        mine_made_up = headline_figures.illustrative_count(profile.requests)
        if mine_made_up:
            st.caption(
                _("{illustrative} of these {count} requests are illustrative.").format(
                    illustrative=page.number(mine_made_up),
                    count=page.number(len(profile.requests)),
                )
            )
        table(
            page,
            page.memoized_rows(
                "profile_table", tables.requests_for_display, profile.requests, _, page.lang
            ),
            tables.PROFILE_REQUEST_COLUMNS,
        )
        st.subheader(page.labelled(_("Topics"), mine_made_up), anchor=False)
        table(page, tables.topics_for_display(profile.topics, _))
    with right:
        st.subheader(_("Meetings its delegations attended"), anchor=False)
        if profile.meetings.empty:
            st.info(
                _(
                    "No delegation from {country} is recorded for the meetings that match. "
                    "Delegations are known only where a breakdown exists, so this does not "
                    "mean that none attended."
                ).format(country=name)
            )
        else:
            delegates_made_up = int(profile.meetings["illustrative"].sum())
            if delegates_made_up:
                st.caption(
                    _(
                        "{illustrative} of these {count} delegates are in illustrative "
                        "participation rows: no breakdown by delegation was published."
                    ).format(
                        illustrative=page.number(delegates_made_up),
                        count=page.number(int(profile.meetings["participants"].sum())),
                    )
                )
            table(
                page,
                tables.profile_meetings_for_display(profile.meetings, _),
                tables.PROFILE_MEETING_COLUMNS,
            )
elif not page.filters.countries:
    st.caption(_("Choose one country (on the map or in the sidebar) to see its profile."))

st.header(_("Requests per country"), anchor=False)
downloads(page, "requests", page.requests, key="country_requests")
