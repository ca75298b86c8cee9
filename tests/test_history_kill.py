"""baz_data.history.store survives a kill in the middle of a snapshot (SQLite and PostgreSQL).

A child process starts recording a snapshot; the moment it has written its new row versions
and begins marking old ones removed (a SQLAlchemy ``before_cursor_execute`` listener — the
library's own hook — tells us, then waits), it is killed with SIGKILL. The store must be
exactly as before, and the same snapshot must then record normally.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap

import sqlalchemy as sa

from baz_data.history import tables
from baz_data.history.store import HistoryStore
from baz_data.sources import RawWorkbook, SourceInfo
from tests.browser_support import ROOT
from tests.conftest import base_tabs

CHILD = textwrap.dedent("""
    import datetime as dt, sys, time
    from sqlalchemy import event
    from baz_data.history.store import HistoryStore
    from baz_data.sources import RawWorkbook, SourceInfo
    from tests.test_history_kill import changed_tabs

    store = HistoryStore(sys.argv[1])

    @event.listens_for(store.engine, "before_cursor_execute")
    def pause(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE ROW_VERSIONS"):
            print("MIDDEN", flush=True)
            time.sleep(120)

    store.record(RawWorkbook(changed_tabs(), SourceInfo("test", "t", dt.datetime(2021, 4, 1))))
    print("KLAAR", flush=True)
""")


def changed_tabs() -> dict:
    tabs = base_tabs()
    del tabs["Uren"][1:4]
    tabs["Uren"] += [[dt.date(2021, 5, d), "ATK", "An", "DP1", None, 1, None] for d in range(1, 29)]
    return tabs


def _state(store: HistoryStore):
    with store.engine.connect() as conn:
        return [conn.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
                for t in (tables.snapshots, tables.row_versions, tables.tab_layouts)]


def test_a_kill_half_way_leaves_the_store_as_it_was(history_url):
    store = HistoryStore(history_url)
    store.record(RawWorkbook(base_tabs(), SourceInfo("test", "t", dt.datetime(2021, 3, 1))))
    before = _state(store)
    child = subprocess.Popen([sys.executable, "-c", CHILD, history_url], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "MIDDEN", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    store.engine.dispose()
    again = HistoryStore(history_url)
    assert _state(again) == before
    assert again.read(1).tabs == base_tabs()
    snap = again.record(RawWorkbook(changed_tabs(), SourceInfo("test", "t", dt.datetime(2021, 4, 1))))
    assert (snap.id, snap.rows_added, snap.rows_removed) == (2, 28, 3)
    assert again.read(2).tabs == changed_tabs()
