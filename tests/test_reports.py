"""The page view-models, on conftest's hand-computed 2021 workbook.

By hand (rates: ATK/DP1 € 45,50 for 10 h; DOMO/DP1 € 40,00 for 5 h; ATK/DP2 € 33,33 for 20 h):
ATK/DP1 Q1 7,5 h -> € 341,25; Q2 6 h of which 2,5 compensated -> € 113,75, 3,5 above budget.
ATK/DP2 0,5 h in Q1 and in Q2 -> € 16,67 and € 16,66 (cumulative rounding: 33,33 through Q2). DOMO/DP1 30/06 6 h: 5 compensated (€ 200,00),
1 above; 01/07 1 h above budget. So DP1: 20,5 h, € 655,00 of a € 655,00 Personeel budget;
DP2: 1 h, € 33,33 of € 666,60. Peildatum 01/07/2021 is day 182 of 365: 49,86% elapsed.
"""
import ast
import dataclasses
import datetime as dt
import math
import pathlib

import numpy as np
import pandas as pd
import pytest

from baz_data import evaluation, reports
from baz_data.model import load_dataset
from baz_data.sources import demo_source
from tests.report_fixtures import (SHEET_URL, messy_dataset, without_budget_dataset)

D = dt.date
PEIL = D(2021, 7, 1)


def rows(frame: pd.DataFrame, key: str) -> dict:
    return {r[key]: r for r in frame.to_dict("records")}


# -- Overzicht -----------------------------------------------------------------------------------
def test_overview_per_subproject(ds):
    o = reports.overview(ds, 2021, PEIL)
    assert list(o.subprojects.columns) == [
        "Deelproject", "Naam", "Trekker", "Voortgang", "Doelstellingen", "Acties", "Afgerond",
        "Lopend", "Te laat", "Uren", "Vergoed uren", "Boven budget", "Vergoed", "Budget",
        "Resterend", "Budgetgebruik", "Verstreken"]
    dp1, dp2 = rows(o.subprojects, "Deelproject")["DP1"], rows(o.subprojects, "Deelproject")["DP2"]
    assert (dp1["Naam"], dp1["Voortgang"], dp1["Doelstellingen"]) == ("BAZ voor iedereen", 37.5, 3)
    assert (dp1["Acties"], dp1["Afgerond"], dp1["Lopend"], dp1["Te laat"]) == (3, 1, 1, 1)
    assert (dp1["Uren"], dp1["Vergoed uren"], dp1["Boven budget"]) == (20.5, 15.0, 5.5)
    assert (dp1["Vergoed"], dp1["Budget"], dp1["Resterend"]) == (65500, 65500, 0)
    assert dp1["Budgetgebruik"] == 100.0
    assert dp1["Verstreken"] == pytest.approx(182 / 365 * 100)
    assert (dp2["Uren"], dp2["Vergoed"], dp2["Budget"], dp2["Resterend"]) == (1.0, 3333, 66660, 63327)
    assert dp2["Budgetgebruik"] == pytest.approx(3333 / 66660 * 100)
    assert o.elapsed == pytest.approx(182 / 365 * 100)


def test_overview_per_partner_and_totals(ds):
    o = reports.overview(ds, 2021, PEIL)
    atk, domo = rows(o.partners, "Partner")["ATK"], rows(o.partners, "Partner")["DOMO"]
    assert (atk["Voortgang"], atk["Acties"], atk["Te laat"]) == (75.0, 2, 1)
    assert (atk["Uren"], atk["Vergoed uren"], atk["Boven budget"]) == (14.5, 11.0, 3.5)
    assert (atk["Vergoed"], atk["Budget"], atk["Resterend"]) == (48833, 112160, 63327)
    assert (domo["Voortgang"], domo["Uren"], domo["Vergoed"], domo["Budgetgebruik"]) == (
        12.5, 7.0, 20000, 100.0)
    t = o.totals
    assert (t.actions, t.done, t.running, t.overdue) == (4, 1, 2, 1)
    assert (t.hours, t.compensated_hours, t.uncompensated_hours) == (21.5, 16.0, 5.5)
    assert (t.amount, t.budget, t.remaining) == (68833, 132160, 63327)
    assert o.has_hours


def test_overview_budget_per_post_and_monthly_hours(ds):
    o = reports.overview(ds, 2021, PEIL)
    budget = o.budget.set_index(["Deelproject", "Post"])
    assert tuple(budget.loc[("DP1", "Communicatie"), ["Budget", "Besteed", "Resterend"]]) == (
        100000, 25050, 74950)
    assert budget.loc[("DP1", "Communicatie"), "Budgetgebruik"] == pytest.approx(25.05)
    assert budget.loc[("DP2", "Personeel"), "Besteed"] == 3333
    months = {(m.month, s): h for m, s, h in o.monthly_hours.itertuples(index=False)}
    assert months == {(2, "DP2"): 0.5, (3, "DP1"): 7.5, (4, "DP1"): 6.0, (5, "DP2"): 0.5,
                      (6, "DP1"): 6.0, (7, "DP1"): 1.0}


