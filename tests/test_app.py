"""The app in Streamlit's AppTest: every page renders without an exception and shows the figures
baz_data computes for the same filters; filters change what is shown; Vernieuwen reloads.

Every test runs in an empty working directory with an empty HOME, so no secrets.toml is found
and nothing reaches Google: without BAZ_WORKBOOK the app reads the bundled demo workbook.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from baz_data import metrics
from baz_data.formatting import fmt_percent
from baz_data.model import load_dataset
from baz_data.sources import DEMO_WORKBOOK, WorkbookSource
from ui import problems_label

from tests.app_support import APP, ROOT, demo, isolated, page, start  # noqa: F401  (fixtures)


def metric(at: AppTest, label: str, index: int = 0) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) > index, f"geen metric '{label}' (wel: {[m.label for m in at.metric]})"
    return values[index]


def set_year(at: AppTest, year: int) -> AppTest:
    at.sidebar.selectbox(key="baz_year").set_value(year).run()
    assert not at.exception, at.exception
    return at


def set_peildatum(at: AppTest, day: dt.date) -> AppTest:
    at.sidebar.date_input(key="baz_peildatum").set_value(day).run()
    assert not at.exception, at.exception
    return at


# -- the shell ------------------------------------------------------------------------------------
def test_no_legacy_pages_folder():
    """A pages/ folder next to app.py switches Streamlit to legacy mode, which runs a page without
    app.py on a deep link (see app.py)."""
    assert not (ROOT / "pages").exists()


def test_sidebar_shows_demo_source_filters_and_problem_count(demo):
    at = start()
    sidebar_text = " ".join(m.value for m in at.sidebar.markdown)
    assert "Demodata" in sidebar_text
    assert any(c.value.startswith("gegevens van ") for c in at.sidebar.caption)
    assert at.sidebar.selectbox(key="baz_year").options == [str(y) for y in sorted(demo.years, reverse=True)]
    year = at.session_state["baz_year"]
    assert at.session_state["baz_peildatum"] == metrics.default_peildatum(year)
    links = [link.label for link in at.sidebar.get("page_link")]
    assert problems_label(demo.error_count, demo.warning_count) in links


def test_changing_the_year_resets_the_peildatum(tmp_path, monkeypatch):
    ten = tmp_path / "tien.xlsx"
    from baz_data.demo import generate

    generate(ten, years=2)
    monkeypatch.setenv("BAZ_WORKBOOK", str(ten))
    at = start()
    years = load_dataset(WorkbookSource(ten)).years
    other = min(years)
    set_year(at, other)
    assert at.session_state["baz_peildatum"] == metrics.default_peildatum(other)


@pytest.fixture
def own_book(tmp_path, monkeypatch):
    """A copy of the demo workbook as the app's source (BAZ_WORKBOOK), to change or remove."""
    book = tmp_path / "werkboek.xlsx"
    shutil.copy(DEMO_WORKBOOK, book)
    monkeypatch.setenv("BAZ_WORKBOOK", str(book))
    return book


def test_vernieuwen_reads_the_source_again(own_book):
    at = start()
    before = at.session_state["_baz_held"].ds.info.fetched_at
    at.run()
    assert at.session_state["_baz_held"].ds.info.fetched_at == before  # a rerun uses the cache
    at.sidebar.button(key="baz_refresh").click().run()
    assert not at.exception, at.exception
    assert at.session_state["_baz_held"].ds.info.fetched_at > before


def test_unreachable_source_keeps_the_last_good_data_with_a_notice(own_book):
    at = start()
    fetched = at.session_state["_baz_held"].ds.info.fetched_at
    own_book.unlink()
    at.sidebar.button(key="baz_refresh").click().run()
    assert not at.exception, at.exception
    assert at.session_state["_baz_held"].ds.info.fetched_at == fetched
    notice = at.warning[0].value
    assert "niet gevonden" in notice and f"je ziet de gegevens van {fetched:%H:%M}" in notice
    assert at.title[0].value == "Overzicht"  # the page still shows the old data


