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
* Pages never see the loaded Dataset itself: app.py hands over (``show``) the part the viewer's
  role may see (baz_data.access, via app_access), and ``dataset``/``view``/``export`` read only
  that, with the role's scope in every cache key, so no cached figure crosses roles.
"""
from __future__ import annotations

import datetime as dt
import functools
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
    from baz_data.model import load_dataset

    return load_dataset(_source)


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


def show(who: Role, ds: Dataset) -> None:
    """Hand the pages of this run the data the viewer may see (``who.scope`` names it: ("all",)
    or ("partner", code)); app.py calls this before a page runs."""
    st.session_state[SHOWN] = (who, ds)


def _shown() -> tuple[tuple, Dataset]:
    """(version incl. scope, Dataset) of what the pages may see. Without ``show`` there is
    nothing to see (a KeyError), never the full data."""
    who, ds = st.session_state[SHOWN]
    return st.session_state[_HELD].version + who.scope, ds


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
