"""Arrays kept per table: a filtered subset's masked arrays give what its own columns give."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

import acpeu_data as ad
from acpeu_data import arrays, headline_figures, meeting_figures, request_figures
from acpeu_data import filters as flt

DS = ad.load()
REGIONS = list(dict.fromkeys(DS.countries["region"]))
STATES = [
    ad.Filters(regions=(REGIONS[0],)),
    ad.Filters(regions=tuple(REGIONS[1:3]), topics=("remittances",)),
    ad.Filters(topics=("trafficking",), date_from=dt.date(2016, 1, 1)),
    ad.Filters(countries=("GHA", "JAM"), date_to=dt.date(2018, 12, 31)),
    ad.Filters(statuses=("completed",), requester_types=("government",)),
    ad.Filters(date_from=dt.date(2030, 1, 1)),
]


def figures(r: pd.DataFrame, m: pd.DataFrame, p: pd.DataFrame) -> list:
    times = request_figures.completion_times(r)
    pairs = flt.request_countries(r)
    return [
        # A subset's pairs keep the loaded table's categories and their order within a request.
        pairs.assign(iso3=pairs["iso3"].astype("str"))
        .sort_values(["row", "iso3"])
        .reset_index(drop=True),
        headline_figures.kpis(r, m, p),
        request_figures.requests_over_time(r, "QS", include_total=True),
        request_figures.requests_by_region(r, REGIONS),
        request_figures.requests_by_topic(r),
        request_figures.requests_by_status(r),
        request_figures.requests_by_typology(r),
        request_figures.requests_by_country(DS, r),
        times,
        request_figures.completion_summary(times),
        meeting_figures.participation_by_meeting(m, p),
        meeting_figures.participation_by_region(m, p),
        meeting_figures.participation_by_stakeholder_type(p),
        meeting_figures.women_share(p),
    ]


def assert_same(ours, theirs) -> None:
    for a, b in zip(ours, theirs, strict=True):
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        elif isinstance(a, pd.Series):
            pd.testing.assert_series_equal(a, b, check_exact=True)
        elif isinstance(a, list):
            assert a == b
        else:
            assert dataclasses.astuple(a) == pytest.approx(dataclasses.astuple(b), nan_ok=True)


@pytest.mark.parametrize("f", STATES, ids=str)
def test_subsets_take_what_their_own_columns_give(f):
    r, m, p = (
        flt.filter_requests(DS, f),
        flt.filter_meetings(DS, f),
        flt.filter_participation(DS, f),
    )
    assert_same(figures(r, m, p), figures(r.copy(), m.copy(), p.copy()))


def test_a_subset_of_a_subset_masks_the_loaded_table():
    r = flt.filter_requests(DS, ad.Filters(regions=(REGIONS[0],)))
    mask = np.arange(len(r)) % 2 == 0
    half = r[mask]
    arrays.subset(r, half, mask)
    assert_same(
        figures(half, DS.meetings, DS.participation),
        figures(half.copy(), DS.meetings, DS.participation),
    )


def test_shared_arrays_are_read_only():
    with pytest.raises(ValueError):
        arrays.column(DS.requests, "topic_visas")[0] = True


def test_meetings_with_a_repeated_id_are_matched_by_id():
    m = pd.concat([DS.meetings, DS.meetings.iloc[:1]])
    per = meeting_figures.participation_by_meeting(m, DS.participation)
    assert len(per) == len(m)
    assert per["participants"].iloc[-1] == per["participants"].iloc[0]


@pytest.mark.parametrize("table", ["requests", "meetings", "participation", "countries"])
@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_rows_are_the_frame_masked(table, share):
    frame = getattr(DS, table)
    mask = np.random.default_rng(7).random(len(frame)) < share
    subset = arrays.rows(frame, mask)
    text = [c for c in frame if type(frame[c].array) is pd.arrays.ArrowStringArray]
    assert text  # every table has text columns: they are taken when read
    assert not any(type(subset[c].array) is pd.arrays.ArrowStringArray for c in text)
    assert len(subset) == int(mask.sum()) and list(subset.columns) == list(frame.columns)
    pd.testing.assert_frame_equal(subset, frame[mask], check_flags=True)
    # Read once, each text column is an ordinary Arrow array (pandas' own results are too).
    assert all(type(subset[c].array) is pd.arrays.ArrowStringArray for c in text)
    assert type(arrays.rows(frame, mask)[text[0]].str.upper().array) is pd.arrays.ArrowStringArray


def test_rows_not_yet_read_behave_as_taken_ones():
    import pickle

    mask = np.arange(len(DS.requests)) % 3 == 0
    expected = DS.requests[mask]
    for use in (
        lambda s: pickle.loads(pickle.dumps(s)),
        lambda s: s.copy(),
        lambda s: s.sort_values("title", kind="stable"),
        lambda s: pd.concat([s, s]),
        lambda s: s[s["status"] == "completed"],
        lambda s: s.iloc[::-1],
        lambda s: s.to_numpy(),
    ):
        got, want = use(arrays.rows(DS.requests, mask)), use(expected)
        pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want))
    # A subset's figures come from the loaded table's arrays: reading them takes no text.
    subset = arrays.rows(DS.requests, mask)
    assert (
        arrays.codes(subset, "region").codes.tolist()
        == arrays.codes(expected.copy(), "region").codes.tolist()
    )
    assert type(subset["region"].array) is not pd.arrays.ArrowStringArray


def test_rows_of_rows_are_taken_later_too():
    first = np.arange(len(DS.requests)) % 2 == 0
    subset = arrays.rows(DS.requests, first)
    second = np.arange(len(subset)) % 3 == 1
    expected = DS.requests[first][second]
    for got in (subset[second], subset.take(np.flatnonzero(second)), subset.iloc[-3:]):
        assert type(got["title"].array) is not pd.arrays.ArrowStringArray  # not taken yet
    pd.testing.assert_frame_equal(subset[second], expected)
    pd.testing.assert_frame_equal(subset.iloc[-3:], DS.requests[first].iloc[-3:])
    titles = subset["title"].array
    assert titles[3] == DS.requests["title"][first].iloc[3]
    assert titles[-1] == DS.requests["title"][first].iloc[-1]
    with pytest.raises(IndexError):
        titles.take([len(subset)])
    with pytest.raises(IndexError):
        titles[len(subset)]  # noqa: B018


def test_meeting_positions_are_kept_per_pair_and_forgotten_with_the_frames():
    import gc

    f = ad.Filters(regions=(REGIONS[0],))
    meetings, participation = flt.filter_meetings(DS, f), flt.filter_participation(DS, f)
    positions = arrays.meeting_positions(meetings, participation)
    assert positions is arrays.meeting_positions(meetings, participation)
    assert not positions.flags.writeable
    pairs = lambda: [k for k in arrays._facts(DS.participation).values if k[0] == "positions in"]  # noqa: E731
    before = len(pairs())
    for _ in range(3):  # subsets of meetings paired with the loaded participation
        arrays.meeting_positions(meetings.copy(), DS.participation)
        gc.collect()
    assert len(pairs()) <= before + 1


@pytest.mark.parametrize("chosen", [0, 1, 2, 8, 9, 30])
def test_isin_codes_is_np_isin_for_any_number_of_codes_missing_cells_included(chosen):
    rng = np.random.default_rng(chosen)
    codes = rng.integers(-1, 40, 5_000).astype(np.int8)
    wanted = sorted(rng.choice(40, chosen, replace=False).tolist())
    found = arrays.isin_codes(codes, wanted, 40)
    assert found.dtype == bool
    assert (found == np.isin(codes, wanted)).all()
