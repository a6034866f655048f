"""The page list (ui/navigation.py): every page declared once, the URLs people have shared kept,
and the sidebar's page links carrying the filter and the language."""

from __future__ import annotations

from pathlib import Path

from tests.test_pages import run_app
from ui import navigation

ROOT = Path(__file__).resolve().parent.parent
# The URL of every page since the first release: links people have shared must keep working.
URL_PATHS = {
    "Overview": "",
    "Requests": "requests",
    "Pipeline": "pipeline",
    "Countries": "countries",
    "Meetings": "meetings",
    "Data": "data",
}


def test_every_page_keeps_its_url():
    assert {entry.title: entry.url_path for entry in navigation.PAGES} == URL_PATHS


def test_every_page_script_is_in_the_list_once():
    scripts = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "app_pages").glob("*.py"))
    assert sorted(entry.file for entry in navigation.PAGES) == scripts


def test_the_page_links_carry_the_filter_and_the_language():
    app = run_app({"region": ["Caribbean"], "lang": ["fr"]}, page="app_pages/meetings.py")

    links = app.get("page_link")
    assert [link.proto.label for link in links] == [
        "Vue d'ensemble",
        "Demandes",
        "Cheminement des demandes",
        "Pays",
        "Réunions",
        "Données",
    ]
    assert {link.proto.query_string for link in links} == {"region=Caribbean&lang=fr"}
    assert app.title[0].value == "Réunions"
