"""Requests over their life: each request's status on any day, stages, ageing, what changed.

The history of a request is its `request_events` rows when the data has them, after an implicit
`received` on its received_on. Without events (no table, or a request the table does not name)
it is estimated from requests.csv: the request's status from its receipt on, except that a
completed request with a completed_on is `ongoing` from receipt to completion.

Everything is numpy over all events of the loaded data, built once per data version
(`history(ds)`); the functions take the (filtered) requests and cut by their index, which is the
request's position in ds.requests (the loader numbers rows 0..n-1 and filters keep the labels).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from acpeu_data import arrays, contract
from acpeu_data.dataset import Dataset
from acpeu_data.validate import N_

STATUS_CODES: tuple[str, ...] = tuple(contract.STATUSES)
_CODE = {code: i for i, code in enumerate(STATUS_CODES)}
_FINAL = np.array([code in contract.FINAL_STATUSES for code in STATUS_CODES])
_OPEN = np.array([code in contract.OPEN_STATUSES for code in STATUS_CODES])
# Age of an open request in days since receipt: the bands of the ageing chart (upper bounds).
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 30),
    (31, 90),
    (91, 180),
    (181, 365),
    (366, 730),
    (731, None),
)
# What happened, in the list of changes between two dates.
KINDS: dict[str, str] = {
    "new": N_("New request"),
    "change": N_("Status change"),
    "completed": N_("Completion"),
    "rejected": N_("Rejection"),
    "withdrawn": N_("Withdrawal"),
}
_KEPT_DAYS = 8  # statuses as of this many days are kept per data version


@dataclass(frozen=True)
class History:
    """Every status change of the loaded requests, sorted by request, then day, then file order.

    `rows` is the request's position in ds.requests, `days` the day (datetime64[D]), `status`
    an index into STATUS_CODES; `starts[i]:starts[i + 1]` are request i's changes (at least one:
    its receipt). `estimated[i]` is True where request i's history comes from requests.csv alone.
    `months[j]` is days[j]'s month as months since 1970 (computed once: numpy's month of a day
    is slow, and the stages by month read it on every filter change).
    """

    rows: np.ndarray
    days: np.ndarray
    status: np.ndarray
    starts: np.ndarray
    estimated: np.ndarray
    months: np.ndarray

    @property
    def is_estimated(self) -> bool:
        return bool(self.estimated.any())


def _build(requests: pd.DataFrame, events: pd.DataFrame) -> History:
    n = len(requests)
    received = arrays.column(requests, "received_on").astype("datetime64[D]")
    completed = arrays.column(requests, "completed_on").astype("datetime64[D]")
    status = pd.Index(STATUS_CODES).get_indexer(requests["status"].to_numpy(dtype=object))
    positions = np.arange(n)
    at = pd.Index(requests["request_id"]).get_indexer(events["request_id"].to_numpy(dtype=object))
    named = np.zeros(n, dtype=bool)
    found = at >= 0
    named[at[found]] = True
    estimated = ~named
    done = estimated & (status == _CODE["completed"]) & ~np.isnat(completed)
    first = np.where(named, _CODE["received"], np.where(done, _CODE["ongoing"], status))
    event_days = events["changed_on"].to_numpy().astype("datetime64[D]")[found]
    event_status = pd.Index(STATUS_CODES).get_indexer(events["status"].to_numpy(dtype=object))
    rows = np.concatenate([positions, positions[done], at[found]])
    days = np.concatenate([received, completed[done], event_days])
    codes = np.concatenate(
        [first, np.full(int(done.sum()), _CODE["completed"]), event_status[found]]
    )
    # Same day: the receipt first, then the file's order.
    order_in_day = np.concatenate(
        [np.zeros(n + int(done.sum()), dtype=np.int64), 1 + np.flatnonzero(found)]
    )
    order = np.lexsort((order_in_day, days, rows))
    rows, days, codes = rows[order], days[order], codes[order].astype(np.int8)
    starts = np.searchsorted(rows, np.arange(n + 1))
    months = days.astype("datetime64[M]").astype(np.int64)
    return History(rows, days, codes, starts, estimated, months)


def history(ds: Dataset) -> History:
    """Return the status history of ds.requests, built once per loaded dataset."""
    return arrays.cached_with(ds.requests, ds.request_events, "history", _build)


def _day(day: dt.date) -> np.datetime64:
    return np.datetime64(day.isoformat(), "D")


def _counts_until(h: History, day: np.datetime64) -> np.ndarray:
    """Return per request how many of its changes happened on or before `day`."""
    upto = np.concatenate([[0], np.cumsum(h.days <= day, dtype=np.int64)])
    return upto[h.starts[1:]] - upto[h.starts[:-1]]


_CACHE_LOCK = threading.Lock()


def status_codes_as_of(ds: Dataset, day: dt.date) -> np.ndarray:
    """Return each request's status on `day` (index into STATUS_CODES; -1: not yet received).

    Read-only; kept for the last few days asked per dataset.
    """
    h = history(ds)
    kept = arrays.cached_with(ds.requests, ds.request_events, "as_of", lambda _r, _e: OrderedDict())
    with _CACHE_LOCK:
        if day in kept:
            kept.move_to_end(day)
            return kept[day]
    count = _counts_until(h, _day(day))
    last = h.starts[:-1] + count - 1
    codes = np.where(count > 0, h.status[np.maximum(last, 0)], -1).astype(np.int8)
    codes.flags.writeable = False
    with _CACHE_LOCK:
        kept[day] = codes
        while len(kept) > _KEPT_DAYS:
            kept.popitem(last=False)
    return codes


def status_as_of(ds: Dataset, day: dt.date) -> pd.Series:
    """Return each request's status code on `day` as text ("" before its receipt)."""
    codes = status_codes_as_of(ds, day)
    names = np.array([*STATUS_CODES, ""], dtype=object)
    return pd.Series(names[codes], index=ds.requests.index, dtype="str")