def test_overview_of_a_year_without_data_is_empty_not_an_error(ds):
    o = reports.overview(ds, 2022, D(2022, 7, 1))
    assert not o.has_hours and o.subprojects.empty and o.monthly_hours.empty
    assert o.totals.amount == 0 and math.isnan(o.totals.used)


# -- Weekoverleg ---------------------------------------------------------------------------------
def test_week_report_actions():
    w = reports.week_report(messy_dataset(), 2021, 26, D(2021, 7, 2))
    assert (w.start, w.end) == (D(2021, 6, 28), D(2021, 7, 4))
    assert (w.label, w.name, w.title) == ("Week 26 (28/06 – 04/07)", "week 26", "Weekoverleg — week 26")
    assert list(w.overdue["ID"]) == ["A1", "A4"]
    assert list(w.overdue["Dagen te laat"]) == [2, 1]
    assert list(w.overdue["Trekker"]) == ["ATK", "DOMO"]
    assert list(w.overdue["Status"]) == ["Lopend", "Gepland"]
    assert w.overdue["Deadline"].tolist() == [D(2021, 6, 30), D(2021, 7, 1)]
    assert list(w.updated["ID"]) == ["A1"]
    assert w.updated["Laatst bijgewerkt"].tolist() == [D(2021, 6, 28)]


# Base actions: A1 Lopend, deadline 30/06; A2 Afgerond 31/05; A4 Gepland 01/07; A5 Lopend 31/12.
# "Binnenkort" is two weeks from the Monday of an ISO week, or from the peildatum for the last
# seven days, but never before the peildatum: a passed deadline is te laat, not due (the
# deadline day itself is not te laat yet).
@pytest.mark.parametrize("period, peildatum, span, due_span, due, overdue", [
    (26, D(2021, 7, 2), (D(2021, 6, 28), D(2021, 7, 4)), (D(2021, 7, 2), D(2021, 7, 11)),
     [], ["A1", "A4"]),
    (26, D(2021, 6, 30), (D(2021, 6, 28), D(2021, 7, 4)), (D(2021, 6, 30), D(2021, 7, 11)),
     ["A1", "A4"], []),
    (0, D(2021, 7, 1), (D(2021, 6, 25), D(2021, 7, 1)), (D(2021, 7, 1), D(2021, 7, 14)),
     ["A4"], ["A1"]),
    (0, D(2021, 12, 20), (D(2021, 12, 14), D(2021, 12, 20)), (D(2021, 12, 20), D(2022, 1, 2)),
     ["A5"], ["A1", "A4"]),
    (25, D(2021, 7, 2), (D(2021, 6, 21), D(2021, 6, 27)), (D(2021, 7, 2), D(2021, 7, 4)),
     [], ["A1", "A4"]),
], ids=["this week, after two deadlines", "this week, on a deadline", "last seven days",
        "last seven days, December", "an earlier week"])
def test_week_report_due_is_never_te_laat(period, peildatum, span, due_span, due, overdue):
    w = reports.week_report(messy_dataset(), 2021, period, peildatum)
    assert (w.start, w.end) == span and (w.due_start, w.due_end) == due_span
    assert list(w.due["ID"]) == due and list(w.overdue["ID"]) == overdue
    assert not set(w.due["ID"]) & set(w.overdue["ID"])
    assert w.due_help == (f"Open acties met een deadline van {due_span[0]:%d/%m/%Y} tot en met "
                          f"{due_span[1]:%d/%m/%Y}. Een deadline die voorbij is, staat bij Te laat.")


def test_week_report_of_the_last_seven_days():
    """Peildatum Wednesday 30/06/2021: 24/06–30/06. DOMO/Cas logged 6 h on 30/06 (the 1 h of
    01/07 falls after it); A1 was updated on 28/06."""
    w = reports.week_report(messy_dataset(), 2021, 0, D(2021, 6, 30))
    assert (w.label, w.name, w.title) == ("Afgelopen week (24/06 – 30/06)", "de afgelopen week",
                                          "Weekoverleg — afgelopen week")
    assert w.hours_by_person.to_dict("records") == [
        {"Partner": "DOMO", "Medewerker": "Cas", "Uren": 6.0}]
    assert w.total_hours == 6.0 and list(w.updated["ID"]) == ["A1"]


