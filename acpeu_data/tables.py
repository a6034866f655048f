"""Tables as people read them: codes turned into labels, lists into text, plain-words summaries.

The translate function is passed in (English when it is the identity), so this stays free of
Streamlit and of any one language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from acpeu_data import contract, geo, i18n, metrics
from acpeu_data.i18n import Translate

CountryName = Callable[[str], str]


def _labels(codes: Mapping[str, str], _: Translate) -> Callable[[str], str]:
    return lambda code: _(codes[code]) if code in codes else code


def _join(values, to_label: Callable[[str], str]) -> str:
    return ", ".join(to_label(v) for v in values) if isinstance(values, list | tuple) else ""


def _joined(column: pd.Series, to_label: Callable[[str], str]) -> list[str]:
    """Return each list cell as readable text, each distinct list labelled only once.

    The loader gives rows with the same cell the same list object (acpeu_data.read), so the
    object's id finds the text again: a million requests name a few thousand country sets.
    """
    done: dict[int, str] = {}
    out = []
    for values in column:
        text = done.get(id(values))
        if text is None:
            text = done[id(values)] = _join(values, to_label)
        out.append(text)
    return out


def _mapped(column: pd.Series, to_label: Callable[[str], str]) -> np.ndarray:
    """Return the label of each code, looking up each distinct code once."""
    codes, uniques = pd.factorize(column)
    labels = np.array([to_label(code) for code in uniques] + [None], dtype=object)
    return labels[codes]  # code -1 (a missing value) takes the None at the end


def numbers(frame: pd.DataFrame, columns: Mapping[str, str], translate: Translate | None = None):
    """Return the columns of a chart's frame renamed for reading (its 'show the numbers' table)."""
    shown = frame[list(columns)].copy()
    if translate is not None:
        for column in columns:
            if shown[column].dtype == object or str(shown[column].dtype) in ("str", "string"):
                shown[column] = shown[column].map(
                    lambda v: translate(v) if isinstance(v, str) else v
                )
    return shown.rename(columns=dict(columns))


