"""A real PostgreSQL server for the history tests: Debian's initdb + pg_ctl on a temporary
directory and a free loopback port, for the whole test session. Not a test module.

PostgreSQL refuses to run as root and CI runs as root, so there the server runs as the
``postgres`` user (runuser) in a directory owned by it. Fixtures:

- ``postgres_server``: the server's base URL (session);
- ``history_url``: a fresh, empty database per test, parametrized over SQLite and PostgreSQL,
  so every history test runs against both.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.browser_support import free_port

_counter = itertools.count()


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL ontbreekt: `bash .ci/run` installeert het (apt-get install "
                           "postgresql)")
    return found[-1].parent


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def running_postgres():
    """A throwaway PostgreSQL server (also for bench/bench_history.py); yields its base URL."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="baz-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", free_port()
    run = lambda *a: subprocess.run(_as_server_user([str(x) for x in a]), check=True,  # noqa: E731
                                    capture_output=True, text=True)
    run(bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
    run(bindir / "pg_ctl", "-D", data, "-l", root / "log", "-w", "-t", "60", "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                        "-w", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    with running_postgres() as url:
        yield url


def fresh_database(server: str) -> str:
    import sqlalchemy as sa

    name = f"baz_{os.getpid()}_{next(_counter)}"
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite3'}"
    return fresh_database(request.getfixturevalue("postgres_server"))
