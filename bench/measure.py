"""One data folder, measured in this process: load, acpeu_data vs pandas, page reruns, payloads.

    python bench/measure.py --folder bench/out/n100000 --reps 3 --json result.json

bench/run.py starts one of these per data size, so that each size's memory is measured in a
fresh process. Times are the median of `reps` runs after one warm-up; every rerun is after a
filter change to a filter state not seen before (no figure cache can answer it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make acpeu_data, ui and bench importable
    sys.path.insert(0, str(ROOT))

PAGES = [
    "app_pages/overview.py",  # the default page: what dashboard.py shows first
    "app_pages/requests.py",
    "app_pages/pipeline.py",
    "app_pages/countries.py",
    "app_pages/meetings.py",
    "app_pages/data.py",
]
# The straightforward page of the same content (bench/plain): pandas, plotly.express and
# st.cache_data, the same charts, tables and sidebar filters. The Data page has none.
PLAIN = ROOT / "bench" / "plain"
PLAIN_PAGES = {
    "app_pages/overview.py": "overview.py",
    "app_pages/requests.py": "requests.py",
    "app_pages/pipeline.py": "pipeline.py",
    "app_pages/countries.py": "countries.py",
    "app_pages/meetings.py": "meetings.py",
}
REGION_WIDGET = "w_region"
MB = 2**20


def _rss() -> int:
    return psutil.Process().memory_info().rss


def _median_time(action: Callable[[int], object], reps: int) -> float:
    """Return the median seconds of action(i) for i in 1..reps, after action(0) as a warm-up."""
    action(0)
    times = []
    for i in range(1, reps + 1):
        started = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure_load(folder: Path) -> tuple[dict, object]:
    """Return load figures (first, cached, memory) and the dataset, through the UI's cache."""
    import streamlit  # noqa: F401  (imported first, so its memory is not counted as the data's)

    from ui import data as ui_data

    before = _rss()
    started = time.perf_counter()
    result = ui_data._load(folder)
    first = time.perf_counter() - started
    cached = _median_time(lambda _i: ui_data._load(folder), 5)
    figures = {
        "first_s": first,
        "cached_s": cached,
        "rss_mb": _rss() / MB,
        "data_mb": (_rss() - before) / MB,
    }
    if not hasattr(result, "requests"):  # a DataError: the folder was refused
        figures["error"] = "; ".join(f"{p.file}: {p.message}" for p in result.problems[:3])
        return figures, None
    figures["rows"] = {
        "requests": len(result.requests),
        "meetings": len(result.meetings),
        "participation": len(result.participation),
        "request_events": len(result.request_events),
    }
    return figures, result


def measure_core(ds, reps: int) -> dict:
    """Return the seconds of acpeu_data and of plain pandas for the same figures, and the ratios."""
    from bench import reference

    states = reference.filter_states(ds, reps + 1)
    out = {}
    for part in ("requests", "meetings"):
        ours = getattr(reference, f"acpeu_{part}")
        plain = getattr(reference, f"pandas_{part}")
        ours_s = _median_time(lambda i, f=ours: f(ds, states[i % len(states)]), reps)
        plain_s = _median_time(lambda i, f=plain: f(ds, states[i % len(states)]), reps)
        out[part] = {"acpeu_s": ours_s, "pandas_s": plain_s, "ratio": ours_s / plain_s}
    return out


def _elements(node) -> Iterator:
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _elements(child)