def test_week_report_hours():
    w = reports.week_report(messy_dataset(), 2021, 26, D(2021, 7, 2))
    # Only DOMO/Cas logged valid hours in the week (30/06 6 h, 01/07 1 h); 'Magneta' is an error.
    assert w.hours_by_partner.to_dict("records") == [{"Partner": "ATK", "Uren": 0.0},
                                                     {"Partner": "DOMO", "Uren": 7.0}]
    assert w.hours_by_person.to_dict("records") == [
        {"Partner": "DOMO", "Medewerker": "Cas", "Uren": 7.0}]
    assert w.total_hours == 7.0


def test_week_report_new_problems_are_those_on_rows_dated_in_the_week():
    w = reports.week_report(messy_dataset(), 2021, 26, D(2021, 7, 2))
    assert list(zip(w.new_problems["Tabblad"], w.new_problems["Rij"])) == [
        ("Acties", 7), ("Metingen", 7), ("Uren", 10)]
    assert list(w.new_problems["Kolom"]) == ["Status", "Indicator", "Partner"]
    # The 30-hour row of 15/03 is a problem too, but not a new one this week.
    assert ("Uren", 11) in set(zip(reports.problem_table(messy_dataset())["Tabblad"],
                                   reports.problem_table(messy_dataset())["Rij"]))


def test_weeks_in_year():
    from baz_data import metrics

    assert metrics.weeks_in_year(2020) == 53 and metrics.weeks_in_year(2021) == 52


def test_week_options_start_with_the_last_seven_days_then_weeks_newest_first():
    """Peildatum Thursday 02/07/2020 is in ISO week 27 (29/06–05/07)."""
    options = reports.week_options(2020, D(2020, 7, 2))
    assert list(options) == [0, *range(27, 0, -1)]
    assert list(options.values())[:3] == ["Afgelopen week (26/06 – 02/07)",
                                          "Week 27 (29/06 – 05/07)", "Week 26 (22/06 – 28/06)"]
    assert options[26] == reports.week_report(messy_dataset(), 2020, 26, D(2020, 7, 2)).label


# -- Datakwaliteit -------------------------------------------------------------------------------
def test_problem_table_headers_severity_and_filters():
    table = reports.problem_table(messy_dataset())
    assert list(table.columns) == ["Tabblad", "Rij", "Kolom", "Waarde", "Melding", "Ernst", "Cel",
                                   "Link"]
    uren = reports.problem_table(messy_dataset(), tab="Uren", severity="fout")
    assert list(uren["Rij"]) == [10, 11]
    assert list(uren["Waarde"]) == ["Magneta", "30"]
    assert set(uren["Ernst"]) == {"fout"} and list(uren["Cel"]) == ["B10", "F11"]
    assert uren["Link"].isna().all()  # a workbook has no cells to link to
    assert reports.problem_table(messy_dataset(), severity="warning").empty


def test_problem_table_links_to_the_cell_in_google_sheets():
    uren = reports.problem_table(messy_dataset(url=SHEET_URL), tab="Uren")
    assert uren["Link"].iloc[0] == (
        "https://docs.google.com/spreadsheets/d/abc123/edit#gid=22&range=B10")


def test_problem_summary():
    ds = messy_dataset()
    summary = reports.problem_summary(ds)
    assert (summary.errors, summary.warnings) == (ds.error_count, ds.warning_count)
    assert summary.excluded_rows == sum(ds.excluded.values()) > 0 and summary.has_problems
    assert summary.columns == reports.PROBLEM_COLUMNS and "ga naar het tabblad" in summary.hint
    linked = reports.problem_summary(messy_dataset(url=SHEET_URL))
    assert linked.columns == ["Link"] + reports.PROBLEM_COLUMNS and linked.hint is None  # link first


# -- Kwartaaloverzicht ---------------------------------------------------------------------------
@pytest.fixture
def q2(ds):
    return reports.quarter_report(ds, 2021, 2, PEIL, generated=D(2021, 7, 2))


def test_quarter_report_title_info(q2):
    assert q2.period_label == "Q2 2021 (01/04/2021 – 30/06/2021)"
    assert q2.title == "Kwartaaloverzicht Q2 2021"
    assert q2.subtitle == ("01/04/2021 – 30/06/2021 · peildatum 30/06/2021, de laatste dag van "
                           "het kwartaal")
    assert "Q2" not in q2.subtitle                     # the title names the quarter, once
    assert q2.source == "testwerkboek · gegevens van 01/07/2021 00:00"
    assert (q2.start, q2.end, q2.generated) == (D(2021, 4, 1), D(2021, 6, 30), D(2021, 7, 2))


