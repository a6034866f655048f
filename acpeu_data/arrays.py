"""Numpy arrays of a table's columns, computed once per loaded table and shared with its subsets.

Filters and aggregates run on every rerun. On small tables their cost is the overhead of each
pandas call, and on large ones isin over Arrow strings, which walks its argument in Python. So
the columns they read are turned once into numpy arrays (text into integer codes), kept per
DataFrame object, and a filtered subset gets its arrays by masking the loaded table's rather
than by reading its own columns again.

What is kept is found by the frame's identity: treat the tables and subsets as read-only.

A filtered subset (`rows`) takes its text columns only when something reads them: the figures
read the arrays kept here, so a page of figures never copies the text of the rows it counts
(at a million requests, most of what a filter change cost). A column read is taken then,
exactly as `frame[mask]` takes it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd
from pandas.arrays import ArrowStringArray


class _Facts:
    """What was computed for one DataFrame, and which loaded table (root, mask) it was cut from."""

    __slots__ = ("_positions", "frame", "mask", "root", "values")

    def __init__(self, frame: weakref.ref, root: _Facts | None, mask: np.ndarray | None) -> None:
        self.frame = frame
        self.root = root
        self.mask = mask
        self.values: dict = {}
        self._positions: np.ndarray | None = None

    @property
    def positions(self) -> np.ndarray:
        """The positions where `mask` is True: taking them is many times faster than masking
        (a million rows: 0.2 ms against 4.5 ms per array)."""
        if self._positions is None:
            assert self.mask is not None  # only a subset has positions
            self._positions = np.flatnonzero(self.mask)
        return self._positions


_FACTS: dict[int, _Facts] = {}


def _track(
    frame: pd.DataFrame, root: _Facts | None = None, mask: np.ndarray | None = None
) -> _Facts:
    key = id(frame)

    # The store itself, not the module's name for it: a frame that goes while the interpreter
    # shuts down (module globals already None) is then forgotten quietly.
    def forget(_ref: weakref.ref, store: dict[int, _Facts] = _FACTS) -> None:
        store.pop(key, None)

    facts = _Facts(weakref.ref(frame, forget), root, mask)
    _FACTS[key] = facts
    return facts


def _facts(frame: pd.DataFrame) -> _Facts:
    hit = _FACTS.get(id(frame))
    if hit is not None and hit.frame() is frame:
        return hit
    return _track(frame)


def subset(parent: pd.DataFrame, child: pd.DataFrame, mask: np.ndarray) -> None:
    """Record that `child` is parent[mask] (a boolean array), so that it masks the parent's arrays."""
    facts = _facts(parent)
    if facts.root is not None and facts.root.frame() is not None:
        # One level only: a subset of a subset masks the loaded table with the combined mask.
        assert facts.mask is not None  # a subset is tracked with its root and mask together
        full = facts.mask.copy()
        full[full] = mask
        _track(child, facts.root, full)
    else:
        _track(child, facts, mask)


