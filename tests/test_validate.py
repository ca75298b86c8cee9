"""A messy workbook: every validation problem, each named with tab, row, column and value.

Each case adds or changes one row of the valid base workbook and expects exactly the named
problem; error rows must leave every total, warning rows must stay in.
"""
import datetime as dt

import pytest

from baz_data import metrics
from tests.conftest import base_tabs, dataset_of

D = dt.date
HOURS_ROW = [D(2021, 9, 1), "ATK", "An", "DP1", None, 2, None]


def with_row(tab, row):
    def change(tabs):
        tabs[tab].append(row)
        return len(tabs[tab])  # the new row's sheet row number
    return change


def set_cell(tab, sheet_row, column, value):
    def change(tabs):
        header = tabs[tab][0]
        tabs[tab][sheet_row - 1][header.index(column)] = value
        return sheet_row
    return change


def hours(**changes):
    row = dict(zip(["Datum", "Partner", "Medewerker", "Deelproject", "Actie", "Uren",
                    "Omschrijving"], HOURS_ROW))
    row.update(changes)
    return with_row("Uren", list(row.values()))


CASES = [
    # id, change, tab, column, value, severity, message fragment
    ("unknown partner", hours(Partner="Magneta"), "Uren", "Partner", "Magneta", "error",
     "Onbekende partner 'Magneta'."),
    ("suggestion", hours(Partner="ATKK"), "Uren", "Partner", "ATKK", "error",
     "Bedoelde je 'ATK'?"),
    ("unknown subproject", hours(Deelproject="DP9"), "Uren", "Deelproject", "DP9", "error",
     "Onbekend deelproject 'DP9'"),  # het deelproject: WORDS.md
    ("subproject of another year", hours(Datum=D(2022, 1, 3)), "Uren", "Deelproject", "DP1",
     "error", "in 2022"),
    ("unknown action", hours(Actie="A99"), "Uren", "Actie", "A99", "error", "Onbekende actie"),
    ("action of another subproject", hours(Actie="A5"), "Uren", "Actie", "A5", "error",
     "hoort bij deelproject 'DP2'"),
    ("impossible date", hours(Datum="31/02/2021"), "Uren", "Datum", "31/02/2021", "error",
     "geen bestaande datum"),
    ("unparseable number", hours(Uren="twee"), "Uren", "Uren", "twee", "error", "geen geldig getal"),
    ("hours above 24", hours(Uren=25), "Uren", "Uren", "25", "error", "hoogstens 24"),
    ("zero hours", hours(Uren=0), "Uren", "Uren", "0", "error", "groter dan 0"),
    ("required blank", hours(Partner=None), "Uren", "Partner", "", "error", "leeg maar verplicht"),
    ("no budget line", hours(Partner="DOMO", Deelproject="DP2"), "Uren", "Partner", "DOMO",
     "warning", "Geen Personeel-lijn"),
    ("unknown goal", with_row("Acties", ["A9", "SD12", "X", "ATK", None, D(2021, 2, 1), None,
                                         "Lopend", 10, None, None, None, None]),
     "Acties", "Doelstelling", "SD12", "error", "Onbekende doelstelling 'SD12' in 2021"),
    ("unknown status", set_cell("Acties", 2, "Status", "Klaar"), "Acties", "Status", "Klaar",
     "error", "Onbekende status"),
    ("progress above 100", set_cell("Acties", 2, "Voortgang", 120), "Acties", "Voortgang", "120",
     "error", "tussen 0 en 100"),
    ("duplicate action ID", with_row("Acties", ["a1 ", "SD1", "Dubbel", "ATK", None,
                                                D(2021, 2, 1), None, "Lopend", 0, None, None,
                                                None, None]),
     "Acties", "ID", "a1 ", "error", "staat al op rij 2"),
    ("duplicate indicator ID", with_row("Indicatoren", [2021, "I1", "SD1", "Nog eens", 5, "som"]),
     "Indicatoren", "ID", "I1", "error", "staat al op rij 2"),
    ("unknown aggregation", set_cell("Indicatoren", 2, "Aggregatie", "gemiddelde"), "Indicatoren",
     "Aggregatie", "gemiddelde", "error", "kies uit som, laatste"),
    ("unknown indicator", with_row("Metingen", [D(2021, 3, 1), "I9999-01", 3, None]), "Metingen",
     "Indicator", "I9999-01", "error", "Onbekende indicator"),
    ("duplicate staff line", with_row("Begroting", [2021, "DP1", "atk", "personeel", 50, 30, None]),
     "Begroting", "Partner", "atk", "error", "alleen de eerste telt"),
    ("amount disagrees", set_cell("Begroting", 3, "Bedrag", 250), "Begroting", "Bedrag", "250",
     "warning", "wijkt af van Uren × Uurtarief (€ 200,00)"),
    ("staff line without rate", set_cell("Begroting", 2, "Uurtarief", None), "Begroting",
     "Uurtarief", "", "error", "heeft 'Uurtarief' nodig"),
    ("unknown role", set_cell("Gebruikers", 2, "Rol", "admin"), "Gebruikers", "Rol", "admin",
     "error", "Onbekende rol"),
    ("not an e-mail address", set_cell("Gebruikers", 2, "E-mail", "[Klik](https://evil.example)"),
     "Gebruikers", "E-mail", "[Klik](https://evil.example)", "error",
     "'[Klik](https://evil.example)' is geen geldig e-mailadres."),
    ("deadline before start", set_cell("Acties", 2, "Deadline", D(2020, 12, 1)), "Acties",
     "Deadline", "01/12/2020", "warning", "vóór de startdatum"),
    # Text that is no finite number, in every kind of number cell: an error, never a crash.
    *[(f"{text} as {column}", set_cell(tab, row, column, text), tab, column, text, "error", fragment)
      for text in ("NaN", "inf", "-inf", "sNaN", "1e308", "Infinity")
      for tab, row, column, fragment in (
          ("Uren", 2, "Uren", "geen getal" if "e308" not in text else "te groot"),
          ("Begroting", 4, "Bedrag", "geen getal" if "e308" not in text else "te groot"),
          ("Acties", 2, "Voortgang", "geen getal" if "e308" not in text else "te groot"),
          ("Begroting", 2, "Uurtarief", "geen getal" if "e308" not in text else "te groot"),
          ("Metingen", 2, "Waarde", "geen getal" if "e308" not in text else "te groot"),
          ("Indicatoren", 2, "Jaar", "geen getal" if "e308" not in text else "te groot"))
      if not (text == "-inf" and column == "Voortgang")],
    ("huge budget hours", set_cell("Begroting", 2, "Uren", 1e15), "Begroting", "Uren",
     "1000000000000000", "error", "te groot"),
    ("budget hours above bound", set_cell("Begroting", 2, "Uren", 200_000), "Begroting", "Uren",
     "200000", "error", "tussen 0 en 100.000"),
    ("huge amount", set_cell("Uitgaven", 2, "Bedrag", 1e20), "Uitgaven", "Bedrag",
     "100000000000000000000", "error", "te groot"),
    ("amount above bound", set_cell("Uitgaven", 2, "Bedrag", "20.000.000"), "Uitgaven", "Bedrag",
     "20.000.000", "error", "hoogstens € 10.000.000,00"),
    ("negative budget amount", set_cell("Begroting", 4, "Bedrag", -5), "Begroting", "Bedrag",
     "-5", "error", "niet negatief"),
    ("negative rate", set_cell("Begroting", 2, "Uurtarief", "-45,50"), "Begroting", "Uurtarief",
     "-45,50", "error", "groter dan € 0"),
    ("zero rate", set_cell("Begroting", 2, "Uurtarief", 0), "Begroting", "Uurtarief", "0",
     "error", "groter dan € 0"),
    ("rate above bound", set_cell("Begroting", 2, "Uurtarief", 5000), "Begroting", "Uurtarief",
     "5000", "error", "hoogstens € 1.000,00"),
    ("hours below the unit", hours(Uren="0,00004"), "Uren", "Uren", "0,00004", "error",
     "kleinste eenheid van 0,0001 uur"),
    *[(f"year {year}", set_cell("Indicatoren", 2, "Jaar", year), "Indicatoren", "Jaar", str(year),
       "error", "tussen 2000 en 2100") for year in (0, -1, 1999, 10000)],
    ("date before 2000", hours(Datum=D(1999, 12, 31)), "Uren", "Datum", "31/12/1999", "error",
     "buiten 2000–2100"),
    ("date after 2100", hours(Datum="01/01/2101"), "Uren", "Datum", "01/01/2101", "error",
     "buiten 2000–2100"),
    ("time in a date cell", hours(Datum=dt.time(4, 0)), "Uren", "Datum", "4:00", "error",
     "geen datum"),
]


