"""The frame every page is shown in (open_page, drawn by dashboard.py): page config, sign-in,
data, sidebar, banners, title, filter line; and the PageContext a page composes its widgets
with (current_page)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import pandas as pd
import streamlit as st

import acpeu_data as ad
from acpeu_data import filters as flt
from acpeu_data import i18n, tables, views
from acpeu_data.i18n import Translate
from ui import auth, data, memo, sidebar

T = TypeVar("T")


@dataclass(frozen=True)
class PageContext:
    """What a page needs to compose its widgets: the data, the filter and the language."""

    title: str
    dataset: ad.Dataset
    state: data.DataState
    filters: ad.Filters
    lang: str
    _: Translate
    identity: auth.Identity = auth.OPEN

    # The filtered rows, computed when a page first asks for them (the Data page never asks
    # for meetings or participation) and kept for a few filter states (ui/memo.py).
    @property
    def requests(self) -> pd.DataFrame:
        return self._filtered("requests", flt.filter_requests)

    @property
    def meetings(self) -> pd.DataFrame:
        return self._filtered("meetings", flt.filter_meetings)

    @property
    def participation(self) -> pd.DataFrame:
        return self._filtered("participation", flt.filter_participation)

    def _filtered(self, table: str, filter_rows: Callable[[ad.Dataset, ad.Filters], T]) -> T:
        key = (*_state_key(self.dataset, self.filters), table)
        own = getattr(self.dataset, table)
        return memo.frames().get(
            key,
            lambda: filter_rows(self.dataset, self.filters),
            # All rows are the dataset's own table, which the store then costs nothing.
            size=lambda rows: 0 if rows is own else memo.size_of(rows),
        )

    def memoized(self, name: str, build: Callable[..., T], *args, **kwargs) -> T:
        """Return build(*args, **kwargs), computed once per data, filter, language and page.

        `name` tells the results of one page apart; arguments must be derived from this page's
        data and filter (they are not part of the key).
        """
        key = (*_state_key(self.dataset, self.filters), self.lang, self.title, name)
        return memo.results().get(key, lambda: build(*args, **kwargs))

    def memoized_rows(self, name: str, build: Callable[..., T], *args, **kwargs) -> T:
        """Like memoized, for a table with a row per filtered record: kept for fewer states."""
        key = (*_state_key(self.dataset, self.filters), self.lang, self.title, name)
        return memo.row_tables().get(key, lambda: build(*args, **kwargs))

    def view(self) -> views.View:
        """Return the page's inputs for acpeu_data.views, with the rows filtered here (memo)."""
        return views.View(
            self.dataset,
            self.filters,
            self.lang,
            rows=lambda table: getattr(self, table),
            shared=lambda name, build: self.memoized_rows(name, build),
        )

    def section(self) -> views.Section:
        """Return what this page shows (acpeu_data.views), built once per filter and language."""
        return self.memoized("section", views.PAGES[self.title], self.view())

    def number(self, value: float) -> str:
        return i18n.format_number(value, self.lang)

    def n(self, singular: str, plural: str, count: int) -> str:
        """Return the plural form for count, translated, with {count} filled in."""
        return i18n.ngettext(self.lang)(singular, plural, count).format(count=self.number(count))

    def of_which(
        self, illustrative: int, template: str | None = None, count: int = 0
    ) -> str | None:
        """Return "of which N illustrative" (None when nothing is illustrative); see views."""
        return views.of_which(self._, self.lang, illustrative, template, count)

    def labelled(self, title: str, illustrative: int) -> str:
        """Return a heading that says how many of what it counts are illustrative."""
        note = self.of_which(illustrative)
        return f"{title} ({note})" if note else title

    def percent(self, share: float | None) -> str:
        return i18n.format_percent(share, self.lang)

    def date(self, value) -> str:
        return i18n.format_date(value, self.lang)


# Link notices quoted one by one; beyond this many, the rest are counted.
MAX_LINK_NOTICES = 3
ICON = Path(__file__).resolve().parent.parent / "static" / "favicon.png"


# The page opened by this script run: each session's script runs in its own thread.
_opened = threading.local()


