"""A problem found in the sheets: where it is, what was typed, and what is wrong, in Dutch.

Error policy: an ``error`` keeps the row out of every total; a ``warning`` keeps the row in.
Both are shown and counted; nothing is dropped silently.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import pandas as pd

ERROR = "error"
WARNING = "warning"
SEVERITY_NL = {ERROR: "fout", WARNING: "waarschuwing"}


@dataclass(frozen=True)
class Problem:
    tab: str
    row: int | None          # sheet row number as the partner sees it (header is row 1)
    column: str | None       # header name, as in the schema
    value: str               # the raw value, as typed
    message: str             # Dutch, for the partner who has to fix it
    severity: str = ERROR
    cell: str | None = None  # A1 reference ("B7") where the column is known


PROBLEM_COLUMNS = [f.name for f in fields(Problem)]


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table, in sheet order (tab, row) so partners can work down the list."""
    df = pd.DataFrame([asdict(p) for p in problems], columns=PROBLEM_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    return df.sort_values(["tab", "row"], kind="stable", na_position="first").reset_index(drop=True)


def column_letter(index: int) -> str:
    """0-based column index to spreadsheet letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
