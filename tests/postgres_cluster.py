"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temp dir, on a free port.

`initdb` refuses to run as root, so as root the cluster runs as the `postgres` user that Debian's
package creates. Set CD_TEST_DATABASE_URL to use a server of your own instead.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]), reverse=True)
    return Path(versions[0]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_cluster_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """A running server; yields the URL of its `postgres` database. Stopped and removed afterwards."""
    given = os.environ.get("CD_TEST_DATABASE_URL")
    if given:
        yield given
        return
    with own_cluster() as server:
        yield server.url


class Cluster:
    """A private server that a test may stop and start again (a database going away mid-run)."""

    def __init__(self, bindir: Path, folder: Path):
        self.bindir, self.folder, self.data, self.port = bindir, folder, folder / "data", _free_port()

    @property
    def url(self) -> str:
        return f"postgresql://cd@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(
            _as_cluster_owner([str(self.bindir / "pg_ctl"), "-D", str(self.data), *args]),
            check=check,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._pg_ctl("-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "immediate", "stop", check=False)


@contextlib.contextmanager
def own_cluster() -> Iterator[Cluster]:
    """initdb + pg_ctl in a temp dir on a free port (never CD_TEST_DATABASE_URL); removed afterwards."""
    bindir = binaries()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="cd-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = Cluster(bindir, folder)
    try:
        subprocess.run(
            _as_cluster_owner([str(bindir / "initdb"), "-D", str(server.data), "-A", "trust", "-U", "cd", "--no-sync"]),
            check=True,
            capture_output=True,
            timeout=120,
        )
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server; returns its URL."""
    name = f"cd_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
