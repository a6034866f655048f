"""The benchmark's figures as Markdown tables, each target marked met or missed."""

from __future__ import annotations

PAGE_NAMES = {
    "app_pages/overview.py": "Overview",
    "app_pages/requests.py": "Requests",
    "app_pages/pipeline.py": "Pipeline",
    "app_pages/countries.py": "Countries",
    "app_pages/meetings.py": "Meetings",
    "app_pages/data.py": "Data",
}
# A page's rerun after a filter change, at every size: at most this multiple of its frame's
# (the same page with every figure and table precomputed: what Streamlit itself costs) ...
FRAME_TARGET = 1.5
# ... and of the straightforward page's (bench/plain: pandas, plotly.express, st.cache_data).
PLAIN_TARGET = 0.3
# In Chromium, click to page painted, as a multiple of the straightforward page's: at most as
# slow at the bundled size, well under (at most half) at a million requests.
PAINT_TARGETS = {"bundled": 1.0, "1000000": 0.5}
CORE_TARGET = 1.5
SESSION_TARGET_MB = 5.0


def _size(size: str) -> str:
    return size if size == "bundled" else f"{int(size):,}"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✓" if ok else " ✗")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _load_rows(sizes: dict) -> list[list[str]]:
    rows = []
    for size, figures in sizes.items():
        load = figures.get("load", {})
        if "error" in figures or "error" in load:
            rows.append([_size(size), f"not measured: {figures.get('error') or load['error']}"])
            continue
        counts = load["rows"]
        rows.append(
            [
                _size(size),
                f"{counts['requests']:,} / {counts['meetings']:,} / {counts['participation']:,}"
                f" / {counts.get('request_events', 0):,}",
                f"{load['first_s']:.2f}",
                f"{load['cached_s'] * 1000:.2f}",
                f"{load['rss_mb']:.0f}",
                f"{load['data_mb']:.0f}",
                f"{figures.get('rss_after_pages_mb', 0):.0f}",
            ]
        )
    return rows


def _ratio_rows(sizes: dict, against: str, target: float) -> list[list[str]]:
    """Rows of a page's rerun divided by `against` (frame_s or plain_rerun_s), per size."""
    rows = []
    for size, figures in sizes.items():
        if "pages" not in figures:
            continue
        cells = [_size(size)]
        for page in PAGE_NAMES:
            result = figures["pages"][page]
            if result.get("errors") or result.get("plain_errors"):
                error = (result.get("errors") or result["plain_errors"])[0]
                cells.append("error: " + error[:60])
                continue
            if against not in result:
                cells.append("—")
                continue
            ours, base = result["rerun_s"], result[against]
            ratio = ours / base
            cells.append(
                f"{ratio:.2f}x ({ours * 1000:.0f} / {base * 1000:.0f} ms){_mark(ratio <= target)}"
            )
        rows.append(cells)
    return rows


def _core_rows(sizes: dict) -> list[list[str]]:
    rows = []
    for size, figures in sizes.items():
        if "core" not in figures:
            continue
        cells = [_size(size)]
        for part in ("requests", "meetings"):
            core = figures["core"][part]
            ok = core["ratio"] <= CORE_TARGET
            cells.append(
                f"{core['ratio']:.2f}x ({core['acpeu_s'] * 1000:.1f} / "
                f"{core['pandas_s'] * 1000:.1f} ms){_mark(ok)}"
            )
        rows.append(cells)
    return rows


def _payload_rows(sizes: dict) -> list[list[str]]:
    rows = []
    for size, figures in sizes.items():
        if "pages" not in figures:
            continue
        cells = [_size(size)]
        for page in PAGE_NAMES:
            p = figures["pages"][page]
            if "chart_bytes" not in p:
                cells.append("—")
                continue
            cells.append(
                f"{p['chart_bytes'] / 1024:.0f} / {p['table_bytes'] / 1024:.0f} KB "
                f"({p['largest_table_rows']:,} rows)"
            )
        rows.append(cells)
    return rows


