"""Missing tabs and required columns → which figures are incomplete (baz_data.completeness),
from the problems the real loader reports for conftest's small workbook."""
from __future__ import annotations

import pytest

from baz_data.completeness import AFFECTED, MissingTab, incomplete_notice, missing_tabs
from baz_data.schema import TAB_NAMES
from tests.conftest import base_tabs, dataset_of


def test_a_whole_workbook_has_nothing_missing(ds):
    assert missing_tabs(ds.problems) == [] and incomplete_notice(ds.problems) is None


@pytest.mark.parametrize("tab", TAB_NAMES)
def test_every_tab_names_the_figures_that_depend_on_it(tab):
    tabs = base_tabs()
    tabs[f"{tab} (oud)"] = tabs.pop(tab)             # renamed: the loader no longer finds it
    found = missing_tabs(dataset_of(tabs).problems)
    assert found == [MissingTab(tab)]
    assert found[0].message.startswith(f"Tabblad '{tab}' ontbreekt in de spreadsheet")
    assert found[0].message.endswith(f"{AFFECTED[tab]} zijn onvolledig.")


def test_a_renamed_uren_tab_says_hours_and_compensation_are_incomplete():
    tabs = base_tabs()
    tabs["Urenregistratie"] = tabs.pop("Uren")
    notice = incomplete_notice(dataset_of(tabs).problems)
    assert notice == ("**De cijfers zijn onvolledig.** Tabblad 'Uren' ontbreekt in de spreadsheet "
                      "(hernoemd of verwijderd?): uren, vergoedingen en budgetgebruik zijn "
                      "onvolledig. Zet de naam van het tabblad of de kolom terug zoals in de "
                      "handleiding, of vraag het aan wie de spreadsheet beheert.")


def test_a_missing_required_column_counts_an_optional_one_does_not():
    tabs = base_tabs()
    tabs["Uren"][0][tabs["Uren"][0].index("Datum")] = "Dag"          # required
    tabs["Uren"][0][tabs["Uren"][0].index("Medewerker")] = "Wie"     # optional: a warning only
    tabs["Begroting"][0][tabs["Begroting"][0].index("Post")] = "Soort"
    found = missing_tabs(dataset_of(tabs).problems)
    assert found == [MissingTab("Uren", ("Datum",)), MissingTab("Begroting", ("Post",))]
    assert found[0].message == ("In tabblad 'Uren' ontbreekt de verplichte kolom 'Datum': uren, "
                                "vergoedingen en budgetgebruik zijn onvolledig.")


def test_several_missing_tabs_are_listed_in_schema_order():
    tabs = base_tabs()
    del tabs["Metingen"], tabs["Uren"]
    notice = incomplete_notice(dataset_of(tabs).problems)
    lines = notice.splitlines()
    assert lines[0].startswith("**De cijfers zijn onvolledig.**")
    assert lines[2].startswith("- Tabblad 'Uren' ontbreekt") and lines[3].startswith(
        "- Tabblad 'Metingen' ontbreekt")


def test_every_schema_tab_has_a_description():
    assert set(AFFECTED) == set(TAB_NAMES)
