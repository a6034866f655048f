"""The Overview's headline figures (requests, governments, countries reached, meetings,
participants), each with how much of it rests on illustrative records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from acpeu_data import arrays
from acpeu_data.filters import illustrative_field_mask, illustrative_mask
from acpeu_data.meeting_figures import meeting_totals
from acpeu_data.request_figures import is_government, reached_countries

TRAFFICKING_OR_SMUGGLING = ("trafficking", "smuggling")


@dataclass(frozen=True)
class Kpis:
    """The Overview's headline figures, each with how much of it rests on illustrative records.

    `meetings` counts the programme's own meetings (contract.PROGRAMME_MEETING_KINDS);
    `related_events` the others. `participants` sums the known totals of the programme's
    meetings (a published total where there is one, else the participation rows); meetings
    with no known total are counted in `meetings_unknown_total` and left out of the sum.
    `participants_more_than`: some published totals are lower bounds ("over 50"), so the sum
    is one too. The `*_illustrative` fields count what rests only on illustrative records.
    """

    requests: int
    governments: int
    regional_organisations: int
    trafficking_or_smuggling_share: float | None
    countries_reached: int
    meetings: int
    participants: int
    requests_illustrative: int = 0
    governments_illustrative: int = 0
    regional_organisations_illustrative: int = 0
    countries_reached_illustrative: int = 0
    related_events: int = 0
    participants_illustrative: int = 0
    participants_more_than: bool = False
    meetings_unknown_total: int = 0


def _distinct(values: arrays.Codes, where: np.ndarray) -> int:
    return int(np.count_nonzero(values.counts(where)))


def kpis(
    requests: pd.DataFrame,
    meetings: pd.DataFrame,
    participation: pd.DataFrame,
    *,
    by_place: bool = False,
    totals: pd.DataFrame | None = None,
) -> Kpis:
    """Return the headline figures of filtered requests, meetings and participation.

    With `by_place` (a region or country filter), participants are those of the delegations
    from the chosen places (the participation rows), not the meetings' published totals.
    `totals`: meeting_totals of the same meetings, participation and `by_place`, when the
    caller has it already.
    """
    government = is_government(requests)
    requester = arrays.codes(requests, "requester")
    topical = np.zeros(len(requests), dtype=bool)
    for topic in TRAFFICKING_OR_SMUGGLING:
        topical |= arrays.column(requests, f"topic_{topic}")
    # count / len, as Series.mean computes it for booleans.
    share = float(np.count_nonzero(topical)) / len(requests) if len(requests) else None
    # "Real" below: every record that is not illustrative (a URL, a document, or no source).
    real_rows = ~illustrative_mask(requests)
    governments = _distinct(requester, government)
    organisations = _distinct(requester, ~government)
    reached, reached_made_up = countries_reached(requests)
    if totals is None:
        totals = meeting_totals(meetings, participation, use_reported=not by_place)
    programme = totals["programme"].to_numpy(dtype=bool)
    total = totals["total"].to_numpy(dtype="float64")
    known = programme & ~np.isnan(total)
    meetings_held = int(np.count_nonzero(programme))
    return Kpis(
        requests=len(requests),
        governments=governments,
        regional_organisations=organisations,
        trafficking_or_smuggling_share=share,
        countries_reached=reached,
        meetings=meetings_held,
        participants=int(total[known].sum()),
        requests_illustrative=int(np.count_nonzero(~real_rows)),
        governments_illustrative=governments - _distinct(requester, government & real_rows),
        regional_organisations_illustrative=organisations
        - _distinct(requester, ~government & real_rows),
        countries_reached_illustrative=reached_made_up,
        related_events=len(totals) - meetings_held,
        participants_illustrative=int(totals["illustrative"].to_numpy()[known].sum()),
        participants_more_than=bool(totals["more_than"].to_numpy(dtype=bool)[known].any()),
        meetings_unknown_total=meetings_held - int(np.count_nonzero(known)),
    )


def countries_reached(requests: pd.DataFrame) -> tuple[int, int]:
    """Return how many countries the requests reached, and how many of them only through
    illustrative requests."""
    pairs = arrays.pairs(requests)
    reached = len(reached_countries(pairs))
    # The pairs of the real requests only: those pairs' countries.
    real_rows = ~illustrative_mask(requests)
    real_reached = len(pd.unique(pairs.codes[pairs.beneficiary & real_rows[pairs.rows]]))
    return reached, reached - real_reached


def illustrative_count(frame: pd.DataFrame, field: str | None = None) -> int:
    """Return how many records are illustrative, or (with `field`) have an illustrative value
    in `field` (filled, and an illustrative record or a sourced one whose
    `illustrative_fields` name it)."""
    if field is None:
        return int(np.count_nonzero(illustrative_mask(frame)))
    return int(np.count_nonzero(illustrative_field_mask(frame, field) & _filled(frame, field)))


def _filled(frame: pd.DataFrame, field: str) -> np.ndarray:
    """Return True where a cell of frame[field] holds a value (text: not empty).

    Read from the arrays module's arrays (which know a column replaced in a subset, such as
    statuses as of a day): no pass over the frame's own column.
    """
    values = arrays.column(frame, field)
    if values.dtype.kind == "M":
        return ~np.isnat(values)
    if values.dtype.kind == "f":
        return ~np.isnan(values)
    if values.dtype.kind != "O":
        return np.ones(len(values), dtype=bool)
    codes = arrays.codes(frame, field)
    # Code -1 (a missing cell) takes the False at the end.
    text = np.array([str(value) != "" for value in codes.uniques] + [False], dtype=bool)
    return text[codes.codes]
