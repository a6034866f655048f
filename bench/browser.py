"""The app as a manager meets it: `streamlit run` and headless Chromium, for one data folder.

Measures the Countries map's first drawing and the server's memory (psutil RSS of the
`streamlit run` process) with 1 and with N open sessions; the server and browser helpers here
serve bench/paint.py (click to paint) too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MAP_PAGE = "/countries"
MAP_SHAPES = "path.choroplethlocation"
MB = 2**20
# Generous: on a busy 2-core machine ten new tabs each load the 4.7 MB Plotly bundle.
TIMEOUT_MS = 600_000

IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testScriptState === "notRunning"
        && app.dataset.testConnectionState === "CONNECTED"
        && !document.querySelector('[data-stale="true"]');
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start_server(
    folder: Path, log: Path, timeout: float = 600, script: str = "dashboard.py"
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run <script>` on a free port with the folder; return it and its URL."""
    port = _free_port()
    env = {**os.environ, "ACPEU_DATA_DIR": str(folder)}
    command = [sys.executable, "-m", "streamlit", "run", script]
    command += ["--server.port", str(port), "--server.headless", "true"]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        if _healthy(url):
            return server, url
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"the app did not start: {log.read_text(errors='replace')[-2000:]}")


def stop_server(server: subprocess.Popen) -> None:
    """Stop the server's process group (it is the benchmark's own child)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def _rss_mb(server: subprocess.Popen) -> float:
    return psutil.Process(server.pid).memory_info().rss / MB


def _open_map(page, url: str, timeout_ms: float) -> None:
    page.goto(url + MAP_PAGE, timeout=timeout_ms)
    page.locator(MAP_SHAPES).first.wait_for(state="attached", timeout=timeout_ms)
    page.wait_for_function(IDLE, timeout=timeout_ms)


def choose_region(page, region: str, timeout_ms: float) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    widget = sidebar.get_by_test_id("stMultiSelect").filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text("Region", exact=True)
    )
    widget.locator("input").click()
    widget.locator("input").fill(region)
    page.get_by_role("option", name=region, exact=True).click(timeout=timeout_ms)


def measure_browser(folder: Path, sessions: int, log: Path) -> dict:
    """Return the first map's seconds and server memory with 1 and N sessions.

    Figures measured before a step failed are kept; the failure is recorded under "error".
    """
    from playwright.sync_api import sync_playwright

    server, url = start_server(folder, log)
    figures: dict = {"idle_rss_mb": _rss_mb(server), "sessions": sessions}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                _measure_sessions(browser, url, server, figures)
            finally:
                browser.close()
    except Exception as error:  # a benchmark reports what failed and keeps what it has
        figures["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    finally:
        stop_server(server)
    return figures


def _new_page(browser):
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def _measure_sessions(browser, url: str, server, figures: dict) -> None:
    first = _new_page(browser)
    started = time.perf_counter()
    _open_map(first, url, TIMEOUT_MS)
    figures["first_map_s"] = time.perf_counter() - started
    figures["rss_1_mb"] = _rss_mb(server)
    others = [_new_page(browser) for _ in range(figures["sessions"] - 1)]
    started = time.perf_counter()
    for page in others:  # every session opens at once, as concurrent users would
        page.goto(url + MAP_PAGE, wait_until="commit")
    for page in others:
        _open_map(page, url, TIMEOUT_MS)
    figures["sessions_open_s"] = time.perf_counter() - started
    time.sleep(1)
    figures["rss_n_mb"] = _rss_mb(server)
    extra = figures["rss_n_mb"] - figures["rss_1_mb"]
    figures["per_extra_session_mb"] = extra / max(figures["sessions"] - 1, 1)
