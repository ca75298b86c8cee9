"""baz_data.history.store and .codec: snapshots as row versions, on SQLite and PostgreSQL.

Every test that takes ``history_url`` runs twice: against a SQLite file and against the real
PostgreSQL server tests/postgres_server.py starts.
"""
from __future__ import annotations

import copy
import datetime as dt
import math
import threading

import pytest
import sqlalchemy as sa

from baz_data.cells import Percent
from baz_data.history import tables
from baz_data.history.codec import decode_row, encode_row, row_keys, digest
from baz_data.history.source import SnapshotSource, end_of
from baz_data.history.store import HistoryError, HistoryStore
from baz_data.metrics import summary
from baz_data.model import build_dataset
from baz_data.sources import RawWorkbook, SourceInfo, demo_source
from tests.conftest import base_tabs

T0 = dt.datetime(2021, 3, 1, 9, 0)

CELLS = [
    pytest.param("tekst", id="str"), pytest.param("", id="empty-str"), pytest.param(None, id="none"),
    pytest.param(1, id="int"), pytest.param(1.0, id="float-one"), pytest.param(True, id="bool"),
    pytest.param(-0.0, id="minus-zero"), pytest.param(0.1 + 0.2, id="float-repr"),
    pytest.param(float("nan"), id="nan"), pytest.param(float("inf"), id="inf"),
    pytest.param(10 ** 30, id="big-int"), pytest.param(dt.date(2021, 3, 15), id="date"),
    pytest.param(dt.datetime(2021, 3, 15, 17, 5, 3, 12), id="datetime"),
    pytest.param(dt.time(4, 30), id="time"), pytest.param(dt.timedelta(days=1, hours=3), id="duration"),
    pytest.param(dt.timedelta(seconds=-5), id="negative-duration"),
    pytest.param(Percent(1.0), id="percent"), pytest.param(Percent(float("nan")), id="percent-nan"),
    pytest.param({"$d": "2021-01-01"}.__str__(), id="text-that-looks-like-a-tag"),
    pytest.param("émoji 🎉 \n\t\"quote\"", id="unicode"),
]


@pytest.mark.parametrize("cell", CELLS)
def test_codec_round_trips_every_cell_type(cell):
    back = decode_row(encode_row(["x", cell]))[1]
    assert type(back) is type(cell)
    if isinstance(cell, float) and math.isnan(cell):
        assert math.isnan(back)
    elif isinstance(cell, Percent) and math.isnan(cell.value):
        assert math.isnan(back.value)
    else:
        assert back == cell
        assert repr(back) == repr(cell)  # -0.0 stays -0.0, 1.0 stays 1.0


def test_codec_refuses_a_type_no_source_gives():
    with pytest.raises(TypeError):
        encode_row([object()])


@pytest.mark.parametrize("tab, rows, expected", [
    pytest.param("Acties", [["ID", "Status"], ["A1", "Lopend"], [" a1", "Gepland"], ["A2", "x"]],
                 ["h", "k:a1", "k:a1#2", "k:a2"], id="keyed-with-duplicate"),
    pytest.param("Begroting", [["Jaar", "Deelproject", "Partner", "Post"], [2021.0, "DP1", None, "Com"],
                               [2021, "dp1", "", "Com"]],
                 ["h", "k:2021\x1fdp1\x1f\x1fcom", "k:2021\x1fdp1\x1f\x1fcom#2"], id="composite-key"),
], )
def test_row_keys_match_by_declared_key(tab, rows, expected):
    keys = row_keys(tab, rows, [digest(encode_row(r)) for r in rows])
    assert keys == expected


def test_row_keys_match_keyless_rows_by_content_and_count_repeats():
    rows = [["Datum", "Uren"], [1, 2], [1, 2], [3, 4]]
    keys = row_keys("Uren", rows, [digest(encode_row(r)) for r in rows])
    assert keys[1].startswith("c:") and keys[2] == keys[1] + "#2" and keys[3] != keys[1]


def _raw(tabs, when=T0) -> RawWorkbook:
    return RawWorkbook(tabs, SourceInfo("test", "testwerkboek", when))


def _count(store: HistoryStore, table: sa.Table) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(table))


