"""Requests over their life: status as of a day, stages, ageing, changes, request_events checks.

tests/fixtures/events is the valid fixture plus request_events.csv. By hand, from its rows:

    R-001 received 2015-03-16, under_review 04-01, approved 05-15, ongoing 07-01,
          completed 2016-01-29
    R-002 received 2016-05-02, under_review 05-20, approved 09-01, ongoing 2017-01-10
    R-003 received 2017-03-21 (and a `received` row that day)
    R-004 received 2018-01-10, under_review 01-15, rejected 02-01 (completed_on 2018-02-01)
    R-005 received 2016-11-30, under_review 12-05, withdrawn 2017-02-01

As of 2016-12-31: R-001 completed, R-002 approved, R-005 under_review (R-003, R-004 not yet
received). As of 2016-01-01: only R-001, ongoing, without its completion date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import contract, export, filters, history, request_figures

EVENTS_DIR = Path(__file__).parent / "fixtures" / "events"
EVENTS_FILE = "request_events.csv"

# The hand-computed answer the AppTest and browser tests check too.
AS_OF = dt.date(2016, 12, 31)
STATUS_AS_OF = {"R-001": "completed", "R-002": "approved", "R-005": "under_review"}


@pytest.fixture(scope="module")
def events_ds() -> ad.Dataset:
    return ad.load(EVENTS_DIR)


@pytest.fixture
def events_copy(data_copy):
    """A writable copy of the events fixture folder."""
    data_copy.write_bytes(EVENTS_FILE, (EVENTS_DIR / EVENTS_FILE).read_bytes())
    return data_copy


def statuses(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["request_id"], frame["status"], strict=True))


# --- status as of a day -----------------------------------------------------------------------


def test_as_of_status_comes_from_the_events(events_ds):
    assert events_ds.has_events
    assert not history.history(events_ds).is_estimated
    requests = filters.filter_requests(events_ds, ad.Filters(date_to=AS_OF))
    assert statuses(requests) == STATUS_AS_OF
    by_status = request_figures.requests_by_status(requests).set_index("status")["requests"]
    assert by_status.to_dict() == {
        "received": 0,
        "under_review": 1,
        "approved": 1,
        "ongoing": 0,
        "completed": 1,
        "rejected": 0,
        "withdrawn": 0,
    }


def test_a_completion_after_the_day_is_left_out(events_ds):
    requests = filters.filter_requests(events_ds, ad.Filters(date_to=dt.date(2016, 1, 1)))
    assert statuses(requests) == {"R-001": "ongoing"}
    assert requests["completed_on"].isna().all()
    assert request_figures.completion_summary(request_figures.completion_times(requests)).count == 0
    on_the_day = filters.filter_requests(events_ds, ad.Filters(date_to=dt.date(2016, 1, 29)))
    assert statuses(on_the_day) == {"R-001": "completed"}
    assert request_figures.completion_times(on_the_day)["days"].tolist() == [319]


def test_the_status_filter_uses_the_status_on_the_day(events_ds):
    ongoing_then = ad.Filters(statuses=("ongoing",), date_to=dt.date(2016, 1, 1))
    assert statuses(filters.filter_requests(events_ds, ongoing_then)) == {"R-001": "ongoing"}
    completed_now = ad.Filters(statuses=("completed",))
    assert list(filters.filter_requests(events_ds, completed_now)["request_id"]) == ["R-001"]
    completed_then = ad.Filters(statuses=("completed",), date_to=dt.date(2016, 1, 1))
    assert filters.filter_requests(events_ds, completed_then).empty


def test_without_to_the_statuses_are_the_files(events_ds):
    requests = filters.filter_requests(events_ds, ad.Filters(regions=("Caribbean",)))
    assert statuses(requests) == {"R-002": "ongoing"}
    # Far in the future, the history ends on each request's own status.
    future = filters.filter_requests(events_ds, ad.Filters(date_to=dt.date(2030, 1, 1)))
    assert statuses(future) == statuses(events_ds.requests)


def test_fallback_history_estimated_from_the_requests(valid_dir):
    ds = ad.load(valid_dir)
    assert not ds.has_events and history.history(ds).is_estimated
    # A completed request is ongoing between receipt and completion; others keep their status.
    then = filters.filter_requests(ds, ad.Filters(date_to=dt.date(2016, 12, 31)))
    assert statuses(then) == {"R-001": "completed", "R-002": "ongoing", "R-005": "withdrawn"}
    before = filters.filter_requests(ds, ad.Filters(date_to=dt.date(2016, 1, 28)))
    assert statuses(before) == {"R-001": "ongoing"}
    assert before["completed_on"].isna().all()
    codes = history.status_as_of(ds, dt.date(2015, 3, 15))
    assert (codes == "").all()  # nothing received yet


def test_a_request_the_table_does_not_name_is_estimated(events_copy):
    header, records = events_copy.rows(EVENTS_FILE)
    events_copy.write_rows(EVENTS_FILE, header, [r for r in records if r[0] != "R-001"])
    ds = ad.load(events_copy.path)
    h = history.history(ds)
    assert h.is_estimated and h.estimated.tolist() == [True, False, False, False, False]
    then = filters.filter_requests(ds, ad.Filters(date_to=dt.date(2015, 12, 1)))
    assert statuses(then) == {"R-001": "ongoing"}


def test_download_as_of_loads_back_as_the_programme_then(events_ds, tmp_path):
    requests = filters.filter_requests(events_ds, ad.Filters(date_to=dt.date(2016, 1, 1)))
    data = export.table_to_csv(requests, "requests")
    files = {p.name: p.read_bytes() for p in EVENTS_DIR.glob("*.csv") if p.name != EVENTS_FILE}
    files["requests.csv"] = data
    back = ad.load_files(files)
    assert statuses(back.requests) == {"R-001": "ongoing"}
    assert back.requests["completed_on"].isna().all()


# --- stages, ageing, changes ------------------------------------------------------------------


def test_time_in_stage_counts_the_stays_that_ended(events_ds):
    everything = events_ds.requests
    stays = history.stays(events_ds, everything)
    r1 = stays[stays["request_id"] == "R-001"]
    assert r1["status"].tolist() == ["received", "under_review", "approved", "ongoing"]
    assert r1["days"].tolist() == [16, 44, 47, 212]
    table = history.time_in_stage(events_ds, everything).set_index("status")
    # under_review: R-001 44, R-002 104, R-004 17, R-005 58 -> median 51, quartiles 37.25, 69.5.
    assert table.loc["under_review", "stays"] == 4
    assert table.loc["under_review", "median"] == 51.0
    assert table.loc["under_review", ["q1", "q3"]].tolist() == [37.25, 69.5]
    assert table.loc["under_review", ["min", "max"]].tolist() == [17, 104]
    # R-003's `received` row repeats its receipt: one stay, still open, so not counted.
    assert table.loc["received", "stays"] == 4
    # As of 2016-12-31 R-002's approval (still going on) is not an ended stay.
    then = history.time_in_stage(events_ds, everything, AS_OF).set_index("status")
    assert then.loc["approved", "stays"] == 1 and then.loc["approved", "median"] == 47.0


def test_stages_by_month_and_moves(events_ds):
    requests = filters.filter_requests(events_ds, ad.Filters(date_to=AS_OF))
    months = history.stages_by_month(events_ds, requests, AS_OF)
    last = months[months["month"] == pd.Timestamp("2016-12-01")]
    assert dict(zip(last["status"], last["requests"], strict=True)) == {
        "received": 0,
        "under_review": 1,
        "approved": 1,
        "ongoing": 0,
        "completed": 1,
        "rejected": 0,
        "withdrawn": 0,
    }
    june_2015 = months[months["month"] == pd.Timestamp("2015-06-01")]
    assert june_2015.set_index("status").loc["approved", "requests"] == 1
    assert months["month"].min() == pd.Timestamp("2015-03-01")
    moves = history.moves(events_ds, requests, AS_OF)
    pairs = {(a, b): n for a, b, n in moves.itertuples(index=False)}
    assert pairs[("received", "under_review")] == 3
    assert pairs[("ongoing", "completed")] == 1
    assert ("approved", "ongoing") in pairs and ("under_review", "withdrawn") not in pairs


def test_ageing_of_open_requests(events_ds):
    requests = filters.filter_requests(events_ds, ad.Filters(date_to=AS_OF))
    aged = history.ages(requests, AS_OF)
    # Open on 2016-12-31: R-002 received 2016-05-02 (243 days), R-005 2016-11-30 (31 days).
    assert aged["request_id"].tolist() == ["R-002", "R-005"]
    assert aged["days"].tolist() == [243, 31]
    full = history.open_requests(requests, aged)
    assert full["request_id"].tolist() == ["R-002", "R-005"]
    assert full["status"].tolist() == ["approved", "under_review"]  # as of the day
    assert "typology" in full and "days" not in full
    bands = history.age_bands(aged).set_index("label")["requests"]
    assert bands.to_dict() == {
        "0–30": 0,
        "31–90": 1,
        "91–180": 0,
        "181–365": 1,
        "366–730": 0,
        "731+": 0,
    }


def test_changes_between_two_dates(events_ds):
    requests = filters.filter_requests(events_ds, ad.Filters(date_to=dt.date(2017, 2, 1)))
    changes = history.changes_between(
        events_ds, requests, dt.date(2016, 11, 1), dt.date(2017, 2, 1)
    )
    rows = list(
        changes[["changed_on", "request_id", "status", "previous_status", "kind"]].itertuples(
            index=False
        )
    )
    assert [(str(d.date()), r, s, p, k) for d, r, s, p, k in rows] == [
        ("2016-11-30", "R-005", "received", "", "new"),
        ("2016-12-05", "R-005", "under_review", "received", "change"),
        ("2017-01-10", "R-002", "ongoing", "approved", "change"),
        ("2017-02-01", "R-005", "withdrawn", "under_review", "withdrawn"),
    ]
    assert history.change_counts(changes) == {
        "new": 1,
        "change": 2,
        "completed": 0,
        "rejected": 0,
        "withdrawn": 1,
    }
    # The list loads back as a request_events table.
    data = export.table_to_csv(changes, "request_events")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("request_id,status,changed_on,note")


# --- the checks of request_events ---------------------------------------------------------------


def _problems(folder) -> tuple[list[ad.Problem], list[ad.Problem]]:
    try:
        ds = ad.load(folder)
    except ad.DataError as error:
        return error.problems, []
    return [], ds.warnings


def _at(problems, row, column) -> ad.Problem:
    found = [p for p in problems if (p.file, p.row, p.column) == (EVENTS_FILE, row, column)]
    assert found, f"no problem at row {row} column {column}: {problems}"
    return found[0]


@pytest.mark.parametrize(
    ("row", "column", "value", "words", "severity"),
    [
        (2, "request_id", "R-099", "unknown request", "error"),
        (3, "status", "paused", "unknown code", "error"),
        (3, "changed_on", "2015-03-01", "before the request was received (2015-03-16)", "error"),
        (8, "status", "approved", "gives its status as 'ongoing'", "error"),
        (5, "changed_on", "2016-01-30", "completed on 2016-01-29", "error"),
        (3, "changed_on", "2015-13-01", "no such day", "error"),
    ],
)
def test_each_event_check_is_located(events_copy, row, column, value, words, severity):
    events_copy.set_cell(EVENTS_FILE, row, column, value)
    errors, warnings = _problems(events_copy.path)
    problem = _at(errors if severity == "error" else warnings, row, column)
    assert words in problem.message and problem.value == value
    assert problem.severity == severity


def test_an_event_after_a_final_status_is_a_warning(events_copy):
    row = events_copy.add_row(
        EVENTS_FILE, request_id="R-005", status="withdrawn", changed_on="2017-03-01"
    )
    errors, warnings = _problems(events_copy.path)
    assert errors == []
    problem = _at(warnings, row, "status")
    assert problem.severity == "warning" and "closed" in problem.message


def test_a_last_event_on_the_same_day_follows_the_file_order(events_copy):
    # Same day as the withdrawal, written after it: the last change is under_review.
    row = events_copy.add_row(
        EVENTS_FILE, request_id="R-005", status="under_review", changed_on="2017-02-01"
    )
    errors, _warnings = _problems(events_copy.path)
    assert "gives its status as 'withdrawn'" in _at(errors, row, "status").message


def test_the_events_table_is_optional_in_workbooks_and_uploads(events_copy, data_copy):
    book = events_copy.workbook()
    ds = ad.load_files({"programme.xlsx": book})
    assert ds.has_events and len(ds.request_events) == 12
    uploaded = ad.load_files(events_copy.as_upload())
    assert uploaded.has_events
    events_copy.delete(EVENTS_FILE)
    assert not ad.load_files(events_copy.as_upload()).has_events
    assert not ad.load_files({"programme.xlsx": events_copy.workbook()}).has_events


def test_missing_required_event_columns_are_located(events_copy):
    events_copy.drop_column(EVENTS_FILE, "changed_on")
    errors, _ = _problems(events_copy.path)
    assert _at(errors, 1, "changed_on").message.startswith("missing required column")


def test_status_codes_as_of_are_read_only_and_cached(events_ds):
    first = history.status_codes_as_of(events_ds, AS_OF)
    assert first is history.status_codes_as_of(events_ds, AS_OF)
    assert not first.flags.writeable
    assert np.array_equal(first, np.array([4, 2, -1, -1, 1], dtype=np.int8))


def test_the_events_table_has_its_own_row_limit(events_copy, monkeypatch):
    # Several changes per request: the history may hold more rows than the other tables.
    monkeypatch.setattr(contract, "MAX_ROWS", 11)
    assert ad.load(events_copy.path).has_events  # 12 events, 5 requests
    limited = dataclasses.replace(contract.REQUEST_EVENTS, max_rows=11)
    monkeypatch.setitem(contract.TABLES, "request_events", limited)
    errors, _ = _problems(events_copy.path)
    assert [p.message for p in errors if p.file == EVENTS_FILE] == [
        "more than 11 rows: too many to read"
    ]


def test_the_pipeline_section_the_page_and_the_reports_share(events_ds):
    from acpeu_data import views

    section = views.pipeline(views.View(events_ds, ad.Filters(date_to=AS_OF), "en"))
    assert [c.key for c in section.charts] == [
        "by_stage",
        "age_bands",
        "stages_over_time",
        "moves",
        "stage_days",
    ]
    numbers = section.chart("by_stage").numbers
    shown = dict(zip(numbers["Stage"], numbers["Requests"], strict=True))
    assert shown["Approved"] == 1 and shown["Completed"] == 1 and shown["Under review"] == 1
    assert section.notes == [] and section.headlines == []  # events given; no From
    between = views.pipeline(
        views.View(
            events_ds, ad.Filters(date_from=dt.date(2016, 11, 1), date_to=dt.date(2017, 2, 1)), "fr"
        )
    )
    assert [h.value for h in between.headlines] == ["1", "2", "0", "0", "1"]


@pytest.mark.parametrize("seed", range(4))
def test_the_changes_of_some_requests_are_those_a_mask_over_every_change_picks(seed):
    h = history.history(ad.load())
    n = len(h.starts) - 1
    rng = np.random.default_rng(seed)
    rows = rng.permutation(n)[: rng.integers(0, n + 1)]  # any order, none to all
    chosen = np.zeros(n, dtype=bool)
    chosen[rows] = True
    assert history._changes_of(h, rows).tolist() == np.flatnonzero(chosen[h.rows]).tolist()
