"""Tiny inline workbooks. Every figure in the tests is computed by hand from these rows."""
from __future__ import annotations

import copy
import datetime as dt

import os

import pytest
from hypothesis import settings

# Hypothesis: bounded in CI; HYPOTHESIS_PROFILE=long runs 20× as many examples per property.
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=False)
settings.register_profile("long", max_examples=1200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The app records history on every load: in tests into a throwaway file, never the worktree's
# .streamlit/ (servers the browser tests start inherit it).
if "BAZ_HISTORY" not in os.environ:
    import tempfile
    os.environ["BAZ_HISTORY"] = "sqlite:///" + os.path.join(
        tempfile.mkdtemp(prefix="baz-history-"), "history.sqlite3")

from baz_data.model import build_dataset
from baz_data.sources import RawWorkbook, SourceInfo

D = dt.date

# A valid 2021 workbook. The hour rows are deliberately not in date order in the sheet.
BASE_TABS = {
    "Partners": [["Code", "Naam", "Contact"], ["ATK", "ATK vzw", "atk@example.org"],
                 ["DOMO", "Domo vzw", None]],
    "Deelprojecten": [["Jaar", "Code", "Naam", "Trekker", "Projectverantwoordelijke"],
                      [2021, "DP1", "BAZ voor iedereen", "ATK", "Els"],
                      [2021, "DP2", "BAZ in de eerstelijns", "DOMO", "Jan"]],
    "Doelstellingen": [["Jaar", "Code", "Deelproject", "Omschrijving"],
                       [2021, "SD1", "DP1", "Inspireren"], [2021, "SD2", "DP1", "Deelname"],
                       [2021, "SD3", "DP1", "Zonder acties"], [2021, "SD5", "DP2", "Actieplan"]],
    "Acties": [["ID", "Doelstelling", "Actie", "Trekker", "Verantwoordelijke", "Start", "Deadline",
                "Status", "Voortgang", "Communicatie", "Effectmeting", "Lessons learned",
                "Laatst bijgewerkt"],
               ["A1", "SD1", "Lerend netwerk", "ATK", "An", D(2021, 1, 4), D(2021, 6, 30),
                "Lopend", 50, "Nieuwsbrief", None, None, D(2021, 6, 28)],
               ["A2", "SD1", "Campagne", "ATK", "Bo", D(2021, 2, 1), D(2021, 5, 31),
                "Afgerond", 40, None, "Bevraging", "Vroeg starten", None],
               ["A3", "SD1", "Geschrapt", "DOMO", "Cas", D(2021, 1, 4), D(2021, 1, 31),
                "Geannuleerd", None, None, None, None, None],
               ["A4", "SD2", "Proeftuin", "DOMO", "Cas", D(2021, 3, 1), D(2021, 7, 1),
                "Gepland", None, None, None, None, None],
               ["A5", "SD5", "Gesprek VIVEL", "DOMO", "Dirk", D(2021, 1, 4), D(2021, 12, 31),
                "Lopend", "0,25", None, None, None, None]],
    "Uren": [["Datum", "Partner", "Medewerker", "Deelproject", "Actie", "Uren", "Omschrijving"],
             [D(2021, 4, 1), "ATK", "Bo", "DP1", "A2", 4, "Splitst op het plafond"],
             [D(2021, 3, 30), "ATK", "An", "DP1", "A1", 4, None],
             [D(2021, 3, 31), "ATK", "An", "DP1", None, "3,5", None],
             [D(2021, 4, 2), "ATK", "Bo", "DP1", None, 2, "Boven budget"],
             [D(2021, 2, 1), "ATK", "An", "DP2", None, 0.5, None],
             [D(2021, 5, 3), "ATK", "An", "DP2", "A5", "0.5", None],
             [D(2021, 6, 30), "DOMO", "Cas", "DP1", None, 6, None],
             [D(2021, 7, 1), "DOMO", "Cas", "DP1", None, 1, None]],
    "Begroting": [["Jaar", "Deelproject", "Partner", "Post", "Uren", "Uurtarief", "Bedrag"],
                  [2021, "DP1", "ATK", "Personeel", 10, "€ 45,50", None],
                  [2021, "DP1", "DOMO", "Personeel", 5, 40, 200],
                  [2021, "DP1", None, "Communicatie", None, None, "1.000,00"],
                  [2021, "DP2", "ATK", "Personeel", 20, "33,33", None]],
    "Uitgaven": [["Datum", "Deelproject", "Partner", "Post", "Bedrag", "Omschrijving"],
                 [D(2021, 5, 10), "DP1", None, "Communicatie", "€ 250,50", "Affiches"]],
    "Indicatoren": [["Jaar", "ID", "Doelstelling", "Indicator", "Streefwaarde", "Aggregatie"],
                    [2021, "I1", "SD1", "Aantal deelnemers", 100, "som"],
                    [2021, "I2", "SD5", "Tevredenheid", 8, "laatste"]],
    "Metingen": [["Datum", "Indicator", "Waarde", "Opmerking"],
                 [D(2021, 2, 1), "I1", 30, None], [D(2021, 5, 1), "I1", 25, None],
                 [D(2021, 8, 1), "I1", 10, None], [D(2021, 3, 1), "I2", 7, None],
                 [D(2021, 6, 1), "I2", "7,5", None]],
    "Gebruikers": [["E-mail", "Rol", "Partner"], ["els@example.org", "stuurgroep", "ATK"],
                   ["an@example.org", "partner", "ATK"]],
}


def base_tabs() -> dict[str, list[list]]:
    return copy.deepcopy(BASE_TABS)


def dataset_of(tabs: dict[str, list[list]]):
    return build_dataset(RawWorkbook(tabs, SourceInfo("test", "testwerkboek", dt.datetime(2021, 7, 1))))


@pytest.fixture
def tabs():
    return base_tabs()


@pytest.fixture
def ds():
    return dataset_of(base_tabs())


pytest_plugins = ["tests.sheets_fixtures", "tests.postgres_server"]
