"""A throwaway PostgreSQL server for tests and benchmarks (no mock).

Debian's server binaries (``initdb``, ``pg_ctl``) build a cluster in a
temporary folder and start it on a free loopback port with its socket in
that folder; stopping it removes everything. As root the server runs as the
``postgres`` user (PostgreSQL refuses to run as root).

    with PgServer() as pg:
        url = pg.create_database("t1")   # postgresql://postgres@127.0.0.1:PORT/t1
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def server_bindir() -> str | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """Start a private PostgreSQL cluster; ``stop()`` (or leaving ``with``) removes it."""

    def __init__(self, bindir: str | None = None, *, durable: bool = False) -> None:
        """``durable=False`` trades crash safety for speed (fsync and synchronous
        commit off); tests that kill the server need ``durable=True``."""
        found = bindir or server_bindir()
        if not found:
            raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
        self.bindir = found
        self.port = 0
        self.tmp = ""
        self.superuser = "postgres"
        self.durable = durable
        self._pw = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    # ------------------------------------------------------------------ process
    def _demote(self) -> Callable[[], None] | None:
        pw = self._pw
        if pw is None:
            return None

        def run_as_postgres() -> None:
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)

        return run_as_postgres

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [os.path.join(self.bindir, args[0]), *args[1:]],
            capture_output=True, text=True, timeout=timeout, preexec_fn=self._demote(),
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )  # fmt: skip

    def start(self) -> PgServer:
        self.tmp = tempfile.mkdtemp(prefix="newsweave-pg-")
        os.chmod(self.tmp, 0o755)
        if self._pw is not None:
            os.chown(self.tmp, self._pw.pw_uid, self._pw.pw_gid)
        data = os.path.join(self.tmp, "data")
        r = self._run("initdb", "-D", data, "-A", "trust", "-U", self.superuser, "-E", "UTF8", "--no-sync")
        if r.returncode != 0:
            self.stop()
            raise RuntimeError(f"initdb failed: {r.stderr[-500:]}")
        for _ in range(5):  # a port taken between picking and binding: pick another
            self.port = free_port()
            r = self._run("pg_ctl", "-D", data, "-l", os.path.join(self.tmp, "log"), "-w", "-o",
                          self._options(), "start")  # fmt: skip
            if r.returncode == 0:
                return self
        log = Path(self.tmp, "log").read_text(errors="replace")[-800:] if Path(self.tmp, "log").exists() else ""
        self.stop()
        raise RuntimeError(f"pg_ctl start failed: {r.stderr[-300:]} {log}")

    def _options(self) -> str:
        opts = f"-k {self.tmp} -p {self.port} -c listen_addresses=127.0.0.1 -c max_connections=60"
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        return opts

    def stop(self) -> None:
        if self.tmp and os.path.isdir(os.path.join(self.tmp, "data")):
            self._run("pg_ctl", "-D", os.path.join(self.tmp, "data"), "-m", "immediate", "-w", "stop", timeout=60)
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp = ""

    def kill(self) -> None:
        """Stop the server at once, as a crash or an administrator would (data kept)."""
        self._run("pg_ctl", "-D", os.path.join(self.tmp, "data"), "-m", "immediate", "-w", "stop", timeout=60)

    def restart(self) -> None:
        """Start again after :meth:`kill`, on the same port."""
        r = self._run("pg_ctl", "-D", os.path.join(self.tmp, "data"), "-l", os.path.join(self.tmp, "log"),
                      "-w", "-o", self._options(), "start")  # fmt: skip
        if r.returncode != 0:
            raise RuntimeError(f"pg_ctl restart failed: {r.stderr[-300:]}")

    def __enter__(self) -> PgServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------------- SQL
    def url(self, database: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.superuser}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement as the superuser (autocommit)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def create_database(self, name: str, owner: str | None = None) -> str:
        """A new empty database; returns its URL (as ``owner`` when given)."""
        self.sql(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))
        return self.url(name, owner)

    def drop_database(self, name: str) -> None:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def throwaway_server() -> Iterator[PgServer]:
    """``with throwaway_server() as pg: ...``"""
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()
