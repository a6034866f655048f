"""The one filter of the dashboard: a frozen dataclass, its URL form, and applying it to tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from acpeu_data import arrays, contract, history
from acpeu_data.dataset import Dataset
from acpeu_data.validate import N_

# URL key -> Filters field, for the multi-valued fields.
LIST_KEYS = {
    "region": "regions",
    "country": "countries",
    "topic": "topics",
    "requester_type": "requester_types",
    "status": "statuses",
}
DATE_KEYS = {"from": "date_from", "to": "date_to"}
# URL key -> Filters field, for the provenance switch: `source=public` keeps only the records
# whose `source` is a URL (contract.is_public_source); absent means every record.
SOURCE_KEY = "source"
PUBLIC = "public"


PUBLIC_LABEL = N_("Public sources only")


def _tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


@dataclass(frozen=True)
class Notice:
    """A value of a link that was dropped: an English template (the msgid) and its values."""

    template: str
    params: dict[str, str]

    def text(self, translate: Callable[[str], str] = str) -> str:
        """Return the notice in the reader's language (English without a translate function)."""
        return translate(self.template).format(**self.params)

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Filters:
    """What the manager chose: empty tuples and None dates mean 'all'."""

    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    requester_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source: str | None = None  # PUBLIC: only records from a public source (a URL)

    def __post_init__(self) -> None:
        # Normalised so that equal choices give equal (and equally hashed) filters.
        for name in LIST_KEYS.values():
            object.__setattr__(self, name, _tuple(getattr(self, name)))

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def replace(self, **changes) -> Filters:
        """Return a copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    @property
    def public_only(self) -> bool:
        """Return whether only records from a public source (a URL) are kept."""
        return self.source == PUBLIC

    def to_query(self) -> dict[str, list[str]]:
        """Return the URL query parameters (repeated keys for several values; empty ones left out)."""
        query = {key: list(getattr(self, name)) for key, name in LIST_KEYS.items()}
        for key, name in DATE_KEYS.items():
            value = getattr(self, name)
            query[key] = [value.isoformat()] if value else []
        query[SOURCE_KEY] = [self.source] if self.source else []
        return {key: values for key, values in query.items() if values}

    @classmethod
    def from_query(
        cls, params: Mapping[str, str | Sequence[str]], ds: Dataset
    ) -> tuple[Filters, list[Notice]]:
        """Return the filter a link describes and a notice for each value dropped as invalid."""
        valid = {
            "region": set(ds.countries["region"]),
            "country": set(ds.countries["iso3"]),
            "topic": set(contract.TOPICS),
            "requester_type": set(contract.REQUESTER_TYPES),
            "status": set(contract.STATUSES),
        }
        expected = {
            "region": N_("Ignored region '{value}' in the link: it is not a region in the data."),
            "country": N_(
                "Ignored country '{value}' in the link: it is not the ISO3 code of a country "
                "in the data."
            ),
            "topic": N_("Ignored topic '{value}' in the link: expected one of {codes}."),
            "requester_type": N_(
                "Ignored requester type '{value}' in the link: expected one of {codes}."
            ),
            "status": N_("Ignored status '{value}' in the link: expected one of {codes}."),
        }
        codes = {
            "topic": contract.TOPICS,
            "requester_type": contract.REQUESTER_TYPES,
            "status": contract.STATUSES,
        }
        notices: list[Notice] = []
        fields: dict[str, Any] = {}  # Filters' keyword arguments (tuples, dates, a string)
        for key, name in LIST_KEYS.items():
            values = _values(params.get(key))
            fields[name] = tuple(v for v in values if v in valid[key])
            notices += [
                Notice(
                    expected[key], {"value": _shorten(v), "codes": ", ".join(codes.get(key, ()))}
                )
                for v in values
                if v not in valid[key]
            ]
        for key, name in DATE_KEYS.items():
            values = _values(params.get(key))
            if not values:
                continue
            try:
                fields[name] = dt.date.fromisoformat(values[-1])
            except ValueError:
                notices.append(
                    Notice(
                        N_("Ignored {key} '{value}' in the link: expected a date as YYYY-MM-DD."),
                        {"key": key, "value": _shorten(values[-1])},
                    )
                )
        start, end = fields.get("date_from"), fields.get("date_to")
        if start and end and start > end:
            notices.append(
                Notice(
                    N_("Ignored from '{start}' in the link: it is after to '{end}'."),
                    {"start": start.isoformat(), "end": end.isoformat()},
                )
            )
            fields["date_from"] = None
        source = _values(params.get(SOURCE_KEY))
        if source and source[-1] == PUBLIC and not any(getattr(ds, "illustrative", {}).values()):
            pass  # data with no illustrative record: every record stays, nothing to switch
        elif source and source[-1] == PUBLIC:
            fields["source"] = PUBLIC
        elif source:
            notices.append(
                Notice(
                    N_("Ignored source '{value}' in the link: expected 'public' or nothing."),
                    {"value": _shorten(source[-1])},
                )
            )
        return cls(**fields), notices

    def slug(self) -> str:
        """Return a short ASCII name for files, e.g. 'caribbean-pacific_trafficking' ('all' if empty).

        Dimensions are joined by '_', values by '-'; a dimension with more than two values is
        shortened to its count ('5-countries'). The end date is left out: file names carry it
        as the 'as of' date.
        """
        dimensions = []
        for name in LIST_KEYS.values():
            values = getattr(self, name)
            if len(values) > 2:
                dimensions.append(f"{len(values)}-{name}")
            elif values:
                dimensions.append("-".join(_ascii(v) for v in values))
        if self.date_from:
            dimensions.append(f"from-{self.date_from.isoformat()}")
        if self.public_only:
            dimensions.append("public-sources")
        return "_".join(dimensions)[:80].strip("-_") or "all"


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _shorten(value: str, limit: int = 40) -> str:
    """Keep notices readable when a link carries a long junk value."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _values(raw: str | Sequence[str] | None) -> list[str]:
    if raw is None:
        return []
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for v in values if v and v.strip()]


