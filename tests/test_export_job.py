"""``python -m baz_data export``: the file a scheduled job gets is the file the app's download
button gives, and every choice the app would not offer is a Dutch message with exit code 2.

The app runs as AppTest on the bundled demo (open access sees what the stuurgroep sees); the
command runs as users run it, a subprocess, in the same empty working directory (no secrets:
the demo too). Both use their default peildatum (today inside the year). A file names the
minute its data was read ("Bron: … gegevens van 01/12/2026 14:02"), which the app and the
command each read themselves: a comparison is repeated when that minute turned during it.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app_support import APP, ROOT, isolated, page, record_downloads  # noqa: F401  (fixtures)


def export(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "baz_data", "export", *args], env=env,
                          capture_output=True, text=True, timeout=180)


def app_downloads(monkeypatch, name: str, **choices) -> tuple[int, dict[str, bytes]]:
    """(year, {file name: bytes}) of the download buttons of page ``name`` after ``choices``
    (widget key -> value), made as a click makes them."""
    st.cache_data.clear()
    st.cache_resource.clear()  # the app reads the data now, as the command does
    seen = record_downloads(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page(name)).run()
    for key, value in choices.items():
        widget = at.button_group(key=key) if key.endswith("quarter") else at.selectbox(key=key)
        widget.set_value(value).run()
    assert not at.exception, at.exception
    files = {file_name: data() if callable(data) else data for file_name, data in seen}
    return at.session_state["baz_year"], files


def in_one_minute(make):
    """``make()``, repeated (at most twice more) while the clock's minute turned during it."""
    for _ in range(3):
        minute = dt.datetime.now().replace(second=0, microsecond=0)
        result = make()
        if dt.datetime.now().replace(second=0, microsecond=0) == minute:
            return result
    raise AssertionError("drie keer over een minuutgrens: de vergelijking kon niet gebeuren")


