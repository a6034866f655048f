"""Tables as people read them: codes turned into labels, lists into text, plain-words summaries.

The translate function is passed in (English when it is the identity), so this stays free of
Streamlit and of any one language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from acpeu_data import arrays, contract, geo, i18n, request_figures
from acpeu_data.dataset import Dataset
from acpeu_data.i18n import Translate
from acpeu_data.validate import N_

CountryName = Callable[[str], str]


@dataclass(frozen=True)
class Column:
    """How one column of a reader's table is shown: its label and help (English msgids,
    translated when drawn), its kind (text, number, percent, date, link: a link shows its
    site, SOURCE_DISPLAY) and its width (small, medium, large; None: as wide as it needs).

    Each table built here declares its columns next to its builder (REQUEST_COLUMNS, ...);
    ui/widgets.table turns them into Streamlit's column config."""

    label: str
    kind: Literal["text", "number", "percent", "date", "link"] = "text"
    width: Literal["small", "medium", "large"] | None = None
    help: str | None = None


Columns = Mapping[str, Column]


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


def _joined_once(
    frame: pd.DataFrame,
    column: str,
    to_label: Callable[[str], str],
    _: Translate,
    lang: str,
) -> np.ndarray | list:
    """Return _joined of a list column, computed once per loaded table and language (a
    filtered table takes its rows' texts from there, acpeu_data.arrays)."""
    # The translations behind `_` (gettext's bound method is a new object each time; the
    # catalogues live as long as the process). Another function: no cache.
    catalogue = getattr(_, "__self__", None)
    if catalogue is None:
        return _joined(frame[column], to_label)
    language = (lang, id(catalogue))
    texts = arrays.cached(
        frame,
        ("joined", column, language),
        lambda table: arrays.frozen(np.array(_joined(table[column], to_label), dtype=object)),
    )
    return texts if len(texts) else []  # an empty table's column typed as before


def _mapped(column: pd.Series | np.ndarray, to_label: Callable[[str], str]) -> np.ndarray:
    """Return the label of each code, looking up each distinct code once."""
    codes, uniques = pd.factorize(column)
    labels = np.array([to_label(code) for code in uniques] + [None], dtype=object)
    return labels[codes]  # code -1 (a missing value) takes the None at the end


def _coded(frame: pd.DataFrame, column: str, to_label: Callable[[str], str]) -> np.ndarray:
    """Return the label of each cell of a text column, from its codes (acpeu_data.arrays, kept
    per loaded table): each distinct value is labelled once."""
    codes = arrays.codes(frame, column)
    labels = np.array([to_label(code) for code in codes.uniques] + [None], dtype=object)
    return labels[codes.codes]  # code -1 (a missing value) takes the None at the end


def numbers(frame: pd.DataFrame, columns: Mapping[str, str], translate: Translate | None = None):
    """Return the columns of a chart's frame renamed for reading (its 'show the numbers' table)."""
    shown = {}
    for column, title in columns.items():
        values = frame[column]
        if translate is not None and str(values.dtype) in ("str", "string"):
            shown[title] = pd.array(
                [translate(v) if isinstance(v, str) else v for v in values.tolist()],
                dtype=values.dtype,
            )
            continue
        if translate is not None and values.dtype == object:
            values = values.map(lambda v: translate(v) if isinstance(v, str) else v)
        # The column's own array: one frame built at once, no copy, selection or renaming.
        shown[title] = values.array
    return pd.DataFrame(shown, index=frame.index)


