"""The history database's schema (SQLAlchemy Core) and its migrations.

Schema version 1:

- ``baz_meta`` (name, value): ``schema_version``;
- ``snapshots``: one row per stored state of the sheets. ``id`` is the snapshot's place in the
  chronological chain (1, 2, 3…); being the primary key, two processes can never store the same
  successor twice. ``revision`` is the content hash (codec.revision), ``taken_at`` the local
  (Brussels) time the rows were read, plus what the source told about itself;
- ``row_versions``: one row per version of a sheet row, with the snapshot that added it
  (``added_in``) and the one that removed it (``removed_in``, NULL while it is current). A row is
  in snapshot S when ``added_in <= S`` and (``removed_in`` is NULL or ``> S``);
- ``tab_layouts``: per tab, the order of its row versions (delta-encoded ids, zlib) and the
  fingerprint of its cells, written only by a snapshot in which the tab changed (or moved); a
  NULL ``layout`` says the tab was removed.

Storage grows with what changed, not with the number of snapshots.

Schema version 2 (closing a quarter, :mod:`.closes`; v1 unchanged):

- ``quarter_closes``: one row per Afsluiten: ``id`` (1, 2, 3…), ``year``, ``quarter``,
  ``closed_at`` (local Brussels time), ``closed_by`` (e-mail), ``snapshot_id`` (the snapshot the
  figures were taken from), and ``reopened_at``/``reopened_by``/``reopen_reason`` NULL until the
  quarter is reopened (the row stays: a close in force has ``reopened_at`` NULL);
- ``frozen_lines``: the statement lines a close froze (statements.FROZEN_COLUMNS without the
  close's own who and when): ``corrects`` NULL for the quarter's own line, else the earlier
  quarter it corrects; hours in units of 1/10.000 h, amounts in cents;
- ``close_audit``: who did what when and why (``afgesloten`` / ``heropend``), in order.

Migrations: ``MIGRATIONS[n]`` brings a database from version n to n+1, inside the one
transaction that also sets ``schema_version``. A later feature (frozen quarterly statements,
live probes) adds its tables here as version 2, 3…, never by changing a released version.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

SCHEMA_VERSION_KEY = "schema_version"
metadata = sa.MetaData()

meta = sa.Table(
    "baz_meta", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)

snapshots = sa.Table(
    "snapshots", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("taken_at", sa.DateTime, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("revision", sa.String(64), nullable=False),
    sa.Column("source_kind", sa.String(32), nullable=False),
    sa.Column("source_label", sa.Text, nullable=False),
    sa.Column("source_url", sa.Text),
    sa.Column("gids", sa.Text, nullable=False),        # JSON {tab: gid}
    sa.Column("problems", sa.Text, nullable=False),    # JSON list of the source's own Problems
    sa.Column("rows_added", sa.Integer, nullable=False),
    sa.Column("rows_removed", sa.Integer, nullable=False),
)

row_versions = sa.Table(
    "row_versions", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("tab", sa.Text, nullable=False),
    sa.Column("row_key", sa.Text, nullable=False),
    sa.Column("digest", sa.String(32), nullable=False),
    sa.Column("cells", sa.Text, nullable=False),       # codec.encode_row
    sa.Column("added_in", sa.Integer, nullable=False),
    sa.Column("removed_in", sa.Integer),
    sa.Index("ix_row_versions_added", "added_in"),
    sa.Index("ix_row_versions_removed", "removed_in"),
)

tab_layouts = sa.Table(
    "tab_layouts", metadata,
    sa.Column("snapshot_id", sa.Integer, primary_key=True),
    sa.Column("tab", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),   # the tab's place in the workbook
    sa.Column("layout", sa.LargeBinary),
    sa.Column("tab_hash", sa.String(40)),                # codec.tab_hash of the tab's cells
)

V1_TABLES = [snapshots, row_versions, tab_layouts]


def _to_v1(conn: sa.Connection) -> None:
    metadata.create_all(conn, tables=V1_TABLES, checkfirst=True)


quarter_closes = sa.Table(
    "quarter_closes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("quarter", sa.Integer, nullable=False),
    sa.Column("closed_at", sa.DateTime, nullable=False),
    sa.Column("closed_by", sa.Text, nullable=False),
    sa.Column("snapshot_id", sa.Integer, nullable=False),
    sa.Column("reopened_at", sa.DateTime),
    sa.Column("reopened_by", sa.Text),
    sa.Column("reopen_reason", sa.Text),
    sa.Index("ix_quarter_closes_year", "year", "quarter"),
)

frozen_lines = sa.Table(
    "frozen_lines", metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("close_id", sa.Integer, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("quarter", sa.Integer, nullable=False),
    sa.Column("partner", sa.Text, nullable=False),
    sa.Column("subproject", sa.Text, nullable=False),
    sa.Column("corrects", sa.Integer),
    sa.Column("units", sa.BigInteger, nullable=False),
    sa.Column("comp_units", sa.BigInteger, nullable=False),
    sa.Column("uncomp_units", sa.BigInteger, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Index("ix_frozen_lines_close", "close_id"),
)

close_audit = sa.Table(
    "close_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("quarter", sa.Integer, nullable=False),
    sa.Column("close_id", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text),
)

V2_TABLES = [quarter_closes, frozen_lines, close_audit]


def _to_v2(conn: sa.Connection) -> None:
    metadata.create_all(conn, tables=V2_TABLES, checkfirst=True)


MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {0: _to_v1, 1: _to_v2}
LATEST = max(MIGRATIONS) + 1
