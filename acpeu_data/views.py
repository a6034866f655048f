"""What each page shows, declared once as plain data: the pages draw it, the reports print it.

A page's content is a `Section`: its headline figures, its charts (each with the table of its
numbers) and its plain-words text, built from the same aggregates (request_figures, meeting_figures, headline_figures), figure builders
(charts) and reader's tables (tables) the dashboard uses. `PAGES` maps a page's title (the
English msgid the sidebar lists) to its builder; a page without one is reported by title only.
No Streamlit here: ui/ memoizes a section per filter state and lays it out, acpeu_data/report.py
prints it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from acpeu_data import (
    arrays,
    charts,
    contract,
    headline_figures,
    history,
    i18n,
    meeting_figures,
    request_figures,
    tables,
)
from acpeu_data import filters as flt
from acpeu_data.dataset import Dataset
from acpeu_data.filters import Filters
from acpeu_data.validate import N_


@dataclass(frozen=True)
class Headline:
    """One headline figure: its label, its value as text, and what it means (may be empty)."""

    key: str
    label: str
    value: str
    help: str = ""
    note: str = ""  # what of it is illustrative or unknown ("of which 56 illustrative")


@dataclass(frozen=True)
class Chart:
    """A figure and the table of its numbers; `figure` is None for a table on its own.

    `numbers_from` is the table, or a function that makes it when `numbers` is first read: a
    page shows a chart's numbers only while their expander is open, a report always prints
    them. Such a function holds the chart's aggregates only, never the filtered rows (a
    section is kept in ui.memo).
    """

    key: str
    title: str
    figure: charts.Figure | None
    numbers_from: pd.DataFrame | Callable[[], pd.DataFrame] = field(repr=False)
    geo: bool = False

    @cached_property
    def numbers(self) -> pd.DataFrame:
        """The table of the figure's numbers (made once, when first read)."""
        made = self.numbers_from
        return made if isinstance(made, pd.DataFrame) else made()


@dataclass(frozen=True)
class Note:
    """A line under a page's charts (a report prints every note as a note).

    `shown_as_info`: the page shows it as an info box, in the place of what it explains (the
    chart there is no data for), not as a note of its own.
    """

    text: str
    shown_as_info: bool = False


@dataclass
class Section:
    """What one page shows for a filter, in one language."""

    page: str  # the page's English title (the key in PAGES)
    title: str  # translated
    headlines: list[Headline] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def headline(self, key: str) -> Headline:
        return next(h for h in self.headlines if h.key == key)

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)

    def find_chart(self, key: str) -> Chart | None:
        """Return the chart, or None where the section has none (nothing to draw it from)."""
        return next((c for c in self.charts if c.key == key), None)


class View:
    """The inputs of a page: the data, the filter and the language; filtered rows made once.

    `rows(table)` gives a table's filtered rows (the Streamlit layer passes its memo's);
    by default they are filtered here, each when first needed. `shared(name, build)` gives
    what a page needs beside its section (meeting totals, open requests' ages): the Streamlit
    layer passes its memo, so that the section and the page build it once; by default it is
    built here.
    """

    def __init__(
        self,
        dataset: Dataset,
        filters: Filters,
        lang: str,
        *,
        rows: Callable[[str], pd.DataFrame] | None = None,
        shared: Callable[[str, Callable[[], pd.DataFrame]], pd.DataFrame] | None = None,
    ):
        self.dataset, self.filters, self.lang = dataset, filters, i18n.normalise_language(lang)
        self._ = i18n.translator(self.lang)
        self._rows = rows or self._filter
        self._shared = shared or (lambda _name, build: build())

    def _filter(self, table: str) -> pd.DataFrame:
        apply = {
            "requests": flt.filter_requests,
            "meetings": flt.filter_meetings,
            "participation": flt.filter_participation,
        }[table]
        return apply(self.dataset, self.filters)

    @cached_property
    def requests(self) -> pd.DataFrame:
        return self._rows("requests")

    @cached_property
    def meetings(self) -> pd.DataFrame:
        return self._rows("meetings")

    @cached_property
    def participation(self) -> pd.DataFrame:
        return self._rows("participation")

    @cached_property
    def totals(self) -> pd.DataFrame:
        """meeting_figures.meeting_totals of the filtered meetings: the published totals, or
        with places chosen (by_place) the delegations from them."""
        return self._shared(
            "meeting_totals",
            lambda: meeting_figures.meeting_totals(
                self.meetings, self.participation, use_reported=not by_place(self)
            ),
        )

    @cached_property
    def ages(self) -> pd.DataFrame:
        """history.ages of the filtered requests on To (or today): the open ones, oldest first."""
        return self._shared("ages", lambda: history.ages(self.requests, self.filters.date_to))

    @cached_property
    def regions(self) -> list[str]:
        return contract.region_order(self.dataset.countries)

    def number(self, value: float) -> str:
        return i18n.format_number(value, self.lang)

    def percent(self, share: float | None) -> str:
        return i18n.format_percent(share, self.lang)

    def date(self, value: dt.date | None) -> str:
        return i18n.format_date(value, self.lang)

    def n(self, singular: str, plural: str, count: int) -> str:
        """Return the plural form for count, translated, with {count} filled in."""
        return i18n.ngettext(self.lang)(singular, plural, count).format(count=self.number(count))

    def of_which(self, illustrative: int) -> str:
        return of_which(self._, self.lang, illustrative) or ""

    def titled(self, title: str, illustrative: int) -> str:
        """Return a figure title with a second line saying how many are illustrative."""
        return charts.with_note(title, self.of_which(illustrative))


