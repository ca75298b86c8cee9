import datetime as dt

import pytest

from baz_data.sources import SourceError, SourceInfo, WorkbookSource, demo_source


def test_missing_workbook_is_a_dutch_source_error(tmp_path):
    with pytest.raises(SourceError, match="niet gevonden"):
        WorkbookSource(tmp_path / "weg.xlsx").read()


def test_corrupt_workbook_is_a_dutch_source_error(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"dit is geen werkboek")
    with pytest.raises(SourceError, match="kan niet gelezen worden"):
        WorkbookSource(path).read()


def test_corrupt_workbook_message_is_dutch_only_and_keeps_the_cause(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"dit is geen werkboek")
    with pytest.raises(SourceError) as info:
        WorkbookSource(path).read()
    assert str(info.value) == ("Werkboek 'kapot.xlsx' kan niet gelezen worden: het is geen "
                               "geldig .xlsx- of .ods-bestand, of het is beschadigd.")
    assert info.value.__cause__ is not None  # calamine's own text, for the log


def test_demo_source_reads_every_schema_tab():
    raw = demo_source().read()
    assert raw.info.kind == "demo"
    assert {"Partners", "Uren", "Begroting", "Gebruikers"} <= set(raw.tabs)
    assert raw.tabs["Uren"][0][:3] == ["Datum", "Partner", "Medewerker"]


def test_cell_url_only_for_google_sources():
    sheet = SourceInfo("gsheets", "BAZ", dt.datetime(2021, 1, 1),
                       url="https://docs.google.com/spreadsheets/d/KEY/edit", gids={"Uren": 42})
    assert sheet.cell_url("Uren", "B7") == \
        "https://docs.google.com/spreadsheets/d/KEY/edit#gid=42&range=B7"
    assert sheet.cell_url("Acties", "B7") is None
    assert SourceInfo("workbook", "x.xlsx", dt.datetime(2021, 1, 1)).cell_url("Uren", "B7") is None