_SORTED = pd.Index(sorted(STATUS_CODES))
_TO_SORTED = np.array([_SORTED.get_loc(code) for code in STATUS_CODES] + [-1], dtype=np.int8)


def as_of(ds: Dataset, subset: pd.DataFrame, mask: np.ndarray, day: dt.date) -> pd.DataFrame:
    """Set the status and completed_on of `subset` (a new ds.requests[mask], recorded with
    arrays.subset) to those it had on `day`; return it.

    A completion after `day` is left out. The subset's arrays are set to the new columns.
    """
    codes = status_codes_as_of(ds, day)[mask]
    names = np.array([*STATUS_CODES, ""], dtype=object)
    completed = arrays.column(ds.requests, "completed_on")[mask]
    later = completed > np.datetime64(day.isoformat()).astype(completed.dtype)
    completed = np.where(later, np.datetime64("NaT"), completed).astype(completed.dtype)
    subset["status"] = pd.Series(names[codes], index=subset.index, dtype="str")
    subset["completed_on"] = pd.Series(completed, index=subset.index)
    where = {code: i for i, code in enumerate(_SORTED)}
    status = arrays.Codes(_TO_SORTED[codes], _SORTED, where)
    arrays.override(subset, ("codes", "status"), status)
    arrays.override(subset, ("column", "completed_on"), arrays.frozen(completed))
    arrays.override(subset, ("column", "status"), arrays.frozen(names[codes]))
    return subset


# --- the Pipeline page ---------------------------------------------------------------------------


def _positions(requests: pd.DataFrame) -> np.ndarray:
    return np.asarray(requests.index, dtype=np.int64)


def _reference_day(day: dt.date | None) -> dt.date:
    return day or dt.date.today()


