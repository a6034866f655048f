"""Figures about requests: counts per topic, type, status, region, month and country,
completion times, SDG targets, and one country's profile (filtered tables in, tidy tables out)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from acpeu_data import arrays, contract
from acpeu_data.dataset import Dataset
from acpeu_data.filters import illustrative_mask, request_countries

PERIODS = {"MS": "M", "QS": "Q", "YS": "Y"}  # requests_over_time's freq -> pandas period
_PERIOD_MONTHS = {"M": 1, "Q": 3, "Y": 12}
TOTAL = "total"  # the `topic` of the all-topics line in requests_over_time


def is_government(requests: pd.DataFrame) -> np.ndarray:
    """Return a boolean array over requests: True where a government requested."""
    return arrays.codes(requests, "requester_type").eq("government")


def reached_countries(pairs: arrays.Pairs) -> np.ndarray:
    """Return the codes of the countries the requests were for, in order of first appearance."""
    return pd.unique(pairs.codes[pairs.beneficiary])


def _counts(requests: pd.DataFrame, column: str, codes: dict[str, str]) -> pd.DataFrame:
    """Return one row per code (in the contract's order, zeros included) with its label and count."""
    values = arrays.codes(requests, column)
    counts = values.counts()
    return pd.DataFrame(
        {
            column: list(codes),
            "label": list(codes.values()),
            "requests": [values.count_of(counts, code) for code in codes],
        }
    )


def requests_by_topic(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests per topic (a request with two topics counts in both)."""
    return pd.DataFrame(
        {
            "topic": list(contract.TOPICS),
            "label": list(contract.TOPICS.values()),
            "requests": [
                int(np.count_nonzero(arrays.column(requests, f"topic_{t}")))
                for t in contract.TOPICS
            ],
        }
    )


def requests_by_typology(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests per type of assistance (requests with no typology are left out)."""
    return _counts(requests, "typology", contract.TYPOLOGIES)


def requests_by_status(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests per status, in the order a request moves through them."""
    return _counts(requests, "status", contract.STATUSES)


def requests_by_region(requests: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Return requests per region of the requester, for every region listed (zeros included)."""
    values = arrays.codes(requests, "region")
    counts = values.counts()
    return pd.DataFrame(
        {"region": regions, "requests": [values.count_of(counts, r) for r in regions]}
    )


def requests_over_time(
    requests: pd.DataFrame, freq: str = "MS", include_total: bool = False
) -> pd.DataFrame:
    """Return requests received per month and topic, with the running total per topic.

    Every month from the first to the last request is present, so lines are continuous. With
    `include_total`, rows whose topic is TOTAL count each request once, whatever its topics.
    `freq` is "MS" (months), "QS" (quarters) or "YS" (years); `month` is the period's first day.
    """
    step = _PERIOD_MONTHS[PERIODS[freq]]
    columns = ["month", "topic", "requests", "cumulative"]
    months = received_months(requests)
    dated = months != _UNDATED
    if not dated.any():
        return pd.DataFrame(columns=columns)
    every = bool(dated.all())
    # Periods as months since 1970-01 in steps of `step`: quarters and years start in January.
    period = (months if every else months[dated]) // step
    first = int(period.min())
    count = int(period.max()) - first + 1
    period = period - first
    topics = list(contract.TOPICS)
    per_topic = []
    for t in topics:
        has = arrays.column(requests, f"topic_{t}")
        # A weighted count (a request counts 1 in each of its topics): no copy of the periods.
        counted = np.bincount(period, weights=has if every else has[dated], minlength=count)
        per_topic.append(counted.astype(np.int64))
    if include_total:
        topics.append(TOTAL)
        per_topic.append(np.bincount(period, minlength=count))
    per_month = np.stack(per_topic).astype(np.int64)
    starts = (np.arange(first, first + count) * step).astype("datetime64[M]")
    return pd.DataFrame(
        {
            "month": np.tile(starts.astype("datetime64[us]"), len(topics)),
            "topic": np.repeat(np.array(topics, dtype=object), count),
            "requests": per_month.ravel(),
            "cumulative": np.cumsum(per_month, axis=1).ravel(),
        }
    )


# received_months' value for a request without a date (NaT's own number as datetime64[M]).
_UNDATED = np.datetime64("NaT", "M").astype(np.int64)


def received_months(requests: pd.DataFrame) -> np.ndarray:
    """Return each request's month received, as months since 1970-01 (_UNDATED when unknown).

    Computed once per loaded table and taken for its subsets: numpy's month of a day costs
    about 10 ms a million rows, on every filter change otherwise.
    """

    def build(frame: pd.DataFrame) -> np.ndarray:
        received = arrays.column(frame, "received_on")
        if received.dtype.kind != "M":
            received = pd.to_datetime(frame["received_on"]).to_numpy()
        return arrays.frozen(received.astype("datetime64[M]").astype(np.int64))

    return arrays.cached(requests, "received months", build)


def requests_by_country(ds: Dataset, requests: pd.DataFrame) -> pd.DataFrame:
    """Return one row per country of the data: direct requests and those of its regional organisations.

    Direct: the country requested or was named as a beneficiary. Via a regional organisation: an
    organisation it belongs to requested for the organisation as a whole (no beneficiaries named).
    """
    pairs = arrays.pairs(requests)
    direct = np.bincount(pairs.codes + 1, minlength=len(pairs.categories) + 1)[1:]
    named = np.bincount(pairs.rows, minlength=len(requests)) > 0
    whole = ~is_government(requests) & ~named
    requester = arrays.codes(requests, "requester")
    per_org = requester.counts(whole)
    members = arrays.cached(
        ds.regional_organisations,
        "members",
        lambda orgs: dict(zip(orgs["code"], orgs["members"], strict=True)),
        from_root=False,
    )
    # A loop over the organisations (a few dozen), not over the requests.
    via: dict[str, int] = {}
    for code in np.flatnonzero(per_org):
        count = int(per_org[code])
        for iso3 in members.get(requester.uniques[code], []):
            via[iso3] = via.get(iso3, 0) + count
    countries = ds.countries
    iso3s = arrays.column(countries, "iso3")
    where = pairs.where
    direct_counts = np.array(
        [direct[where[c]] if c in where else 0 for c in iso3s], dtype=np.int64, ndmin=1
    )
    via_counts = np.array([via.get(c, 0) for c in iso3s], dtype=np.int64, ndmin=1)
    return pd.DataFrame(
        {
            "iso3": countries["iso3"].array,
            "name": countries["name"].array,
            "region": countries["region"].array,
            "direct": direct_counts,
            "via_regional_organisation": via_counts,
            "total": direct_counts + via_counts,
        },
        index=countries.index,
    )


@dataclass(frozen=True)
class CompletionSummary:
    count: int
    median: float
    mean: float


def completion_times(requests: pd.DataFrame) -> pd.DataFrame:
    """Return the completed requests with the days from received to completed."""
    received = arrays.column(requests, "received_on")
    completed = arrays.column(requests, "completed_on")
    if received.dtype.kind != "M" or completed.dtype.kind != "M":
        done = requests.dropna(subset=["completed_on", "received_on"])
        received = done["received_on"].to_numpy()
        completed = done["completed_on"].to_numpy()
        ids, index = done["request_id"].array, done.index
    else:
        done = np.flatnonzero(~(np.isnat(received) | np.isnat(completed)))
        received, completed = received[done], completed[done]
        ids = requests["request_id"].array.take(done)
        # dropna keeps the frame's own index when nothing is dropped.
        index = requests.index if len(done) == len(requests) else requests.index.take(done)
    return pd.DataFrame(
        {
            "request_id": ids,
            "received_on": received,
            "completed_on": completed,
            "days": ((completed - received) // np.timedelta64(1, "D")).astype(np.int64),
        },
        index=index,
    )


def completion_summary(times: pd.DataFrame) -> CompletionSummary:
    """Return how many requests were completed and the median and mean days it took."""
    if times.empty:
        return CompletionSummary(0, float("nan"), float("nan"))
    days = times["days"].to_numpy(dtype="float64")
    return CompletionSummary(len(days), float(np.median(days)), float(days.mean()))


def completion_bins(times: pd.DataFrame, bins: int = 20) -> pd.DataFrame:
    """Return the completed requests counted in (at most `bins`) equal ranges of days.

    The chart gets these counts, not one value per request: a million requests stay a few bars.
    """
    days = times["days"].to_numpy()
    if not len(days):
        empty = pd.DataFrame({"from_days": [], "to_days": [], "requests": []}, dtype="int64")
        return empty.assign(label=pd.Series(dtype=object))
    low, high = int(days.min()), int(days.max())
    width = max(1, -(-(high - low + 1) // bins))  # ceiling division
    starts = np.arange(low, high + 1, width)
    counts = np.bincount((days - low) // width, minlength=len(starts))
    ends = starts + width - 1
    labels = [f"{a}–{b}" for a, b in zip(starts, ends, strict=True)]
    return pd.DataFrame({"from_days": starts, "to_days": ends, "requests": counts, "label": labels})


def sdg_targets(requests: pd.DataFrame) -> pd.DataFrame:
    """Return each SDG target the topics touch with the number of requests that touch it."""
    targets = list(dict.fromkeys(t for ts in contract.SDG_TARGETS.values() for t in ts))
    topics_of = {
        target: [t for t, ts in contract.SDG_TARGETS.items() if target in ts] for target in targets
    }
    counts = []
    for target in targets:
        touched = np.zeros(len(requests), dtype=bool)
        for topic in topics_of[target]:
            touched |= arrays.column(requests, f"topic_{topic}")
        counts.append(int(np.count_nonzero(touched)))
    return pd.DataFrame(
        {
            "target": targets,
            "description": [contract.SDG_TARGET_TEXTS[target] for target in targets],
            "topics": [", ".join(contract.TOPICS[t] for t in topics_of[t]) for t in targets],
            "requests": counts,
        }
    )


@dataclass(frozen=True)
class CountryProfile:
    requests: pd.DataFrame
    topics: pd.DataFrame
    meetings: pd.DataFrame


def country_profile(
    iso3: str, requests: pd.DataFrame, meetings: pd.DataFrame, participation: pd.DataFrame
) -> CountryProfile:
    """Return one country's requests, their topics, and the meetings its delegations attended."""
    pairs = request_countries(requests)
    rows = np.unique(pairs.loc[pairs["iso3"] == iso3, "row"].to_numpy())
    mine = requests.iloc[rows]
    delegations = participation[participation["country_iso3"] == iso3]
    made_up = illustrative_mask(participation)[(participation["country_iso3"] == iso3).to_numpy()]
    delegations = delegations.assign(
        illustrative=np.where(made_up, delegations["participants"], 0),
        source=delegations["source"] if "source" in delegations else "",
    )
    attended = (
        delegations.groupby("meeting_id", observed=True)
        .agg(
            participants=("participants", "sum"),
            illustrative=("illustrative", "sum"),
            source=("source", "first"),
        )
        .reset_index()
    )
    attended = meetings[["meeting_id", "title", "city", "start_date"]].merge(
        attended, on="meeting_id"
    )
    return CountryProfile(
        requests=mine, topics=requests_by_topic(mine), meetings=attended.sort_values("start_date")
    )