def test_a_missing_source_without_earlier_data_says_so_in_dutch(tmp_path, monkeypatch):
    monkeypatch.setenv("BAZ_WORKBOOK", str(tmp_path / "bestaat-niet.xlsx"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "De gegevens konden niet geladen worden" in at.error[0].value
    assert "niet gevonden" in at.error[0].value
    assert "python -m baz_data doctor" in at.caption[0].value


# -- odd answers from Google: the last good data stays, with its age ------------------------------
@pytest.fixture
def on_sheets(sheets_server):
    """The demo workbook served as a Google Sheet by the test server, opened without login."""
    import json
    from pathlib import Path

    key = sheets_server.add_spreadsheet(WorkbookSource(DEMO_WORKBOOK).read().tabs, title="BAZ")
    info = {**sheets_server.service_account_info, "spreadsheet": key,
            "sheets_api_url": sheets_server.url}
    Path(".streamlit").mkdir()
    Path(".streamlit/secrets.toml").write_text(
        "allow_open_access = true\n[connections.gsheets]\n"
        + "".join(f"{k} = {json.dumps(v)}\n" for k, v in info.items()), encoding="utf-8")
    return sheets_server


@pytest.mark.parametrize("status, answer, times, said", [
    (200, "malformed-json", 1, "onvolledige of onleesbare gegevens"),
    (502, "html", None, "storing (HTTP 502)"),                 # retried, then given up
    (200, "missing-ranges", 1, "onvolledig antwoord van Google"),
    (200, "wrong-range", 1, "onvolledig antwoord van Google"),
], ids=["malformed-json", "html-502", "missing-ranges", "wrong-range"])
def test_an_odd_answer_from_google_keeps_the_last_good_data(on_sheets, status, answer, times,
                                                            said):
    at = start()
    fetched = at.session_state["_baz_held"].ds.info.fetched_at
    hours = metric(at, "Uren")
    on_sheets.fail(status, times=times, kinds=["batchGet"], answer=answer)
    at.sidebar.button(key="baz_refresh").click().run()
    assert not at.exception, at.exception
    assert on_sheets.counts["batchGet"] >= 2                   # it did ask Google again
    assert at.session_state["_baz_held"].ds.info.fetched_at == fetched
    notice = " ".join(w.value for w in at.warning).replace("\\", "")  # shown escaped
    assert said in notice and f"je ziet de gegevens van {fetched:%H:%M}" in notice
    assert "<" not in notice and "Tabblad" not in notice
    assert at.title[0].value == "Overzicht" and metric(at, "Uren") == hours


def test_a_new_viewer_during_an_outage_gets_the_last_good_data(on_sheets):
    """The last good data is kept for the whole server, not only in the sessions that had it."""
    first = start()
    fetched = first.session_state["_baz_held"].ds.info.fetched_at
    on_sheets.fail(503, times=None, kinds=["batchGet"])
    first.sidebar.button(key="baz_refresh").click().run()    # the shared cache is cleared
    late = AppTest.from_file(APP, default_timeout=60).run()  # a viewer who arrives now
    assert not late.exception, late.exception
    assert late.session_state["_baz_held"].ds.info.fetched_at == fetched
    notice = " ".join(w.value for w in late.warning).replace("\\", "")  # shown escaped
    assert "storing (HTTP 503)" in notice and f"je ziet de gegevens van {fetched:%H:%M}" in notice
    assert late.title[0].value == "Overzicht"


def test_viewers_share_one_dataset_per_data_version():
    """Memory: a second viewer holds a reference to the same Dataset, never a copy."""
    one, two = start("uren_per_partner"), start("doelstellingen")
    assert one.session_state["_baz_held"].ds is two.session_state["_baz_held"].ds


def test_an_odd_first_answer_is_a_dutch_error_not_a_traceback(on_sheets):
    on_sheets.fail(200, kinds=["get"], answer="malformed-json")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert "De gegevens konden niet geladen worden" in at.error[0].value
    assert "onleesbare gegevens" in at.error[0].value


# -- words ----------------------------------------------------------------------------------------
def test_problem_count_and_time_labels_are_dutch():
    from ui import time_label

    assert problems_label(3, 5) == "3 fouten, 5 waarschuwingen"
    assert problems_label(1, 1) == "1 fout, 1 waarschuwing"
    assert problems_label(0, 0) == "0 fouten, 0 waarschuwingen"
    moment = dt.datetime(2026, 11, 27, 14, 2)
    assert time_label(moment, today=dt.date(2026, 11, 27)) == "14:02"
    assert time_label(moment, today=dt.date(2026, 11, 28)) == "27/11/2026 14:02"


# -- a small workbook with known gaps: a partner without budget, a year without hours ------------
@pytest.fixture
def small_book(tmp_path, monkeypatch):
    from baz_data.demo import write_workbook
    from tests.conftest import base_tabs

    tabs = base_tabs()
    tabs["Partners"].append(["EKC", "Eigen Kracht Conferenties vzw", None])
    tabs["Deelprojecten"].append([2022, "DP1", "BAZ voor iedereen", "ATK", "Els"])
    path = tmp_path / "klein.xlsx"
    write_workbook(tabs, path)
    monkeypatch.setenv("BAZ_WORKBOOK", str(path))
    return load_dataset(WorkbookSource(path))


def shown(at: AppTest, index: int = 0):
    """A table as the viewer reads it: the Styler's display values (the values themselves stay
    numeric, see ``values``)."""
    from streamlit import dataframe_util

    display = at.dataframe[index].proto.arrow_data.styler.display_values
    return dataframe_util.convert_arrow_bytes_to_pandas_df(display)


def values(at: AppTest, index: int = 0):
    """A table's values as sent to the grid (what sorting uses)."""
    return at.dataframe[index].value


def expected(frame, columns=None):
    from baz_data.reports import formatted

    return formatted(frame[columns] if columns else frame)


def assert_table(at: AppTest, index: int, frame, columns=None) -> None:
    got, want = shown(at, index), expected(frame, columns)
    assert list(got.columns) == list(want.columns)
    assert got.astype(str).values.tolist() == want.astype(str).values.tolist()


# -- Overzicht ------------------------------------------------------------------------------------
def test_overzicht_shows_the_figures_of_baz_data(demo):
    from baz_data import reports
    from baz_data.formatting import fmt_hours, fmt_money, fmt_number

    at = start()
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    ov = reports.overview(demo, year, peildatum)
    assert at.title[0].value == "Overzicht"
    assert metric(at, "Acties") == fmt_number(ov.totals.actions, 0)
    assert metric(at, "Te laat") == fmt_number(ov.totals.overdue, 0)
    assert metric(at, "Uren") == fmt_hours(ov.totals.hours)
    assert metric(at, "Vergoed") == fmt_money(ov.totals.amount)
    progress = metrics.subproject_progress(demo, year, peildatum).set_index("code")["progress"]
    for i, code in enumerate(["DP1", "DP2", "DP3"]):
        assert metric(at, "Voortgang", i) == fmt_percent(progress[code])
    assert_table(at, 0, ov.partners, reports.PARTNER_PROGRESS_COLUMNS)
    assert_table(at, 1, ov.partners, reports.PARTNER_MONEY_COLUMNS)
    # hours per month and budget use per partner; the history holds only this load, so
    # progress over time is a sentence, not a one-point chart (progress_history.short_history)
    assert len(at.get("vega_lite_chart")) == 2
    headings = [h.value for h in at.subheader]
    assert "Budgetgebruik per partner" in headings and "Partners" in headings
    # no scope note (everything is the whole project's), only the short history's sentence
    assert [i.value[:30] for i in at.info] == ["De geschiedenis telt nog maar "]


def test_tables_keep_numbers_for_sorting_and_show_them_the_belgian_way(demo):
    from baz_data import reports

    at = start()
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    partners = reports.overview(demo, year, peildatum).partners
    raw, text = values(at, 1), shown(at, 1)  # the partners' hours and money
    assert raw["Uren"].dtype.kind == "f" and raw["Vergoed"].dtype.kind == "i"
    assert raw["Uren"].tolist() == partners["Uren"].tolist()
    assert text["Vergoed"].tolist() == [reports.format_value("Vergoed", v)
                                        for v in partners["Vergoed"]]
    assert all(v.startswith("€ ") for v in text["Vergoed"])


def test_overzicht_follows_the_peildatum(demo):
    at = start()
    year = at.session_state["baz_year"]
    early = dt.date(year, 3, 31)
    set_peildatum(at, early)
    overdue = metrics.subproject_progress(demo, year, early)["overdue"].sum()
    assert metric(at, "Te laat") == str(overdue)
    assert f"peildatum {early:%d/%m/%Y}" in at.main.caption[0].value


def test_overzicht_of_a_year_without_hours_explains_itself(small_book):
    at = start()
    set_year(at, 2022)
    assert metric(at, "Uren") == "0 uur"
    assert any("In 2022 zijn nog geen uren geregistreerd" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")
    set_year(at, 2021)
    assert metric(at, "Uren") == "21,5 uur"  # conftest: 4 + 4 + 3,5 + 2 + 0,5 + 0,5 + 6 + 1


# -- Weekoverleg ----------------------------------------------------------------------------------
OVERDUE_COLUMNS = ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline", "Dagen te laat",
                   "Status", "Voortgang"]
DUE_COLUMNS = ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline", "Status", "Voortgang"]


def test_weekoverleg_opens_on_the_seven_days_up_to_the_peildatum(demo):
    from baz_data import reports
    from baz_data.formatting import fmt_hours

    at = start("weekoverleg")
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    box = at.selectbox(key="week")
    assert box.value == metrics.LAST_SEVEN_DAYS
    report = reports.week_report(demo, year, metrics.LAST_SEVEN_DAYS, peildatum)
    assert (report.start, report.end) == (peildatum - dt.timedelta(days=6), peildatum)
    assert box.options[0] == f"Afgelopen week ({report.start:%d/%m} – {peildatum:%d/%m})"
    assert at.title[0].value == "Weekoverleg — afgelopen week"
    assert metric(at, "Uren") == fmt_hours(report.total_hours)
    assert metric(at, "Bijgewerkt") == str(len(report.updated))
    # the hours of the seven days, not of the calendar week the peildatum is in
    this_week = reports.week_report(demo, year, peildatum.isocalendar().week, peildatum)
    assert (report.total_hours, report.start) != (this_week.total_hours, this_week.start)


def test_weekoverleg_lists_weeks_newest_first_with_their_dates(demo):
    from baz_data import reports
    from baz_data.formatting import fmt_hours

    at = start("weekoverleg")
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    box = at.selectbox(key="week")
    week = peildatum.isocalendar().week
    weeks = box.options[1:]
    assert len(weeks) == week and weeks[0].startswith(f"Week {week} (")
    numbers = [int(label.split()[1]) for label in weeks]
    assert numbers == sorted(numbers, reverse=True)
    monday, sunday = metrics.week_bounds(year, week - 1)
    assert weeks[1] == f"Week {week - 1} ({monday:%d/%m} – {sunday:%d/%m})"

    other = week - 10
    box.set_value(other).run()
    assert not at.exception
    earlier = reports.week_report(demo, year, other, peildatum)
    assert at.title[0].value == f"Weekoverleg — week {other}"
    assert metric(at, "Uren") == fmt_hours(earlier.total_hours)
    assert_table(at, 0, earlier.overdue, OVERDUE_COLUMNS)


@pytest.fixture
def deadlines_passed_this_week(demo):
    """A peildatum of the demo year with open deadlines both earlier in its ISO week (te laat;
    the old 'two weeks from Monday' listed them as due too) and in the two weeks ahead."""
    year = metrics.default_year(demo.years)
    actions = metrics.year_actions(demo, year)
    open_ = actions[~actions["status"].isin(metrics.CLOSED) & actions["deadline"].notna()]
    deadlines = set(open_["deadline"].dt.date)
    for deadline in sorted(deadlines):
        peildatum = deadline + dt.timedelta(days=1)
        monday = peildatum - dt.timedelta(days=peildatum.weekday())
        ahead = {d for d in deadlines if peildatum <= d <= monday + dt.timedelta(days=13)}
        if peildatum.year == year and monday < peildatum and ahead:
            return year, peildatum
    pytest.fail("het demowerkboek heeft geen week met een voorbije en een komende deadline")


def test_weekoverleg_te_laat_has_a_status_and_due_never_lists_te_laat(demo,
                                                                      deadlines_passed_this_week):
    from baz_data import reports

    year, peildatum = deadlines_passed_this_week
    at = start("weekoverleg")
    set_peildatum(at, peildatum)
    week = peildatum.isocalendar().week
    at.selectbox(key="week").set_value(week).run()
    assert not at.exception
    report = reports.week_report(demo, year, week, peildatum)
    assert_table(at, 0, report.overdue, OVERDUE_COLUMNS)
    assert set(shown(at, 0)["Status"]) <= {"Lopend", "Gepland", "Uitgesteld"}
    assert_table(at, 1, report.due, DUE_COLUMNS)
    assert len(report.due) > 0
    due, late = shown(at, 1), shown(at, 0)
    assert not set(due["ID"]) & set(late["ID"])
    assert all(dt.datetime.strptime(d, "%d/%m/%Y").date() >= peildatum for d in due["Deadline"])
    # the deadline of the day before is te laat, and (from Monday on) it used to be due as well
    monday = metrics.week_bounds(year, week)[0]
    old_due = metrics.due_between(demo, monday, monday + dt.timedelta(days=13))
    assert set(old_due["id"]) & set(late["ID"])
    assert metric(at, "Deadline binnenkort") == str(len(report.due))


# -- Kwartaaloverzicht ----------------------------------------------------------------------------
def test_kwartaaloverzicht_per_quarter_with_downloads(demo):
    from baz_data import reports

    at = start("kwartaaloverzicht")
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    quarter = (peildatum.month - 1) // 3 + 1
    report = reports.quarter_report(demo, year, quarter, peildatum)
    assert at.title[0].value == f"Kwartaaloverzicht Q{quarter} {year}"
    assert_table(at, 0, report.subprojects)
    assert_table(at, 1, report.hours.drop(columns=["Naam", "Verstreken"]))
    assert [b.label for b in at.get("download_button")] == ["Download PDF", "Download Excel"]

    other = 1 if quarter != 1 else 2
    at.button_group(key="quarter").set_value(other).run()
    assert not at.exception
    first = reports.quarter_report(demo, year, other, peildatum)
    assert at.title[0].value == f"Kwartaaloverzicht Q{other} {year}"
    assert_table(at, 1, first.hours.drop(columns=["Naam", "Verstreken"]))
    before = expected(report.hours.drop(columns=["Naam", "Verstreken"]))
    assert shown(at, 1).values.tolist() != before.values.tolist()


def test_kwartaaloverzicht_of_a_past_quarter_is_counted_at_its_last_day(demo, monkeypatch):
    """Peildatum 15/11, Q2 picked: every figure is as of 30/06 (day 181 of 365: 50% of the year,
    all of Q2), on screen and in the PDF; the heading says so. On 30/06 one demo action is late
    (A2026-27, deadline 26/03: 96 days); on 15/11 nine would be. Q4 (running) keeps 15/11."""
    from io import BytesIO

    from pypdf import PdfReader

    from baz_data import reports
    from tests.app_support import record_downloads

    downloads = record_downloads(monkeypatch)
    at = start("kwartaaloverzicht")
    year = at.session_state["baz_year"]
    set_peildatum(at, dt.date(year, 11, 15))
    at.button_group(key="quarter").set_value(2).run()
    assert not at.exception, at.exception
    end = dt.date(year, 6, 30)
    assert at.title[0].value == f"Kwartaaloverzicht Q2 {year}"
    heading = at.caption[0].value
    assert heading == (f"01/04/{year} – 30/06/{year} · peildatum 30/06/{year}, de laatste dag "
                       "van het kwartaal")
    late_then = metrics.overdue_actions(demo, year, end)
    assert len(late_then) < len(metrics.overdue_actions(demo, year, dt.date(year, 11, 15)))
    assert metric(at, "Te laat") == str(len(late_then))
    assert metric(at, "Verstreken") == fmt_percent(181 / 365 * 100) == "50%"
    report = reports.quarter_report(demo, year, 2, dt.date(year, 11, 15))
    assert report.peildatum == end
    late = next(i for i in range(len(at.dataframe)) if "Dagen te laat" in shown(at, i).columns)
    assert_table(at, late, report.late, ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline",
                                         "Dagen te laat", "Status", "Deelproject"])
    days = dict(zip(report.late["ID"], report.late["Dagen te laat"]))
    assert days == {i: (end - d.date()).days
                    for i, d in zip(late_then["id"], late_then["deadline"])}
    assert year == 2026 and days == {"A2026-27": 96}   # the demo workbook's year, by hand
    pdf = next(data for name, data in downloads if name == f"kwartaaloverzicht-{year}-Q2.pdf")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf())).pages)
    assert f"peildatum 30/06/{year}, de laatste dag van het kwartaal" in text
    assert f"van {report.figures.actions} acties op 30/06/{year}" in text

    at.button_group(key="quarter").set_value(4).run()
    assert at.caption[0].value == f"01/10/{year} – 31/12/{year} · peildatum 15/11/{year}"
    assert metric(at, "Te laat") == "9"