def over_time_numbers(over_time: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return the cumulative-by-topic frame as one row per month, one column per topic."""
    if over_time.empty:
        return pd.DataFrame({_("Month"): []})
    # requests_over_time gives each topic's months together, in order: a reshape, in the
    # legend's order (the contract's topics, then all requests).
    topics = list(dict.fromkeys(over_time["topic"]))
    count = len(over_time) // len(topics)
    values = over_time["cumulative"].to_numpy().reshape(len(topics), count)
    labels = {**contract.TOPICS, request_figures.TOTAL: "All requests"}
    to_label = _labels(labels, _)
    shown = {_("Month"): i18n.iso_dates(over_time["month"].iloc[:count], "M")}
    for code in [*contract.TOPICS, request_figures.TOTAL]:
        if code in topics:
            shown[to_label(code)] = values[topics.index(code)]
    return pd.DataFrame(shown)


# The Source column is a link column: a URL shows its site; an illustrative record links to
# the Data page's list of them and shows the fragment, the word "Illustrative" (translated).
ILLUSTRATIVE_LINK = "data#{word}"
SOURCE_DISPLAY = r"^(?:https?://(?:www\.)?|[^#]*#)([^/#]+)"


def source_cells(frame: pd.DataFrame, _: Translate) -> np.ndarray:
    """Return each record's source for a link column: its URL, a link to the Data page's list
    of illustrative records (shown as "Illustrative"), or the source as written."""
    if "source" not in frame:
        return np.full(len(frame), "", dtype=object)
    link = ILLUSTRATIVE_LINK.format(word=illustrative_anchor(_))

    def build(table: pd.DataFrame) -> np.ndarray:
        source = table["source"].fillna("").astype(str).str.strip()
        cells = source.where(source != contract.ILLUSTRATIVE, link).to_numpy(dtype=object)
        return arrays.frozen(cells)

    # Once per loaded table and language, taken for its subsets: text work on every row
    # (about 0.7 ms for the bundled meetings, far more for a million requests) per change.
    return arrays.cached(frame, ("source cells", link), build)


SOURCE = Column(
    N_("Source"),
    "link",
    help=N_("Where the record comes from: a public web page, or Illustrative (made up)."),
)
NOTE = Column(N_("Note"), width="large")


def illustrative_anchor(_: Translate) -> str:
    """Return the Data page's anchor of its list of illustrative records: the word itself."""
    return _("Illustrative")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str)


def _fields_shown(frame: pd.DataFrame, _: Translate) -> list[str]:
    """Return each record's `illustrative_fields` as the labels of its columns (REQUEST_COLUMNS)."""
    labels = {name: column.label for name, column in REQUEST_COLUMNS.items()}
    cells = _text(frame, "illustrative_fields")
    done: dict[str, str] = {}
    out = []
    for text in cells.tolist():
        if text not in done:
            parts = [p.strip() for p in text.split(contract.LIST_SEPARATOR) if p.strip()]
            done[text] = ", ".join(_(labels[p]) if p in labels else p for p in parts)
        out.append(done[text])
    return out


REQUEST_COLUMNS: Columns = {
    "request_id": Column(N_("Request")),
    "received_on": Column(N_("Received"), "date"),
    "requester": Column(N_("Requester")),
    "requester_type": Column(N_("Requester type")),
    "region": Column(N_("Region")),
    "countries": Column(N_("Countries")),
    "topics": Column(N_("Topics")),
    "typology": Column(N_("Typology")),
    "status": Column(N_("Status")),
    "completed_on": Column(N_("Completed"), "date"),
    "title": Column(N_("Title"), width="large"),
    "source": SOURCE,
    "illustrative_fields": Column(
        N_("Illustrative fields"),
        help=N_("Columns of a sourced request that are still illustrative or estimated."),
    ),
    "note": NOTE,
}
# The country profile shows the table in half the page: the title and note take less room.
PROFILE_REQUEST_COLUMNS: Columns = {
    **REQUEST_COLUMNS,
    "title": replace(REQUEST_COLUMNS["title"], width="medium"),
    "note": replace(NOTE, width=None),
}


