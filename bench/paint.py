"""Click to paint in headless Chromium: the app beside the straightforward one (bench/plain).

For each page, both apps served at once (`streamlit run`, same data folder), one tab each: a
region is chosen in the sidebar, and the time runs from that click (the option's pointerdown,
on the page's clock) to the page fully painted: the script finished (no element stale) and
the last change inside any Plotly chart (a MutationObserver), after which nothing changed
for QUIET_MS. Also counted per click: reruns (the app's script state going to "running") and
bytes received over the websocket. The two apps take turns, click by click, so that a busy
machine slows both alike.

    python bench/paint.py --folder data --pages / --clicks 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make bench importable
    sys.path.insert(0, str(ROOT))

from bench import browser  # noqa: E402

APPS = {"ours": "dashboard.py", "plain": "bench/plain/app.py"}
PAGES = {
    "/": "Overview",
    "/requests": "Requests",
    "/pipeline": "Pipeline",
    "/countries": "Countries",
    "/meetings": "Meetings",
}
QUIET_MS = 700

# Installed once per page load: when the script state changes, when a chart's DOM changes,
# the last pointerdown (the click choosing an option), and the reruns started since.
_OBSERVE = """() => {
    const b = (window.__bench = { lastPlot: 0, idleAt: 0, clickAt: 0, runs: 0 });
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => {
        if (app.dataset.testScriptState === "running") b.runs += 1;
        else b.idleAt = performance.now();
    }).observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    new MutationObserver((records) => {
        for (const r of records) {
            const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            if (node && node.closest(".js-plotly-plot")) {
                b.lastPlot = performance.now();
                return;
            }
        }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
    document.addEventListener("pointerdown", () => {
        b.clickAt = performance.now();
        b.runs = 0;
    }, true);
}"""
_SETTLED = f"""() => {{
    const b = window.__bench;
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = app.dataset.testScriptState !== "running"
        && !document.querySelector('[data-stale="true"]');
    const last = Math.max(b.lastPlot, b.idleAt);
    return idle && b.runs > 0 && performance.now() - last > {QUIET_MS};
}}"""
_RESULT = """() => {
    const b = window.__bench;
    return { paint_ms: Math.max(b.lastPlot, b.idleAt) - b.clickAt,
             script_ms: b.idleAt - b.clickAt, runs: b.runs,
             charts: document.querySelectorAll(".js-plotly-plot").length };
}"""
_CHARTS_DRAWN = """() => [...document.querySelectorAll(".js-plotly-plot")]
    .every((gd) => gd._fullLayout && !gd._transitioning)"""


class Tab:
    """One app's tab: opens pages, chooses regions, and says what each click cost."""

    def __init__(self, browser_, url: str, timeout_ms: float):
        self.page = browser_.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        self.page.set_default_timeout(timeout_ms)
        self.url, self.timeout_ms, self.received = url, timeout_ms, 0
        self.page.on("websocket", self._count)

    def _count(self, socket) -> None:
        def add(payload) -> None:
            self.received += len(payload)

        socket.on("framereceived", add)

    def open(self, path: str) -> None:
        self.page.goto(self.url + path)
        self.page.wait_for_function(browser.IDLE)
        self.page.wait_for_function(_CHARTS_DRAWN)
        time.sleep(QUIET_MS / 1000)
        self.page.evaluate(_OBSERVE)

    def click(self, region: str) -> dict:
        before = self.received
        browser.choose_region(self.page, region, self.timeout_ms)
        self.page.wait_for_function(_SETTLED, polling=100)
        result = self.page.evaluate(_RESULT)
        result["received_bytes"] = self.received - before
        self.page.keyboard.press("Escape")
        return result


def measure(folder: Path, regions: list[str], pages: list[str], log_dir: Path) -> dict:
    """Return, per page, each app's clicks and the median of their click-to-paint seconds."""
    from playwright.sync_api import sync_playwright

    servers = {}
    out: dict = {}
    try:
        for name, script in APPS.items():
            servers[name] = browser.start_server(folder, log_dir / f"{name}.log", script=script)
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=browser.CHROMIUM, headless=True, args=browser.CHROMIUM_ARGS
            )
            try:
                tabs = {
                    n: Tab(chromium, url, browser.TIMEOUT_MS) for n, (_s, url) in servers.items()
                }
                for path in pages:
                    out[PAGES[path]] = _measure_page(tabs, path, regions)
            finally:
                chromium.close()
    finally:
        for server, _url in servers.values():
            browser.stop_server(server)
    return out


def _measure_page(tabs: dict[str, Tab], path: str, regions: list[str]) -> dict:
    try:
        for tab in tabs.values():
            tab.open(path)
        clicks: dict[str, list] = {name: [] for name in tabs}
        for region in regions:  # the apps take turns, click by click
            for name, tab in tabs.items():
                clicks[name].append(tab.click(region))
    except Exception as error:  # a benchmark reports what failed and goes on
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    result = {}
    for name, done in clicks.items():
        result[name] = {
            "paint_s": statistics.median(c["paint_ms"] for c in done) / 1000,
            "script_s": statistics.median(c["script_ms"] for c in done) / 1000,
            "clicks": done,
        }
    return result


def main(argv: list[str] | None = None) -> None:
    """Command line: measure one folder and print (or write) the figures as JSON."""
    import tempfile

    import pandas as pd

    from acpeu_data import contract

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "data")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--clicks", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    regions = contract.region_order(pd.read_csv(args.folder / "countries.csv"))
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(args.folder, regions[: args.clicks], args.pages.split(","), Path(tmp))
    text = json.dumps(figures, indent=1)
    if args.json:
        args.json.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
