"""The app's state: which source, cached loading with a last-good fallback, shared filters.

The one app-side module that touches caching and secrets (secrets only through baz_data.config).

* The Dataset is loaded through ``st.cache_resource`` (TTL from the settings, default 5 minutes),
  keyed by the source's identity: ONE object per data version for the whole server, shared by
  every session (never copied: a Dataset is never changed after it is built). Sessions keep only
  a reference (``Held``) and their choices, so an extra viewer costs no copy of the data.
* The last good Dataset is also kept server-wide (``_last_good``): when the source fails, every
  viewer — a new one too — keeps seeing it, with a notice of its age.
* Vernieuwen (``refresh``) clears the data all viewers share and costs the read quota they share
  too: it is for the roles baz_data.access.may_refresh names, and at most once per
  baz_data.quota.REFRESH_INTERVAL seconds for the whole server (one timestamp under a lock in
  ``st.cache_resource``, not per session). A refresh that comes too early does nothing; the
  sidebar says when it can again.
* Page view-models (baz_data.reports) are cached per data version and filters, so metrics are
  computed once per data version, not on every rerun.
* History (baz_data.history): every load records a snapshot of the raw tabs in the history store
  (once per data version for the whole server, as the load itself is; an unchanged state writes
  nothing). The store is opened once per process (``history_store``; after a failure again at
  most once a minute); a store that fails never breaks a page: ``history_failure`` gives the
  Dutch notice and the live data is shown. "Zoals op" (``AS_OF``) swaps the loaded Dataset for
  the one stored then (``past``), keyed by snapshot id in every cache key.
* Pages never see the loaded Dataset itself: app.py hands over (``show``) the part the viewer's
  role may see (baz_data.access, via app_access), and ``dataset``/``view``/``export`` read only
  that, with the role's scope in every cache key, so no cached figure crosses roles.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from baz_data.access import Role
from baz_data.model import Dataset

_HELD = "_baz_held"                    # session_state key of the session's Dataset
SHOWN = "_baz_shown"                   # session_state key of (Role, Dataset) the pages may see


@dataclass
class Held:
    """The Dataset a session shows, when it was last checked and why it may be old."""

    ds: Dataset
    source_id: tuple
    checked: float                     # time.monotonic() of the last load attempt
    failure: str | None = None         # Dutch message when the last attempt failed

    @property
    def version(self) -> tuple:
        """What identifies this data: the source and when it was read."""
        return self.source_id + (self.ds.info.fetched_at.isoformat(),)


# -- source and settings (clients and configuration, never data) --------------------------------
@functools.cache
def cache_ttl() -> int:
    """Seconds data is kept before re-reading (``cache_ttl`` in secrets.toml, default 5 minutes);
    read once per process, like the rest of the configuration."""
    from baz_data.config import DEFAULT_CACHE_TTL, load_settings
    from baz_data.sources import SourceError

    try:
        return int(load_settings().cache_ttl) or DEFAULT_CACHE_TTL
    except SourceError:  # an unreadable secrets file: make_source reports it on loading
        return DEFAULT_CACHE_TTL


@st.cache_resource(show_spinner=False)
def _source(workbook: str | None):
    """The configured source: a client (it may hold a Google connection), never data."""
    from baz_data.config import make_source

    return make_source(workbook=workbook)


# -- loading ------------------------------------------------------------------------------------
def _load(source_id: tuple, _source) -> Dataset:
    from baz_data.model import build_dataset

    raw = _source.read()
    _record(raw)
    return build_dataset(raw)


@functools.cache
def _cached_load():
    """``_load`` under st.cache_resource (one shared object per data version; two entries: the
    current and, briefly, the previous); built on first use because the TTL comes from the
    settings."""
    return st.cache_resource(ttl=cache_ttl(), show_spinner=False, max_entries=2)(_load)


@dataclass
class _LastGood:
    """The newest Dataset that loaded, per source, for the whole server."""

    lock: threading.Lock
    by_source: dict


@st.cache_resource(show_spinner=False)
def _last_good() -> _LastGood:
    return _LastGood(threading.Lock(), {})


@dataclass
class _RefreshClock:
    """When the data was last refreshed on request, for the whole server."""

    lock: threading.Lock
    last: float | None = None          # time.monotonic()


@st.cache_resource(show_spinner=False)
def _refresh_clock() -> _RefreshClock:
    return _RefreshClock(threading.Lock())


def refresh_wait() -> float:
    """Seconds until Vernieuwen may read the source again (0.0: now), server-wide."""
    from baz_data.quota import refresh_wait as wait

    clock = _refresh_clock()
    with clock.lock:
        return wait(clock.last, time.monotonic())


def _claim_refresh() -> bool:
    """Take the one refresh of this interval; False when another viewer already did."""
    from baz_data.quota import refresh_wait as wait

    clock = _refresh_clock()
    with clock.lock:
        now = time.monotonic()
        if wait(clock.last, now) > 0:
            return False
        clock.last = now
        return True


def refresh() -> None:
    """Vernieuwen: forget the cached data, so this run reads the source again (the session's
    copy stays as the last good data should that fail). Only for a role that may
    (access.may_refresh; the button is not drawn for others, this guards a stale one) and at
    most once per interval for the whole server."""
    from baz_data.access import may_refresh

    shown = st.session_state.get(SHOWN)
    if shown is None or not may_refresh(shown[0]) or not _claim_refresh():
        return
    _cached_load().clear()
    current = held()
    if current is not None:
        current.checked = float("-inf")


def held() -> Held | None:
    """The session's data (None before the first successful load)."""
    return st.session_state.get(_HELD)