def test_quarter_report_hours_and_money_in_quarter_and_cumulative(q2):
    h = rows(q2.hours, "Deelproject")
    # DP1 Q2: ATK 01/04 4 h + 02/04 2 h, DOMO 30/06 6 h; Q1 had 7,5 h.
    assert (h["DP1"]["Uren kwartaal"], h["DP1"]["Uren cumulatief"]) == (12.0, 19.5)
    assert (h["DP1"]["Vergoed kwartaal"], h["DP1"]["Vergoed cumulatief"]) == (31375, 65500)
    assert (h["DP1"]["Budget"], h["DP1"]["Resterend"], h["DP1"]["Budgetgebruik"]) == (65500, 0, 100)
    assert (h["DP2"]["Vergoed kwartaal"], h["DP2"]["Vergoed cumulatief"]) == (1666, 3333)
    # Pace at the quarter's end (30/06 is day 181), the peildatum being later.
    assert h["DP1"]["Verstreken"] == pytest.approx(181 / 365 * 100)
    b = q2.budget.set_index(["Deelproject", "Post"])
    assert tuple(b.loc[("DP1", "Communicatie"), ["Besteed kwartaal", "Besteed cumulatief"]]) == (
        25050, 25050)
    assert tuple(b.loc[("DP1", "Personeel"), ["Besteed kwartaal", "Besteed cumulatief"]]) == (
        31375, 65500)
    p = rows(q2.partners, "Partner")
    assert (p["ATK"]["Uren kwartaal"], p["ATK"]["Vergoed kwartaal"]) == (6.5, 13041)
    assert (p["ATK"]["Uren cumulatief"], p["ATK"]["Vergoed uren"], p["ATK"]["Boven budget"]) == (
        14.5, 11.0, 3.5)
    assert (p["ATK"]["Vergoed cumulatief"], p["ATK"]["Resterend"]) == (48833, 63327)
    assert (p["DOMO"]["Vergoed kwartaal"], p["DOMO"]["Boven budget"]) == (20000, 1.0)


def test_quarter_report_progress_status_and_indicators(q2):
    s = rows(q2.action_status, "Deelproject")
    # Counted at 30/06, Q2's last day (the chosen 01/07 lies past it): A1's deadline is that
    # very day, so it is not late yet.
    assert {k: s["DP1"][k] for k in ("Gepland", "Lopend", "Afgerond", "Uitgesteld",
                                     "Geannuleerd", "Te laat", "Totaal")} == {
        "Gepland": 1, "Lopend": 1, "Afgerond": 1, "Uitgesteld": 0, "Geannuleerd": 1,
        "Te laat": 0, "Totaal": 4}
    assert rows(q2.subprojects, "Deelproject")["DP1"]["Voortgang"] == 37.5
    goals = rows(q2.goals, "Doelstelling")
    assert goals["SD1"]["Voortgang"] == 75 and math.isnan(goals["SD3"]["Voortgang"])
    ind = rows(q2.indicators, "ID")
    # Up to 30/06: I1 (som) 30 + 25 (the 01/08 measurement is later); I2 (laatste) 7,5 of 8.
    assert (ind["I1"]["Gerealiseerd"], ind["I1"]["Metingen"]) == (55, 2)
    assert ind["I1"]["Realisatie"] == pytest.approx(55)
    assert (ind["I2"]["Gerealiseerd"], ind["I2"]["Realisatie"]) == (7.5, pytest.approx(93.75))
    assert ind["I2"]["Deelproject"] == "DP2"


def test_quarter_report_effect_and_lessons(q2):
    learning = q2.learning
    assert list(learning["ID"]) == ["A1", "A2"]
    assert learning.loc[0, "Communicatie"] == "Nieuwsbrief"
    assert (learning.loc[1, "Effectmeting"], learning.loc[1, "Lessons learned"]) == (
        "Bevraging", "Vroeg starten")
    assert set(q2.monthly_hours["Maand"].dt.month) == {2, 3, 4, 5, 6}  # up to June
    groups = q2.learning_by_subproject()
    assert [code for code, _ in groups] == list(dict.fromkeys(learning["Deelproject"]))
    assert "Deelproject" not in groups[0][1] and sum(len(g) for _, g in groups) == len(learning)


