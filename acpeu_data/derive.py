"""Valid text tables to typed tables with the derived columns the dashboard reads.

Runs only on data that passed validation, so conversions here cannot fail on bad cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from acpeu_data import contract, geo

# Text columns that are identifiers or join keys: spaces around them are noise.
_KEY_TEXT = {"request_id", "requester", "code", "region", "meeting_id", "iso3"}


def _typed(table: contract.Table, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    for column in table.columns:
        cells = frame[column.name]
        if column.type != "text" or column.name in _KEY_TEXT:
            cells = cells.str.strip()
        if column.is_list:
            cells = _list_column(cells)
        elif column.type == "date":
            # One unit whatever the cells (pandas gives an empty column seconds).
            cells = pd.to_datetime(cells.where(cells != ""), format="%Y-%m-%d").astype(
                "datetime64[us]"
            )
        elif column.type == "number":
            cells = pd.to_numeric(cells.where(cells != ""), errors="raise").astype("float64")
        elif column.type == "integer" and column.required:
            cells = cells.astype("int64")
        elif column.type == "integer":
            cells = pd.to_numeric(cells.where(cells != "")).astype("float64")
        frame[column.name] = cells
    return frame


def _list_column(cells: pd.Series) -> pd.Series:
    # A list column holds few distinct cells (topic combinations, beneficiary lists): split each
    # once and let the rows share that list (the dataset is read-only). At a million requests
    # this saves a million list objects per column and most of the time.
    codes, uniques = pd.factorize(cells, use_na_sentinel=False)
    lists = np.empty(len(uniques), dtype=object)
    for i, cell in enumerate(uniques):
        lists[i] = _split(cell)
    return pd.Series(lists[codes], index=cells.index, dtype=object)


def _split(cell: str) -> list[str]:
    if contract.LIST_SEPARATOR not in cell:  # the common case, kept cheap for big tables
        return [cell] if cell else []
    return [item.strip() for item in cell.split(contract.LIST_SEPARATOR) if item.strip()]


def build_tables(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Return the typed tables (keyed by table name) with every derived column added."""
    tables = {name: _typed(contract.TABLES[name], frame) for name, frame in frames.items()}

    countries = tables["countries"]
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    regions = dict(zip(countries["iso3"], countries["region"], strict=True))
    tables["requests"] = _requests(
        tables["requests"], tables["regional_organisations"], names, regions
    )
    tables["participation"] = _participation(tables["participation"], names, regions)
    tables["meetings"] = _meetings(tables["meetings"], tables["participation"], names)
    return tables


def _requests(requests, orgs, names, regions) -> pd.DataFrame:
    government = requests["requester_type"] == "government"
    org_names = dict(zip(orgs["code"], orgs["name"], strict=True))
    org_regions = dict(zip(orgs["code"], orgs["region"], strict=True))
    requester = requests["requester"]
    requests["region"] = requester.map(regions).where(government, requester.map(org_regions))
    requests["requester_name"] = requester.map(names).where(government, requester.map(org_names))
    # Rows with the same beneficiaries share one list object, like the loader's list cells:
    # less memory, and tables label each distinct list once (tables._joined).
    alone: dict[str, list[str]] = {}
    nobody: list[str] = []
    requests["beneficiaries"] = pd.Series(
        [
            listed if listed else (alone.setdefault(who, [who]) if is_gov else nobody)
            for listed, who, is_gov in zip(
                requests["countries"].tolist(), requester.tolist(), government.tolist(), strict=True
            )
        ],
        index=requests.index,
        dtype=object,
    )
    topics = requests["topics"].tolist()
    for topic in contract.TOPICS:
        requests[f"topic_{topic}"] = np.fromiter(
            (topic in codes for codes in topics), dtype=bool, count=len(topics)
        )
    return requests


def _country_names(codes: pd.Series, names: dict[str, str]) -> pd.Series:
    # One lookup per distinct code, not per row (participation has a row per delegation).
    table = {iso3: geo.country_name(iso3, "en", names) if iso3 else "" for iso3 in codes.unique()}
    return codes.map(table)


def _participation(participation, names, regions) -> pd.DataFrame:
    country = participation["country_iso3"]
    participation["region"] = country.map(regions).fillna(contract.NON_ACP).astype("str")
    participation["country_name"] = _country_names(country, names)
    return participation


def _meetings(meetings, participation, names) -> pd.DataFrame:
    located = meetings["lat"].notna() & meetings["lon"].notna()
    centres = meetings["country_iso3"].map(lambda iso3: geo.centroid(iso3) or (np.nan, np.nan))
    meetings["lat"] = meetings["lat"].where(located, centres.str[0]).astype("float64")
    meetings["lon"] = meetings["lon"].where(located, centres.str[1]).astype("float64")
    meetings["located_by_centroid"] = ~located
    meetings["country_name"] = _country_names(meetings["country_iso3"], names)
    by_meeting = participation.groupby("meeting_id", sort=False)
    totals = by_meeting["participants"].sum()
    women = by_meeting["women"].sum(min_count=1)
    ids = meetings["meeting_id"]
    # A meeting without participation rows has an unknown breakdown: NaN, never 0.
    meetings["participants"] = ids.map(totals).astype("float64")
    meetings["women"] = ids.map(women).astype("float64")
    return meetings