def test_a_snapshot_reads_back_cell_for_cell(history_url):
    store = HistoryStore(history_url)
    tabs = base_tabs()
    tabs["Acties"][1][8] = Percent(0.5)
    tabs["Uren"][1][5] = dt.time(4, 0)
    tabs["Uren"][2][5] = dt.timedelta(hours=27, minutes=30)
    tabs["Notities"] = [["vrij"], [], ["", None, 3.5]]  # an extra tab, blank rows included
    snap = store.record(_raw(tabs))
    back = store.read(snap.id)
    assert list(back.tabs) == list(tabs)
    for name in tabs:
        assert back.tabs[name] == tabs[name]
        assert [[type(c) for c in r] for r in back.tabs[name]] == \
               [[type(c) for c in r] for r in tabs[name]]
    assert back.info.fetched_at == T0 and back.info.label == "testwerkboek"


def test_summary_as_of_equals_summary_of_the_original_demo(history_url):
    store = HistoryStore(history_url)
    raw = demo_source().read()
    store.record(raw, T0)
    past = build_dataset(SnapshotSource(store, end_of(T0.date())).read())
    assert summary(past, 2026, None, dt.date(2026, 6, 30)) == \
        summary(build_dataset(raw), 2026, None, dt.date(2026, 6, 30))


def test_an_unchanged_state_writes_nothing(history_url):
    store = HistoryStore(history_url)
    assert store.record(_raw(base_tabs())) is not None
    versions = _count(store, tables.row_versions)
    assert store.record(_raw(base_tabs(), T0 + dt.timedelta(hours=1))) is None
    assert len(store.snapshots()) == 1 and _count(store, tables.row_versions) == versions


def test_storage_grows_with_what_changed_not_with_snapshots(history_url):
    """Appending one hour row adds one version; deleting two rows in the middle adds none (the
    rows below keep their versions, only the tab's layout is new); editing an action is one
    version removed and one added; a revert is a new snapshot of the old rows."""
    store = HistoryStore(history_url)
    tabs = base_tabs()
    first = store.record(_raw(tabs))
    total = sum(len(r) for r in tabs.values())
    assert first.rows_added == total
    tabs["Uren"].append([dt.date(2021, 7, 2), "DOMO", "Cas", "DP1", None, 2, None])
    assert (store.record(_raw(tabs, T0 + dt.timedelta(days=7))).rows_added, ) == (1, )
    del tabs["Uren"][2:4]
    third = store.record(_raw(tabs, T0 + dt.timedelta(days=14)))
    assert (third.rows_added, third.rows_removed) == (0, 2)
    before_edit = copy.deepcopy(tabs)
    tabs["Acties"][1][7] = "Afgerond"
    fourth = store.record(_raw(tabs, T0 + dt.timedelta(days=21)))
    assert (fourth.rows_added, fourth.rows_removed) == (1, 1)
    fifth = store.record(_raw(before_edit, T0 + dt.timedelta(days=28)))
    assert (fifth.id, fifth.rows_added, fifth.rows_removed) == (5, 1, 1)
    assert _count(store, tables.row_versions) == total + 1 + 1 + 1
    assert store.read(3).tabs == before_edit and store.read(5).tabs == before_edit
    assert store.read(4).tabs == tabs


def test_as_of_finds_the_state_in_force_then(history_url):
    store = HistoryStore(history_url)
    old, new = base_tabs(), base_tabs()
    new["Partners"].append(["EKC", "EKC vzw", None])
    store.record(_raw(old, T0))
    store.record(_raw(new, T0 + dt.timedelta(days=7)))
    assert SnapshotSource(store, T0 + dt.timedelta(days=6)).read().tabs == old
    assert SnapshotSource(store, end_of((T0 + dt.timedelta(days=7)).date())).read().tabs == new
    with pytest.raises(HistoryError, match="De geschiedenis begint op 01/03/2021 09:00"):
        SnapshotSource(store, T0 - dt.timedelta(minutes=1)).read()


def test_removed_and_reordered_tabs(history_url):
    store = HistoryStore(history_url)
    tabs = base_tabs()
    store.record(_raw(tabs))
    fewer = {k: v for k, v in reversed(list(tabs.items())) if k != "Metingen"}
    store.record(_raw(fewer, T0 + dt.timedelta(days=1)))
    assert list(store.read(2).tabs) == list(fewer) and store.read(1).tabs == tabs


