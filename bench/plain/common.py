"""The straightforward dashboard's shared part: the data through st.cache_data, the sidebar.

What a competent developer would write for the same pages without this project's machinery:
pandas read_csv, boolean masks, plotly.express figures, `st.cache_data` for the loaded
frames. bench/measure.py and bench/browser.py time it beside the app (bench/README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

DATA = Path(os.environ.get("ACPEU_DATA_DIR") or Path(__file__).resolve().parents[2] / "data")
TOPICS = ["visas", "readmission", "remittances", "trafficking", "smuggling"]
STATUSES = ["received", "under_review", "approved", "ongoing", "completed", "rejected", "withdrawn"]
OPEN = ["received", "under_review", "approved", "ongoing"]
SDG = {
    "visas": ["10.7"],
    "readmission": ["10.7"],
    "remittances": ["10.c"],
    "trafficking": ["5.2", "8.7", "16.2"],
    "smuggling": ["10.7"],
}
GEO_CONFIG = {"topojsonURL": "app/static/"}


def label(code: str) -> str:
    return str(code).replace("_", " ").capitalize()


@st.cache_data
def load(folder: str) -> dict[str, pd.DataFrame]:
    """Read the CSV files, parse dates, add each request's region."""
    path = Path(folder)
    read = lambda name, **kw: pd.read_csv(path / name, keep_default_na=False, **kw)  # noqa: E731
    countries = read("countries.csv")
    orgs = read("regional_organisations.csv")
    requests = read("requests.csv", parse_dates=["received_on"])
    requests["completed_on"] = pd.to_datetime(requests["completed_on"].replace("", None))
    region_of = dict(zip(countries["iso3"], countries["region"], strict=True))
    region_of.update(zip(orgs["code"], orgs["region"], strict=True))
    requests["region"] = requests["requester"].map(region_of)
    meetings = read("meetings.csv", parse_dates=["start_date", "end_date"])
    meetings["lat"] = pd.to_numeric(meetings["lat"])
    meetings["lon"] = pd.to_numeric(meetings["lon"])
    participation = read("participation.csv")
    participation["women"] = pd.to_numeric(participation["women"])
    participation["region"] = participation["country_iso3"].map(region_of).fillna("Non-ACP")
    events = read("request_events.csv", parse_dates=["changed_on"])
    return {
        "countries": countries,
        "orgs": orgs,
        "requests": requests,
        "meetings": meetings,
        "participation": participation,
        "events": events,
    }


def sidebar(data: dict[str, pd.DataFrame]) -> dict:
    """The same filters as the app's sidebar; return the chosen values."""
    countries = data["countries"]
    regions = list(dict.fromkeys(countries["region"]))
    with st.sidebar:
        chosen = {
            "regions": st.multiselect("Region", regions, key="w_region"),
            "topics": st.multiselect("Topic", TOPICS, format_func=label),
            "countries": st.multiselect("Country", sorted(countries["iso3"])),
            "types": st.multiselect("Requester type", ["government", "regional_organisation"]),
            "statuses": st.multiselect("Status", STATUSES, format_func=label),
            "from": st.date_input("From", value=None),
            "to": st.date_input("To", value=None),
        }
    return chosen


def filter_requests(data: dict, f: dict) -> pd.DataFrame:
    r = data["requests"]
    mask = pd.Series(True, index=r.index)
    if f["regions"]:
        mask &= r["region"].isin(f["regions"])
    if f["topics"]:
        mask &= r["topics"].str.contains("|".join(f["topics"]))
    if f["countries"]:
        mask &= r["requester"].isin(f["countries"]) | r["countries"].str.contains(
            "|".join(f["countries"])
        )
    if f["types"]:
        mask &= r["requester_type"].isin(f["types"])
    if f["statuses"]:
        mask &= r["status"].isin(f["statuses"])
    if f["from"]:
        mask &= r["received_on"] >= pd.Timestamp(f["from"])
    if f["to"]:
        mask &= r["received_on"] <= pd.Timestamp(f["to"])
    return r[mask]


def filter_meetings(data: dict, f: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the meetings that match and their delegations (from the chosen places only)."""
    m, p = data["meetings"], data["participation"]
    mask = pd.Series(True, index=m.index)
    if f["topics"]:
        mask &= m["topics"].str.contains("|".join(f["topics"]))
    if f["from"]:
        mask &= m["start_date"] >= pd.Timestamp(f["from"])
    if f["to"]:
        mask &= m["start_date"] <= pd.Timestamp(f["to"])
    place = pd.Series(True, index=p.index)
    if f["regions"]:
        place &= p["region"].isin(f["regions"])
    if f["countries"]:
        place &= p["country_iso3"].isin(f["countries"])
    if f["regions"] or f["countries"]:
        mask &= m["meeting_id"].isin(p.loc[place, "meeting_id"])
    m = m[mask]
    return m, p[place & p["meeting_id"].isin(m["meeting_id"])]


def setup(title: str) -> tuple[dict, dict]:
    """Page config, data, sidebar and title: what every page starts with."""
    st.set_page_config(page_title=title, layout="wide")
    data = load(str(DATA))
    f = sidebar(data)
    st.title(title)
    return data, f


def chart(fig, numbers: pd.DataFrame, **kwargs) -> None:
    """A figure and the table of its numbers in an expander."""
    st.plotly_chart(fig, **kwargs)
    with st.expander("Numbers"):
        st.dataframe(numbers, hide_index=True)


def downloads(frame: pd.DataFrame, name: str) -> None:
    st.download_button(
        "Download CSV", lambda: frame.to_csv(index=False), f"{name}.csv", on_click="ignore"
    )
