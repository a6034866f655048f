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

from acpeu_data import arrays, contract, geo, history, i18n
from acpeu_data.dataset import Dataset
from acpeu_data.i18n import N_

# The kinds of dimension: a choice of values (a multiselect), a day, an on/off switch.
LIST, DATE, SWITCH = "list", "date", "switch"
# The provenance switch's value: `source=public` keeps only the records whose `source` is a URL
# (contract.is_public_source); absent means every record.
PUBLIC = "public"


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
class Dimension:
    """One way to filter, declared once: the link's key, the sidebar's widget, the filter
    line's pieces, the notice for a wrong value in a link, and (for a plain code column of the
    requests) how requests match. Texts are English msgids, translated where shown.
    """

    field: str  # the Filters field
    key: str  # the key in the link (URL query); the sidebar's widget key is "w_" + key
    label: str  # the widget's label; a switch that is on is named by it in the filter line
    notice: str  # a value of a link dropped: {value}, and {codes} (LIST) or {key} (DATE)
    kind: str = LIST  # LIST, DATE or SWITCH
    names: Mapping[str, str] | None = None  # code -> msgid shown; None: the value is its msgid
    # The values offered, in order (default: the codes of `names`), given the values chosen in
    # the dimension named by `within` (countries within the chosen regions); a link may carry
    # any value offered when nothing is chosen there.
    options: Callable[[Dataset, tuple[str, ...]], list[str]] | None = None
    within: str | None = None
    local_name: Callable[[str, str], str] | None = None  # (value, lang) -> name, not a msgid
    by_name: bool = False  # offered in the order of their names in the reader's language
    placeholder: str = ""  # what choosing none means (LIST)
    help: str = ""
    on: str = ""  # a switch's value when it is on
    column: str | None = None  # requests match when this column's code is chosen (LIST)

    def offered(self, ds: Dataset, within: tuple[str, ...] = ()) -> list[str]:
        """Return the values offered for this data, given the values chosen in `within`."""
        return self.options(ds, within) if self.options else list(self.names or ())

    def name(self, value: str, lang: str) -> str:
        """Return what a reader of `lang` sees for a value (a switch: its label)."""
        if self.local_name:
            return self.local_name(value, lang)
        if self.kind == SWITCH:
            return i18n.translator(lang)(self.label)
        return i18n.translator(lang)((self.names or {}).get(value, value))

    def to_link(self, value: Any) -> list[str]:
        """Return the link's values for the field's value (none when it is empty)."""
        if self.kind == LIST:
            return list(value)
        if self.kind == DATE:
            return [value.isoformat()] if value else []
        return [value] if value else []

    def from_link(self, values: list[str], ds: Dataset) -> tuple[Any, list[Notice]]:
        """Return the field's value a link's values give, and a notice for each value dropped."""
        if self.kind == LIST:
            offered = set(self.offered(ds))
            codes = ", ".join(self.names or ())
            return tuple(v for v in values if v in offered), [
                Notice(self.notice, {"value": _shorten(v), "codes": codes})
                for v in values
                if v not in offered
            ]
        if not values:
            return None, []
        last = values[-1]  # a single value: the last one counts
        if self.kind == DATE:
            try:
                return dt.date.fromisoformat(last), []
            except ValueError:
                return None, [Notice(self.notice, {"key": self.key, "value": _shorten(last)})]
        if last in self.offered(ds):
            return last, []
        if last == self.on:
            return None, []  # a switch this data does not offer: nothing to switch
        return None, [Notice(self.notice, {"value": _shorten(last)})]


def _regions(ds: Dataset, _within: tuple[str, ...]) -> list[str]:
    return contract.region_order(ds.countries)


def _countries(ds: Dataset, regions: tuple[str, ...]) -> list[str]:
    countries = ds.countries
    if regions:
        countries = countries[countries["region"].isin(regions)]
    return list(countries["iso3"])


def _public(ds: Dataset, _within: tuple[str, ...]) -> list[str]:
    """The switch is offered only when the data holds illustrative records to leave out."""
    return [PUBLIC] if any(getattr(ds, "illustrative", {}).values()) else []


