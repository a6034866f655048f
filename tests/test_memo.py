"""Figures and aggregates are built once per data, filter state and language (ui/memo.py)."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from builders import _country, _request, make_dataset
from streamlit.testing.v1 import AppTest

import acpeu_data as ad
from acpeu_data import charts, headline_figures, i18n, request_figures, tables
from acpeu_data import filters as flt
from ui import data as ui_data
from ui import memo

ROOT = Path(__file__).resolve().parent.parent


def test_lru_builds_once_per_key_and_forgets_the_least_recently_used():
    store = memo.Lru(2)
    built = []

    def build(key):
        return lambda: built.append(key) or key.upper()

    assert store.get("a", build("a")) == "A"
    assert store.get("a", build("a")) == "A"
    store.get("b", build("b"))
    store.get("a", build("a"))  # a is now the most recently used
    store.get("c", build("c"))  # so b goes
    store.get("a", build("a"))
    store.get("b", build("b"))
    assert built == ["a", "b", "c", "b"]
    assert len(store) == 2


def test_lru_is_safe_across_threads():
    store = memo.Lru(8)
    results = []

    def work(n):
        results.extend(store.get(i % 10, lambda i=i: i % 10) for i in range(n))

    threads = [threading.Thread(target=work, args=(500,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store) == 8
    assert results.count(3) == 4 * 50


def test_going_back_to_a_filter_builds_nothing_again(monkeypatch):
    memo.results.clear()
    memo.frames.clear()
    calls = {"timeline": 0, "kpis": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        charts, "cumulative_by_topic", counted("timeline", charts.cumulative_by_topic)
    )
    monkeypatch.setattr(headline_figures, "kpis", counted("kpis", headline_figures.kpis))
    # Counts the pages' builds only, whether or not an earlier test loaded (and warmed) the data.
    monkeypatch.setattr(ui_data, "prepare", lambda ds: None)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    region = app.multiselect(key="w_region")
    first, second = region.options[:2]
    values = {}
    for choice in ([first], [second], [first], []):
        app.multiselect(key="w_region").set_value(choice).run()
        values[tuple(choice)] = app.metric[0].value
    assert not app.exception
    # all data, the first region, the second: three states, each built once
    assert calls == {"timeline": 3, "kpis": 3}
    assert values[(first,)] != values[(second,)]


# --- issue 16: the stores are bounded by bytes, and uploads leave them with their sessions ------


def test_size_of_counts_frames_arrays_figures_and_containers():
    frame = pd.DataFrame({"a": np.arange(100_000), "b": np.zeros(100_000)})
    assert memo.size_of(frame) == frame.memory_usage(deep=False).sum() >= 1_600_000
    figure = go.Figure(go.Scatter(x=np.arange(200_000), y=np.arange(200_000.0)))
    assert memo.size_of(figure) >= 3_200_000
    assert memo.size_of((figure, frame)) >= 4_800_000
    assert memo.size_of({"k": [np.zeros(1000)] * 3}) >= 24_000
    # Read from the frame's blocks: the same figure as memory_usage for every kind of column.
    mixed = pd.DataFrame(
        {
            "code": pd.Categorical(["a", "b", "a"]),
            "name": pd.array(["x", None, "z"], dtype="string"),
            "n": [1, 2, 3],
            "share": [0.5, 1.0, None],
            "items": [["a"], [], ["b", "c"]],
            "on": pd.to_datetime(["2020-01-01", None, "2021-05-02"]),
        },
        index=pd.Index([10, 20, 30]),
    ).iloc[[0, 2]]
    assert memo.size_of(mixed) == mixed.memory_usage(deep=False).sum()
    assert memo.size_of([1, 2.0, "three", None]) > memo.size_of([])


def test_lru_is_bounded_by_bytes_and_keeps_nothing_larger_than_its_budget():
    store = memo.Lru(512, 10 * memo.MB)
    for i in range(30):
        store.get(i, lambda: np.zeros(memo.MB // 8))  # 1 MB each
        assert store.nbytes <= 10 * memo.MB
    assert len(store) == 10 and store.nbytes == 10 * memo.MB
    assert store.get(29, lambda: None) is not None  # the most recent are kept
    huge = store.get("huge", lambda: np.zeros(2 * memo.MB))  # 16 MB: used, not kept
    assert len(huge) == 2 * memo.MB and len(store) == 10 and store.nbytes <= 10 * memo.MB
    assert store.forget(lambda key: isinstance(key, int) and key > 25) == 4
    assert store.nbytes == 6 * memo.MB


def _wide_dates_dataset():
    # Dates the loader now refuses (issue 16): built directly, as if they had got through.
    years = np.linspace(1500, 2499, 31).astype(int)
    requests = [
        _request(f"R{i}", f"{year:04d}-01-01", "government", "JAM", "", "visas", "", "received")
        for i, year in enumerate(years)
    ]
    return make_dataset(countries=[_country("JAM", "Jamaica", "Caribbean")], requests=requests)


def test_thirty_filter_states_of_millennia_of_dates_stay_within_the_byte_budget():
    """The review's 12 states of 0001..9999 dates took the server from 187 MB to 1,028 MB.

    A thousand years of months here (0001..9999 takes 30 s a state to build); the byte bound
    itself is shown by test_lru_is_bounded_by_bytes_and_keeps_nothing_larger_than_its_budget.
    """
    for store in (memo.results, memo.frames, memo.row_tables):
        store.clear()
    ds = _wide_dates_dataset()
    _ = i18n.translator("en")
    years = sorted(ds.requests["received_on"].dt.year)
    for year in years[:30]:
        f = flt.Filters(date_from=dt.date(year, 1, 1))
        key = (ds.origin, ds.version, f)
        rows = memo.frames().get((*key, "requests"), lambda f=f: flt.filter_requests(ds, f))
        over = memo.results().get(
            (*key, "over_time"),
            lambda rows=rows: request_figures.requests_over_time(rows, include_total=True),
        )
        memo.results().get((*key, "chart"), lambda over=over: charts.cumulative_by_topic(over, _))
        memo.row_tables().get(
            (*key, "numbers"), lambda over=over: tables.over_time_numbers(over, _)
        )
        held = sum(store.nbytes for store in memo.stores())
        assert held <= memo.BUDGET_BYTES
    assert memo.BUDGET_BYTES == 256 * memo.MB  # the documented budget
    for store, budget in zip(
        memo.stores(), (memo.RESULTS_BYTES, memo.FRAMES_BYTES, memo.ROW_TABLES_BYTES), strict=True
    ):
        assert 0 < store.nbytes <= budget
        # The count is of what the store holds, value by value.
        assert store.nbytes == sum(memo.size_of(v) for v, _size in store._items.values())


def test_an_upload_leaves_the_stores_when_no_session_holds_it(valid_dir):
    from ui import data as ui_data

    for store in (memo.results, memo.frames, memo.row_tables):
        store.clear()
    ledger = ui_data.Uploads(budget=512 * memo.MB)
    files = {p.name: p.read_bytes() for p in valid_dir.iterdir()}
    upload = ad.load_files(files)
    assert ledger.admit(upload) is None
    held = ledger.held_bytes
    assert held == ui_data.dataset_bytes(upload) > 0
    memo.for_data(upload, "countries", lambda ds=upload: list(ds.countries["iso3"]))
    memo.frames().get((upload.origin, upload.version, "f", "r"), lambda ds=upload: ds.requests)
    bundled = ad.load(valid_dir)
    memo.for_data(bundled, "countries", lambda: list(bundled.countries["iso3"]))
    same_bytes = ad.load_files(files)  # a second session uploading the same files
    assert ledger.admit(same_bytes) is None and ledger.held_bytes == 2 * held

    del upload
    gc.collect()
    ledger.forget_ended()
    assert ledger.held_bytes == held
    assert len(memo.results()) == 2  # the other session still holds those files

    version = same_bytes.version
    del same_bytes  # the last session holding them ends
    gc.collect()
    ledger.forget_ended()
    assert ledger.held_bytes == 0
    keys = list(memo.results()._items) + list(memo.frames()._items)
    assert [k[:2] for k in keys] == [(bundled.origin, bundled.version)]
    assert version not in {k[1] for k in keys}


def test_an_upload_beyond_the_server_budget_is_refused_with_a_clear_message(valid_dir):
    from ui import data as ui_data

    files = {p.name: p.read_bytes() for p in valid_dir.iterdir()}
    first, second = ad.load_files(files), ad.load_files(files)
    size = ui_data.dataset_bytes(first)
    ledger = ui_data.Uploads(budget=size + size // 2)
    assert ledger.admit(first) is None
    refused = ledger.admit(second)
    assert refused is not None and refused.file == "upload"
    assert "too much uploaded data" in refused.message and "Try again later" in refused.message
    # Replacing the session's own upload frees its share first.
    assert ledger.admit(second, replacing=first) is None
