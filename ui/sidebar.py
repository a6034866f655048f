"""The shared sidebar: language, page links, the filter widgets and the URL round trip.

Streamlit forgets a widget's value when the user switches page (each page has its own widgets).
So the filter lives in one session key (`FILTERS_KEY`, a Filters object): widgets are seeded
from it when their key is missing, it is rebuilt from the widgets on every run, and written
back to the URL and into every page link's query string, so that a followed or copied link, or
a reload, reproduces the view. A new session (a shared link, a reload) seeds it from the URL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import streamlit as st

import acpeu_data as ad
from acpeu_data import contract, geo, i18n
from acpeu_data import filters as flt
from acpeu_data.i18n import Translate
from ui import memo, navigation

FILTERS_KEY = "filters"
LANG_KEY = "lang"
NOTICES_KEY = "url_notices"
PAGE_KEY = "current_page"
# Widget keys, one per Filters field; the tuple fields are multiselects.
WIDGETS = {
    "regions": "w_region",
    "topics": "w_topic",
    "countries": "w_country",
    "requester_types": "w_requester_type",
    "statuses": "w_status",
    "date_from": "w_from",
    "date_to": "w_to",
    "source": "w_source",  # a toggle: True is flt.PUBLIC
}
LANG_WIDGET = "w_lang"


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def session_language() -> str:
    """Return the session's language: the widget's, else the URL's, else the browser's."""
    if LANG_WIDGET in st.session_state:
        return st.session_state[LANG_WIDGET]
    if LANG_KEY not in st.session_state:
        url_lang = st.query_params.get("lang")
        browser = st.context.locale
        choice = url_lang if url_lang in i18n.LANGUAGES else i18n.normalise_language(browser)
        st.session_state[LANG_KEY] = choice
    return st.session_state[LANG_KEY]


def _session_filters(ds: ad.Dataset) -> ad.Filters:
    """Return the session's filter, reading the URL once when the session starts."""
    if FILTERS_KEY not in st.session_state:
        filters, notices = ad.Filters.from_query(_url_params(), ds)
        st.session_state[FILTERS_KEY] = filters
        st.session_state[NOTICES_KEY] = notices
    return st.session_state[FILTERS_KEY]


def _seed_widgets(filters: ad.Filters, force: bool = False) -> None:
    for field, key in WIDGETS.items():
        if force or key not in st.session_state:
            value = getattr(filters, field)
            if field == "source":
                value = value == flt.PUBLIC
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


def reset_filters() -> None:
    """Clear every filter (a button callback, so it runs before the widgets are drawn)."""
    empty = ad.Filters()
    st.session_state[FILTERS_KEY] = empty
    st.session_state[NOTICES_KEY] = []
    for key in WIDGETS.values():
        st.session_state.pop(key, None)
    _seed_widgets(empty)


def set_countries(iso3s: tuple[str, ...]) -> None:
    """Make the country filter these countries (used by a click on the map)."""
    st.session_state[WIDGETS["countries"]] = list(iso3s)


def _region_options(ds: ad.Dataset) -> list[str]:
    return contract.region_order(ds.countries)


def _country_options(ds: ad.Dataset, regions: list[str], chosen: list[str], lang: str) -> list[str]:
    def build() -> list[str]:
        countries = ds.countries
        if regions:
            countries = countries[countries["region"].isin(regions)]
        options = set(countries["iso3"]) | set(chosen)
        return sorted(options, key=lambda iso3: geo.country_name(iso3, lang))

    key = ("country options", tuple(regions), tuple(chosen), lang)
    return list(memo.for_data(ds, key, build))


