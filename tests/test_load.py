"""Raw tabs to raw frames: header matching, ragged and empty rows, sheet row numbers."""
import datetime as dt

import pytest

from baz_data.load import read_table
from baz_data.schema import TABLES
from baz_data.sources import RawWorkbook, SourceInfo

UREN = TABLES["Uren"]


def raw(tabs):
    return RawWorkbook(tabs, SourceInfo("test", "t", dt.datetime(2021, 1, 1)))


def test_short_rows_are_padded_and_blank_rows_skipped_with_sheet_numbers():
    tabs = {"uren ": [["Datum", "Partner", "Medewerker", "Deelproject", "Actie", "Uren"],
                      ["01/03/2021", "ATK"],                  # Google leaves trailing cells out
                      [],                                      # an empty row
                      [None, "  ", "\u00a0"],                  # only spaces: also empty
                      ["02/03/2021", "DOMO", "An", "DP1", None, 2]]}
    table, problems = read_table(raw(tabs), UREN)
    assert list(table.frame["row"]) == [2, 5]
    assert table.frame.loc[0, "partner"] == "ATK" and table.frame.loc[0, "hours"] is None
    assert table.letters["hours"] == "F"
    assert [p.column for p in problems] == ["Omschrijving"]   # optional column missing: a warning
    assert problems[0].severity == "warning"


def test_a_repeated_header_is_an_error_naming_both_columns():
    """Two 'Partner' columns: which one is meant cannot be guessed, so no row counts."""
    tabs = {"Uren": [["Datum", "Partner", "Medewerker", "Deelproject", "Actie", "Uren",
                      "Omschrijving", "partner "],
                     ["01/03/2021", "ATK", None, "DP1", None, 1, None, "DOMO"]]}
    table, problems = read_table(raw(tabs), UREN)
    assert table.usable is False
    [problem] = problems
    assert (problem.tab, problem.row, problem.column, problem.cell) == ("Uren", 1, "Partner", "H1")
    assert problem.severity == "error" and "kolommen B en H" in problem.message


def test_a_repeated_column_that_is_not_in_the_schema_is_ignored():
    tabs = {"Uren": [["Datum", "Partner", "Medewerker", "Deelproject", "Actie", "Uren",
                      "Omschrijving", "Notitie", "Notitie"],
                     ["01/03/2021", "ATK", None, "DP1", None, 1, None, "a", "b"]]}
    table, problems = read_table(raw(tabs), UREN)
    assert table.usable and problems == []


@pytest.mark.parametrize("tabs, usable, fragment", [
    ({}, False, "Tabblad 'Uren' ontbreekt"),
    ({"Uren": [["Datum", "Partner", "Deelproject"], ["01/03/2021", "ATK", "DP1"]]}, False,
     "Verplichte kolom 'Uren' ontbreekt op rij 1; de 1 rijen"),
    ({"Uren": []}, False, "Verplichte kolom 'Datum' ontbreekt"),
])
def test_missing_tab_or_required_column_makes_the_tab_unusable(tabs, usable, fragment):
    table, problems = read_table(raw(tabs), UREN)
    assert table.usable is usable
    assert any(fragment in p.message for p in problems)
