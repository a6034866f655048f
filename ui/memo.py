"""Aggregates and figures built once per data version, filter state and language.

Going back to a filter, or opening another page with the same filter, finds the figures here
instead of building them again. The store is shared by every session (st.cache_resource: no
copy on read; pages only read what they get) and bounded: the least recently used entries go
first, and each store is bounded by an estimate of its bytes too (256 MB in all), so that no
data, however odd, can make them grow without bound. Aggregates and figures are small;
filtered rows are not, so they have a store of their own that keeps only a few filter states.
What was built from an upload is forgotten when the last session holding it ends
(ui.data.uploads).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import numpy as np
import pandas as pd
import streamlit as st
from plotly.basedatatypes import BaseFigure

import acpeu_data as ad

T = TypeVar("T")

MB = 2**20
# Figures and aggregates: a few KB each at any data size.
MAX_RESULTS = 512
# Filtered rows (three tables per filter state) and tables of rows: at a million requests
# one can hold tens of megabytes.
MAX_FRAMES = 12
MAX_ROW_TABLES = 8
# Each store is bounded by bytes as well (an estimate: ui.memo.size_of), 256 MB in all. A value
# larger than its store's budget is returned but not kept.
RESULTS_BYTES = 32 * MB
FRAMES_BYTES = 128 * MB
ROW_TABLES_BYTES = 96 * MB
BUDGET_BYTES = RESULTS_BYTES + FRAMES_BYTES + ROW_TABLES_BYTES


# Values size_of counts as they are (sys.getsizeof), checked by exact type first.
_SCALARS = frozenset({int, float, bool, str, bytes, type(None)})


def size_of(value: object, depth: int = 0) -> int:
    """Return an estimate of the bytes `value` holds (frames, arrays, figures, containers).

    Frames count their own buffers, not the Python objects they point to (lists of codes are
    shared with the loaded dataset); a figure counts its traces and layout.
    """
    if type(value) in _SCALARS:  # the bulk of a figure's numbers: no isinstance chain
        return sys.getsizeof(value)
    if isinstance(value, pd.DataFrame):
        return _frame_bytes(value)
    if isinstance(value, pd.Series | pd.Index):
        usage = value.memory_usage(deep=False)
        return int(usage.sum() if isinstance(usage, pd.Series) else usage)
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, str | bytes):
        return sys.getsizeof(value)
    if depth > 8:
        return sys.getsizeof(value)
    if isinstance(value, BaseFigure):
        # The figure's own trace and layout dicts (to_dict() would copy them first).
        return size_of(value._data, depth + 1) + size_of(value._layout, depth + 1)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(
            size_of(k, depth + 1) + size_of(v, depth + 1) for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        if all(type(item) in _SCALARS for item in value):  # numbers or labels: no recursion
            return sys.getsizeof(value) + sum(map(sys.getsizeof, value))
        return sys.getsizeof(value) + sum(size_of(item, depth + 1) for item in value)
    attributes = getattr(value, "__dict__", None)
    if attributes is not None:  # dataclasses such as headline_figures.Kpis
        return sys.getsizeof(value) + size_of(attributes, depth + 1)
    return sys.getsizeof(value)


def _frame_bytes(frame: pd.DataFrame) -> int:
    """Return frame.memory_usage(deep=False).sum(), read from its blocks' buffers.

    memory_usage builds a Series per column (about 0.5 ms for a table of 20 columns, several
    times per rerun); the blocks hold the same buffers (pandas' own, hence the fallback).
    """
    arrays = getattr(getattr(frame, "_mgr", None), "arrays", None)
    if arrays is None:
        return int(frame.memory_usage(deep=False).sum())
    return int(frame.index.memory_usage(deep=False)) + sum(int(a.nbytes) for a in arrays)


class Lru:
    """A thread-safe least-recently-used store (Streamlit runs each session in its own thread),
    bounded by entries and by bytes."""

    def __init__(self, size: int, max_bytes: int | None = None):
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0

    def get(
        self, key: Hashable, build: Callable[[], T], *, size: Callable[[T], int] | None = None
    ) -> T:
        """Return the value stored under key, building and storing it when missing.

        `size` estimates the bytes of a built value (default: size_of).
        """
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]  # type: ignore[return-value]
        # Built outside the lock: two sessions may build the same value once each, but one
        # slow build never holds up the others.
        value = build()
        nbytes = (size or size_of)(value) if self._max_bytes is not None else 0
        if self._max_bytes is not None and nbytes > self._max_bytes:
            return value  # larger than the whole store: used once, never kept
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, nbytes)
            self._bytes += nbytes
            while len(self._items) > self._size or (
                self._max_bytes is not None and self._bytes > self._max_bytes
            ):
                _key, (_value, freed) = self._items.popitem(last=False)
                self._bytes -= freed
        return value

    def forget(self, matches: Callable[[Hashable], bool]) -> int:
        """Remove every entry whose key matches; return how many went."""
        with self._lock:
            gone = [key for key in self._items if matches(key)]
            for key in gone:
                self._bytes -= self._items.pop(key)[1]
        return len(gone)

    @property
    def nbytes(self) -> int:
        """The estimated bytes held (0 for a store without a byte budget)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


def for_data(ds: ad.Dataset, name: Hashable, build: Callable[[], T]) -> T:
    """Return build(), computed once per data version: for what depends on the data only."""
    return results().get((ds.origin, ds.version, name), build)


@st.cache_resource(show_spinner=False)
def results() -> Lru:
    """The store of aggregates and figures."""
    return Lru(MAX_RESULTS, RESULTS_BYTES)


@st.cache_resource(show_spinner=False)
def frames() -> Lru:
    """The store of filtered rows."""
    return Lru(MAX_FRAMES, FRAMES_BYTES)


@st.cache_resource(show_spinner=False)
def row_tables() -> Lru:
    """The store of tables with a row per filtered record (shown a page at a time)."""
    return Lru(MAX_ROW_TABLES, ROW_TABLES_BYTES)


def stores() -> list[Lru]:
    """The three stores, for measuring and forgetting."""
    return [results(), frames(), row_tables()]


def forget_data(origin: str, version: tuple) -> int:
    """Remove everything built from one data version (e.g. an upload whose sessions ended)."""

    # Every key starts with (origin, version, ...): see for_data and ui.screen._state_key.
    def matches(key: Hashable) -> bool:
        return isinstance(key, tuple) and key[:2] == (origin, version)

    return sum(store.forget(matches) for store in stores())
