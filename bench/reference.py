"""The yardstick for acpeu_data's speed: the same filters and group-bys written as plain pandas.

Each function does what a page asks of acpeu_data.filters + the figure modules for one filter
state, the way one would write it in a notebook: boolean masks, value_counts, groupby. The
benchmark times both on the same Dataset frames and reports the ratio.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

import acpeu_data as ad
from acpeu_data import contract, headline_figures, meeting_figures, request_figures
from acpeu_data import filters as flt

TOPICS = ["visas", "readmission", "remittances", "trafficking", "smuggling"]


def _request_rows(ds: ad.Dataset, f: ad.Filters) -> pd.DataFrame:
    requests = ds.requests
    mask = pd.Series(True, index=requests.index)
    if f.regions:
        mask &= requests["region"].isin(f.regions)
    if f.topics:
        mask &= requests[[f"topic_{t}" for t in f.topics]].any(axis=1)
    if f.date_from:
        mask &= requests["received_on"] >= pd.Timestamp(f.date_from)
    if f.date_to:
        mask &= requests["received_on"] <= pd.Timestamp(f.date_to)
    return requests[mask]


def pandas_requests(ds: ad.Dataset, f: ad.Filters) -> list:
    """Return the requests pages' figures for filter f (regions, topics, dates), in plain pandas."""
    r = _request_rows(ds, f)
    government = r["requester_type"] == "government"
    flags = r[[f"topic_{t}" for t in TOPICS]]
    month = r["received_on"].dt.to_period("M").dt.to_timestamp()
    over_time = flags.astype("int64").groupby(month).sum().cumsum()
    countries = r["beneficiaries"].explode().dropna()
    orgs = r.loc[~government & (r["countries"].str.len() == 0), "requester"]
    members = ds.regional_organisations.set_index("code")["members"]
    days = (r["completed_on"] - r["received_on"]).dt.days.dropna()
    return [
        len(r),
        r.loc[government, "requester"].nunique(),
        r.loc[~government, "requester"].nunique(),
        flags[["topic_trafficking", "topic_smuggling"]].any(axis=1).mean(),
        countries.nunique(),
        over_time,
        r["region"].value_counts(),
        flags.sum(),
        r["status"].value_counts(),
        r["typology"].value_counts(),
        countries.value_counts(),
        orgs.map(members).explode().value_counts(),
        (days.median(), days.mean()),
    ]


def acpeu_requests(ds: ad.Dataset, f: ad.Filters) -> list:
    """Return the same figures through acpeu_data.filters and the figure modules."""
    r = flt.filter_requests(ds, f)
    regions = contract.region_order(ds.countries)
    times = request_figures.completion_times(r)
    return [
        headline_figures.kpis(r, ds.meetings.iloc[:0], ds.participation.iloc[:0]),
        request_figures.requests_over_time(r),
        request_figures.requests_by_region(r, regions),
        request_figures.requests_by_topic(r),
        request_figures.requests_by_status(r),
        request_figures.requests_by_typology(r),
        request_figures.requests_by_country(ds, r),
        request_figures.completion_summary(times),
    ]


def pandas_meetings(ds: ad.Dataset, f: ad.Filters) -> list:
    """Return the Meetings page's figures for filter f (regions, topics, dates), in plain pandas."""
    meetings, participation = ds.meetings, ds.participation
    mask = pd.Series(True, index=meetings.index)
    if f.date_from:
        mask &= meetings["start_date"] >= pd.Timestamp(f.date_from)
    if f.date_to:
        mask &= meetings["start_date"] <= pd.Timestamp(f.date_to)
    if f.topics:
        exploded = meetings["topics"].explode()
        mask &= exploded.isin(f.topics).groupby(level=0).any()
    if f.regions:
        venue_region = meetings["country_iso3"].map(ds.countries.set_index("iso3")["region"])
        attended = participation.loc[participation["region"].isin(f.regions), "meeting_id"]
        mask &= venue_region.isin(f.regions) | meetings["meeting_id"].isin(attended)
    m = meetings[mask]
    p = participation[participation["meeting_id"].isin(m["meeting_id"])]
    if f.regions:
        p = p[p["region"].isin(f.regions)]
    known = p["women"].notna()
    return [
        len(m),
        p["participants"].sum(),
        p.groupby("meeting_id")[["participants", "women"]].sum(),
        p.groupby(["meeting_id", "region"])["participants"].sum(),
        p.groupby("stakeholder_type")["participants"].sum(),
        p.loc[known, "women"].sum() / max(p.loc[known, "participants"].sum(), 1),
    ]


def acpeu_meetings(ds: ad.Dataset, f: ad.Filters) -> list:
    """Return the same figures through acpeu_data.filters and the figure modules."""
    m = flt.filter_meetings(ds, f)
    p = flt.filter_participation(ds, f)
    return [
        len(m),
        int(p["participants"].sum()),
        meeting_figures.participation_by_meeting(m, p),
        meeting_figures.participation_by_region(m, p),
        meeting_figures.participation_by_stakeholder_type(p),
        meeting_figures.women_share(p),
    ]


def filter_states(ds: ad.Dataset, count: int) -> list[ad.Filters]:
    """Return `count` distinct filter states: one region each, then a topic with a date range."""
    regions = contract.region_order(ds.countries)
    states = [ad.Filters(regions=(region,)) for region in regions]
    states.append(ad.Filters(topics=("trafficking",), date_from=dt.date(2016, 1, 1)))
    return states[:count] if count < len(states) else states