# -- Uren per partner -----------------------------------------------------------------------------
def test_uren_per_partner_follows_the_partner_and_quarter(demo):
    from baz_data import reports
    from baz_data.formatting import fmt_hours, fmt_money

    at = start("uren_per_partner")
    year = at.session_state["baz_year"]
    hours = metrics.partner_hours(demo, year).set_index("code")
    for code in ("ATK", "DOMO"):
        at.selectbox(key="partner").set_value(code).run()
        assert not at.exception
        assert at.title[0].value == f"Uren per partner — {code}"
        assert metric(at, "Uren") == fmt_hours(hours.loc[code, "hours"])
        assert metric(at, "Vergoed") == fmt_money(hours.loc[code, "amount"])
    at.button_group(key="statement_quarter").set_value(2).run()
    assert not at.exception
    report = reports.partner_report(demo, "DOMO", year)
    statement = shown(at, len(at.dataframe) - 1)
    assert set(statement["Kwartaal"]) == {"Q2"}
    assert statement.values.tolist() == expected(report.statement_for(2)).values.tolist()
    assert [b.label for b in at.get("download_button")] == ["Download Excel", "Download CSV"]


def test_a_partner_without_budget_gets_a_sentence(small_book):
    at = start("uren_per_partner")
    at.selectbox(key="partner").set_value("EKC").run()
    assert not at.exception
    messages = " ".join(i.value for i in at.info)
    assert "geen budget en nog geen uren" in messages
    assert not at.get("vega_lite_chart")


