"""Raw tabs to raw frames: find each schema tab and column, skip empty rows, keep sheet row numbers.

Nothing is interpreted here; cells stay as the source gave them. Problems of shape (a missing tab,
a missing column) are reported here, because only here do we still see the header row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest

import numpy as np
import pandas as pd

from .parsing import is_blank, normalize_code
from .problems import ERROR, WARNING, Problem, column_letter
from .schema import TABLES, Table
from .sources import RawWorkbook, Rows

ROW = "row"  # the sheet row number as the partner sees it (header = 1)


@dataclass
class RawTable:
    table: Table
    frame: pd.DataFrame                 # one column per schema field (raw cells) plus ROW
    letters: dict[str, str] = field(default_factory=dict)  # field -> column letter in the sheet
    usable: bool = True                 # False when the tab or a required column is missing
    # field -> (codes, distinct values) of its cells, blanks coded -1 (parsing.distinct's form),
    # computed while finding the empty rows so validation does not hash the column again
    distinct: dict[str, tuple] = field(default_factory=dict)

    @property
    def tab(self) -> str:
        return self.table.tab


def _empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({**{c.field: pd.Series(dtype=object) for c in table.columns},
                         ROW: pd.Series(dtype="int64")})


def _find_tab(raw: RawWorkbook, tab: str) -> Rows | None:
    wanted = normalize_code(tab)
    for name, rows in raw.tabs.items():
        if normalize_code(name) == wanted:
            return rows
    return None


def _blank_to_none(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """Set the blank cells of a column (None, NaN, "", only spaces) to None, in place: one hash
    pass per column, each distinct value checked once. Returns (blank mask, codes with blanks
    as -1, distinct values)."""
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    values = list(uniques)
    blank_values = np.array([is_blank(v) for v in values] + [True], dtype=bool)
    blank = blank_values[codes]
    cells[blank] = None
    return blank, np.where(blank, -1, codes), values


def _data_frame(rows: Rows, width: int) -> tuple[pd.DataFrame, dict[int, tuple]]:
    """Rows below the header as columns 0..width-1, indexed by sheet row number.

    Empty rows are skipped (not counted); rows shorter than the header are padded, as
    Google leaves trailing empty cells out; blank cells become None. Also returns, per column,
    (codes, distinct values) of the kept rows.
    """
    # Transposing with zip_longest pads short rows in C, far faster than a loop per row.
    columns = [np.array(c, dtype=object) for c in zip_longest(*rows[1:], fillvalue=None)]
    index = pd.RangeIndex(2, len(rows) + 1)
    filled = np.zeros(len(index), dtype=bool)
    coded = []
    for cells in columns:
        blank, codes, values = _blank_to_none(cells)
        filled |= ~blank
        coded.append((codes, values))
    # dtype=object: cells stay the Python values the source gave (pandas would otherwise turn
    # text columns into Arrow strings, only for validation to turn them back)
    body = pd.DataFrame(dict(enumerate(columns[:width])), index=index, dtype=object)
    distinct = {i: (codes[filled], values) for i, (codes, values) in enumerate(coded[:width])}
    return body[filled].reindex(columns=range(width)), distinct


def read_table(raw: RawWorkbook, table: Table) -> tuple[RawTable, list[Problem]]:
    rows = _find_tab(raw, table.tab)
    if rows is None:
        message = f"Tabblad '{table.tab}' ontbreekt; alles wat ervan afhangt blijft leeg."
        return RawTable(table, _empty_frame(table), usable=False), [
            Problem(table.tab, None, None, "", message, ERROR)]
    header = [normalize_code(h) if not is_blank(h) else "" for h in (rows[0] if rows else [])]
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, []).append(index)
    data, distinct = _data_frame(rows, len(header))
    problems: list[Problem] = []
    columns: dict[str, pd.Series] = {}
    letters: dict[str, str] = {}
    codes: dict[str, tuple] = {}
    usable = True
    for column in table.columns:
        found = positions.get(normalize_code(column.name), [])
        if len(found) > 1:
            # Which of two 'Partner' columns is meant cannot be guessed: booking hours on the
            # wrong partner silently is worse than counting none until the tab is fixed.
            usable = False
            shown = " en ".join(column_letter(i) for i in found)
            problems.append(Problem(
                table.tab, 1, column.name, str(rows[0][found[1]]),
                f"Kolom '{column.name}' staat meer dan eens op rij 1 (kolommen {shown}); de "
                f"{len(data)} rijen van dit tabblad tellen niet mee tot er één overblijft.",
                ERROR, f"{column_letter(found[1])}1"))
        index = found[0] if found else None
        if index is None:
            usable = usable and not column.required
            if column.required:
                message = (f"Verplichte kolom '{column.name}' ontbreekt op rij 1; "
                           f"de {len(data)} rijen van dit tabblad tellen niet mee.")
            else:
                message = f"Kolom '{column.name}' ontbreekt op rij 1; ze wordt als leeg gelezen."
            problems.append(Problem(table.tab, 1, column.name, "", message,
                                    ERROR if column.required else WARNING))
            columns[column.field] = pd.Series(None, index=data.index, dtype=object)
            continue
        letters[column.field] = column_letter(index)
        columns[column.field] = data[index].astype(object)
        if index in distinct:
            codes[column.field] = distinct[index]
    frame = pd.DataFrame(columns, index=data.index)
    frame[ROW] = data.index.astype("int64")
    frame = frame.reset_index(drop=True)
    return RawTable(table, frame, letters, usable, codes), problems


def read_tables(raw: RawWorkbook) -> tuple[dict[str, RawTable], list[Problem]]:
    tables, problems = {}, list(raw.problems)
    for tab, table in TABLES.items():
        tables[tab], found = read_table(raw, table)
        problems += found
    return tables, problems
