"""How long reports take to make, at the bundled size: `make bench-reports`.

Each report is made the way the Report control makes it (acpeu_data.report), in one process:
the first PDF starts the renderer's Chromium (cold), the next ones find it open (warm). Times
are wall-clock seconds, the median of REPS runs (the cold one is measured once); the machine's
load average is printed beside them, since other work on the machine slows everything down.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import acpeu_data as ad  # noqa: E402
from acpeu_data import report, views  # noqa: E402

REPS = 3
FILTER = ad.Filters(regions=("Caribbean",), date_to=dt.date(2017, 3, 21))


def timed(build) -> tuple[float, int]:
    started = time.perf_counter()
    data = build()
    return time.perf_counter() - started, len(data)


def main() -> None:
    ds = ad.load()
    every = list(views.PAGES)
    problem = report.pdf_problem()
    if problem is not None:
        sys.exit(f"no PDF renderer: {problem} {problem.detail}")
    rows = []
    cold, size = timed(lambda: report.pdf_report(ds, FILTER, "en", ["Overview"]))
    rows.append(("PDF, Overview, cold (Chromium starts)", cold, size))
    cases = [
        ("PDF, Overview, warm", lambda: report.pdf_report(ds, FILTER, "en", ["Overview"])),
        ("PDF, all pages, warm", lambda: report.pdf_report(ds, FILTER, "en", every)),
        ("HTML, Overview", lambda: report.html_report(ds, FILTER, "en", ["Overview"])),
        ("HTML, all pages", lambda: report.html_report(ds, FILTER, "en", every)),
    ]
    for name, build in cases:
        runs = [timed(build) for _ in range(REPS)]
        rows.append((name, statistics.median(t for t, _ in runs), runs[-1][1]))
    report.RENDERER.close()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Reports at the bundled size, filter {FILTER.slug()}; load average {load}")
    print(f"({os.cpu_count()} cores; median of {REPS} runs, the cold one once)\n")
    print("| report | seconds | size |")
    print("|---|---|---|")
    for name, seconds, size in rows:
        print(f"| {name} | {seconds:.1f} | {size / 1024:,.0f} KB |")


if __name__ == "__main__":
    main()
