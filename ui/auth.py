"""Sign-in (Streamlit's OpenID Connect: st.login, st.user, st.logout) and the access gate.

Sign-in is on when `.streamlit/secrets.toml` has an `[auth]` section; then every page calls
`gate()` (through ui.screen.open_page) before it reads any data, and a visitor sees the data only
once signed in with an e-mail that `[access]` lists (acpeu_data.access). Without `[auth]` the
dashboard is open to whoever reaches it, as before; when it listens beyond this machine, the
Data page and the server log say so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger

from acpeu_data import audit
from acpeu_data.access import DATA_MANAGER, AccessConfigError, AccessRules
from acpeu_data.i18n import Translate
from ui import store
from ui.data import escape_markdown

LOCAL_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})
_LOG = get_logger("acpeu.auth")


@dataclass(frozen=True)
class Identity:
    """Who is looking: sign-in off (everyone sees the data), or a signed-in user and their role."""

    sign_in: bool
    email: str | None = None
    role: str | None = None

    @property
    def is_data_manager(self) -> bool:
        return self.sign_in and self.role == DATA_MANAGER


OPEN = Identity(sign_in=False)


class SecretsError(Exception):
    """A secrets file exists but cannot be read: sign-in cannot be known to be off."""


def _secrets_files_exist() -> bool:
    files = st.get_option("secrets.files") or []
    return any(Path(f).exists() for f in files)


def sign_in_enabled() -> bool:
    """True when secrets.toml has an [auth] section. Raises SecretsError for an unreadable file."""
    if not st.secrets.load_if_toml_exists():
        if _secrets_files_exist():
            raise SecretsError("secrets.toml exists but cannot be read (a TOML syntax error?)")
        return False
    return "auth" in st.secrets


def access_rules() -> AccessRules:
    """The [access] section's rules (AccessConfigError names a bad entry)."""
    section = st.secrets.get("access")
    return AccessRules.from_config(dict(section) if section is not None else None)


def providers() -> list[str | None]:
    """The providers to offer: None for a single [auth] provider, else each [auth.NAME] section."""
    section = st.secrets.get("auth") or {}
    if "client_id" in section:
        return [None]
    named = [
        name for name, value in section.items() if hasattr(value, "get") and "client_id" in value
    ]
    return named or [None]


def listens_beyond_localhost() -> bool:
    """True when the server accepts connections from other machines."""
    address = (st.get_option("server.address") or "").strip()
    return address not in LOCAL_ADDRESSES  # empty means every interface


_warned = threading.Event()


def _warn_open_server() -> None:
    if listens_beyond_localhost() and not _warned.is_set():
        _warned.set()
        _LOG.warning(
            "The dashboard listens on %s without sign-in: anyone who can reach this server "
            "sees all the data. Configure [auth] and [access] in .streamlit/secrets.toml "
            "(README: Sign-in and roles).",
            st.get_option("server.address") or "every network interface",
        )


def gate(_: Translate) -> Identity:
    """Return who is looking, or draw the sign-in / refusal page and stop the script."""
    try:
        enabled = sign_in_enabled()
        rules = access_rules() if enabled else None
    except (SecretsError, AccessConfigError) as error:
        _LOG.error("Sign-in is misconfigured: %s", error)
        st.title(_("ACP-EU Migration Action"), anchor=False)
        st.error(
            _(
                "Sign-in is misconfigured, so no data is shown. The administrator can fix it in "
                ".streamlit/secrets.toml: {reason}"
            ).format(reason=escape_markdown(error)),
            icon=":material/error:",
        )
        st.stop()
    if not enabled or rules is None:
        _warn_open_server()
        return OPEN
    if not st.user.get("is_logged_in", False):
        _sign_in_page(_)
        st.stop()
    email = str(st.user.get("email") or "") or None
    verified = st.user.get("email_verified")
    role = rules.role(email, verified=verified if isinstance(verified, bool) else None)
    _audit_once(email, role)
    if role is None:
        _refused_page(_, email)
        st.stop()
    return Identity(sign_in=True, email=email, role=role)


def _audit_once(email: str | None, role: str | None) -> None:
    # One event per sign-in, not per page view or reload: the ID token's issue time (iat)
    # tells sign-ins apart; sessions of the same sign-in share it.
    issued = st.user.get("iat")
    key = (email, issued, role)
    seen = _seen_sign_ins()
    with seen["lock"]:
        if key in seen["keys"]:
            return
        seen["keys"].add(key)
    event = audit.SIGN_IN if role else audit.REFUSED
    details = {"role": role} if role else {}
    try:
        store.audit_log().append(event, email, **details)
    except OSError as error:
        _LOG.error("The audit log cannot be written: %s", error)


@st.cache_resource(show_spinner=False)
def _seen_sign_ins() -> dict:
    return {"lock": threading.Lock(), "keys": set()}


def _sign_in_page(_: Translate) -> None:
    st.title(_("ACP-EU Migration Action"), anchor=False)
    st.write(
        _(
            "This dashboard is shared within the programme team. Sign in with your "
            "organisation's account to see it."
        )
    )
    names = providers()
    for name in names:
        label = _("Sign in") if name is None or len(names) == 1 else _("Sign in with {provider}")
        if st.button(
            label.format(provider=name),
            type="primary",
            icon=":material/login:",
            key=f"sign_in_{name}",
        ):
            st.login(name) if name else st.login()


def _refused_page(_: Translate, email: str | None) -> None:
    st.title(_("ACP-EU Migration Action"), anchor=False)
    st.error(
        _(
            "You are signed in as {email}, but this address has no access to this dashboard. "
            "Ask the person who runs it to add you, or sign out and use another account."
        ).format(email=escape_markdown(email or _("(no e-mail address given by your provider)"))),
        icon=":material/block:",
    )
    if st.button(_("Sign out"), icon=":material/logout:", key="sign_out_refused"):
        st.logout()


def account(identity: Identity, _: Translate) -> None:
    """The sidebar's line 'Signed in as ... (role)' and its sign-out button."""
    if not identity.sign_in:
        return
    role = _("data manager") if identity.is_data_manager else _("viewer")
    st.caption(
        _("Signed in as {email} ({role})").format(email=escape_markdown(identity.email), role=role)
    )
    if st.button(_("Sign out"), icon=":material/logout:", key="sign_out"):
        st.logout()


def open_server_warning(_: Translate) -> None:
    """On the Data page: say plainly when anyone who reaches the server sees the data."""
    if listens_beyond_localhost():
        st.warning(
            _(
                "Sign-in is off and this server listens beyond this machine: anyone who can "
                "reach it sees all the data. Configure sign-in (README: Sign-in and roles)."
            ),
            icon=":material/public:",
        )