def request_countries(requests: pd.DataFrame) -> pd.DataFrame:
    """Return (row, iso3, beneficiary) pairs: each request's beneficiaries and requesting government.

    `row` is the request's position in `requests`; `beneficiary` is False only for a requesting
    government that is not among the request's beneficiaries. One pair per request and country.
    Treat the tables as read-only: the pairs are cached per DataFrame object.
    """
    return arrays.cached(
        requests, "pairs_frame", lambda frame: arrays.pairs(frame).frame(), from_root=False
    )


def public_mask(frame: pd.DataFrame) -> np.ndarray:
    """Return a boolean array over a table: True where the record's source is a URL.

    A table without a `source` column has no record from a public source. Read-only: it is
    kept per table (and masked for its subsets).
    """

    def build(table: pd.DataFrame) -> np.ndarray:
        if "source" not in table:
            return np.zeros(len(table), dtype=bool)
        return np.fromiter(
            (contract.is_public_source(v) for v in table["source"]), dtype=bool, count=len(table)
        )

    return arrays.cached(frame, "public", build)


def illustrative_mask(frame: pd.DataFrame) -> np.ndarray:
    """Return a boolean array over a table: True where the record's source is `illustrative`.

    A record with no source is neither public nor illustrative: it is the user's own, unlabelled.
    """

    def build(table: pd.DataFrame) -> np.ndarray:
        if "source" not in table:
            return np.zeros(len(table), dtype=bool)
        return (
            table["source"].fillna("").astype(str).str.strip() == contract.ILLUSTRATIVE
        ).to_numpy(dtype=bool)

    return arrays.cached(frame, "illustrative", build)


def illustrative_field_mask(frame: pd.DataFrame, field: str) -> np.ndarray:
    """Return a boolean array over a table: True where a record's `field` is illustrative.

    That is an illustrative record, or a sourced one whose `illustrative_fields` name `field`.
    """

    def build(table: pd.DataFrame) -> np.ndarray:
        mask = illustrative_mask(table).copy()
        if "illustrative_fields" in table:
            listed = table["illustrative_fields"].fillna("").astype(str)
            named = {
                text: field in {part.strip() for part in text.split(contract.LIST_SEPARATOR)}
                for text in listed.unique()
            }
            mask |= listed.map(named).to_numpy(dtype=bool)
        return mask

    return arrays.cached(frame, ("illustrative field", field), build)


