"""The audit log: JSON lines appended, read back in order, broken lines skipped."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing

import pytest

from acpeu_data.audit import PUBLISH, REFUSED, SIGN_IN, AuditLog


def test_events_are_appended_as_json_lines(tmp_path):
    log = AuditLog(tmp_path / "logs" / "audit.jsonl")
    assert log.read() == []
    log.append(SIGN_IN, "alice@example.org", role="data_manager")
    log.append(REFUSED, "mallory@elsewhere.net")
    log.append(PUBLISH, "alice@example.org", version=2, comment="March update")
    lines = (tmp_path / "logs" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines] == ["sign_in", "refused", "publish"]
    events = log.read()
    assert events[2]["version"] == 2 and events[2]["comment"] == "March update"
    assert events[1]["email"] == "mallory@elsewhere.net"
    when = dt.datetime.fromisoformat(events[0]["at"])
    assert when.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - when).total_seconds()) < 60
    assert [e["event"] for e in log.read(last=2)] == ["refused", "publish"]


def test_an_unknown_event_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown audit event"):
        AuditLog(tmp_path / "a.jsonl").append("deleted_everything", "x@example.org")


def test_a_broken_line_is_skipped(tmp_path):
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append(SIGN_IN, "a@example.org")
    with path.open("ab") as f:
        f.write(b'{"at": "2026-01-01T00:00:00+00:00", "ev')  # a disk that filled mid-line
        f.write(b"\n")
    log.append(SIGN_IN, "b@example.org")
    assert [e["email"] for e in log.read()] == ["a@example.org", "b@example.org"]


def test_text_stays_text(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append(PUBLISH, "a@example.org", comment='Données "mars"\nnew line')
    assert log.read()[0]["comment"] == 'Données "mars"\nnew line'
    assert len(log.raw().splitlines()) == 1


def _append_many(path: str, who: str) -> None:
    log = AuditLog(path)
    for i in range(200):
        log.append(PUBLISH, who, version=i, comment="x" * 500)


def test_concurrent_writers_never_interleave(tmp_path):
    path = str(tmp_path / "audit.jsonl")
    workers = [
        multiprocessing.get_context("spawn").Process(target=_append_many, args=(path, who))
        for who in ("a@example.org", "b@example.org")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    events = AuditLog(path).read()
    assert len(events) == 400
    for who in ("a@example.org", "b@example.org"):
        assert [e["version"] for e in events if e["email"] == who] == list(range(200))
