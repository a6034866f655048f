"""The dashboard opened in AppTest as the page tests open it: entry point, page, sign-in, state."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TIMEOUT = 60
# Sign-in settings whose provider is never asked: AppTest stands in for the signed-in user.
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "0123456789abcdef0123456789abcdef",
    "client_id": "acpeu",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def open_app(
    page: str | None = None,
    *,
    query: dict[str, list[str]] | None = None,
    state: dict | None = None,
    access: dict | None = None,
    user: dict | None = None,
) -> AppTest:
    """Run the entry point with the link's `query`, then `page` (e.g. "app_pages/data.py");
    fail on any exception.

    `user` turns sign-in on (with `access` as the [access] lists when given) and is who
    AppTest says is there: {"is_logged_in": False} for a visitor, an e-mail for a user.
    """
    app = AppTest.from_file(ENTRY, default_timeout=TIMEOUT)
    if user is not None:
        app.secrets["auth"] = AUTH
        if access is not None:
            app.secrets["access"] = access
        app.user = user
    for key, values in (query or {}).items():
        app.query_params[key] = values
    for key, value in (state or {}).items():
        app.session_state[key] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def unfold(app: AppTest, *labels: str) -> AppTest:
    """Open the expanders that draw their contents only while open (ui.widgets.folded), those
    whose label starts with one of `labels` (all when none is given), and run the app again."""
    for expander in app.expander:
        if expander.proto.id and (not labels or expander.label.startswith(labels)):
            # A stateful expander's id ends with the key it was given ($$ID-<hash>-<key>).
            app.session_state[expander.proto.id.split("-", 2)[2]] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app
