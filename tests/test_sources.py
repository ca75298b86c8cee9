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


def test_a_workbook_probe_is_its_mtime_and_size_and_the_demo_never_changes(tmp_path):
    import os
    import shutil

    from baz_data.sources import DEMO_WORKBOOK

    book = tmp_path / "werkboek.xlsx"
    shutil.copy(DEMO_WORKBOOK, book)
    source = WorkbookSource(book)
    first = source.probe()
    assert source.probe() == first
    os.utime(book, ns=(book.stat().st_atime_ns, book.stat().st_mtime_ns + 1_000_000_000))
    assert source.probe() != first
    assert demo_source().probe() is None
    book.unlink()
    with pytest.raises(SourceError, match="niet gevonden"):
        source.probe()


def test_the_content_revision_follows_the_content_only():
    from baz_data.cells import Percent
    from baz_data.sources import content_revision

    tabs = {"Uren": [["Datum", "Uren"], [dt.date(2021, 3, 1), 4]], "Acties": [["Voortgang"],
                                                                            [Percent(0.5)]]}
    same = {"Uren": [["Datum", "Uren"], [dt.date(2021, 3, 1), 4]], "Acties": [["Voortgang"],
                                                                            [Percent(0.5)]]}
    assert content_revision(tabs) == content_revision(same)
    for changed in ({**tabs, "Uren": [["Datum", "Uren"], [dt.date(2021, 3, 1), 5]]},
                    {**tabs, "Uren": [["Datum", "Uren"], [dt.date(2021, 3, 1), "4"]]},
                    {**tabs, "Acties": [["Voortgang"], [0.5]]},
                    {"Acties": tabs["Acties"], "Uren": tabs["Uren"]}):
        assert content_revision(changed) != content_revision(tabs)


def test_a_load_carries_its_content_revision():
    from baz_data.model import load_dataset

    assert load_dataset(demo_source()).info.revision == load_dataset(demo_source()).info.revision