# -- Doelstellingen -------------------------------------------------------------------------------
def test_doelstellingen_drill_down(demo):
    at = start("doelstellingen")
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    subs = metrics.subproject_progress(demo, year, peildatum)
    assert [t.label for t in at.tabs] == [f"{r.code} · {r.name}" for r in subs.itertuples()]
    goals = metrics.goal_progress(demo, year, peildatum)
    labels = [e.label for e in at.expander]
    assert len(labels) == len(goals)
    for label, goal in zip(labels, goals.itertuples()):
        assert label.startswith(f"**{goal.code}** · ") and label.endswith(fmt_percent(goal.progress))
    assert not at.dataframe  # closed goals draw nothing

    from baz_data.reports import goals_tree

    first = goals_tree(demo, year, peildatum).subprojects[0].goals[0]
    at.session_state[f"goal-DP1-{first.code}"] = True  # what a click on the goal does
    at.run()
    assert not at.exception
    assert_table(at, 0, first.actions, ["ID", "Actie", "Trekker", "Verantwoordelijke", "Deadline",
                                        "Status", "Voortgang", "Te laat"])
    assert_table(at, 1, first.indicators)
    # the indicators' chart; progress over time waits for a second week of history
    assert len(at.get("vega_lite_chart")) == 1
    assert any(i.value.startswith("De geschiedenis telt nog maar één week") for i in at.info)


