"""Headline figures and aggregations the pages show: filtered tables in, tidy tables out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from acpeu_data import arrays, contract, geo
from acpeu_data.filters import illustrative_field_mask, illustrative_mask, request_countries

TRAFFICKING_OR_SMUGGLING = ("trafficking", "smuggling")
PERIODS = {"MS": "M", "QS": "Q", "YS": "Y"}  # requests_over_time's freq -> pandas period
_PERIOD_MONTHS = {"M": 1, "Q": 3, "Y": 12}
TOTAL = "total"  # the `topic` of the all-topics line in requests_over_time


@dataclass(frozen=True)
class Kpis:
    """The Overview's headline figures, each with how much of it rests on illustrative records.

    `meetings` counts the programme's own meetings (contract.PROGRAMME_MEETING_KINDS);
    `related_events` the others. `participants` sums the known totals of the programme's
    meetings (a published total where there is one, else the participation rows); meetings
    with no known total are counted in `meetings_unknown_total` and left out of the sum.
    `participants_more_than`: some published totals are lower bounds ("over 50"), so the sum
    is one too. The `*_illustrative` fields count what rests only on illustrative records.
    """

    requests: int
    governments: int
    regional_organisations: int
    trafficking_or_smuggling_share: float | None
    countries_reached: int
    meetings: int
    participants: int
    requests_illustrative: int = 0
    governments_illustrative: int = 0
    regional_organisations_illustrative: int = 0
    countries_reached_illustrative: int = 0
    related_events: int = 0
    participants_illustrative: int = 0
    participants_more_than: bool = False
    meetings_unknown_total: int = 0


def _is_government(requests: pd.DataFrame) -> np.ndarray:
    return arrays.codes(requests, "requester_type").eq("government")


def _reached(pairs: arrays.Pairs) -> np.ndarray:
    """Return the codes of the countries the requests were for, in order of first appearance."""
    return pd.unique(pairs.codes[pairs.beneficiary])


def countries_of(requests: pd.DataFrame) -> pd.Series:
    """Return the distinct countries the requests were for (beneficiaries, else the government)."""
    pairs = arrays.pairs(requests)
    reached = pairs.categories.take(_reached(pairs), allow_fill=True, fill_value=np.nan)
    return pd.Series(reached, dtype="str", name="iso3")


def _distinct(values: arrays.Codes, where: np.ndarray) -> int:
    return int(np.count_nonzero(values.counts(where)))


def kpis(
    requests: pd.DataFrame,
    meetings: pd.DataFrame,
    participation: pd.DataFrame,
    *,
    by_place: bool = False,
) -> Kpis:
    """Return the headline figures of filtered requests, meetings and participation.

    With `by_place` (a region or country filter), participants are those of the delegations
    from the chosen places (the participation rows), not the meetings' published totals.
    """
    government = _is_government(requests)
    requester = arrays.codes(requests, "requester")
    topical = np.zeros(len(requests), dtype=bool)
    for topic in TRAFFICKING_OR_SMUGGLING:
        topical |= arrays.column(requests, f"topic_{topic}")
    # count / len, as Series.mean computes it for booleans.
    share = float(np.count_nonzero(topical)) / len(requests) if len(requests) else None
    # "Real" below: every record that is not illustrative (a URL, a document, or no source).
    real_rows = ~illustrative_mask(requests)
    governments = _distinct(requester, government)
    organisations = _distinct(requester, ~government)
    reached = len(_reached(arrays.pairs(requests)))
    real = requests[real_rows] if not real_rows.all() else requests
    if real is not requests:
        arrays.subset(requests, real, real_rows)
    real_reached = len(_reached(arrays.pairs(real))) if len(real) else 0
    totals = meeting_totals(meetings, participation, use_reported=not by_place)
    programme = totals[totals["programme"]]
    known = programme["total"].notna()
    return Kpis(
        requests=len(requests),
        governments=governments,
        regional_organisations=organisations,
        trafficking_or_smuggling_share=share,
        countries_reached=reached,
        meetings=len(programme),
        participants=int(programme.loc[known, "total"].sum()),
        requests_illustrative=int(np.count_nonzero(~real_rows)),
        governments_illustrative=governments - _distinct(requester, government & real_rows),
        regional_organisations_illustrative=organisations
        - _distinct(requester, ~government & real_rows),
        countries_reached_illustrative=reached - real_reached,
        related_events=len(totals) - len(programme),
        participants_illustrative=int(programme.loc[known, "illustrative"].sum()),
        participants_more_than=bool(programme.loc[known, "more_than"].any()),
        meetings_unknown_total=int((~known).sum()),
    )


def illustrative_count(frame: pd.DataFrame, field: str | None = None) -> int:
    """Return how many records are illustrative, or (with `field`) have an illustrative value
    in `field` (filled, and an illustrative record or a sourced one whose
    `illustrative_fields` name it)."""
    if field is None:
        return int(np.count_nonzero(illustrative_mask(frame)))
    values = frame[field]
    filled = values.notna().to_numpy(dtype=bool, copy=True)
    if values.dtype == object or str(values.dtype) in ("str", "string"):
        filled = filled & (values.fillna("").astype(str) != "").to_numpy(dtype=bool)
    return int(np.count_nonzero(illustrative_field_mask(frame, field) & filled))


def illustrative_participants(participation: pd.DataFrame) -> int:
    """Return the participants counted in illustrative participation rows."""
    people = arrays.column(participation, "participants")
    return int(people[illustrative_mask(participation)].sum())


def is_programme_meeting(meetings: pd.DataFrame) -> np.ndarray:
    """Return a boolean array over meetings: True for the programme's own meetings."""
    return meetings["kind"].isin(contract.PROGRAMME_MEETING_KINDS).to_numpy(dtype=bool)


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
    breakdown = ids.map(per["people"]).astype("float64")
    made_up = ids.map(per["made_up"]).fillna(0).astype("int64")
    if use_reported and "reported_participants" in meetings:
        reported = meetings["reported_participants"].astype("float64")
    else:
        reported = pd.Series(np.nan, index=meetings.index)
    qualifier = (
        meetings["reported_qualifier"]
        if "reported_qualifier" in meetings
        else pd.Series("", index=meetings.index)
    )
    more_than = reported.notna() & (qualifier == "more_than")
    own = meetings["reported_source"] if "reported_source" in meetings else None
    source = meetings["source"] if "source" in meetings else pd.Series("", index=meetings.index)
    reported_source = source if own is None else own.where(own.fillna("") != "", source)
    from_reported = reported.notna()
    return pd.DataFrame(
        {
            "meeting_id": ids,
            "programme": is_programme_meeting(meetings),
            "reported": reported,
            "more_than": more_than.to_numpy(dtype=bool),
            "reported_source": reported_source.where(from_reported, ""),
            "breakdown": breakdown,
            "breakdown_illustrative": made_up,
            "total": reported.where(from_reported, breakdown),
            "illustrative": made_up.where(~from_reported, 0),
        },
        index=meetings.index,
    )


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


