"""Datakwaliteit: the validation problems as a table, and the head of the page.

Contract: :func:`problem_table` (every problem, optionally of one tab and one severity) and
:func:`new_problems` (problems on rows dated in a period, for the Weekoverleg) return frames
with PROBLEM_COLUMNS plus Link (straight to the cell when the source is a Google Sheet, else
None); :func:`problem_summary` counts them and says how to find a cell. Waarde is the raw cell
text, to be escaped where it is written out.

Error policy: nothing here raises for what the sheets contain. A severity must be one of
'fout'/'waarschuwing'/'error'/'warning' (the page offers only those; another is a KeyError, a
programming error).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..model import Dataset
from ..problems import ERROR, SEVERITY_NL, WARNING

_SEVERITY = {ERROR: ERROR, WARNING: WARNING} | {nl: en for en, nl in SEVERITY_NL.items()}


def _problem_rows(ds: Dataset, problems: pd.DataFrame) -> pd.DataFrame:
    links = [ds.info.cell_url(tab, cell) for tab, cell in zip(problems["tab"], problems["cell"])]
    return pd.DataFrame({
        "Tabblad": problems["tab"].astype(object), "Rij": problems["row"].astype("Int64"),
        "Kolom": problems["column"].astype(object), "Waarde": problems["value"].astype(object),
        "Melding": problems["message"].astype(object),
        "Ernst": problems["severity"].map(SEVERITY_NL).astype(object),
        "Cel": problems["cell"].astype(object), "Link": pd.Series(links, dtype=object,
                                                                  index=problems.index),
    }).reset_index(drop=True)


def problem_table(ds: Dataset, tab: str | None = None, severity: str | None = None) -> pd.DataFrame:
    """Every validation problem (in sheet order), optionally of one tab and one severity
    ('fout'/'waarschuwing' or 'error'/'warning'). Link goes straight to the cell when the
    source is a Google Sheet, else it is None."""
    p = ds.problems
    if tab is not None:
        p = p[p["tab"] == tab]
    if severity is not None:
        p = p[p["severity"] == _SEVERITY[severity]]
    return _problem_rows(ds, p)


PROBLEM_COLUMNS = ["Ernst", "Tabblad", "Rij", "Kolom", "Cel", "Waarde", "Melding"]


@dataclass
class ProblemSummary:
    errors: int
    warnings: int
    excluded_rows: int           # rows left out of every total (rows with an error), all tabs
    has_problems: bool
    columns: list[str]           # the problem_table columns to show; Link (first, so it is in
    #                              view on a laptop) when a cell has one
    hint: str | None             # how to find a cell when the source cannot link to it


def problem_summary(ds: Dataset) -> ProblemSummary:
    """The head of the Datakwaliteit page: counts, and whether problems link to their cells."""
    links = any(ds.info.cell_url(tab, None) for tab in ds.problems["tab"].unique())
    hint = None if links else (
        f"Open {ds.info.label} en ga naar het tabblad en de cel om een probleem te verbeteren; "
        "met Google Sheets als bron opent de link de cel meteen.")
    return ProblemSummary(
        errors=ds.error_count, warnings=ds.warning_count,
        excluded_rows=int(sum(ds.excluded.values())), has_problems=not ds.problems.empty,
        columns=(["Link"] if links else []) + PROBLEM_COLUMNS, hint=hint)


def new_problems(ds: Dataset, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Problems on rows whose Datum (Acties: Laatst bijgewerkt) falls in [start, end].

    A row whose date itself could not be read has no date, so it never counts as new here;
    the Datakwaliteit page still lists it.
    """
    dates = ds.row_dates
    dates = dates[(dates["date"] >= pd.Timestamp(start)) & (dates["date"] <= pd.Timestamp(end))]
    problems = ds.problems.dropna(subset=["row"]).astype({"row": "int64"})
    hits = problems.merge(dates[["tab", "row"]], on=["tab", "row"], how="inner")
    return _problem_rows(ds, hits)
