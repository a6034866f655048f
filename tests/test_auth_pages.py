"""Sign-in and roles on every page, headless with AppTest (st.user and st.secrets simulated).

The real sign-in through an OpenID Connect provider is in tests/browser/test_sign_in.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apptest import open_app
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "app_pages/requests.py",
    "app_pages/countries.py",
    "app_pages/meetings.py",
    "app_pages/data.py",
]
ACCESS = {"viewers": ["@viewers.example.org"], "data_managers": ["manager@example.org"]}


@pytest.fixture(autouse=True)
def versions_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("ACPEU_VERSIONS_DIR", str(tmp_path / "versions"))
    return tmp_path / "versions"


def app_for(user: dict | None, access: dict | None = ACCESS, page: str | None = None) -> AppTest:
    return open_app(page, access=access, user=user or {"is_logged_in": False})


def shows_no_data(app: AppTest) -> bool:
    return not (
        app.metric
        or app.get("plotly_chart")
        or app.dataframe
        or app.get("download_button")
        or app.sidebar.multiselect
    )


@pytest.mark.parametrize("page", [None, *PAGES])
def test_before_sign_in_every_page_is_the_sign_in_page(page):
    app = app_for(None, page=page)
    assert [t.value for t in app.title] == ["ACP-EU Migration Action"]
    assert [b.label for b in app.button] == ["Sign in"]
    assert shows_no_data(app)


@pytest.mark.parametrize("page", [None, "app_pages/data.py"])
def test_a_user_in_neither_list_is_refused_with_their_address(page, versions_dir):
    email = f"someone{len(page or '')}@elsewhere.net"
    app = app_for({"is_logged_in": True, "email": email}, page=page)
    assert email in app.error[0].value.replace("\\", "")
    assert [b.label for b in app.button] == ["Sign out"]
    assert shows_no_data(app)
    events = [json.loads(x) for x in (versions_dir / "audit.jsonl").read_text().splitlines()]
    assert [(e["event"], e["email"]) for e in events] == [("refused", email)]


def test_an_unverified_address_is_refused():
    app = app_for({"is_logged_in": True, "email": "manager@example.org", "email_verified": False})
    assert app.error and shows_no_data(app)


def test_without_an_access_section_nobody_is_let_in():
    app = app_for({"is_logged_in": True, "email": "manager@example.org"}, access=None)
    assert "has no access" in app.error[0].value and shows_no_data(app)


def test_a_bad_access_section_shows_no_data_and_says_why():
    app = app_for({"is_logged_in": True, "email": "manager@example.org"}, access={"viewer": []})
    assert "misconfigured" in app.error[0].value and "unknown key viewer" in app.error[0].value
    assert shows_no_data(app)


def test_a_viewer_sees_the_data_and_no_publishing(versions_dir):
    app = app_for({"is_logged_in": True, "email": "Vera@Viewers.example.org", "iat": 1})
    assert app.metric
    assert any("(viewer)" in c.value for c in app.sidebar.caption)
    app.switch_page("app_pages/data.py").run()
    headers = [h.value for h in app.header]
    assert "Audit log" not in headers and "Published versions" not in headers
    assert not [b for b in app.button if b.label in ("Publish", "Make this version current again")]
    events = [json.loads(x) for x in (versions_dir / "audit.jsonl").read_text().splitlines()]
    assert [(e["event"], e["role"]) for e in events] == [("sign_in", "viewer")]


def test_a_data_manager_sees_publishing_and_the_audit_log():
    app = app_for({"is_logged_in": True, "email": "manager@example.org", "iat": 2}, page=PAGES[3])
    headers = [h.value for h in app.header]
    assert "Published versions" in headers and "Audit log" in headers
    assert any("(data manager)" in c.value for c in app.sidebar.caption)


def test_sign_out_goes_back_to_the_sign_in_page():
    app = app_for({"is_logged_in": True, "email": "vera@viewers.example.org", "iat": 3})
    app.sidebar.button(key="sign_out").click().run()
    app.run()  # the browser comes back after st.logout: a new run, signed out
    assert [b.label for b in app.button] == ["Sign in"] and shows_no_data(app)


@pytest.fixture
def open_server():
    st_config.set_option("server.address", "0.0.0.0")
    yield
    st_config.set_option("server.address", "127.0.0.1")


def test_an_open_server_without_sign_in_says_so(open_server, caplog):
    app = open_app("app_pages/data.py")
    assert any("anyone who can reach it sees all the data" in w.value for w in app.warning)
    assert app.dataframe
    # ... and the server log, once per process.
    assert "without sign-in: anyone who can reach this server sees all the data" in caplog.text


def test_a_local_server_without_sign_in_does_not_warn():
    app = open_app("app_pages/data.py")
    assert not [w for w in app.warning if "anyone who can reach" in w.value]
