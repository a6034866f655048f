"""A data folder broken by an OS error of each kind (issue 16): a banner, no traceback, and the
folder's last good data stays on screen.

The server runs without root's power to read anything (setpriv drops it), as a service account
would, so that permissions apply. Each kind is staged on the live folder, seen in a new
browser session, then undone.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest

import acpeu_data as ad
from tests.browser.helpers import AppServer, browsing_context, start_app, stop_process

DROP_READ_ALL = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, copy_bundled_data) -> Path:
    """The bundled data less its last request: its count tells it from the bundled data."""
    folder = copy_bundled_data(tmp_path_factory.mktemp("served") / "programme")
    path = folder / "requests.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[:-1])
    path.write_text(out.getvalue(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def app_server(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    prefix = DROP_READ_ALL if os.geteuid() == 0 else ()
    server = start_app(data_dir, tmp_path_factory.mktemp("server") / "streamlit.log", prefix)
    try:
        yield server
    finally:
        stop_process(server.process)


def _replace(path: Path, make: Callable[[Path], object]) -> Callable[[], None]:
    """Put something else in place of the file at `path`; return how to put the file back."""
    saved = path.with_name(path.name + ".saved")
    path.rename(saved)
    make(path)

    def undo() -> None:
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        elif path.exists() or path.is_symlink():
            path.unlink()
        saved.rename(path)

    return undo


def _socket(path: Path) -> Callable[[], None]:
    server = socket.socket(socket.AF_UNIX)
    saved = path.with_name(path.name + ".saved")
    path.rename(saved)
    server.bind(str(path))

    def undo() -> None:
        server.close()
        path.unlink()
        saved.rename(path)

    return undo


def _chmod(path: Path) -> Callable[[], None]:
    mode = path.stat().st_mode
    path.chmod(0)
    return lambda: path.chmod(mode)


def _file_for_folder(folder: Path) -> Callable[[], None]:
    saved = folder.with_name(folder.name + ".saved")
    folder.rename(saved)
    shutil.copyfile(saved / "requests.csv", folder)

    def undo() -> None:
        folder.unlink()
        saved.rename(folder)

    return undo


BREAKS: dict[str, tuple[Callable[[Path], Callable[[], None]], str]] = {
    # kind: (how to break the folder, the file the banner names)
    "missing": (lambda d: _replace(d / "requests.csv", lambda p: None), "requests.csv"),
    "a folder": (lambda d: _replace(d / "requests.csv", Path.mkdir), "requests.csv"),
    "a FIFO": (lambda d: _replace(d / "requests.csv", os.mkfifo), "requests.csv"),
    "a device": (
        lambda d: _replace(d / "requests.csv", lambda p: p.symlink_to("/dev/zero")),
        "requests.csv",
    ),
    "a socket": (lambda d: _socket(d / "meetings.csv"), "meetings.csv"),
    "an unreadable file": (lambda d: _chmod(d / "meetings.csv"), "meetings.csv"),
    "an unreadable folder": (_chmod, "programme"),
    "a file instead of the folder": (_file_for_folder, "programme"),
}


@pytest.fixture(scope="module")
def seen_good(browser, app_url: str, data_dir: Path) -> int:
    """Open the app once while the folder is good (so the server has its last good data)."""
    good = len(ad.load(data_dir).requests)
    with browsing_context(browser, app_url) as browsing:
        app = browsing.open("/")
        app.expect_metric("Requests", str(good))
        assert app.page.get_by_test_id("stAlertContentError").count() == 0
        assert app.exceptions() == []
        browsing.assert_clean()
    return good


def test_the_folder_is_used_while_it_is_good(seen_good, data_dir):
    assert seen_good == len(ad.load(data_dir).requests) != len(ad.load().requests)


@pytest.mark.parametrize("kind", list(BREAKS))
def test_a_broken_folder_shows_a_banner_and_its_last_good_data(seen_good, browsing, data_dir, kind):
    good = seen_good  # the last good data, not the bundled data
    breaking, named = BREAKS[kind]
    undo = breaking(data_dir)
    try:
        app = browsing.open("/")  # a new visitor (session), after the folder broke
        banner = app.page.get_by_test_id("stAlertContentError")
        banner.first.wait_for()
        assert banner.count() == 1
        assert "programme" in banner.inner_text() and "last good data" in banner.inner_text()
        assert str(data_dir.parent) not in app.page.content()  # no server path
        app.expect_metric("Requests", str(good))
        assert app.exceptions() == []

        app = browsing.open("/data")
        problems = app.page.get_by_test_id("stExpander").filter(has_text=named)
        problems.first.wait_for()
        assert app.exceptions() == []
        assert "Traceback" not in app.page.content()
        browsing.assert_clean()
    finally:
        undo()


def test_the_excel_about_sheet_names_the_folder_without_its_path(browsing, data_dir):
    app = browsing.open("/requests")
    with app.page.expect_download() as info:
        app.page.get_by_role("button", name="Download Excel").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True)}
    assert about["Data source"] == "the configured data folder (programme)"
    cells = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
    )
    assert str(data_dir) not in cells and str(data_dir.parent) not in cells
    browsing.assert_clean()
