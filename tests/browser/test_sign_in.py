"""Sign-in, roles and publishing, in the browser, against a real OpenID Connect provider.

The module starts `oidc-provider-mock` (a real OIDC provider: discovery, authorisation form,
signed ID tokens, end-session endpoint) on 127.0.0.1 with three predefined users, and the
dashboard with a secrets.toml whose [auth] points at it and whose [access] lists a viewer
domain and a data manager. Sign-in goes through the provider's own pages, as a user's would.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

import acpeu_data as ad
from acpeu_data import __main__ as cli
from acpeu_data import database, headline_figures, i18n
from acpeu_data import filters as flt
from acpeu_data.database_versions import DatabaseVersionStore
from tests.browser.helpers import (
    BUNDLED_DATA,
    PAGE_TIMEOUT_MS,
    Browsing,
    StreamlitPage,
    browsing_context,
    free_port,
    start_app,
    stop_process,
)

VIEWER = {"sub": "vera", "email": "vera@viewers.example.org", "email_verified": True}
MANAGER = {"sub": "maria", "email": "maria@example.org", "email_verified": True}
STRANGER = {"sub": "sam", "email": "sam@elsewhere.example.net", "email_verified": True}
# The provider's own pages fetch their stylesheet from a CDN; the egress guard blocks it.
# It is the provider's request, not the dashboard's, so it is the only one allowed here.
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/pico@2/css/pico.min.css"
CHECK_SECONDS = 2  # the database servers' detection delay


def _provider_command() -> list[str]:
    executable = shutil.which("oidc-provider-mock", path=str(Path(sys.executable).parent))
    if executable is None:
        reason = "oidc-provider-mock is not installed (pip install -r requirements-dev.txt)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI requires the sign-in tests: {reason}", pytrace=False)
        pytest.skip(reason)
    return [executable]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="module", autouse=True)
def patient_expectations() -> Iterator[None]:
    """Sign-in goes through two servers on a shared, busy machine: wait as long as a page."""
    expect.set_options(timeout=PAGE_TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other modules


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running OpenID Connect provider on 127.0.0.1; its issuer URL."""
    command = _provider_command()
    port = free_port()
    log_path = tmp_path_factory.mktemp("oidc") / "provider.log"
    for user in (VIEWER, MANAGER, STRANGER):
        command += ["--user-claims", json.dumps(user)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"{issuer}/.well-known/openid-configuration"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the OIDC provider did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield issuer
    finally:
        stop_process(process)


@dataclass
class SharedApp:
    base_url: str
    data_dir: Path
    versions_dir: Path
    log: Callable[[], str]


def write_secrets(secrets_file: Path, provider: str, port: int) -> Path:
    """A secrets.toml with [auth] pointing at the provider and [access] for the users."""
    secrets_file.write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "acpeu-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[access]
viewers = ["@viewers.example.org"]
data_managers = ["Maria@Example.org"]
""",
        encoding="utf-8",
    )
    return secrets_file


@pytest.fixture(scope="module")
def app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedApp]:
    root = tmp_path_factory.mktemp("shared")
    data_dir = root / "data"
    data_dir.mkdir()
    for path in BUNDLED_DATA.glob("*.csv"):
        shutil.copy2(path, data_dir / path.name)
    port = free_port()
    secrets_file = write_secrets(root / "secrets.toml", provider, port)
    versions_dir = root / "published"
    server = start_app(
        data_dir,
        root / "streamlit.log",
        port=port,
        args=("--secrets.files", str(secrets_file)),
        env={"ACPEU_VERSIONS_DIR": str(versions_dir)},
    )
    try:
        yield SharedApp(server.base_url, data_dir, versions_dir, server.log)
    finally:
        stop_process(server.process)


@pytest.fixture
def visitor(browser, app: SharedApp) -> Iterator[Browsing]:
    with browsing_context(browser, app.base_url) as current:
        yield current


def assert_only_the_provider_went_out(browsing: Browsing) -> None:
    assert set(browsing.external_requests) <= {PROVIDER_STYLESHEET}
    assert browsing.page_errors == []


def sign_in(browsing: Browsing, user: dict) -> StreamlitPage:
    """Open the dashboard, press Sign in, choose `user` on the provider's page, come back."""
    app = browsing.open("/")
    page = app.page
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/oauth2/authorize" in url, timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name=user["sub"], exact=True).click()
    page.wait_for_url(lambda url: url.startswith(browsing.base_url), timeout=PAGE_TIMEOUT_MS)
    page.get_by_test_id("stMain").locator("h1").first.wait_for()
    app.wait_until_idle()
    return app


def sign_out(app: StreamlitPage, base_url: str) -> None:
    """Press Sign out; confirm on the provider's end-session page when it asks."""
    page = app.page
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(
        lambda url: "/oauth2/end_session" in url or url.rstrip("/") == base_url,
        timeout=PAGE_TIMEOUT_MS,
    )
    if "/oauth2/end_session" in page.url:
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(lambda url: url.startswith(base_url), timeout=PAGE_TIMEOUT_MS)
    page.get_by_test_id("stMain").locator("h1").first.wait_for()
    app.wait_until_idle()


def expected_requests(folder: Path, lang: str = "en") -> str:
    ds = ad.load(folder)
    f = ad.Filters()
    kpis = headline_figures.kpis(
        flt.filter_requests(ds, f), flt.filter_meetings(ds, f), flt.filter_participation(ds, f)
    )
    return i18n.format_number(kpis.requests, lang)


def _data_texts() -> list[str]:
    """Texts that only the data holds: request ids and titles, meeting titles."""
    ds = ad.load(BUNDLED_DATA)
    texts = list(ds.requests["request_id"]) + list(ds.requests["title"].dropna())
    return [t for t in texts if len(str(t)) >= 8]


def test_a_visitor_who_is_not_signed_in_sees_the_sign_in_page_and_no_data(visitor, app):
    received: list[bytes] = []

    def watch(ws) -> None:
        ws.on(
            "framereceived",
            lambda frame: received.append(frame if isinstance(frame, bytes) else frame.encode()),
        )

    bodies: list[bytes] = []

    def keep(response) -> None:
        if response.url.startswith(app.base_url):
            try:
                bodies.append(response.body())
            except Exception:  # a redirect or a stream has no body
                pass

    for path in ["/", "/requests", "/countries", "/meetings", "/data"]:
        page = visitor.new_page()
        page.on("websocket", watch)
        page.on("response", keep)
        current = StreamlitPage(page, app.base_url)
        current.goto(path)
        main = page.get_by_test_id("stMain")
        expect(main.locator("h1")).to_have_text("ACP-EU Migration Action")
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        for test_id in (
            "stMetric",
            "stPlotlyChart",
            "stDataFrame",
            "stDownloadButton",
            "stFileUploader",
        ):
            assert page.get_by_test_id(test_id).count() == 0, (path, test_id)
        assert page.get_by_test_id("stSidebar").get_by_role("link").count() == 0
        page.close()
    assert received, "the pages were drawn through the websocket"
    everything = b"".join(received + bodies)
    leaked = [t for t in _data_texts() if str(t).encode("utf-8") in everything]
    assert leaked == []
    # No endpoint answers with the data either: the page paths serve the app's empty shell,
    # the only static files are the world shapes, and the uploads endpoint refuses.
    for path in ["/requests", "/data", "/app/static/world_110m.json", "/_stcore/upload_file"]:
        try:
            with urllib.request.urlopen(app.base_url + path, timeout=10) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            body = error.read()
        assert not [t for t in _data_texts() if str(t).encode("utf-8") in body], path
    assert_only_the_provider_went_out(visitor)


def test_a_user_in_neither_list_is_refused_and_can_sign_out(visitor, app):
    current = sign_in(visitor, STRANGER)
    page = current.page
    alert = page.get_by_test_id("stAlert")
    expect(alert).to_contain_text(STRANGER["email"])
    expect(alert).to_contain_text("has no access")
    for test_id in ("stMetric", "stPlotlyChart", "stDataFrame", "stDownloadButton"):
        assert page.get_by_test_id(test_id).count() == 0, test_id
    current.goto("/requests")  # every page, not only the first
    expect(page.get_by_test_id("stAlert")).to_contain_text("has no access")
    assert page.get_by_test_id("stDataFrame").count() == 0
    sign_out(current, app.base_url)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    events = [
        json.loads(line) for line in (app.versions_dir / "audit.jsonl").read_text().splitlines()
    ]
    assert {"event": "refused", "email": STRANGER["email"]}.items() <= events[-1].items()
    assert_only_the_provider_went_out(visitor)


def test_a_viewer_sees_the_dashboard_and_no_publish_control(visitor, app):
    current = sign_in(visitor, VIEWER)
    page = current.page
    current.expect_metric("Requests", expected_requests(app.data_dir))
    expect(current.sidebar).to_contain_text(f"Signed in as {VIEWER['email']} (viewer)")
    current.go_to_page("Data")
    expect(page.get_by_role("heading", name="Bring your own data")).to_be_visible()
    for name in ("Publish", "Make this version current again"):
        assert page.get_by_role("button", name=name).count() == 0
    assert page.get_by_role("heading", name="Audit log").count() == 0
    sign_out(current, app.base_url)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    current.goto("/requests")  # the identity cookie is gone: still signed out on a new session
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.get_by_test_id("stMetric").count() == 0
    assert_only_the_provider_went_out(visitor)


def history_table(app: StreamlitPage) -> tuple[list[str], list[list[str]]]:
    """The Data page's table of published versions (the grid draws once scrolled into view)."""
    frames = app.page.get_by_test_id("stDataFrame")
    for i in range(frames.count()):
        if not frames.nth(i).is_visible():  # e.g. inside a closed expander
            continue
        frames.nth(i).scroll_into_view_if_needed()
        header, rows = app.table(frames.nth(i))
        if header[:2] == ["Version", "When"]:
            return header, rows
    raise AssertionError("no table of published versions on the page")


def _fewer_requests(folder: Path, keep: int) -> list[dict]:
    """The data folder's files as an upload, with only the first `keep` requests."""
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}
    lines = files["requests.csv"].decode("utf-8-sig").splitlines(keepends=True)
    files["requests.csv"] = "".join(lines[: keep + 1]).encode("utf-8")
    if "request_events.csv" in files:  # the status history of the requests kept, no other
        kept = {row["request_id"] for row in csv.DictReader(lines[: keep + 1])}
        events = files["request_events.csv"].decode("utf-8-sig").splitlines(keepends=True)
        rows = csv.DictReader(events)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=rows.fieldnames or [], lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in rows if row["request_id"] in kept)
        files["request_events.csv"] = out.getvalue().encode("utf-8")
    return [{"name": n, "mimeType": "text/csv", "buffer": b} for n, b in files.items()]


