"""Meetings (/meetings): where the programme's meetings were, and who took part (counts only)."""

import streamlit as st

from acpeu_data import charts, contract, metrics, tables
from ui import page as ui_page
from ui.widgets import bar_chart, chart, downloads, source_column, table

page = ui_page.setup("Meetings")
_ = page._
meetings, participation = page.meetings, page.participation
by_place = bool(page.filters.regions or page.filters.countries)
totals = page.once_rows(
    "totals", metrics.meeting_totals, meetings, participation, use_reported=not by_place
)
made_up = page.once("illustrative", metrics.illustrative_participants, participation)

venues = page.once("venues", metrics.venues, meetings, totals)
links = page.once("links", metrics.meeting_links, meetings, participation)
unknown = int(totals["total"].isna().sum())
map_title = page.titled(
    _("Meeting venues and where delegations came from"), int(venues["illustrative"].sum())
)
chart(
    page,
    page.once("map", charts.meetings_map, venues, links, _, map_title),
    page.once(
        "map_numbers",
        tables.numbers,
        venues,
        {
            "city": _("City"),
            "country_name": _("Country"),
            "meetings": _("Meetings"),
            "participants": _("Participants"),
            "illustrative": _("Of which illustrative"),
            "unknown": _("Meetings with an unknown total"),
        },
    ),
    key="meetings_map",
    geo=True,
)
map_notes = []
if by_place:
    map_notes.append(_("Bubbles: the delegations from the chosen regions and countries."))
else:
    map_notes.append(
        _(
            "Bubbles: a meeting's published total where there is one, else the sum of its "
            "delegations."
        )
    )
if made_up:
    map_notes.append(
        _(
            "The delegations' lines are illustrative, and so are {count} of the participants "
            "in the bubbles."
        ).format(count=page.number(int(venues["illustrative"].sum())))
    )
if unknown:
    map_notes.append(
        page.n(
            "{count} meeting with an unknown total adds nothing to its bubble.",
            "{count} meetings with an unknown total add nothing to their bubbles.",
            unknown,
        )
    )
st.caption(" ".join(map_notes))

st.header(_("Meetings"), anchor=False)
table(
    page,
    page.once_rows(
        "table",
        tables.meetings_for_display,
        meetings,
        page.once_rows("by_meeting", metrics.participation_by_meeting, meetings, participation),
        totals,
        _,
        page.lang,
    ),
    column_config={
        "start_date": st.column_config.DateColumn(_("Start"), format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn(_("End"), format="YYYY-MM-DD"),
        "title": st.column_config.TextColumn(_("Meeting"), width="medium"),
        "kind": st.column_config.TextColumn(_("Kind")),
        "city": st.column_config.TextColumn(_("City")),
        "country": st.column_config.TextColumn(_("Country")),
        "participants": st.column_config.TextColumn(
            _("Participants"),
            help=_(
                "The published total where there is one, else the sum of the delegations "
                "(marked illustrative when they are); unknown when neither exists."
            ),
        ),
        "reported_source": source_column(page, _("Source of the total")),
        "delegations": st.column_config.NumberColumn(_("Sum of delegations")),
        "delegations_source": st.column_config.TextColumn(_("Delegations' source")),
        "women_share": st.column_config.NumberColumn(
            _("Women"),
            format="percent",
            help=_("Among the participants whose gender was reported (next column)."),
        ),
        "women_covered": st.column_config.NumberColumn(_("Gender reported for")),
        "source": source_column(page),
        "note": st.column_config.TextColumn(_("Note"), width="large"),
    },
)
programme = int(totals["programme"].sum())
st.caption(
    " ".join(
        [
            page.n("{count} programme meeting", "{count} programme meetings", programme)
            + "; "
            + page.n(
                "{count} related event (not counted as a programme meeting).",
                "{count} related events (not counted as programme meetings).",
                len(totals) - programme,
            ),
            _("Unknown totals are shown as unknown and left out of every sum, never as 0."),
        ]
    )
)
downloads(page, "meetings", meetings, key="meetings")

regions = [*dict.fromkeys(page.dataset.countries["region"]), contract.NON_ACP]


def participants_by_region():
    by_region = metrics.participation_by_region(meetings, participation)
    shown = metrics.largest_meetings(by_region)
    if len(shown) == len(by_region):
        title = _("Participants per meeting, by region of the delegation")
    else:
        title = _(
            "Participants in the {shown} largest of {count} meetings, by region of the delegation"
        ).format(
            shown=page.number(shown["meeting_id"].nunique()),
            count=page.number(by_region["meeting_id"].nunique()),
        )
    fig = charts.stacked_bar(
        shown.assign(series=shown["region"].map(_)),
        category="title",
        series="series",
        value="participants",
        title=page.titled(title, made_up),
        colours={_(r): c for r, c in charts.region_colours(regions).items()},
        value_title=_("Participants"),
    )
    numbers = tables.numbers(
        by_region,
        {"title": _("Meeting"), "region": _("Region"), "participants": _("Participants")},
        translate=_,
    )
    return fig, numbers


fig, numbers = page.once_rows("by_region", participants_by_region)
chart(page, fig, numbers, key="by_region")
left, right = st.columns(2)
with left:
    by_type = page.once("by_type", metrics.participation_by_stakeholder_type, participation)
    bar_chart(
        page,
        by_type,
        label="label",
        value="participants",
        title=page.titled(_("Participants by stakeholder type"), made_up),
        colours="#CC79A7",
        label_title=_("Stakeholder type"),
        value_title=_("Participants"),
        key="by_type",
    )
with right:
    women = page.once("women", metrics.women_share, participation)
    coverage = _("of the {covered} participants whose gender was reported (of {total})").format(
        covered=page.number(women.covered), total=page.number(women.participants)
    )
    if women.illustrative:
        coverage += " · " + page.of_which(women.illustrative)
    st.metric(
        _("Women among participants"),
        page.percent(women.share) if women.share is not None else _("unknown"),
        delta=coverage,
        delta_color="off",
        delta_arrow="off",
        help=_(
            "A delegation that reported no women counts as 0; one that did not report its "
            "gender is left out of the share."
        ),
    )
st.caption(_("Participation is counted per delegation: no names or other personal data are kept."))
downloads(page, "participation", participation, key="participation")
