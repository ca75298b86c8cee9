"""The history store: snapshots of the raw sheets as row versions in a SQL database.

``HistoryStore(url)`` opens (and migrates, see :mod:`.tables`) a SQLAlchemy database: a SQLite
file or PostgreSQL (``postgresql+psycopg://…``). ``record(raw)`` stores a workbook as the next
snapshot unless its content revision equals the latest one (then nothing is written: an
unchanged refresh costs one fingerprint per tab and one query). ``read(id)`` gives the RawWorkbook of a
snapshot back, cell for cell and type for type; ``at(moment)`` finds the snapshot in force then.

Guarantees:

- one snapshot is one transaction: a failure or a kill half-way leaves the store as it was;
- writers are serialised (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a transaction-level advisory
  lock) and the snapshot id is the primary key of its place in the chain, so two processes
  recording the same state store it once;
- snapshots are chronological: recording one taken before the latest is refused.

Error policy: database and file-system failures become :class:`HistoryError` with a Dutch
message (the URL shown without its password); the English detail goes to the log.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from sqlalchemy import event

from ..clock import local_now
from ..parsing import normalize_code
from ..problems import Problem
from ..sources import RawWorkbook, SourceError, SourceInfo
from . import tables as t
from .codec import HEADER_KEY, decode_row, digest, encode_row, revision, row_keys, tab_hash

log = logging.getLogger(__name__)
_CHUNK = 500                      # ids per IN (...) clause, well inside every driver's limit
_PG_LOCK = 0x42415A48             # "BAZH": the advisory lock of history writers


class HistoryError(SourceError):
    """The history store could not be used. The message is Dutch."""


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    taken_at: dt.datetime
    revision: str
    source_kind: str
    source_label: str
    rows_added: int
    rows_removed: int


def _fmt(moment: dt.datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M}"


def display_url(url: str) -> str:
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 — an unparsable URL is shown as the user typed it
        return "(ongeldig adres)"


def _engine(url: str) -> sa.Engine:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise HistoryError(f"'{url}' is geen geldig database-adres (bv. "
                           "sqlite:///pad/naar/geschiedenis.sqlite3 of "
                           "postgresql+psycopg://gebruiker:wachtwoord@host/database).") from exc
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, connect_args={"timeout": 30})

    # pysqlite's own transaction handling would begin too late for a safe read-then-write;
    # we issue BEGIN ourselves (SQLAlchemy's documented recipe), IMMEDIATE for writers.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")   # readers never wait for a writer

    @event.listens_for(engine, "begin")
    def _begin(conn):
        write = conn.get_execution_options().get("baz_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _pack(ids: list[int]) -> bytes:
    array = np.asarray(ids, dtype="<i8")
    return zlib.compress(np.diff(array, prepend=0).astype("<i8").tobytes(), 6)


def _unpack(blob: bytes) -> np.ndarray:
    return np.cumsum(np.frombuffer(zlib.decompress(blob), dtype="<i8"))


class HistoryStore:
    def __init__(self, url: str):
        self.url = url
        self.shown_url = display_url(url)
        with self._guard("geopend worden"):
            self.engine = _engine(url)
            self._writer = self.engine.execution_options(baz_write=True)
            self._postgres = self.engine.dialect.name == "postgresql"
            self._migrate()

    # -- plumbing -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _guard(self, what: str):
        try:
            yield
        except HistoryError:
            raise
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            log.warning("history store %s: %s failed: %s", self.shown_url, what, exc)
            raise HistoryError(f"De geschiedenis ({self.shown_url}) kon niet {what}: de database "
                               "is niet bereikbaar of niet bruikbaar. De sheets zelf zijn niet "
                               "geraakt.") from exc

    @contextlib.contextmanager
    def _write(self):
        with self._writer.begin() as conn:
            if self._postgres:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
            yield conn

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(t.meta.name):
                return 0
            value = conn.scalar(sa.select(t.meta.c.value)
                                .where(t.meta.c.name == t.SCHEMA_VERSION_KEY))
            return int(value) if value else 0

    def _migrate(self) -> None:
        if self.schema_version() == t.LATEST:
            return
        with self._write() as conn:
            t.meta.create(conn, checkfirst=True)
            value = conn.scalar(sa.select(t.meta.c.value)
                                .where(t.meta.c.name == t.SCHEMA_VERSION_KEY))
            version = int(value) if value else 0
            if version > t.LATEST:
                raise HistoryError(f"De geschiedenis ({self.shown_url}) heeft schemaversie "
                                   f"{version}, nieuwer dan deze versie van het dashboard kent "
                                   f"({t.LATEST}). Werk het dashboard bij.")
            for step in range(version, t.LATEST):
                log.info("history store %s: migrating schema %d -> %d", self.shown_url, step,
                         step + 1)
                t.MIGRATIONS[step](conn)
            if value is None:
                conn.execute(t.meta.insert().values(name=t.SCHEMA_VERSION_KEY,
                                                    value=str(t.LATEST)))
            else:
                conn.execute(t.meta.update().where(t.meta.c.name == t.SCHEMA_VERSION_KEY)
                             .values(value=str(t.LATEST)))

    @staticmethod
    def _info(row) -> SnapshotInfo:
        return SnapshotInfo(row.id, row.taken_at, row.revision, row.source_kind,
                            row.source_label, row.rows_added, row.rows_removed)

    @staticmethod
    def _layouts(conn: sa.Connection, snapshot_id: int) -> dict[str, tuple[int, bytes, str]]:
        """tab -> (position, layout, tab_hash) of every tab present in snapshot ``snapshot_id``."""
        tl = t.tab_layouts
        latest = (sa.select(tl.c.tab, sa.func.max(tl.c.snapshot_id).label("sid"))
                  .where(tl.c.snapshot_id <= snapshot_id).group_by(tl.c.tab).subquery())
        rows = conn.execute(sa.select(tl.c.tab, tl.c.position, tl.c.layout, tl.c.tab_hash).join(
            latest, sa.and_(tl.c.tab == latest.c.tab, tl.c.snapshot_id == latest.c.sid)))
        return {r.tab: (r.position, bytes(r.layout), r.tab_hash) for r in rows
                if r.layout is not None}

    # -- reading --------------------------------------------------------------------------------
    def snapshots(self) -> list[SnapshotInfo]:
        with self._guard("gelezen worden"), self.engine.connect() as conn:
            return [self._info(r) for r in conn.execute(
                sa.select(t.snapshots).order_by(t.snapshots.c.id))]

    def latest(self) -> SnapshotInfo | None:
        with self._guard("gelezen worden"), self.engine.connect() as conn:
            row = conn.execute(sa.select(t.snapshots).order_by(t.snapshots.c.id.desc())
                               .limit(1)).first()
            return self._info(row) if row else None

    def first(self) -> SnapshotInfo | None:
        with self._guard("gelezen worden"), self.engine.connect() as conn:
            row = conn.execute(sa.select(t.snapshots).order_by(t.snapshots.c.id).limit(1)).first()
            return self._info(row) if row else None

    def at(self, moment: dt.datetime) -> SnapshotInfo | None:
        """The snapshot in force at ``moment`` (the latest taken at or before it)."""
        s = t.snapshots
        with self._guard("gelezen worden"), self.engine.connect() as conn:
            row = conn.execute(sa.select(s).where(s.c.taken_at <= moment)
                               .order_by(s.c.id.desc()).limit(1)).first()
            return self._info(row) if row else None

    def tabs_version(self, snapshot_id: int, tabs: tuple[str, ...]) -> int:
        """The snapshot that last changed any of ``tabs`` up to ``snapshot_id``: reading those
        tabs at either gives the same rows (so derived figures can be kept per version)."""
        tl = t.tab_layouts
        wanted = {normalize_code(tab) for tab in tabs}
        with self._guard("gelezen worden"), self.engine.connect() as conn:
            rows = conn.execute(sa.select(tl.c.tab, sa.func.max(tl.c.snapshot_id).label("sid"))
                                .where(tl.c.snapshot_id <= snapshot_id).group_by(tl.c.tab))
            return max((r.sid for r in rows if normalize_code(r.tab) in wanted), default=0)

    def read(self, snapshot_id: int, tabs: tuple[str, ...] | None = None) -> RawWorkbook:
        """The workbook as snapshot ``snapshot_id`` stored it (only the schema ``tabs`` named,
        matched as the loader matches them, when given)."""
        rv = t.row_versions
        with self._guard("gelezen worden"), self.engine.begin() as conn:
            snap = conn.execute(sa.select(t.snapshots)
                                .where(t.snapshots.c.id == snapshot_id)).first()
            if snap is None:
                raise HistoryError(f"Momentopname {snapshot_id} bestaat niet in de geschiedenis.")
            layouts = self._layouts(conn, snapshot_id)
            if tabs is not None:
                wanted = {normalize_code(tab) for tab in tabs}
                layouts = {n: v for n, v in layouts.items() if normalize_code(n) in wanted}
            cells = dict(conn.execute(sa.select(rv.c.id, rv.c.cells).where(
                rv.c.added_in <= snapshot_id, rv.c.tab.in_(list(layouts)),
                sa.or_(rv.c.removed_in.is_(None), rv.c.removed_in > snapshot_id))).all())
        tabs = {name: [decode_row(cells[int(i)]) for i in _unpack(layout)]
                for name, (_, layout, _) in sorted(layouts.items(), key=lambda kv: kv[1][0])}
        info = SourceInfo(snap.source_kind, snap.source_label, snap.taken_at, snap.source_url,
                          json.loads(snap.gids))
        problems = [Problem(**p) for p in json.loads(snap.problems)]
        return RawWorkbook(tabs, info, problems)

    def read_difference(self, old_id: int, new_id: int, tabs: tuple[str, ...]
                        ) -> tuple[RawWorkbook, RawWorkbook]:
        """Both snapshots as ``read`` gives them, except ``tabs`` (tabs without a key, matched
        by content): of those only the header and the rows one snapshot has and the other has
        not — what a comparison of the two needs, at a fraction of the rows."""
        rv = t.row_versions
        wanted = {normalize_code(tab) for tab in tabs}
        out = []
        with self._guard("gelezen worden"), self.engine.begin() as conn:
            for sid in (old_id, new_id):
                snap = conn.execute(sa.select(t.snapshots).where(t.snapshots.c.id == sid)).first()
                if snap is None:
                    raise HistoryError(f"Momentopname {sid} bestaat niet in de geschiedenis.")
                layouts = self._layouts(conn, sid)
                full = [n for n in layouts if normalize_code(n) not in wanted]
                cells = dict(conn.execute(sa.select(rv.c.id, rv.c.cells).where(
                    rv.c.added_in <= sid, rv.c.tab.in_(full),
                    sa.or_(rv.c.removed_in.is_(None), rv.c.removed_in > sid))).all())
                result = {}
                for name, (_, layout, _) in sorted(layouts.items(), key=lambda kv: kv[1][0]):
                    ids = _unpack(layout)
                    if name in full:
                        result[name] = [decode_row(cells[int(i)]) for i in ids]
                        continue
                    if sid == old_id:   # rows removed after the old snapshot, up to the new
                        only = sa.and_(rv.c.added_in <= old_id, rv.c.removed_in > old_id,
                                       rv.c.removed_in <= new_id)
                    else:               # rows added after the old snapshot, still there
                        only = sa.and_(rv.c.added_in > old_id, rv.c.added_in <= new_id,
                                       sa.or_(rv.c.removed_in.is_(None),
                                              rv.c.removed_in > new_id))
                    header = int(ids[0]) if len(ids) else None
                    found = conn.execute(sa.select(rv.c.id, rv.c.row_key, rv.c.cells).where(
                        rv.c.tab == name, sa.or_(only, rv.c.id == header)).order_by(rv.c.id))
                    head, body = [], []
                    for r in found:
                        if r.id == header:
                            head = [decode_row(r.cells)]
                        elif r.row_key != HEADER_KEY:   # the other snapshot's header
                            body.append(decode_row(r.cells))
                    result[name] = head + body
                info = SourceInfo(snap.source_kind, snap.source_label, snap.taken_at,
                                  snap.source_url, json.loads(snap.gids))
                out.append(RawWorkbook(result, info, [Problem(**p)
                                                      for p in json.loads(snap.problems)]))
        return out[0], out[1]

    # -- writing --------------------------------------------------------------------------------
    def record(self, raw: RawWorkbook, taken: dt.datetime | None = None) -> SnapshotInfo | None:
        """Store ``raw`` as the next snapshot, taken at ``taken`` (default: when it was read).

        Returns the new snapshot, or None when its content equals the latest snapshot's (found
        from the tabs' fingerprints with one read, without the write lock: an unchanged
        refresh costs ~0,2 s at 10 years of hours). Only tabs whose fingerprint changed are
        encoded and compared row by row. A ``taken`` before the latest snapshot is refused
        (HistoryError).
        """
        taken = taken or raw.info.fetched_at
        hashes = {name: tab_hash(name, rows) for name, rows in raw.tabs.items()}
        rev = revision(hashes)
        with self._guard("gelezen worden"), self.engine.connect() as conn:
            last = conn.execute(sa.select(t.snapshots.c.revision)
                                .order_by(t.snapshots.c.id.desc()).limit(1)).first()
        if last is not None and last.revision == rev:
            return None
        for attempt in range(2):
            try:
                with self._guard("bijgewerkt worden"):
                    return self._record(raw, hashes, rev, taken)
            except HistoryError as exc:
                # Another process took this place in the chain between our read and write
                # (only without a lock, e.g. a proxy in between): look again, once.
                if attempt or not isinstance(exc.__cause__, sa.exc.IntegrityError):
                    raise
        return None

    def _record(self, raw: RawWorkbook, hashes: dict[str, str], rev: str,
                taken: dt.datetime) -> SnapshotInfo | None:
        rv = t.row_versions
        with self._write() as conn:
            last = conn.execute(sa.select(t.snapshots).order_by(t.snapshots.c.id.desc())
                                .limit(1)).first()
            if last is not None and last.revision == rev:
                return None
            if last is not None and taken < last.taken_at:
                raise HistoryError(
                    f"Momentopname van {_fmt(taken)} ligt vóór de laatste in de geschiedenis "
                    f"({_fmt(last.taken_at)}). Neem oude kopieën op in volgorde van datum, de "
                    "oudste eerst.")
            sid = (last.id if last is not None else 0) + 1
            previous = self._layouts(conn, sid - 1)
            changed = [name for name in raw.tabs
                       if name not in previous or previous[name][2] != hashes[name]]
            gone = [name for name in previous if name not in raw.tabs]
            live: dict[tuple[str, str], tuple[int, str]] = {}
            touched = changed + gone
            for start in range(0, len(touched), _CHUNK):
                live.update({(r.tab, r.row_key): (r.id, r.digest) for r in conn.execute(
                    sa.select(rv.c.id, rv.c.tab, rv.c.row_key, rv.c.digest).where(
                        rv.c.removed_in.is_(None), rv.c.tab.in_(touched[start:start + _CHUNK])))})
            next_id = (conn.scalar(sa.select(sa.func.max(rv.c.id))) or 0) + 1
            added, removed, layouts = [], [], []
            for position, name in enumerate(raw.tabs):
                if name not in changed:
                    if previous[name][0] != position:  # same rows, another place in the book
                        layouts.append({"snapshot_id": sid, "tab": name, "position": position,
                                        "layout": previous[name][1], "tab_hash": hashes[name]})
                    continue
                rows = raw.tabs[name]
                texts = [encode_row(r) for r in rows]
                digests = [digest(text) for text in texts]
                ids = []
                for key, text, row_digest in zip(row_keys(name, rows, digests), texts, digests):
                    found = live.pop((name, key), None)
                    if found is not None and found[1] == row_digest:
                        ids.append(found[0])
                        continue
                    if found is not None:
                        removed.append(found[0])
                    added.append({"id": next_id, "tab": name, "row_key": key,
                                  "digest": row_digest, "cells": text, "added_in": sid})
                    ids.append(next_id)
                    next_id += 1
                layouts.append({"snapshot_id": sid, "tab": name, "position": position,
                                "layout": _pack(ids), "tab_hash": hashes[name]})
            removed += [row_id for row_id, _ in live.values()]
            layouts += [{"snapshot_id": sid, "tab": name, "position": -1, "layout": None,
                         "tab_hash": None} for name in gone]
            conn.execute(t.snapshots.insert().values(
                id=sid, taken_at=taken, recorded_at=local_now(), revision=rev,
                source_kind=raw.info.kind, source_label=raw.info.label,
                source_url=raw.info.url, gids=json.dumps(raw.info.gids),
                problems=json.dumps([asdict(p) for p in raw.problems], ensure_ascii=False),
                rows_added=len(added), rows_removed=len(removed)))
            for start in range(0, len(added), 5000):
                conn.execute(rv.insert(), added[start:start + 5000])
            for start in range(0, len(removed), _CHUNK):
                conn.execute(rv.update().where(rv.c.id.in_(removed[start:start + _CHUNK]))
                             .values(removed_in=sid))
            if layouts:
                conn.execute(t.tab_layouts.insert(), layouts)
            return SnapshotInfo(sid, taken, rev, raw.info.kind, raw.info.label, len(added),
                                len(removed))
