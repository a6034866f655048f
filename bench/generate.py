"""Write a data folder of any size in the contract's format, shaped like the bundled data.

    python bench/generate.py 100000            # -> bench/out/n100000/
    python bench/generate.py 5000 --seed 7 --out /tmp/five-thousand

Every distribution is read from the bundled data/ folder at run time (no figure is copied
into this file): the same countries and regional organisations (copied verbatim), the mix of
requester types, requesters, topic combinations, typologies and statuses, beneficiary lists,
meeting kinds and venues, delegations and their sizes. Rare codes get a small floor so that
every filter value occurs in a large folder. Dates fall in 2015-2018. The same N and seed
always give byte-identical files. Vectorised with numpy: 1,000,000 requests take seconds.
The status history (request_events.csv, about four changes per request) follows each
request's status and completion date.

Proportions: one meeting per MEETING_EVERY requests (the bundled data has about one per 8;
fewer here so that participation at N = 1,000,000 stays under the contract's row limit),
and each meeting that has participation counts as many delegations as a bundled one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make acpeu_data importable
    sys.path.insert(0, str(ROOT))

from acpeu_data import contract  # noqa: E402

BUNDLED = ROOT / "data"
OUT = Path(__file__).resolve().parent / "out"
FIRST_DAY = np.datetime64("2015-01-01")
LAST_DAY = np.datetime64("2018-12-31")
MEETING_EVERY = 20
FLOOR = 0.02  # smallest share a code gets, so that every filter value appears


def _read(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def _shares(values: pd.Series, codes: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (codes, probabilities) of the values' frequencies, each code at least FLOOR."""
    counts = values.value_counts()
    if codes is not None:
        counts = counts.reindex(codes, fill_value=0)
    share = counts.to_numpy(dtype="float64") / max(counts.sum(), 1)
    share = np.maximum(share, FLOOR)
    return counts.index.to_numpy(dtype=object), share / share.sum()


def _pick(rng: np.random.Generator, shares: tuple[np.ndarray, np.ndarray], n: int) -> np.ndarray:
    codes, probabilities = shares
    return codes[rng.choice(len(codes), size=n, p=probabilities)]


def _days(rng: np.random.Generator, n: int) -> np.ndarray:
    span = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
    return FIRST_DAY + rng.integers(0, span, size=n).astype("timedelta64[D]")


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days, unit="D").astype(object)


def _topic_sets(topics: pd.Series) -> pd.Series:
    # "smuggling;trafficking" and "trafficking;smuggling" are one combination, in contract order.
    order = list(contract.TOPICS)
    return topics.map(
        lambda cell: ";".join(sorted({t.strip() for t in cell.split(";")}, key=order.index))
    )


def _first_topic_label(topics: np.ndarray) -> pd.Series:
    # Few distinct combinations: label each once, then map (no per-row split).
    labels = {cell: contract.TOPICS[cell.split(";")[0]] for cell in set(topics)}
    return pd.Series(topics).map(labels)


def _with_every_topic(sets: pd.Series) -> pd.Series:
    # Each single topic occurs at least once, so every topic filter finds requests.
    return pd.concat([sets, pd.Series(list(contract.TOPICS))], ignore_index=True)


class _Bundled:
    """The distributions of the bundled (or another template) folder."""

    def __init__(self, folder: Path):
        self.countries = _read(folder, "countries")
        self.organisations = _read(folder, "regional_organisations")
        requests = _read(folder, "requests")
        self.meetings = _read(folder, "meetings")
        self.participation = _read(folder, "participation")
        self.government_share = float((requests["requester_type"] == "government").mean())
        government = requests["requester_type"] == "government"
        self.governments = _shares(requests.loc[government, "requester"], self._iso3s())
        self.organisation_codes = _shares(
            requests.loc[~government, "requester"], list(self.organisations["code"])
        )
        self.topics = _shares(_with_every_topic(_topic_sets(requests["topics"])))
        self.typologies = _shares(requests["typology"], ["", *contract.TYPOLOGIES])
        self.statuses = _shares(requests["status"], list(contract.STATUSES))
        self.listed_share = float((requests["countries"] != "").mean())
        listed = requests.loc[requests["countries"] != "", "countries"].str.count(";") + 1
        self.listed_sizes = listed.to_numpy() if len(listed) else np.array([2])
        done = requests[(requests["status"] == "completed") & (requests["completed_on"] != "")]
        took = pd.to_datetime(done["completed_on"]) - pd.to_datetime(done["received_on"])
        self.durations = took.dt.days.to_numpy() if len(took) else np.array([180])
        self.kinds = _shares(self.meetings["kind"], list(contract.MEETING_KINDS))
        self.meeting_topics = _shares(_with_every_topic(_topic_sets(self.meetings["topics"])))
        per_meeting = self.participation.groupby("meeting_id").size()
        self.delegations = per_meeting.to_numpy() if len(per_meeting) else np.array([20])
        with_participation = self.meetings["meeting_id"].isin(per_meeting.index)
        self.with_participation = float(with_participation.mean())

    def _iso3s(self) -> list[str]:
        return list(self.countries["iso3"])


