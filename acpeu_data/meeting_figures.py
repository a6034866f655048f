"""Figures about meetings and participation: participant totals per meeting, delegations
per region and stakeholder type, the share of women, venues and delegation lines for the map."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from acpeu_data import arrays, contract, geo
from acpeu_data.filters import illustrative_mask


def illustrative_participants(participation: pd.DataFrame) -> int:
    """Return the participants counted in illustrative participation rows."""
    people = arrays.column(participation, "participants")
    return int(people[illustrative_mask(participation)].sum())


def is_programme_meeting(meetings: pd.DataFrame) -> np.ndarray:
    """Return a boolean array over meetings: True for the programme's own meetings."""
    return arrays.codes(meetings, "kind").isin(contract.PROGRAMME_MEETING_KINDS)


def meeting_totals(
    meetings: pd.DataFrame, participation: pd.DataFrame, *, use_reported: bool = True
) -> pd.DataFrame:
    """Return per meeting (meetings' index) its participant total and where it comes from.

    Columns: meeting_id; programme (one of the programme's own meetings); reported (the
    published total, NaN when none) and more_than (it is a lower bound, "over 50");
    reported_source (where it is published); breakdown (the sum of the meeting's rows in
    `participation`, NaN when it has none) and breakdown_illustrative (the participants of
    those rows that are illustrative); total (reported, else breakdown; NaN: unknown) and
    illustrative (how many of the total rest on illustrative rows). Without `use_reported`
    (delegations from chosen places) the total is the breakdown only.
    """
    positions = arrays.meeting_positions(meetings, participation)
    if positions is None:
        breakdown, made_up = _breakdowns_merged(meetings, participation)
    else:
        # One bincount per figure over the rows' meeting positions instead of a groupby and
        # two maps (the Overview and Meetings pages need this on every filter change).
        inside = positions >= 0
        every = bool(inside.all())
        at = positions if every else positions[inside]
        counted, invented = _counted_people(participation)
        if not every:
            counted, invented = counted[inside], invented[inside]
        size = len(meetings)
        rows = np.bincount(at, minlength=size)
        breakdown = np.where(rows > 0, np.bincount(at, counted, minlength=size), np.nan)
        made_up = np.bincount(at, invented, minlength=size).astype("int64")
    reported = (
        arrays.column(meetings, "reported_participants").astype("float64")
        if use_reported and "reported_participants" in meetings
        else np.full(len(meetings), np.nan)
    )
    from_reported = ~np.isnan(reported)
    more_than = from_reported & (
        arrays.codes(meetings, "reported_qualifier").eq("more_than")
        if "reported_qualifier" in meetings
        else False
    )
    reported_source = _reported_sources(meetings, from_reported)
    return pd.DataFrame(
        {
            "meeting_id": meetings["meeting_id"].array,
            "programme": is_programme_meeting(meetings),
            "reported": reported,
            "more_than": more_than,
            "reported_source": reported_source,
            "breakdown": breakdown,
            "breakdown_illustrative": made_up,
            "total": np.where(from_reported, reported, breakdown),
            "illustrative": np.where(from_reported, 0, made_up),
        },
        index=meetings.index,
    )


def _counted_people(participation: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's participants as counted in a sum (unknown: 0, as groupby's sum skips
    it) and those of them that are illustrative; once per loaded table, taken for subsets."""

    def counted_of(table: pd.DataFrame) -> np.ndarray:
        people = arrays.column(table, "participants").astype("float64")
        return arrays.frozen(np.where(np.isnan(people), 0.0, people))

    def invented_of(table: pd.DataFrame) -> np.ndarray:
        counted = arrays.cached(table, "counted people", counted_of)
        return arrays.frozen(np.where(illustrative_mask(table), counted, 0.0))

    return (
        arrays.cached(participation, "counted people", counted_of),
        arrays.cached(participation, "illustrative people", invented_of),
    )


def _reported_sources(meetings: pd.DataFrame, from_reported: np.ndarray):
    """Return where each meeting's total is published (its reported_source, else its source)
    where it has one (`from_reported`), else "", in the type of the table's text."""

    def source(table: pd.DataFrame) -> pd.Series:
        return table["source"] if "source" in table else pd.Series("", index=table.index)

    own = "reported_source" in meetings
    dtype = (meetings["reported_source"] if own else source(meetings)).dtype
    if not from_reported.any():  # delegations' counts only (places chosen): nothing published
        return pd.array(np.full(len(meetings), "", dtype=object), dtype=dtype)

    def build(table: pd.DataFrame) -> np.ndarray:
        cells_of = source(table).to_numpy(dtype=object)
        if "reported_source" in table:
            cells = table["reported_source"].to_numpy(dtype=object)
            cells_of = np.where(pd.notna(cells) & (cells != ""), cells, cells_of)
        return arrays.frozen(cells_of)

    where = arrays.cached(meetings, "where totals are published", build)
    return pd.array(np.where(from_reported, where, ""), dtype=dtype)


