"""The dashboard's pages, declared once: file, title, icon and URL path.

dashboard.py hands them to `st.navigation` with its menu hidden: the sidebar draws their links
itself (`links`, above the filters), each with the filter's query string, so that following a
link keeps the view. A report's "All pages" are these titles (ui/report.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from acpeu_data.i18n import Translate
from acpeu_data.validate import N_


@dataclass(frozen=True)
class PageEntry:
    """One page: its script (relative to dashboard.py), English title, icon and URL path."""

    file: str
    title: str
    icon: str
    # "" for the default page, at the app's root (/).
    url_path: str


PAGES = (
    PageEntry("app_pages/overview.py", N_("Overview"), ":material/dashboard:", ""),
    PageEntry("app_pages/requests.py", N_("Requests"), ":material/assignment:", "requests"),
    PageEntry("app_pages/pipeline.py", N_("Pipeline"), ":material/conveyor_belt:", "pipeline"),
    PageEntry("app_pages/countries.py", N_("Countries"), ":material/public:", "countries"),
    PageEntry("app_pages/meetings.py", N_("Meetings"), ":material/groups:", "meetings"),
    PageEntry("app_pages/data.py", N_("Data"), ":material/table:", "data"),
)


def choose(_: Translate) -> tuple[PageEntry, st.Page]:
    """Register the pages with st.navigation (its menu hidden); return the one to show."""
    # No icon here: a page's icon becomes the tab's favicon, fetched from Google's servers
    # (the app's own favicon is set by ui.screen.open_page; the links draw the icons).
    pages = [
        st.Page(
            entry.file,
            title=_(entry.title),
            url_path=entry.url_path or None,
            default=not entry.url_path,
        )
        for entry in PAGES
    ]
    shown = st.navigation(pages, position="hidden")
    entry = next(e for e, p in zip(PAGES, pages, strict=True) if p.url_path == shown.url_path)
    return entry, shown


def links(_: Translate, query: dict[str, list[str]]) -> None:
    """Draw a link to every page that carries `query` (the filter and language) along."""
    for entry in PAGES:
        st.page_link(entry.file, label=_(entry.title), icon=entry.icon, query_params=query)
