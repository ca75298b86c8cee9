"""baz_data.history.commands: ``snapshot``, ``summary --as-of`` and ``changes``, run as users
run them (a subprocess), on workbooks on disk, against SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from baz_data.demo import write_workbook
from tests.conftest import base_tabs
from tests.test_cli import ROOT, run


@pytest.fixture
def books(tmp_path):
    """Two states of the sheets: on 24/11 and on 01/12, when two March hour rows of ATK were
    deleted (30/03 4 uur + 31/03 3,5 uur = 7,5 uur), A1 became Afgerond and DOMO added a row."""
    old, new = base_tabs(), base_tabs()
    del new["Uren"][2:4]
    new["Uren"].append([dt.date(2021, 11, 30), "DOMO", "Cas", "DP1", None, 2, None])
    new["Acties"][1][7] = "Afgerond"
    paths = tmp_path / "oud.xlsx", tmp_path / "nieuw.xlsx"
    write_workbook(old, paths[0])
    write_workbook(new, paths[1])
    return paths


def test_snapshot_summary_as_of_and_changes(history_url, books):
    old, new = books
    first = run("snapshot", "--workbook", str(old), "--taken", "2021-11-24T09:00",
                "--history", history_url)
    assert first.returncode == 0, first.stderr
    assert "Momentopname 1 bewaard als stand van 24/11/2021 09:00" in first.stdout
    same = run("snapshot", "--workbook", str(old), "--taken", "2021-11-25", "--history", history_url)
    assert "Niets veranderd sinds de momentopname van 24/11/2021 09:00" in same.stdout
    second = run("snapshot", "--workbook", str(new), "--taken", "2021-12-01T09:00",
                 "--history", history_url)
    # 1 hour row and the new A1 are new versions; 2 hour rows and the old A1 went
    assert "Momentopname 2 bewaard als stand van 01/12/2021 09:00: 2 rijen nieuw of gewijzigd, " \
        "3 weg." in second.stdout

    as_of = run("summary", "--year", "2021", "--peildatum", "2021-12-01", "--json",
                "--as-of", "2021-11-30", "--history", history_url)
    original = run("summary", "--year", "2021", "--peildatum", "2021-12-01", "--json",
                   "--workbook", str(old))
    assert as_of.returncode == 0, as_of.stderr
    assert json.loads(as_of.stdout) == json.loads(original.stdout)

    changes = run("changes", "--since", "2021-11-25", "--until", "2021-12-02", "--json",
                  "--history", history_url)
    assert changes.returncode == 0, changes.stderr
    found = json.loads(changes.stdout)
    assert found["compared"] == {"from": "2021-11-24T09:00", "to": "2021-12-01T09:00"}
    assert found["action_changes"] == [{"id": "A1", "title": "Lerend netwerk", "field": "status",
                                        "old": "Lopend", "new": "Afgerond"}]
    assert found["hours_added"] == [{"partner": "DOMO", "person": "Cas", "rows": 1, "hours": 2.0}]
    assert found["alarms"][0]["message"] == \
        "2 urenrijen van ATK uit maart 2021 verdwenen of gewijzigd sinds 24/11/2021 (7,5 uur)"
    text = run("changes", "--since", "2021-11-25", "--until", "2021-12-02", "--history", history_url)
    assert "ALARM: 2 urenrijen van ATK uit maart 2021" in text.stdout
    assert "Lopend" in text.stdout and "Afgerond" in text.stdout


@pytest.mark.parametrize("args, message", [
    pytest.param(["summary", "--year", "2021", "--as-of", "2021-01-01"],
                 "De geschiedenis begint op 24/11/2021 09:00", id="as-of-before-history"),
    pytest.param(["snapshot", "--taken", "2021-11-01"], "ligt vóór de laatste in de geschiedenis",
                 id="taken-before-latest"),
    pytest.param(["changes", "--since", "2021-12-01", "--until", "2021-11-01"],
                 "--until ligt vóór --since", id="until-before-since"),
    pytest.param(["summary", "--year", "2021", "--as-of", "31/03/2021"],
                 "geen datum in de vorm JJJJ-MM-DD", id="as-of-not-a-date"),
])
def test_history_commands_refuse_in_dutch(tmp_path, books, args, message):
    url = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    assert run("snapshot", "--workbook", str(books[1]), "--taken", "2021-11-24T09:00",
               "--history", url).returncode == 0
    result = run(*args, "--history", url)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_history_url_comes_from_the_secrets_and_history_wins(tmp_path, books):
    secrets = tmp_path / "secrets.toml"
    from_secrets = tmp_path / "uit-secrets.sqlite3"
    secrets.write_text(f'[connections.history]\nurl = "sqlite:///{from_secrets}"\n')
    env = {k: v for k, v in os.environ.items() if k != "BAZ_HISTORY"}
    cmd = [sys.executable, "-m", "baz_data", "snapshot", "--workbook", str(books[0]),
           "--secrets", str(secrets)]
    assert subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=120).returncode == 0
    assert from_secrets.exists()
    explicit = tmp_path / "expliciet.sqlite3"
    assert subprocess.run(cmd + ["--history", f"sqlite:///{explicit}"], cwd=ROOT, env=env,
                          capture_output=True, timeout=120).returncode == 0
    assert explicit.exists()
