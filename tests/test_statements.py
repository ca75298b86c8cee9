"""baz_data.statements: frozen lines, corrections and the rules of closing — pure, no database
(the store side is tests/test_closing.py).

Figures from tests/conftest.py BASE_TABS (2021); see tests/test_closing.py's docstring for the
hand calculation of the edits. Here a close is simulated in memory (:class:`Books`), exactly as
the store does it: the rows of ``lines_to_freeze`` get a close id, who and when.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import example, given, strategies as hs

from baz_data import metrics
from baz_data import statements as st
from baz_data.money import cents_of
from tests.conftest import base_tabs, dataset_of

D = dt.date


class Books:
    """An in-memory ledger: close and reopen as baz_data.history.closes does."""

    def __init__(self):
        self.closes, self.frozen, self.audit = [], [], []

    def ledger(self) -> st.Ledger:
        closes = pd.DataFrame(self.closes, columns=st.CLOSE_COLUMNS)
        live = {c["close_id"] for c in self.closes if c["reopened_at"] is None}
        frozen = pd.DataFrame([f for f in self.frozen if f["close_id"] in live],
                              columns=st.FROZEN_COLUMNS)
        frozen["corrects"] = st.optional_ints(frozen["corrects"])
        return st.Ledger(closes, frozen, pd.DataFrame(self.audit, columns=st.AUDIT_COLUMNS),
                         len(self.audit))

    def close(self, ds, quarter: int, today=D(2022, 1, 5)):
        ledger = self.ledger()
        st.check_close(ledger, 2021, quarter, today)
        lines = st.lines_to_freeze(metrics.allocate_hours(ds, 2021), ledger, 2021, quarter)
        close_id = len(self.closes) + 1
        at = dt.datetime.combine(today, dt.time(9))
        self.closes.append(dict(close_id=close_id, year=2021, quarter=quarter, closed_at=at,
                                closed_by="els@example.org", snapshot_id=1, reopened_at=None,
                                reopened_by=None, reopen_reason=None))
        for row in lines.to_dict("records"):
            self.frozen.append(row | dict(close_id=close_id, closed_at=at,
                                          closed_by="els@example.org"))
        self.audit.append(dict(audit_id=len(self.audit) + 1, at=at, by="els@example.org",
                               action="afgesloten", year=2021, quarter=quarter,
                               close_id=close_id, reason=None))
        return lines

    def reopen(self, quarter: int, reason="nagekeken"):
        st.check_reopen(self.ledger(), 2021, quarter, reason)
        close = next(c for c in self.closes if c["quarter"] == quarter and c["reopened_at"] is None)
        close["reopened_at"] = dt.datetime(2022, 1, 6)
        self.audit.append(dict(audit_id=len(self.audit) + 1, at=close["reopened_at"],
                               by="els@example.org", action="heropend", year=2021,
                               quarter=quarter, close_id=close["close_id"], reason=reason))


def edited():
    tabs = base_tabs()
    tabs["Uren"][3][5] = "1,5"
    del tabs["Uren"][5]
    tabs["Uren"].append([D(2021, 3, 15), "ATK", "An", "DP1", None, 3, None])
    return dataset_of(tabs)


def test_fixed_column_orders():
    assert st.FROZEN_COLUMNS == ["close_id", "year", "quarter", "partner", "subproject",
                                 "corrects", "units", "comp_units", "uncomp_units", "amount",
                                 "closed_at", "closed_by"]
    assert st.STATEMENT_COLUMNS == ["year", "quarter", "partner", "subproject", "corrects",
                                    "units", "comp_units", "uncomp_units", "amount", "state",
                                    "close_id"]
    assert st.CLOSE_COLUMNS[:6] == ["close_id", "year", "quarter", "closed_at", "closed_by",
                                    "snapshot_id"]
    lines = st.statement(metrics.allocate_hours(dataset_of(base_tabs()), 2021), None, 2021)
    assert list(lines.columns) == st.STATEMENT_COLUMNS


def test_without_closes_the_statement_is_metrics_statement_lines(ds):
    """No close: every line open, the same figures as metrics.statement_lines."""
    lines = st.statement(metrics.allocate_hours(ds, 2021), st.Ledger(), 2021)
    plain = metrics.period_lines(ds, 2021)
    assert set(lines["state"]) == {st.OPEN}
    assert lines[["quarter", "partner", "subproject", "amount"]].values.tolist() == \
        plain.sort_values(["quarter", "partner", "subproject"])[
            ["quarter", "partner", "subproject", "amount"]].values.tolist()


def test_corrections_after_edits_by_hand(ds):
    """Close Q1, then the three edits: Q2 carries correctie Q1 ATK DP1 +1 h € 45,50 and ATK DP2
    −0,5 h −€ 16,67 (tests/test_closing.py's docstring)."""
    books = Books()
    books.close(ds, 1, today=D(2021, 4, 6))
    lines = st.statement(metrics.allocate_hours(edited(), 2021), books.ledger(), 2021)
    pending = lines[lines["state"] == st.PENDING]
    assert pending[["quarter", "partner", "subproject", "corrects"] + st.FIGURES].values.tolist() \
        == [[2, "ATK", "DP1", 1, 10000, 10000, 0, 4550], [2, "ATK", "DP2", 1, -5000, -5000, 0, -1667]]
    assert st.later_corrections(lines, 1)["amount"].sum() == 2883


def test_closing_the_quarter_that_carries_corrections_freezes_them(ds):
    books = Books()
    books.close(ds, 1, today=D(2021, 4, 6))
    frozen = books.close(edited(), 2, today=D(2021, 7, 1))
    assert frozen[["partner", "subproject", "corrects", "amount"]].values.tolist() == [
        ["ATK", "DP1", None, 6825], ["ATK", "DP2", None, 1667], ["DOMO", "DP1", None, 20000],
        ["ATK", "DP1", 1, 4550], ["ATK", "DP2", 1, -1667]]
    lines = st.statement(metrics.allocate_hours(edited(), 2021), books.ledger(), 2021)
    assert not (lines["state"] == st.PENDING).any()


def test_after_the_last_close_corrections_wait_on_q4(ds):
    """All four quarters closed, then a Q1 edit: the correction is shown on Q4 as 'na
    afsluiting' (state after); reopening and closing Q4 freezes it there."""
    books = Books()
    for quarter in (1, 2, 3, 4):
        books.close(ds, quarter)
    lines = st.statement(metrics.allocate_hours(edited(), 2021), books.ledger(), 2021)
    after = lines[lines["state"] == st.AFTER]
    # Q1 as in test_corrections_after_edits_by_hand; Q2 was closed too and changes with it:
    # ATK DP1 Q2 now 6 h of which 1,5 compensated (was 2,5): € 68,25 − 113,75 = −€ 45,50;
    # ATK DP2 Q2 is now its first line: round(0,5 × 33,33) = 16,67, frozen 16,66: +€ 0,01.
    assert after[["quarter", "corrects", "partner", "units", "comp_units", "amount"]
                 ].values.tolist() == [
        [4, 1, "ATK", 10000, 10000, 4550], [4, 1, "ATK", -5000, -5000, -1667],
        [4, 2, "ATK", 0, -10000, -4550], [4, 2, "ATK", 0, 0, 1]]
    assert [st.correction_label(c, s) for c, s in zip(after["corrects"], after["state"])] == [
        "correctie Q1 (na afsluiting)"] * 2 + ["correctie Q2 (na afsluiting)"] * 2
    books.reopen(4)
    books.close(edited(), 4)
    lines = st.statement(metrics.allocate_hours(edited(), 2021), books.ledger(), 2021)
    assert set(lines["state"]) == {st.FROZEN}
    assert lines.groupby(["partner", "subproject"])["amount"].sum().to_dict() == {
        ("ATK", "DP1"): 45500, ("ATK", "DP2"): 1667, ("DOMO", "DP1"): 20000}


@pytest.mark.parametrize("closed, quarter, today, message", [
    pytest.param([], 2, D(2021, 7, 1), "sluit eerst Q1 2021 af", id="order"),
    pytest.param([1], 1, D(2021, 7, 1), "Q1 2021 is al afgesloten", id="twice"),
    pytest.param([], 1, D(2021, 3, 31), "Q1 2021 loopt tot en met 31/03/2021: je kunt het "
                 "afsluiten vanaf 01/04/2021", id="last-day-not-over"),
    pytest.param([], 5, D(2022, 1, 1), "Kwartaal 5 bestaat niet", id="no-such-quarter"),
])
def test_check_close_refuses_in_dutch(ds, closed, quarter, today, message):
    books = Books()
    for q in closed:
        books.close(ds, q)
    with pytest.raises(st.StatementError, match=message):
        st.check_close(books.ledger(), 2021, quarter, today)


def test_check_close_allows_the_day_after_the_quarter(ds):
    st.check_close(st.Ledger(), 2021, 1, D(2021, 4, 1))


@pytest.mark.parametrize("closed, quarter, reason, message", [
    pytest.param([], 1, "x", "Q1 2021 is niet afgesloten", id="not-closed"),
    pytest.param([1, 2], 1, "x", "Heropen eerst Q2 2021", id="later-closed"),
    pytest.param([1], 1, "  ", "Geef een reden op", id="blank-reason"),
    pytest.param([1], 1, "x" * 501, "De reden is te lang", id="long-reason"),
])
def test_check_reopen_refuses_in_dutch(ds, closed, quarter, reason, message):
    books = Books()
    for q in closed:
        books.close(ds, q)
    with pytest.raises(st.StatementError, match=message):
        st.check_reopen(books.ledger(), 2021, quarter, reason)


def test_a_partner_sees_its_own_frozen_lines_without_who(ds):
    books = Books()
    books.close(ds, 1)
    books.close(ds, 2)
    mine = books.ledger().for_partner("domo")
    assert set(mine.frozen["partner"]) == {"DOMO"}
    assert mine.frozen["closed_by"].isna().all() and mine.closes["closed_by"].isna().all()
    assert mine.audit.empty


# -- the property: frozen + corrections + open = the exact total rounded once ---------------------
ROW = hs.tuples(hs.integers(1, 365), hs.sampled_from(["ATK", "DOMO"]),
                hs.sampled_from(["DP1", "DP2"]), hs.integers(1, 120))   # day, partner, sub, ¼ h
# closing twice as likely as reopening: sequences reach Q2–Q4 closed with edits in between
STEP = hs.one_of(hs.just(("close",)), hs.just(("close",)), hs.just(("reopen",)),
                 hs.tuples(hs.just("edit"), hs.lists(ROW, max_size=8)))


def _dataset(rows, caps):
    tabs = base_tabs()
    tabs["Uren"] = tabs["Uren"][:1] + [
        [D(2021, 1, 1) + dt.timedelta(days=day - 1), partner, "An", sub, None, quarters / 4, None]
        for day, partner, sub, quarters in rows]
    tabs["Begroting"] = tabs["Begroting"][:1] + [
        [2021, "DP1", "ATK", "Personeel", caps[0], "45,555", None],
        [2021, "DP2", "ATK", "Personeel", caps[1], "33,33", None],
        [2021, "DP1", "DOMO", "Personeel", caps[2], "40,01", None]]
    return dataset_of(tabs)


@given(first=hs.lists(ROW, max_size=10), steps=hs.lists(STEP, max_size=6),
       caps=hs.tuples(*[hs.integers(1, 40)] * 3))
# close Q1, edit Q1, close Q2 (freezing the correction), edit Q1 again, close Q3
@example(first=[(10, "ATK", "DP1", 9)], caps=(40, 40, 40),
         steps=[("close",), ("edit", [(10, "ATK", "DP1", 13)]), ("close",),
                ("edit", [(10, "ATK", "DP1", 5), (100, "ATK", "DP1", 3)]), ("close",)])
def test_frozen_lines_plus_corrections_are_the_exact_total_rounded_once(first, steps, caps):
    books, ds = Books(), _dataset(first, caps)
    frozen_at_close: dict[int, list] = {}
    for step in steps:
        ledger = books.ledger()
        if step[0] == "close":
            quarter = st.next_to_close(ledger, 2021)
            if quarter is not None:
                books.close(ds, quarter)
        elif step[0] == "reopen":
            quarter = st.last_closed(ledger, 2021)
            if quarter is not None:
                books.reopen(quarter)
                frozen_at_close.pop(quarter, None)
        else:
            ds = _dataset(step[1], caps)
        ledger = books.ledger()
        for q in ledger.closed_quarters(2021):
            frozen_at_close.setdefault(q, ledger.frozen[ledger.frozen["quarter"] == q]
                                       [st.FIGURES].values.tolist())
        allocated = metrics.allocate_hours(ds, 2021)
        lines = st.statement(allocated, ledger, 2021)
        got = lines.groupby(["partner", "subproject"])[st.FIGURES].sum()
        exact = allocated.groupby(["partner", "subproject"]).agg(
            units=("units", "sum"), comp_units=("comp_units", "sum"),
            uncomp_units=("uncomp_units", "sum"), rate=("rate_exact", "first"))
        for key in got.index.union(exact.index):
            want = exact.loc[key] if key in exact.index else None
            have = got.loc[key] if key in got.index else pd.Series(0, index=st.FIGURES)
            total = 0 if want is None else cents_of(int(want["comp_units"]), want["rate"])
            assert int(have["amount"]) == total, key
            for col in ("units", "comp_units", "uncomp_units"):
                assert int(have[col]) == (0 if want is None else int(want[col])), (key, col)
        for q in ledger.closed_quarters(2021):     # a closed quarter never changes
            on_q = lines[(lines["quarter"] == q) & (lines["state"] != st.AFTER)]
            shown = on_q[st.FIGURES].values.tolist()
            assert shown == frozen_at_close[q]
        assert not lines[lines["state"].isin([st.PENDING])]["quarter"].isin(
            ledger.closed_quarters(2021)).any()


def test_a_changed_personeel_line_after_the_close_is_a_correction_without_hours(ds):
    """Q1 closed at € 45,50 per hour; then the Personeel line of ATK DP1 says € 50,00: Q1 ATK
    DP1 is now 7,5 × 50 = € 375,00, frozen € 341,25 → correctie Q1 +0 uur, € 33,75; Q2 ATK DP1
    becomes round(10 × 50) − 375,00 = € 125,00 (was € 113,75)."""
    books = Books()
    books.close(ds, 1, today=D(2021, 4, 6))
    tabs = base_tabs()
    assert tabs["Begroting"][1][:4] == [2021, "DP1", "ATK", "Personeel"]
    tabs["Begroting"][1][5] = "50"
    lines = st.statement(metrics.allocate_hours(dataset_of(tabs), 2021), books.ledger(), 2021)
    atk = lines[(lines["partner"] == "ATK") & (lines["subproject"] == "DP1")]
    assert atk[["quarter", "corrects", "units", "amount", "state"]].values.tolist() == [
        [1, None, 75000, 34125, st.FROZEN], [2, None, 60000, 12500, st.OPEN],
        [2, 1, 0, 3375, st.PENDING]]