@pytest.mark.parametrize("quarter, chosen, peildatum, label, late, elapsed, quarter_elapsed", [
    # Q3 is past on 01/12: counted at 30/09. A1 (deadline 30/06) is 92 days late, A4 (01/07) 91;
    # A5 (31/12) not yet. 30/09 is day 273 of 365: 74,79% of the year; all of Q3.
    (3, D(2021, 12, 1), D(2021, 9, 30), "peildatum 30/09/2021, de laatste dag van het kwartaal",
     {"A1": 92, "A4": 91}, 273 / 365 * 100, 100.0),
    # Q4 is running on 01/12: the chosen peildatum stays. A5 is not late yet (31/12); day 335;
    # 01/12 is day 62 of Q4's 92.
    (4, D(2021, 12, 1), D(2021, 12, 1), "peildatum 01/12/2021", {"A1": 154, "A4": 153},
     335 / 365 * 100, 62 / 92 * 100),
    # Q4 of a year that is over (a peildatum in the next year, as the command line allows): 31/12,
    # the whole year elapsed; A5's deadline day itself is not late.
    (4, D(2022, 1, 15), D(2021, 12, 31), "peildatum 31/12/2021, de laatste dag van het kwartaal",
     {"A1": 184, "A4": 183}, 100.0, 100.0),
    # Q4 has not started on 15/05: the chosen peildatum stays, and the heading says so.
    (4, D(2021, 5, 15), D(2021, 5, 15), "peildatum 15/05/2021: het kwartaal is nog niet begonnen",
     {}, 135 / 365 * 100, 0.0),
], ids=["past", "running", "past-year", "not-started"])
def test_quarter_report_counts_a_past_quarter_at_its_last_day(
        ds, quarter, chosen, peildatum, label, late, elapsed, quarter_elapsed):
    r = reports.quarter_report(ds, 2021, quarter, chosen, generated=D(2021, 12, 1))
    assert (r.peildatum, r.chosen, r.as_of_label) == (peildatum, chosen, label)
    assert label in r.subtitle
    assert dict(zip(r.late["ID"], r.late["Dagen te laat"])) == late
    assert list(r.late.columns) == reports.quarter_tables.LATE_COLUMNS
    assert r.figures.overdue == len(late) == r.totals["subprojects"]["Te laat"]
    assert r.totals["action_status"]["Te laat"] == len(late)
    assert r.elapsed == pytest.approx(elapsed)
    assert set(r.hours["Verstreken"]) == {r.elapsed} and set(r.budget["Verstreken"]) == {r.elapsed}
    assert r.figures.quarter_elapsed == pytest.approx(quarter_elapsed)


def test_quarter_report_late_actions_name_who_is_responsible(ds):
    r = reports.quarter_report(ds, 2021, 3, D(2021, 12, 1))
    a1 = rows(r.late, "ID")["A1"]
    assert (a1["Actie"], a1["Trekker"], a1["Verantwoordelijke"], a1["Deadline"]) == (
        "Lerend netwerk", "ATK", "An", D(2021, 6, 30))
    assert (a1["Status"], a1["Voortgang"], a1["Deelproject"], a1["Doelstelling"]) == (
        "Lopend", 50, "DP1", "SD1")


def test_quarter_report_totals_are_the_sums_of_the_lines(ds):
    """Q3 2021 on 01/12 (counted at 30/09). Hours: 20,5 h through Q2 + DOMO's 1 h on 01/07
    (above budget) = 21,5 h, 1 h in Q3. Money: ATK € 488,33 + DOMO € 200,00 = € 688,33 of
    € 1.121,60 + € 200,00 = € 1.321,60 Personeel budget (52,08%)."""
    r = reports.quarter_report(ds, 2021, 3, D(2021, 12, 1))
    t = r.totals
    assert t["hours"]["Deelproject"] == "Totaal"
    assert (t["hours"]["Uren kwartaal"], t["hours"]["Uren cumulatief"]) == (1.0, 21.5)
    assert (t["hours"]["Vergoed cumulatief"], t["hours"]["Budget"]) == (68833, 132160)
    assert t["hours"]["Budgetgebruik"] == pytest.approx(68833 / 132160 * 100)
    assert t["hours"]["Resterend"] == 132160 - 68833
    for name, frame in (("hours", r.hours), ("budget", r.budget), ("partners", r.partners),
                        ("subprojects", r.subprojects), ("action_status", r.action_status),
                        ("key", r.key)):
        for header, value in t[name].items():
            kind = reports.column_kind(header)
            if kind in (reports.MONEY, reports.COUNT):
                assert value == frame[header].sum(), (name, header)
            elif kind == reports.HOURS:
                assert value == pytest.approx(frame[header].sum()), (name, header)
    assert t["budget"]["Budgetgebruik"] == pytest.approx(
        t["budget"]["Besteed cumulatief"] / t["budget"]["Budget"] * 100)
    assert t["subprojects"]["Voortgang"] is None     # a mean of means would mislead
    assert (t["partners"]["Vergoed uren"], t["partners"]["Boven budget"]) == (16.0, 5.5)


