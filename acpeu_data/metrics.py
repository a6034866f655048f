"""Headline figures and aggregations the pages show: filtered tables in, tidy tables out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from acpeu_data import contract, geo
from acpeu_data.filters import request_countries

TRAFFICKING_OR_SMUGGLING = ("trafficking", "smuggling")
PERIODS = {"MS": "M", "QS": "Q", "YS": "Y"}  # requests_over_time's freq -> pandas period
TOTAL = "total"  # the `topic` of the all-topics line in requests_over_time


@dataclass(frozen=True)
class Kpis:
    """The Overview's headline figures."""

    requests: int
    governments: int
    regional_organisations: int
    trafficking_or_smuggling_share: float | None
    countries_reached: int
    meetings: int
    participants: int


def _government(requests: pd.DataFrame) -> pd.Series:
    return requests["requester_type"] == "government"


def countries_of(requests: pd.DataFrame) -> pd.Series:
    """Return the distinct countries the requests were for (beneficiaries, else the government)."""
    pairs = request_countries(requests)
    return pd.Series(pairs.loc[pairs["beneficiary"], "iso3"].unique(), dtype="str", name="iso3")


def kpis(requests: pd.DataFrame, meetings: pd.DataFrame, participation: pd.DataFrame) -> Kpis:
    """Return the headline figures of filtered requests, meetings and participation."""
    government = _government(requests)
    topical = requests[[f"topic_{t}" for t in TRAFFICKING_OR_SMUGGLING]].any(axis=1)
    return Kpis(
        requests=len(requests),
        governments=requests.loc[government, "requester"].nunique(),
        regional_organisations=requests.loc[~government, "requester"].nunique(),
        trafficking_or_smuggling_share=float(topical.mean()) if len(requests) else None,
        countries_reached=len(countries_of(requests)),
        meetings=len(meetings),
        participants=int(participation["participants"].sum()),
    )


def _counts(values: pd.Series, codes: dict[str, str], name: str) -> pd.DataFrame:
    """Return one row per code (in the contract's order, zeros included) with its label and count."""
    counts = values.value_counts()
    return pd.DataFrame(
        {
            name: list(codes),
            "label": list(codes.values()),
            "requests": [int(counts.get(code, 0)) for code in codes],
        }
    )


