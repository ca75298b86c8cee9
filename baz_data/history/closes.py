"""Closing a quarter in the history store: the closes, their frozen lines and the audit list.

The rules (what may close, what a correction is) are :mod:`baz_data.statements`; this module
keeps what they decided (schema version 2, :mod:`.tables`):

* :func:`close` stores one close of (year, quarter) with the statement lines it freezes (the
  caller computed them with ``statements.lines_to_freeze`` from snapshot ``snapshot_id``) and
  an ``afgesloten`` audit row;
* :func:`reopen` marks the close in force of (year, quarter) reopened (who, when, why; its
  frozen rows stop counting, the row stays) and adds a ``heropend`` audit row;
* :func:`ledger` reads everything back as a ``statements.Ledger``; :func:`closes`,
  :func:`frozen_lines`, :func:`audit` give its parts for one year.

Each write is one transaction under the store's writer lock (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL an advisory lock), and checks the rules again inside it, against what is stored
then. ``expected`` (the ledger revision the caller computed its lines from) makes a close
refuse when another close or reopen came in between: the lines it carries would be stale.

Error policy: a refused close or reopen is a ``statements.StatementError`` (Dutch); a database
failure a ``HistoryError`` (Dutch), the English detail to the log.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from .. import statements as st
from ..clock import local_now
from . import tables as t
from .store import HistoryError, HistoryStore


def _ids(conn: sa.Connection, table: sa.Table) -> int:
    return (conn.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1


def _read(conn: sa.Connection, year: int | None) -> st.Ledger:
    qc, fl, au = t.quarter_closes, t.frozen_lines, t.close_audit
    where_c = [] if year is None else [qc.c.year == year]
    closes = pd.DataFrame(conn.execute(sa.select(
        qc.c.id.label("close_id"), qc.c.year, qc.c.quarter, qc.c.closed_at, qc.c.closed_by,
        qc.c.snapshot_id, qc.c.reopened_at, qc.c.reopened_by, qc.c.reopen_reason)
        .where(*where_c).order_by(qc.c.id)).mappings().all(), columns=st.CLOSE_COLUMNS)
    frozen = pd.DataFrame(conn.execute(sa.select(
        fl.c.close_id, fl.c.year, fl.c.quarter, fl.c.partner, fl.c.subproject, fl.c.corrects,
        fl.c.units, fl.c.comp_units, fl.c.uncomp_units, fl.c.amount, qc.c.closed_at,
        qc.c.closed_by).join(qc, qc.c.id == fl.c.close_id)
        .where(qc.c.reopened_at.is_(None), *where_c).order_by(fl.c.id)).mappings().all(),
        columns=st.FROZEN_COLUMNS)
    where_a = [] if year is None else [au.c.year == year]
    audit = pd.DataFrame(conn.execute(sa.select(
        au.c.id.label("audit_id"), au.c.at, au.c.by, au.c.action, au.c.year, au.c.quarter,
        au.c.close_id, au.c.reason).where(*where_a).order_by(au.c.id)).mappings().all(),
        columns=st.AUDIT_COLUMNS)
    revision = conn.scalar(sa.select(sa.func.max(au.c.id))) or 0
    for frame, ints in ((closes, ["close_id", "year", "quarter", "snapshot_id"]),
                        (frozen, ["close_id", "year", "quarter"] + st.FIGURES),
                        (audit, ["audit_id", "year", "quarter", "close_id"])):
        for col in ints:
            frame[col] = frame[col].astype("int64")
    frozen["corrects"] = st.optional_ints(frozen["corrects"])
    for frame, cols in ((closes, ("reopened_at", "reopened_by", "reopen_reason")),
                        (audit, ("reason",))):
        for col in cols:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return st.Ledger(closes, frozen, audit, int(revision))


def ledger(store: HistoryStore, year: int | None = None) -> st.Ledger:
    """Every close (reopened ones too), the frozen rows of the closes in force and the audit
    list, of ``year`` or of every year. ``revision`` is the last audit id of the store."""
    with store._guard("gelezen worden"), store.engine.connect() as conn:
        return _read(conn, year)


def closes(store: HistoryStore, year: int) -> pd.DataFrame:
    return ledger(store, year).closes


def frozen_lines(store: HistoryStore, year: int) -> pd.DataFrame:
    """FROZEN_COLUMNS of the closes in force of ``year``."""
    return ledger(store, year).frozen


def audit(store: HistoryStore, year: int) -> pd.DataFrame:
    return ledger(store, year).audit


def close(store: HistoryStore, year: int, quarter: int, by: str, snapshot_id: int,
          lines: pd.DataFrame, expected: int, now: dt.datetime | None = None) -> pd.DataFrame:
    """Close (year, quarter): store ``lines`` (statements.lines_to_freeze) as frozen by a new
    close, in one transaction. Returns the frozen rows (FROZEN_COLUMNS) as stored."""
    now = (now or local_now()).replace(microsecond=0)
    with store._guard("bijgewerkt worden"), store._write() as conn:
        current = _read(conn, year)
        if current.revision != expected:
            raise st.StatementError(
                "Intussen werd er een kwartaal afgesloten of heropend. Bekijk de lijnen "
                "opnieuw en sluit dan af.")
        st.check_close(current, year, quarter, now.date())
        if conn.scalar(sa.select(t.snapshots.c.id).where(t.snapshots.c.id == snapshot_id)) \
                is None:
            raise HistoryError(f"Momentopname {snapshot_id} bestaat niet in de geschiedenis.")
        close_id = _ids(conn, t.quarter_closes)
        conn.execute(t.quarter_closes.insert().values(
            id=close_id, year=year, quarter=quarter, closed_at=now, closed_by=by,
            snapshot_id=snapshot_id))
        first = _ids(conn, t.frozen_lines)
        rows = [{"id": first + i, "close_id": close_id, "year": year, "quarter": quarter,
                 "partner": str(r.partner), "subproject": str(r.subproject),
                 "corrects": None if r.corrects is None or pd.isna(r.corrects)
                 else int(r.corrects),
                 **{c: int(getattr(r, c)) for c in st.FIGURES}}
                for i, r in enumerate(lines.itertuples(index=False))]
        if rows:
            conn.execute(t.frozen_lines.insert(), rows)
        conn.execute(t.close_audit.insert().values(
            id=_ids(conn, t.close_audit), at=now, by=by, action=st.CLOSED_ACTION, year=year,
            quarter=quarter, close_id=close_id, reason=None))
        stored = _read(conn, year).frozen
    return stored[stored["close_id"] == close_id].reset_index(drop=True)


def reopen(store: HistoryStore, year: int, quarter: int, by: str, reason: str,
           now: dt.datetime | None = None) -> int:
    """Reopen (year, quarter) with a reason, in one transaction; returns the reopened close's
    id."""
    now = (now or local_now()).replace(microsecond=0)
    with store._guard("bijgewerkt worden"), store._write() as conn:
        current = _read(conn, year)
        reason = st.check_reopen(current, year, quarter, reason)
        close_id = int(current.close_of(year, quarter)["close_id"])
        conn.execute(t.quarter_closes.update().where(t.quarter_closes.c.id == close_id).values(
            reopened_at=now, reopened_by=by, reopen_reason=reason))
        conn.execute(t.close_audit.insert().values(
            id=_ids(conn, t.close_audit), at=now, by=by, action=st.REOPENED_ACTION, year=year,
            quarter=quarter, close_id=close_id, reason=reason))
    return close_id