def _breakdowns_merged(
    meetings: pd.DataFrame, participation: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    # Meetings whose ids repeat: each copy gets the id's figures, as a map gives them.
    ids = meetings["meeting_id"]
    made_up_rows = illustrative_mask(participation)
    people = participation["participants"].to_numpy(dtype="float64")
    per = (
        pd.DataFrame(
            {
                "meeting_id": participation["meeting_id"].to_numpy(dtype=object),
                "people": people,
                "made_up": np.where(made_up_rows, people, 0.0),
            }
        )
        .groupby("meeting_id", sort=False)[["people", "made_up"]]
        .sum()
    )
    breakdown = ids.map(per["people"]).to_numpy(dtype="float64", na_value=np.nan)
    made_up = ids.map(per["made_up"]).fillna(0).to_numpy(dtype="int64")
    return breakdown, made_up


def participation_by_meeting(meetings: pd.DataFrame, participation: pd.DataFrame) -> pd.DataFrame:
    """Return per meeting the participants, women where known, and the participants they cover."""
    positions = arrays.meeting_positions(meetings, participation)
    if positions is None:
        return _participation_by_meeting_merged(meetings, participation)
    inside = positions >= 0
    at = positions[inside]
    people = arrays.column(participation, "participants")[inside]
    women = arrays.column(participation, "women")[inside]
    known = ~np.isnan(women)
    size = len(meetings)
    # Sums of whole numbers in float64: exact, and one bincount per column instead of a groupby.
    totals = np.bincount(at, people, minlength=size).astype(np.int64)
    women_total = np.bincount(at, np.where(known, women, 0), minlength=size).astype(np.int64)
    covered = np.bincount(at, np.where(known, people, 0), minlength=size).astype(np.int64)
    return pd.DataFrame(
        {
            "meeting_id": meetings["meeting_id"].array,
            "title": meetings["title"].array,
            "city": meetings["city"].array,
            "start_date": meetings["start_date"].array,
            "participants": totals,
            "women": women_total,
            "covered": covered,
            "women_share": women_total / np.where(covered > 0, covered, np.nan),
        },
        index=meetings.index,
    )


def _participation_by_meeting_merged(
    meetings: pd.DataFrame, participation: pd.DataFrame
) -> pd.DataFrame:
    # Meetings whose ids repeat: each copy gets the id's figures, as a merge gives them.
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
    positions = arrays.meeting_positions(meetings, participation)
    if positions is None:
        return _participation_by_region_merged(meetings, participation)
    size = len(meetings)
    # The order meetings.sort_values("start_date") gives (not stable: same call, same ties).
    order = meetings["start_date"].array.argsort()
    rank = np.empty(size, dtype=np.int64)
    rank[order] = np.arange(size)
    regions = arrays.codes(participation, "region")
    width = max(len(regions.uniques), 1)
    keep = (positions >= 0) & (regions.codes >= 0)
    # One cell per (meeting in date order, region in sorted order): the groupby's order.
    cell = rank[positions[keep]] * width + regions.codes[keep]
    people = arrays.column(participation, "participants")[keep]
    rows = np.bincount(cell, minlength=size * width)
    sums = np.bincount(cell, people, minlength=size * width)
    found = np.flatnonzero(rows)
    which = order[found // width]
    return pd.DataFrame(
        {
            "meeting_id": meetings["meeting_id"].array.take(which),
            "title": meetings["title"].array.take(which),
            "region": regions.uniques.array.take(found % width),
            "participants": sums[found].astype(np.int64),
        }
    )


def _participation_by_region_merged(
    meetings: pd.DataFrame, participation: pd.DataFrame
) -> pd.DataFrame:
    # Meetings whose ids repeat: each copy gets the id's rows, as a merge gives them.
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
    meeting, ids = pd.factorize(per_region["meeting_id"])
    if len(ids) <= limit:
        return per_region
    totals = np.bincount(meeting, per_region["participants"].to_numpy(dtype="float64"))
    # The largest first, ties in order of appearance (Series.nlargest(keep="first")).
    keep = np.argsort(-totals, kind="stable")[:limit]
    return per_region[np.isin(meeting, keep)]


def participation_by_stakeholder_type(participation: pd.DataFrame) -> pd.DataFrame:
    """Return participants per stakeholder type (every type, zeros included)."""
    types = arrays.codes(participation, "stakeholder_type")
    sums = types.sums(arrays.column(participation, "participants"))
    codes = contract.STAKEHOLDER_TYPES
    return pd.DataFrame(
        {
            "stakeholder_type": list(codes),
            "label": list(codes.values()),
            "participants": [
                int(sums[types.where[code]]) if code in types.where else 0 for code in codes
            ],
        }
    )


@dataclass(frozen=True)
class WomenShare:
    share: float | None  # among the participants of delegations that reported women (0 too)
    covered: int  # participants of those delegations
    participants: int  # all participants
    illustrative: int = 0  # of the covered participants, those in illustrative rows


def women_share(participation: pd.DataFrame) -> WomenShare:
    """Return the share of women where delegations reported it, and how much that covers.

    A row with `women` 0 reported a delegation without women and counts; a blank row did not
    report and is left out of both sides of the share.
    """
    people = arrays.column(participation, "participants")
    women = arrays.column(participation, "women")
    known = ~np.isnan(women)
    covered = int(people[known].sum())
    return WomenShare(
        share=float(women[known].sum()) / covered if covered else None,
        covered=covered,
        participants=int(people.sum()),
        illustrative=int(people[known & illustrative_mask(participation)].sum()),
    )


# Lines on the meetings map: the largest flows only. A portfolio of thousands of meetings would
# draw tens of thousands of lines, hide the venues under them and weigh megabytes per rerun.
MAX_LINKS = 300


def _place_numbers(meetings: pd.DataFrame) -> np.ndarray:
    """Return each meeting's place: the rank of its (lat, lon) among the table's distinct
    pairs in sorted order, -1 when it has no coordinates. Kept per loaded table and masked for
    its subsets: in a subset the ranks keep the order of the subset's own distinct pairs."""

    def build(table: pd.DataFrame) -> np.ndarray:
        lat = table["lat"].to_numpy(dtype="float64")
        lon = table["lon"].to_numpy(dtype="float64")
        located = ~(np.isnan(lat) | np.isnan(lon))
        numbers = np.full(len(table), -1, dtype="int64")
        if located.any():
            pairs = np.column_stack([lat[located], lon[located]])
            _, inverse = np.unique(pairs, axis=0, return_inverse=True)
            numbers[located] = inverse.ravel()
        return arrays.frozen(numbers)

    return arrays.cached(meetings, "place numbers", build)


def _places(meetings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return each meeting's venue number (-1 when it has no coordinates), and each venue's
    first meeting (position), venues numbered in the order they first appear. Read-only: kept
    per frame."""

    def build(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        numbers = _place_numbers(table)
        located = numbers >= 0
        place = np.full(len(table), -1, dtype="int64")
        if not located.any():
            return arrays.frozen(place), arrays.frozen(np.array([], dtype="int64"))
        # Numbers in sorted order of the pairs, as np.unique(pairs, axis=0) numbers them;
        # renumber them by first appearance.
        _, first, inverse = np.unique(numbers[located], return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        place[located] = rank[inverse.ravel()]
        return arrays.frozen(place), arrays.frozen(np.flatnonzero(located)[np.sort(first)])

    return arrays.cached(meetings, "places", build, from_root=False)


def meeting_links(
    meetings: pd.DataFrame, participation: pd.DataFrame, limit: int = MAX_LINKS
) -> pd.DataFrame:
    """Return one line per delegation country and venue, from the country's centroid to the venue.

    Participants are summed over the meetings held there; the `limit` largest lines come first
    and the rest are left out. Delegations from the venue's own country draw no line.
    """
    columns = ["from_iso3", "from_lat", "from_lon", "to_lat", "to_lon", "participants"]
    place, first = _places(meetings)
    codes, names, at, people = _flows(meetings, participation, place)
    key = codes.astype("int64") * max(len(first), 1) + at
    sums = np.bincount(key, weights=people, minlength=len(names) * max(len(first), 1))
    used = np.flatnonzero(sums > 0)
    used = used[np.argsort(-sums[used], kind="stable")][:limit]
    lat = meetings["lat"].to_numpy(dtype="float64")[first]
    lon = meetings["lon"].to_numpy(dtype="float64")[first]
    from_iso3 = [str(names[k // max(len(first), 1)]) for k in used]
    venue = used % max(len(first), 1)
    points = {iso3: geo.centroid(iso3) or (np.nan, np.nan) for iso3 in set(from_iso3)}
    from_lat = np.array([points[c][0] for c in from_iso3], dtype="float64")
    from_lon = np.array([points[c][1] for c in from_iso3], dtype="float64")
    # Lines with both ends known only.
    drawn = np.flatnonzero(~(np.isnan(from_lat) | np.isnan(lat[venue])))
    return pd.DataFrame(
        {
            "from_iso3": [from_iso3[i] for i in drawn],
            "from_lat": from_lat[drawn],
            "from_lon": from_lon[drawn],
            "to_lat": lat[venue][drawn],
            "to_lon": lon[venue][drawn],
            "participants": sums[used].astype("int64")[drawn],
        },
        columns=columns,
    )


def _flows(
    meetings: pd.DataFrame, participation: pd.DataFrame, place: np.ndarray
) -> tuple[np.ndarray, pd.Index, np.ndarray, np.ndarray]:
    """Return the delegation rows that draw a line (a country other than the venue's, at a
    venue with coordinates): their country numbered in order of first appearance (as
    pd.factorize numbers them), the countries, the venue and the participants."""
    position = arrays.meeting_positions(meetings, participation)
    if position is None:  # repeated meeting ids: match them by id, the countries as text
        position = pd.Index(meetings["meeting_id"]).get_indexer(participation["meeting_id"])
        country = _iso3s(participation)
        at = np.where(position >= 0, place[position], -1)
        keep = (at >= 0) & (country != "")
        keep[keep] = country[keep] != _iso3s(meetings)[position[keep]]
        codes, names = pd.factorize(country[keep])
        return codes, pd.Index(names), at[keep], participation["participants"].to_numpy()[keep]
    # The countries as the cached codes: no text compared or factorized per row.
    countries = arrays.codes(participation, "country_iso3")
    country = countries.codes
    venues = arrays.codes(meetings, "country_iso3")
    # Each venue country's code among the delegations' (-2: missing, or no delegation from it).
    venue_code = np.array([countries.where.get(v, -2) for v in venues.uniques] + [-2])
    at = np.where(position >= 0, place[position], -1)
    keep = (at >= 0) & (country >= 0)
    if "" in countries.where:  # an empty cell names no country, as a missing one
        keep &= country != countries.where[""]
    keep[keep] = country[keep] != venue_code[venues.codes[position[keep]]]
    kept = country[keep]
    distinct, first = np.unique(kept, return_index=True)
    distinct = distinct[np.argsort(first, kind="stable")]
    number = np.zeros(len(countries.uniques), dtype="int64")
    number[distinct] = np.arange(len(distinct))
    people = arrays.column(participation, "participants")[keep]
    return number[kept], countries.uniques[distinct], at[keep], people


def _iso3s(table: pd.DataFrame) -> np.ndarray:
    """Return a table's country_iso3 as text ("" when missing), computed once per table."""
    return arrays.cached(
        table,
        "iso3 text",
        lambda frame: arrays.frozen(
            frame["country_iso3"].fillna("").astype(str).to_numpy(dtype=object)
        ),
    )


def venues(meetings: pd.DataFrame, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per venue (a place): its meetings and their participants, largest first.

    City and country are those of the venue's first meeting; `title` is the meeting's title
    where the venue held one meeting, else empty. `totals` is meeting_totals of the meetings
    (default: the breakdowns in meetings["participants"]); meetings with an unknown total add
    nothing to `participants` and are counted in `unknown`; `illustrative` is how many of a
    venue's participants rest on illustrative rows.
    """
    place, first = _places(meetings)
    located = place >= 0
    held = np.bincount(place[located], minlength=len(first))
    if totals is None:
        total = meetings["participants"].to_numpy(dtype="float64")
        made_up = np.zeros(len(meetings))
    else:
        total = totals["total"].to_numpy(dtype="float64")
        made_up = totals["illustrative"].to_numpy(dtype="float64")
    unknown = np.isnan(total)
    people = np.bincount(
        place[located], weights=np.where(unknown, 0, total)[located], minlength=len(first)
    )
    invented = np.bincount(place[located], weights=made_up[located], minlength=len(first))
    missing = np.bincount(place[located], weights=unknown[located], minlength=len(first))
    participants = people.astype("int64")
    # Largest first, ties in order of appearance (a stable sort_values(ascending=False)).
    ranked = np.argsort(-participants, kind="stable")
    order = first[ranked]
    titles = meetings["title"].to_numpy(dtype=object)[order]
    return pd.DataFrame(
        {
            "city": meetings["city"].to_numpy(dtype=object)[order],
            "country_name": meetings["country_name"].to_numpy(dtype=object)[order],
            "lat": meetings["lat"].to_numpy(dtype="float64")[order],
            "lon": meetings["lon"].to_numpy(dtype="float64")[order],
            "meetings": held.astype("int64")[ranked],
            "participants": participants[ranked],
            "illustrative": invented.astype("int64")[ranked],
            "unknown": missing.astype("int64")[ranked],
            "title": np.where(held[ranked] == 1, titles, ""),
        }
    )
