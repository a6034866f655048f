"""The bundled data reproduces every figure IOM published about the programme (data/README.md)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import contract, filters, headline_figures, meeting_figures

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# Checkpoint dates, with why each is chosen in data/README.md.
RELEASE_2015 = dt.date(2015, 7, 15)
NAIROBI_2016 = dt.date(2016, 10, 17)
SEED_2017 = dt.date(2017, 3, 21)
GEORGETOWN_2017_END = dt.date(2017, 3, 23)
PROGRAMME_CLOSE = dt.date(2019, 8, 31)


@pytest.fixture(scope="module")
def ds() -> ad.Dataset:
    return ad.load()


def requests_as_of(ds: ad.Dataset, day: dt.date) -> pd.DataFrame:
    """Return the requests received up to and including a day, filtered as the app does."""
    return filters.filter_requests(ds, ad.Filters(date_to=day))


def kpis_as_of(ds: ad.Dataset, day: dt.date):
    """Return the headline figures as of a day, computed as the Overview page does."""
    f = ad.Filters(date_to=day)
    return headline_figures.kpis(
        filters.filter_requests(ds, f),
        filters.filter_meetings(ds, f),
        filters.filter_participation(ds, f),
    )


def requesters_with_topic(requests: pd.DataFrame, topic: str) -> list[str]:
    """Return the requester of each request about a topic, sorted (repeats kept)."""
    return sorted(requests.loc[requests["topics"].map(lambda t: topic in t), "requester"])


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def test_80_countries_in_five_regions(ds: ad.Dataset) -> None:
    assert len(ds.countries) == 80
    assert ds.countries["region"].value_counts().to_dict() == {
        "West and Central Africa": 23,
        "East and Horn of Africa": 11,
        "Southern Africa": 15,
        "Caribbean": 16,
        "Pacific": 15,
    }


def test_first_15_requests_as_in_the_2015_release(ds: ad.Dataset) -> None:
    requests = requests_as_of(ds, RELEASE_2015)
    kpis = kpis_as_of(ds, RELEASE_2015)
    assert kpis.requests == 15
    assert (requests["requester_type"] == "government").sum() == 13
    assert kpis.governments == 12
    assert kpis.regional_organisations == 2
    assert requesters_with_topic(requests, "remittances") == sorted(
        ["OECS", "SOM", "COG", "ZMB", "MLI", "GUY", "KEN", "MDG"]
    )
    assert requesters_with_topic(requests, "visas") == sorted(
        ["COMESA", "NAM", "SDN", "BEN", "GUY", "LBR"]
    )
    assert requesters_with_topic(requests, "readmission") == ["BFA"]
    assert requests["source"].map(is_url).all()


def test_55_requests_at_the_nairobi_meeting(ds: ad.Dataset) -> None:
    assert kpis_as_of(ds, NAIROBI_2016).requests == 55


def test_58_requests_from_44_governments_and_5_organisations_in_march_2017(
    ds: ad.Dataset,
) -> None:
    kpis = kpis_as_of(ds, SEED_2017)
    assert (kpis.requests, kpis.governments, kpis.regional_organisations) == (58, 44, 5)
    # "A third" of 58: the bundled data has 19 (32.8 %).
    assert kpis.trafficking_or_smuggling_share == pytest.approx(19 / 58)


def test_2_programme_meetings_by_the_end_of_the_georgetown_meeting(ds: ad.Dataset) -> None:
    # IOM called Georgetown (March 2017) the programme's second peer-to-peer meeting; the
    # ACP-EU Dialogue seminar of July 2016 is a related event, counted apart.
    f = ad.Filters(date_to=GEORGETOWN_2017_END)
    meetings = filters.filter_meetings(ds, f)
    kpis = kpis_as_of(ds, GEORGETOWN_2017_END)
    assert kpis.meetings == 2
    assert kpis.related_events == 1
    programme = meetings[meeting_figures.is_programme_meeting(meetings)]
    assert sorted(programme["city"]) == ["Georgetown", "Nairobi"]


def test_the_guyana_e_visa_request_was_made_in_june_2015(ds: ad.Dataset) -> None:
    request = ds.requests.set_index("request_id").loc["ACPEU-2015-004"]
    assert (request["requester"], request["topics"]) == ("GUY", ["visas"])
    assert request["received_on"].month == 6 and request["received_on"].year == 2015
    assert "June 2015" in request["note"]


def test_the_2018_dialogue_seminar_was_co_organised_by_the_action(ds: ad.Dataset) -> None:
    seminar = ds.meetings.set_index("meeting_id").loc["DIALOGUE-2018-BRUSSELS"]
    assert seminar["kind"] == "other"  # a related event, not a programme meeting
    assert "co-organised" in seminar["note"]
    assert "not an Action meeting" not in seminar["note"]


def test_public_sources_only_keeps_the_15_requests_and_the_9_meetings(ds: ad.Dataset) -> None:
    f = ad.Filters(source="public")
    requests = filters.filter_requests(ds, f)
    meetings = filters.filter_meetings(ds, f)
    participation = filters.filter_participation(ds, f)
    assert len(requests) == 15 and requests["source"].map(is_url).all()
    assert len(meetings) == 9
    assert participation.empty  # no breakdown by delegation was ever published
    kpis = headline_figures.kpis(requests, meetings, participation)
    assert (kpis.meetings, kpis.related_events) == (7, 2)
    # Only the published totals: 70 + 80 + over 50 + over 90; three programme meetings unknown.
    assert kpis.participants == 290 and kpis.participants_more_than
    assert kpis.meetings_unknown_total == 3
    assert kpis.participants_illustrative == 0


def test_71_requests_of_which_10_rejected_at_the_close(ds: ad.Dataset) -> None:
    requests = requests_as_of(ds, PROGRAMME_CLOSE)
    assert kpis_as_of(ds, PROGRAMME_CLOSE).requests == 71
    assert len(ds.requests) == 71
    assert (requests["status"] == "rejected").sum() == 10


def test_the_illustrative_history_agrees_with_the_requests_and_the_close(ds: ad.Dataset) -> None:
    assert ds.has_events and not [w for w in ds.warnings if "request_events" in w.file]
    events = ds.request_events
    assert set(events["request_id"]) == set(ds.requests["request_id"])
    assert events["note"].str.endswith("(illustrative)").all()
    assert events["changed_on"].max() <= pd.Timestamp(PROGRAMME_CLOSE)
    # At the close, the status of every request's last change is its status in requests.csv.
    closed = requests_as_of(ds, PROGRAMME_CLOSE)["status"].value_counts().to_dict()
    assert closed == {"completed": 59, "rejected": 10, "withdrawn": 2}
    # Nothing was closed on the day it arrived, so at each checkpoint some are open.
    for day in (RELEASE_2015, NAIROBI_2016, SEED_2017):
        assert requests_as_of(ds, day)["status"].isin(contract.OPEN_STATUSES).any()


def test_the_guyana_e_visa_report_counts_as_completed_from_8_march_2017(ds: ad.Dataset) -> None:
    def guyana_visas(day: dt.date) -> pd.Series:
        requests = requests_as_of(ds, day)
        return requests[(requests["requester"] == "GUY") & requests["topic_visas"]].iloc[0]

    assert guyana_visas(SEED_2017)["status"] == "completed"
    before = guyana_visas(dt.date(2017, 3, 7))
    assert before["status"] == "ongoing" and pd.isna(before["completed_on"])


def test_trafficking_and_smuggling_only_after_mid_2015_and_most_requested_at_the_end(
    ds: ad.Dataset,
) -> None:
    requests = ds.requests
    about_either = requests["topic_trafficking"] | requests["topic_smuggling"]
    assert requests.loc[about_either, "received_on"].min() > pd.Timestamp("2015-06-30")
    per_topic = {code: int(requests[f"topic_{code}"].sum()) for code in contract.TOPICS}
    assert max(per_topic, key=per_topic.get) == "trafficking"


def test_request_dates_are_consistent(ds: ad.Dataset) -> None:
    requests = ds.requests
    assert requests["received_on"].max() <= pd.Timestamp("2018-12-31")
    completed = requests["status"] == "completed"
    assert requests.loc[completed, "completed_on"].notna().all()
    assert requests.loc[~completed, "completed_on"].isna().all()
    done = requests[completed]
    assert (done["completed_on"] >= done["received_on"]).all()
    assert done["completed_on"].max() <= pd.Timestamp(PROGRAMME_CLOSE)


def test_guyana_e_visa_report_handed_over_on_8_march_2017(ds: ad.Dataset) -> None:
    guyana_visas = ds.requests[(ds.requests["requester"] == "GUY") & ds.requests["topic_visas"]]
    assert list(guyana_visas["completed_on"]) == [pd.Timestamp("2017-03-08")]


@pytest.mark.parametrize(
    ("meeting_id", "start", "end"),
    [
        ("P2P-2016-NAIROBI", "2016-10-17", "2016-10-19"),
        ("P2P-2017-GEORGETOWN", "2017-03-21", "2017-03-23"),
        ("P2P-2018-LUSAKA", "2018-05-22", "2018-05-24"),
        ("RTM-2019-GEORGETOWN", "2019-03-12", "2019-03-14"),
        ("CLOSING-2019-BRUSSELS", "2019-07-11", "2019-07-11"),
    ],
)
def test_meetings_on_their_published_dates(
    ds: ad.Dataset, meeting_id: str, start: str, end: str
) -> None:
    meeting = ds.meetings.set_index("meeting_id").loc[meeting_id]
    assert (meeting["start_date"], meeting["end_date"]) == (pd.Timestamp(start), pd.Timestamp(end))


def test_published_totals_belong_to_the_meetings(ds: ad.Dataset) -> None:
    meetings = ds.meetings.set_index("meeting_id")
    reported = meetings["reported_participants"].dropna().to_dict()
    assert reported == {
        "P2P-2017-GEORGETOWN": 70,
        "RTM-2019-ACCRA": 80,
        "RTM-2019-GEORGETOWN": 50,
        "CLOSING-2019-BRUSSELS": 90,
    }
    qualifier = meetings["reported_qualifier"]
    assert qualifier["RTM-2019-GEORGETOWN"] == qualifier["CLOSING-2019-BRUSSELS"] == "more_than"
    assert qualifier["P2P-2017-GEORGETOWN"] == qualifier["RTM-2019-ACCRA"] == "exactly"


def test_meeting_participants_match_the_published_totals(ds: ad.Dataset) -> None:
    participants = ds.meetings.set_index("meeting_id")["participants"]
    assert participants["P2P-2017-GEORGETOWN"] == 70
    assert participants["RTM-2019-ACCRA"] == 80
    assert participants["RTM-2019-GEORGETOWN"] > 50
    assert participants["CLOSING-2019-BRUSSELS"] > 90
    # The breakdown is illustrative, but the speakers the release names are there.
    georgetown = ds.participation[ds.participation["meeting_id"] == "P2P-2017-GEORGETOWN"]
    assert {"UN Women", "UNODC", "UNICEF"} <= set(georgetown["organisation"])


def test_women_never_outnumber_participants(ds: ad.Dataset) -> None:
    known = ds.participation.dropna(subset=["women"])
    assert len(known) > 0
    assert (known["women"] <= known["participants"]).all()
    # Delegations with no women are 0, not blank: the share is not over chosen delegations.
    assert (known["women"] == 0).any()
    blank = ds.participation[ds.participation["women"].isna()]
    assert set(blank["meeting_id"]).isdisjoint(known["meeting_id"])


def test_every_record_is_either_sourced_or_illustrative(ds: ad.Dataset) -> None:
    for table in (ds.requests, ds.meetings, ds.participation):
        source = table["source"]
        assert (source.map(is_url) | (source == "illustrative")).all()
    assert ds.illustrative["requests"] == 56
    assert ds.illustrative.get("meetings", 0) == 0
    assert ds.illustrative["participation"] == len(ds.participation)


def test_regional_organisations_hold_programme_countries(ds: ad.Dataset) -> None:
    organisations = ds.regional_organisations.set_index("code")
    assert {"OECS", "COMESA"} <= set(organisations.index)
    countries = set(ds.countries["iso3"])
    for members in organisations["members"]:
        assert members and set(members) <= countries


def test_generator_reproduces_the_bundled_files(tmp_path: Path, monkeypatch) -> None:
    path = ROOT / "tools" / "make_bundled_data.py"
    spec = importlib.util.spec_from_file_location("make_bundled_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shutil.copy(DATA / "countries.csv", tmp_path / "countries.csv")
    monkeypatch.setattr(module, "DATA", tmp_path)
    monkeypatch.setattr(module, "COUNTRIES", tmp_path / "countries.csv")
    module.main()
    for made in tmp_path.glob("*.csv"):
        assert made.read_bytes() == (DATA / made.name).read_bytes(), made.name