def payload(app) -> dict:
    """Return the bytes a run sends for charts (Plotly spec) and tables (Arrow), and in all."""
    sizes = {"chart_bytes": 0, "table_bytes": 0, "all_bytes": 0, "largest_table_rows": 0}
    for element in _elements(app._tree):
        proto = getattr(element, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize"):
            continue
        sizes["all_bytes"] += proto.ByteSize()
        if element.type == "plotly_chart":
            sizes["chart_bytes"] += len(proto.spec)
        elif element.type == "dataframe":
            rows, sent = _sent_table(proto.arrow_data.data or proto.lazy_data.initial_chunk.data)
            sizes["table_bytes"] += sent
            sizes["largest_table_rows"] = max(sizes["largest_table_rows"], rows)
    return sizes


def _sent_table(data: bytes) -> tuple[int, int]:
    """Return a table's rows and the bytes a server sends for it when the page is shown.

    AppTest always renders tables whole (Streamlit keeps them eager there). In a server, the
    app's tables (st.dataframe(lazy=True), ui.widgets.table) above Streamlit's lazy threshold
    send only their first page, more as the reader scrolls: measured here with Streamlit's own
    page size and Arrow serialisation.
    """
    import pyarrow as pa
    from streamlit import dataframe_util
    from streamlit.dataframe import lazy_df_source

    try:
        table = pa.ipc.open_stream(data).read_all()
    except (pa.ArrowInvalid, OSError):
        return 0, len(data)
    if table.num_rows <= lazy_df_source.FORCED_LAZY_MIN_ROWS:
        return table.num_rows, len(data)
    first_page = table.slice(0, lazy_df_source.DEFAULT_PAGE_SIZE)
    return table.num_rows, len(dataframe_util.convert_arrow_table_to_arrow_bytes(first_page))


def _ours_and_frame(rerun: Callable[[int], None], reps: int) -> tuple[float, float]:
    """Return the median seconds of a change to a state not shown before (ours) and of a change
    back to the state shown before it (the frame: everything built), taking turns.

    rerun(0) is a warm-up; then rerun(i) (new) and rerun(i - 1) (seen) for i in 1..reps: every
    rerun is a region change, and a machine that slows down midway slows both alike.
    """
    rerun(0)
    ours, frame = [], []
    for i in range(1, reps + 1):
        for times, state in ((ours, i), (frame, i - 1)):
            started = time.perf_counter()
            rerun(state)
            times.append(time.perf_counter() - started)
    return statistics.median(ours), statistics.median(frame)


def _region_states(regions: list[str], count: int) -> list[list[str]]:
    """Return `count` distinct region choices: each region alone, then pairs of regions."""
    states = [[r] for r in regions] + [list(pair) for pair in itertools.combinations(regions, 2)]
    return (states * (count // len(states) + 1))[:count]


def _rerun_after_region_change(app, states: list[list[str]]) -> Callable[[int], None]:
    def rerun(i: int) -> None:
        app.multiselect(key=REGION_WIDGET).set_value(states[i % len(states)])
        app.run()

    return rerun


def _forget_built_figures() -> None:
    from ui import memo

    for store in memo.stores():
        store.forget(lambda _key: True)


def _keep_every_figure() -> None:
    """Let the memo stores keep every state of this run: the frame is then fully precomputed.

    (In a server the stores are bounded; at a million requests a table of rows can be larger
    than its store's budget and is then built again each time.)
    """
    from ui import memo

    for name in ("MAX_RESULTS", "MAX_FRAMES", "MAX_ROW_TABLES"):
        setattr(memo, name, 10**6)
    for name in ("RESULTS_BYTES", "FRAMES_BYTES", "ROW_TABLES_BYTES"):
        setattr(memo, name, 2**50)
    for store in (memo.results, memo.frames, memo.row_tables):
        store.clear()  # st.cache_resource: built again with the limits above


def measure_page(page: str, reps: int, timeout: float) -> dict:
    """Return a page's first-view and rerun seconds, its frame's, and its payload.

    `rerun_s`: after a region change to a filter state the page has not shown before (nothing
    built once per state can answer it). `frame_s`: after a change back to the state shown
    just before, every figure, table and aggregate now taken from ui.memo: the same script,
    sidebar and Streamlit calls with nothing left to compute, i.e. what Streamlit itself costs
    for this page. The two take turns (_ours_and_frame).
    """
    from streamlit.testing.v1 import AppTest

    _forget_built_figures()
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    started = time.perf_counter()
    app.run()
    if page != PAGES[0]:
        app.switch_page(page).run()
    first = time.perf_counter() - started
    states = _region_states(list(app.multiselect(key=REGION_WIDGET).options), reps + 1)
    rerun, frame = _ours_and_frame(_rerun_after_region_change(app, states), reps)
    sizes = payload(app)
    errors = [str(e.value)[:200] for e in app.exception]
    result = {"first_view_s": first, "rerun_s": rerun, "frame_s": frame, "errors": errors}
    if page in PLAIN_PAGES:
        result.update(measure_plain(PLAIN / PLAIN_PAGES[page], states, reps, timeout))
    return {**result, **sizes}


def measure_plain(script: Path, states: list[list[str]], reps: int, timeout: float) -> dict:
    """Return the straightforward page's first view and its rerun after the same region changes."""
    from streamlit.testing.v1 import AppTest

    if str(PLAIN) not in sys.path:  # its pages import their shared module as streamlit run does
        sys.path.insert(0, str(PLAIN))
    app = AppTest.from_file(str(script), default_timeout=timeout)
    started = time.perf_counter()
    app.run()
    first = time.perf_counter() - started
    rerun = _median_time(_rerun_after_region_change(app, states), reps)
    errors = [str(e.value)[:200] for e in app.exception]
    return {"plain_first_view_s": first, "plain_rerun_s": rerun, "plain_errors": errors}


def _page_or_error(page: str, reps: int, timeout: float) -> dict:
    try:
        return measure_page(page, reps, timeout)
    except Exception as error:  # one broken page must not hide the others' figures
        return {"errors": [f"{type(error).__name__}: {error}"[:200]]}


def measure(folder: Path, reps: int, timeout: float) -> dict:
    """Return every in-process figure for one data folder."""
    os.environ["ACPEU_DATA_DIR"] = str(folder)
    load, ds = measure_load(folder)
    result = {"folder": str(folder), "load": load}
    if ds is None:
        return result
    result["core"] = measure_core(ds, reps)
    _keep_every_figure()
    result["pages"] = {page: _page_or_error(page, reps, timeout) for page in PAGES}
    result["rss_after_pages_mb"] = _rss() / MB
    return result


def main(argv: list[str] | None = None) -> None:
    """Command line: measure one folder and write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per AppTest run")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    figures = measure(args.folder.resolve(), args.reps, args.timeout)
    args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
