"""The app's history (baz_data.history): the store, "Zoals op", "Wat veranderde" and the
progress lines, cached for the whole server. Split from app_state.py (caching, secrets and
session state of the history live here, as app_state's do there).

Every load records a snapshot of the raw tabs in the history store
(once per data version for the whole server, as the load itself is; an unchanged state writes
nothing). The store is opened once per process (``history_store``; after a failure again at
most once a minute); a store that fails never breaks a page: ``history_failure`` gives the
Dutch notice and the live data is shown. "Zoals op" (``AS_OF``) swaps the loaded Dataset for
the one stored then (``past``), keyed by snapshot id in every cache key.

Error policy: a store that cannot be opened or read never breaks a page: the functions return
None (or the live data) and ``history_failure`` says why, in Dutch; ``past`` raises a Dutch
HistoryError (a SourceError) that ui_history shows as a notice.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass

import streamlit as st

import app_state
from baz_data.model import Dataset

log = logging.getLogger("baz.app_history")
AS_OF = "baz_as_of"                    # session_state key of the "Zoals op" date (None: now)
HISTORY_RETRY = 60.0                   # seconds before a store that failed to open is tried again


@dataclass
class _History:
    """The history store of this process, or why there is none, for the whole server."""

    lock: threading.Lock
    store: object | None = None        # baz_data.history.store.HistoryStore
    failure: str | None = None         # Dutch: why the last open or record failed
    tried: float = float("-inf")       # time.monotonic() of the last attempt to open


@st.cache_resource(show_spinner=False)
def _history() -> _History:
    return _History(threading.Lock())


def history_store():
    """The HistoryStore (opened once per process), or None when it cannot be used now."""
    from baz_data.history.settings import history_url
    from baz_data.history.store import HistoryStore
    from baz_data.sources import SourceError

    state = _history()
    with state.lock:
        if state.store is None and time.monotonic() - state.tried >= HISTORY_RETRY:
            state.tried = time.monotonic()
            try:
                state.store, state.failure = HistoryStore(history_url()), None
            except SourceError as exc:
                state.failure = str(exc)
        return state.store


def history_failure() -> str | None:
    """Why history is unavailable right now (Dutch), or None."""
    return _history().failure


def record(raw) -> None:
    """Remember this state of the sheets; a store failure is a notice, never a broken load."""
    from baz_data.sources import SourceError

    store = history_store()
    if store is None:
        return
    state = _history()
    try:
        store.record(raw)
    except SourceError as exc:
        state.failure = str(exc)
    except Exception as exc:  # noqa: BLE001 — the live data must show whatever the store does
        log.exception("recording a snapshot failed")
        state.failure = ("De geschiedenis kon deze stand niet bewaren door een onverwachte fout "
                         f"({type(exc).__name__}); je ziet de gegevens van nu.")
    else:
        state.failure = None


# two: "zoals op" and the two ends of a "wat veranderde"; a Dataset of 10 years is ~50 MB
@st.cache_resource(max_entries=2, show_spinner=False)
def _snapshot_dataset(url: str, snapshot_id: int, _store) -> Dataset:
    from baz_data.model import build_dataset

    return build_dataset(_store.read(snapshot_id))


def as_of() -> dt.date | None:
    return st.session_state.get(AS_OF)


def history_span() -> tuple[dt.datetime, dt.datetime] | None:
    """(first, latest) snapshot moments, or None without history."""
    from baz_data.sources import SourceError

    store = history_store()
    if store is None:
        return None
    try:
        first, latest = store.first(), store.latest()
    except SourceError as exc:
        _history().failure = str(exc)
        return None
    return (first.taken_at, latest.taken_at) if first else None


def past(moment: dt.date):
    """(snapshot, Dataset) as stored at the end of ``moment``; SourceError (Dutch) when there
    is no history then, or no store."""
    from baz_data.history.source import SnapshotSource, end_of
    from baz_data.history.store import HistoryError

    store = history_store()
    if store is None:
        raise HistoryError(history_failure() or "De geschiedenis is niet beschikbaar.")
    snap = SnapshotSource(store, end_of(moment)).snapshot()
    return snap, _snapshot_dataset(store.url, snap.id, store)


@st.cache_data(max_entries=32, show_spinner=False)
def _changes(url: str, since: dt.datetime, until: dt.datetime, latest: int, scope: tuple,
             _store, _who):
    from baz_data.access import visible_dataset
    from baz_data.changes_report import changes_view
    from baz_data.history.source import changes_between

    return changes_view(changes_between(
        _store, since, until, visible=lambda ds: visible_dataset(ds, _who),
        build=lambda sid: _snapshot_dataset(url, sid, _store)))


def changes(since: dt.datetime, until: dt.datetime):
    """What changed between ``since`` and ``until`` as the viewer may see it
    (changes_report.ChangesView), or None when history is unavailable (history_failure)."""
    from baz_data.sources import SourceError

    store = history_store()
    if store is None:
        return None
    who = app_state.role()
    try:
        latest = store.latest()
        return _changes(store.url, since, until, latest.id if latest else 0, who.scope,
                        _store=store, _who=who)
    except SourceError as exc:
        _history().failure = str(exc)
        return None


@st.cache_resource(max_entries=64, show_spinner=False)
def _progress_dataset(url: str, version: int, _store) -> Dataset:
    from baz_data.model import build_dataset
    from baz_data.progress_history import PROGRESS_TABS

    return build_dataset(_store.read(version, PROGRESS_TABS))


@st.cache_data(max_entries=16, show_spinner=False)
def _progress(url: str, latest: int, year: int, upto: dt.date, _store):
    from baz_data.history.source import progress_states
    from baz_data.progress_history import progress_by_week

    states = progress_states(_store, year, upto,
                             build=lambda version: _progress_dataset(url, version, _store))
    return progress_by_week(states, year)


def progress_lines(level: str, year: int, upto: dt.date):
    """(lines, deadlines) of progress per week for ``level`` (progress_history.progress_view),
    or None when history is unavailable. Action history is project-wide, as on Overzicht; the
    deadlines come from the data the viewer sees."""
    from baz_data.progress_history import plan_deadlines, progress_view
    from baz_data.sources import SourceError

    store = history_store()
    if store is None:
        return None
    try:
        latest = store.latest()
        progress = _progress(store.url, latest.id if latest else 0, year, upto, _store=store)
    except SourceError as exc:
        _history().failure = str(exc)
        return None
    return progress_view(progress, plan_deadlines(app_state.dataset(), year), level)
