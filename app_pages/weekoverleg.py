"""Weekoverleg (BAZIEL-team): one ISO week, made to be projected: big figures, short tables."""
import streamlit as st

import app_state
import ui
from baz_data.access import DATAKWALITEIT
from baz_data.formatting import fmt_date, fmt_hours, fmt_long_date, fmt_number
from baz_data.metrics import default_week
from baz_data.reports import week_options

year, peildatum = app_state.year(), app_state.peildatum()
weeks = week_options(year)

head, choice = st.columns([3, 1], vertical_alignment="bottom")
week = choice.selectbox("Week", list(weeks), index=default_week(year, peildatum) - 1,
                        format_func=weeks.get, key="week")
report = app_state.view("week_report", year, week, peildatum)
with head:
    ui.title(f"Weekoverleg — week {week}",
             f"{fmt_long_date(report.start)} tot {fmt_long_date(report.end)} · "
             f"te laat op peildatum {fmt_date(peildatum)}")

ui.metrics_row([
    ("Te laat", fmt_number(len(report.overdue), 0)),
    ("Deadline binnenkort", fmt_number(len(report.due), 0), "Open acties met een deadline in de "
     "komende twee weken, vanaf maandag."),
    ("Bijgewerkt deze week", fmt_number(len(report.updated), 0)),
    ("Uren deze week", fmt_hours(report.total_hours)),
    ("Nieuwe problemen", fmt_number(len(report.new_problems), 0)),
])

st.subheader("Te laat")
if report.overdue.empty:
    st.success("Geen enkele actie staat over haar deadline.", icon=":material/check_circle:")
else:
    ui.table(report.overdue, ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline",
                              "Dagen te laat", "Voortgang"], rows=12)

st.subheader("Deadline in de komende twee weken")
ui.table(report.due, ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline", "Status", "Voortgang"],
         rows=12, empty_text="Geen deadlines in de komende twee weken.")

st.subheader("Bijgewerkt deze week")
ui.table(report.updated, ["ID", "Actie", "Verantwoordelijke", "Status", "Voortgang", "Laatst bijgewerkt"],
         rows=12, empty_text="Deze week werd geen actie bijgewerkt.")

st.subheader("Uren deze week")
if report.hours_by_person.empty:
    ui.empty("Deze week zijn nog geen uren geschreven.")
else:
    left, right = st.columns(2)
    with left:
        ui.table(report.hours_by_partner, rows=8)
    with right:
        ui.table(report.hours_by_person, rows=8)

st.subheader("Nieuwe problemen")
if report.new_problems.empty:
    st.success("Geen nieuwe problemen in de rijen van deze week.", icon=":material/check_circle:")
else:
    ui.table(report.new_problems, ["Ernst", "Tabblad", "Rij", "Kolom", "Waarde", "Melding"], rows=8)
    st.page_link(ui.page_file(DATAKWALITEIT), label="Alle problemen bekijken", icon=":material/arrow_forward:")

# -- Wat veranderde (from the history; issue 12) -------------------------------------------------
import ui_history  # noqa: E402 — this section is self-contained

ui_history.changes_section(report.start, report.end)
