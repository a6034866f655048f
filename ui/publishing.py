"""The Data page's shared side: publishing an upload for everyone, the history, rollback, audit;
the sections that draw them (published_versions, publish_form, audit_log) and what they do.

Only a data manager (ui.auth) sees the publish and rollback controls and the audit log; every
signed-in user sees the history. The version store itself is acpeu_data.versions.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

import acpeu_data as ad
from acpeu_data import audit, i18n, versions
from acpeu_data.i18n import Translate
from acpeu_data.versions import PublishError, Seed, Version
from ui import data as ui_data
from ui import store
from ui.screen import PageContext
from ui.widgets import download, table

FLASH_KEY = "publishing_flash"
MAX_COMMENT_CHARS = 200
AUDIT_ROWS_SHOWN = 500


def when(moment: dt.datetime, lang: str) -> str:
    """A version's time as people read it, in UTC (the same for every reader)."""
    utc = moment.astimezone(dt.UTC)
    return f"{i18n.format_date(utc.date(), lang)} {utc:%H:%M} UTC"


def kind_text(version: Version, _: Translate) -> str:
    if version.kind == versions.ROLLED_BACK:
        return _("Rolled back to version {number}").format(number=version.restored_from)
    if version.kind == versions.INITIAL:
        return _("The data in use before the first publication")
    return _("Published")


def changes_text(changes: dict | None, _: Translate) -> str:
    """'requests: +3 −1 ~2 · participation: +4' (added, removed, changed); '–' when unknown."""
    if changes is None:
        return "–"
    parts = []
    for name, counts in changes.items():
        bits = [
            f"+{counts.get('added', 0)}" if counts.get("added") else "",
            f"−{counts.get('removed', 0)}" if counts.get("removed") else "",
            f"~{counts.get('changed', 0)}" if counts.get("changed") else "",
        ]
        if any(bits):
            parts.append(f"{name}: {' '.join(b for b in bits if b)}")
    return " · ".join(parts) if parts else _("no change")


def history_frame(history: list[Version], _: Translate, lang: str) -> pd.DataFrame:
    """The versions, newest first, as the Data page lists them."""
    return pd.DataFrame(
        {
            _("Version"): [v.number for v in history],
            _("When"): [when(v.published_at, lang) for v in history],
            _("By"): [v.by or "–" for v in history],
            _("What"): [kind_text(v, _) for v in history],
            _("Comment"): [v.comment for v in history],
            _("Changes (+ added, − removed, ~ changed rows)"): [
                changes_text(v.changes, _) for v in history
            ],
            _("Rows"): [
                " · ".join(f"{t} {i18n.format_number(n, lang)}" for t, n in v.counts.items())
                for v in history
            ],
        }
    )


def _changes_against(new: ad.Dataset):
    def changes(previous: Version | None):
        old = ui_data.load_version(previous) if previous is not None else None
        return versions.summarize_changes(old, new) if old is not None else None

    return changes


def _flash(kind: str, text: str) -> None:
    st.session_state[FLASH_KEY] = (kind, text)


def show_flash() -> None:
    """The outcome of the last publication or rollback of this session, once."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        kind, text = flash
        (st.success if kind == "success" else st.error)(
            ui_data.escape_markdown(text), icon=":material/check_circle:"
        )


def publish_upload(identity, comment: str, _: Translate) -> Version | None:
    """Publish this session's checked upload for everyone; record it in the audit log."""
    dataset = st.session_state.get(ui_data.UPLOAD_KEY)
    files = st.session_state.get(ui_data.UPLOAD_FILES_KEY)
    if dataset is None or not files:
        return None
    target = store.version_store()
    seed = None
    # Keep what everyone saw so far, so it can come back (a database store records its own).
    if ui_data.configured_url() is None and target.latest() is None:
        current = ui_data.load_configured()
        folder = ui_data.configured_folder() or ui_data.BUNDLED_DIR
        if current is not None:
            seed = Seed(folder, versions.row_counts(current))
    counts = versions.row_counts(dataset)
    try:
        version = target.publish(
            files,
            by=identity.email,
            comment=comment,
            counts=counts,
            changes=_changes_against(dataset),
            seed=seed,
        )
    except PublishError as error:
        _flash("error", _("Nothing was published: {reason}").format(reason=str(error)))
        return None
    _log(audit.PUBLISH, identity.email, version=version.number, comment=comment, counts=counts)
    ui_data.forget_upload()
    _flash(
        "success",
        _("Version {number} is published: everyone sees it from their next click.").format(
            number=version.number
        ),
    )
    return version


def roll_back(identity, number: int, comment: str, _: Translate) -> Version | None:
    """Make version `number` current again, as a new version; record it in the audit log."""
    target = store.version_store()
    old = target.get(number)
    restored = ui_data.load_version(old) if old is not None else None
    if restored is None:
        _flash("error", _("Version {number} cannot be loaded any more.").format(number=number))
        return None
    try:
        version = target.rollback(
            number, by=identity.email, comment=comment, changes=_changes_against(restored)
        )
    except PublishError as error:
        _flash("error", _("Nothing was rolled back: {reason}").format(reason=str(error)))
        return None
    _log(audit.ROLLBACK, identity.email, version=version.number, restored=number, comment=comment)
    _flash(
        "success",
        _("Version {number} is current again (recorded as version {new}).").format(
            number=number, new=version.number
        ),
    )
    return version