# Every filter dimension, in the sidebar's order. The link, the notices and the filter line
# follow the order of Filters' fields (dimensions_in_field_order).
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "source",
        "source",
        N_("Public sources only"),
        N_("Ignored source '{value}' in the link: expected 'public' or nothing."),
        kind=SWITCH,
        options=_public,
        on=PUBLIC,
        help=N_(
            "Only records whose source is a public web page: every page, figure, map and "
            "download leaves out the illustrative records."
        ),
    ),
    Dimension(
        "regions",
        "region",
        N_("Region"),
        N_("Ignored region '{value}' in the link: it is not a region in the data."),
        options=_regions,
        placeholder=N_("All regions"),
        column="region",
    ),
    Dimension(
        "topics",
        "topic",
        N_("Topic"),
        N_("Ignored topic '{value}' in the link: expected one of {codes}."),
        names=contract.TOPICS,
        placeholder=N_("All topics"),
    ),
    Dimension(
        "countries",
        "country",
        N_("Country"),
        N_(
            "Ignored country '{value}' in the link: it is not the ISO3 code of a country "
            "in the data."
        ),
        options=_countries,
        within="regions",
        local_name=geo.country_name,
        by_name=True,
        placeholder=N_("All countries"),
    ),
    Dimension(
        "requester_types",
        "requester_type",
        N_("Requester type"),
        N_("Ignored requester type '{value}' in the link: expected one of {codes}."),
        names=contract.REQUESTER_TYPES,
        placeholder=N_("Governments and organisations"),
        column="requester_type",
    ),
    Dimension(
        "statuses",
        "status",
        N_("Status"),
        N_("Ignored status '{value}' in the link: expected one of {codes}."),
        names=contract.STATUSES,
        placeholder=N_("All statuses"),
    ),
    Dimension(
        "date_from",
        "from",
        N_("From"),
        N_("Ignored {key} '{value}' in the link: expected a date as YYYY-MM-DD."),
        kind=DATE,
        help=N_("Requests received on or after this day. Empty: from the start."),
    ),
    Dimension(
        "date_to",
        "to",
        N_("To"),
        N_("Ignored {key} '{value}' in the link: expected a date as YYYY-MM-DD."),
        kind=DATE,
        help=N_(
            "The programme as it stood on this day: requests received up to it, each with its "
            "status on that day. Empty: to the end."
        ),
    ),
)
BY_FIELD = {d.field: d for d in DIMENSIONS}
LISTS = tuple(d.field for d in DIMENSIONS if d.kind == LIST)


@dataclass(frozen=True)
class Filters:
    """What the manager chose: empty tuples and None dates mean 'all'. Each field is declared
    as a Dimension (DIMENSIONS); the order of the fields is the link's and the filter line's.
    """

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
        for name in LISTS:
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
        query = {d.key: d.to_link(getattr(self, d.field)) for d in dimensions_in_field_order()}
        return {key: values for key, values in query.items() if values}

    @classmethod
    def from_query(
        cls, params: Mapping[str, str | Sequence[str]], ds: Dataset
    ) -> tuple[Filters, list[Notice]]:
        """Return the filter a link describes and a notice for each value dropped as invalid."""
        read = {
            d.field: d.from_link(_values(params.get(d.key)), ds)
            for d in dimensions_in_field_order()
        }
        fields = {name: value for name, (value, _) in read.items()}
        dropped = {name: notices for name, (_, notices) in read.items()}
        start, end = fields["date_from"], fields["date_to"]
        if start and end and start > end:
            dropped["date_to"] = [
                *dropped["date_to"],
                Notice(
                    N_("Ignored from '{start}' in the link: it is after to '{end}'."),
                    {"start": start.isoformat(), "end": end.isoformat()},
                ),
            ]
            fields["date_from"] = None
        return cls(**fields), [n for notices in dropped.values() for n in notices]

    def slug(self) -> str:
        """Return a short ASCII name for files, e.g. 'caribbean-pacific_trafficking' ('all' if empty).

        Dimensions are joined by '_', values by '-'; a dimension with more than two values is
        shortened to its count ('5-countries'). The end date is left out: file names carry it
        as the 'as of' date.
        """
        dimensions = []
        for d in dimensions_in_field_order():
            values = getattr(self, d.field)
            if d.kind != LIST:
                continue
            if len(values) > 2:
                dimensions.append(f"{len(values)}-{d.field}")
            elif values:
                dimensions.append("-".join(_ascii(v) for v in values))
        if self.date_from:
            dimensions.append(f"from-{self.date_from.isoformat()}")
        if self.public_only:
            dimensions.append("public-sources")
        return "_".join(dimensions)[:80].strip("-_") or "all"


def dimensions_in_field_order() -> list[Dimension]:
    """Return DIMENSIONS in the order of Filters' fields (the link's, the filter line's)."""
    return [BY_FIELD[f.name] for f in dataclasses.fields(Filters)]


def describe_parts(f: Filters, lang: str) -> list[str]:
    """Return the pieces of the filter line in `lang`: the names of the chosen values, then the
    switches that are on. Dates are left to the caller, which joins them in one piece.
    """
    ordered = dimensions_in_field_order()
    parts = [d.name(v, lang) for d in ordered if d.kind == LIST for v in getattr(f, d.field)]
    return parts + [d.name(d.on, lang) for d in ordered if d.kind == SWITCH and getattr(f, d.field)]


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
    for d in DIMENSIONS:
        if d.column and getattr(f, d.field):
            mask &= arrays.codes(requests, d.column).isin(getattr(f, d.field))
    if f.topics:
        topical = np.zeros(len(requests), dtype=bool)
        for topic in f.topics:
            topical |= arrays.column(requests, f"topic_{topic}")
        mask &= topical
    if f.statuses and f.date_to:
        # The status on the "as of" day, not today's.
        codes = history.status_codes_as_of(ds, f.date_to)
        wanted = [history.STATUS_CODES.index(s) for s in f.statuses if s in contract.STATUSES]
        mask &= arrays.isin_codes(codes, wanted, len(history.STATUS_CODES))
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
        in_country[pairs.rows[arrays.isin_codes(pairs.codes, wanted, len(pairs.categories))]] = True
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
    subset = arrays.rows(ds.requests, mask)
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
    return arrays.rows(ds.meetings, mask)


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
    return arrays.rows(participation, mask)


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
