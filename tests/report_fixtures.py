"""Tiny workbooks for the report, chart and export tests, built on conftest's hand-computed 2021
workbook (see the figures in tests/test_metrics.py and tests/test_reports.py)."""
from __future__ import annotations

import datetime as dt

from baz_data.model import build_dataset
from baz_data.sources import RawWorkbook, SourceInfo
from tests.conftest import base_tabs, dataset_of

D = dt.date
SHEET_URL = "https://docs.google.com/spreadsheets/d/abc123/edit#gid=0"
GIDS = {"Acties": 11, "Uren": 22, "Metingen": 33}


def messy_tabs() -> dict[str, list[list]]:
    """The base workbook plus error rows, dated in and outside ISO week 26 of 2021
    (28/06–04/07): Acties row 7, Metingen row 7 and Uren row 10 fall in it, Uren row 11 not."""
    tabs = base_tabs()
    tabs["Acties"].append(["A6", "SD1", "Nieuw", "ATK", "An", D(2021, 6, 1), D(2021, 9, 30),
                           "Klaar", None, None, None, None, D(2021, 7, 2)])       # row 7
    tabs["Metingen"].append([D(2021, 7, 3), "I9", 5, None])                        # row 7
    tabs["Uren"].append([D(2021, 6, 29), "Magneta", "Eva", "DP1", None, 2, None])  # row 10
    tabs["Uren"].append([D(2021, 3, 15), "ATK", "An", "DP1", None, 30, None])      # row 11
    return tabs


def messy_dataset(url: str | None = None):
    info = SourceInfo("gsheets" if url else "test", "BAZ-sheet" if url else "testwerkboek",
                      dt.datetime(2021, 7, 2, 14, 2), url=url, gids=GIDS if url else {})
    return build_dataset(RawWorkbook(messy_tabs(), info))


def without_budget_tabs() -> dict[str, list[list]]:
    """EKC logs 3 hours on DP1 in Q3 2021 but has no Personeel line; Lus has nothing at all."""
    tabs = base_tabs()
    tabs["Partners"] += [["EKC", "Eigen Kracht Conferenties vzw", None], ["Lus", "Lus vzw", None]]
    tabs["Uren"].append([D(2021, 8, 2), "EKC", "Els", "DP1", None, 3, None])
    return tabs


def without_budget_dataset():
    return dataset_of(without_budget_tabs())