def publish_then_roll_back(
    manager_ctx: Browsing, viewer_ctx: Browsing, data_dir: Path, tmp_path: Path, log, wait=0.0
) -> None:
    """A data manager publishes 40 requests, then rolls back to version 1; the viewer (after
    `wait` seconds: another server's detection delay) sees each from the next click on."""
    before = expected_requests(data_dir)
    upload = _fewer_requests(data_dir, keep=40)
    (tmp_path / "new").mkdir()
    for file in upload:
        (tmp_path / "new" / file["name"]).write_bytes(file["buffer"])
    after = expected_requests(tmp_path / "new")
    assert after != before

    viewer = sign_in(viewer_ctx, VIEWER)
    viewer.expect_metric("Requests", before)

    manager = sign_in(manager_ctx, MANAGER)
    expect(manager.sidebar).to_contain_text("(data manager)")
    manager.go_to_page("Data")
    page = manager.page
    try:
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
    except Exception:
        print(log()[-5000:])  # shown by pytest with the failure
        raise
    page.get_by_role("button", name="Use these files").click()
    manager.wait_until_idle(settle_ms=800)
    form = page.get_by_test_id("stForm").filter(has_text="Publish these files for everyone")
    expect(form).to_be_visible()
    form.get_by_label("What is new (a short comment, kept in the history)").fill(
        "Only the first 40 requests"
    )
    form.get_by_role("button", name="Publish").click()
    manager.wait_until_idle(settle_ms=800)
    expect(page.get_by_test_id("stAlert").first).to_contain_text(
        "is published", timeout=PAGE_TIMEOUT_MS
    )
    expect(page.get_by_role("heading", name="Published versions")).to_be_visible()
    header, rows = history_table(manager)
    assert header[:2] == ["Version", "When"], header
    removed = len(ad.load(data_dir).requests) - 40
    assert [row[0] for row in rows] == ["2", "1"]
    newest = dict(zip(header, rows[0], strict=False))
    assert newest["By"] == MANAGER["email"]
    assert newest["Comment"] == "Only the first 40 requests"
    changes = next((v for k, v in newest.items() if k.startswith("Changes")), str(newest))
    assert f"requests: −{removed}" in changes, newest

    # The viewer's next click shows the new version.
    time.sleep(wait)
    viewer.go_to_page("Requests")
    viewer.go_to_page("Overview")
    viewer.expect_metric("Requests", after)

    # Rollback to the data in use before the first publication (version 1).
    rollback = page.get_by_test_id("stForm").filter(has_text="Make an earlier version current")
    rollback.get_by_label("Why (a short comment, kept in the history)").fill("Back to all")
    rollback.get_by_role("button", name="Make this version current again").click()
    manager.wait_until_idle(settle_ms=800)
    expect(page.get_by_test_id("stAlert").first).to_contain_text(
        "is current again", timeout=PAGE_TIMEOUT_MS
    )
    header, rows = history_table(manager)
    newest = dict(zip(header, rows[0], strict=False))
    assert (newest["Version"], newest["What"]) == ("3", "Rolled back to version 1")
    assert newest["Comment"] == "Back to all"

    time.sleep(wait)
    viewer.go_to_page("Requests")
    viewer.go_to_page("Overview")
    viewer.expect_metric("Requests", before)

    # The history and the audit log, as a data manager sees them.
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    for ctx in (viewer_ctx, manager_ctx):
        assert_only_the_provider_went_out(ctx)