def no_rows(ds: Dataset, table: str) -> pd.DataFrame:
    """Return none of a table's rows: the same empty frame each time, so that what is
    computed from it (acpeu_data.arrays) is computed once."""
    return arrays.cached(
        getattr(ds, table), "no rows", lambda frame: frame.iloc[:0], from_root=False
    )


def of_which(
    _, lang: str, illustrative: int, template: str | None = None, count: int = 0
) -> str | None:
    """Return "of which N illustrative" (None when nothing is illustrative).

    A template (translated already) may name {count} and {illustrative}.
    """
    if not illustrative:
        return None
    number = lambda v: i18n.format_number(v, lang)  # noqa: E731
    if template is not None:
        return template.format(count=number(count), illustrative=number(illustrative))
    return _("of which {count} illustrative").format(count=number(illustrative))


def only_illustrative(view: View, count: int) -> str:
    """Return "N only in illustrative records" ("" when there is none)."""
    if not count:
        return ""
    return view._("{count} only in illustrative records").format(count=view.number(count))


def _chart(
    key: str,
    fig: charts.Figure,
    numbers: pd.DataFrame | Callable[[], pd.DataFrame],
    geo: bool = False,
) -> Chart:
    return Chart(key, charts.plain_title(charts.title_of(fig)), fig, numbers, geo=geo)


def by_place(view: View) -> bool:
    """Return whether the filter chooses places (participants are then delegations' counts)."""
    return bool(view.filters.regions or view.filters.countries)


def participants_value(view: View, k: headline_figures.Kpis) -> str:
    value = view.number(k.participants)
    return view._("more than {count}").format(count=value) if k.participants_more_than else value


def participants_note(view: View, k: headline_figures.Kpis) -> str:
    notes = [view.of_which(k.participants_illustrative)] if k.participants_illustrative else []
    if k.meetings_unknown_total:
        notes.append(
            view.n(
                "{count} meeting's total unknown",
                "{count} meetings' totals unknown",
                k.meetings_unknown_total,
            )
        )
    return " · ".join(notes)


def participants_help(view: View) -> str:
    _ = view._
    if by_place(view):
        return _("Delegations from the chosen regions and countries at the programme meetings.")
    return _(
        "Participants of the programme meetings: the published total where there is one "
        "(a fact), else the sum of the delegations. Meetings whose total is unknown are "
        "left out, never counted as 0."
    )


def programme_meetings(view: View, k: headline_figures.Kpis) -> Headline:
    _ = view._
    return Headline(
        "meetings",
        _("Programme meetings"),
        view.number(k.meetings),
        _(
            "Peer-to-peer, regional thematic and closing meetings of the programme. Related "
            "events (such as ACP-EU Dialogue seminars) are counted apart."
        ),
        view.n("plus {count} related event", "plus {count} related events", k.related_events)
        if k.related_events
        else "",
    )


