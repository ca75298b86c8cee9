"""Cells to JSON and back, losslessly, and the key that matches a row across snapshots.

A RawWorkbook cell is str, int, float, bool, date, datetime, time, timedelta,
:class:`~baz_data.cells.Percent` or None. str, int, bool, None and finite floats are plain JSON
(Python's json keeps 1 and 1.0 apart); every other type is a one-key object with a type tag
(``{"$d": "2021-03-15"}``), which no plain cell can be. ``decode_row(encode_row(r)) == r`` for
every row a source can give, types included, so an "as of" load equals the original load.

Row keys: a row of a tab with a declared key (:attr:`baz_data.schema.Table.key`) is matched by
those cells (normalised as codes are: no case, no surrounding spaces); the header row by
position; any other row (Uren, Uitgaven, Metingen, or a keyed row whose key cells are all
blank) by its whole content. A repeated key gets ``#2``, ``#3``…: two identical hour rows are two
rows.

Error policy: a cell of a type no source delivers raises ``TypeError`` (a programming error,
reported by the store as a failed snapshot, never written half).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import pickle

from ..cells import Percent
from ..parsing import is_blank, normalize_code
from ..schema import TABLES, Table

HEADER_KEY = "h"
_PLAIN = (str, int, bool, type(None))
_BY_NAME = {normalize_code(t): table for t, table in TABLES.items()}


def _float(value: float):
    return value if math.isfinite(value) else {"$f": repr(value)}


def _tag(cell):
    kind = type(cell)
    if kind is float:
        return _float(cell)
    if kind is dt.datetime:
        return {"$dt": cell.isoformat()}
    if kind is dt.date:
        return {"$d": cell.isoformat()}
    if kind is dt.time:
        return {"$t": cell.isoformat()}
    if kind is dt.timedelta:
        return {"$td": [cell.days, cell.seconds, cell.microseconds]}
    if kind is Percent:
        return {"$p": _float(cell.value)}
    raise TypeError(f"cell of type {kind.__name__} cannot be stored")


# one encoder for every row: json.dumps with options would build a new one per call
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def encode_row(row: list) -> str:
    return _ENCODER.encode([c if type(c) in _PLAIN else _tag(c) for c in row])


def _untag(obj: dict):
    if len(obj) == 1:
        (tag, value), = obj.items()
        if tag == "$f":
            return float(value)
        if tag == "$d":
            return dt.date.fromisoformat(value)
        if tag == "$dt":
            return dt.datetime.fromisoformat(value)
        if tag == "$t":
            return dt.time.fromisoformat(value)
        if tag == "$td":
            return dt.timedelta(days=value[0], seconds=value[1], microseconds=value[2])
        if tag == "$p":
            return Percent(value)
    raise ValueError(f"unknown cell tag in stored row: {obj!r}")


def decode_row(text: str) -> list:
    return json.loads(text, object_hook=_untag)


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def table_of(tab: str) -> Table | None:
    """The schema table a tab (as the workbook spells it) is, or None for an extra tab."""
    return _BY_NAME.get(normalize_code(tab))


def _key_cell(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year typed 2021 or read as 2021.0 is one key
    return normalize_code(str(value))


def row_keys(tab: str, rows: list[list], digests: list[str]) -> list[str]:
    """One key per row (``digests`` = digest(encode_row(row)) of each row), unique within the
    tab."""
    table = table_of(tab)
    positions: list[int] = []
    if table is not None and table.key and rows:
        header = [normalize_code(h) if not is_blank(h) else "" for h in rows[0]]
        wanted = [normalize_code(k) for k in table.key]
        if all(w in header for w in wanted):
            positions = [header.index(w) for w in wanted]
    seen: dict[str, int] = {}
    keys = []
    for i, (row, row_digest) in enumerate(zip(rows, digests)):
        if i == 0:
            key = HEADER_KEY
        else:
            parts = [_key_cell(row[p]) if p < len(row) else "" for p in positions]
            key = ("k:" + "\x1f".join(parts)) if any(parts) else "c:" + row_digest
        n = seen.get(key, 0) + 1
        seen[key] = n
        keys.append(key if n == 1 else f"{key}#{n}")
    return keys


def tab_hash(name: str, rows: list[list]) -> str:
    """A fingerprint of one tab's cells, types included, without encoding them as JSON
    (0,2 s for 100.000 rows): pickle without its memo, so equal values give equal bytes
    whichever objects hold them."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump((name, rows))
    return hashlib.blake2b(buffer.getvalue(), digest_size=20).hexdigest()


def revision(tab_hashes: dict[str, str]) -> str:
    """The content revision of a workbook from its tabs' fingerprints, in order: equal content,
    equal revision; any change of a cell, a type, a row's place or a tab's name or place
    changes it. (A different Python may pickle differently: then one refresh compares row by
    row, finds nothing new and writes nothing.)"""
    h = hashlib.sha256()
    for name, value in tab_hashes.items():
        h.update(json.dumps([name, value], ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()
