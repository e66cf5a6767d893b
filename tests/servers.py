"""Real services on 127.0.0.1 in temporary folders: PostgreSQL and a `chroma run` server.

No pytest here: the test fixtures (``tests/services.py``) and the benchmarks that need shared
services (``benchmarks/chat_load.py --instances 2``, ``benchmarks/scale_bench.py``) both start
them from these classes.

PostgreSQL is Debian's (``initdb`` and ``pg_ctl``; ``scripts/setup.sh test`` installs ``postgresql``
where they are missing). As root it runs as the ``postgres`` user (``runuser``), which is why its
folder lives outside pytest's root-only temporary tree.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from procs import free_port, stop

PG_START_TIMEOUT_S = 60  # pg_ctl -t: a cold start here takes about one second
CHROMA_START_TIMEOUT_S = 60


class ServiceError(RuntimeError):
    """A test service could not be found, started or stopped."""


def pg_binary(name: str) -> str:
    """``initdb``/``pg_ctl`` from PATH, else from Debian's versioned folder (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key, reverse=True)
    if candidates:
        return candidates[0]
    raise ServiceError(f"{name} not found: run `scripts/setup.sh test` (installs Debian's postgresql as root)")


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parts[-3]
    return tuple(int(part) for part in version.split(".") if part.isdigit())


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder, serving on 127.0.0.1 only (trust authentication)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pg-"))  # short: the Unix socket lives here too
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ServiceError("running as root but there is no `postgres` user: install postgresql") from exc
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
        self.running = False

    def _run(self, *args: str, timeout: float = 120) -> None:
        env = {**os.environ, "LC_ALL": "C"}
        done = subprocess.run([*self._as_postgres, *args], capture_output=True, text=True, env=env,
                              timeout=timeout, check=False)  # fmt: skip
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise ServiceError(f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stdout}{done.stderr}\n{log}")

    def start(self) -> PostgresServer:
        if not (self.data / "PG_VERSION").exists():
            self._run(pg_binary("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                      "--encoding=UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(pg_binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
                  "-w", "-t", str(PG_START_TIMEOUT_S), "start")  # fmt: skip
        self.running = True
        return self

    def stop(self) -> None:
        """Stop the server (``pg_ctl stop -m fast``: open connections are closed)."""
        if self.running:
            self._run(pg_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
            self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True, connect_timeout=10) as conn:  # fmt: skip
            conn.execute(sql)

    def create_database(self) -> str:
        """A new empty database; returns its name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class ChromaServer:
    """``chroma run`` over a folder, on a free loopback port."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> ChromaServer:
        exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
        self.process = subprocess.Popen(
            [exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + CHROMA_START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise ServiceError(f"chroma run exited with {self.process.returncode}") from None
                time.sleep(0.2)
        self.stop()
        raise ServiceError(f"chroma server did not start within {CHROMA_START_TIMEOUT_S} s")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None