def _first_view_rows(sizes: dict) -> list[list[str]]:
    rows = []
    for size, figures in sizes.items():
        if "pages" not in figures:
            continue
        cells = [_size(size)]
        for page in PAGE_NAMES:
            first = figures["pages"][page].get("first_view_s")
            cells.append("—" if first is None else f"{first:.1f} s")
        rows.append(cells)
    return rows


def _paint_rows(browser: dict) -> list[list[str]]:
    """Rows of click-to-paint seconds, ours beside the straightforward page's, per size and page."""
    rows = []
    for size, figures in browser.items():
        target = PAINT_TARGETS.get(size)
        for page, result in (figures.get("paint") or {}).items():
            if "error" in result:
                rows.append([_size(size), page, f"not measured: {result['error']}"])
                continue
            ours, plain = result["ours"], result["plain"]
            ratio = ours["paint_s"] / plain["paint_s"]
            ok = None if target is None else ratio <= target
            rows.append(
                [
                    _size(size),
                    page,
                    f"{ours['paint_s']:.2f} ({ours['script_s']:.2f})",
                    f"{plain['paint_s']:.2f} ({plain['script_s']:.2f})",
                    f"{ratio:.2f}x{_mark(ok)}",
                    _clicks(ours["clicks"]),
                    _clicks(plain["clicks"]),
                ]
            )
        if "paint_error" in figures:
            rows.append([_size(size), "—", f"not measured: {figures['paint_error']}"])
    return rows


def _clicks(clicks: list[dict]) -> str:
    """Reruns and KB received per click, e.g. '1 / 24 KB'."""
    return ", ".join(f"{c['runs']} / {c['received_bytes'] / 1024:.0f} KB" for c in clicks)


def _browser_rows(browser: dict) -> list[list[str]]:
    rows = []
    for size, figures in browser.items():
        if "idle_rss_mb" not in figures:
            continue
        per_session = figures.get("per_extra_session_mb")
        if per_session is not None:
            per_session = round(per_session, 1) + 0.0  # noise below 0.05 MB is no "-0.0"
        row = [
            _size(size),
            _number(figures.get("first_map_s"), "{:.1f}"),
            _number(figures.get("idle_rss_mb"), "{:.0f}"),
            _number(figures.get("rss_1_mb"), "{:.0f}"),
            _number(figures.get("rss_n_mb"), "{:.0f}") + f" ({figures.get('sessions', '?')})",
            _number(per_session, "{:.1f}")
            + ("" if per_session is None else _mark(per_session < SESSION_TARGET_MB)),
        ]
        if "error" in figures:
            row[-1] += f" (stopped: {figures['error']})"
        rows.append(row)
    return rows


def _number(value: float | None, form: str, scale: float = 1) -> str:
    return "—" if value is None else form.format(value * scale)