# -- Datakwaliteit --------------------------------------------------------------------------------
def test_datakwaliteit_filters_by_tab_and_severity(demo):
    from baz_data import reports

    at = start("datakwaliteit")
    assert metric(at, "Fouten") == str(demo.error_count)
    assert metric(at, "Waarschuwingen") == str(demo.warning_count)
    assert len(shown(at)) == len(demo.problems)
    at.selectbox(key="dq_tab").set_value("Uren").run()
    table = shown(at)
    assert set(table["Tabblad"]) == {"Uren"} and len(table) == len(reports.problem_table(demo, "Uren"))
    at.button_group(key="dq_severity").set_value("warning").run()
    table = shown(at)
    assert set(table["Ernst"]) == {"waarschuwing"}
    assert len(table) == len(reports.problem_table(demo, "Uren", "warning"))


PAGES = ["overzicht", "weekoverleg", "kwartaaloverzicht", "uren_per_partner", "doelstellingen",
         "datakwaliteit", "begrotingsevaluatie"]


@pytest.mark.parametrize("year", [2021, 2022])
def test_every_page_renders_a_small_and_an_empty_year(small_book, year):
    """2022 has a subproject but no goals, actions, hours or budget: sentences, no exceptions."""
    at = start()
    set_year(at, year)
    for name in PAGES:
        at.switch_page(page(name)).run()
        assert not at.exception, (name, at.exception)
        assert at.title, name
    if year == 2022:
        at.switch_page(page("doelstellingen")).run()
        assert any("nog geen doelstellingen" in i.value for i in at.info)