def published_events(audit_log: Path) -> list[tuple[str, str]]:
    events = [json.loads(line) for line in audit_log.read_text().splitlines()]
    return [(e["event"], e["email"]) for e in events if e["event"] in ("publish", "rollback")]


def test_a_data_manager_publishes_and_rolls_back_for_everyone(browser, app, tmp_path):
    with (
        browsing_context(browser, app.base_url) as viewer_ctx,
        browsing_context(browser, app.base_url) as manager_ctx,
    ):
        publish_then_roll_back(manager_ctx, viewer_ctx, app.data_dir, tmp_path, app.log)

    numbers = sorted(p.name for p in app.versions_dir.iterdir() if p.name.isdigit())
    assert numbers == ["000001", "000002", "000003"]
    kinds = published_events(app.versions_dir / "audit.jsonl")
    assert kinds == [("publish", MANAGER["email"]), ("rollback", MANAGER["email"])]


def test_publishing_to_a_database_reaches_another_server(browser, provider, postgres, tmp_path):
    """Two servers on one PostgreSQL database: the data manager publishes and rolls back on
    one, the viewer on the other sees each version after the detection delay."""
    url = postgres.create_database("published")
    assert cli.main(["import", str(BUNDLED_DATA), url]) == 0
    servers = []
    try:
        for name in ("manager", "viewer"):
            port = free_port()
            secrets_file = write_secrets(tmp_path / f"{name}.toml", provider, port)
            env = {
                database.URL_ENV: url,
                database.CHECK_ENV: str(CHECK_SECONDS),
                "ACPEU_AUDIT_LOG": str(tmp_path / f"{name}-audit.jsonl"),
            }
            args = ("--secrets.files", str(secrets_file))
            servers.append(
                start_app(BUNDLED_DATA, tmp_path / f"{name}.log", port=port, args=args, env=env)
            )
        with (
            browsing_context(browser, servers[1].base_url) as viewer_ctx,
            browsing_context(browser, servers[0].base_url) as manager_ctx,
        ):
            publish_then_roll_back(
                manager_ctx, viewer_ctx, BUNDLED_DATA, tmp_path, servers[0].log, CHECK_SECONDS + 1
            )
    finally:
        for server in servers:
            stop_process(server.process)
    history = DatabaseVersionStore(url).history()
    assert [(v.number, v.kind, v.by) for v in history] == [
        (3, "rollback", MANAGER["email"]),
        (2, "publish", MANAGER["email"]),
        (1, "initial", None),
    ]
    kinds = published_events(tmp_path / "manager-audit.jsonl")
    assert kinds == [("publish", MANAGER["email"]), ("rollback", MANAGER["email"])]