def test_quarter_report_key_table_and_figures(ds):
    r = reports.quarter_report(ds, 2021, 3, D(2021, 12, 1))
    assert list(r.key.columns) == reports.quarter_tables.KEY_COLUMNS
    dp1 = rows(r.key, "Deelproject")["DP1"]
    assert (dp1["Voortgang"], dp1["Acties"], dp1["Te laat"]) == (37.5, 3, 2)
    assert (dp1["Uren kwartaal"], dp1["Uren cumulatief"], dp1["Vergoed cumulatief"]) == (
        1.0, 20.5, 65500)
    f = r.figures
    assert (f.hours_quarter, f.hours_cumulative, f.amount_cumulative, f.budget) == (
        1.0, 21.5, 68833, 132160)
    assert (f.actions, f.done, f.overdue) == (4, 1, 2)
    assert r.key_figures() == [
        ("Uren Q3", "1,0 uur", "21,5 uur sinds 1 januari"),
        ("Vergoed tot en met Q3", "€ 688,33", "van € 1.321,60 personeelsbudget (52%)"),
        ("Verstreken", "75%", "van het jaar op 30/09/2021; van Q3: 100%"),
        ("Te laat", "2", "van 4 acties op 30/09/2021")]
    assert r.summary_lines() == [
        "Voortgang per deelproject: 38% (BAZ voor iedereen) en 25% (BAZ in de eerstelijns); "
        "1 van de 4 acties is afgerond.",
        "In Q3 zijn 1,0 uur geregistreerd, 21,5 uur sinds 1 januari; tot en met Q3 is € 688,33 "
        "vergoed, 52% van het personeelsbudget van € 1.321,60, bij 75% verstreken deel van het "
        "jaar.",
        "Op 30/09/2021 zijn 2 acties te laat; de lijst staat onder 'Te laat'."]


def test_quarter_report_of_an_empty_year_says_so(ds):
    r = reports.quarter_report(ds, 2022, 1, D(2022, 3, 31))
    assert r.summary_lines() == [
        "Er is nog geen voortgang geregistreerd; voor 2022 staan er nog geen acties in de sheets.",
        "Tot en met Q1 zijn nog geen uren geregistreerd; er staat geen personeelsbudget in de "
        "begroting.",
        "Op 31/03/2022 is geen enkele actie te laat."]
    assert math.isnan(r.totals["hours"]["Budgetgebruik"]) and r.late.empty


def test_quarter_report_sections_are_valid_sheet_names(q2):
    titles = [title for title, _, _ in q2.sections()]
    assert "Effectmeting en lessons learned" in titles and "Te laat" in titles
    assert all(len(t) <= 31 and not set(t) & set("/\\?*[]:") for t in titles)


# -- Uren per partner ----------------------------------------------------------------------------
def test_hours_are_summed_in_units_not_floats():
    assert 0.1 + 0.2 != 0.3
    assert reports.sum_hours(pd.Series([0.1, 0.2])) == 0.3
    assert reports.sum_hours(pd.Series([], dtype=float)) == 0.0


def test_partner_choices_in_the_order_of_the_partners_tab(ds):
    choices = reports.partner_choices(ds)
    assert list(choices) == list(ds.partners["code"])
    assert choices["ATK"] == f"ATK — {ds.partners.set_index('code').loc['ATK', 'name']}"


def test_partner_report_atk(ds):
    p = reports.partner_report(ds, "ATK", 2021)
    assert (p.name, p.has_budget, p.has_hours, p.empty_message) == ("ATK vzw", True, True, None)
    q = rows(p.by_quarter, "Kwartaal")
    assert list(q) == ["Q1", "Q2", "Q3", "Q4"]
    assert (q["Q1"]["Uren"], q["Q1"]["Vergoed uren"], q["Q1"]["Vergoed"]) == (8.0, 8.0, 35792)
    assert (q["Q2"]["Uren"], q["Q2"]["Boven budget"], q["Q2"]["Vergoed"]) == (6.5, 3.5, 13041)
    assert q["Q3"]["Uren"] == 0
    s = rows(p.by_subproject, "Deelproject")
    assert (s["DP1"]["Uren"], s["DP1"]["Vergoed"], s["DP1"]["Uurtarief"], s["DP1"]["Resterend"]) == (
        13.5, 45500, 4550, 0)
    assert (s["DP2"]["Budget uren"], s["DP2"]["Resterende uren"], s["DP2"]["Resterend"]) == (
        20.0, 19.0, 63327)
    assert p.by_person.to_dict("records") == [{"Medewerker": "An", "Uren": 8.5},
                                              {"Medewerker": "Bo", "Uren": 6.0}]
    t = p.totals
    assert (t.hours, t.compensated_hours, t.uncompensated_hours, t.amount) == (14.5, 11, 3.5, 48833)
    assert (t.budget_hours, t.budget_amount, t.remaining_hours, t.remaining_amount) == (
        30, 112160, 19, 63327)