def test_datakwaliteit_links_to_the_cell_with_a_google_source(demo):
    """With Google Sheets as the source each problem links straight to its cell."""
    import dataclasses
    import time

    from app_state import Held
    from baz_data.sources import SourceInfo

    url = "https://docs.google.com/spreadsheets/d/abc123/edit"
    info = SourceInfo("gsheets", "BAZ jaarplan", dt.datetime.now(), url,
                      {tab: 100 + i for i, tab in enumerate(sorted(set(demo.problems["tab"])))})
    held = Held(dataclasses.replace(demo, info=info), ("test",), time.monotonic())
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_baz_held"] = held
    at.run()
    at.switch_page(page("datakwaliteit")).run()
    assert not at.exception
    table = shown(at)
    first = demo.problems.iloc[0]
    assert table["Link"].iloc[0] == f"https://docs.google.com/spreadsheets/d/abc123/edit#gid=" \
                                    f"{info.gids[first['tab']]}&range={first['cell']}"
    assert "**BAZ jaarplan**" in [m.value for m in at.sidebar.markdown]


def test_a_real_sheet_with_hostile_cells_renders_every_page(tmp_path, monkeypatch):
    """NaN, inf, 1e308, a year 0, a partner without a name, typed percent and time cells (the
    issue 'Real sheets'): every page renders for every viewer, and the problems are counted."""
    from baz_data.cells import Percent
    from tests.typed_workbooks import hostile_real_sheet, write_xlsx

    tabs = hostile_real_sheet()
    tabs["Acties"][1][8] = Percent(1.0)
    tabs["Uren"][1][5] = dt.time(4, 0)
    path = write_xlsx(tabs, tmp_path / "echt.xlsx")
    monkeypatch.setenv("BAZ_WORKBOOK", str(path))
    ds = load_dataset(WorkbookSource(path))
    at = start()
    for name in PAGES:
        at.switch_page(page(name)).run()
        assert not at.exception, (name, at.exception)
    assert ds.error_count == 8
    links = [link.label for link in at.sidebar.get("page_link")]
    assert problems_label(ds.error_count, ds.warning_count) in links


