"""The benchmark's data generator writes folders the loader accepts, the same for the same seed."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

import acpeu_data as ad
from acpeu_data import contract
from bench import generate

N = 600


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate.generate(N, tmp_path_factory.mktemp("generated"), seed=3)


@pytest.fixture(scope="module")
def dataset(folder: Path) -> ad.Dataset:
    return ad.load(folder)


def test_the_loader_accepts_the_folder_without_errors(dataset):
    assert len(dataset.requests) == N
    assert len(dataset.meetings) == round(N / generate.MEETING_EVERY)
    assert len(dataset.participation) > len(dataset.meetings)
    # Only the contract's allowed oddity: venues outside the programme (Brussels).
    assert {p.severity for p in dataset.warnings} <= {"warning"}


def test_countries_and_organisations_are_the_bundled_ones(dataset):
    bundled = ad.load()
    assert dataset.countries["iso3"].tolist() == bundled.countries["iso3"].tolist()
    assert (
        dataset.regional_organisations["code"].tolist()
        == bundled.regional_organisations["code"].tolist()
    )


def test_every_filter_value_occurs(dataset):
    requests = dataset.requests
    assert set(requests["status"]) == set(contract.STATUSES)
    assert set(requests["requester_type"]) == set(contract.REQUESTER_TYPES)
    assert set(requests["region"]) == set(dataset.countries["region"])
    for topic in contract.TOPICS:
        assert requests[f"topic_{topic}"].any(), topic


def test_dates_fall_in_2015_to_2018_and_completion_follows_receipt(dataset):
    requests = dataset.requests
    assert requests["received_on"].dt.year.between(2015, 2018).all()
    done = requests["completed_on"].notna()
    assert done.any()
    assert (requests.loc[done, "completed_on"] >= requests.loc[done, "received_on"]).all()
    assert dataset.meetings["start_date"].dt.year.between(2015, 2018).all()


def test_listed_beneficiaries_include_a_requesting_government(dataset):
    requests = dataset.requests
    listed = requests[requests["countries"].map(len) > 0]
    assert len(listed)
    government = listed[listed["requester_type"] == "government"]
    assert all(row.requester in row.countries for row in government.itertuples())


def test_the_same_seed_gives_the_same_files_and_another_seed_does_not(folder, tmp_path):
    again = generate.generate(N, tmp_path / "again", seed=3)
    other = generate.generate(N, tmp_path / "other", seed=4)
    names = sorted(p.name for p in folder.glob("*.csv"))
    assert len(names) == len(contract.TABLES)
    match, mismatch, errors = filecmp.cmpfiles(folder, again, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert not filecmp.cmp(folder / "requests.csv", other / "requests.csv", shallow=False)


def test_the_status_history_has_about_four_changes_per_request_and_agrees(dataset):
    events = dataset.request_events
    assert dataset.has_events and 3.5 <= len(events) / N <= 5
    assert not [p for p in dataset.warnings if "request_events" in p.file]
    last = events.groupby("request_id", sort=False)["status"].last()
    statuses = dataset.requests.set_index("request_id")["status"]
    assert (last == statuses[last.index]).all()
    assert set(events["request_id"]) == set(dataset.requests["request_id"])