def filter_line(view: View) -> str:
    """Return the line that says what is filtered, e.g. 'Caribbean · Trafficking: 12 of 71 requests'."""
    _ = view._
    f = view.filters
    parts = flt.describe_parts(f, view.lang)
    if f.date_from and f.date_to:
        parts.append(
            _("{start} to {end}").format(start=view.date(f.date_from), end=view.date(f.date_to))
        )
    elif f.date_from:
        parts.append(_("from {start}").format(start=view.date(f.date_from)))
    elif f.date_to:
        parts.append(_("up to {end}").format(end=view.date(f.date_to)))
    shown, total = len(view.requests), len(view.dataset.requests)
    if not parts:
        return _("All data: {total} requests").format(total=view.number(total))
    line = _("{filters}: {shown} of {total} requests").format(
        filters=" · ".join(parts), shown=view.number(shown), total=view.number(total)
    )
    return line[:1].upper() + line[1:]


def labelled_bar(
    view: View,
    frame: pd.DataFrame,
    *,
    key: str,
    title: str,
    colours: list[str] | str,
    label_title: str,
    label: str = "label",
    value: str = "requests",
    value_title: str = N_("Requests"),
) -> Chart:
    """Return counts per category as bars (labels translated) with the table of their numbers;
    by default requests (`frame`'s `label` and `requests` columns). `value_title` is a msgid."""
    _ = view._
    labels = [_(code) for code in frame[label].tolist()]
    values = frame[value].to_numpy()
    fig = charts.bars(labels, values, title=title, colours=colours, value_title=_(value_title))
    numbers = functools.partial(
        pd.DataFrame, {label_title: labels, _(value_title): values}, index=frame.index
    )
    return Chart(key, charts.plain_title(title), fig, numbers)


def _by_region(view: View) -> Chart:
    _ = view._
    made_up = headline_figures.illustrative_count(view.requests)
    by_region = request_figures.requests_by_region(view.requests, view.regions)
    colours = charts.region_colours(view.regions)
    return labelled_bar(
        view,
        by_region,
        key="by_region",
        label="region",
        title=view.titled(_("Requests by region of the requester"), made_up),
        colours=[colours[r] for r in by_region["region"]],
        label_title=_("Region"),
    )


def overview(view: View) -> Section:
    """The Overview page: headline figures, a summary in words, requests over time and by region."""
    _ = view._
    k = headline_figures.kpis(
        view.requests,
        view.meetings,
        view.participation,
        by_place=by_place(view),
        totals=view.totals,
    )
    section = Section("Overview", _("Overview"))
    share_note = of_which(
        _,
        view.lang,
        k.requests_illustrative,
        _("of {count} requests, {illustrative} illustrative"),
        k.requests,
    )
    section.headlines = [
        Headline(
            "requests",
            _("Requests"),
            view.number(k.requests),
            note=view.of_which(k.requests_illustrative),
        ),
        Headline(
            "governments",
            _("Governments"),
            view.number(k.governments),
            note=only_illustrative(view, k.governments_illustrative),
        ),
        Headline(
            "regional_organisations",
            _("Regional organisations"),
            view.number(k.regional_organisations),
            note=only_illustrative(view, k.regional_organisations_illustrative),
        ),
        Headline(
            "trafficking_or_smuggling",
            _("Trafficking or smuggling"),
            view.percent(k.trafficking_or_smuggling_share),
            _(
                "Share of requests whose topics include trafficking in human beings or "
                "smuggling of migrants."
            ),
            note=share_note or "",
        ),
        Headline(
            "countries_reached",
            _("Countries reached"),
            view.number(k.countries_reached),
            note=only_illustrative(view, k.countries_reached_illustrative),
        ),
        programme_meetings(view, k),
        Headline(
            "participants",
            _("Participants"),
            participants_value(view, k),
            participants_help(view),
            participants_note(view, k),
        ),
    ]
    section.text = [tables.summary_text(k, view.filters, _, view.lang)]
    over_time = request_figures.requests_over_time(view.requests, include_total=True)
    fig = charts.cumulative_by_topic(over_time, _, view.of_which(k.requests_illustrative))
    section.charts = [
        _chart("over_time", fig, functools.partial(tables.over_time_numbers, over_time, _)),
        _by_region(view),
    ]
    return section