def request_mask(ds: Dataset, f: Filters) -> np.ndarray:
    """Return a boolean array over ds.requests: True where the request matches the filter."""
    requests = ds.requests
    mask = np.ones(len(requests), dtype=bool)
    if f.public_only:
        mask &= public_mask(requests)
    if f.regions:
        mask &= arrays.codes(requests, "region").isin(f.regions)
    if f.topics:
        topical = np.zeros(len(requests), dtype=bool)
        for topic in f.topics:
            topical |= arrays.column(requests, f"topic_{topic}")
        mask &= topical
    if f.requester_types:
        mask &= arrays.codes(requests, "requester_type").isin(f.requester_types)
    if f.statuses and f.date_to:
        # The status on the "as of" day, not today's.
        codes = history.status_codes_as_of(ds, f.date_to)
        wanted = [history.STATUS_CODES.index(s) for s in f.statuses if s in contract.STATUSES]
        mask &= np.isin(codes, wanted)
    elif f.statuses:
        mask &= arrays.codes(requests, "status").isin(f.statuses)
    if f.date_from:
        mask &= arrays.since(requests, "received_on", f.date_from)
    if f.date_to:
        mask &= arrays.until(requests, "received_on", f.date_to)
    if f.countries:
        pairs = arrays.pairs(requests)
        wanted = [pairs.where[c] for c in f.countries if c in pairs.where]
        in_country = np.zeros(len(requests), dtype=bool)
        in_country[pairs.rows[np.isin(pairs.codes, wanted)]] = True
        mask &= in_country
    return mask


