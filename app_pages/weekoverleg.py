"""Weekoverleg (BAZIEL-team): the week that passed, made to be projected: big figures, short
tables. By default the seven days up to the peildatum; or one ISO week (baz_data.metrics)."""
import streamlit as st

import app_state
import ui
import ui_history
from baz_data.access import DATAKWALITEIT
from baz_data.formatting import fmt_date, fmt_hours, fmt_long_date, fmt_number
from baz_data.reports import week_options

year, peildatum = app_state.year(), app_state.peildatum()
periods = week_options(year, peildatum)  # the default first

head, choice = st.columns([5, 2], vertical_alignment="bottom")
period = choice.selectbox("Periode", list(periods), format_func=periods.get, key="week")
report = app_state.view("week_report", year, period, peildatum)
with head:
    ui.title(report.title, f"{fmt_long_date(report.start)} tot en met {fmt_long_date(report.end)} · "
             f"te laat op peildatum {fmt_date(peildatum)}")

# "Wat veranderde" (from the history; issue 12): computed once; its deletion alarms come first
changes = ui_history.week_changes(report.start, report.end)
ui_history.alarms(changes)

ui.metrics_row([
    ("Te laat", fmt_number(len(report.overdue), 0)),
    ("Deadline binnenkort", fmt_number(len(report.due), 0), report.due_help),
    ("Bijgewerkt", fmt_number(len(report.updated), 0)),
    ("Uren", fmt_hours(report.total_hours)),
    ("Nieuwe problemen", fmt_number(len(report.new_problems), 0)),
])

ui.early_warnings(app_state.view("evaluation.early_warnings", year, peildatum))

st.subheader("Te laat")
if report.overdue.empty:
    st.success("Geen enkele actie staat over haar deadline.", icon=":material/check_circle:")
else:
    ui.table(report.overdue, ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline",
                              "Dagen te laat", "Status", "Voortgang"], rows=12)

st.subheader("Deadline in de komende twee weken")
ui.table(report.due, ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline", "Status", "Voortgang"],
         rows=12, empty_text="Geen open deadlines in de komende twee weken.")

st.subheader(f"Bijgewerkt in {report.name}")
ui.table(report.updated, ["ID", "Actie", "Verantwoordelijke", "Status", "Voortgang", "Laatst bijgewerkt"],
         rows=12, empty_text=f"In {report.name} werd geen actie bijgewerkt.")

st.subheader(f"Uren in {report.name}")
if report.hours_by_person.empty:
    ui.empty(f"In {report.name} zijn geen uren geschreven.")
else:
    left, right = st.columns([1, 2])
    with left:
        ui.table(report.hours_by_partner, rows=25)
    with right:
        ui.table(report.hours_by_person, rows=25)

st.subheader("Nieuwe problemen")
if report.new_problems.empty:
    st.success(f"Geen nieuwe problemen in de rijen van {report.name}.", icon=":material/check_circle:")
else:
    ui.table(report.new_problems, ["Ernst", "Tabblad", "Rij", "Kolom", "Waarde", "Melding"], rows=8,
             wrap=True)
    st.page_link(ui.page_file(DATAKWALITEIT), label="Alle problemen bekijken", icon=":material/arrow_forward:")

ui_history.changes_section(changes)
