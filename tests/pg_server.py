"""A real PostgreSQL server for the tests, started from Debian's `postgresql` package.

`initdb` and `pg_ctl` from /usr/lib/postgresql/<version>/bin make a cluster in a temporary
folder, listening on a free port of 127.0.0.1 only, with a password (so that the tests can
check it is never shown); the server is stopped (by pg_ctl, then by its pid) and the folder
removed afterwards. As root the server runs as the `postgres` user (`runuser -u postgres --`),
as PostgreSQL refuses to run as root. scripts/find_postgres.sh installs the package.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

PASSWORD = "s3cret-Pa55-" + uuid.uuid4().hex[:8]
USER = "acpeu"


def find_bin() -> Path | None:
    """Return the newest /usr/lib/postgresql/*/bin holding initdb and pg_ctl, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    for initdb in reversed(found):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One cluster in a temporary folder; `url(name)` for its databases."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="acpeu-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.pid: int | None = None

    def _run(self, *command: str, **options) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(
            [*prefix, *command], check=True, capture_output=True, text=True, **options
        )

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        password_file = self.root / "password"
        password_file.write_text(PASSWORD + "\n")
        if self.as_root:
            shutil.chown(password_file, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=scram-sha-256",
            f"--pwfile={password_file}",
            "--encoding=UTF8",
            "--locale=C",
        )
        password_file.unlink()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        try:
            if self.pid is not None:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        except subprocess.CalledProcessError:
            pass
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)  # only if pg_ctl could not stop it
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and Path(f"/proc/{self.pid}").exists():
                time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", password: bool = True) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql+psycopg://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t") -> str:
        """Create an empty database; return its URL (with the password)."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=USER,
            password=PASSWORD,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
