"""Two dashboard servers on one PostgreSQL database show the same figures, and both follow a
change committed in the database after the (shortened) detection delay."""

from __future__ import annotations

import time

import psycopg
import sqlalchemy as sa

import acpeu_data as ad
from acpeu_data import __main__ as cli
from acpeu_data import database, headline_figures, i18n
from acpeu_data import filters as flt
from tests.browser.helpers import BUNDLED_DATA, browsing_context, start_app, stop_process

CHECK_SECONDS = 3
LABELS = ["Requests", "Governments", "Countries reached", "Programme meetings", "Participants"]


def shown_kpis(url: str) -> dict[str, str]:
    """The headline figures of the whole database, as the Overview writes them."""
    ds = ad.load(url)
    every = ad.Filters()
    kpis = headline_figures.kpis(
        flt.filter_requests(ds, every),
        flt.filter_meetings(ds, every),
        flt.filter_participation(ds, every),
    )
    values = {
        "Requests": kpis.requests,
        "Governments": kpis.governments,
        "Countries reached": kpis.countries_reached,
        "Programme meetings": kpis.meetings,
        "Participants": kpis.participants,
    }
    shown = {label: i18n.format_number(value, "en") for label, value in values.items()}
    if kpis.participants_more_than:  # a published total is a lower bound ("more than 50")
        shown["Participants"] = f"more than {shown['Participants']}"
    return shown


def commit_a_change(url: str) -> None:
    """Another writer: one new request (a copy of the first, new id) and 25 more participants."""
    parsed = sa.engine.make_url(url)
    with psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
    ) as connection:
        connection.execute(
            "INSERT INTO requests SELECT 'NEW-' || request_id, received_on, requester_type, "
            "requester, countries, topics, typology, status, completed_on, 'A new request', "
            "source, note FROM requests ORDER BY request_id LIMIT 1"
        )
        connection.execute(
            "UPDATE participation SET participants = participants + 25 WHERE ctid = "
            "(SELECT ctid FROM participation WHERE women IS NULL LIMIT 1)"
        )
        connection.commit()


def test_two_servers_on_one_database_agree_and_follow_a_committed_change(
    browser, postgres, tmp_path, monkeypatch
):
    url = postgres.create_database("shared")
    assert cli.main(["import", str(BUNDLED_DATA), url]) == 0
    monkeypatch.setenv(database.URL_ENV, url)
    monkeypatch.setenv(database.CHECK_ENV, str(CHECK_SECONDS))
    servers = []
    try:
        for name in ("one", "two"):
            servers.append(start_app(BUNDLED_DATA, tmp_path / f"{name}.log"))
        with (
            browsing_context(browser, servers[0].base_url) as one,
            browsing_context(browser, servers[1].base_url) as two,
        ):
            first, second = one.open("/"), two.open("/")
            before = shown_kpis(url)
            assert first.metric_values(LABELS) == before
            assert second.metric_values(LABELS) == before

            commit_a_change(url)
            after = shown_kpis(url)
            assert after["Requests"] != before["Requests"]
            assert after["Participants"] != before["Participants"]
            time.sleep(CHECK_SECONDS + 1)  # the detection delay has passed
            for app in (first, second):  # the next click on each server
                app.goto("/")
                assert app.metric_values(LABELS) == after

            data = one.open("/data")
            text = data.page.get_by_test_id("stMain").inner_text()
            assert database.display_url(url) in text
            assert postgres.url().split(":")[2].split("@")[0] not in text  # no password
            for browsing in (one, two):
                browsing.assert_clean()
    finally:
        for server in servers:
            stop_process(server.process)