def requests_for_display(requests: pd.DataFrame, _: Translate, lang: str) -> pd.DataFrame:
    """Return one row per request with readable labels, for the Requests table.

    `source` is the URL (shown as a link) or "Illustrative"; `illustrative_fields` says which
    columns of a sourced request are still illustrative or estimated.
    """
    country = lambda iso3: geo.country_name(iso3, lang)  # noqa: E731
    return pd.DataFrame(
        {
            "request_id": requests["request_id"].array,
            "source": source_cells(requests, _),
            "received_on": _days(requests["received_on"]),
            "requester": requests["requester_name"].array,
            "requester_type": _coded(
                requests, "requester_type", _labels(contract.REQUESTER_TYPES, _)
            ),
            "region": _coded(requests, "region", _),
            "countries": _joined_once(requests, "beneficiaries", country, _, lang),
            "topics": _joined_once(requests, "topics", _labels(contract.TOPICS, _), _, lang),
            "typology": _coded(requests, "typology", _labels(contract.TYPOLOGIES, _)),
            "status": _coded(requests, "status", _labels(contract.STATUSES, _)),
            "completed_on": _days(requests["completed_on"]),
            "title": requests["title"].array,
            "illustrative_fields": _fields_shown(requests, _),
            "note": _text(requests, "note").array,
        },
        index=requests.index,
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
        if kpis.requests_illustrative:
            text += " " + n(
                "Of these requests, {count} is illustrative (not from a public source).",
                "Of these requests, {count} are illustrative (not from a public source).",
                kpis.requests_illustrative,
            ).format(count=number(kpis.requests_illustrative))
    known = kpis.meetings - kpis.meetings_unknown_total
    if known:
        participants = number(kpis.participants)
        if kpis.participants_more_than:
            participants = _("more than {count}").format(count=participants)
        text += " " + n(
            "{meetings} programme meeting brought together {participants} participants",
            "{meetings} programme meetings brought together {participants} participants",
            known,
        ).format(meetings=number(known), participants=participants)
        if kpis.participants_illustrative:
            text += " " + _("(of which {count} illustrative)").format(
                count=number(kpis.participants_illustrative)
            )
        text += "."
    if kpis.meetings_unknown_total:
        text += " " + n(
            "The participant total of {count} programme meeting is unknown and left out.",
            "The participant totals of {count} programme meetings are unknown and left out.",
            kpis.meetings_unknown_total,
        ).format(count=number(kpis.meetings_unknown_total))
    if kpis.related_events:
        text += " " + n(
            "{count} related event (such as an ACP-EU Dialogue seminar) is counted apart.",
            "{count} related events (such as ACP-EU Dialogue seminars) are counted apart.",
            kpis.related_events,
        ).format(count=number(kpis.related_events))
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


def files_for_display(ds: Dataset, _: Translate, lang: str) -> pd.DataFrame:
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


def sources_for_display(ds: Dataset, _: Translate) -> pd.DataFrame:
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


def participants_text(total, more_than: bool, illustrative: int, lang: str, _: Translate) -> str:
    """Return a meeting's participant total as read: "70", "more than 50", "62 (illustrative)",
    or "unknown" (never 0 for a total nobody published)."""
    if total is None or (isinstance(total, float) and np.isnan(total)):
        return _("unknown")
    number = i18n.format_number(total, lang)
    if more_than:
        return _("more than {count}").format(count=number)
    if illustrative:
        return _("{count} (illustrative)").format(count=number)
    return number


MEETING_COLUMNS: Columns = {
    "start_date": Column(N_("Start"), "date"),
    "end_date": Column(N_("End"), "date"),
    "title": Column(N_("Meeting"), width="medium"),
    "kind": Column(N_("Kind")),
    "city": Column(N_("City")),
    "country": Column(N_("Country")),
    "participants": Column(
        N_("Participants"),
        help=N_(
            "The published total where there is one, else the sum of the delegations "
            "(marked illustrative when they are); unknown when neither exists."
        ),
    ),
    "reported_source": replace(SOURCE, label=N_("Source of the total")),
    "delegations": Column(N_("Sum of delegations"), "number"),
    "delegations_source": Column(N_("Delegations' source")),
    "women_share": Column(
        N_("Women"),
        "percent",
        help=N_("Among the participants whose gender was reported (next column)."),
    ),
    "women_covered": Column(N_("Gender reported for"), "number"),
    "source": SOURCE,
    "note": NOTE,
}


def meetings_for_display(
    meetings: pd.DataFrame,
    per_meeting: pd.DataFrame,
    totals: pd.DataFrame,
    _: Translate,
    lang: str,
) -> pd.DataFrame:
    """Return one row per meeting with readable labels, for the Meetings table.

    per_meeting is meeting_figures.participation_by_meeting: its women share counts only the
    delegations that reported women (`women_covered` participants). totals is
    meeting_figures.meeting_totals: `participants` is the published total where there is one, else
    the sum of the delegations (marked illustrative when they are), else "unknown";
    `delegations` is that sum by itself and `delegations_source` where its rows come from.
    """
    if per_meeting.index.equals(meetings.index):  # participation_by_meeting's own rows
        women_share = per_meeting["women_share"].to_numpy(dtype="float64")
        covered = per_meeting["covered"].to_numpy(dtype="float64")
    else:
        by_id = per_meeting.set_index("meeting_id")
        women_share = meetings["meeting_id"].map(by_id["women_share"]).to_numpy("float64")
        covered = meetings["meeting_id"].map(by_id["covered"]).to_numpy("float64")
    reported = covered > 0
    shown = [
        participants_text(t, m, i, lang, _)
        for t, m, i in zip(
            totals["total"].tolist(),
            totals["more_than"].tolist(),
            totals["illustrative"].tolist(),
            strict=True,
        )
    ]
    breakdown = totals["breakdown"].to_numpy(dtype="float64")
    made_up = totals["breakdown_illustrative"].to_numpy()
    unknown = np.isnan(breakdown)
    provenance = np.where(unknown, "", np.where(made_up > 0, _("Illustrative"), _("Public source")))
    return pd.DataFrame(
        {
            "start_date": _days(meetings["start_date"]),
            "title": meetings["title"].array,
            "participants": shown,
            "source": source_cells(meetings, _),
            "kind": _mapped(meetings["kind"], _labels(contract.MEETING_KINDS, _)),
            "end_date": _days(meetings["end_date"]),
            "city": meetings["city"].array,
            "country": meetings["country_name"].array,
            "reported_source": totals["reported_source"].to_numpy(dtype=object),
            "delegations": _whole(breakdown, unknown),
            "delegations_source": provenance,
            "women_share": np.where(reported, women_share, np.nan),
            "women_covered": _whole(covered, ~reported),
            "note": _text(meetings, "note").array,
        },
        index=meetings.index,
    )


def _days(dates: pd.Series) -> np.ndarray:
    """Return dates as datetime.date objects (Series.dt.date: NaT where missing)."""
    values = dates.to_numpy()
    if values.dtype.kind != "M":
        return dates.dt.date.to_numpy()
    days = values.astype("datetime64[D]").astype(object)
    missing = np.isnat(values)
    if missing.any():
        days[missing] = pd.NaT
    return days


def _whole(values: np.ndarray, missing: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Return whole numbers held as floats as an Int64 array, missing where `missing`."""
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype("int64"), missing)


def topics_for_display(topics: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return requests per topic (request_figures.requests_by_topic) as read: Topic, Requests."""
    return numbers(topics, {"label": _("Topic"), "requests": _("Requests")}, _)


PROFILE_MEETING_COLUMNS: Columns = {
    "title": MEETING_COLUMNS["title"],
    "participants": Column(N_("Delegates"), "number"),
    "source": SOURCE,
    "city": MEETING_COLUMNS["city"],
}


def profile_meetings_for_display(meetings: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return the meetings a country's delegations attended (request_figures.country_profile):
    title, its delegates, where they are recorded from, city."""
    return meetings.assign(source=source_cells(meetings, _))[list(PROFILE_MEETING_COLUMNS)]


def countries_for_map(by_country: pd.DataFrame, regions, lang: str) -> pd.DataFrame:
    """Return the per-country counts to map: names in the reader's language, chosen regions only."""
    if regions:
        rows = np.flatnonzero(np.isin(by_country["region"].to_numpy(dtype=object), list(regions)))
    else:
        rows = np.arange(len(by_country))
    # One frame built from the columns' arrays, not a selection then an assignment.
    shown = {column: by_country[column].array.take(rows) for column in by_country.columns}
    shown["name"] = [geo.country_name(c, lang) for c in by_country["iso3"].array.take(rows)]
    return pd.DataFrame(shown, index=by_country.index.take(rows))


# --- the Pipeline page (acpeu_data.history) ------------------------------------------------------


def stages_by_month_numbers(months: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return requests per stage at each month's end as one row per month, a column per stage."""
    if months.empty:
        return pd.DataFrame({_("Month"): []})
    # history.stages_by_month gives each status's months together, in order: a reshape.
    statuses = list(dict.fromkeys(months["status"]))
    count = len(months) // len(statuses)
    values = months["requests"].to_numpy().reshape(len(statuses), count)
    shown = {_("Month"): i18n.iso_dates(months["month"].iloc[:count], "M")}
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
    counts = moves["moves"].to_numpy()
    # Most first, ties in their order (a stable sort_values(ascending=False)).
    order = np.argsort(-counts, kind="stable")
    to_label = _labels(contract.STATUSES, _)
    return pd.DataFrame(
        {
            _("From"): _mapped(moves["from_status"].to_numpy(dtype=object)[order], to_label),
            _("To"): _mapped(moves["to_status"].to_numpy(dtype=object)[order], to_label),
            _("Moves"): counts[order],
        }
    )


AGE_COLUMNS: Columns = {
    "request_id": REQUEST_COLUMNS["request_id"],
    "requester": REQUEST_COLUMNS["requester"],
    "topics": REQUEST_COLUMNS["topics"],
    "status": Column(N_("Stage")),
    "received_on": REQUEST_COLUMNS["received_on"],
    "days": Column(N_("Days since receipt"), "number"),
}


def ages_for_display(aged: pd.DataFrame, _: Translate) -> pd.DataFrame:
    """Return the open requests, oldest first: id, requester, topics, stage, received, days."""
    return pd.DataFrame(
        {
            "request_id": aged["request_id"].array,
            "requester": aged["requester_name"].array,
            "topics": _joined(aged["topics"], _labels(contract.TOPICS, _)),
            "status": _mapped(aged["status"], _labels(contract.STATUSES, _)),
            "received_on": _days(aged["received_on"]),
            "days": aged["days"].to_numpy(),
        }
    )


CHANGE_COLUMNS: Columns = {
    "changed_on": Column(N_("Day"), "date"),
    "request_id": REQUEST_COLUMNS["request_id"],
    "requester": REQUEST_COLUMNS["requester"],
    "kind": Column(N_("What happened")),
    "previous_status": Column(N_("From")),
    "status": Column(N_("To")),
}


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


def illustrative_rows(ds: Dataset, table: str) -> pd.DataFrame:
    """Return the illustrative records of a table, in the contract's columns (then the extras)."""
    from acpeu_data.filters import illustrative_mask

    frame = getattr(ds, table)
    rows = frame[illustrative_mask(frame)]
    derived = set(contract.DERIVED_COLUMNS.get(table, ()))
    columns = [c for c in rows.columns if c not in derived]
    return rows[columns].reset_index(drop=True)


def partly_illustrative(ds: Dataset) -> pd.DataFrame:
    """Return the sourced requests whose `illustrative_fields` name some of their columns."""
    from acpeu_data.filters import illustrative_mask

    requests = ds.requests
    if "illustrative_fields" not in requests:
        return requests.iloc[:0][["request_id"]]
    named = requests["illustrative_fields"].fillna("").astype(str).str.strip() != ""
    rows = requests[named.to_numpy() & ~illustrative_mask(requests)]
    return rows[["request_id", "requester", "title", "illustrative_fields", "source", "note"]]