def markdown(results: dict) -> str:
    """Return the whole report: one table per question, targets marked ✓ (met) or ✗ (missed)."""
    sizes, machine = results["sizes"], results["machine"]
    reps = ", ".join(f"{_size(s)} {n}" for s, n in machine["reps"].items())
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {machine['when']}: {machine['cpus']} CPUs, Python {machine['python']}, "
        f"{machine['total_s'] / 60:.1f} minutes in all. Medians of few runs (per size: {reps}); "
        "ratios are measured in the same process, taking turns.",
        "",
        "## Loading (first load, then through the UI's st.cache_resource)",
        "",
        *_table(
            [
                "requests",
                "rows: requests / meetings / participation / request_events",
                "first load s",
                "cached ms",
                "process RSS MB",
                "data MB",
                "RSS after all pages MB",
            ],
            _load_rows(sizes),
        ),
        "",
        "## Page rerun after a region change, against its frame and a straightforward page",
        "",
        "AppTest, in one process, the same region changes for all three. Ours: to a filter "
        "state the page has not shown before. Frame: back to the state shown just before (the "
        "two take turns), every figure, table and aggregate taken from ui.memo (what "
        "Streamlit itself costs for the "
        f"page); target ≤ {FRAME_TARGET:g}x. Straightforward: the same page written with "
        "pandas, plotly.express and st.cache_data (bench/plain); target "
        f"≤ {PLAIN_TARGET:g}x. Cells: ratio (ours / other ms).",
        "",
        "Ours ÷ frame:",
        "",
        *_table(["requests", *PAGE_NAMES.values()], _ratio_rows(sizes, "frame_s", FRAME_TARGET)),
        "",
        "Ours ÷ straightforward page:",
        "",
        *_table(
            ["requests", *PAGE_NAMES.values()],
            _ratio_rows(sizes, "plain_rerun_s", PLAIN_TARGET),
        ),
        "",
        "First view of each page (AppTest, includes the page's first imports):",
        "",
        *_table(["requests", *PAGE_NAMES.values()], _first_view_rows(sizes)),
        "",
        "## acpeu_data filter + aggregates vs plain pandas on the same frames",
        "",
        f"Ratio acpeu_data / pandas (acpeu_data ms / pandas ms); target ≤ {CORE_TARGET}x. "
        "Requests: filter_requests + kpis, over time, by region, topic, status, typology, "
        "country, completion. Meetings: filter_meetings + filter_participation + the Meetings "
        "page's aggregates. Reference: bench/reference.py.",
        "",
        *_table(["requests", "requests figures", "meetings figures"], _core_rows(sizes)),
        "",
        "## What each page sends to the browser after a region change",
        "",
        "Plotly figure JSON / Arrow table bytes (rows of the largest table).",
        "",
        *_table(["requests", *PAGE_NAMES.values()], _payload_rows(sizes)),
        "",
        *_database_section(results.get("database") or {}),
        "## In headless Chromium: from choosing a region to the page fully painted",
        "",
        "`streamlit run` of the app and of the straightforward app (bench/plain) on the same "
        "data, one tab each, taking turns click by click (bench/paint.py). Seconds from the "
        "click on the region to the script finished and the last change in any chart "
        "(median; in brackets: to the script finished); target: at most the straightforward "
        "page's time at the bundled size, at most half of it at 1,000,000 requests. Per "
        "click: reruns / KB received over the websocket.",
        "",
        *_table(
            [
                "requests",
                "page",
                "ours s",
                "straightforward s",
                "ours ÷ straightforward",
                "ours per click",
                "straightforward per click",
            ],
            _paint_rows(results["browser"]),
        ),
        "",
        f"Server memory (`streamlit run`, Countries page; target < {SESSION_TARGET_MB:g} MB "
        "per extra session):",
        "",
        *_table(
            [
                "requests",
                "first map s",
                "server idle MB",
                "1 session MB",
                "N sessions MB",
                "MB per extra session",
            ],
            _browser_rows(results["browser"]),
        ),
        "",
    ]
    return "\n".join(lines)


def _database_section(database: dict) -> list[str]:
    if not database:
        return []
    rows = []
    for size, figures in database.items():
        if "error" in figures:
            rows.append([_size(size), f"not measured: {figures['error']}"])
            continue
        ratio = figures["postgres_load_s"] / figures["csv_load_s"]
        rows.append(
            [
                _size(size),
                f"{figures['csv_load_s']:.2f}",
                f"{figures['postgres_load_s']:.2f}",
                f"{ratio:.2f}x",
                f"{figures['import_s']:.2f}",
                f"{figures['version_check_ms']:.1f}",
            ]
        )
    return [
        "## Loading from PostgreSQL beside loading from CSV files",
        "",
        "`acpeu_data.load(folder)` and `acpeu_data.load(url)` in one process, one after the "
        "other (each reads, checks every rule and builds the Dataset; medians of 3 runs for "
        "the bundled data and 10,000 requests, else 1). Import: `python -m acpeu_data import`'s "
        "write (one transaction, COPY). Change check: the query run at most once per "
        "detection delay. A local PostgreSQL 15 started by the benchmark (bench/database.py).",
        "",
        *_table(
            [
                "requests",
                "CSV load s",
                "PostgreSQL load s",
                "PostgreSQL / CSV",
                "import s",
                "change check ms",
            ],
            rows,
        ),
        "",
    ]
