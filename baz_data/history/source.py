"""``SnapshotSource``: the sheets as the history stored them at a moment, as a Source.

``build_dataset(SnapshotSource(store, as_of).read())`` is the Dataset every page and command
would have shown then, so nothing downstream knows it looks at the past.

Error policy: no snapshot at or before ``as_of`` (history started later, or none yet) is a
:class:`~baz_data.history.store.HistoryError` that says when history starts.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..sources import RawWorkbook
from ..schema import TABLES
from .store import HistoryError, HistoryStore, SnapshotInfo, _fmt

# Tabs matched by content (no key), and the tabs whose change makes "what changed" compare
# whole models: those that decide whether such a row counts. Acties and Gebruikers change
# weekly and are left out on purpose: an hour row that turns into an error only because its
# action was deleted is then not listed as removed (the deleted action is).
CONTENT_TABS = tuple(tab for tab, table in TABLES.items() if not table.key)
CONTEXT_TABS = tuple(tab for tab, table in TABLES.items()
                     if table.key and tab not in ("Acties", "Gebruikers"))


def end_of(moment: dt.date | dt.datetime) -> dt.datetime:
    """A date means the whole day ("zoals op 31/03" includes what was stored that evening)."""
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime.combine(moment, dt.time.max)


@dataclass
class SnapshotSource:
    store: HistoryStore
    as_of: dt.datetime

    def snapshot(self) -> SnapshotInfo:
        found = self.store.at(self.as_of)
        if found is None:
            first = self.store.first()
            if first is None:
                raise HistoryError("Er is nog geen geschiedenis bewaard: ze begint bij de eerste "
                                   "keer dat het dashboard de gegevens leest of bij "
                                   "'python -m baz_data snapshot'.")
            raise HistoryError(f"De geschiedenis begint op {_fmt(first.taken_at)}; van "
                               f"{_fmt(self.as_of)} is niets bewaard.")
        return found

    def read(self) -> RawWorkbook:
        return self.store.read(self.snapshot().id)


def changes_between(store: HistoryStore, since: dt.datetime, until: dt.datetime,
                    visible=None, build=None):
    """What changed between the stored states at ``since`` and at ``until`` (changes.compare).

    When history starts after ``since``, it compares from the first snapshot and says so
    (``history_start``). ``visible`` (Dataset → Dataset, e.g. access.visible_dataset for a
    role) is applied to both states; ``build`` (snapshot id → Dataset) lets the app use its
    cache.
    """
    from ..changes import Changes, compare
    from ..model import build_dataset

    build = build or (lambda sid: build_dataset(store.read(sid)))
    visible = visible or (lambda ds: ds)
    first = store.first()
    if first is None:
        return Changes(since, until, None, None, None)
    start = first.taken_at if first.taken_at > since else None
    new = store.at(until)
    if new is None:
        return Changes(since, until, None, None, first.taken_at)
    old = store.at(since) or first
    if old.id == new.id:
        new_ds = old_ds = visible(build(new.id))
    elif store.tabs_version(old.id, CONTEXT_TABS) == store.tabs_version(new.id, CONTEXT_TABS):
        # The keyed tabs every other row is checked against did not change, so a row of
        # Uren, Uitgaven or Metingen is valid or not by itself: comparing only the rows one
        # side has and the other has not gives the same result at a fraction of the work.
        old_raw, new_raw = store.read_difference(old.id, new.id, CONTENT_TABS)
        old_ds, new_ds = visible(build_dataset(old_raw)), visible(build_dataset(new_raw))
    else:
        new_ds, old_ds = visible(build(new.id)), visible(build(old.id))
    return compare(old_ds, new_ds, since, until, old.taken_at, new.taken_at, start)


def progress_states(store: HistoryStore, year: int, upto: dt.date, build=None):
    """(week end, Dataset of the progress tabs as stored at the end of that week) for every week
    of ``year`` up to ``upto`` that the history covers; one model per distinct snapshot.
    Weeks in which those tabs did not change share one model (``store.tabs_version``).
    ``build`` (snapshot id → Dataset of PROGRESS_TABS) lets the app use its cache."""
    from ..model import build_dataset
    from ..progress_history import PROGRESS_TABS, week_ends

    build = build or (lambda sid: build_dataset(store.read(sid, PROGRESS_TABS)))
    built: dict[int, object] = {}
    states = []
    for day in week_ends(year, upto):
        snap = store.at(end_of(day))
        if snap is None:
            continue
        version = store.tabs_version(snap.id, PROGRESS_TABS)
        if version not in built:
            built[version] = build(version)
        states.append((day, built[version]))
    return states


def progress_lines(store: HistoryStore, ds, year: int, upto: dt.date, level: str = "subproject"):
    """(lines, deadlines) of progress per week for ``level`` up to ``upto``, as the Overzicht
    shows them (progress_history.progress_view; the deadlines from ``ds``, the data the viewer
    sees): the quarterly PDF of ``python -m baz_data export`` takes them from here."""
    from ..progress_history import plan_deadlines, progress_by_week, progress_view

    return progress_view(progress_by_week(progress_states(store, year, upto), year),
                         plan_deadlines(ds, year), level)