def requests_by_requester_type(requests: pd.DataFrame) -> pd.DataFrame:
    """Return requests from governments and from regional organisations."""
    return _counts(requests, "requester_type", contract.REQUESTER_TYPES)


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
    received = arrays.column(requests, "received_on")
    if received.dtype.kind != "M":
        received = pd.to_datetime(requests["received_on"]).to_numpy()
    dated = ~np.isnat(received)
    if not dated.any():
        return pd.DataFrame(columns=columns)
    # Periods as months since 1970-01 in steps of `step`: quarters and years start in January.
    period = received[dated].astype("datetime64[M]").astype(np.int64) // step
    first = int(period.min())
    count = int(period.max()) - first + 1
    period -= first
    topics = list(contract.TOPICS)
    per_topic = [
        np.bincount(period[arrays.column(requests, f"topic_{t}")[dated]], minlength=count)
        for t in topics
    ]
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


def requests_by_country(ds, requests: pd.DataFrame) -> pd.DataFrame:
    """Return one row per country of the data: direct requests and those of its regional organisations.

    Direct: the country requested or was named as a beneficiary. Via a regional organisation: an
    organisation it belongs to requested for the organisation as a whole (no beneficiaries named).
    """
    pairs = arrays.pairs(requests)
    direct = np.bincount(pairs.codes + 1, minlength=len(pairs.categories) + 1)[1:]
    named = np.bincount(pairs.rows, minlength=len(requests)) > 0
    whole = ~_is_government(requests) & ~named
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


def _participation_by_meeting_merged(meetings, participation) -> pd.DataFrame:
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


def _participation_by_region_merged(meetings, participation) -> pd.DataFrame:
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
    totals = per_region.groupby("meeting_id", observed=True, sort=False)["participants"].sum()
    if len(totals) <= limit:
        return per_region
    keep = totals.nlargest(limit, keep="first").index
    return per_region[per_region["meeting_id"].isin(keep)]


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