# -- Begrotingsevaluatie and the early warnings (issue 14) ----------------------------------------
def test_begrotingsevaluatie_shows_the_forecast_of_baz_data(demo):
    from baz_data import evaluation
    from baz_data.formatting import fmt_money

    at = start("begrotingsevaluatie")
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    ev = evaluation.budget_evaluation(demo, year, peildatum)
    assert at.title[0].value == "Begrotingsevaluatie"
    assert metric(at, "Budget") == fmt_money(ev.totals["budget"])
    assert any(fmt_money(ev.totals["spent"]) in c.value for c in at.main.caption)
    assert metric(at, "Prognose 31/12") == fmt_money(ev.totals["forecast"])
    assert metric(at, "Verschil") == fmt_money(ev.totals["budget"] - ev.totals["forecast"])
    assert_table(at, 0, ev.posts)
    assert_table(at, 1, ev.lines, evaluation.LINE_HOURS_COLUMNS)
    assert_table(at, 2, ev.lines, evaluation.LINE_MONEY_COLUMNS)
    assert_table(at, 3, ev.above)
    assert [s.value for s in at.subheader][-1] == f"Ontwerpbegroting {year + 1}"
    assert len(at.get("vega_lite_chart")) == 1
    assert not at.error                                   # the draft as proposed is valid
    assert not [b for b in at.button if b.key == "draft_write"]  # a workbook: nothing to write to


