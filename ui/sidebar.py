"""The shared sidebar: language, page links, the filter widgets and the URL round trip.

Streamlit forgets a widget's value when the user switches page (each page has its own widgets).
So the filter lives in one session key (`FILTERS_KEY`, a Filters object): widgets are seeded
from it when their key is missing, it is rebuilt from the widgets on every run, and written
back to the URL and into every page link's query string, so that a followed or copied link, or
a reload, reproduces the view. A new session (a shared link, a reload) seeds it from the URL.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import streamlit as st

import acpeu_data as ad
from acpeu_data import filters as flt
from acpeu_data import i18n
from acpeu_data.i18n import Translate
from ui import memo, navigation

FILTERS_KEY = "filters"
LANG_KEY = "lang"
NOTICES_KEY = "url_notices"
PAGE_KEY = "current_page"
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


def widget_key(dimension: flt.Dimension) -> str:
    """Return the session key of a dimension's widget, e.g. 'w_region'."""
    return f"w_{dimension.key}"


def _widget_value(dimension: flt.Dimension, value):
    if dimension.kind == flt.SWITCH:
        return value == dimension.on
    return list(value) if dimension.kind == flt.LIST else value


def _seed_widgets(filters: ad.Filters, force: bool = False) -> None:
    for dimension in flt.DIMENSIONS:
        key = widget_key(dimension)
        if force or key not in st.session_state:
            st.session_state[key] = _widget_value(dimension, getattr(filters, dimension.field))


def reset_filters() -> None:
    """Clear every filter (a button callback, so it runs before the widgets are drawn)."""
    empty = ad.Filters()
    st.session_state[FILTERS_KEY] = empty
    st.session_state[NOTICES_KEY] = []
    for dimension in flt.DIMENSIONS:
        st.session_state.pop(widget_key(dimension), None)
    _seed_widgets(empty)


def set_countries(iso3s: tuple[str, ...]) -> None:
    """Make the country filter these countries (used by a click on the map)."""
    st.session_state[widget_key(flt.BY_FIELD["countries"])] = list(iso3s)


def _options(
    ds: ad.Dataset, dimension: flt.Dimension, within: tuple[str, ...], lang: str
) -> list[str]:
    """Return the values a widget offers: the dimension's, and those already chosen."""
    chosen = (
        (st.session_state.get(widget_key(dimension)) or []) if dimension.kind == flt.LIST else []
    )
    # What the data offers is the same on every rerun of a data version (and the same regions).
    offered = memo.for_data(
        ds, ("filter offered", dimension.field, within), lambda: dimension.offered(ds, within)
    )
    options = list(dict.fromkeys([*offered, *chosen]))
    if not dimension.by_name:
        return options
    # Every value's place in the reader's order of names, once per data version and language
    # (names are looked up and compared once, not for each choice of regions).
    rank = memo.for_data(
        ds,
        ("filter name order", dimension.field, lang),
        lambda: {
            value: i
            for i, value in enumerate(
                sorted(dimension.offered(ds), key=lambda v: dimension.name(v, lang))
            )
        },
    )
    if all(value in rank for value in options):
        return sorted(options, key=rank.__getitem__)
    return sorted(options, key=lambda v: dimension.name(v, lang))


def _filter_widgets(ds: ad.Dataset, lang: str, _: Translate) -> ad.Filters:
    """Draw a widget per dimension, in the declaration's order, and return what they say."""
    first, last = _date_bounds(ds)
    _clip_dates(first, last)
    fields: dict[str, Any] = {}  # Filters' keyword arguments (tuples, dates, a string)
    for dimension in flt.DIMENSIONS:
        key = widget_key(dimension)
        within = fields.get(dimension.within, ()) if dimension.within else ()
        options = _options(ds, dimension, within, lang)
        if dimension.kind == flt.SWITCH and options:
            st.toggle(_(dimension.label), key=key, help=_(dimension.help))
        elif dimension.kind == flt.LIST:
            st.multiselect(
                _(dimension.label),
                options,
                format_func=functools.partial(dimension.name, lang=lang),
                key=key,
                placeholder=_(dimension.placeholder),
            )
        elif dimension.kind == flt.DATE:
            st.date_input(
                _(dimension.label),
                min_value=first,
                max_value=last,
                key=key,
                format="YYYY-MM-DD",
                help=_(dimension.help),
            )
        value = st.session_state.get(key)
        if dimension.kind == flt.SWITCH:
            value = dimension.on if value and options else None
        fields[dimension.field] = tuple(value or ()) if dimension.kind == flt.LIST else value
    return ad.Filters(**fields)


def _clip_dates(first: dt.date, last: dt.date) -> None:
    # A date from a link may lie outside what the date widgets accept.
    for dimension in flt.DIMENSIONS:
        key = widget_key(dimension)
        value = st.session_state.get(key)
        if dimension.kind == flt.DATE and value is not None:
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