def filter_requests(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Return the requests that match the filter (region of the requester, country, topic, dates...).

    With a `To` date the requests are as they stood on that day: their status then, and no
    completed_on after it (acpeu_data.history). Treat the result as read-only (it is
    ds.requests itself when the filter is empty).
    """
    if f.is_empty:
        return ds.requests
    mask = request_mask(ds, f)
    subset = ds.requests[mask]
    arrays.subset(ds.requests, subset, mask)
    if f.date_to is not None:
        subset = history.as_of(ds, subset, mask, f.date_to)
    return subset


def _participation_place_mask(ds: Dataset, f: Filters) -> np.ndarray:
    participation = ds.participation
    mask = np.ones(len(participation), dtype=bool)
    if f.public_only:
        mask &= public_mask(participation)
    if f.regions:
        mask &= arrays.codes(participation, "region").isin(f.regions)
    if f.countries:
        mask &= arrays.codes(participation, "country_iso3").isin(f.countries)
    return mask


def _venue_regions(meetings: pd.DataFrame, countries: pd.DataFrame) -> arrays.Codes:
    regions = dict(zip(countries["iso3"], countries["region"], strict=True))
    return arrays.Codes.of(meetings["country_iso3"].map(regions))


def _meeting_mask(ds: Dataset, f: Filters) -> np.ndarray:
    """Return a boolean array over ds.meetings: True where the meeting matches the filter.

    Read-only: filter_meetings and filter_participation ask for the same filter one after the
    other, so the last one is kept.
    """
    meetings, participation, countries = ds.meetings, ds.participation, ds.countries
    last = arrays.cached_with(meetings, participation, "last_mask", lambda _m, _p: {})
    hit = last.get(f)
    if hit is not None and hit[0]() is countries:
        return hit[1]
    mask = np.ones(len(meetings), dtype=bool)
    if f.public_only:
        mask &= public_mask(meetings)
    if f.date_from:
        mask &= arrays.since(meetings, "start_date", f.date_from)
    if f.date_to:
        mask &= arrays.until(meetings, "start_date", f.date_to)
    if f.topics:
        chosen = np.zeros(len(meetings), dtype=bool)
        for topic in f.topics:
            chosen |= arrays.contains(meetings, "topics", topic)
        mask &= chosen
    if f.regions or f.countries:
        at_venue = np.ones(len(meetings), dtype=bool)
        if f.regions:
            venue = arrays.cached_with(meetings, countries, "venue_regions", _venue_regions)
            at_venue &= venue.isin(f.regions)
        if f.countries:
            at_venue &= arrays.codes(meetings, "country_iso3").isin(f.countries)
        place = _participation_place_mask(ds, f)
        positions = arrays.meeting_positions(meetings, participation)
        if positions is None:  # repeated meeting ids: match them by id
            attended = participation.loc[place, "meeting_id"]
            attended = np.asarray(attended.unique(), dtype=object)
            mask &= at_venue | meetings["meeting_id"].isin(attended).to_numpy()
        else:
            attended = np.zeros(len(meetings) + 1, dtype=bool)
            attended[positions[place]] = True  # -1 (no such meeting) marks the spare last cell
            mask &= at_venue | attended[:-1]
    mask.flags.writeable = False
    last.clear()
    last[f] = (weakref.ref(countries), mask)
    return mask


def filter_meetings(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Return the meetings that match: start date in range, a chosen topic, a chosen place.

    A meeting matches a region or country when its venue is there or a delegation came from there.
    """
    mask = _meeting_mask(ds, f)
    if mask.all():
        return ds.meetings
    subset = ds.meetings[mask]
    arrays.subset(ds.meetings, subset, mask)
    return subset


def filter_participation(ds: Dataset, f: Filters) -> pd.DataFrame:
    """Return the participation rows of the matching meetings, from the chosen places if any."""
    participation = ds.participation
    mask = _participation_place_mask(ds, f)
    meetings = _meeting_mask(ds, f)
    if not meetings.all():
        positions = arrays.meeting_positions(ds.meetings, participation)
        if positions is None:  # repeated meeting ids: match them by id
            ids = np.asarray(ds.meetings.loc[meetings, "meeting_id"].unique(), dtype=object)
            mask &= participation["meeting_id"].isin(ids).to_numpy()
        else:
            mask &= np.append(meetings, False)[positions]
    if mask.all():
        return participation
    subset = participation[mask]
    arrays.subset(participation, subset, mask)
    return subset


def countries_from_selection(points: Iterable[Mapping]) -> tuple[str, ...]:
    """Return the ISO3 codes of the countries clicked on a map (Plotly selection points).

    A shape reports its `location`; a marker reports none, so its code is read from the
    first item of its customdata (the maps put the ISO3 code there).
    """
    codes = []
    for point in points:
        location = point.get("location")
        custom = point.get("customdata") or [None]
        code = location if isinstance(location, str) else custom[0]
        if isinstance(code, str) and len(code) == 3 and code.isupper():
            codes.append(code)
    return _tuple(codes)


def describe_parts(
    f: Filters, ds: Dataset, country_name: Callable[[str], str] | None = None
) -> list[str]:
    """Return the pieces of the filter line: region names, country names and labels (English).

    country_name gives a country's name in the reader's language (default: the data's names);
    the other pieces are English msgids. Dates are left to the caller, which formats them.
    """
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    name_of = country_name or (lambda iso3: names.get(iso3, iso3))
    parts = list(f.regions)
    parts += [name_of(c) for c in f.countries]
    parts += [contract.TOPICS[t] for t in f.topics]
    parts += [contract.REQUESTER_TYPES[t] for t in f.requester_types]
    parts += [contract.STATUSES[s] for s in f.statuses]
    if f.public_only:
        parts.append(PUBLIC_LABEL)
    return parts


def describe(f: Filters, ds: Dataset, shown: int, total: int) -> str:
    """Return the English line saying what is shown, e.g. 'Caribbean · Visas: 12 of 71 requests'."""
    parts = describe_parts(f, ds)
    if f.date_from and f.date_to:
        parts.append(f"{f.date_from.isoformat()} to {f.date_to.isoformat()}")
    elif f.date_from:
        parts.append(f"from {f.date_from.isoformat()}")
    elif f.date_to:
        parts.append(f"to {f.date_to.isoformat()}")
    if not parts:
        return f"All requests: {total}"
    return f"{' · '.join(parts)}: {shown} of {total} requests"
