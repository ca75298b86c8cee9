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
* Live (baz_data.live): ONE watch per source for the whole server (``_live``, in
  ``st.cache_resource``) probes the source every ``probe_interval`` seconds (Drive's version of
  the spreadsheet, a workbook's mtime; never a Sheets read) and reads it again only when the
  stamp moved. While the probe answers, the data is kept past the cache time (it changes only
  when the probe says so); when probing is unavailable or failing, the cache time rules, as
  before. Each open page checks the shared state a few times per interval (ui's fragment,
  :func:`follow`) and reruns only when a new data version (or a new failure) is there.
* A new data version arrives in ONE place, :func:`_arrived`: every successful read passes it,
  and a read whose content revision equals the current one changes nothing (the same Dataset
  object stays, so nothing reruns or recomputes), unless Vernieuwen asked for it.
  :func:`_new_version` is the hook for what follows a real change (the history store).
* Page view-models (baz_data.reports) are cached per data version and filters, so metrics are
  computed once per data version, not on every rerun.
* History (app_history.py): every load records a snapshot of the raw tabs in the history store
  (``_load`` hands the raw tabs to ``app_history.record``); "Zoals op" and "Wat veranderde"
  live there too.
* Closing a quarter (app_closing.py): ``with_closes`` attaches the history's closes to the
  loaded Dataset and adds their revision to the version; close and reopen refuse on the server
  for any role but a logged-in stuurgroep user.
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

log = logging.getLogger("baz.app_state")
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


@functools.cache
def probe_interval() -> float:
    """Seconds between two probes for changes (``probe_interval`` in secrets.toml, default 15),
    for the whole server."""
    from baz_data.config import load_settings
    from baz_data.live import DEFAULT_PROBE_INTERVAL
    from baz_data.sources import SourceError

    try:
        return float(load_settings().probe_interval)
    except SourceError:
        return DEFAULT_PROBE_INTERVAL


@st.cache_resource(show_spinner=False)
def _source(workbook: str | None):
    """The configured source: a client (it may hold a Google connection), never data."""
    from baz_data.config import make_source

    return make_source(workbook=workbook)


# -- loading ------------------------------------------------------------------------------------
def _load(source_id: tuple, _source, _stamp: str | None = None) -> Dataset:
    """Read the source. The stamp the data starts from is a probe's just before the read (the
    one that saw the change, ``_stamp``, or one made now), so a change during the read is seen
    by the next probe."""
    from baz_data.model import build_dataset, read_revised
    from baz_data.sources import SourceError

    if _stamp is None:
        probed = _probe(source_id, _source, force=True)
        _stamp = probed[0] if probed else None
    live = _live(source_id)
    try:
        raw = read_revised(_source)
    except SourceError as exc:
        with live.lock:   # every viewer (a new one too) hears of it, with the data's age
            live.read_failure, live.failed_at = str(exc), time.monotonic()
        raise
    from app_history import record

    record(raw)           # the history store skips content it already holds
    ds = build_dataset(raw)
    with live.lock:
        live.watch.read_done(_stamp)
        live.read_failure = None
    return ds


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


def _arrived(source_id: tuple, ds: Dataset, keep_same: bool = True) -> Dataset:
    """A read succeeded: the Dataset every viewer sees from now on. With the content revision of
    the current one (and ``keep_same``; Vernieuwen passes False to show the new reading time),
    the current object stays: nothing on screen changes, no cache is recomputed. A read that
    finishes after a newer one never replaces it."""
    last_good = _last_good()
    with last_good.lock:
        old = last_good.by_source.get(source_id)
        if old is ds:
            return ds
        if old is not None and old.info.fetched_at > ds.info.fetched_at:
            return old
        same = old is not None and old.info.revision == ds.info.revision
        if same and keep_same:
            return old
        last_good.by_source[source_id] = ds
    if not same:
        _new_version(source_id, ds)
    return ds


def _new_version(source_id: tuple, ds: Dataset) -> None:
    """A new data version arrived (content that differs from the last, read once for the whole
    server). The history store has recorded it already, in ``_load`` (which sees the raw
    tabs, app_history.record); this logs it."""
    log.info("new data version %s of %s, read at %s", ds.info.revision, source_id,
             ds.info.fetched_at.isoformat(timespec="seconds"))


# -- live: one probe for the whole server, pages follow by themselves ----------------------------
@dataclass
class _Live:
    """The change watch of one source (baz_data.live.Watch) and the fate of the last read."""

    lock: threading.Lock
    watch: object                      # baz_data.live.Watch, guarded by ``lock``
    reading: bool = False              # a read the probe asked for is under way
    read_failure: str | None = None    # Dutch: the last read failed (the data is older)
    failed_at: float = float("-inf")   # time.monotonic() of that failure


@st.cache_resource(show_spinner=False)
def _live(source_id: tuple) -> _Live:
    from baz_data.live import Watch

    return _Live(threading.Lock(), Watch(probe_interval(), float(cache_ttl())))


def _probe(source_id: tuple, source, force: bool = False) -> tuple[str | None, bool] | None:
    """Probe the source if a probe is due for the whole server (``force``: before a read).
    (stamp, moved) when it answered; None when no probe ran or it failed."""
    from baz_data.sources import ProbeUnavailable, SourceError

    live = _live(source_id)
    with live.lock:
        if not live.watch.claim(time.monotonic(), force):
            return None
    try:
        stamp = source.probe()
    except ProbeUnavailable as exc:
        with live.lock:
            newly = live.watch.failed(str(exc), unavailable=True)
        if newly:   # once, not every interval; the English detail is in the probe's own log line
            log.warning("not following %r live, reading by the cache time: %s", source, exc)
        return None
    except SourceError as exc:
        with live.lock:
            live.watch.failed(str(exc), unavailable=False)
        log.info("change probe of %r failed: %s", source, exc)
        return None
    with live.lock:
        return stamp, live.watch.answered(stamp)


def _reread(source_id: tuple, source, stamp: str | None) -> None:
    """The probe saw a change: read once for the whole server (a failure is kept for every
    viewer, with the data's age, and tried again at a later probe)."""
    from baz_data.sources import SourceError

    live = _live(source_id)
    with live.lock:
        if live.reading:   # the read under way started earlier: the next probe asks again
            return
        live.reading = True
    try:
        cached = _cached_load()
        cached.clear()
        _arrived(source_id, cached(source_id, source, _stamp=stamp))
    except SourceError as exc:
        log.warning("reading %r after a change failed: %s", source, exc)
    finally:
        with live.lock:
            live.reading = False


def _source_id() -> tuple:
    """The configured source's identity, as load() keys it."""
    from baz_data.config import workbook_override

    return (workbook_override(),)


def live_tick() -> float | None:
    """Seconds between two checks of an open page for new data; None when the source never
    changes (the bundled demo) or nothing is loaded."""
    from baz_data.live import tick_interval

    current = held()
    if current is None or current.source_id != _source_id():
        return None
    live = _live(current.source_id)
    with live.lock:
        static = live.watch.static
    return None if static else tick_interval(probe_interval())


def follow() -> bool:
    """An open page's check (ui's fragment, every live_tick seconds): run the probe when it is
    due for the whole server, read when the stamp moved, and say whether this page is behind:
    True when a newer data version or another failure is there for it (rerun the page), or,
    when probing does not work, when the cache time has passed."""
    from baz_data.quota import REFRESH_INTERVAL

    current = held()
    if current is None or current.source_id != _source_id():   # data handed in another way
        return False
    source_id = current.source_id
    source = _source(*source_id)
    probed = _probe(source_id, source)
    live = _live(source_id)
    with live.lock:
        retry = (live.read_failure is not None
                 and time.monotonic() - live.failed_at >= REFRESH_INTERVAL)
    if probed is not None and (probed[1] or retry):
        _reread(source_id, source, probed[0])
    with live.lock:
        following, read_failure = live.watch.following, live.read_failure
    if not following:
        return time.monotonic() - current.checked >= cache_ttl()
    last_good = _last_good()
    with last_good.lock:
        newest = last_good.by_source.get(source_id)
    return (newest is not None and newest is not current.ds) or current.failure != read_failure


@dataclass(frozen=True)
class LiveState:
    """What the sidebar says about following the source (messages in Dutch)."""

    following: bool
    unavailable: str | None            # probing cannot work: what to switch on
    failure: str | None                # the last probe failed (the next may work)


def live_state() -> LiveState:
    current = held()
    live = _live(current.source_id)
    with live.lock:
        watch = live.watch
        return LiveState(watch.following, watch.unavailable, watch.failure)


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

    from baz_data.config import workbook_override

    current = held()
    now = time.monotonic()
    source_id = (workbook_override(),)
    last_good = _last_good()
    refreshing = current is not None and current.checked == float("-inf")
    live = _live(source_id)
    with live.lock:
        following, read_failure = live.watch.following, live.read_failure
    if following and not refreshing and (current is None or current.source_id == source_id):
        # the probe answers: the server's newest data is current until it says otherwise
        with last_good.lock:
            newest = last_good.by_source.get(source_id)
        if newest is not None:
            if current is None or current.ds is not newest:
                current = Held(newest, source_id, now)
                st.session_state[_HELD] = current
            current.checked, current.failure = now, read_failure
            return current
    if current is not None and now - current.checked < cache_ttl():
        return current
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
    ds = _arrived(source_id, ds, keep_same=not refreshing)
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
    from baz_data import closing, evaluation, reports

    module, _, attr = name.rpartition(".")
    return getattr({"": reports, "evaluation": evaluation, "closing": closing}[module], attr)


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
PEILDATUM_CHOICE = "baz_peildatum_choice"   # the day the user picked (None: the default)


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