def test_partner_statement_lines(ds):
    p = reports.partner_report(ds, "ATK", 2021)
    lines = p.statement_for(2)
    assert lines.to_dict("records") == [
        {"Jaar": 2021, "Kwartaal": "Q2", "Regel": "uren van Q2", "Partner": "ATK",
         "Deelproject": "DP1", "Uren": 6.0,
         "Vergoed uren": 2.5, "Boven budget": 3.5, "Uurtarief": 4550, "Bedrag": 11375},
        {"Jaar": 2021, "Kwartaal": "Q2", "Regel": "uren van Q2", "Partner": "ATK",
         "Deelproject": "DP2", "Uren": 0.5,
         "Vergoed uren": 0.5, "Boven budget": 0.0, "Uurtarief": 3333, "Bedrag": 1666}]
    assert len(p.statement_for()) == 4 and p.statement["Bedrag"].sum() == 48833


def test_partner_without_budget_gets_a_sentence():
    ds = without_budget_dataset()
    ekc = reports.partner_report(ds, "EKC", 2021)
    assert (ekc.has_budget, ekc.has_hours) == (False, True)
    assert "geen Personeel-lijn" in ekc.empty_message
    assert (ekc.totals.hours, ekc.totals.amount) == (3.0, 0)
    assert rows(ekc.by_quarter, "Kwartaal")["Q3"]["Boven budget"] == 3.0
    lus = reports.partner_report(ds, "Lus", 2021)
    assert lus.empty_message == "Lus vzw heeft in 2021 geen budget en nog geen uren geregistreerd."
    assert lus.statement.empty and lus.by_person.empty


# -- Doelstellingen ------------------------------------------------------------------------------
def test_goals_tree(ds):
    tree = reports.goals_tree(ds, 2021, PEIL)
    assert [s.code for s in tree.subprojects] == ["DP1", "DP2"]
    dp1 = tree.subprojects[0]
    assert (dp1.name, dp1.lead, dp1.progress, dp1.overdue) == ("BAZ voor iedereen", "ATK", 37.5, 1)
    sd1, sd2, sd3 = dp1.goals
    assert (sd1.code, sd1.progress, sd1.actions_count) == ("SD1", 75, 2)
    assert list(sd1.actions["ID"]) == ["A3", "A2", "A1"]          # by deadline
    a1 = sd1.actions.set_index("ID").loc["A1"]
    assert (a1["Communicatie"], a1["Te laat"], a1["Voortgang"]) == ("Nieuwsbrief", True, 50)
    assert sd1.actions.set_index("ID").loc["A2", "Lessons learned"] == "Vroeg starten"
    assert list(sd1.notes.columns) == ["ID", "Actie", "Communicatie", "Effectmeting",
                                       "Lessons learned"]
    assert list(sd1.notes["ID"]) == ["A2", "A1"]                  # A3 has no notes
    assert math.isnan(sd3.progress) and sd3.actions.empty
    assert sd1.indicators.to_dict("records") == [{
        "ID": "I1", "Indicator": "Aantal deelnemers", "Aggregatie": "som", "Streefwaarde": 100,
        "Gerealiseerd": 55, "Realisatie": pytest.approx(55), "Metingen": 2}]
    m = sd1.measurements
    assert list(m["Stand"]) == [30, 55, 65] and list(m["Waarde"]) == [30, 25, 10]
    sd5 = tree.subprojects[1].goals[0]
    assert list(sd5.measurements["Stand"]) == [7, 7.5]            # 'laatste': the value itself


# -- formatting of report tables -----------------------------------------------------------------
def test_formatted_writes_belgian_figures():
    frame = pd.DataFrame({"Bedrag": [123450, None], "Uren": [1234.5, 0.25],
                          "Voortgang": [37.5, float("nan")], "Deadline": [D(2021, 6, 30), None],
                          "Acties": [1200, 3], "Jaar": [2021, 2022], "Te laat": [True, False],
                          "Actie": ["Campagne", None]})
    out = reports.formatted(frame).to_dict("records")
    # Hours with the same number of decimals in one table (0,25 needs two): '1.234,50'.
    assert out[0] == {"Bedrag": "€ 1.234,50", "Uren": "1.234,50", "Voortgang": "38%",
                      "Deadline": "30/06/2021", "Acties": "1.200", "Jaar": "2021", "Te laat": "ja",
                      "Actie": "Campagne"}
    assert out[1] == {"Bedrag": "–", "Uren": "0,25", "Voortgang": "–", "Deadline": "–",
                      "Acties": "3", "Jaar": "2022", "Te laat": "–", "Actie": ""}