def test_begrotingsevaluatie_follows_the_chart_choice_and_peildatum(demo):
    from baz_data import evaluation

    at = start("begrotingsevaluatie")
    year = at.session_state["baz_year"]
    at.selectbox(key="evaluation_subproject").set_value("DP2").run()
    at.selectbox(key="evaluation_partner").set_value("DOMO").run()
    assert not at.exception
    early = dt.date(year, 6, 30)
    set_peildatum(at, early)
    ev = evaluation.budget_evaluation(demo, year, early)
    assert_table(at, 1, ev.lines, evaluation.LINE_HOURS_COLUMNS)
    assert_table(at, 2, ev.lines, evaluation.LINE_MONEY_COLUMNS)
    assert f"peildatum {early:%d/%m/%Y}" in at.main.caption[0].value


@pytest.mark.parametrize("name", ["overzicht", "weekoverleg"])
def test_early_warnings_on_overzicht_and_weekoverleg(demo, name):
    from baz_data import evaluation
    from baz_data.escaping import markdown as md

    at = start(name)
    year, peildatum = at.session_state["baz_year"], at.session_state["baz_peildatum"]
    w = evaluation.early_warnings(demo, year, peildatum)
    assert w.any and "Vroege signalen" in [s.value for s in at.subheader]
    shown = " ".join(m.value for m in at.markdown)
    for sentence in w.runs_out_text + w.unused_text:
        assert md(sentence) in shown
