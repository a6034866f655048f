"""Filters: the URL round trip, invalid links, and which rows each filter keeps (small_dataset)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from builders import small_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from acpeu_data import filters as flt
from acpeu_data import views
from acpeu_data.filters import (
    Filters,
    countries_from_selection,
    describe_parts,
    filter_meetings,
    filter_participation,
    filter_requests,
    request_countries,
)

DS = small_dataset()
REGIONS = sorted(set(DS.countries["region"]))
ISO3 = sorted(DS.countries["iso3"])


def ids(frame, column="request_id") -> list[str]:
    return sorted(frame[column])


# --- the dataclass and its URL form ----------------------------------------------------------


def test_fields_are_sorted_unique_tuples():
    f = Filters(topics=["visas", "trafficking", "visas"], regions=("Pacific", "Caribbean"))
    assert f.topics == ("trafficking", "visas")
    assert f.regions == ("Caribbean", "Pacific")
    assert f == Filters(topics=("visas", "trafficking"), regions=("Caribbean", "Pacific"))
    assert hash(f) == hash(
        Filters(topics=("visas", "trafficking"), regions=("Caribbean", "Pacific"))
    )


def test_empty_filter():
    assert Filters().is_empty
    assert not Filters(statuses=("completed",)).is_empty
    assert Filters().to_query() == {}
    assert Filters().slug() == "all"


def test_to_query_uses_url_keys_and_iso_dates():
    f = Filters(
        regions=("West and Central Africa",),
        countries=("GHA", "NGA"),
        date_from=dt.date(2015, 1, 1),
        date_to=dt.date(2017, 12, 31),
    )
    assert f.to_query() == {
        "region": ["West and Central Africa"],
        "country": ["GHA", "NGA"],
        "from": ["2015-01-01"],
        "to": ["2017-12-31"],
    }


def test_replace_returns_a_changed_copy():
    f = Filters(topics=("visas",))
    g = f.replace(statuses=["completed"])
    assert g == Filters(topics=("visas",), statuses=("completed",))
    assert f == Filters(topics=("visas",))


dates = st.one_of(st.none(), st.dates(dt.date(2010, 1, 1), dt.date(2022, 12, 31)))


@st.composite
def valid_filters(draw, ds=DS) -> Filters:
    """Any filter a link may describe for ds: drawn from every declared dimension."""
    fields = {}
    for d in flt.DIMENSIONS:
        if d.kind == flt.LIST:
            fields[d.field] = draw(st.lists(st.sampled_from(d.offered(ds) or [""])))
        elif d.kind == flt.SWITCH:
            fields[d.field] = draw(st.sampled_from([None, *d.offered(ds)]))
        else:
            fields[d.field] = draw(dates)
    start, end = fields["date_from"], fields["date_to"]
    if start and end and start > end:
        fields["date_from"], fields["date_to"] = end, start
    return Filters(**fields)


def test_every_field_of_filters_is_one_declared_dimension():
    fields = [f.name for f in dataclasses.fields(Filters)]
    assert sorted(fields) == sorted(d.field for d in flt.DIMENSIONS)
    keys = [d.key for d in flt.DIMENSIONS]
    assert len(set(keys)) == len(keys) and "lang" not in keys
    # The order of the link's keys (and of the filter line) stays; a new key may come anywhere.
    before = ["region", "country", "topic", "requester_type", "status", "from", "to", "source"]
    assert [d.key for d in flt.dimensions_in_field_order() if d.key in before] == before


@pytest.mark.parametrize("d", flt.DIMENSIONS, ids=lambda d: d.key)
def test_each_dimension_round_trips_and_drops_a_wrong_value_with_its_notice(d):
    ds = provenance_dataset() if d.kind == flt.SWITCH else DS
    value = {
        flt.LIST: tuple(d.offered(ds)[:2]),
        flt.DATE: dt.date(2016, 2, 29),
        flt.SWITCH: d.on,
    }[d.kind]
    f = Filters(**{d.field: value})
    assert not f.is_empty and list(f.to_query()) == [d.key]
    assert Filters.from_query(f.to_query(), ds) == (f, [])
    assert d.name(d.to_link(value)[0], "en")  # the filter line names it
    kept, notices = Filters.from_query({d.key: ["no such value"]}, ds)
    assert kept == Filters()
    assert [n.template for n in notices] == [d.notice]
    assert "no such value" in str(notices[0])


@settings(max_examples=100, deadline=None)
@given(valid_filters())
def test_url_round_trip(f):
    back, notices = Filters.from_query(f.to_query(), DS)
    assert back == f
    assert notices == []


@settings(max_examples=100, deadline=None)
@given(valid_filters())
def test_slug_is_short_ascii(f):
    slug = f.slug()
    assert slug and len(slug) <= 80
    assert slug.isascii() and " " not in slug and "/" not in slug


def test_slug_names_the_choice():
    assert Filters(regions=("Caribbean", "Pacific"), topics=("trafficking",)).slug() == (
        "caribbean-pacific_trafficking"
    )
    assert Filters(countries=("FJI", "GHA", "JAM")).slug() == "3-countries"


def test_from_query_accepts_single_strings_and_keeps_the_last_date():
    params = {"region": "Caribbean", "topic": ["visas"], "from": ["2014-01-01", "2015-02-03"]}
    f, notices = Filters.from_query(params, DS)
    assert f == Filters(regions=("Caribbean",), topics=("visas",), date_from=dt.date(2015, 2, 3))
    assert notices == []


def test_from_query_ignores_other_keys():
    f, notices = Filters.from_query({"lang": ["fr"], "page": ["x"], "status": ["ongoing"]}, DS)
    assert f == Filters(statuses=("ongoing",))
    assert notices == []


@pytest.mark.parametrize(
    ("params", "kept", "word"),
    [
        ({"region": ["Atlantis", "Pacific"]}, Filters(regions=("Pacific",)), "Atlantis"),
        ({"country": ["XXX", "FJI"]}, Filters(countries=("FJI",)), "XXX"),
        ({"country": ["BEL"]}, Filters(), "BEL"),  # a real country, but not one of the data
        ({"topic": ["piracy"]}, Filters(), "piracy"),
        ({"status": ["done"]}, Filters(), "done"),
        ({"requester_type": ["ngo"]}, Filters(), "ngo"),
        ({"from": ["2015-13-01"]}, Filters(), "2015-13-01"),
        ({"to": ["yesterday"]}, Filters(), "yesterday"),
    ],
)
def test_invalid_link_values_are_dropped_with_a_notice(params, kept, word):
    f, notices = Filters.from_query(params, DS)
    assert f == kept
    assert len(notices) == 1
    assert word in str(notices[0]) and str(notices[0]).startswith("Ignored")


def test_start_after_end_drops_the_start():
    f, notices = Filters.from_query({"from": ["2018-01-01"], "to": ["2015-01-01"]}, DS)
    assert f == Filters(date_to=dt.date(2015, 1, 1))
    assert len(notices) == 1 and "2018-01-01" in str(notices[0])


def test_long_junk_is_shortened_in_the_notice():
    _, notices = Filters.from_query({"region": ["x" * 5000]}, DS)
    assert len(str(notices[0])) < 200


# --- requests ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (Filters(), ["R1", "R2", "R3", "R4", "R5"]),
        (Filters(regions=("Caribbean",)), ["R1", "R4"]),
        (Filters(regions=("East and Horn of Africa",)), []),
        # a country matches as requesting government or as a named beneficiary ...
        (Filters(countries=("GHA",)), ["R5"]),
        (Filters(countries=("NGA",)), ["R5"]),
        (Filters(countries=("TTO",)), ["R4"]),
        # ... but not through an organisation it belongs to (R3 is ECOWAS's, for itself)
        (Filters(countries=("JAM", "FJI")), ["R1", "R2"]),
        # a request with two topics matches either
        (Filters(topics=("smuggling",)), ["R2", "R4"]),
        (Filters(topics=("visas", "readmission")), ["R2", "R5"]),
        (Filters(requester_types=("regional_organisation",)), ["R3", "R4"]),
        (Filters(statuses=("completed", "rejected")), ["R1", "R4", "R5"]),
        # both ends of the date range are inclusive
        (Filters(date_from=dt.date(2016, 1, 5), date_to=dt.date(2016, 7, 1)), ["R3", "R4"]),
        (Filters(date_to=dt.date(2015, 3, 10)), ["R1"]),
        (Filters(date_from=dt.date(2018, 1, 1)), []),
        # different fields narrow together
        (Filters(regions=("Caribbean",), topics=("smuggling",)), ["R4"]),
        (Filters(regions=("Pacific",), countries=("JAM",)), []),
    ],
)
def test_filter_requests(f, expected):
    assert ids(filter_requests(DS, f)) == expected


def test_unfiltered_requests_are_the_table_itself():
    assert filter_requests(DS, Filters()) is DS.requests


def test_request_countries_pairs():
    pairs = request_countries(DS.requests)
    got = {
        (DS.requests["request_id"].iloc[row], iso3, flag)
        for row, iso3, flag in pairs.itertuples(index=False)
    }
    assert got == {
        ("R1", "JAM", True),
        ("R2", "FJI", True),
        ("R4", "TTO", True),
        ("R5", "NGA", True),
        ("R5", "GHA", False),  # the requester, not a beneficiary
    }


def test_filtered_subset_has_its_own_country_pairs():
    subset = filter_requests(DS, Filters(statuses=("rejected", "approved")))
    pairs = request_countries(subset)
    got = {
        (subset["request_id"].iloc[r], c) for r, c in zip(pairs["row"], pairs["iso3"], strict=True)
    }
    assert got == {("R5", "NGA"), ("R5", "GHA")}


# --- meetings and participation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "meetings", "delegations"),
    [
        (Filters(), ["M1", "M2", "M3"], 7),
        # venue in the region (M1), or a delegation from it (M2: Fiji)
        (Filters(regions=("Caribbean",)), ["M1"], 2),
        (Filters(regions=("Pacific",)), ["M2"], 1),
        (Filters(countries=("NGA",)), ["M3"], 1),
        (Filters(countries=("GHA",)), ["M2"], 1),  # venue and delegation
        (Filters(topics=("trafficking",)), ["M1"], 3),
        (Filters(topics=("visas", "smuggling")), ["M2"], 2),
        (Filters(date_from=dt.date(2017, 2, 1)), ["M2", "M3"], 4),
        (Filters(date_to=dt.date(2016, 5, 1)), ["M1"], 3),
        (Filters(date_from=dt.date(2020, 1, 1)), [], 0),
        # request-only fields leave meetings alone
        (Filters(statuses=("rejected",), requester_types=("government",)), ["M1", "M2", "M3"], 7),
    ],
)
def test_filter_meetings_and_participation(f, meetings, delegations):
    assert ids(filter_meetings(DS, f), "meeting_id") == meetings
    rows = filter_participation(DS, f)
    assert len(rows) == delegations
    assert set(rows["meeting_id"]) <= set(meetings)


def test_participation_keeps_only_delegations_from_the_chosen_places():
    rows = filter_participation(DS, Filters(regions=("Caribbean",)))
    assert sorted(rows["country_iso3"]) == ["JAM", "TTO"]  # not IOM's delegation (no country)


# --- map clicks and the 'what is filtered' line ------------------------------------------------


def test_countries_from_selection():
    points = [{"location": "JAM"}, {"location": "FJI"}, {"lat": 1.0}, {"location": "JAM"}]
    assert countries_from_selection(points) == ("FJI", "JAM")
    assert countries_from_selection([]) == ()


def test_a_click_on_a_map_marker_reads_the_code_from_its_customdata():
    marker = {"curve_number": 1, "location": None, "customdata": ["SDN", "Sudan", 1]}
    not_a_code = {"location": None, "customdata": ["Sudan"]}
    assert countries_from_selection([marker, not_a_code]) == ("SDN",)


def line(f: Filters, lang: str = "en", ds=DS) -> str:
    return views.filter_line(views.View(ds, f, lang))


def test_filter_line():
    f = Filters(
        regions=("Caribbean",),
        topics=("trafficking",),
        date_from=dt.date(2015, 1, 1),
        date_to=dt.date(2017, 12, 31),
    )
    assert describe_parts(f, "en") == ["Caribbean", "Trafficking in human beings"]
    assert line(f) == (
        "Caribbean · Trafficking in human beings · Jan 1, 2015 to Dec 31, 2017: 2 of 5 requests"
    )
    assert line(Filters(date_to=dt.date(2016, 6, 30))) == "Up to Jun 30, 2016: 3 of 5 requests"
    assert line(Filters()) == "All data: 5 requests"
    assert describe_parts(Filters(countries=("TTO",), statuses=("ongoing",)), "en") == [
        "Trinidad and Tobago",
        "Ongoing",
    ]
    assert describe_parts(Filters(countries=("TTO",), topics=("visas",)), "fr") == [
        "Trinité-et-Tobago",
        "Visas",
    ]


# --- the provenance switch: source=public --------------------------------------------------


def provenance_dataset():
    """R1 from a web page, R2 illustrative, R3 with no source; M1 sourced, M2 illustrative;
    delegations: M1 JAM from a web page, M1 FJI illustrative, M2 JAM illustrative."""
    from builders import _country, _delegation, _meeting, _request, make_dataset

    url = "https://example.org/release"
    requests = [
        {**_request("R1", "2016-01-05", "government", "JAM", "", "visas", "", "received"),
         "source": url},
        {**_request("R2", "2016-02-05", "government", "FJI", "", "visas", "", "received"),
         "source": "illustrative"},
        _request("R3", "2016-03-05", "government", "FJI", "", "visas", "", "received"),
    ]  # fmt: skip
    meetings = [
        {**_meeting("M1", "visas", "Kingston", "JAM", "2016-05-01", "2016-05-02"), "source": url},
        {**_meeting("M2", "visas", "Suva", "FJI", "2016-06-01", "2016-06-02"),
         "source": "illustrative"},
    ]  # fmt: skip
    participation = [
        {**_delegation("M1", "acp_government", "JAM", 3), "source": url},
        {**_delegation("M1", "acp_government", "FJI", 2), "source": "illustrative"},
        {**_delegation("M2", "acp_government", "JAM", 4), "source": "illustrative"},
    ]
    ds = make_dataset(
        countries=[_country("JAM", "Jamaica", "Caribbean"), _country("FJI", "Fiji", "Pacific")],
        requests=requests,
        meetings=meetings,
        participation=participation,
    )
    ds.illustrative = {"requests": 1, "meetings": 1, "participation": 2}
    return ds


def test_public_sources_only_keeps_records_whose_source_is_a_url():
    ds = provenance_dataset()
    f = Filters(source="public")
    assert f.public_only and not f.is_empty
    assert ids(filter_requests(ds, f)) == ["R1"]  # illustrative and unsourced are left out
    assert ids(filter_meetings(ds, f), "meeting_id") == ["M1"]
    kept = filter_participation(ds, f)
    assert list(zip(kept["meeting_id"], kept["country_iso3"], strict=True)) == [("M1", "JAM")]
    # A place matches through public delegations only: Fiji came to M1 in an illustrative row.
    fiji = f.replace(countries=("FJI",))
    assert ids(filter_meetings(ds, fiji), "meeting_id") == []
    assert ids(filter_meetings(ds, Filters(countries=("FJI",))), "meeting_id") == ["M1", "M2"]


def test_source_public_round_trips_through_the_link():
    ds = provenance_dataset()
    f = Filters(regions=("Caribbean",), source="public")
    assert f.to_query() == {"region": ["Caribbean"], "source": ["public"]}
    assert Filters.from_query(f.to_query(), ds) == (f, [])
    assert "public-sources" in f.slug()
    assert describe_parts(f, "en")[-1] == "Public sources only"
    assert line(f, "fr", ds).startswith("Caraïbes · ")  # the region and the switch translated


def test_a_wrong_source_in_the_link_is_dropped_with_a_notice():
    f, notices = Filters.from_query({"source": "secret"}, provenance_dataset())
    assert f.source is None
    assert [n.params["value"] for n in notices] == ["secret"]


def test_source_public_is_ignored_for_data_with_no_illustrative_record():
    # The switch is offered only when there is something to switch off; a user's own data
    # with no illustrative record shows every record whatever the link says.
    f, notices = Filters.from_query({"source": "public"}, DS)
    assert f == Filters() and notices == []