@pytest.mark.parametrize("change, tab, column, value, severity, fragment",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_named(change, tab, column, value, severity, fragment):
    tabs = base_tabs()
    row = change(tabs)
    ds = dataset_of(tabs)
    found = ds.problems[(ds.problems["tab"] == tab) & (ds.problems["row"] == row)
                        & (ds.problems["column"] == column)]
    assert len(found) == 1, ds.problems.to_string()
    problem = found.iloc[0]
    assert problem["value"] == value
    assert problem["severity"] == severity
    assert fragment in problem["message"]
    letter = chr(65 + tabs[tab][0].index(column))
    assert problem["cell"] == f"{letter}{row}"
    assert ds.excluded[tab] == (1 if severity == "error" else 0)


def test_a_goal_counts_everywhere_or_nowhere():
    """SD5's own row has an error: it is in no list, so what refers to it (action A5, indicator
    I2 and I2's measurements) is an error pointing at that row — never counted half."""
    tabs = base_tabs()
    set_cell("Doelstellingen", 5, "Deelproject", "DP9")(tabs)
    ds = dataset_of(tabs)
    pointing = ds.problems[ds.problems["message"].str.contains("maar die rij heeft zelf een fout")]
    assert sorted(zip(pointing["tab"], pointing["row"])) == [
        ("Acties", 6), ("Indicatoren", 3), ("Metingen", 5), ("Metingen", 6)]
    assert "SD5" not in set(ds.goals["code"]) and "A5" not in set(ds.actions["id"])
    assert "I2" not in set(ds.indicators["id"])


def test_error_rows_stay_out_of_totals_and_warning_rows_stay_in():
    tabs = base_tabs()
    hours(Partner="Magneta", Uren=5)(tabs)               # error: excluded
    hours(Partner="DOMO", Deelproject="DP2", Uren=3)(tabs)  # warning: counted, not compensated
    ds = dataset_of(tabs)
    partners = metrics.partner_hours(ds, 2021).set_index("code")
    assert partners.loc["ATK", "hours"] == 14.5                  # unchanged by the bad row
    assert partners.loc["DOMO", "hours"] == 7 + 3
    assert partners.loc["DOMO", "amount"] == 20000
    assert ds.excluded["Uren"] == 1 and ds.row_counts["Uren"] == 10


def test_more_than_24_hours_on_a_day_warns_on_each_row():
    tabs = base_tabs()
    first = hours(Medewerker="Bo", Uren=14)(tabs)
    second = hours(Medewerker="bo ", Uren=12)(tabs)
    ds = dataset_of(tabs)
    warned = ds.problems[ds.problems["message"].str.contains("26 uur")]
    assert sorted(warned["row"]) == [first, second]
    assert set(warned["severity"]) == {"warning"}
    assert ds.excluded["Uren"] == 0


def test_codes_compare_without_case_and_spaces():
    tabs = base_tabs()
    hours(Partner="atk ", Deelproject=" dp1")(tabs)
    ds = dataset_of(tabs)
    assert ds.problems.empty
    assert ds.hours["partner"].iloc[-1] == "ATK" and ds.hours["subproject"].iloc[-1] == "DP1"


def test_an_error_elsewhere_on_a_referenced_row_does_not_reject_what_refers_to_it():
    tabs = base_tabs()
    tabs["Acties"][1][7] = "Klaar"            # A1 gets an error (unknown status) ...
    tabs["Deelprojecten"][1][3] = "Nobody"    # ... and DP1 one (unknown lead)
    ds = dataset_of(tabs)
    assert ds.excluded["Acties"] == 1
    # A subproject counts everywhere or nowhere: DP1 stays (without a lead), its problem shown.
    assert ds.excluded["Deelprojecten"] == 0
    assert ds.subprojects.set_index("code").loc["DP1", "lead"] is None
    assert ds.problems["value"].eq("Nobody").sum() == 1
    assert ds.excluded["Uren"] == 0           # the hours booked on A1 and DP1 still count
    assert metrics.partner_hours(ds, 2021).set_index("code").loc["ATK", "hours"] == 14.5


def test_missing_tab_and_missing_columns():
    tabs = base_tabs()
    del tabs["Metingen"]
    tabs["Uren"] = [[c for c in tabs["Uren"][0] if c != "Uren"]] + [r[:5] + r[6:] for r in tabs["Uren"][1:]]
    tabs["Acties"] = [r[:-1] for r in tabs["Acties"]]   # drop optional "Laatst bijgewerkt"
    ds = dataset_of(tabs)
    p = ds.problems
    assert "Tabblad 'Metingen' ontbreekt" in p[p["tab"] == "Metingen"].iloc[0]["message"]
    uren = p[(p["tab"] == "Uren") & (p["column"] == "Uren")].iloc[0]
    assert uren["severity"] == "error" and "de 8 rijen van dit tabblad tellen niet mee" in uren["message"]
    assert ds.excluded["Uren"] == 8 and ds.hours.empty
    optional = p[(p["tab"] == "Acties") & (p["column"] == "Laatst bijgewerkt")].iloc[0]
    assert optional["severity"] == "warning"
    # Everything that does not depend on the missing parts still works.
    assert metrics.subproject_progress(ds, 2021, D(2021, 7, 1)).set_index("code").loc[
        "DP1", "progress"] == 37.5
    assert metrics.indicator_status(ds, 2021, D(2021, 12, 31))["measurements"].sum() == 0


def test_headers_match_loosely_extra_columns_and_empty_rows_are_ignored():
    tabs = base_tabs()
    tabs["Uren"][0] = [" datum", "PARTNER ", "Medewerker", "deelproject", "Actie", "uren",
                       "Omschrijving"]
    tabs["Uren"][0].append("Notities")
    tabs["Uren"][1].append("een notitie")
    tabs["Uren"].insert(3, [None, "", "  "])
    ds = dataset_of(tabs)
    assert ds.problems.empty
    assert len(ds.hours) == 8 and ds.row_counts["Uren"] == 8
    assert sorted(ds.hours["row"]) == [2, 3, 5, 6, 7, 8, 9, 10]   # sheet rows, gap at 4


def test_action_year_follows_its_start_then_its_deadline():
    tabs = base_tabs()
    tabs["Doelstellingen"].append([2022, "SD1", "DP1", "Zelfde code, nieuw jaar"])
    tabs["Deelprojecten"].append([2022, "DP1", "BAZ voor iedereen", "ATK", None])
    tabs["Acties"].append(["B1", "SD1", "Volgend jaar", "ATK", None, None, D(2022, 3, 1),
                           "Gepland", 0, None, None, None, None])
    ds = dataset_of(tabs)
    assert ds.problems.empty
    years = ds.actions.set_index("id")["year"]
    assert years["B1"] == 2022 and years["A1"] == 2021
    assert list(metrics.goal_progress(ds, 2022, D(2022, 1, 1))["actions"]) == [1]
