"""The audit log: one JSON object per line, appended, never rewritten (no Streamlit here).

Each event has `at` (UTC, ISO 8601), `event` (sign_in, refused, publish, rollback), `email`
(the only personal data kept) and event details (version numbers, comment, row counts). Lines
are appended with one write under an exclusive lock, so events of concurrent sessions never
interleave; a line that cannot be parsed (a disk that filled mid-line) is skipped when read.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections import deque
from pathlib import Path

SIGN_IN = "sign_in"
REFUSED = "refused"
PUBLISH = "publish"
ROLLBACK = "rollback"
EVENTS = (SIGN_IN, REFUSED, PUBLISH, ROLLBACK)


class AuditLog:
    """Appends events to, and reads them back from, a JSON-lines file."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def append(self, event: str, email: str | None, **details: object) -> dict:
        """Append one event; return it as written."""
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        record = {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "event": event,
            "email": email,
            **details,
        }
        line = (json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock
        return record

    def read(self, last: int | None = None) -> list[dict]:
        """Return the events, oldest first (only the `last` ones when given)."""
        if not self.path.exists():
            return []
        events: deque[dict] = deque(maxlen=last)
        with self.path.open("rb") as log:
            for raw in log:
                try:
                    record = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(record, dict) and "event" in record:
                    events.append(record)
        return list(events)

    def raw(self) -> bytes:
        """Return the whole file (for a download), empty when nothing was logged yet."""
        return self.path.read_bytes() if self.path.exists() else b""