def requests(view: View) -> Section:
    """The Requests page's charts: topics, types, statuses, regions, time to completion, SDGs."""
    _ = view._
    rows = view.requests
    made_up = headline_figures.illustrative_count(rows)
    field = lambda name: headline_figures.illustrative_count(rows, name)  # noqa: E731
    by_topic = request_figures.requests_by_topic(rows)
    section = Section("Requests", _("Requests"))
    section.headlines = [
        Headline("requests", _("Requests"), view.number(len(rows)), note=view.of_which(made_up))
    ]
    section.charts = [
        labelled_bar(
            view,
            by_topic,
            key="by_topic",
            title=view.titled(_("Requests by topic (a request can have several)"), made_up),
            colours=[contract.TOPIC_COLOURS[t] for t in by_topic["topic"]],
            label_title=_("Topic"),
        ),
        labelled_bar(
            view,
            request_figures.requests_by_status(rows),
            key="by_status",
            title=view.titled(_("Requests by status"), field("status")),
            colours="#56B4E9",
            label_title=_("Status"),
        ),
        labelled_bar(
            view,
            request_figures.requests_by_typology(rows),
            key="by_typology",
            title=view.titled(_("Requests by type of assistance"), field("typology")),
            colours="#009E73",
            label_title=_("Type of assistance"),
        ),
        _by_region(view),
    ]
    times = request_figures.completion_times(rows)
    summary = request_figures.completion_summary(times)
    if summary.count:
        section.headlines += [
            Headline("completed", _("Completed requests"), view.number(summary.count)),
            Headline("median_days", _("Median days to complete"), view.number(summary.median)),
            Headline("mean_days", _("Average days to complete"), view.number(summary.mean)),
        ]
        bins = request_figures.completion_bins(times)
        title = view.titled(_("Days from received to completed"), field("completed_on"))
        section.charts.append(
            _chart(
                "completion",
                charts.histogram(
                    bins, title=title, value_title=_("Days"), count_title=_("Requests")
                ),
                functools.partial(
                    tables.numbers, bins, {"label": _("Days"), "requests": _("Requests")}
                ),
            )
        )
    else:
        section.notes.append(
            Note(_("No completed request matches the filter."), shown_as_info=True)
        )
    sdg = request_figures.sdg_targets(rows)
    section.charts.append(
        Chart(
            "sdg",
            _("Sustainable Development Goal targets the requests touch"),
            None,
            tables.numbers(
                sdg,
                {"target": _("SDG target"), "description": _("Target"), "requests": _("Requests")},
                translate=_,
            ),
        )
    )
    if made_up:
        section.notes.append(
            Note(
                _("Of the {count} requests counted, {illustrative} are illustrative.").format(
                    count=view.number(len(rows)), illustrative=view.number(made_up)
                )
            )
        )
    section.notes.append(Note(_(contract.SDG_SOURCE)))
    return section


def countries(view: View) -> Section:
    """The Countries page: requests per country on a world map, with its numbers."""
    _ = view._
    by_country = tables.countries_for_map(
        request_figures.requests_by_country(view.dataset, view.requests),
        view.filters.regions,
        view.lang,
    )
    made_up = headline_figures.illustrative_count(view.requests)
    fig = charts.requests_map(
        by_country, _, fit=bool(view.filters.regions), note=view.of_which(made_up)
    )
    numbers = functools.partial(
        tables.numbers,
        by_country,
        {
            "name": _("Country"),
            "region": _("Region"),
            "direct": _("Direct requests"),
            "via_regional_organisation": _("Requests of its regional organisations"),
        },
        translate=_,
    )
    # The requests' figures only: no meetings filtered for this page.
    reached, reached_made_up = headline_figures.countries_reached(view.requests)
    section = Section("Countries", _("Countries"))
    section.headlines = [
        Headline(
            "countries_reached",
            _("Countries reached"),
            view.number(reached),
            note=only_illustrative(view, reached_made_up),
        )
    ]
    section.charts = [_chart("map", fig, numbers, geo=True)]
    if made_up:
        section.notes.append(
            Note(
                _(
                    "{illustrative} of the {count} requests on this map are illustrative (not from "
                    "a public source); the switch 'Public sources only' leaves them out."
                ).format(count=view.number(len(view.requests)), illustrative=view.number(made_up))
            )
        )
    return section


