"""What the browser tests share besides fixtures: starting the app, a browser context with its
egress guard, and StreamlitPage, a tab with the few Streamlit-aware moves the tests need.

The fixtures that use them are in conftest.py (one server per test module, one Chromium per
session, a fresh context per test); a test that needs its own server imports from here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Route,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect as pw_expect

from acpeu_data import contract

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_DATA = ROOT / "data"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
# Quiet, deterministic Chromium: no GPU, no sandbox (containers run as root), and none of
# the background traffic (updates, sync, field trials) that would count as egress.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 60.0
# Generous: the first page of a context loads Streamlit's 4.7 MB Plotly bundle, and maps
# were seen to draw 10-30 s after the page on a loaded 2-core machine.
PAGE_TIMEOUT_MS = 90_000


# --- Chromium ------------------------------------------------------------------------------


def find_chromium() -> str | None:
    """Return the Chromium to drive: $CHROMIUM_PATH if set, else /usr/bin/chromium, else None."""
    candidate = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return None


# --- The app server ------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop_process(process: subprocess.Popen) -> None:
    """Stop the server and anything it started (its whole process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class AppServer:
    """A running `streamlit run dashboard.py`; `base_url` has no trailing slash."""

    base_url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        """Return what the server printed so far (for failure messages)."""
        return self.log_path.read_text(errors="replace")


def start_app(
    data_dir: Path,
    log_path: Path,
    prefix: tuple[str, ...] = (),
    *,
    port: int | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> AppServer:
    """Start the dashboard on a free port with ACPEU_DATA_DIR=data_dir; wait until healthy.

    `prefix` runs the server through another command (e.g. setpriv, to drop privileges).
    `port` (default: a free one), extra Streamlit `args` and `env` variables are for servers
    that need to know their address beforehand (sign-in) or other settings.
    """
    port = port or free_port()
    env = {
        **os.environ,
        "ACPEU_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        *prefix,
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        *args,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = AppServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode}:\n{server.log()}")
        if _healthy(server.base_url):
            return server
        time.sleep(0.2)
    stop_process(process)
    pytest.fail(
        f"the app did not answer /_stcore/health in {SERVER_START_TIMEOUT}s:\n{server.log()}"
    )


def copy_data_folder(target: Path) -> Path:
    """Copy the bundled data folder's required tables (not its README) to `target`; return it.

    The optional status history is left out: tests that remove or change requests would
    otherwise also get its problems (events of a request no longer there).
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in contract.REQUIRED_TABLES:
        shutil.copy2(BUNDLED_DATA / f"{name}.csv", target / f"{name}.csv")
    return target


# --- Browsing: context, egress guard, console ----------------------------------------------


@dataclass
class Browsing:
    """A browser context for one test, with what it tried to send out and what went wrong."""

    context: BrowserContext
    base_url: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def new_page(self) -> Page:
        """Open a tab whose console errors and uncaught exceptions are recorded."""
        page = self.context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.on("console", lambda msg: self._record_console(page, msg))
        page.on("pageerror", lambda exc: self.page_errors.append(f"{page.url}: {exc}"))
        return page

    def _record_console(self, page: Page, message: ConsoleMessage) -> None:
        source = message.location.get("url", "")
        if message.type == "error" and not _is_base_path_probe(source):
            self.console_errors.append(f"on {page.url}: {message.text} (from {source})")

    def open(self, path: str = "/") -> StreamlitPage:
        """Open `path` of the app in a new tab and wait until the script has run."""
        app = StreamlitPage(self.new_page(), self.base_url)
        app.goto(path)
        return app

    def assert_clean(self) -> None:
        """Fail when anything was sent outside the machine or the browser logged an error."""
        assert self.external_requests == [], "requests to other hosts were made"
        assert self.page_errors == [], "uncaught JavaScript errors"
        assert self.console_errors == [], "errors in the browser console"


def _is_base_path_probe(url: str) -> bool:
    """True for Streamlit's own probe of a page path as a possible base URL path.

    Opened at /requests, the frontend first asks /requests/_stcore/health and
    /requests/_stcore/host-config (404, logged by Chromium) and then falls back to
    /_stcore/...: an error line that every deep link shows, not a fault of the app.
    """
    path = urlsplit(url).path
    probes = ("/_stcore/health", "/_stcore/host-config")
    return urlsplit(url).hostname in LOCAL_HOSTS and path.endswith(probes) and path not in probes


def _guard(browsing: Browsing):
    def handle(route: Route) -> None:
        url = route.request.url
        scheme = urlsplit(url).scheme
        host = urlsplit(url).hostname or ""
        if scheme in ("data", "blob") or host in LOCAL_HOSTS:
            route.continue_()
        else:
            browsing.external_requests.append(url)
            route.abort()

    return handle


def new_browsing(browser: Browser, base_url: str) -> Browsing:
    """Return a fresh context (own cookies, storage, cache) with the egress guard installed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    browsing = Browsing(context, base_url)
    context.route("**/*", _guard(browsing))
    return browsing


@contextlib.contextmanager
def browsing_context(browser: Browser, base_url: str) -> Iterator[Browsing]:
    """A new browser context (new_browsing) that is closed when the block ends."""
    current = new_browsing(browser, base_url)
    try:
        yield current
    finally:
        current.context.close()


# --- Streamlit page helpers ----------------------------------------------------------------


# Plotly binds each country's calcdata to its path, so `__data__.loc` is the ISO3 code.
# The centre of a bounding box can fall outside the shape (or on a neighbour): search a
# grid inside the box for the point in the shape's fill nearest its centre, in screen
# coordinates.
_POINT_INSIDE_COUNTRY = """(root, iso3) => {
    const path = [...root.querySelectorAll("path.choroplethlocation")]
        .find((p) => p.__data__ && p.__data__.loc === iso3);
    if (!path) return null;
    const box = path.getBBox();
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    const steps = 24;
    let best = null;
    for (let i = 0; i <= steps; i++) {
        for (let j = 0; j <= steps; j++) {
            const x = box.x + (box.width * i) / steps, y = box.y + (box.height * j) / steps;
            if (!path.isPointInFill(new DOMPoint(x, y))) continue;
            const d = (x - cx) ** 2 + (y - cy) ** 2;
            if (best === null || d < best.d) best = { x, y, d };
        }
    }
    if (best === null) return null;
    const onScreen = new DOMPoint(best.x, best.y).matrixTransform(path.getScreenCTM());
    return { x: onScreen.x, y: onScreen.y };
}"""


class StreamlitPage:
    """A tab showing the app, with the few Streamlit-aware moves the tests need."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    @property
    def sidebar(self) -> Locator:
        """The sidebar, where the filters and the page links live."""
        return self.page.get_by_test_id("stSidebar")

    def goto(self, path: str) -> None:
        """Load `path` (e.g. "/countries?region=Caribbean") and wait for the script to finish."""
        self.page.goto(self.base_url + path)
        # Right after loading, the app can report "notRunning" before its first run has
        # even started; every page of this app has a title (h1), so wait for it first.
        self.page.get_by_test_id("stMain").locator("h1").first.wait_for()
        self.wait_until_idle()

    def wait_until_idle(self, settle_ms: int = 300) -> None:
        """Wait until Streamlit is connected, not running the script, and nothing is stale.

        Skeletons count as not ready: a reloaded tab shows them in place of the elements
        while its first run is under way, and reports "notRunning" before that run starts.

        `settle_ms` first gives a rerun that was just triggered time to start: right after
        a click the app still reports "notRunning" from the previous run.
        """
        self.page.wait_for_timeout(settle_ms)
        self.page.wait_for_function(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                return app
                    && app.dataset.testScriptState === "notRunning"
                    && app.dataset.testConnectionState === "CONNECTED"
                    && !document.querySelector('[data-stale="true"]')
                    && !document.querySelector('[data-testid^="stSkeleton"]')
                    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]');
            }""",
            timeout=PAGE_TIMEOUT_MS,
        )

    def metric(self, label: str) -> Locator:
        """The value element of the st.metric whose label is exactly `label`."""
        card = self.page.get_by_test_id("stMetric").filter(
            has=self.page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
        )
        return card.get_by_test_id("stMetricValue")

    def metric_values(self, labels: list[str]) -> dict[str, str]:
        """Return {label: shown value} for the given metric labels."""
        return {label: self.metric(label).inner_text().strip() for label in labels}

    def multiselect(self, label: str) -> Locator:
        """The sidebar multiselect whose label is exactly `label`."""
        return self.sidebar.get_by_test_id("stMultiSelect").filter(
            has=self.page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
        )

    def pick(self, label: str, *options: str) -> None:
        """Choose `options` (shown texts) in the multiselect `label`, then wait for the rerun."""
        widget = self.multiselect(label)
        for option in options:
            widget.locator("input").click()
            widget.locator("input").fill(option)
            self.page.get_by_role("option", name=option, exact=True).click()
        self.page.keyboard.press("Escape")
        self.wait_until_idle()

    def chosen(self, label: str) -> list[str]:
        """The options currently chosen in the multiselect `label` (their shown texts)."""
        tags = self.multiselect(label).locator("[data-tag]")
        return [tag.get_attribute("aria-label") or "" for tag in tags.all()]

    def go_to_page(self, link_text: str) -> None:
        """Follow the sidebar page link `link_text`, as a user would, and wait for the page."""
        link = self.page_link(link_text)
        # The link carries the filter's query string; the path names the page.
        target = "/" + urlsplit(link.get_attribute("href") or "").path.strip("/")
        link.click()
        self.page.wait_for_url(lambda url: urlsplit(url).path == target)
        self.wait_until_idle()
        self.wait_for_charts()

    def wait_for_charts(self) -> None:
        """Wait until plotly.js has drawn every chart of the page, as a reader would see it.

        Leaving a page while plotly.js still draws a map (its shapes file still loading) can
        raise an error inside plotly.js ('_scrollZoom' of a plot already removed): a test moves
        on only once the page is painted.
        """
        try:
            self.page.wait_for_function(
                """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                    .every(chart => chart.querySelector('.main-svg'))""",
                timeout=PAGE_TIMEOUT_MS,
            )
            # A map draws its shapes once their file (static/world_*.json) has arrived.
            self.page.wait_for_load_state("networkidle", timeout=PAGE_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            pass  # a chart that never draws is for the test's own assertions to report

    def page_link(self, link_text: str) -> Locator:
        """The sidebar page link whose label is `link_text` (its icon's name is not part of it)."""
        return self.sidebar.get_by_role("link").filter(
            has=self.page.get_by_text(link_text, exact=True)
        )

    def reload(self) -> None:
        """Reload the tab (a new Streamlit session on the same URL)."""
        self.page.reload()
        self.page.get_by_test_id("stMain").locator("h1").first.wait_for()
        self.wait_until_idle()

    def click_country(self, iso3: str, chart: Locator | None = None) -> None:
        """Click inside the shape of country `iso3` on a Plotly map, then wait for the rerun."""
        scope = chart or self.page.get_by_test_id("stPlotlyChart").first
        scope.scroll_into_view_if_needed()
        point = scope.evaluate(_POINT_INSIDE_COUNTRY, iso3)
        assert point is not None, f"no clickable shape for {iso3} on the map"
        self.page.mouse.click(point["x"], point["y"])
        self.wait_until_idle()

    def table(self, frame: Locator) -> tuple[list[str], list[list[str]]]:
        """Return (header, rows) of an st.dataframe, read from the grid's accessible table.

        The grid draws on a canvas; its accessible table holds the header and the rows
        currently scrolled into view (see `table_row_count` for the total).
        """
        grid = frame.locator('table[role="grid"]')
        pw_expect(grid).to_be_attached()
        header = [text.strip() for text in grid.locator("thead th").all_inner_texts()]
        rows = [
            [text.strip() for text in row.locator("td").all_inner_texts()]
            for row in grid.locator("tbody tr").all()
        ]
        return header, rows

    def table_row_count(self, frame: Locator) -> int:
        """The number of data rows of an st.dataframe (all of them, not only those in view)."""
        grid = frame.locator('table[role="grid"]')
        pw_expect(grid).to_be_attached()
        return int(grid.get_attribute("aria-rowcount") or "1") - 1

    def wait_for_shapes(self, selector: str, at_least: int, within: Locator | None = None) -> int:
        """Wait until `selector` matches at least `at_least` elements; return their count.

        Plotly draws after the script has finished, so counting right away would see 0.
        """
        scope = within or self.page.locator("body")
        try:
            scope.locator(selector).nth(at_least - 1).wait_for(state="attached")
        except PlaywrightTimeoutError:
            pass  # the caller's assertion on the count reports the shortfall
        return scope.locator(selector).count()

    def exceptions(self) -> list[str]:
        """Texts of Streamlit exception boxes (tracebacks) on the page."""
        return self.page.get_by_test_id("stException").all_inner_texts()

    def expect_metric(self, label: str, value: str) -> None:
        """Wait (polling) until metric `label` shows exactly `value`."""
        pw_expect(self.metric(label)).to_have_text(value, timeout=PAGE_TIMEOUT_MS)


# --- Accessibility (axe-core) ---------------------------------------------------------------

BLOCKING = {"serious", "critical"}
# (axe rule id, data-testid of the Streamlit component the node sits in) -> why it is accepted.
# Empty today: Streamlit 1.67 with the app's theme has no serious or critical violation.
# Lower-impact findings of Streamlit itself are described in docs/accessibility.md.
STREAMLIT_OWN: dict[tuple[str, str], str] = {}
AXE = Axe()


def _audit(page: Page) -> list[dict]:
    """Return axe's violations on the page (all WCAG 2.x A/AA and best-practice rules)."""
    return AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]


def _streamlit_component(page: Page, selector) -> str | None:
    """The data-testid of the Streamlit component that holds an axe node, if any."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(Array.isArray(selector) ? selector[0] : selector);
            const owner = el && el.closest("[data-testid]");
            return owner ? owner.dataset.testid : null;
        }""",
        selector,
    )


def blocking_violations(page: Page) -> list[str]:
    """Return the serious or critical axe violations of the app's own content on the page."""
    found = []
    violations = _audit(page)
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            owner = _streamlit_component(page, node["target"][0])
            if (violation["id"], owner) in STREAMLIT_OWN:
                continue
            found.append(
                f"{violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{node['html'][:120]} -- {violation['help']}"
            )
    return found
