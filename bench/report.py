"""The benchmark's figures as Markdown tables, each target marked met or missed."""

from __future__ import annotations

PAGE_NAMES = {
    "dashboard.py": "Overview",
    "app_pages/requests.py": "Requests",
    "app_pages/pipeline.py": "Pipeline",
    "app_pages/countries.py": "Countries",
    "app_pages/meetings.py": "Meetings",
    "app_pages/data.py": "Data",
}
# Page rerun / empty-page rerun, by data size (the targets).
RERUN_TARGETS = {"bundled": 2.0, "100000": 5.0}
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


def _rerun_rows(sizes: dict, field: str = "rerun_s") -> list[list[str]]:
    rows = []
    for size, figures in sizes.items():
        if "pages" not in figures:
            continue
        empty = figures["empty_rerun_s"]
        target = RERUN_TARGETS.get(size)
        chart_page = figures.get("chart_page_rerun_s")
        cells = [_size(size), f"{empty * 1000:.0f} ms", _number(chart_page, "{:.0f} ms", 1000)]
        for page in PAGE_NAMES:
            result = figures["pages"][page]
            if result["errors"]:
                cells.append("error: " + result["errors"][0][:60])
                continue
            if field not in result:
                cells.append("—")
                continue
            ratio = result[field] / empty
            ok = None if target is None else ratio <= target
            cells.append(f"{ratio:.1f}x ({result[field]:.2f} s){_mark(ok)}")
        cells.append("—" if target is None else f"≤ {target:g}x")
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


def _browser_rows(browser: dict) -> list[list[str]]:
    rows = []
    for size, figures in browser.items():
        per_session = figures.get("per_extra_session_mb")
        if per_session is not None:
            per_session = round(per_session, 1) + 0.0  # noise below 0.05 MB is no "-0.0"
        row = [
            _size(size),
            _number(figures.get("first_map_s"), "{:.1f}"),
            ", ".join(f"{c:.2f}" for c in figures.get("region_change_s", [])) or "—",
            _number(figures.get("idle_rss_mb"), "{:.0f}"),
            _number(figures.get("rss_1_after_changes_mb"), "{:.0f}"),
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
        "ratios are measured in the same process, one after the other.",
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
        "## Page rerun after a region change, as a multiple of an empty page's rerun (AppTest)",
        "",
        "The empty page holds only the multiselect that is changed; the one-chart page adds "
        "a five-bar Plotly chart and a five-row table (the smallest page like the app's). "
        "Each rerun goes to a filter state the page has not shown before.",
        "",
        *_table(
            ["requests", "empty page", "one-chart page", *PAGE_NAMES.values(), "target"],
            _rerun_rows(sizes),
        ),
        "",
        "The same reruns again, to filter states already shown (figures and aggregates are "
        "built once per data version, filter state and language: ui/memo.py):",
        "",
        *_table(
            ["requests", "empty page", "one-chart page", *PAGE_NAMES.values(), "target"],
            _rerun_rows(sizes, "seen_rerun_s"),
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
        "## In headless Chromium (`streamlit run`, Countries page)",
        "",
        f"Server memory is the RSS of the `streamlit run` process; target < {SESSION_TARGET_MB:g} "
        "MB per extra session.",
        "",
        *_table(
            [
                "requests",
                "first map s",
                "region change → map redrawn s",
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