def by_stage(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests per status (as the frame gives it: as of To when filtered with one)."""
    values = arrays.codes(requests, "status")
    counts = values.counts()
    return pd.DataFrame(
        {
            "status": list(STATUS_CODES),
            "label": list(contract.STATUSES.values()),
            "requests": [values.count_of(counts, code) for code in STATUS_CODES],
        }
    )


@dataclass(frozen=True)
class _Stages:
    """The stage changes of some requests up to a day (positions into the History).

    `index`: each change that starts a new stage, in order; `starts`, `ends`: the change that
    starts and the one that ends each stay that ended (same request, next stage).
    """

    index: np.ndarray
    follows: np.ndarray  # follows[i]: index[i + 1] is the same request's next stage
    starts: np.ndarray
    ends: np.ndarray


def _stages(h: History, requests: pd.DataFrame, day: np.datetime64 | None) -> _Stages:
    """Return the stages of `requests` up to `day`, computed once per requests frame and day
    (the Pipeline page asks for them four times)."""
    kept = arrays.cached(requests, "stage_changes", lambda _f: {}, from_root=False)
    key = (id(h), day)
    found = kept.get(key)
    if found is None:
        found = _stage_changes(h, _positions(requests), day)
        kept.clear()  # one day at a time: a filter state has one To
        kept[key] = found
    return found


def _stage_changes(h: History, rows: np.ndarray, day: np.datetime64 | None) -> _Stages:
    index = _changes_of(h, rows)
    if day is not None:
        index = index[h.days[index] <= day]
    r, s = h.rows[index], h.status[index]
    new = np.ones(len(index), dtype=bool)
    new[1:] = (r[1:] != r[:-1]) | (s[1:] != s[:-1])
    index = index[new]
    follows = h.rows[index[1:]] == h.rows[index[:-1]]
    return _Stages(index, follows, index[:-1][follows], index[1:][follows])


def _changes_of(h: History, rows: np.ndarray) -> np.ndarray:
    """Return the positions in `h` of the changes of the requests at `rows`, in h's order.

    Read from each request's range of changes (h.starts): a third of the requests touches a
    third of the changes, not every change of the loaded table as a mask over them would.
    """
    if len(rows) > 1 and not (rows[1:] > rows[:-1]).all():
        rows = np.unique(rows)
    begin = h.starts[rows]
    length = h.starts[rows + 1] - begin
    ends = np.cumsum(length)
    # A change's position: its request's first change plus its place among that request's.
    return np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(begin - (ends - length), length)


def _when(day: dt.date | None) -> np.datetime64 | None:
    return None if day is None else _day(day)


def stays(ds: Dataset, requests: pd.DataFrame, day: dt.date | None = None) -> pd.DataFrame:
    """Return one row per stay of a request in a stage that ended by `day` (None: any time).

    Columns: request_id, status, start, end (the day of the next change), days.
    """
    h = history(ds)
    found = _stages(h, requests, _when(day))
    starts, ends = found.starts, found.ends
    ids = ds.requests["request_id"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "request_id": ids[h.rows[starts]],
            "status": np.array(STATUS_CODES, dtype=object)[h.status[starts]],
            "start": h.days[starts].astype("datetime64[us]"),
            "end": h.days[ends].astype("datetime64[us]"),
            "days": (h.days[ends] - h.days[starts]).astype(np.int64),
        }
    )


def time_in_stage(ds: Dataset, requests: pd.DataFrame, day: dt.date | None = None) -> pd.DataFrame:
    """Return per open stage the stays that ended by `day`: count, median, quartiles, min, max."""
    h = history(ds)
    found = _stages(h, requests, _when(day))
    days = (h.days[found.ends] - h.days[found.starts]).astype(np.int64)
    stage = h.status[found.starts]
    order = np.argsort(stage, kind="stable")
    days, stage = days[order], stage[order]
    bounds = np.searchsorted(stage, np.arange(len(STATUS_CODES) + 1))
    rows = []
    for code in contract.OPEN_STATUSES:
        i = _CODE[code]
        spent = days[bounds[i] : bounds[i + 1]]
        low: int | None
        high: int | None
        if len(spent):
            q1, median, q3 = np.percentile(spent, [25, 50, 75])
            low, high = int(spent.min()), int(spent.max())
        else:
            q1 = median = q3 = float("nan")
            low = high = None
        rows.append(
            {
                "status": code,
                "label": contract.STATUSES[code],
                "stays": len(spent),
                "median": float(median),
                "q1": float(q1),
                "q3": float(q3),
                "min": low,
                "max": high,
            }
        )
    frame = pd.DataFrame(rows)
    frame["min"] = frame["min"].astype("Int64")
    frame["max"] = frame["max"].astype("Int64")
    return frame


def stages_by_month(
    ds: Dataset, requests: pd.DataFrame, day: dt.date | None = None
) -> pd.DataFrame:
    """Return, for every month from the first receipt to `day` (or the last change), the
    requests in each stage at the month's end (tidy: month, status, label, requests; the rows
    of one status together, months in order)."""
    h = history(ds)
    columns = ["month", "status", "label", "requests"]
    found = _stages(h, requests, _when(day))
    index = found.index
    if not len(index):
        return pd.DataFrame(columns=columns)
    months = h.months[index]
    first = int(months.min())
    last_day = _day(day) if day is not None else h.days[index].max()
    count = int(last_day.astype("datetime64[M]").astype(np.int64)) - first + 1
    begin = months - first
    end = np.full(len(index), count, dtype=np.int64)  # still in that stage at the last month
    end[:-1][found.follows] = begin[1:][found.follows]
    stage = h.status[index].astype(np.int64)
    width = count + 1
    delta = np.bincount(stage * width + begin, minlength=len(STATUS_CODES) * width)
    delta -= np.bincount(stage * width + end, minlength=len(STATUS_CODES) * width)
    per = np.cumsum(delta.reshape(len(STATUS_CODES), width), axis=1)[:, :count]
    starts = np.arange(first, first + count).astype("datetime64[M]").astype("datetime64[us]")
    return pd.DataFrame(
        {
            "month": np.tile(starts, len(STATUS_CODES)),
            "status": np.repeat(np.array(STATUS_CODES, dtype=object), count),
            "label": np.repeat(np.array(list(contract.STATUSES.values()), dtype=object), count),
            "requests": per.ravel().astype(np.int64),
        }
    )


def moves(ds: Dataset, requests: pd.DataFrame, day: dt.date | None = None) -> pd.DataFrame:
    """Return how many times requests moved from one stage to another (up to `day`)."""
    h = history(ds)
    found = _stages(h, requests, _when(day))
    a = h.status[found.starts].astype(np.int64)
    b = h.status[found.ends].astype(np.int64)
    size = len(STATUS_CODES)
    counts = np.bincount(a * size + b, minlength=size * size)
    hit = np.flatnonzero(counts)
    return pd.DataFrame(
        {
            "from_status": np.array(STATUS_CODES, dtype=object)[hit // size],
            "to_status": np.array(STATUS_CODES, dtype=object)[hit % size],
            "moves": counts[hit].astype(np.int64),
        }
    )


# The columns of the requests ages() keeps (the table of the oldest shows them).
AGE_COLUMNS = ("request_id", "requester_name", "topics", "status", "received_on")


def ages(requests: pd.DataFrame, day: dt.date | None = None) -> pd.DataFrame:
    """Return the open requests (received, under review, approved, ongoing) with their age in
    days on `day` (None: today), oldest first: AGE_COLUMNS and `days`, index kept.

    Only those columns are copied (a million requests leave many open); open_requests gives
    the full rows."""
    reference = np.datetime64(_reference_day(day).isoformat(), "D")
    status = arrays.codes(requests, "status")
    open_ = status.isin(contract.OPEN_STATUSES)
    received = arrays.column(requests, "received_on")[open_].astype("datetime64[D]")
    age = (reference - received).astype(np.int64)
    order = np.argsort(-age, kind="stable")
    rows = np.flatnonzero(open_)[order]
    out = {name: requests[name].array.take(rows) for name in AGE_COLUMNS}
    return pd.DataFrame({**out, "days": age[order]}, index=requests.index.take(rows))


def open_requests(requests: pd.DataFrame, aged: pd.DataFrame) -> pd.DataFrame:
    """Return the full rows of `requests` that ages() listed, in its order (for downloads)."""
    return requests.loc[aged.index]


def age_bands(aged: pd.DataFrame) -> pd.DataFrame:
    """Return open requests per band of age (AGE_BANDS), every band listed."""
    days = aged["days"].to_numpy()
    rows = []
    for low, high in AGE_BANDS:
        inside = (days >= low) if high is None else (days >= low) & (days <= high)
        label = f"{low}+" if high is None else f"{low}–{high}"
        rows.append(
            {"from_days": low, "to_days": high, "label": label, "requests": int(inside.sum())}
        )
    frame = pd.DataFrame(rows)
    frame["to_days"] = frame["to_days"].astype("Int64")
    return frame


def changes_between(
    ds: Dataset, requests: pd.DataFrame, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Return what happened to `requests` from `start` to `end` (both included), by day.

    One row per receipt and per change of status: changed_on, request_id, status, note (empty),
    previous_status ("" for a new request), kind (a key of KINDS), requester, estimated.
    In the contract's request_events columns first, so a download loads back as such a table.
    """
    h = history(ds)
    index = _stages(h, requests, _day(end)).index
    previous = np.full(len(index), -1, dtype=np.int64)
    same = np.zeros(len(index), dtype=bool)
    same[1:] = h.rows[index[1:]] == h.rows[index[:-1]]
    previous[1:][same[1:]] = h.status[index[:-1]][same[1:]]
    inside = h.days[index] >= _day(start)
    index, previous, same = index[inside], previous[inside], same[inside]
    rows = h.rows[index]
    status = np.array(STATUS_CODES, dtype=object)[h.status[index]]
    kind = np.where(
        ~same,
        "new",
        np.where(np.isin(status, ("completed", "rejected", "withdrawn")), status, "change"),
    ).astype(object)
    names = np.array([*STATUS_CODES, ""], dtype=object)
    frame = pd.DataFrame(
        {
            "request_id": ds.requests["request_id"].to_numpy(dtype=object)[rows],
            "status": status,
            "changed_on": h.days[index].astype("datetime64[us]"),
            "note": "",
            "previous_status": names[previous],
            "kind": kind,
            "requester": ds.requests["requester_name"].to_numpy(dtype=object)[rows],
            "estimated": h.estimated[rows],
        }
    )
    return frame.sort_values(["changed_on", "request_id"], kind="stable").reset_index(drop=True)


def change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """Return how many changes of each kind (KINDS order, zeros included)."""
    counts = changes["kind"].value_counts()
    return {kind: int(counts.get(kind, 0)) for kind in KINDS}
