"""Countries (/countries): a world map of requests per country, and one country's profile."""

import streamlit as st

from acpeu_data import charts, filters, geo, metrics, tables
from ui import page as ui_page
from ui import sidebar
from ui.widgets import chart, downloads, table

MAP_KEY = "country_map"


def _select_clicked_countries() -> None:
    # A click on the map becomes the country filter before the sidebar is drawn again.
    event = st.session_state.get(MAP_KEY)
    points = event.selection.points if event and event.selection else []
    clicked = filters.countries_from_selection(points)
    if clicked:
        sidebar.set_countries(clicked)


page = ui_page.setup("Countries")
_ = page._
by_country = page.once(
    "by_country",
    lambda: tables.countries_for_map(
        metrics.requests_by_country(page.dataset, page.requests), page.filters.regions, page.lang
    ),
)

st.caption(
    _(
        "Click a country to filter every page to it (shift-click to add more). Open diamonds "
        "mark member states of regional organisations that requested assistance."
    )
)
chart(
    page,
    page.once("map", charts.requests_map, by_country, _, fit=bool(page.filters.regions)),
    page.once(
        "map_numbers",
        tables.numbers,
        by_country,
        {
            "name": _("Country"),
            "region": _("Region"),
            "direct": _("Direct requests"),
            "via_regional_organisation": _("Requests of its regional organisations"),
        },
        translate=_,
    ),
    key=MAP_KEY,
    geo=True,
    on_select=_select_clicked_countries,
)

if len(page.filters.countries) == 1:
    iso3 = page.filters.countries[0]
    name = geo.country_name(iso3, page.lang)
    st.header(_("Country profile: {country}").format(country=name), anchor=False)
    profile = page.once_rows(
        "profile",
        metrics.country_profile,
        page.dataset,
        iso3,
        page.requests,
        page.meetings,
        page.participation,
    )
    left, right = st.columns(2)
    with left:
        st.subheader(_("Its requests"), anchor=False)
        table(
            page,
            page.once_rows(
                "profile_table", tables.requests_for_display, profile.requests, _, page.lang
            ),
        )
        st.subheader(_("Topics"), anchor=False)
        table(
            page,
            tables.numbers(profile.topics, {"label": _("Topic"), "requests": _("Requests")}, _),
        )
    with right:
        st.subheader(_("Meetings its delegations attended"), anchor=False)
        if profile.meetings.empty:
            st.info(
                _("No delegation from {country} in the meetings that match.").format(country=name)
            )
        else:
            table(
                page,
                tables.numbers(
                    profile.meetings,
                    {"title": _("Meeting"), "city": _("City"), "participants": _("Participants")},
                ),
            )
elif not page.filters.countries:
    st.caption(_("Choose one country (on the map or in the sidebar) to see its profile."))

st.header(_("Requests per country"), anchor=False)
downloads(page, "requests", page.requests, key="country_requests")