def load() -> Held:
    """The data for this run: the session's copy while fresh, else a (cached) load.

    When the source fails, the last good data stays, with ``failure`` set; when this session
    never had good data, the SourceError (a Dutch message) goes to the caller.
    """
    from baz_data.sources import SourceError

    current = held()
    now = time.monotonic()
    if current is not None and now - current.checked < cache_ttl():
        return current
    from baz_data.config import workbook_override

    source_id = (workbook_override(),)
    last_good = _last_good()
    try:
        with st.spinner("Gegevens laden…"):
            ds = _cached_load()(source_id, _source(*source_id))
    except SourceError as exc:
        if current is None:
            with last_good.lock:
                server_copy = last_good.by_source.get(source_id)
            if server_copy is None:
                raise
            current = Held(server_copy, source_id, now)
            st.session_state[_HELD] = current
        current.checked, current.failure = now, str(exc)
        return current
    with last_good.lock:
        last_good.by_source[source_id] = ds
    st.session_state[_HELD] = Held(ds, source_id, now)
    return st.session_state[_HELD]


def show(who: Role, ds: Dataset, version: tuple | None = None) -> None:
    """Hand the pages of this run the data the viewer may see (``who.scope`` names it: ("all",)
    or ("partner", code)); app.py calls this before a page runs. ``version`` names a Dataset
    that is not the loaded one (a snapshot: "zoals op")."""
    st.session_state[SHOWN] = (who, ds, version)


def _shown() -> tuple[tuple, Dataset]:
    """(version incl. scope, Dataset) of what the pages may see. Without ``show`` there is
    nothing to see (a KeyError), never the full data."""
    who, ds, version = st.session_state[SHOWN]
    return (version or st.session_state[_HELD].version) + who.scope, ds


def role() -> Role:
    """Who is looking (baz_data.access.Role), as app.py handed it over with ``show``."""
    return st.session_state[SHOWN][0]


def dataset() -> Dataset:
    return _shown()[1]


# -- cached view-models -------------------------------------------------------------------------
def _view_function(name: str) -> Callable:
    """'overview' is baz_data.reports.overview; 'evaluation.early_warnings' is
    baz_data.evaluation.early_warnings (the view-models of the budget evaluation)."""
    from baz_data import evaluation, reports

    module, _, attr = name.rpartition(".")
    return getattr({"": reports, "evaluation": evaluation}[module], attr)


@st.cache_data(max_entries=256, show_spinner=False)
def _view(name: str, version: tuple, args: tuple, _ds: Dataset):
    return _view_function(name)(_ds, *args)


def view(name: str, *args):
    """``baz_data.reports.<name>(ds, *args)`` (or ``evaluation.<name>``), computed once per data
    version and arguments."""
    version, ds = _shown()
    return _view(name, version, args, _ds=ds)


@st.cache_data(max_entries=32, show_spinner=False)
def _charts(name: str, version: tuple, view_name: str, view_args: tuple, _ds: Dataset) -> list:
    from baz_data import charts

    return getattr(charts, name)(_view(view_name, version, view_args, _ds=_ds))


def charts(name: str, view_name: str, *view_args) -> list:
    """``baz_data.charts.<name>(report)`` (report = view(view_name, *view_args)), built once
    per data version and arguments."""
    version, ds = _shown()
    return _charts(name, version, view_name, view_args, _ds=ds)


@st.cache_data(max_entries=32, show_spinner=False)
def _export(name: str, version: tuple, view_name: str, view_args: tuple,
            export_args: tuple, _ds: Dataset) -> bytes:
    from baz_data import exports

    return getattr(exports, name)(_view(view_name, version, view_args, _ds=_ds), *export_args)


def export(name: str, view_name: str, view_args: tuple, *export_args) -> Callable[[], bytes]:
    """A callable for st.download_button that makes ``baz_data.exports.<name>(report,
    *export_args)`` (report = view(view_name, *view_args)) when clicked, once per data version."""
    version, ds = _shown()
    return functools.partial(_export, name, version, view_name, view_args, export_args, _ds=ds)


# -- filters shared by all pages ----------------------------------------------------------------
YEAR, PEILDATUM = "baz_year", "baz_peildatum"


def year() -> int:
    return st.session_state[YEAR]


def peildatum() -> dt.date:
    return st.session_state[PEILDATUM]


# -- writing the draft budget (Begrotingsevaluatie) ----------------------------------------------
def source_can_write() -> bool:
    """Whether the configured source is a Google Sheet (the only source the app writes to)."""
    from baz_data.config import workbook_override
    from baz_data.gsheets import GoogleSheetsSource
    from baz_data.sources import SourceError

    try:
        return isinstance(_source(workbook_override()), GoogleSheetsSource)
    except SourceError:
        return False


def write_draft(check, next_year: int) -> str:
    """Append a checked draft (baz_data.draft_budget.DraftCheck) to the Begroting tab, for a role
    that may (access.may_write_draft). Returns a Dutch confirmation; raises SourceError."""
    from baz_data.access import may_write_draft
    from baz_data.config import workbook_override
    from baz_data.draft_budget import append_draft
    from baz_data.sources import SourceError

    if not may_write_draft(role()):
        raise SourceError("Alleen de stuurgroep en het BAZIEL-team kunnen het ontwerp wegschrijven.")
    return append_draft(_source(workbook_override()), check, next_year)


# -- history ------------------------------------------------------------------------------------
AS_OF = "baz_as_of"                    # session_state key of the "Zoals op" date (None: now)
HISTORY_RETRY = 60.0                   # seconds before a store that failed to open is tried again
log = logging.getLogger(__name__)


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


def _record(raw) -> None:
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
    who = role()
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
    return progress_view(progress, plan_deadlines(dataset(), year), level)
