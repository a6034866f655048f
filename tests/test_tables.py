"""Each reader's table declares its columns once (acpeu_data.tables): every column it builds."""

import datetime as dt

import pytest

import acpeu_data as ad
from acpeu_data import filters as flt
from acpeu_data import history, meeting_figures, request_figures, tables
from acpeu_data.i18n import translator

DS = ad.load()
_ = translator("en")


def _requests():
    return tables.requests_for_display(DS.requests, _, "en")


def _meetings():
    totals = meeting_figures.meeting_totals(DS.meetings, DS.participation)
    per_meeting = meeting_figures.participation_by_meeting(DS.meetings, DS.participation)
    return tables.meetings_for_display(DS.meetings, per_meeting, totals, _, "en")


def _ages():
    day = dt.date(2017, 6, 30)  # the statuses on that day: some requests are open
    requests = flt.filter_requests(DS, ad.Filters(date_to=day))
    return tables.ages_for_display(history.ages(requests, day), _)


def _changes():
    changes = history.changes_between(DS, DS.requests, dt.date(2016, 1, 1), dt.date(2018, 1, 1))
    return tables.changes_for_display(changes, history.KINDS, _)


def _profile_meetings():
    guyana = request_figures.country_profile("GUY", DS.requests, DS.meetings, DS.participation)
    return tables.profile_meetings_for_display(guyana.meetings, _)


@pytest.mark.parametrize(
    ("build", "columns"),
    [
        (_requests, tables.REQUEST_COLUMNS),
        (_requests, tables.PROFILE_REQUEST_COLUMNS),
        (_meetings, tables.MEETING_COLUMNS),
        (_ages, tables.AGE_COLUMNS),
        (_changes, tables.CHANGE_COLUMNS),
        (_profile_meetings, tables.PROFILE_MEETING_COLUMNS),
    ],
)
def test_every_column_a_table_builds_is_declared(build, columns):
    frame = build()
    assert len(frame) > 0
    assert set(frame.columns) == set(columns)
    assert {c.kind for c in columns.values()} <= {"text", "number", "percent", "date", "link"}


def test_illustrative_fields_are_named_by_their_column_labels():
    shown = set(_requests()["illustrative_fields"])
    assert "Typology, Status, Completed" in shown or any("Received" in s for s in shown)
    assert not any("completed_on" in s for s in shown)