def test_a_snapshot_before_the_latest_is_refused_in_dutch(history_url):
    store = HistoryStore(history_url)
    store.record(_raw(base_tabs(), T0))
    changed = base_tabs()
    changed["Partners"].append(["EKC", "EKC vzw", None])
    with pytest.raises(HistoryError, match="ligt vóór de laatste in de geschiedenis"):
        store.record(_raw(changed, T0 - dt.timedelta(days=1)))
    assert len(store.snapshots()) == 1


def test_two_processes_recording_at_once_store_one_snapshot(history_url):
    stores = [HistoryStore(history_url) for _ in range(4)]
    barrier, results, errors = threading.Barrier(len(stores)), [], []

    def record(store):
        barrier.wait()
        try:
            results.append(store.record(_raw(base_tabs())))
        except Exception as exc:  # noqa: BLE001 — collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=record, args=(s,)) for s in stores]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sum(r is not None for r in results) == 1
    assert len(stores[0].snapshots()) == 1


def test_schema_is_versioned_and_a_newer_one_is_refused(history_url):
    store = HistoryStore(history_url)
    assert store.schema_version() == tables.LATEST == 2
    HistoryStore(history_url)  # opening again migrates nothing
    with store.engine.begin() as conn:
        conn.execute(tables.meta.update().values(value="99"))
    with pytest.raises(HistoryError, match="schemaversie 99, nieuwer"):
        HistoryStore(history_url)


@pytest.mark.parametrize("url", [
    pytest.param("postgresql+psycopg://baz:geheim@127.0.0.1:1/baz", id="postgres-down"),
    pytest.param("sqlite:////proc/baz/history.sqlite3", id="sqlite-unwritable"),
    pytest.param("geen-adres", id="not-a-url"),
])
def test_an_unavailable_store_is_a_dutch_history_error(url):
    with pytest.raises(HistoryError) as caught:
        HistoryStore(url)
    assert "geheim" not in str(caught.value)
    assert "geschiedenis" in str(caught.value) or "database-adres" in str(caught.value)


def test_baz_data_never_imports_streamlit():
    """Every module of the data package, the history included, imports without Streamlit."""
    import subprocess
    import sys

    from tests.browser_support import ROOT

    code = ("import importlib, pkgutil, sys, baz_data\n"
            "for m in pkgutil.walk_packages(baz_data.__path__, 'baz_data.'):\n"
            "    if m.name not in ('baz_data.__main__',):\n"
            "        importlib.import_module(m.name)\n"
            "print(sorted(n for n in sys.modules if n.split('.')[0] == 'streamlit'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_changes_from_the_differing_rows_equal_changes_from_whole_models(history_url):
    """history.source.changes_between reads only the hour rows that differ when the context
    tabs did not change; its result equals changes.compare of the two whole models."""
    from baz_data.changes import compare
    from baz_data.history.source import changes_between

    store = HistoryStore(history_url)
    old, new = base_tabs(), base_tabs()
    del new["Uren"][2:4]
    new["Uren"].append([dt.date(2021, 7, 2), "DOMO", "Cas", "DP1", None, 2, None])
    new["Uren"][1][5] = 5
    new["Acties"][1][7] = "Afgerond"
    new["Metingen"].pop(2)
    store.record(_raw(old, T0))
    store.record(_raw(new, T0 + dt.timedelta(days=7)))
    since, until = T0 + dt.timedelta(hours=1), T0 + dt.timedelta(days=8)
    found = changes_between(store, since, until)
    whole = compare(build_dataset(_raw(old)), build_dataset(_raw(new)), since, until, T0,
                    T0 + dt.timedelta(days=7))
    for name in ("action_changes", "new_actions", "removed_actions", "hours_added",
                 "tab_changes", "alarms"):
        assert getattr(found, name).to_dict("records") == getattr(whole, name).to_dict("records"), name
    assert found.tab_changes.to_dict("records") == [
        {"tab": "Acties", "added": 0, "changed": 1, "removed": 0},
        {"tab": "Uren", "added": 2, "changed": 0, "removed": 3},    # one of each is the edit
        {"tab": "Metingen", "added": 0, "changed": 0, "removed": 1}]
