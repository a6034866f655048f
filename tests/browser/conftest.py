"""Browser tests: the real app in headless Chromium, proving what only a browser shows.

One Streamlit server per test module (fixture `app_url`, data folder from the fixture
`data_dir`, which a module may override), one Chromium per session, a fresh context per
test. Every request to a host other than the app's is blocked and recorded, so a test can
assert that the dashboard works offline and sends nothing out. What the fixtures use, and what
a test that starts its own server needs, is in helpers.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.helpers import (
    BUNDLED_DATA,
    CHROMIUM_ARGS,
    DEFAULT_CHROMIUM,
    AppServer,
    Browsing,
    browsing_context,
    copy_data_folder,
    find_chromium,
    start_app,
    stop_process,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, so `pytest -m "not browser"` skips them."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; a missing browser fails in CI."""
    path = find_chromium()
    if path is None:
        reason = (
            f"no Chromium at {os.environ.get('CHROMIUM_PATH') or DEFAULT_CHROMIUM}: install the "
            "'chromium' package (Debian/Ubuntu) or set CHROMIUM_PATH; `make test` does this "
            "for root on Debian (scripts/find_chromium.sh)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI requires the browser tests: {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def data_dir() -> Path:
    """The data folder the module's server reads; modules override this to test other data."""
    return BUNDLED_DATA


@pytest.fixture(scope="module")
def app_server(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """One server per test module, stopped (with its process group) afterwards."""
    server = start_app(data_dir, tmp_path_factory.mktemp("server") / "streamlit.log")
    try:
        yield server
    finally:
        stop_process(server.process)


@pytest.fixture(scope="module")
def app_url(app_server: AppServer) -> str:
    """The base URL of the module's server, e.g. http://127.0.0.1:43121."""
    return app_server.base_url


@pytest.fixture(scope="session")
def copy_bundled_data() -> Callable[[Path], Path]:
    """A function that copies the bundled CSV files to a folder, to alter or extend them."""
    return copy_data_folder


@pytest.fixture
def browsing(browser: Browser, app_url: str) -> Iterator[Browsing]:
    """A new browser context on the module's app, closed after the test."""
    with browsing_context(browser, app_url) as current:
        yield current


@pytest.fixture
def second_browsing(browser: Browser, app_url: str) -> Iterator[Browsing]:
    """Another, independent context: a colleague opening a link the first one copied."""
    with browsing_context(browser, app_url) as current:
        yield current
