"""`make bench`: load, filter, page and browser figures at several data sizes, side by side.

    python bench/run.py                          # bundled, 10,000, 100,000, 1,000,000 requests
    python bench/run.py --sizes bundled,10000 --browser-sizes bundled --no-save
    python bench/run.py --sizes "" --browser-sizes "" --database-sizes bundled,100000 --no-save

Data folders are generated once into bench/out/ (seed 0) and reused while the generator is
unchanged. Each size is measured in a fresh process (bench/measure.py), so memory figures do
not mix; the browser figures (bench/browser.py) start their own `streamlit run`; the
database figures (bench/database.py) load each size from PostgreSQL beside its CSV files. The tables
go to stdout and, unless --no-save, to bench/results.md and bench/results.json.

Repetitions are few (see REPS) so that the whole run stays under 10 minutes on 2 cores:
medians of 9 reruns at the bundled size, 5 at 10,000, 3 at 100,000, 1 at 1,000,000. On a
machine busy with other work, the ratios (measured in the same process, taking turns) travel
better than the seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: make acpeu_data and bench importable
    sys.path.insert(0, str(ROOT))

from bench import generate, report  # noqa: E402

SIZES = ["bundled", "10000", "100000", "1000000"]
BROWSER_SIZES = ["bundled", "1000000"]
# Server memory with 10 sessions: at the bundled size only (ten tabs cost minutes on 2 cores).
SESSION_SIZES = ["bundled"]
# Region changes per page in the browser, per app.
CLICKS = {"bundled": 3, "1000000": 2}
REPS = {"bundled": 9, "10000": 5, "100000": 3, "1000000": 1}
SEED = 0
WORKER_TIMEOUT = 900


def _stamp() -> str:
    # A folder is reused only if the generator (and its template data) did not change.
    digest = hashlib.sha256(Path(generate.__file__).read_bytes())
    for csv in sorted(generate.BUNDLED.glob("*.csv")):
        digest.update(csv.read_bytes())
    return f"seed={SEED} {digest.hexdigest()[:16]}"


def data_folder(size: str) -> Path:
    """Return the folder for a size, generating it when missing or stale."""
    if size == "bundled":
        return generate.BUNDLED
    folder = generate.OUT / f"n{size}"
    stamp_file = folder / ".generated"
    if stamp_file.exists() and stamp_file.read_text() == _stamp():
        return folder
    started = time.perf_counter()
    generate.generate(int(size), folder, SEED)
    stamp_file.write_text(_stamp())
    print(f"  generated {folder} in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def measure_size(folder: Path, reps: int) -> dict:
    """Run bench/measure.py on a folder in a fresh process; return its figures or the error."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        command = [sys.executable, str(HERE / "measure.py"), "--folder", str(folder)]
        command += ["--reps", str(reps), "--json", str(out)]
        try:
            done = subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, timeout=WORKER_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return {"error": f"took longer than {WORKER_TIMEOUT} s"}
        if done.returncode != 0 or not out.exists():
            return {"error": done.stderr.strip().splitlines()[-1:] or ["no output"]}
        return json.loads(out.read_text())


def measure_in_browser(folder: Path, sessions: int, clicks: int, memory: bool) -> dict:
    """Return click-to-paint figures (ours beside bench/plain), and memory figures if asked."""
    import pandas as pd

    from acpeu_data import contract
    from bench import browser, paint

    regions = contract.region_order(pd.read_csv(folder / "countries.csv"))[:clicks]
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            figures["paint"] = paint.measure(folder, regions, list(paint.PAGES), Path(tmp))
        except Exception as error:  # a benchmark reports what failed and goes on
            figures["paint_error"] = f"{type(error).__name__}: {str(error)[:300]}"
        if memory:
            try:
                figures.update(browser.measure_browser(folder, sessions, Path(tmp) / "server.log"))
            except Exception as error:
                figures["error"] = f"{type(error).__name__}: {str(error)[:300]}"
    return figures


DATABASE_REPS = {"bundled": 3, "10000": 3, "100000": 1, "1000000": 1}


def measure_databases(sizes: list[str]) -> dict:
    """Return, per size, the load time from PostgreSQL beside the load time from CSV files.

    One PostgreSQL server (Debian's package, as the tests start it: tests/pg_server.py) for
    the whole run, a new database per size; each size in a fresh process (bench/database.py).
    """
    from tests.pg_server import PostgresServer, find_bin

    bin_dir = find_bin()
    if bin_dir is None:
        return {s: {"error": "no PostgreSQL server (scripts/find_postgres.sh)"} for s in sizes}
    server = PostgresServer(bin_dir)
    results: dict = {}
    try:
        server.start()
        for size in sizes:
            print(f"PostgreSQL at {size} ...", flush=True)
            results[size] = _measure_database(
                data_folder(size), server.create_database("bench"), DATABASE_REPS.get(size, 1)
            )
    finally:
        server.stop()
    return results


def _measure_database(folder: Path, url: str, reps: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        command = [sys.executable, str(HERE / "database.py"), "--folder", str(folder)]
        command += ["--url", url, "--reps", str(reps), "--json", str(out)]
        try:
            done = subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, timeout=WORKER_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return {"error": f"took longer than {WORKER_TIMEOUT} s"}
        if done.returncode != 0 or not out.exists():
            return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:300]}
        return json.loads(out.read_text())


def main(argv: list[str] | None = None) -> None:
    """Command line: measure every size, print the tables, save the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--browser-sizes", default=",".join(BROWSER_SIZES))
    parser.add_argument("--database-sizes", default=",".join(SIZES))
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    browser_sizes = [s for s in args.browser_sizes.split(",") if s]
    database_sizes = [s for s in args.database_sizes.split(",") if s]
    started = time.perf_counter()
    results: dict = {"sizes": {}, "browser": {}, "database": {}}
    for size in sizes:
        print(f"measuring {size} ...", flush=True)
        results["sizes"][size] = measure_size(data_folder(size), REPS.get(size, 1))
    for size in browser_sizes:
        print(f"browser at {size} ...", flush=True)
        results["browser"][size] = measure_in_browser(
            data_folder(size), args.sessions, CLICKS.get(size, 2), size in SESSION_SIZES
        )
    if database_sizes:
        results["database"] = measure_databases(database_sizes)
    results["machine"] = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "total_s": time.perf_counter() - started,
        "reps": {s: REPS.get(s, 1) for s in sizes},
    }
    text = report.markdown(results)
    print(text)
    if not args.no_save:
        (HERE / "results.md").write_text(text)
        (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