def over_time_numbers(over_time: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return the cumulative-by-topic frame as one row per month, one column per topic."""
    if over_time.empty:
        return pd.DataFrame({_("Month"): []})
    # One row per month and topic already: a plain pivot, not pivot_table's group-by.
    wide = over_time.pivot(index="month", columns="topic", values="cumulative")
    labels = {**contract.TOPICS, metrics.TOTAL: "All requests"}
    wide = wide.rename(columns=_labels(labels, _))
    wide.index = wide.index.strftime("%Y-%m")
    return wide.reset_index(names=_("Month"))


def requests_for_display(requests: pd.DataFrame, _: Translate, lang: str) -> pd.DataFrame:
    """Return one row per request with readable labels, for the Requests table."""
    country = lambda iso3: geo.country_name(iso3, lang)  # noqa: E731
    return pd.DataFrame(
        {
            "request_id": requests["request_id"],
            "received_on": requests["received_on"].dt.date,
            "requester": requests["requester_name"],
            "requester_type": _mapped(
                requests["requester_type"], _labels(contract.REQUESTER_TYPES, _)
            ),
            "region": _mapped(requests["region"], _),
            "countries": _joined(requests["beneficiaries"], country),
            "topics": _joined(requests["topics"], _labels(contract.TOPICS, _)),
            "typology": _mapped(requests["typology"], _labels(contract.TYPOLOGIES, _)),
            "status": _mapped(requests["status"], _labels(contract.STATUSES, _)),
            "completed_on": requests["completed_on"].dt.date,
            "title": requests["title"],
            "source": requests["source"],
        }
    )


def summary_text(kpis, filters, _: Translate, lang: str) -> str:
    """Return the plain-words summary of the headline figures, like IOM's own releases."""
    n = i18n.ngettext(lang)
    number = lambda v: i18n.format_number(v, lang)  # noqa: E731
    if kpis.requests == 0:
        text = _("No request matches the filter.")
    else:
        text = n(
            "{requests} request from {governments} governments and {organisations} regional organisations",
            "{requests} requests from {governments} governments and {organisations} regional organisations",
            kpis.requests,
        ).format(
            requests=number(kpis.requests),
            governments=number(kpis.governments),
            organisations=number(kpis.regional_organisations),
        )
        if filters.date_to is not None:
            text = _("By {date}: {summary}").format(
                date=i18n.format_date(filters.date_to, lang, "long"), summary=text
            )
        text += "; " + _("{share} of them concern trafficking or smuggling").format(
            share=i18n.format_percent(kpis.trafficking_or_smuggling_share, lang)
        )
        text += "; " + _("{countries} countries reached.").format(
            countries=number(kpis.countries_reached)
        )
    if kpis.meetings:
        text += " " + n(
            "{meetings} meeting brought together {participants} participants.",
            "{meetings} meetings brought together {participants} participants.",
            kpis.meetings,
        ).format(meetings=number(kpis.meetings), participants=number(kpis.participants))
    return text


def problems_for_display(problems, _: Translate) -> pd.DataFrame:
    """Return located problems as a table with the columns File, Row, Column, Value, Problem.

    Problems found in a database have a Record (the row's key) instead of a Row number.
    """
    columns = {
        _("File"): [p.file for p in problems],
        _("Row"): pd.array([p.row for p in problems], dtype="Int64"),
    }
    if any(p.record for p in problems):
        columns[_("Record")] = [p.record or "" for p in problems]
        if all(p.row is None for p in problems):
            del columns[_("Row")]
    columns[_("Column")] = [p.column or "" for p in problems]
    columns[_("Value")] = [p.value if p.value is not None else "" for p in problems]
    columns[_("Problem")] = [p.text(_) for p in problems]
    return pd.DataFrame(columns)


def files_for_display(ds, _: Translate, lang: str) -> pd.DataFrame:
    """Return the loaded files with their rows and when each was last changed."""
    return pd.DataFrame(
        {
            _("File"): [f.name for f in ds.files],
            _("Rows"): [f.rows for f in ds.files],
            _("Last changed"): [
                i18n.format_date(f.modified.date(), lang) if f.modified else "–" for f in ds.files
            ],
        }
    )


def sources_for_display(ds, _: Translate) -> pd.DataFrame:
    """Return per table how many records come from a public source and how many are illustrative."""
    rows = []
    for table in ("requests", "meetings", "participation"):
        frame = getattr(ds, table)
        source = frame["source"].fillna("") if "source" in frame else pd.Series([""] * len(frame))
        illustrative = int((source == contract.ILLUSTRATIVE).sum())
        rows.append(
            {
                _("Table"): table,
                _("Records"): len(frame),
                _("From a public source"): int(
                    ((source != "") & (source != contract.ILLUSTRATIVE)).sum()
                ),
                _("Illustrative"): illustrative,
                _("No source given"): int((source == "").sum()),
            }
        )
    return pd.DataFrame(rows)


def meetings_for_display(
    meetings: pd.DataFrame, per_meeting: pd.DataFrame, _: Translate
) -> pd.DataFrame:
    """Return one row per meeting with readable labels, for the Meetings table.

    per_meeting is metrics.participation_by_meeting: its women share counts only the
    delegations that reported women.
    """
    women_share = meetings["meeting_id"].map(per_meeting.set_index("meeting_id")["women_share"])
    return pd.DataFrame(
        {
            "start_date": meetings["start_date"].dt.date,
            "end_date": meetings["end_date"].dt.date,
            "title": meetings["title"],
            "kind": meetings["kind"].map(_labels(contract.MEETING_KINDS, _)),
            "city": meetings["city"],
            "country": meetings["country_name"],
            "participants": meetings["participants"],
            "women_share": women_share,
            "source": meetings["source"],
        }
    )


def countries_for_map(by_country: pd.DataFrame, regions, lang: str) -> pd.DataFrame:
    """Return the per-country counts to map: names in the reader's language, chosen regions only."""
    if regions:
        by_country = by_country[by_country["region"].isin(regions)]
    return by_country.assign(name=by_country["iso3"].map(lambda c: geo.country_name(c, lang)))


# --- the Pipeline page (acpeu_data.history) ------------------------------------------------------


def stages_by_month_numbers(months: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return requests per stage at each month's end as one row per month, a column per stage."""
    if months.empty:
        return pd.DataFrame({_("Month"): []})
    # history.stages_by_month gives each status's months together, in order: a reshape.
    statuses = list(dict.fromkeys(months["status"]))
    count = len(months) // len(statuses)
    values = months["requests"].to_numpy().reshape(len(statuses), count)
    shown = {_("Month"): months["month"].iloc[:count].dt.strftime("%Y-%m").to_numpy()}
    for status, column in zip(statuses, values, strict=True):
        shown[_(contract.STATUSES.get(status, status))] = column
    return pd.DataFrame(shown)


def stage_days_numbers(times: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return the days-in-stage table: stays that ended, median, quartiles, shortest, longest."""
    return pd.DataFrame(
        {
            _("Stage"): _mapped(times["status"], _labels(contract.STATUSES, _)),
            _("Stays that ended"): times["stays"].to_numpy(),
            _("Median days"): times["median"].to_numpy(),
            _("First quartile"): times["q1"].to_numpy(),
            _("Third quartile"): times["q3"].to_numpy(),
            _("Shortest"): times["min"].array,
            _("Longest"): times["max"].array,
        }
    )


def moves_for_display(moves: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return the moves between stages with readable stage names, most frequent first."""
    shown = moves.sort_values("moves", ascending=False, kind="stable")
    to_label = _labels(contract.STATUSES, _)
    return pd.DataFrame(
        {
            _("From"): _mapped(shown["from_status"], to_label),
            _("To"): _mapped(shown["to_status"], to_label),
            _("Moves"): shown["moves"].to_numpy(),
        }
    )


def ages_for_display(aged: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return the open requests, oldest first: id, requester, topics, stage, received, days."""
    return pd.DataFrame(
        {
            "request_id": aged["request_id"].array,
            "requester": aged["requester_name"].array,
            "topics": _joined(aged["topics"], _labels(contract.TOPICS, _)),
            "status": _mapped(aged["status"], _labels(contract.STATUSES, _)),
            "received_on": aged["received_on"].dt.date.array,
            "days": aged["days"].to_numpy(),
        }
    )


def changes_for_display(changes: pd.DataFrame, kinds: Mapping[str, str], _: Translate):
    """Return what changed between two dates, readable: day, request, requester, what, from, to."""
    to_label = _labels(contract.STATUSES, _)
    return pd.DataFrame(
        {
            "changed_on": changes["changed_on"].dt.date.array,
            "request_id": changes["request_id"].array,
            "requester": changes["requester"].array,
            "kind": _mapped(changes["kind"], _labels(kinds, _)),
            "previous_status": _mapped(changes["previous_status"], to_label),
            "status": _mapped(changes["status"], to_label),
        }
    )