def xlsx_parts(data: bytes) -> list[tuple[str, bytes]]:
    """Every part of an .xlsx, in order. openpyxl stamps the time of saving into
    docProps/core.xml (and each zip entry's date), so that one field is masked; everything a
    reader sees is compared byte for byte."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        parts = [(info.filename, book.read(info)) for info in book.infolist()]
    stamp = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")
    return [(name, stamp.sub(rb"\1", body) if name == "docProps/core.xml" else body)
            for name, body in parts]


def test_quarter_report_files_are_the_app_downloads(monkeypatch, tmp_path):
    def both():
        year, files = app_downloads(monkeypatch, "kwartaaloverzicht", quarter=1)
        pdf = export("--year", str(year), "--quarter", "1", "--format", "pdf", "--out", ".")
        xlsx = export("--year", str(year), "--quarter", "1", "--format", "xlsx", "--out", "q1.xlsx")
        return year, files, pdf, xlsx

    year, files, pdf, xlsx = in_one_minute(both)
    assert pdf.returncode == 0, pdf.stderr
    written = tmp_path / f"kwartaaloverzicht-{year}-Q1.pdf"  # a folder: the app's file name
    assert pdf.stdout.startswith(f"{written.name} (") and "geschreven naar" in pdf.stdout
    assert written.read_bytes() == files[written.name]

    assert xlsx.returncode == 0, xlsx.stderr
    app_xlsx = files[f"kwartaaloverzicht-{year}-Q1.xlsx"]
    assert xlsx_parts((tmp_path / "q1.xlsx").read_bytes()) == xlsx_parts(app_xlsx)
    assert len(xlsx_parts(app_xlsx)) > 5


def test_partner_statement_files_are_the_app_downloads(monkeypatch, tmp_path):
    def both():
        year, files = app_downloads(monkeypatch, "uren_per_partner", partner="DOMO",
                                    statement_quarter=2)
        # Codes compare without case and spaces, as everywhere: 'domo ' is DOMO.
        csv = export("--year", str(year), "--quarter", "2", "--format", "csv", "--partner",
                     "domo ", "--out", ".")
        xlsx = export("--year", str(year), "--quarter", "2", "--format", "xlsx", "--partner",
                      "DOMO", "--out", "afrekening.xlsx")
        return year, files, csv, xlsx

    year, files, csv, xlsx = in_one_minute(both)
    app_csv = files[f"afrekening-DOMO-{year}-Q2.csv"]
    assert app_csv.count(b"\r\n") > 2  # statement lines, not only a header
    assert csv.returncode == 0, csv.stderr
    assert (tmp_path / f"afrekening-DOMO-{year}-Q2.csv").read_bytes() == app_csv
    assert xlsx.returncode == 0, xlsx.stderr
    assert xlsx_parts((tmp_path / "afrekening.xlsx").read_bytes()) == \
        xlsx_parts(files[f"afrekening-DOMO-{year}-Q2.xlsx"])


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_the_quarter_pdf_has_the_progress_per_week_of_the_history_as_the_app(monkeypatch,
                                                                           tmp_path):
    """A history with the demo stored on 10/05 and 24/05/2026 (and the app's own snapshot of
    now): the app's PDF of Q2 (counted at 30/06) has the progress per week from the Sunday
    10/05 on; the command with --history gives the same bytes, and with no history at all
    (no --history, no BAZ_HISTORY, no default file) the PDF says it is not available."""
    from baz_data.history.store import HistoryStore
    from baz_data.sources import demo_source

    url = f"sqlite:///{tmp_path / 'geschiedenis.sqlite3'}"
    store = HistoryStore(url)
    raw = demo_source().read()
    store.record(raw, dt.datetime(2026, 5, 10, 12))
    changed = raw.tabs["Acties"]
    changed[1][[str(h) for h in changed[0]].index("Voortgang")] = 0.1   # another state
    store.record(raw, dt.datetime(2026, 5, 24, 12))
    store.engine.dispose()

    def both():
        monkeypatch.setenv("BAZ_HISTORY", url)
        year, files = app_downloads(monkeypatch, "kwartaaloverzicht", quarter=2)
        monkeypatch.delenv("BAZ_HISTORY")
        cli = export("--year", str(year), "--quarter", "2", "--format", "pdf", "--out", "q2.pdf",
                     "--history", url)
        return year, files, cli

    year, files, cli = in_one_minute(both)
    assert year == 2026
    app_pdf = files["kwartaaloverzicht-2026-Q2.pdf"]
    assert "Voortgang per week: op het einde van elke week vanaf 10/05/2026" in _pdf_text(app_pdf)
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "q2.pdf").read_bytes() == app_pdf

    assert not (tmp_path / ".streamlit" / "baz-history.sqlite3").exists()
    bare = export("--year", "2026", "--quarter", "2", "--format", "pdf", "--out", "kaal.pdf")
    assert bare.returncode == 0, bare.stderr
    assert ("De voortgang per week ontbreekt: de geschiedenis van de sheets is niet "
            "beschikbaar.") in _pdf_text((tmp_path / "kaal.pdf").read_bytes())
    assert not (tmp_path / ".streamlit" / "baz-history.sqlite3").exists()   # none made


def test_an_unreachable_history_is_dutch_and_exit_2(tmp_path):
    result = export("--year", "2026", "--quarter", "2", "--format", "pdf", "--out", "q2.pdf",
                    "--history", "postgresql+psycopg://baz:geheim@127.0.0.1:1/baz")
    assert result.returncode == 2
    assert "De geschiedenis (postgresql+psycopg://baz:***@127.0.0.1:1/baz) kon niet geopend " \
           "worden" in result.stderr
    assert "geheim" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "q2.pdf").exists()


def test_the_pdf_is_the_same_bytes_every_time(tmp_path):
    """No creation time or random document ID in the PDF: 'same bytes' above means something."""
    def twice():
        return [export("--year", "2026", "--quarter", "2", "--format", "pdf", "--out", name,
                       "--peildatum", "2026-06-30") for name in ("a.pdf", "b.pdf")]

    for result in in_one_minute(twice):
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("args, fragment", [
    (["--year", "1999", "--quarter", "1", "--format", "pdf"],
     "het jaar moet tussen 2000 en 2100 liggen, niet 1999"),
    (["--year", "2030", "--quarter", "1", "--format", "pdf"],
     "Voor 2030 staan er geen gegevens in de sheets. Jaren met gegevens: 2026."),
    (["--year", "2026", "--quarter", "5", "--format", "pdf"],
     "het kwartaal moet tussen 1 en 4 liggen, niet 5"),
    (["--year", "2026", "--quarter", "Q1", "--format", "pdf"], "geen geheel getal: 'Q1'"),
    (["--year", "2026", "--quarter", "1", "--format", "docx"], "ongeldige keuze: 'docx'"),
    (["--year", "2026", "--quarter", "1", "--format", "csv"],
     "Het kwartaaloverzicht bestaat als PDF of Excel, niet als CSV"),
    (["--year", "2026", "--quarter", "1", "--format", "pdf", "--partner", "DOMO"],
     "De afrekening van een partner bestaat als Excel of CSV, niet als PDF"),
    (["--year", "2026", "--quarter", "1", "--format", "csv", "--partner", "Magneta"],
     "Partner 'Magneta' staat niet in het tabblad Partners. Kies uit: ATK, DOMO, EKC, Lus, "
     "Magenta."),
    (["--year", "2026", "--quarter", "1", "--format", "pdf", "--peildatum", "2025-12-31"],
     "De peildatum 31/12/2025 ligt niet in 2026"),
    (["--year", "2026", "--quarter", "1", "--format", "pdf", "--peildatum", "31/12/2026"],
     "is geen datum in de vorm JJJJ-MM-DD"),
], ids=["year-out-of-bounds", "year-without-data", "quarter-5", "quarter-text", "format",
        "csv-without-partner", "pdf-with-partner", "unknown-partner", "peildatum-other-year",
        "peildatum-form"])
def test_choices_the_app_does_not_offer_are_dutch_and_exit_2(tmp_path, args, fragment):
    result = export(*args, "--out", "uit.bin")
    assert result.returncode == 2, result.stdout
    assert fragment in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # nothing written, no temporary file


@pytest.mark.parametrize("out, fragment", [
    ("geen-map/q1.pdf", "de map bestaat niet"),
    ("bestand.txt/q1.pdf", "de map bestaat niet"),  # a file where a folder should be
], ids=["missing-folder", "file-as-folder"])
def test_an_unwritable_path_is_dutch_and_exit_2(tmp_path, out, fragment):
    (tmp_path / "bestand.txt").write_text("x")
    result = export("--year", "2026", "--quarter", "1", "--format", "pdf", "--out", out)
    assert result.returncode == 2, result.stdout
    assert f"Kan '{out}' niet schrijven: {fragment}" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bestand.txt", "home"]