def _log(event: str, email: str | None, **details) -> None:
    try:
        store.audit_log().append(event, email, **details)
    except OSError as error:
        st.warning(str(error))


def audit_frame(events: list[dict], _: Translate) -> pd.DataFrame:
    """Audit events, newest first: time, event, e-mail and the details as text."""
    names = {
        audit.SIGN_IN: _("signed in"),
        audit.REFUSED: _("refused"),
        audit.PUBLISH: _("published"),
        audit.ROLLBACK: _("rolled back"),
    }
    rows = []
    for event in reversed(events):
        details = {k: v for k, v in event.items() if k not in ("at", "event", "email")}
        rows.append(
            {
                _("When (UTC)"): str(event.get("at", "")).replace("T", " ")[:19],
                _("Event"): names.get(event.get("event"), str(event.get("event"))),
                _("E-mail"): event.get("email") or "–",
                _("Details"): json.dumps(details, ensure_ascii=False) if details else "",
            }
        )
    columns = [_("When (UTC)"), _("Event"), _("E-mail"), _("Details")]
    return pd.DataFrame(rows, columns=columns)


def published_versions(page: PageContext) -> None:
    """'Published versions': the history (everyone), what publishing does (a data manager, before
    the first publication), and the rollback form (a data manager, once there is an earlier
    version)."""
    _ = page._
    can_publish = page.identity.is_data_manager
    try:
        history = store.version_store().history()
    except ad.DataError:  # the database cannot be read: its problems are listed above
        history = []
    if history or can_publish:
        st.header(_("Published versions"), anchor=False)
    if history:
        st.write(
            _(
                "Every publication is kept: who published it, when, why, its rows and what "
                "changed since the version before. Everyone sees the newest."
            )
        )
        table(page, history_frame(history, _, page.lang))
    elif can_publish and ui_data.configured_url() is not None:
        st.write(
            _(
                "Nothing has been published yet: everyone sees the tables of the database. Upload "
                "files below, check them, and publish them for everyone: they replace the tables, "
                "and the data in them now is kept as version 1."
            )
        )
    elif can_publish:
        st.write(
            _(
                "Nothing has been published yet: everyone sees the data folder. Upload files "
                "below, check them, and publish them for everyone."
            )
        )
    if can_publish and len(history) > 1:
        _rollback_form(page, history)


def _rollback_form(page: PageContext, history: list[Version]) -> None:
    """Choose an earlier version and say why; it becomes current again as a new version."""
    _ = page._
    with st.form("rollback", border=True):
        st.subheader(_("Make an earlier version current again"), anchor=False)
        earlier = {v.number: v for v in history[1:]}
        chosen = st.selectbox(
            _("Version"),
            list(earlier),
            format_func=lambda number: _("Version {number} of {when}: {comment}").format(
                number=number,
                when=when(earlier[number].published_at, page.lang),
                comment=earlier[number].comment or kind_text(earlier[number], _),
            ),
            key="rollback_version",
        )
        reason = st.text_input(
            _("Why (a short comment, kept in the history)"),
            max_chars=MAX_COMMENT_CHARS,
            key="rollback_comment",
        )
        if st.form_submit_button(_("Make this version current again"), icon=":material/history:"):
            if not reason.strip():
                st.error(_("Write a short comment first: it tells the others why."))
            else:
                roll_back(page.identity, chosen, reason.strip(), _)
                st.rerun()


def publish_form(page: PageContext) -> None:
    """For a data manager looking at a checked upload: publish it for everyone, with a comment."""
    _ = page._
    if not (
        page.identity.is_data_manager
        and page.state.is_upload
        and st.session_state.get(ui_data.UPLOAD_FILES_KEY)
    ):
        return
    with st.form("publish", border=True):
        st.subheader(_("Publish these files for everyone"), anchor=False)
        st.write(
            _(
                "The files you uploaded have no errors and are what you see now. Publishing "
                "keeps them as a new version: everyone sees them from their next click, and "
                "the version before stays in the history."
            )
        )
        comment = st.text_input(
            _("What is new (a short comment, kept in the history)"),
            max_chars=MAX_COMMENT_CHARS,
            key="publish_comment",
        )
        if st.form_submit_button(_("Publish"), type="primary", icon=":material/publish:"):
            if not comment.strip():
                st.error(_("Write a short comment first: it tells the others what changed."))
            else:
                with st.spinner(_("Publishing...")):
                    publish_upload(page.identity, comment.strip(), _)
                st.rerun()


def audit_log(page: PageContext) -> None:
    """For a data manager: the last sign-ins, refusals, publications and rollbacks, and the
    whole log as a download."""
    _ = page._
    if not page.identity.is_data_manager:
        return
    st.header(_("Audit log"), anchor=False)
    log = store.audit_log()
    events = log.read(last=AUDIT_ROWS_SHOWN)
    st.write(
        _(
            "Sign-ins, refusals, publications and rollbacks, newest first (the last {count})."
        ).format(count=page.number(AUDIT_ROWS_SHOWN))
    )
    table(page, audit_frame(events, _))
    download(
        _("Download the audit log (JSON lines)"), log.raw, "acpeu-audit.jsonl", key="audit_download"
    )
