"""Aggregates and figures built once per data version, filter state and language.

Going back to a filter, or opening another page with the same filter, finds the figures here
instead of building them again. The store is shared by every session (st.cache_resource: no
copy on read; pages only read what they get) and bounded: the least recently used entries go
first. Aggregates and figures are small; filtered rows are not, so they have a store of their
own that keeps only a few filter states.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")

# Figures and aggregates: a few KB each at any data size.
MAX_RESULTS = 512
# Filtered rows (three tables per filter state) and tables of rows: at a million requests
# one can hold tens of megabytes.
MAX_FRAMES = 12
MAX_ROW_TABLES = 8


class Lru:
    """A thread-safe least-recently-used store (Streamlit runs each session in its own thread)."""

    def __init__(self, size: int):
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return the value stored under key, building and storing it when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        # Built outside the lock: two sessions may build the same value once each, but one
        # slow build never holds up the others.
        value = build()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


def for_data(ds, name: Hashable, build: Callable[[], T]) -> T:
    """Return build(), computed once per data version: for what depends on the data only."""
    return results().get((ds.origin, ds.version, name), build)


@st.cache_resource(show_spinner=False)
def results() -> Lru:
    """The store of aggregates and figures."""
    return Lru(MAX_RESULTS)


@st.cache_resource(show_spinner=False)
def frames() -> Lru:
    """The store of filtered rows."""
    return Lru(MAX_FRAMES)


@st.cache_resource(show_spinner=False)
def row_tables() -> Lru:
    """The store of tables with a row per filtered record (shown a page at a time)."""
    return Lru(MAX_ROW_TABLES)
