"""The figure modules (request_figures, meeting_figures, headline_figures) on small_dataset
(see tests/builders.py), whose every figure was worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from builders import small_dataset

from acpeu_data import contract, geo, headline_figures, meeting_figures, request_figures
from acpeu_data.filters import Filters, filter_participation, filter_requests

DS = small_dataset()
REQ, MEET, PART = DS.requests, DS.meetings, DS.participation
NO_REQUESTS = filter_requests(DS, Filters(date_from=dt.date(2030, 1, 1)))


def as_dict(frame: pd.DataFrame, key: str, value: str) -> dict:
    return dict(zip(frame[key], frame[value], strict=True))


def test_kpis():
    k = headline_figures.kpis(REQ, MEET, PART)
    assert k == headline_figures.Kpis(
        requests=5,
        governments=3,  # JAM, FJI, GHA
        regional_organisations=2,  # ECOWAS, CARICOM
        trafficking_or_smuggling_share=0.6,  # R1, R2, R4
        countries_reached=4,  # beneficiaries JAM, FJI, TTO, NGA (GHA only requested)
        meetings=3,
        participants=33,
    )


def test_kpis_of_nothing():
    k = headline_figures.kpis(NO_REQUESTS, MEET.iloc[:0], PART.iloc[:0])
    assert (k.requests, k.governments, k.countries_reached, k.participants) == (0, 0, 0, 0)
    assert k.trafficking_or_smuggling_share is None


def test_kpis_of_a_filtered_subset():
    caribbean = filter_requests(DS, Filters(regions=("Caribbean",)))
    k = headline_figures.kpis(caribbean, MEET, PART)
    assert (k.requests, k.governments, k.regional_organisations) == (2, 1, 1)
    assert k.countries_reached == 2  # JAM (R1), TTO (R4)
    assert k.trafficking_or_smuggling_share == 1.0


def test_requests_by_topic_counts_a_request_in_each_of_its_topics():
    by_topic = request_figures.requests_by_topic(REQ)
    assert list(by_topic["topic"]) == list(contract.TOPICS)
    assert list(by_topic["label"]) == list(contract.TOPICS.values())
    assert as_dict(by_topic, "topic", "requests") == {
        "visas": 1,
        "readmission": 1,
        "remittances": 1,
        "trafficking": 2,
        "smuggling": 2,
    }
    assert by_topic["requests"].sum() == 7  # more than 5 requests: two have two topics


def test_requests_by_status_typology_and_requester_type_include_zeros():
    assert as_dict(request_figures.requests_by_status(REQ), "status", "requests") == {
        "received": 0,
        "under_review": 0,
        "approved": 1,
        "ongoing": 1,
        "completed": 2,
        "rejected": 1,
        "withdrawn": 0,
    }
    assert as_dict(request_figures.requests_by_typology(REQ), "typology", "requests") == {
        "capacity_building": 1,
        "studies_research": 1,
        "policy_analysis": 1,
        "institutional_legislation": 1,
        "regional_cooperation": 0,  # R3 has no typology and is left out
    }


def test_requests_by_region_lists_every_region_asked_for():
    regions = ["Caribbean", "Pacific", "West and Central Africa", "East and Horn of Africa"]
    by_region = request_figures.requests_by_region(REQ, regions)
    assert list(by_region["region"]) == regions
    assert list(by_region["requests"]) == [2, 1, 2, 0]


def test_requests_over_time_is_continuous_and_cumulative():
    over = request_figures.requests_over_time(REQ)
    months = pd.date_range("2015-03-01", "2017-12-01", freq="MS")
    assert list(over.columns) == ["month", "topic", "requests", "cumulative"]
    assert len(over) == len(months) * len(contract.TOPICS)
    trafficking = over[over["topic"] == "trafficking"]
    assert list(trafficking["month"]) == list(months)
    assert trafficking["requests"].sum() == 2
    assert trafficking["cumulative"].is_monotonic_increasing
    last = over[over["month"] == months[-1]]
    assert as_dict(last, "topic", "cumulative") == {
        "visas": 1,
        "readmission": 1,
        "remittances": 1,
        "trafficking": 2,
        "smuggling": 2,
    }
    july_2016 = over[(over["month"] == "2016-07-01") & (over["topic"] == "smuggling")]
    assert july_2016[["requests", "cumulative"]].values.tolist() == [[1, 2]]


def test_requests_over_time_total_counts_each_request_once():
    over = request_figures.requests_over_time(REQ, include_total=True)
    total = over[over["topic"] == request_figures.TOTAL]
    assert total["requests"].sum() == 5
    assert total["cumulative"].iloc[-1] == 5
    assert request_figures.TOTAL not in set(request_figures.requests_over_time(REQ)["topic"])


def test_requests_over_time_by_year():
    over = request_figures.requests_over_time(REQ, freq="YS", include_total=True)
    total = over[over["topic"] == request_figures.TOTAL]
    assert [d.year for d in total["month"]] == [2015, 2016, 2017]
    assert list(total["requests"]) == [2, 2, 1]
    assert list(total["cumulative"]) == [2, 4, 5]


def test_requests_over_time_leaves_out_requests_without_a_date():
    undated = REQ.copy()
    undated["received_on"] = undated["received_on"].where(undated.index != undated.index[0])
    over = request_figures.requests_over_time(undated, include_total=True)
    total = over[over["topic"] == request_figures.TOTAL]
    assert total["requests"].sum() == len(REQ) - 1
    assert over["requests"].dtype == "int64" and over["cumulative"].dtype == "int64"


def test_requests_over_time_of_nothing_is_empty():
    assert request_figures.requests_over_time(NO_REQUESTS).empty


def test_requests_by_country():
    by_country = request_figures.requests_by_country(DS, REQ).set_index("iso3")
    assert list(by_country.index) == list(DS.countries["iso3"])
    assert by_country.loc["GHA", "name"] == "Ghana"
    # direct: requester or beneficiary; via: ECOWAS's R3, which names no beneficiaries
    assert by_country["direct"].to_dict() == {
        "JAM": 1,
        "TTO": 1,
        "FJI": 1,
        "GHA": 1,
        "NGA": 1,
        "KEN": 0,
    }
    assert by_country["via_regional_organisation"].to_dict() == {
        "JAM": 0,  # CARICOM's R4 names TTO, so it does not count for every member
        "TTO": 0,
        "FJI": 0,
        "GHA": 1,
        "NGA": 1,
        "KEN": 0,
    }
    assert by_country.loc["GHA", "total"] == 2


def test_requests_by_country_of_a_subset():
    subset = filter_requests(DS, Filters(topics=("remittances", "readmission")))  # R3, R5
    by_country = request_figures.requests_by_country(DS, subset).set_index("iso3")
    assert by_country.loc["NGA", ["direct", "via_regional_organisation", "total"]].tolist() == [
        1,
        1,
        2,
    ]
    assert by_country.loc["JAM", "total"] == 0
    # the same frame built without the filter (no cached pairs) gives the same answer
    copy = REQ[REQ["request_id"].isin(["R3", "R5"])].reset_index(drop=True)
    assert request_figures.requests_by_country(DS, copy).equals(by_country.reset_index())


def test_completion_times():
    times = request_figures.completion_times(REQ)
    assert as_dict(times, "request_id", "days") == {"R1": 90, "R4": 30}
    summary = request_figures.completion_summary(times)
    assert (summary.count, summary.median, summary.mean) == (2, 60.0, 60.0)
    empty = request_figures.completion_summary(request_figures.completion_times(NO_REQUESTS))
    assert empty.count == 0 and math.isnan(empty.median)


def test_sdg_targets():
    sdg = request_figures.sdg_targets(REQ)
    assert as_dict(sdg, "target", "requests") == {
        "10.7": 3,  # visas, readmission, smuggling: R2, R4, R5
        "10.c": 1,  # remittances: R3
        "5.2": 2,  # trafficking: R1, R4
        "8.7": 2,
        "16.2": 2,
    }
    assert set(sdg["description"]) == {contract.SDG_TARGET_TEXTS[t] for t in sdg["target"]}
    assert "Smuggling of migrants" in as_dict(sdg, "target", "topics")["10.7"]


def test_participation_by_meeting():
    per = meeting_figures.participation_by_meeting(MEET, PART).set_index("meeting_id")
    assert per[["participants", "women", "covered"]].values.tolist() == [
        [16, 7, 12],  # TTO's 4 did not report women
        [8, 5, 8],
        [9, 1, 2],
    ]
    assert per.loc["M2", "women_share"] == pytest.approx(5 / 8)


def test_completion_bins_count_every_completed_request_once():
    times = pd.DataFrame({"days": [0, 1, 1, 5, 39, 40]})
    bins = request_figures.completion_bins(times, bins=4)
    assert bins["requests"].sum() == len(times)
    assert list(bins["from_days"]) == [0, 11, 22, 33]
    assert list(bins["to_days"]) == [10, 21, 32, 43]
    assert list(bins["requests"]) == [4, 0, 0, 2]
    assert bins["label"].iloc[0] == "0–10"
    assert request_figures.completion_bins(times.iloc[:0]).empty
    assert list(request_figures.completion_bins(pd.DataFrame({"days": [7, 7]}))["requests"]) == [2]


def test_participation_by_region():
    per = meeting_figures.participation_by_region(MEET, PART)
    got = {(m, r): n for m, r, n in per[["meeting_id", "region", "participants"]].values}
    assert got == {
        ("M1", "Caribbean"): 14,
        ("M1", contract.NON_ACP): 2,  # IOM, no country
        ("M2", "West and Central Africa"): 5,
        ("M2", "Pacific"): 3,
        ("M3", contract.NON_ACP): 7,  # Belgium is not in countries.csv
        ("M3", "West and Central Africa"): 2,
    }
    assert list(dict.fromkeys(per["meeting_id"])) == ["M1", "M2", "M3"]


def test_largest_meetings_keep_date_order():
    per = meeting_figures.participation_by_region(MEET, PART)
    assert meeting_figures.largest_meetings(per).equals(per)
    two = meeting_figures.largest_meetings(per, limit=2)
    # M1 has 16 participants, M2 8, M3 9: the two largest are M1 and M3, still in date order
    assert list(dict.fromkeys(two["meeting_id"])) == ["M1", "M3"]


def test_participation_by_stakeholder_type():
    per = meeting_figures.participation_by_stakeholder_type(PART)
    assert list(per["stakeholder_type"]) == list(contract.STAKEHOLDER_TYPES)
    counts = as_dict(per, "stakeholder_type", "participants")
    assert counts["acp_government"] == 24
    assert counts["eu_member_state"] == 7
    assert counts["iom"] == 2
    assert sum(counts.values()) == 33


def test_women_share_counts_only_delegations_that_reported():
    share = meeting_figures.women_share(PART)
    assert share.share == pytest.approx(13 / 22)
    assert (share.covered, share.participants) == (22, 33)
    assert meeting_figures.women_share(PART.iloc[:0]).share is None


def test_meeting_links_go_from_each_delegation_country_to_the_venue():
    links = meeting_figures.meeting_links(MEET, PART)
    got = dict(links[["from_iso3", "participants"]].values)
    # delegations from the venue's own country and those without a country draw no line
    assert got == {"TTO": 4, "FJI": 3, "NGA": 2}
    assert list(links["participants"]) == sorted(links["participants"], reverse=True)
    row = links[links["from_iso3"] == "FJI"].iloc[0]
    assert (row["from_lat"], row["from_lon"]) == geo.centroid("FJI")
    m2 = MEET.set_index("meeting_id").loc["M2"]
    assert (row["to_lat"], row["to_lon"]) == (m2["lat"], m2["lon"])


def test_meeting_links_keep_the_largest_flows():
    links = meeting_figures.meeting_links(MEET, PART, limit=2)
    assert list(links["from_iso3"]) == ["TTO", "FJI"]


def test_meeting_links_sum_a_country_over_the_meetings_at_one_venue():
    here = MEET.assign(lat=MEET["lat"].iloc[0], lon=MEET["lon"].iloc[0], country_iso3="BEL")
    links = meeting_figures.meeting_links(here, PART)
    came = PART[~PART["country_iso3"].fillna("").isin(["", "BEL"])]
    expected = came.groupby("country_iso3", observed=True)["participants"].sum()
    assert dict(links[["from_iso3", "participants"]].values) == expected.to_dict()


def test_meeting_links_follow_the_filtered_meetings():
    f = Filters(regions=("Pacific",))
    links = meeting_figures.meeting_links(
        MEET[MEET["meeting_id"] == "M2"], filter_participation(DS, f)
    )
    assert list(links["from_iso3"]) == ["FJI"]


def test_venues_sum_the_meetings_held_in_one_place():
    twice = MEET.assign(city="Suva", country_name="Fiji", lat=-18.1, lon=178.4)
    one = meeting_figures.venues(twice)
    assert one[["city", "meetings", "participants"]].values.tolist() == [
        ["Suva", len(MEET), int(MEET["participants"].sum())]
    ]
    assert one.loc[0, "title"] == ""  # several meetings: named by the city
    each = meeting_figures.venues(MEET)
    assert len(each) == MEET[["lat", "lon"]].dropna().drop_duplicates().shape[0]
    assert set(each.loc[each["meetings"] == 1, "title"]) <= set(MEET["title"])


def test_country_profile():
    profile = request_figures.country_profile("GHA", REQ, MEET, PART)
    assert list(profile.requests["request_id"]) == ["R5"]  # as requester, for Nigeria
    assert as_dict(profile.topics, "topic", "requests")["readmission"] == 1
    assert profile.meetings[["meeting_id", "participants"]].values.tolist() == [["M2", 5]]
    nga = request_figures.country_profile("NGA", REQ, MEET, PART)
    assert list(nga.requests["request_id"]) == ["R5"]
    assert list(nga.meetings["meeting_id"]) == ["M3"]
    ken = request_figures.country_profile("KEN", REQ, MEET, PART)
    assert ken.requests.empty and ken.meetings.empty
    assert ken.topics["requests"].sum() == 0


@pytest.mark.parametrize(
    "f", [Filters(), Filters(regions=("Pacific",)), Filters(countries=("JAM", "BEL"))]
)
def test_meeting_totals_by_position_match_them_by_id(f):
    # Unique meeting ids take the arrays' path (positions, bincount); repeated ids match rows
    # by id (groupby, map). Both must give the same figures for the same rows.
    from acpeu_data.filters import filter_meetings

    meetings, participation = filter_meetings(DS, f), filter_participation(DS, f)
    totals = meeting_figures.meeting_totals(meetings, participation)
    by_id = meeting_figures._breakdowns_merged(meetings, participation)
    assert totals["breakdown"].to_numpy().tolist() == pytest.approx(by_id[0].tolist(), nan_ok=True)
    assert totals["breakdown_illustrative"].to_numpy().tolist() == by_id[1].tolist()


def test_venues_of_a_subset_match_those_of_its_copy():
    # A filtered subset numbers its places from the loaded table's (masked); a copy, unknown
    # to acpeu_data.arrays, numbers its own: the venues must be the same.
    from acpeu_data.filters import filter_meetings

    subset = filter_meetings(DS, Filters(regions=("Caribbean", "Pacific")))
    assert 0 < len(subset) < len(MEET)
    pd.testing.assert_frame_equal(
        meeting_figures.venues(subset), meeting_figures.venues(subset.copy())
    )


@pytest.mark.parametrize(
    "f", [Filters(), Filters(regions=("Pacific",)), Filters(countries=("JAM", "BEL"))]
)
def test_meeting_links_from_codes_match_those_by_id(f, monkeypatch):
    # Unique meeting ids: countries as the cached codes; repeated ids: as text, matched by id.
    from acpeu_data.filters import filter_meetings

    meetings, participation = filter_meetings(DS, f), filter_participation(DS, f)
    by_codes = meeting_figures.meeting_links(meetings, participation)
    monkeypatch.setattr(meeting_figures.arrays, "meeting_positions", lambda _m, _p: None)
    pd.testing.assert_frame_equal(by_codes, meeting_figures.meeting_links(meetings, participation))