def _places(meetings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return each meeting's venue number (-1 when it has no coordinates), and each venue's
    first meeting (position), venues numbered in the order they first appear."""
    lat = meetings["lat"].to_numpy(dtype="float64")
    lon = meetings["lon"].to_numpy(dtype="float64")
    located = ~(np.isnan(lat) | np.isnan(lon))
    place = np.full(len(meetings), -1, dtype="int64")
    if located.any():
        pairs = np.column_stack([lat[located], lon[located]])
        _, first, inverse = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
        # np.unique numbers places in sorted order; renumber them by first appearance.
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        place[located] = rank[inverse.ravel()]
        return place, np.flatnonzero(located)[np.sort(first)]
    return place, np.array([], dtype="int64")


def meeting_links(
    meetings: pd.DataFrame, participation: pd.DataFrame, ds=None, limit: int = MAX_LINKS
) -> pd.DataFrame:
    """Return one line per delegation country and venue, from the country's centroid to the venue.

    Participants are summed over the meetings held there; the `limit` largest lines come first
    and the rest are left out. Delegations from the venue's own country draw no line.
    """
    columns = ["from_iso3", "from_lat", "from_lon", "to_lat", "to_lon", "participants"]
    place, first = _places(meetings)
    position = pd.Index(meetings["meeting_id"]).get_indexer(participation["meeting_id"])
    country = participation["country_iso3"].fillna("").astype(str).to_numpy(dtype=object)
    venue_country = meetings["country_iso3"].fillna("").astype(str).to_numpy(dtype=object)
    at = np.where(position >= 0, place[position], -1)
    keep = (at >= 0) & (country != "")
    keep[keep] = country[keep] != venue_country[position[keep]]
    codes, names = pd.factorize(country[keep])
    key = codes.astype("int64") * max(len(first), 1) + at[keep]
    people = participation["participants"].to_numpy()[keep]
    sums = np.bincount(key, weights=people, minlength=len(names) * max(len(first), 1))
    used = np.flatnonzero(sums > 0)
    used = used[np.argsort(-sums[used], kind="stable")][:limit]
    lat = meetings["lat"].to_numpy(dtype="float64")[first]
    lon = meetings["lon"].to_numpy(dtype="float64")[first]
    from_iso3 = [str(names[k // max(len(first), 1)]) for k in used]
    venue = used % max(len(first), 1)
    points = {iso3: geo.centroid(iso3) or (np.nan, np.nan) for iso3 in set(from_iso3)}
    out = pd.DataFrame(
        {
            "from_iso3": from_iso3,
            "from_lat": [points[c][0] for c in from_iso3],
            "from_lon": [points[c][1] for c in from_iso3],
            "to_lat": lat[venue],
            "to_lon": lon[venue],
            "participants": sums[used].astype("int64"),
        },
        columns=columns,
    )
    return out.dropna(subset=["from_lat", "to_lat"]).reset_index(drop=True)


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
    titles = meetings["title"].to_numpy(dtype=object)[first]
    out = pd.DataFrame(
        {
            "city": meetings["city"].to_numpy(dtype=object)[first],
            "country_name": meetings["country_name"].to_numpy(dtype=object)[first],
            "lat": meetings["lat"].to_numpy(dtype="float64")[first],
            "lon": meetings["lon"].to_numpy(dtype="float64")[first],
            "meetings": held.astype("int64"),
            "participants": people.astype("int64"),
            "illustrative": invented.astype("int64"),
            "unknown": missing.astype("int64"),
            "title": np.where(held == 1, titles, ""),
        }
    )
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


# Any dates do: the filters build their date arrays on first use of a date bound.
PREPARE_FROM = contract.PROGRAMME_START
PREPARE_TO = contract.PROGRAMME_END


def prepare(ds) -> None:
    """Build, once at load time, the arrays that filters and figures read (acpeu_data.arrays).

    They are otherwise built by the first filter change after a load (about a second at a
    million requests), which would make the first manager to use a new data version wait.
    """
    from acpeu_data.filters import Filters, filter_meetings, filter_participation, filter_requests

    regions = tuple(contract.region_order(ds.countries))[:1]
    every = Filters(
        regions=regions,
        topics=tuple(contract.TOPICS)[:1],
        countries=tuple(ds.countries["iso3"])[:1],
        requester_types=tuple(contract.REQUESTER_TYPES)[:1],
        statuses=tuple(contract.STATUSES)[:1],
        date_from=PREPARE_FROM,
        date_to=PREPARE_TO,
    )
    for f in (Filters(regions=regions), every):
        requests = filter_requests(ds, f)
        meetings = filter_meetings(ds, f)
        participation = filter_participation(ds, f)
        kpis(requests, meetings, participation)
        requests_over_time(requests, include_total=True)
        requests_by_region(requests, contract.region_order(ds.countries))
        requests_by_topic(requests)
        requests_by_status(requests)
        requests_by_typology(requests)
        requests_by_country(ds, requests)
        completion_times(requests)
        participation_by_meeting(meetings, participation)
        participation_by_region(meetings, participation)
        participation_by_stakeholder_type(participation)
        women_share(participation)