def _filter_widgets(ds: ad.Dataset, lang: str, _: Translate) -> ad.Filters:
    state = st.session_state
    if offers_public_switch(ds):
        st.toggle(
            _("Public sources only"),
            key=WIDGETS["source"],
            help=_(
                "Only records whose source is a public web page: every page, figure, map and "
                "download leaves out the illustrative records."
            ),
        )
    regions = st.multiselect(
        _("Region"),
        _region_options(ds),
        format_func=_,
        key=WIDGETS["regions"],
        placeholder=_("All regions"),
    )
    st.multiselect(
        _("Topic"),
        list(contract.TOPICS),
        format_func=lambda code: _(contract.TOPICS[code]),
        key=WIDGETS["topics"],
        placeholder=_("All topics"),
    )
    st.multiselect(
        _("Country"),
        _country_options(ds, regions, state.get(WIDGETS["countries"], []), lang),
        format_func=lambda iso3: geo.country_name(iso3, lang),
        key=WIDGETS["countries"],
        placeholder=_("All countries"),
    )
    st.multiselect(
        _("Requester type"),
        list(contract.REQUESTER_TYPES),
        format_func=lambda code: _(contract.REQUESTER_TYPES[code]),
        key=WIDGETS["requester_types"],
        placeholder=_("Governments and organisations"),
    )
    st.multiselect(
        _("Status"),
        list(contract.STATUSES),
        format_func=lambda code: _(contract.STATUSES[code]),
        key=WIDGETS["statuses"],
        placeholder=_("All statuses"),
    )
    first, last = _date_bounds(ds)
    _clip_dates(first, last)
    st.date_input(
        _("From"),
        min_value=first,
        max_value=last,
        key=WIDGETS["date_from"],
        format="YYYY-MM-DD",
        help=_("Requests received on or after this day. Empty: from the start."),
    )
    st.date_input(
        _("To"),
        min_value=first,
        max_value=last,
        key=WIDGETS["date_to"],
        format="YYYY-MM-DD",
        help=_(
            "The programme as it stood on this day: requests received up to it, each with its "
            "status on that day. Empty: to the end."
        ),
    )
    values: dict[str, Any] = {field: state.get(key) for field, key in WIDGETS.items()}
    for field in ("regions", "topics", "countries", "requester_types", "statuses"):
        values[field] = tuple(sorted(values[field] or ()))
    public = values.pop("source") and offers_public_switch(ds)
    return dataclasses.replace(ad.Filters(), **values, source=flt.PUBLIC if public else None)


def offers_public_switch(ds: ad.Dataset) -> bool:
    """Return whether the data holds illustrative records (the switch is offered only then)."""
    return any(ds.illustrative.values())


def _clip_dates(first: dt.date, last: dt.date) -> None:
    # A date from a link may lie outside what the date widgets accept.
    for key in (WIDGETS["date_from"], WIDGETS["date_to"]):
        value = st.session_state.get(key)
        if value is not None:
            st.session_state[key] = min(max(value, first), last)


def _date_bounds(ds: ad.Dataset) -> tuple[dt.date, dt.date]:
    return memo.for_data(ds, "date bounds", lambda: _years_spanned(ds))


def _years_spanned(ds: ad.Dataset) -> tuple[dt.date, dt.date]:
    dates = ds.requests["received_on"].dropna()
    starts = ds.meetings["start_date"].dropna()
    lows = [d.min() for d in (dates, starts) if len(d)]
    highs = [d.max() for d in (dates, starts) if len(d)]
    first = min(lows).date() if lows else dt.date(2014, 1, 1)
    last = max(highs).date() if highs else dt.date.today()
    return dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)


def _language_picker(_: Translate) -> None:
    if LANG_WIDGET not in st.session_state:
        st.session_state[LANG_WIDGET] = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANGUAGE)
    st.selectbox(
        _("Language"),
        list(i18n.LANGUAGES),
        format_func=lambda code: i18n.LANGUAGES[code],
        key=LANG_WIDGET,
    )


def render(ds: ad.Dataset, lang: str, page: str) -> ad.Filters:
    """Draw the sidebar and return the filter; keep the session and the URL in step with it."""
    _ = i18n.translator(lang)
    # On arrival from another page the widgets are new ones: give them the session's filter.
    arrived = st.session_state.get(PAGE_KEY) != page
    st.session_state[PAGE_KEY] = page
    _seed_widgets(_session_filters(ds), force=arrived)
    if arrived and LANG_KEY in st.session_state:
        st.session_state[LANG_WIDGET] = st.session_state[LANG_KEY]
    with st.sidebar:
        # Filled last, once the filter is known: each link carries its query string.
        page_links = st.container()
        st.divider()
        st.header(_("Filters"), anchor=False)
        filters = _filter_widgets(ds, lang, _)
        st.button(_("Reset filters"), on_click=reset_filters, icon=":material/restart_alt:")
        st.divider()
        _language_picker(_)
    if filters != st.session_state[FILTERS_KEY]:
        st.session_state[NOTICES_KEY] = []
    st.session_state[FILTERS_KEY] = filters
    st.session_state[LANG_KEY] = lang
    query = filters.to_query()
    if lang != i18n.DEFAULT_LANGUAGE:
        query["lang"] = [lang]
    if query != _url_params():
        st.query_params.from_dict(query)
    with page_links:
        navigation.links(_, query)
    return filters


def url_notices() -> list[flt.Notice]:
    """Return the notices about values of the opening link that were dropped."""
    return st.session_state.get(NOTICES_KEY, [])