def _beneficiaries(
    rng: np.random.Generator, bundled: _Bundled, requester: np.ndarray, government: np.ndarray
) -> np.ndarray:
    """Return the `countries` cells: mostly empty, a few lists from the requester's region."""
    cells = np.full(len(requester), "", dtype=object)
    listed = np.flatnonzero(rng.random(len(requester)) < bundled.listed_share)
    countries = bundled.countries
    region_of = dict(zip(countries["iso3"], countries["region"], strict=True))
    region_of.update(
        zip(bundled.organisations["code"], bundled.organisations["region"], strict=True)
    )
    regions = pd.Series(requester[listed]).map(region_of).to_numpy()
    sizes = rng.choice(bundled.listed_sizes, size=len(listed))
    for region, pool in countries.groupby("region")["iso3"]:
        rows = np.flatnonzero(regions == region)
        if not len(rows):
            continue
        # A random permutation of the region's countries per row: its first `size` are the list.
        order = np.argsort(rng.random((len(rows), len(pool))), axis=1)
        picked = pool.to_numpy()[order]
        for row, chosen, size in zip(listed[rows], picked, sizes[rows], strict=True):
            chosen = chosen[: min(size, len(chosen))]
            if government[row] and requester[row] not in chosen:
                chosen[0] = requester[row]
            cells[row] = ";".join(sorted(chosen))
    return cells


def requests_table(rng: np.random.Generator, bundled: _Bundled, n: int) -> pd.DataFrame:
    """Return n requests drawn from the bundled distributions."""
    government = rng.random(n) < bundled.government_share
    requester = np.where(
        government,
        _pick(rng, bundled.governments, n),
        _pick(rng, bundled.organisation_codes, n),
    )
    received = _days(rng, n)
    status = _pick(rng, bundled.statuses, n)
    took = rng.choice(bundled.durations, size=n).astype("timedelta64[D]")
    completed = np.minimum(received + took, np.datetime64(contract.PROGRAMME_END))
    completed_on = np.where(status == "completed", _iso(completed), "")
    topics = _pick(rng, bundled.topics, n)
    names = dict(zip(bundled.countries["iso3"], bundled.countries["name"], strict=True))
    names.update(zip(bundled.organisations["code"], bundled.organisations["code"], strict=True))
    title = (
        _first_topic_label(topics) + " technical assistance for " + pd.Series(requester).map(names)
    )
    return pd.DataFrame(
        {
            "request_id": pd.Series(np.arange(1, n + 1)).map("GEN-{:07d}".format),
            "received_on": _iso(received),
            "requester_type": np.where(government, "government", "regional_organisation"),
            "requester": requester,
            "countries": _beneficiaries(rng, bundled, requester, government),
            "topics": topics,
            "typology": _pick(rng, bundled.typologies, n),
            "status": status,
            "completed_on": completed_on,
            "title": title,
            "source": contract.ILLUSTRATIVE,
        }
    )


# The changes of status a request goes through to reach its status (after its receipt).
PATHS = {
    "received": ["received"],
    "under_review": ["received", "under_review"],
    "approved": ["received", "under_review", "approved"],
    "ongoing": ["received", "under_review", "approved", "ongoing"],
    "completed": ["received", "under_review", "approved", "ongoing", "completed"],
    "rejected": ["received", "under_review", "rejected"],
    "withdrawn": ["received", "under_review", "withdrawn"],
}


def events_table(rng: np.random.Generator, requests: pd.DataFrame) -> pd.DataFrame:
    """Return the status history of the requests: about four changes each, on their path.

    A completed request reaches review, approval and work in the first half of the time it
    took and is completed on its completed_on; any other moves on every one to eight weeks.
    So the history agrees with requests.csv (the contract's checks find nothing).
    """
    codes = list(PATHS)
    status = pd.Index(codes).get_indexer(requests["status"].to_numpy(dtype=object))
    lengths = np.array([len(PATHS[c]) for c in codes])[status]
    width = max(len(p) for p in PATHS.values())
    table = np.array([PATHS[c] + [""] * (width - len(PATHS[c])) for c in codes], dtype=object)
    rows = np.repeat(np.arange(len(requests)), lengths)
    step = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    received = requests["received_on"].to_numpy(dtype="datetime64[D]")[rows]
    gaps = rng.integers(7, 57, size=len(rows))
    gaps[step == 0] = 0
    moved = np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[np.cumsum(lengths) - lengths], lengths)
    day = received + moved.astype("timedelta64[D]")
    completed_on = requests["completed_on"].replace("", None).to_numpy(dtype="datetime64[D]")[rows]
    done = (status[rows] == codes.index("completed")) & ~np.isnat(completed_on)
    span = (completed_on - received).astype(np.int64)
    share = np.sort(rng.random((len(rows), 3)), axis=1)[
        np.arange(len(rows)), np.minimum(step, 3) - 1
    ]
    early = (span * share * 0.5).astype(np.int64).astype("timedelta64[D]")
    day = np.where(done & (step > 0) & (step < 4), received + early, day)
    day = np.where(done & (step == 4), completed_on, day)
    day = np.minimum(day, np.datetime64(contract.PROGRAMME_END))
    day = np.maximum(day, received)
    return pd.DataFrame(
        {
            "request_id": requests["request_id"].to_numpy(dtype=object)[rows],
            "status": table[status[rows], step],
            "changed_on": _iso(day),
            "note": "",
        }
    )


