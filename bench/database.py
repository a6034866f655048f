"""One data folder: load it from CSV files and from PostgreSQL, in this process, one after the other.

    python bench/database.py --folder bench/out/n100000 --url postgresql+psycopg://... --json out.json

The folder is first imported into the (empty) database with `python -m acpeu_data import`'s
own function (timed too). Then, alternately, `acpeu_data.load(folder)` and
`acpeu_data.load(url)` (each reads, checks every rule and builds the Dataset; the same work
but for where the cells come from), `reps` times each; medians.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import acpeu_data as ad  # noqa: E402
from acpeu_data import database  # noqa: E402


def _timed(action) -> tuple[float, object]:
    gc.collect()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure(folder: Path, url: str, reps: int) -> dict:
    """Return import seconds and the median CSV and PostgreSQL load seconds."""
    import_s, _counts = _timed(lambda: database.write(url, ad.load(folder)))
    csv_times, db_times = [], []
    rows = None
    for _ in range(reps):
        seconds, from_csv = _timed(lambda: ad.load(folder))
        csv_times.append(seconds)
        seconds, from_db = _timed(lambda: ad.load(url))
        db_times.append(seconds)
        if len(from_csv.requests) != len(from_db.requests):
            raise SystemExit("the database does not hold the folder's requests")
        rows = len(from_db.requests)
        del from_csv, from_db
    check_s, _version = _timed(lambda: database.version(url))
    return {
        "requests": rows,
        "import_s": import_s,
        "csv_load_s": statistics.median(csv_times),
        "postgres_load_s": statistics.median(db_times),
        "version_check_ms": check_s * 1000,
        "reps": reps,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    args.json.write_text(json.dumps(measure(args.folder.resolve(), args.url, args.reps)))


if __name__ == "__main__":
    main()