def rows(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """Return frame[mask] (a boolean array), recorded as a subset (see `subset`).

    The same frame as frame[mask] (values, dtypes, index, columns), but its Arrow text columns
    are taken from `frame` when first read (_TakenLater): read-only, as every subset here.
    """
    positions = np.flatnonzero(mask)
    columns: dict[int, Any] = {}
    # Each column's own array, without a Series per column (frame.iloc[:, i] costs about 50 µs).
    for i, values in enumerate(frame._iter_column_arrays()):
        if type(values) is ArrowStringArray:
            columns[i] = _TakenLater.of(values, positions)
        elif isinstance(values, np.ndarray):
            columns[i] = values[positions]
        else:
            columns[i] = values.take(positions)
    out = pd.DataFrame(columns, index=frame.index[positions], copy=False)
    out.columns = frame.columns
    out = out.__finalize__(frame)
    subset(frame, out, mask)
    return out


_TAKING = threading.Lock()


class _TakenLater(ArrowStringArray):
    """Rows of an Arrow text column, taken when first read: until then the column and the
    rows' positions; then an ordinary ArrowStringArray (its class is switched back), holding
    what ArrowStringArray.take(positions) gives. Its own `take` (a subset of the subset, a
    sorted table's first rows) is taken later too. Any other construction of this class (pandas
    builds results with type(self)) makes an ordinary ArrowStringArray.
    """

    def __init__(self, values, *, dtype=None) -> None:
        self.__class__ = ArrowStringArray
        ArrowStringArray.__init__(self, values, dtype=dtype)

    @classmethod
    def of(cls, source: ArrowStringArray, positions: np.ndarray) -> _TakenLater:
        later = object.__new__(cls)
        later.__dict__.update(_source=source, _positions=positions, _dtype=source.dtype, _cache={})
        return later

    def __getattr__(self, name: str):
        # Called only for attributes not found: _pa_array until the rows are taken.
        if name != "_pa_array":
            raise AttributeError(name)
        with _TAKING:
            state = self.__dict__
            if "_pa_array" not in state:
                # As ArrowExtensionArray.take does it (positions are in range, none negative).
                state["_pa_array"] = state.pop("_source")._pa_array.take(state.pop("_positions"))
                self.__class__ = ArrowStringArray
            return state["_pa_array"]

    def take(self, indices, *, allow_fill: bool = False, fill_value=None):
        """Return the rows at `indices`, still taken later (ArrowStringArray.take otherwise)."""
        with _TAKING:
            source, positions = self.__dict__.get("_source"), self.__dict__.get("_positions")
        wanted = np.asarray(indices, dtype=np.intp)
        if positions is None or (allow_fill and (wanted < 0).any()):
            return super().take(indices, allow_fill=allow_fill, fill_value=fill_value)
        if wanted.size and (wanted.max() >= len(positions) or wanted.min() < -len(positions)):
            raise IndexError("out of bounds value in 'indices'.")
        return _TakenLater.of(source, positions[wanted])

    def __getitem__(self, item):
        """A slice is taken later too, a single row read from the column; else as ArrowStringArray."""
        with _TAKING:
            source, positions = self.__dict__.get("_source"), self.__dict__.get("_positions")
        if positions is not None and isinstance(item, slice):
            return _TakenLater.of(source, positions[item])
        if positions is not None and isinstance(item, int | np.integer):
            return source[positions[item]]
        return super().__getitem__(item)

    def __len__(self) -> int:
        positions = self.__dict__.get("_positions")
        return len(self._pa_array) if positions is None else len(positions)

    @property
    def nbytes(self) -> int:
        """The bytes the rows will take (an estimate from the column's) until they are taken."""
        state = self.__dict__
        if "_positions" not in state:
            return self._pa_array.nbytes
        source = state["_source"]
        return source.nbytes * len(state["_positions"]) // max(len(source), 1)

    def __reduce_ex__(self, protocol):
        self._pa_array  # noqa: B018 taken now: an ordinary array, pickled as one
        return self.__reduce_ex__(protocol)


def _masked(value, facts: _Facts):
    """Return value[facts.mask] (taken at its positions), or value.masked(mask, positions)."""
    if isinstance(value, np.ndarray):
        return value.take(facts.positions)
    return value.masked(facts.mask, facts.positions)


def cached(frame: pd.DataFrame, name, compute: Callable, from_root: bool = True):
    """Return compute(frame), computed once per frame.

    With `from_root`, a recorded subset masks its root's value (compute(root)[mask] must then
    equal compute(subset)); values are numpy arrays or have a `masked(mask, positions)`
    method (positions: np.flatnonzero(mask)).
    """
    facts = _facts(frame)
    try:
        return facts.values[name]
    except KeyError:
        pass
    root = facts.root.frame() if from_root and facts.root is not None else None
    if root is not None:
        assert facts.mask is not None  # a subset is tracked with its root and mask together
        value = _masked(cached(root, name, compute), facts)
    else:
        value = compute(frame)
    facts.values[name] = value
    return value


def override(frame: pd.DataFrame, name, value) -> None:
    """Set what cached(frame, name, ...) returns: for a subset whose column was replaced."""
    _facts(frame).values[name] = value


def cached_with(frame: pd.DataFrame, other: pd.DataFrame, name, compute: Callable):
    """Return compute(frame, other), computed once per pair of frames (not shared with subsets)."""
    values = _facts(frame).values
    key = (name, id(other))
    hit = values.get(key)
    if hit is not None and hit[0]() is other:
        return hit[1]
    value = compute(frame, other)
    # Forget this name's values for frames gone (a loaded table paired with many subsets).
    gone = [k for k, v in values.items() if _paired(k, name) and v[0]() is None]
    for k in gone:
        del values[k]
    values[key] = (weakref.ref(other), value)
    return value


def _paired(key, name) -> bool:
    """Return whether `key` is cached_with's key for `name` (the value: (weakref, value))."""
    return isinstance(key, tuple) and len(key) == 2 and key[0] == name and isinstance(key[1], int)


# --- columns ------------------------------------------------------------------------------------


def column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Return a column as a numpy array (read-only: it is shared)."""
    return cached(frame, ("column", name), lambda f: _frozen(f[name].to_numpy()))


def frozen(values: np.ndarray) -> np.ndarray:
    """Return a read-only view of `values` (arrays here are shared)."""
    return _frozen(values)


def _frozen(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    if values.base is not None or values.flags.writeable:
        values = values.view()
        values.flags.writeable = False
    return values


# Up to this many codes, one comparison each beats a table look-up (and both beat np.isin,
# which sorts: 19 ms for two codes over a million cells, against 0.2 ms compared and 3 ms
# looked up).
_COMPARED_CODES = 8


def isin_codes(codes: np.ndarray, wanted: list[int], size: int) -> np.ndarray:
    """Return True where `codes` (integer codes below `size`; -1 for a missing cell) is one of
    `wanted` (np.isin(codes, wanted), faster for small integer codes)."""
    if not wanted:
        return np.zeros(len(codes), dtype=bool)
    if len(wanted) <= _COMPARED_CODES:
        found = codes == wanted[0]
        for code in wanted[1:]:
            found |= codes == code
        return found
    table = np.zeros(size + 1, dtype=bool)  # the spare last cell answers code -1
    table[wanted] = True
    return table[codes]


class Codes:
    """A column as integer codes into its sorted distinct values (-1 for a missing cell)."""

    __slots__ = ("codes", "uniques", "where")

    def __init__(self, codes: np.ndarray, uniques: pd.Index, where: dict) -> None:
        self.codes = codes
        self.uniques = uniques
        self.where = where

    @classmethod
    def of(cls, values: pd.Series) -> Codes:
        codes, uniques = pd.factorize(values, sort=True)
        return cls(_small(codes, len(uniques)), uniques, {v: i for i, v in enumerate(uniques)})

    def masked(self, _mask: np.ndarray, positions: np.ndarray) -> Codes:
        return Codes(self.codes.take(positions), self.uniques, self.where)

    def isin(self, values: Iterable) -> np.ndarray:
        """Return True where the cell is one of `values` (Series.isin)."""
        wanted = [self.where[v] for v in values if v in self.where]
        return isin_codes(self.codes, wanted, len(self.uniques))

    def eq(self, value) -> np.ndarray:
        """Return True where the cell is `value` (Series == value)."""
        code = self.where.get(value)
        if code is None:
            return np.zeros(len(self.codes), dtype=bool)
        return self.codes == code

    def counts(self, where: np.ndarray | None = None) -> np.ndarray:
        """Return the rows per distinct value (of the rows `where` is True), missing cells left out."""
        codes = self.codes if where is None else self.codes[where]
        return np.bincount(codes + 1, minlength=len(self.uniques) + 1)[1:]

    def sums(self, weights: np.ndarray) -> np.ndarray:
        """Return the sum of `weights` per distinct value (float64), missing cells left out."""
        return np.bincount(self.codes + 1, weights, minlength=len(self.uniques) + 1)[1:]

    def count_of(self, counts: np.ndarray, value) -> int:
        code = self.where.get(value)
        return 0 if code is None else int(counts[code])


def _small(codes: np.ndarray, count: int) -> np.ndarray:
    """Return codes in the smallest integer type that holds -1..count (a million rows: 1 MB)."""
    for kind in (np.int8, np.int16, np.int32):
        if count < np.iinfo(kind).max:
            return codes.astype(kind)
    return codes


def codes(frame: pd.DataFrame, name: str) -> Codes:
    """Return a text column as Codes."""
    return cached(frame, ("codes", name), lambda f: Codes.of(f[name]))


def since(frame: pd.DataFrame, name: str, day: dt.date) -> np.ndarray:
    """Return frame[name] >= day as a boolean array (False for a missing date)."""
    values = column(frame, name)
    if values.dtype.kind != "M":
        return (frame[name] >= pd.Timestamp(day)).to_numpy()
    return values >= pd.Timestamp(day).to_datetime64()


def until(frame: pd.DataFrame, name: str, day: dt.date) -> np.ndarray:
    """Return frame[name] <= day as a boolean array (False for a missing date)."""
    values = column(frame, name)
    if values.dtype.kind != "M":
        return (frame[name] <= pd.Timestamp(day)).to_numpy()
    return values <= pd.Timestamp(day).to_datetime64()


def contains(frame: pd.DataFrame, name: str, value: str) -> np.ndarray:
    """Return True where the list cell of frame[name] holds `value` (explode, then isin)."""

    def compute(f: pd.DataFrame) -> np.ndarray:
        cells = f[name].to_numpy()
        # Rows share list objects (the loader's list cells): test each distinct one once.
        seen: dict[int, bool] = {}
        out = np.empty(len(cells), dtype=bool)
        for i, cell in enumerate(cells):
            hit = seen.get(id(cell))
            if hit is None:
                hit = seen[id(cell)] = _holds(cell, value)
            out[i] = hit
        return _frozen(out)

    return cached(frame, ("contains", name, value), compute)


def _holds(cell, value) -> bool:
    if isinstance(cell, (list, tuple, np.ndarray, pd.Series)):
        return any(item == value for item in cell if isinstance(item, str))
    return isinstance(cell, str) and cell == value


# --- requests: countries per request ------------------------------------------------------------


class Pairs:
    """(row, iso3, beneficiary) pairs of a requests frame as arrays; iso3 as codes."""

    __slots__ = ("beneficiary", "categories", "codes", "rows", "where")

    def __init__(self, rows, codes, beneficiary, categories: pd.Index, where: dict) -> None:
        self.rows = rows
        self.codes = codes
        self.beneficiary = beneficiary
        self.categories = categories
        self.where = where

    def masked(self, mask: np.ndarray, _positions: np.ndarray) -> Pairs:
        keep = np.flatnonzero(mask[self.rows])
        new_rows = (np.cumsum(mask) - 1)[self.rows.take(keep)]
        return Pairs(
            new_rows,
            self.codes.take(keep),
            self.beneficiary.take(keep),
            self.categories,
            self.where,
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "row": self.rows,
                "iso3": pd.Categorical.from_codes(self.codes, categories=self.categories),
                "beneficiary": self.beneficiary,
            }
        )


def _explode_pairs(requests: pd.DataFrame) -> Pairs:
    lists = requests["beneficiaries"].to_numpy()
    lengths = np.fromiter(map(len, lists), np.int64, len(lists))
    # Flattening the lists directly is several times faster than Series.explode.
    listed = np.fromiter(itertools.chain.from_iterable(lists), object, int(lengths.sum()))
    positions = np.arange(len(requests))
    government = (requests["requester_type"] == "government").to_numpy()
    rows = np.concatenate([np.repeat(positions, lengths), positions[government]])
    values = np.concatenate([listed, requests["requester"].to_numpy(dtype=object)[government]])
    found, uniques = pd.factorize(values)
    # One pair per (request, country); np.unique keeps the first, so a government that is its own
    # beneficiary keeps the beneficiary flag (the beneficiaries come first).
    _, first = np.unique(rows * max(len(uniques), 1) + found, return_index=True)
    categories = pd.Index(uniques, dtype="str")
    return Pairs(
        rows[first],
        _small(found[first], len(uniques)),
        first < len(listed),
        categories,
        {value: i for i, value in enumerate(categories)},
    )


def pairs(requests: pd.DataFrame) -> Pairs:
    """Return the requests' country pairs (see filters.request_countries) as arrays."""
    return cached(requests, "pairs", _explode_pairs)


# --- meetings and participation ------------------------------------------------------------------


def _positions_in(meetings: pd.DataFrame, participation: pd.DataFrame) -> np.ndarray | None:
    ids = meetings["meeting_id"]
    if not ids.is_unique:
        return None
    positions = pd.Index(ids).get_indexer(participation["meeting_id"])
    return _frozen(_small(positions, len(ids)))


def meeting_positions(meetings: pd.DataFrame, participation: pd.DataFrame) -> np.ndarray | None:
    """Return each participation row's position in `meetings` (-1: not there).

    None when meeting ids repeat (a row would belong to several meetings). Read-only: kept
    per pair of frames (a page's figures ask for the same pair several times).
    """
    return cached_with(
        participation, meetings, "positions in", lambda p, m: _meeting_positions(m, p)
    )


def _meeting_positions(meetings: pd.DataFrame, participation: pd.DataFrame) -> np.ndarray | None:
    m_facts, p_facts = _facts(meetings), _facts(participation)
    m_root = m_facts.root.frame() if m_facts.root is not None else None
    p_root = p_facts.root.frame() if p_facts.root is not None else None
    positions = cached_with(
        p_root if p_root is not None else participation,
        m_root if m_root is not None else meetings,
        "meeting_positions",
        lambda p, m: _positions_in(m, p),
    )
    if positions is None:
        return None
    if p_root is not None:
        positions = positions.take(p_facts.positions)
    if m_root is not None:
        # Position in the loaded meetings -> position in the subset (-1 when left out).
        kept = m_facts.positions
        rank = np.full(len(m_root) + 1, -1, dtype=np.int64)
        rank[kept] = np.arange(len(kept))
        positions = rank[positions]
    return _frozen(positions)