@pytest.mark.parametrize("hours, shown", [
    ([8.0, 887.75], ["8,00", "887,75"]),
    ([8.0, 887.5], ["8,0", "887,5"]),
    ([8.0, 1234.0], ["8", "1.234"]),
    ([0.3333, 1.0], ["0,33", "1,00"]),              # at most two decimals on screen
    ([0.1 + 0.2, 2.0], ["0,3", "2,0"]),             # float noise needs no third decimal
], ids=["two", "one", "none", "capped", "float noise"])
def test_hours_have_one_number_of_decimals_per_table(hours, shown):
    """The same count in every hours column of one table: 'Uren' and 'Boven budget' together."""
    frame = pd.DataFrame({"Medewerker": ["Bo", "An"], "Uren": hours, "Boven budget": [0.0, 0.0]})
    out = reports.formatted(frame)
    assert list(out["Uren"]) == shown
    assert set(out["Boven budget"]) == {reports.format_value("Uren", 0.0, len(shown[0].partition(",")[2]))}


# -- every numeric column has an explicit kind ---------------------------------------------------
def _frames(value, path: str):
    """Every DataFrame in a view-model: its fields, and the fields of the dataclasses, lists,
    tuples and dicts inside it, named by their path ('tree.subprojects[0].goals[1].actions')."""
    if isinstance(value, pd.DataFrame):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _frames(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _frames(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _frames(item, f"{path}[{key!r}]")


def _is_numeric(column: pd.Series) -> bool:
    """Numbers, yes/no or dates, also in an object column (Uurtarief: cents or None)."""
    if column.dtype.kind in "biufcmM":
        return True
    values = [v for v in column if not reports.is_missing(v)]
    return bool(values) and all(
        isinstance(v, (int, float, np.number, np.bool_, dt.date, pd.Timestamp))
        for v in values)


@pytest.fixture(scope="module")
def demo():
    return load_dataset(demo_source())


def _demo_view_models(demo) -> dict[str, object]:
    year = int(demo.subprojects["year"].max())
    peildatum = D(year, 10, 1)
    views: dict[str, object] = {
        "overview": reports.overview(demo, year, peildatum),
        "overview_own": reports.overview(demo, year, peildatum, own="ATK"),
        "goals": reports.goals_tree(demo, year, peildatum),
        "problems": reports.problem_table(demo),
        "new_problems": reports.new_problems(demo, D(year, 1, 1), peildatum),
        "evaluation": evaluation.budget_evaluation(demo, year, peildatum),
        "warnings": evaluation.early_warnings(demo, year, peildatum),
    }
    for period in list(reports.week_options(year, peildatum))[:2]:
        views[f"week {period}"] = reports.week_report(demo, year, period, peildatum)
    for quarter in range(1, 5):
        views[f"Q{quarter}"] = reports.quarter_report(demo, year, quarter, peildatum)
    for code in reports.partner_choices(demo):
        views[f"partner {code}"] = reports.partner_report(demo, code, year)
    return views


def test_every_numeric_column_of_every_view_model_has_an_explicit_kind(demo):
    """A header without a kind falls back to TEXT: its numbers would be written as Python writes
    them ('1234.5', '2026-06-30') on screen, in the PDF and in Excel. So every column holding
    numbers, yes/no or dates in any frame of any view-model on the demo has a kind of its own."""
    frames = [(f"{name}{path}", frame) for name, view in _demo_view_models(demo).items()
              for path, frame in _frames(view, "")]
    numeric = {(where, column) for where, frame in frames for column in frame.columns
               if _is_numeric(frame[column])}
    # the walk reaches the nested frames and finds numbers in them (else this test proves nothing)
    assert len(frames) > 50 and any(".goals[0].measurements" in where for where, _ in frames)
    assert {"Uren", "Vergoed", "Uurtarief", "Deadline", "Rij"} <= {c for _, c in numeric}
    without = sorted({column for _, column in numeric
                      if column not in reports.COLUMN_KINDS})
    assert without == []


# -- the package's shape -------------------------------------------------------------------------
def _package_imports() -> dict[str, set[str]]:
    """Per module of baz_data/reports/ the modules of the package it imports (``from .x``)."""
    folder = pathlib.Path(reports.__file__).parent
    graph = {}
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[path.stem] = {node.module or "__init__" for node in ast.walk(tree)
                            if isinstance(node, ast.ImportFrom) and node.level == 1}
    return graph


def test_the_report_modules_import_one_way():
    """columns <- common <- the pages <- __init__: no page imports the package, and the imports
    have no cycle (a topological order exists), so any module can be imported first."""
    graph = _package_imports()
    assert {"columns", "common", "year_overview", "week", "data_quality", "partner", "goals",
            "quarter", "quarter_tables"} <= set(graph)
    assert graph["columns"] == set() and graph["common"] <= {"columns"}
    assert all("__init__" not in imported for imported in graph.values())
    done: set[str] = set()
    while len(done) < len(graph):
        ready = {m for m in graph if m not in done and graph[m] <= done}
        assert ready, f"a cycle among {sorted(set(graph) - done)}"
        done |= ready