def meetings_table(rng: np.random.Generator, bundled: _Bundled, m: int) -> pd.DataFrame:
    """Return m meetings: bundled venues (with coordinates) or a country's centroid."""
    venues = bundled.meetings[["city", "country_iso3", "lat", "lon"]]
    countries = bundled.countries
    at_bundled_venue = rng.random(m) < 0.3
    venue = venues.iloc[rng.integers(0, len(venues), size=m)].reset_index(drop=True)
    country = countries.iloc[rng.integers(0, len(countries), size=m)].reset_index(drop=True)
    # Elsewhere the venue is a programme country: its name as the city, no coordinates, so the
    # map places it at the country's centroid (the contract's rule for an empty lat/lon).
    city = venue["city"].where(at_bundled_venue, country["name"])
    iso3 = venue["country_iso3"].where(at_bundled_venue, country["iso3"])
    lat = venue["lat"].where(at_bundled_venue, "")
    lon = venue["lon"].where(at_bundled_venue, "")
    kind = _pick(rng, bundled.kinds, m)
    topics = _pick(rng, bundled.meeting_topics, m)
    start = _days(rng, m)
    end = start + rng.integers(0, 4, size=m).astype("timedelta64[D]")
    labels = pd.Series(kind).map(contract.MEETING_KINDS)
    about = _first_topic_label(topics).str.lower()
    return pd.DataFrame(
        {
            "meeting_id": pd.Series(np.arange(1, m + 1)).map("GEN-M-{:06d}".format),
            "title": labels + " on " + about + " in " + city,
            "kind": kind,
            "topics": topics,
            "city": city,
            "country_iso3": iso3,
            "lat": lat,
            "lon": lon,
            "start_date": _iso(start),
            "end_date": _iso(end),
            "source": contract.ILLUSTRATIVE,
        }
    )


def participation_table(
    rng: np.random.Generator, bundled: _Bundled, meeting_ids: pd.Series
) -> pd.DataFrame:
    """Return delegations for most meetings, drawn from the bundled delegation rows."""
    has_participation = rng.random(len(meeting_ids)) < bundled.with_participation
    ids = meeting_ids[has_participation].to_numpy()
    counts = rng.choice(bundled.delegations, size=len(ids))
    rows = int(counts.sum())
    template = bundled.participation[
        ["stakeholder_type", "country_iso3", "organisation", "participants", "women"]
    ]
    drawn = template.iloc[rng.integers(0, len(template), size=rows)].reset_index(drop=True)
    # Government delegations come from any programme country, not only the bundled ones.
    government = (drawn["stakeholder_type"] == "acp_government").to_numpy()
    iso3s = bundled.countries["iso3"].to_numpy()
    drawn.loc[government, "country_iso3"] = iso3s[
        rng.integers(0, len(iso3s), size=int(government.sum()))
    ]
    drawn.insert(0, "meeting_id", np.repeat(ids, counts))
    drawn["source"] = contract.ILLUSTRATIVE
    return drawn


def generate(n: int, out: Path | None = None, seed: int = 0, template: Path = BUNDLED) -> Path:
    """Write a data folder with n requests (and proportional meetings) to `out`; return it.

    `out` defaults to bench/out/n<N>/. Same n, seed and template give byte-identical files.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    out = Path(out) if out is not None else OUT / f"n{n}"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    bundled = _Bundled(template)
    meetings = meetings_table(rng, bundled, max(1, round(n / MEETING_EVERY)))
    requests = requests_table(rng, bundled, n)
    tables = {
        "countries": bundled.countries,
        "regional_organisations": bundled.organisations,
        "requests": requests,
        "meetings": meetings,
        "participation": participation_table(rng, bundled, meetings["meeting_id"]),
        # Drawn last, so that the other tables stay those of the same seed without it.
        "request_events": events_table(rng, requests),
    }
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: python bench/generate.py N [--seed S] [--out DIR]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of requests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="default: bench/out/n<N>/")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out = generate(args.n, args.out, args.seed)
    took = time.perf_counter() - started
    sizes = ", ".join(
        f"{p.name} {p.stat().st_size / 2**20:.1f} MB" for p in sorted(out.glob("*.csv"))
    )
    print(f"{out} in {took:.1f} s: {sizes}")


if __name__ == "__main__":
    main()