def requests_by_topic(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests per topic (a request with two topics counts in both)."""
    return pd.DataFrame(
        {
            "topic": list(contract.TOPICS),
            "label": list(contract.TOPICS.values()),
            "requests": [int(requests[f"topic_{t}"].sum()) for t in contract.TOPICS],
        }
    )


def requests_by_typology(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests per type of assistance (requests with no typology are left out)."""
    return _counts(requests["typology"], contract.TYPOLOGIES, "typology")


def requests_by_status(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests per status, in the order a request moves through them."""
    return _counts(requests["status"], contract.STATUSES, "status")


def requests_by_requester_type(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests from governments and from regional organisations."""
    return _counts(requests["requester_type"], contract.REQUESTER_TYPES, "requester_type")


def requests_by_region(requests: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Return requests per region of the requester, for every region listed (zeros included)."""
    counts = requests["region"].value_counts()
    return pd.DataFrame({"region": regions, "requests": [int(counts.get(r, 0)) for r in regions]})


def requests_over_time(
    requests: pd.DataFrame, freq: str = "MS", include_total: bool = False
) -> pd.DataFrame:
    """Return requests received per month and topic, with the running total per topic.

    Every month from the first to the last request is present, so lines are continuous. With
    `include_total`, rows whose topic is TOTAL count each request once, whatever its topics.
    `freq` is "MS" (months), "QS" (quarters) or "YS" (years); `month` is the period's first day.
    """
    period = PERIODS[freq]
    columns = ["month", "topic", "requests", "cumulative"]
    received = requests["received_on"].dropna()
    if received.empty:
        return pd.DataFrame(columns=columns)
    months = pd.period_range(received.min(), received.max(), freq=period).to_timestamp()
    month = requests["received_on"].dt.to_period(period).dt.to_timestamp()
    flags = requests[[f"topic_{t}" for t in contract.TOPICS]].astype("int64")
    flags.columns = list(contract.TOPICS)
    if include_total:
        flags[TOTAL] = 1
    per_month = flags.groupby(month).sum().reindex(months, fill_value=0)
    long = (
        per_month.rename_axis("month")
        .reset_index()
        .melt(id_vars="month", var_name="topic", value_name="requests")
    )
    long["cumulative"] = long.groupby("topic")["requests"].cumsum()
    return long[columns]


def requests_by_country(ds, requests: pd.DataFrame) -> pd.DataFrame:
    """Return one row per country of the data: direct requests and those of its regional organisations.

    Direct: the country requested or was named as a beneficiary. Via a regional organisation: an
    organisation it belongs to requested for the organisation as a whole (no beneficiaries named).
    """
    pairs = request_countries(requests)
    direct = pairs["iso3"].value_counts()
    named = np.bincount(pairs["row"].to_numpy(), minlength=len(requests)) > 0
    whole = ~_government(requests).to_numpy() & ~named
    per_org = requests.loc[whole, "requester"].value_counts()
    members = ds.regional_organisations.set_index("code")["members"]
    # A loop over the organisations (a few dozen), not over the requests.
    via: dict[str, int] = {}
    for code, count in per_org.items():
        for iso3 in members.get(code, []):
            via[iso3] = via.get(iso3, 0) + int(count)
    countries = ds.countries[["iso3", "name", "region"]].copy()
    countries["direct"] = countries["iso3"].map(direct).fillna(0).astype("int64")
    countries["via_regional_organisation"] = countries["iso3"].map(via).fillna(0).astype("int64")
    countries["total"] = countries["direct"] + countries["via_regional_organisation"]
    return countries


def countries_per_request(requests: pd.DataFrame) -> pd.Series:
    """Return one ISO3 per (request, country) pair: the beneficiaries, else the government."""
    return requests["beneficiaries"].explode().dropna()


@dataclass(frozen=True)
class CompletionSummary:
    count: int
    median: float
    mean: float


def completion_times(requests: pd.DataFrame) -> pd.DataFrame:
    """Return the completed requests with the days from received to completed."""
    done = requests.dropna(subset=["completed_on", "received_on"])
    return pd.DataFrame(
        {
            "request_id": done["request_id"],
            "received_on": done["received_on"],
            "completed_on": done["completed_on"],
            "days": (done["completed_on"] - done["received_on"]).dt.days.astype("int64"),
        }
    )


def completion_summary(times: pd.DataFrame) -> CompletionSummary:
    """Return how many requests were completed and the median and mean days it took."""
    if times.empty:
        return CompletionSummary(0, float("nan"), float("nan"))
    days = times["days"]
    return CompletionSummary(len(days), float(days.median()), float(days.mean()))


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
    targets = dict.fromkeys(t for ts in contract.SDG_TARGETS.values() for t in ts)
    rows = []
    for target in targets:
        topics = [t for t, ts in contract.SDG_TARGETS.items() if target in ts]
        touched = requests[[f"topic_{t}" for t in topics]].any(axis=1)
        rows.append(
            {
                "target": target,
                "description": contract.SDG_TARGET_TEXTS[target],
                "topics": ", ".join(contract.TOPICS[t] for t in topics),
                "requests": int(touched.sum()),
            }
        )
    return pd.DataFrame(rows)


def participation_by_meeting(meetings: pd.DataFrame, participation: pd.DataFrame) -> pd.DataFrame:
    """Return per meeting the participants, women where known, and the participants they cover."""
    known = participation["women"].notna()
    per = (
        participation.assign(
            covered=participation["participants"].where(known, 0),
            women=participation["women"].fillna(0),
        )
        .groupby("meeting_id", observed=True)[["participants", "women", "covered"]]
        .sum()
    )
    out = meetings[["meeting_id", "title", "city", "start_date"]].merge(
        per, left_on="meeting_id", right_index=True, how="left"
    )
    out[["participants", "women", "covered"]] = (
        out[["participants", "women", "covered"]].fillna(0).astype("int64")
    )
    out["women_share"] = out["women"] / out["covered"].where(out["covered"] > 0)
    return out


def participation_by_region(meetings: pd.DataFrame, participation: pd.DataFrame) -> pd.DataFrame:
    """Return participants per meeting and region of the delegation (meetings in date order)."""
    per = (
        participation.groupby(["meeting_id", "region"], observed=True)["participants"]
        .sum()
        .reset_index()
    )
    ordered = meetings.sort_values("start_date")[["meeting_id", "title"]]
    return ordered.merge(per, on="meeting_id")[["meeting_id", "title", "region", "participants"]]


# Bars on the per-meeting chart: beyond this many meetings it shows the largest ones only.
MAX_CHART_MEETINGS = 30


def largest_meetings(per_region: pd.DataFrame, limit: int = MAX_CHART_MEETINGS) -> pd.DataFrame:
    """Return the rows of participation_by_region for its `limit` largest meetings, in date order."""
    totals = per_region.groupby("meeting_id", observed=True, sort=False)["participants"].sum()
    if len(totals) <= limit:
        return per_region
    keep = totals.nlargest(limit, keep="first").index
    return per_region[per_region["meeting_id"].isin(keep)]


def participation_by_stakeholder_type(participation: pd.DataFrame) -> pd.DataFrame:
    """Return participants per stakeholder type (every type, zeros included)."""
    sums = participation.groupby("stakeholder_type", observed=True)["participants"].sum()
    codes = contract.STAKEHOLDER_TYPES
    return pd.DataFrame(
        {
            "stakeholder_type": list(codes),
            "label": list(codes.values()),
            "participants": [int(sums.get(code, 0)) for code in codes],
        }
    )


@dataclass(frozen=True)
class WomenShare:
    share: float | None  # among the participants of delegations that reported women
    covered: int  # participants of those delegations
    participants: int  # all participants


def women_share(participation: pd.DataFrame) -> WomenShare:
    """Return the share of women where delegations reported it, and how much that covers."""
    known = participation["women"].notna()
    covered = int(participation.loc[known, "participants"].sum())
    women = float(participation.loc[known, "women"].sum())
    return WomenShare(
        share=women / covered if covered else None,
        covered=covered,
        participants=int(participation["participants"].sum()),
    )


# Lines on the meetings map: the largest flows only. A portfolio of thousands of meetings would
# draw tens of thousands of lines, hide the venues under them and weigh megabytes per rerun.
MAX_LINKS = 300


def meeting_links(
    meetings: pd.DataFrame, participation: pd.DataFrame, ds=None, limit: int = MAX_LINKS
) -> pd.DataFrame:
    """Return one line per delegation country and venue, from the country's centroid to the venue.

    Participants are summed over the meetings held there; the `limit` largest lines come first
    and the rest are left out. Delegations from the venue's own country draw no line.
    """
    columns = ["from_iso3", "from_lat", "from_lon", "to_lat", "to_lon", "participants"]
    rows = participation[
        participation["meeting_id"].isin(meetings["meeting_id"])
        & (participation["country_iso3"].fillna("") != "")
    ]
    per = rows.groupby(["meeting_id", "country_iso3"], observed=True)["participants"].sum()
    per = per.reset_index().rename(columns={"country_iso3": "from_iso3"})
    venues = meetings.set_index("meeting_id")[["lat", "lon", "country_iso3"]]
    per = per.join(venues, on="meeting_id").rename(columns={"lat": "to_lat", "lon": "to_lon"})
    per = per[per["from_iso3"].astype(str) != per["country_iso3"].astype(str)]
    per = (
        per.groupby(["from_iso3", "to_lat", "to_lon"], observed=True, sort=False)["participants"]
        .sum()
        .reset_index()
        .sort_values("participants", ascending=False, kind="stable")
        .head(limit)
    )
    points = {iso3: geo.centroid(iso3) or (np.nan, np.nan) for iso3 in per["from_iso3"].unique()}
    per["from_lat"] = [points[c][0] for c in per["from_iso3"]]
    per["from_lon"] = [points[c][1] for c in per["from_iso3"]]
    per = per.dropna(subset=["from_lat", "to_lat"])
    per["from_iso3"] = per["from_iso3"].astype(str)
    return per[columns].reset_index(drop=True)


def venues(meetings: pd.DataFrame) -> pd.DataFrame:
    """Return one row per venue (city and place): its meetings and their participants, largest first.

    `title` is the meeting's title where the venue held one meeting, else empty.
    """
    keys = ["city", "country_name", "lat", "lon"]
    located = meetings.dropna(subset=["lat", "lon"])
    out = (
        located.groupby(keys, observed=True, sort=False)
        .agg(
            meetings=("meeting_id", "size"),
            participants=("participants", "sum"),
            title=("title", "first"),
        )
        .reset_index()
    )
    out["title"] = out["title"].where(out["meetings"] == 1, "")
    out = out.sort_values("participants", ascending=False, kind="stable")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class CountryProfile:
    requests: pd.DataFrame
    topics: pd.DataFrame
    meetings: pd.DataFrame


def country_profile(ds, iso3: str, requests, meetings, participation) -> CountryProfile:
    """Return one country's requests, their topics, and the meetings its delegations attended."""
    pairs = request_countries(requests)
    rows = np.unique(pairs.loc[pairs["iso3"] == iso3, "row"].to_numpy())
    mine = requests.iloc[rows]
    delegations = participation[participation["country_iso3"] == iso3]
    attended = delegations.groupby("meeting_id", observed=True)["participants"].sum().reset_index()
    attended = meetings[["meeting_id", "title", "city", "start_date"]].merge(
        attended, on="meeting_id"
    )
    return CountryProfile(
        requests=mine, topics=requests_by_topic(mine), meetings=attended.sort_values("start_date")
    )
