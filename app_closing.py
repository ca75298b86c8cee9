"""Closing a quarter, app side (Kwartaaloverzicht; the rules are in baz_data.closing).

``with_closes`` attaches the history's closes to the loaded Dataset (one shallow copy per data
version and closes revision, server-wide) and adds the revision to the version, so every cached
figure follows a close or reopen. ``close_preview``/``close_quarter``/``reopen_quarter`` refuse
on the server for any role but a logged-in stuurgroep user: hiding the buttons is not the guard.

Error policy: a store that cannot be used never breaks a page: ``with_closes`` shows every
quarter as open and the history notice says why; the closing functions raise the Dutch
StatementError / HistoryError that the page shows.
"""
from __future__ import annotations

import streamlit as st

import app_history
import app_state
from baz_data.model import Dataset


def _snapshot_builder(store):
    return lambda sid: app_history._snapshot_dataset(store.url, sid, store)


def with_closes(ds: Dataset, version: tuple) -> tuple[Dataset, tuple]:
    """(``ds`` with the history's closes attached, its version with the closes' revision);
    ``(ds, version)`` when there is no store (then every quarter shows as open)."""
    from baz_data.closing import store_ledger
    from baz_data.sources import SourceError

    store = app_history.history_store()
    if store is None:
        return ds, version
    try:
        ledger = store_ledger(store, build=_snapshot_builder(store))
    except SourceError as exc:
        app_history._history().failure = str(exc)
        return ds, version
    version = version + (("closes", ledger.revision),)
    return _attached(version, _ds=ds, _ledger=ledger), version


@st.cache_resource(max_entries=4, show_spinner=False)
def _attached(version: tuple, _ds: Dataset, _ledger) -> Dataset:
    """One Dataset with closes per data version and closes revision for the whole server: a
    shallow copy (every frame and memo shared with the loaded one), never a copy of the data."""
    from baz_data.closing import with_ledger

    return with_ledger(_ds, _ledger)


def _closing_store():
    """The store, for a stuurgroep user only: refused server-side for every other role."""
    from baz_data.closing import may_close
    from baz_data.history.store import HistoryError
    from baz_data.statements import StatementError

    if not may_close(app_state.role()):
        raise StatementError("Alleen een aangemeld lid van de stuurgroep kan een kwartaal "
                             "afsluiten of heropenen.")
    store = app_history.history_store()
    if store is None:
        raise HistoryError(app_history.history_failure() or "De geschiedenis is niet "
                           "beschikbaar: zonder geschiedenis kan er niets afgesloten worden.")
    return store


def _tab_steps():
    """The Afrekeningen tab's steps for the configured source (none for a workbook)."""
    from baz_data.config import workbook_override
    from baz_data.sources import SourceError
    from baz_data.statement_tab import tab_steps

    try:
        return tab_steps(app_state._source(workbook_override()))
    except SourceError:
        return None, None


def close_preview(year: int, quarter: int):
    """What closing (year, quarter) would freeze (closing.ClosePreview); StatementError
    (Dutch) for any role but stuurgroep, or when the rules refuse."""
    from baz_data.closing import preview_close

    store = _closing_store()
    return preview_close(store, year, quarter, build=_snapshot_builder(store))


def close_quarter(preview):
    """Close as previewed, by the logged-in stuurgroep user (closing.CloseResult)."""
    from baz_data.closing import close_quarter as close

    store = _closing_store()
    write_tab, _ = _tab_steps()
    return close(store, preview, app_state.role().email, write_tab=write_tab)


def reopen_quarter(year: int, quarter: int, reason: str) -> str:
    from baz_data.closing import reopen_quarter as reopen

    store = _closing_store()
    _, mark_tab = _tab_steps()
    return reopen(store, year, quarter, app_state.role().email, reason, mark_tab=mark_tab)
