"""Pipeline (/pipeline): where the requests stand, how they move, how long each stage takes,
which open requests are oldest, and (with From and To) what happened in between."""

import datetime as dt

import streamlit as st

from acpeu_data import charts, contract, history, tables
from acpeu_data import filters as flt
from ui import page as ui_page
from ui.widgets import bar_chart, chart, downloads, table

page = ui_page.setup("Pipeline")
_ = page._
ds = page.dataset
f = page.filters
requests = page.requests
day = f.date_to
reference = day or dt.date.today()

h = history.history(ds)
if not ds.has_events:
    st.info(
        _(
            "Stages are estimated: the data has no status history (request_events.csv), so "
            "each request is taken to have had its status since it was received, and a "
            "completed request to have been ongoing from receipt to completion."
        ),
        icon=":material/info:",
    )
elif h.is_estimated:
    st.info(
        _(
            "Stages are estimated for {count} requests that have no rows in the status history "
            "(request_events.csv)."
        ).format(count=page.number(int(h.estimated.sum()))),
        icon=":material/info:",
    )
st.caption(
    _("Stages as of {day}.").format(day=page.date(day))
    if day
    else _("Stages as of today ({day}); set To in the filters for another day.").format(
        day=page.date(reference)
    )
)

# --- where the requests stand --------------------------------------------------------------
left, right = st.columns(2)
by_stage = page.once("by_stage", history.by_stage, requests)
with left:
    bar_chart(
        page,
        by_stage,
        label="label",
        value="requests",
        title=_("Requests by stage"),
        colours=[contract.STATUS_COLOURS[s] for s in by_stage["status"]],
        label_title=_("Stage"),
        value_title=_("Requests"),
        key="by_stage",
    )

# --- ageing of open requests -----------------------------------------------------------------
aged = page.once_rows("aged", history.ages, requests, day)
bands = page.once("age_bands", history.age_bands, aged)
with right:
    bar_chart(
        page,
        bands,
        label="label",
        value="requests",
        title=_("Open requests by days since receipt"),
        colours="#E69F00",
        label_title=_("Days since receipt"),
        value_title=_("Requests"),
        key="age_bands",
    )

st.header(_("Oldest open requests"), anchor=False)
st.caption(
    _(
        "Requests received, under review, approved or ongoing on {day}, oldest first: "
        "{count} in all."
    ).format(day=page.date(reference), count=page.number(len(aged)))
)
if len(aged):
    table(
        page,
        page.once_rows("aged_table", tables.ages_for_display, aged, _),
        column_config={
            "request_id": st.column_config.TextColumn(_("Request")),
            "requester": st.column_config.TextColumn(_("Requester")),
            "topics": st.column_config.TextColumn(_("Topics")),
            "status": st.column_config.TextColumn(_("Stage")),
            "received_on": st.column_config.DateColumn(_("Received"), format="YYYY-MM-DD"),
            "days": st.column_config.NumberColumn(_("Days since receipt")),
        },
    )
    downloads(
        page,
        "requests",
        lambda: history.open_requests(requests, aged),
        key="aged",
        rows=len(aged),
    )
else:
    st.info(_("No open request matches the filter."))

# --- the flow between stages over time ----------------------------------------------------------
st.header(_("Requests in each stage, month by month"), anchor=False)
months = page.once("stages_by_month", history.stages_by_month, ds, requests, day)
if len(months):
    chart(
        page,
        page.once(
            "stages_chart",
            charts.stages_over_time,
            months,
            _,
            title=_("Requests in each stage at the end of each month"),
            value_title=_("Requests"),
        ),
        page.once("stages_numbers", tables.stages_by_month_numbers, months, _),
        key="stages_over_time",
    )
    moves = page.once("moves", history.moves, ds, requests, day)
    with st.expander(_("Moves between stages"), icon=":material/swap_horiz:"):
        table(page, page.once("moves_table", tables.moves_for_display, moves, _))
else:
    st.info(_("No request matches the filter."))

# --- days per stage ---------------------------------------------------------------------------
st.header(_("Days spent in each stage"), anchor=False)
times = page.once("time_in_stage", history.time_in_stage, ds, requests, day)
if times["stays"].sum():
    chart(
        page,
        page.once(
            "stage_days_chart",
            charts.stage_days,
            times,
            _,
            title=_("Median days in each stage (line: the middle half of the stays)"),
            value_title=_("Days"),
        ),
        page.once("stage_days_numbers", tables.stage_days_numbers, times, _),
        key="stage_days",
    )
    st.caption(
        _(
            "Only stays that ended count (by {day}): a request still in a stage is in the "
            "ageing above."
        ).format(day=page.date(reference))
    )
else:
    st.info(_("No request of the filter has left a stage yet."))

# --- what changed between From and To ------------------------------------------------------------
st.header(_("What happened between two dates"), anchor=False)
if f.date_from and f.date_to:

    def _changes():
        # Requests received before From count too: what happened to them in between.
        wider = flt.filter_requests(ds, f.replace(date_from=None))
        return history.changes_between(ds, wider, f.date_from, f.date_to)

    changes = page.once_rows("changes", _changes)
    counts = page.once("change_counts", history.change_counts, changes)
    st.caption(
        _("From {start} to {end}, both days included.").format(
            start=page.date(f.date_from), end=page.date(f.date_to)
        )
    )
    columns = st.columns(len(history.KINDS))
    plural = {
        "new": _("New requests"),
        "change": _("Other status changes"),
        "completed": _("Completions"),
        "rejected": _("Rejections"),
        "withdrawn": _("Withdrawals"),
    }
    for column, kind in zip(columns, history.KINDS, strict=True):
        column.metric(plural[kind], page.number(counts[kind]))
    if len(changes):
        table(
            page,
            page.once_rows("changes_table", tables.changes_for_display, changes, history.KINDS, _),
            column_config={
                "changed_on": st.column_config.DateColumn(_("Day"), format="YYYY-MM-DD"),
                "request_id": st.column_config.TextColumn(_("Request")),
                "requester": st.column_config.TextColumn(_("Requester")),
                "kind": st.column_config.TextColumn(_("What happened")),
                "previous_status": st.column_config.TextColumn(_("From")),
                "status": st.column_config.TextColumn(_("To")),
            },
        )
        downloads(page, "request_events", changes, key="changes")
    else:
        st.info(_("Nothing happened to the filtered requests between these dates."))
else:
    st.info(
        _(
            "Set both From and To in the filters to list what happened in between: new "
            "requests, status changes, completions and rejections."
        ),
        icon=":material/date_range:",
    )