def open_page(title: str) -> PageContext:
    """Draw the common frame of the page `title` and return its filtered data."""
    lang = sidebar.session_language()
    _ = i18n.translator(lang)
    st.set_page_config(
        page_title=f"{_(title)} · {_('ACP-EU Migration Action')}",
        page_icon=str(ICON),
        layout="wide",
    )
    # Before anything of the data is read: with sign-in on, a visitor who is not signed in,
    # or not allowed, gets the sign-in or refusal page and the script stops here.
    identity = auth.gate(_)
    state = data.current()
    if state.dataset is None:
        _no_data(state, _)
    ds = state.dataset
    filters = sidebar.render(ds, lang, title)
    with st.sidebar:
        auth.account(identity, _)
    page = PageContext(
        title=title, dataset=ds, state=state, filters=filters, lang=lang, _=_, identity=identity
    )
    st.title(_(title), anchor=False)
    _banners(page)
    # Region and country names come from the data files: shown literally, never as Markdown.
    st.caption(data.escape_markdown(filter_line(page)))
    from ui import report  # noqa: PLC0415 ui.report draws with this module's PageContext

    report.control(page)
    _opened.page = page
    return page


def current_page() -> PageContext:
    """Return the page dashboard.py opened for this run: what a page script starts with."""
    return _opened.page


def _state_key(ds: ad.Dataset, filters: ad.Filters) -> tuple:
    # origin and version name the data (a changed file is a new version); an upload's version
    # is the digest of its bytes, so two sessions' uploads never share an entry.
    return (ds.origin, ds.version, filters)


def filter_line(page: PageContext) -> str:
    """Return the line that says what is filtered, e.g. 'Caribbean · Trafficking: 12 of 71 requests'."""
    return views.filter_line(page.view())


def _no_data(state: data.DataState, _: Translate) -> NoReturn:
    """Say that no data can be read at all (not even the bundled data), list why, and stop."""
    st.title(_("ACP-EU Migration Action"), anchor=False)
    st.error(
        _(
            "No data can be shown: the data folder {folder} has {count} problems, and there "
            "is no earlier data to show instead. Fix the problems listed below and reload this page."
        ).format(folder=data.escape_markdown(state.failed_origin), count=len(state.problems)),
        icon=":material/error:",
    )
    st.dataframe(tables.problems_for_display(state.problems, _), hide_index=True)
    st.stop()


def _banners(page: PageContext) -> None:
    _ = page._
    state = page.state
    if state.problems and state.is_database:
        st.error(
            _(
                "The database {database} could not be used; "
                "the dashboard shows {shown} instead. The Data page lists every problem."
            ).format(
                database=data.escape_markdown(state.failed_origin),
                shown=_("the bundled data") if page.dataset.is_bundled else _("the last good data"),
            ),
            icon=":material/error:",
        )
    elif state.problems:
        st.error(
            _(
                "The data folder {folder} has {count} problems and was not used; "
                "the dashboard shows {shown} instead. The Data page lists every problem."
            ).format(
                folder=data.escape_markdown(state.failed_origin),
                count=page.number(len(state.problems)),
                shown=_("the bundled data") if page.dataset.is_bundled else _("the last good data"),
            ),
            icon=":material/error:",
        )
    if state.is_upload:
        st.info(_("You are looking at the files you uploaded (this browser session only)."))
    notices = sidebar.url_notices()
    if notices:
        # A notice quotes a value from the link, which anyone can write: shown literally. One
        # banner for all of them, the first few quoted: a link of 500 junk values is one notice.
        lines = [data.escape_markdown(n.text(_)) for n in notices[:MAX_LINK_NOTICES]]
        if len(notices) > MAX_LINK_NOTICES:
            more = len(notices) - MAX_LINK_NOTICES
            lines.append(
                _("… and {count} more values of the link were ignored.").format(
                    count=page.number(more)
                )
            )
        st.warning("  \n".join(lines), icon=":material/link_off:")
    illustrative = sum(page.dataset.illustrative.values())
    if illustrative and page.filters.public_only:
        st.caption(
            _(
                "Public sources only: the {count} illustrative records of this data are left "
                "out of every figure, map, table and download."
            ).format(count=page.number(illustrative)),
        )
    elif illustrative:
        st.caption(
            _(
                "{count} records in this data are illustrative (not from a public source): "
                "every figure says how many of them it counts, and the Data page lists them. "
                "'Public sources only' in the sidebar leaves them out."
            ).format(count=page.number(illustrative))
        )
