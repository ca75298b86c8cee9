"""View-models of the budget evaluation (baz_data/evaluation.py): fixed columns, the figures of
forecast.py under Dutch headers, the early-warning sentences, and a partner's own lines only.

Figures by hand in tests/test_forecast.py ('steady': ATK / DP1, 112 h by 30/09/2021, forecast
296 h against 200 h budgeted at € 45,50, reached 13/11/2021; 'pause': 148 h forecast, 26 %
unused = 52 h × 45,50 = € 2.366,00).
"""
import datetime as dt

import pytest

from baz_data import access, evaluation, reports
from baz_data.model import load_dataset
from baz_data.sources import demo_source
from tests.test_forecast import EARLIER, PEIL, RECENT, line_dataset

D = dt.date


@pytest.fixture(scope="module")
def demo():
    return load_dataset(demo_source())


def test_frames_have_their_declared_columns(demo):
    ev = evaluation.budget_evaluation(demo, 2026, D(2026, 10, 1))
    assert list(ev.posts.columns) == evaluation.POST_COLUMNS
    assert list(ev.lines.columns) == evaluation.LINE_COLUMNS
    # the page shows the lines as an hours and a money table; together they show every column
    shown = evaluation.LINE_HOURS_COLUMNS + evaluation.LINE_MONEY_COLUMNS
    assert set(shown) == set(evaluation.LINE_COLUMNS)
    assert list(ev.above.columns) == evaluation.ABOVE_COLUMNS
    w = evaluation.early_warnings(demo, 2026, D(2026, 10, 1))
    assert list(w.runs_out.columns) == evaluation.RUNS_OUT_COLUMNS
    assert list(w.unused.columns) == evaluation.UNUSED_COLUMNS
    curve, _ = evaluation.hours_curve(demo, 2026, D(2026, 10, 1))
    assert list(curve.columns) == evaluation.CURVE_COLUMNS
    # every numeric column has an explicit kind, so screen, Excel and CSV write it right
    for frame in (ev.posts, ev.lines, ev.above, w.runs_out, w.unused):
        for column in frame.columns:
            if frame[column].dtype.kind in "if":
                assert reports.column_kind(column) != reports.TEXT, column


def test_the_evaluation_shows_the_forecast_figures():
    ds = line_dataset([(d, 14) for d in EARLIER + RECENT], 200)
    ev = evaluation.budget_evaluation(ds, 2021, PEIL)
    line = ev.lines.iloc[0]
    assert (line["Partner"], line["Deelproject"], line["Budget uren"], line["Uren"],
            line["Prognose uren"], line["Budget bereikt"]) == ("ATK", "DP1", 200, 112, 296,
                                                              D(2021, 11, 13))
    assert (line["Budget"], line["Vergoed"], line["Prognose"], line["Verschil"]) == \
        (910000, 509600, 910000, 0)
    assert line["Signaal"] == "budget op vóór 31/12"
    staff = ev.posts.iloc[0]
    assert (staff["Post"], staff["Besteed"], staff["Prognose"]) == ("Personeel", 509600, 910000)
    above = ev.above.set_index("Partner")
    assert above.loc["ATK", "Boven budget"] == 0 and above.loc["ATK", "Prognose boven budget"] == 96
    assert ev.totals == {"budget": 1010000, "spent": 534650, "forecast": 943492,
                         "low": 943492, "high": 943492}
    assert ev.next_year == 2022 and ev.next_subprojects_missing


@pytest.mark.parametrize("rows, budget, runs_out, unused", [
    ([(d, 14) for d in EARLIER + RECENT], 200,
     ["ATK bereikt zijn budget voor DP1 rond 13/11/2021 (200 uur)."], []),
    ([(d, 14) for d in EARLIER], 200,
     [], ["ATK laat voor DP1 naar schatting 26% van zijn uren ongebruikt (€\u00a02.366,00)."]),
    ([(D(2021, 3, d), 20) for d in range(1, 6)] + [(D(2021, 9, 10), 14)], 100,
     ["ATK bereikte zijn budget voor DP1 op 05/03/2021: wat daarna geschreven wordt, is boven "
      "budget (niet vergoed)."], []),
    ([(d, 10) for d in EARLIER + RECENT], 250, [], []),
], ids=["runs out", "unused", "already over", "on track"])
def test_early_warnings(rows, budget, runs_out, unused):
    """'on track': 10 h a Friday = 80 h, pace 80/56 h/day → 80 + 131,43 = 211,43 h at 31/12:
    at least 80 % of 250 h (200 h), and the 170 h left would take 119 days (after 31/12)."""
    w = evaluation.early_warnings(line_dataset(rows, budget), 2021, PEIL)
    assert w.runs_out_text == runs_out
    assert w.unused_text == unused
    assert w.any == bool(runs_out or unused)
    assert "8 weken" in w.rule and "30/09/2021" in w.rule


def test_a_partner_sees_only_its_own_lines(demo):
    domo = access.visible_dataset(demo, access.resolve_role(demo, "baz@domo.example.org"))
    ev = evaluation.budget_evaluation(domo, 2026, D(2026, 10, 1), "DOMO")
    assert set(ev.lines["Partner"]) == {"DOMO"}
    assert set(ev.above["Partner"]) == {"DOMO"}
    # the other posts are shared money, not the partner's: left out, also of its draft
    assert set(ev.posts["Post"]) == {"Personeel"} and set(ev.draft["Post"]) == {"Personeel"}
    assert set(ev.draft["Partner"]) == {"DOMO"} and len(ev.draft) == 3
    assert ev.totals["budget"] == ev.lines["Budget"].sum()
    full = evaluation.budget_evaluation(demo, 2026, D(2026, 10, 1)).lines
    assert ev.lines.reset_index(drop=True).equals(
        full[full["Partner"] == "DOMO"].reset_index(drop=True))
    w = evaluation.early_warnings(domo, 2026, D(2026, 10, 1))
    assert all(s.startswith("DOMO ") for s in w.runs_out_text + w.unused_text)
