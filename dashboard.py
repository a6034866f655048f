"""Overview (/): the programme's headline figures for the current filter."""

import streamlit as st

from acpeu_data import charts, metrics, tables
from ui import page as ui_page
from ui.widgets import bar_chart, chart

page = ui_page.setup("Overview")
_ = page._
by_place = bool(page.filters.regions or page.filters.countries)
kpis = page.once(
    "kpis", metrics.kpis, page.requests, page.meetings, page.participation, by_place=by_place
)


def metric(column, label: str, value: str, note: str | None = None, **options) -> None:
    """A headline figure with, under it, what of it is illustrative (grey, no arrow)."""
    column.metric(label, value, delta=note, delta_color="off", delta_arrow="off", **options)


first, second = st.columns(4), st.columns(4)
metric(
    first[0], _("Requests"), page.number(kpis.requests), page.of_which(kpis.requests_illustrative)
)
metric(
    first[1],
    _("Governments"),
    page.number(kpis.governments),
    page.only_illustrative(kpis.governments_illustrative),
)
metric(
    first[2],
    _("Regional organisations"),
    page.number(kpis.regional_organisations),
    page.only_illustrative(kpis.regional_organisations_illustrative),
)
metric(
    first[3],
    _("Trafficking or smuggling"),
    page.percent(kpis.trafficking_or_smuggling_share),
    page.of_which(
        kpis.requests_illustrative,
        _("of {count} requests, {illustrative} illustrative"),
        kpis.requests,
    ),
    help=_(
        "Share of requests whose topics include trafficking in human beings or smuggling of migrants."
    ),
)
metric(
    second[0],
    _("Countries reached"),
    page.number(kpis.countries_reached),
    page.only_illustrative(kpis.countries_reached_illustrative),
)
metric(
    second[1],
    _("Programme meetings"),
    page.number(kpis.meetings),
    page.n("plus {count} related event", "plus {count} related events", kpis.related_events)
    if kpis.related_events
    else None,
    help=_(
        "Peer-to-peer, regional thematic and closing meetings of the programme. Related events "
        "(such as ACP-EU Dialogue seminars) are counted apart."
    ),
)
participants = page.number(kpis.participants)
if kpis.participants_more_than:
    participants = _("more than {count}").format(count=participants)
notes = [page.of_which(kpis.participants_illustrative)] if kpis.participants_illustrative else []
if kpis.meetings_unknown_total:
    notes.append(
        page.n(
            "{count} meeting's total unknown",
            "{count} meetings' totals unknown",
            kpis.meetings_unknown_total,
        ).format(count=page.number(kpis.meetings_unknown_total))
    )
metric(
    second[2],
    _("Participants"),
    participants,
    " · ".join(notes) or None,
    help=(
        _("Delegations from the chosen regions and countries at the programme meetings.")
        if by_place
        else _(
            "Participants of the programme meetings: the published total where there is one "
            "(a fact), else the sum of the delegations. Meetings whose total is unknown are "
            "left out, never counted as 0."
        )
    ),
)

st.markdown(tables.summary_text(kpis, page.filters, _, page.lang))

over_time = page.once("over_time", metrics.requests_over_time, page.requests, include_total=True)


def over_time_chart():
    fig = charts.cumulative_by_topic(over_time, _)
    return charts.retitled(fig, page.titled(fig.layout.title.text, kpis.requests_illustrative))


chart(
    page,
    page.once("over_time_chart", over_time_chart),
    page.once("over_time_numbers", tables.over_time_numbers, over_time, _),
    key="over_time",
)
regions = list(dict.fromkeys(page.dataset.countries["region"]))
by_region = page.once("by_region", metrics.requests_by_region, page.requests, regions)
colours = charts.region_colours(regions)
bar_chart(
    page,
    by_region,
    label="region",
    value="requests",
    title=page.titled(_("Requests by region of the requester"), kpis.requests_illustrative),
    colours=[colours[r] for r in by_region["region"]],
    label_title=_("Region"),
    value_title=_("Requests"),
    key="by_region",
)
