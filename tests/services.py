"""Real services for integration tests: PostgreSQL and a `chroma run` server, on 127.0.0.1, in temporary folders.

A test module that needs them declares ``pytest_plugins = ["services"]`` and asks for:

- ``postgres`` (session): one running PostgreSQL, stopped when the session ends (also after failures);
- ``postgres_url`` (per test): a fresh, empty database on it as a SQLAlchemy URL, dropped afterwards;
- ``postgres_factory`` (per test): servers of the test's own, to stop and restart at will;
- ``chroma_service`` (per test): a ``chroma run`` server over a folder of the test.

PostgreSQL is Debian's (``initdb`` and ``pg_ctl``; ``scripts/setup.sh test`` installs ``postgresql``
where they are missing). As root it runs as the ``postgres`` user (``runuser``), which is why its
folder lives outside pytest's root-only temporary tree. CI runs on a machine like this one, so a
server that cannot start fails the test with its log: these tests are never skipped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from servers import ChromaServer, PostgresServer, ServiceError, pg_binary

__all__ = ["ChromaServer", "PostgresServer", "ServiceError", "pg_binary"]


def start_postgres() -> PostgresServer:
    """A running server, or ``pytest.fail`` with the reason (never a skip: CI has PostgreSQL)."""
    try:
        server = PostgresServer()
    except ServiceError as exc:
        pytest.fail(f"PostgreSQL cannot start: {exc}")
    try:
        return server.start()
    except (ServiceError, OSError, subprocess.TimeoutExpired) as exc:
        server.close()
        pytest.fail(f"PostgreSQL cannot start: {exc}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A fresh database on the session's server, as a SQLAlchemy URL (``postgresql+psycopg://``)."""
    name = postgres.create_database()
    yield postgres.url(name)
    postgres.drop_database(name)


@pytest.fixture
def postgres_factory() -> Iterator[Callable[[], PostgresServer]]:
    """Start servers of the test's own with ``postgres_factory()``; all are stopped and removed afterwards."""
    started: list[PostgresServer] = []

    def make() -> PostgresServer:
        server = start_postgres()
        started.append(server)
        return server

    yield make
    for server in started:
        server.close()


@pytest.fixture
def chroma_service(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server")
    try:
        server.start()
    except (ServiceError, OSError) as exc:
        pytest.fail(f"chroma server cannot start: {exc}")
    try:
        yield server
    finally:
        server.stop()
