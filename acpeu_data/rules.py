"""The contract's rules that span columns or tables: references, date order, ranges, oddities.

Like validate.py, every check returns located Problems and never raises on bad data; a
table that could not be read is simply absent, and the checks needing it are skipped.
"""

from __future__ import annotations

import pandas as pd

from acpeu_data import contract, geo
from acpeu_data.validate import (
    DATE_RE,
    INTEGER_RE,
    MAX_LISTED,
    N_,
    Problem,
    codes_text,
    isin,
    located,
    make,
    split_list,
)


def _filled(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series([], dtype="str")
    cells = frame[column].str.strip()
    return cells[cells != ""]


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    cells = _filled(frame, column)
    return pd.to_datetime(
        cells[cells.str.match(DATE_RE)], format="%Y-%m-%d", errors="coerce"
    ).dropna()


def _ints(frame: pd.DataFrame, column: str) -> pd.Series:
    cells = _filled(frame, column)
    return cells[cells.str.match(INTEGER_RE)].astype("int64")


def _not_before(frame: pd.DataFrame, file: str, early: str, late: str) -> list[Problem]:
    first, then = _dates(frame, early), _dates(frame, late)
    both = then.index.intersection(first.index)
    wrong = both[then[both] < first[both]]
    return located(
        file,
        late,
        frame.loc[wrong, late],
        "{late} is before {early}: expected the same day or later",
        late=late,
        early=early,
    )


def _countries_rules(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    frame = frames["countries"]
    file = files["countries"]
    if len(frame) == 0:
        return [make(file, None, None, None, "no countries: expected at least one row")]
    return []


def check_rules(
    frames: dict[str, pd.DataFrame], files: dict[str, str]
) -> tuple[list[Problem], list[Problem]]:
    """Return (errors, warnings) of the rules that span columns or tables.

    `frames` holds the tables that could be read (a missing one skips the checks needing it).
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    countries = frames.get("countries")
    known = set(_filled(countries, "iso3")) if countries is not None else None
    regions = set(_filled(countries, "region")) if countries is not None else None
    if countries is not None:
        errors += _countries_rules(frames, files)
    orgs = frames.get("regional_organisations")
    if orgs is not None:
        errors += _organisation_rules(orgs, files["regional_organisations"], known, regions)
    org_codes = set(_filled(orgs, "code")) if orgs is not None else None
    if "requests" in frames:
        e, w = _request_rules(frames["requests"], files["requests"], known, org_codes)
        errors, warnings = errors + e, warnings + w
    meetings = frames.get("meetings")
    if meetings is not None:
        e, w = _meeting_rules(meetings, files["meetings"], known)
        errors, warnings = errors + e, warnings + w
    if "request_events" in frames:
        e, w = event_rules(
            frames["request_events"], files["request_events"], frames.get("requests"), files
        )
        errors, warnings = errors + e, warnings + w
    if "participation" in frames:
        meeting_ids = set(_filled(meetings, "meeting_id")) if meetings is not None else None
        e, w = _participation_rules(
            frames["participation"], files["participation"], known, meeting_ids
        )
        errors, warnings = errors + e, warnings + w
    return errors, warnings


def _organisation_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None, regions: set[str] | None
) -> list[Problem]:
    codes = _filled(frame, "code")
    problems = located(
        file,
        "code",
        codes[isin(codes, geo.iso3_codes())],
        "this code is also a country's ISO3 code: expected an acronym that is not a country code",
    )
    if regions is not None:
        region = _filled(frame, "region")
        problems += located(
            file,
            "region",
            region[~isin(region, regions)],
            "unknown region: expected one of the regions in countries.csv ({regions})",
            regions=codes_text(sorted(regions)),
        )
    if known is not None:
        members = split_list(_filled(frame, "members"))
        members = members[isin(members, geo.iso3_codes())]
        problems += located(
            file,
            "members",
            members[~isin(members, known)],
            "unknown member: expected an iso3 listed in countries.csv",
        )
    return problems


def _request_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None, org_codes: set[str] | None
) -> tuple[list[Problem], list[Problem]]:
    errors = _not_before(frame, file, "received_on", "completed_on")
    kind = frame["requester_type"].str.strip() if "requester_type" in frame else None
    requester = _filled(frame, "requester")
    if kind is not None and known is not None:
        government = requester[kind[requester.index] == "government"]
        errors += located(
            file,
            "requester",
            government[~isin(government, known)],
            "unknown requester: a government requester must be an iso3 listed in countries.csv",
        )
    if kind is not None and org_codes is not None:
        org = requester[kind[requester.index] == "regional_organisation"]
        errors += located(
            file,
            "requester",
            org[~isin(org, org_codes)],
            "unknown requester: a regional organisation must be a code in regional_organisations.csv",
        )
    if known is not None:
        items = split_list(_filled(frame, "countries"))
        items = items[isin(items, geo.iso3_codes())]
        errors += located(
            file,
            "countries",
            items[~isin(items, known)],
            "unknown beneficiary: expected an iso3 listed in countries.csv",
        )
    received = _dates(frame, "received_on")
    start, end = pd.Timestamp(contract.PROGRAMME_START), pd.Timestamp(contract.PROGRAMME_END)
    odd = received[(received < start) | (received > end)].index
    warnings = located(
        file,
        "received_on",
        frame.loc[odd, "received_on"],
        "outside the programme ({start} to {end}): please check the date",
        severity="warning",
        start=contract.PROGRAMME_START.isoformat(),
        end=contract.PROGRAMME_END.isoformat(),
    )
    return errors, warnings


def _meeting_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None
) -> tuple[list[Problem], list[Problem]]:
    errors = _not_before(frame, file, "start_date", "end_date")
    for column, limit in (("lat", 90), ("lon", 180)):
        cells = _filled(frame, column)
        numbers = pd.to_numeric(cells, errors="coerce")
        errors += located(
            file,
            column,
            cells[numbers.abs() > limit],
            "out of range: expected a number from -{limit} to {limit}",
            limit=limit,
        )
    warnings: list[Problem] = []
    if "lat" in frame and "lon" in frame:
        lat_blank, lon_blank = frame["lat"].str.strip() == "", frame["lon"].str.strip() == ""
        half = frame.loc[lat_blank != lon_blank, "lat"]
        warnings += located(
            file,
            "lat",
            half,
            "only one of lat and lon is given: the venue is placed at its country",
            "warning",
        )
    if known is not None:
        venue = _filled(frame, "country_iso3")
        venue = venue[isin(venue, geo.iso3_codes())]
        warnings += located(
            file,
            "country_iso3",
            venue[~isin(venue, known)],
            "the venue's country is not in countries.csv (allowed; shown as outside the programme)",
            "warning",
        )
    return errors, warnings


def _participation_rules(
    frame: pd.DataFrame, file: str, known: set[str] | None, meeting_ids: set[str] | None
) -> tuple[list[Problem], list[Problem]]:
    errors: list[Problem] = []
    if meeting_ids is not None:
        ids = _filled(frame, "meeting_id")
        errors += located(
            file,
            "meeting_id",
            ids[~isin(ids, meeting_ids)],
            "unknown meeting: expected a meeting_id in meetings.csv",
        )
    women, participants = _ints(frame, "women"), _ints(frame, "participants")
    both = women.index.intersection(participants.index)
    above = both[women[both] > participants[both]]
    errors += located(
        file,
        "women",
        frame.loc[above, "women"],
        "more women than participants: expected 0..participants",
    )
    warnings: list[Problem] = []
    if known is not None and "stakeholder_type" in frame:
        # Delegations from outside the programme (EU states, agencies) are expected; an ACP
        # government whose country the programme does not list is the odd case.
        country = _filled(frame, "country_iso3")
        acp = frame.loc[country.index, "stakeholder_type"].str.strip() == "acp_government"
        country = country[acp & isin(country, geo.iso3_codes())]
        warnings += located(
            file,
            "country_iso3",
            country[~isin(country, known)],
            "an ACP government from a country not in countries.csv: counted as Non-ACP",
            "warning",
        )
    return errors, warnings


def _each(
    file: str,
    column: str,
    rows: list,
    values: list,
    template: str,
    params: list[dict],
    severity: str = "error",
) -> list[Problem]:
    """Return one Problem per row whose message takes that row's params (at most MAX_LISTED)."""
    problems = [
        make(file, int(row), column, str(value), template, severity, **extra)
        for row, value, extra in zip(
            rows[:MAX_LISTED], values[:MAX_LISTED], params[:MAX_LISTED], strict=True
        )
    ]
    if len(rows) > MAX_LISTED:
        problems.append(
            make(
                file,
                None,
                column,
                None,
                N_("{count} more rows like this: {problem}"),
                severity,
                count=len(rows) - MAX_LISTED,
                problem=problems[-1].message,
            )
        )
    return problems


def event_rules(
    frame: pd.DataFrame, file: str, requests: pd.DataFrame | None, files: dict[str, str]
) -> tuple[list[Problem], list[Problem]]:
    """Return (errors, warnings) of request_events against requests (docs/data-contract.md).

    Errors: an unknown request, a change before the request was received, a last event whose
    status is not the request's status, a completed event on another day than completed_on.
    Warning: an event after a final status (the history is used as given).
    """
    if requests is None or "request_id" not in requests:
        return [], []
    requests_file = files.get("requests", "requests.csv")
    problems: list[Problem] = []
    ids = _filled(frame, "request_id")
    request_ids = requests["request_id"].str.strip()
    first = ~request_ids.duplicated()
    known = set(request_ids[first & (request_ids != "")])
    severity = {name: level for name, (level, _text) in contract.EVENT_CHECKS.items()}
    problems += located(
        file,
        "request_id",
        ids[~isin(ids, known)],
        N_("unknown request: expected a request_id in {requests}"),
        severity["unknown_request"],
        requests=requests_file,
    )
    by_id = requests[first].set_index(request_ids[first])
    received = _dates(by_id, "received_on")
    completed = _dates(by_id, "completed_on")
    status_of = _filled(by_id, "status")
    days = _dates(frame, "changed_on")
    statuses = _filled(frame, "status")
    usable = days.index.intersection(ids.index[isin(ids, known)])
    usable = usable.intersection(statuses.index[isin(statuses, contract.STATUSES)])
    events = pd.DataFrame(
        {"request_id": ids[usable], "day": days[usable], "status": statuses[usable]},
        index=usable,
    )
    events["row"] = events.index
    if events.empty or received.empty:
        return [p for p in problems if p.severity == "error"], []
    # Before the request was received.
    start = events["request_id"].map(received)
    early = events[start.notna() & (events["day"] < start)]
    problems += _each(
        file,
        "changed_on",
        early.index.tolist(),
        frame.loc[early.index, "changed_on"].tolist(),
        N_("before the request was received ({received}): expected that day or later"),
        [{"received": d.date().isoformat()} for d in start[early.index]],
        severity["before_received"],
    )
    # In the order the changes happened (same day: the file's order).
    events = events.sort_values(["request_id", "day", "row"], kind="stable")
    final = events["status"].isin(contract.FINAL_STATUSES)
    closed_before = final.groupby(events["request_id"]).cumsum() - final > 0
    late = events[closed_before].sort_index()
    problems += located(
        file,
        "status",
        frame.loc[late.index, "status"],
        N_(
            "after the request was closed (completed, rejected or withdrawn): "
            "the history is used as given"
        ),
        severity["after_final"],
    )
    last = events.groupby("request_id", sort=False).tail(1)
    expected = last["request_id"].map(status_of)
    wrong = last[expected.notna() & (last["status"] != expected)].sort_index()
    problems += _each(
        file,
        "status",
        wrong.index.tolist(),
        frame.loc[wrong.index, "status"].tolist(),
        N_(
            "the request's last change of status, but {requests} gives its status as "
            "'{status}': expected the same status"
        ),
        [{"requests": requests_file, "status": expected[r]} for r in wrong.index],
        severity["last_disagrees"],
    )
    done = events[events["status"] == "completed"].groupby("request_id", sort=False).tail(1)
    on = done["request_id"].map(completed)
    off = done[on.notna() & (done["day"] != on)].sort_index()
    problems += _each(
        file,
        "changed_on",
        off.index.tolist(),
        frame.loc[off.index, "changed_on"].tolist(),
        N_(
            "the request was completed on {completed} according to {requests}: "
            "expected the same day"
        ),
        [{"completed": on[r].date().isoformat(), "requests": requests_file} for r in off.index],
    )
    # Unknown statuses are the status column's own check (validate.py), an error.
    errors = [p for p in problems if p.severity == "error"]
    return errors, [p for p in problems if p.severity != "error"]