def participants_by_region(view: View) -> Chart:
    """Participants per meeting by region of the delegation (the largest meetings if many)."""
    _ = view._
    by_region = meeting_figures.participation_by_region(view.meetings, view.participation)
    shown = meeting_figures.largest_meetings(by_region)
    if len(shown) == len(by_region):
        title = _("Participants per meeting, by region of the delegation")
    else:
        title = _(
            "Participants in the {shown} largest of {count} meetings, by region of the delegation"
        ).format(
            shown=view.number(shown["meeting_id"].nunique()),
            count=view.number(by_region["meeting_id"].nunique()),
        )
    regions = [*view.regions, contract.NON_ACP]
    title = view.titled(title, meeting_figures.illustrative_participants(view.participation))
    fig = charts.stacked_bar(
        shown,
        category="title",
        series="region",
        value="participants",
        title=title,
        colours={_(r): c for r, c in charts.region_colours(regions).items()},
        value_title=_("Participants"),
        translate=_,
    )
    numbers = functools.partial(
        tables.numbers,
        by_region,
        {"title": _("Meeting"), "region": _("Region"), "participants": _("Participants")},
        translate=_,
    )
    return Chart("by_region", charts.plain_title(title), fig, numbers)


def meetings(view: View) -> Section:
    """The Meetings page: venues and routes, participation by region and stakeholder type."""
    _ = view._
    totals = view.totals
    made_up = meeting_figures.illustrative_participants(view.participation)
    venues = meeting_figures.venues(view.meetings, totals)
    links = meeting_figures.meeting_links(view.meetings, view.participation)
    title = view.titled(
        _("Meeting venues and where delegations came from"), int(venues["illustrative"].sum())
    )
    fig = charts.meetings_map(venues, links, _, title)
    women = meeting_figures.women_share(view.participation)
    # Only the meetings' figures are used here: no requests (filtering them was a sixth of
    # this section at a million requests).
    k = headline_figures.kpis(
        no_rows(view.dataset, "requests"),
        view.meetings,
        view.participation,
        by_place=by_place(view),
        totals=totals,
    )
    coverage = _("of the {covered} participants whose gender was reported (of {total})").format(
        covered=view.number(women.covered), total=view.number(women.participants)
    )
    if women.illustrative:
        coverage += " · " + view.of_which(women.illustrative)
    section = Section("Meetings", _("Meetings"))
    section.headlines = [
        programme_meetings(view, k),
        Headline(
            "participants",
            _("Participants"),
            participants_value(view, k),
            participants_help(view),
            participants_note(view, k),
        ),
        Headline(
            "women",
            _("Women among participants"),
            view.percent(women.share) if women.share is not None else _("unknown"),
            _(
                "A delegation that reported no women counts as 0; one that did not report its "
                "gender is left out of the share."
            ),
            coverage,
        ),
    ]
    section.charts = [
        _chart(
            "map",
            fig,
            functools.partial(
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
            geo=True,
        ),
        participants_by_region(view),
        labelled_bar(
            view,
            meeting_figures.participation_by_stakeholder_type(view.participation),
            key="by_type",
            value="participants",
            title=view.titled(_("Participants by stakeholder type"), made_up),
            colours="#CC79A7",
            label_title=_("Stakeholder type"),
            value_title=N_("Participants"),
        ),
    ]
    notes = []
    if by_place(view):
        notes.append(_("Bubbles: the delegations from the chosen regions and countries."))
    else:
        notes.append(
            _(
                "Bubbles: a meeting's published total where there is one, else the sum of its "
                "delegations."
            )
        )
    if made_up:
        notes.append(
            _(
                "The delegations' lines are illustrative, and so are {count} of the participants "
                "in the bubbles."
            ).format(count=view.number(int(venues["illustrative"].sum())))
        )
    unknown = int(totals["total"].isna().sum())
    if unknown:
        notes.append(
            view.n(
                "{count} meeting with an unknown total adds nothing to its bubble.",
                "{count} meetings with an unknown total add nothing to their bubbles.",
                unknown,
            )
        )
    section.notes.append(Note(" ".join(notes)))
    section.notes.append(
        Note(
            _("Participation is counted per delegation: no names or other personal data are kept.")
        )
    )
    return section


def pipeline(view: View) -> Section:
    """The Pipeline page: stages as of To (or today), ageing, stages by month, days per stage,
    and with From and To both set what happened in between (acpeu_data.history)."""
    _ = view._
    ds, f, requests = view.dataset, view.filters, view.requests
    day = f.date_to
    reference = day or dt.date.today()
    section = Section("Pipeline", _("Pipeline"))
    h = history.history(ds)
    if not ds.has_events:
        section.notes.append(
            Note(
                _(
                    "Stages are estimated: the data has no status history (request_events.csv), so "
                    "each request is taken to have had its status since it was received, and a "
                    "completed request to have been ongoing from receipt to completion."
                )
            )
        )
    elif h.is_estimated:
        section.notes.append(
            Note(
                _(
                    "Stages are estimated for {count} requests that have no rows in the status "
                    "history (request_events.csv)."
                ).format(count=view.number(int(h.estimated.sum())))
            )
        )
    section.text.append(
        _("Stages as of {day}.").format(day=view.date(day))
        if day
        else _("Stages as of today ({day}); set To in the filters for another day.").format(
            day=view.date(reference)
        )
    )
    by_stage = history.by_stage(requests)
    bands = history.age_bands(view.ages)
    section.charts = [
        labelled_bar(
            view,
            by_stage,
            key="by_stage",
            title=_("Requests by stage"),
            colours=[contract.STATUS_COLOURS[s] for s in by_stage["status"]],
            label_title=_("Stage"),
        ),
        labelled_bar(
            view,
            bands,
            key="age_bands",
            title=_("Open requests by days since receipt"),
            colours="#E69F00",
            label_title=_("Days since receipt"),
        ),
    ]
    months = history.stages_by_month(ds, requests, day)
    if len(months):
        title = _("Requests in each stage at the end of each month")
        section.charts.append(
            Chart(
                "stages_over_time",
                title,
                charts.stages_over_time(months, _, title=title, value_title=_("Requests")),
                functools.partial(tables.stages_by_month_numbers, months, _),
            )
        )
        section.charts.append(
            Chart(
                "moves",
                _("Moves between stages"),
                None,
                tables.moves_for_display(history.moves(ds, requests, day), _),
            )
        )
    times = history.time_in_stage(ds, requests, day)
    if times["stays"].sum():
        title = _("Median days in each stage (line: the middle half of the stays)")
        section.charts.append(
            Chart(
                "stage_days",
                title,
                charts.stage_days(times, _, title=title, value_title=_("Days")),
                functools.partial(tables.stage_days_numbers, times, _),
            )
        )
    if f.date_from and f.date_to:
        counts = history.change_counts(changes_between(view))
        plural = {
            "new": _("New requests"),
            "change": _("Other status changes"),
            "completed": _("Completions"),
            "rejected": _("Rejections"),
            "withdrawn": _("Withdrawals"),
        }
        section.headlines = [
            Headline(kind, plural[kind], view.number(counts[kind])) for kind in history.KINDS
        ]
    return section


def changes_between(view: View) -> pd.DataFrame:
    """Return what happened to the filtered requests between From and To (both must be set).

    Requests received before From count too: what happened to them in between.
    """
    f = view.filters
    assert f.date_from is not None and f.date_to is not None  # the Pipeline page asks only then
    wider = flt.filter_requests(view.dataset, f.replace(date_from=None))
    return history.changes_between(view.dataset, wider, f.date_from, f.date_to)


# The pages' content by title. A page added to the dashboard adds its builder here to be
# printed in full; until then a report lists it by title with a note.
PAGES: dict[str, Callable[[View], Section]] = {
    "Overview": overview,
    "Requests": requests,
    "Pipeline": pipeline,
    "Countries": countries,
    "Meetings": meetings,
}
