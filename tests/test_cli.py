"""The command line, run as users run it (a subprocess), on hand-made workbooks on disk."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from baz_data.cli import build_parser
from baz_data.demo import write_workbook
from tests.conftest import base_tabs

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", "baz_data", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def clean_book(tmp_path):
    path = tmp_path / "schoon.xlsx"
    write_workbook(base_tabs(), path)
    return path


@pytest.fixture
def messy_book(tmp_path):
    tabs = base_tabs()
    tabs["Uren"] += [["31/02/2021", "ATK", "An", "DP1", None, 2, None],
                     ["15/03/2021", "Magneta", "An", "DP1", None, "1,5", None],
                     ["15/03/2021", "ATK", "An", "DP1", None, 25, None]]
    tabs["Acties"][2][7] = "Klaar"
    path = tmp_path / "rommelig.xlsx"
    write_workbook(tabs, path)
    return path


def test_validate_clean_workbook_exits_0(clean_book):
    result = run("validate", "--workbook", str(clean_book))
    assert result.returncode == 0, result.stderr
    assert "0 fouten, 0 waarschuwingen" in result.stdout


def test_validate_lists_every_problem_and_exits_1(messy_book):
    result = run("validate", "--workbook", str(messy_book))
    assert result.returncode == 1
    out = result.stdout
    assert "Uren, rij 10, kolom Datum [31/02/2021]: '31/02/2021' is geen bestaande datum." in out
    assert "Uren, rij 11, kolom Partner [Magneta]: Onbekende partner 'Magneta'. Bedoelde je 'Magenta'?" not in out
    assert "Uren, rij 11, kolom Partner [Magneta]: Onbekende partner 'Magneta'." in out
    assert "Uren, rij 12, kolom Uren [25]" in out
    assert "Acties, rij 3, kolom Status [Klaar]" in out
    assert "4 fouten, 0 waarschuwingen; 4 rijen tellen niet mee" in out


def test_summary_json_on_messy_workbook(messy_book):
    result = run("summary", "--workbook", str(messy_book), "--year", "2021",
                 "--peildatum", "2021-07-01", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    atk = next(p for p in data["partners"] if p["code"] == "ATK")
    # The three bad hour rows are out of every total: the figures of the clean workbook.
    assert atk["hours"] == 14.5 and atk["compensated_amount"] == "488.33"
    assert data["excluded_rows"]["Uren"] == 3 and data["excluded_rows"]["Acties"] == 1
    assert data["problems"] == {"errors": 4, "warnings": 0}
    # A2 (Afgerond, 100) is out: SD1 is A1 alone.
    assert next(g for g in data["goals"] if g["code"] == "SD1")["progress"] == 50.0
    assert data["overdue_actions"] == ["A1"]


def test_summary_quarter_and_text(clean_book):
    result = run("summary", "--workbook", str(clean_book), "--year", "2021", "--quarter", "1",
                 "--peildatum", "2021-07-01")
    assert result.returncode == 0, result.stderr
    assert "kwartaal 1 van 2021" in result.stdout
    assert "€ 357,92" in result.stdout


def test_missing_workbook_is_a_dutch_message_not_a_traceback(tmp_path):
    result = run("validate", "--workbook", str(tmp_path / "weg.xlsx"))
    assert result.returncode == 2
    assert "niet gevonden" in result.stderr and "Traceback" not in result.stderr


def test_bad_peildatum_is_explained():
    result = run("summary", "--year", "2026", "--peildatum", "27/11/2026")
    assert result.returncode == 2 and "JJJJ-MM-DD" in result.stderr


def test_without_arguments_uses_the_bundled_demo():
    result = run("summary", "--year", "2026", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"]["kind"] == "demo"
    assert {s["code"] for s in data["subprojects"]} == {"DP1", "DP2", "DP3"}
    assert data["problems"]["errors"] > 0          # the demo carries deliberate mistakes


def test_demo_command_writes_a_workbook(tmp_path):
    out = tmp_path / "demo.xlsx"
    result = run("demo", "--out", str(out), "--years", "1", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert out.exists() and "Uren" in result.stdout


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert re.search(rf"python -m baz_data {re.escape(name)}\b", readme), name


@pytest.mark.parametrize("args", [["--help"], ["summary", "--help"], ["init-sheet", "--help"]])
def test_help_is_dutch(args):
    result = run(*args)
    assert result.returncode == 0
    assert "gebruik: python -m baz_data" in result.stdout and "opties:" in result.stdout
    assert "show this help" not in result.stdout and "usage:" not in result.stdout


def test_argument_errors_are_dutch():
    result = run("summary", "--year", "twee")
    assert result.returncode == 2
    assert "fout: optie --year: geen geheel getal: 'twee'" in result.stderr


def test_validate_with_a_missing_tab_reports_it_and_exits_1(tmp_path):
    tabs = base_tabs()
    del tabs["Uren"]
    path = tmp_path / "zonder-uren.xlsx"
    write_workbook(tabs, path)
    result = run("validate", "--workbook", str(path))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "Tabblad 'Uren' ontbreekt" in result.stdout


def test_validate_with_warnings_only_exits_0(tmp_path):
    tabs = base_tabs()
    tabs["Begroting"][2][6] = 250  # Bedrag disagrees with Uren × Uurtarief: a warning
    path = tmp_path / "waarschuwing.xlsx"
    write_workbook(tabs, path)
    result = run("validate", "--workbook", str(path))
    assert result.returncode == 0 and "1 waarschuwingen" in result.stdout


@pytest.mark.parametrize("args, fragment", [
    (["summary", "--year", "0"], "het jaar moet tussen 2000 en 2100 liggen, niet 0"),
    (["summary", "--year", "-1"], "het jaar moet tussen 2000 en 2100 liggen"),
    (["summary", "--year", "10000"], "het jaar moet tussen 2000 en 2100 liggen"),
    (["demo", "--years", "0", "--out", "x.xlsx"], "het aantal jaren moet tussen 1 en 25 liggen"),
    (["demo", "--years", "-3", "--out", "x.xlsx"], "het aantal jaren moet tussen 1 en 25 liggen"),
])
def test_impossible_years_are_a_dutch_message_and_exit_2(args, fragment):
    result = run(*args)
    assert result.returncode == 2
    assert fragment in result.stderr and "Traceback" not in result.stderr
