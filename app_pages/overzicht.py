"""Overzicht: the state of the year at a glance, per subproject and per partner."""
import streamlit as st

import app_state
import ui
from baz_data.formatting import fmt_hours, fmt_money, fmt_number, fmt_percent

year, peildatum = app_state.year(), app_state.peildatum()
ov = app_state.view("overview", year, peildatum)
t = ov.totals

ui.title("Overzicht", f"{ui.period_caption(year, peildatum)} · "
         f"{fmt_percent(ov.elapsed)} van het jaar verstreken")

ui.metrics_row([
    ("Acties", fmt_number(t.actions, 0), f"{t.done} afgerond, {t.running} lopend"),
    ("Te laat", fmt_number(t.overdue, 0), "Deadline voor de peildatum en niet afgerond of geannuleerd."),
    ("Uren", fmt_hours(t.hours), f"waarvan {fmt_hours(t.compensated_hours)} vergoed"),
    ("Vergoed", fmt_money(t.amount), f"van {fmt_money(t.budget)} personeelsbudget"),
])

st.subheader("Deelprojecten")
for column, sub in zip(st.columns(max(len(ov.subprojects), 1)), ov.subprojects.to_dict("records")):
    with column.container(border=True):
        ui.subproject_card(sub)
if ov.subprojects.empty:
    ui.empty(f"Voor {year} staan er nog geen deelprojecten in de sheets.")

st.subheader("Partners")
ui.table(ov.partners, ["Partner", "Naam", "Voortgang", "Acties", "Afgerond", "Lopend", "Te laat", "Uren",
                       "Vergoed", "Budget", "Budgetgebruik"], rows=10)
st.caption("Voortgang en acties van de acties waarvan de partner trekker is; uren en vergoeding "
           "van de uren die de partner schreef.")

if ov.has_hours:
    left, right = st.columns(2)
    with left:
        st.subheader("Uren per maand")
        ui.chart("hours_per_month", ov.monthly_hours, "Uren per maand per deelproject")
    with right:
        st.subheader("Tempo per partner")
        ui.chart("budget_use_chart", ov.partners, "Budgetgebruik per partner tegenover het verstreken "
                 "deel van het jaar", by="Partner",
                 title="Budgetgebruik tegenover het verstreken jaar")
else:
    st.subheader("Uren per maand")
    ui.empty(f"In {year} zijn nog geen uren geregistreerd. Zodra partners uren invullen in het "
             "tabblad Uren, verschijnen ze hier per maand.")

with st.expander("Budget per post"):
    ui.table(ov.budget)

# -- Voortgang over de tijd (from the history; issue 12) -----------------------------------------
import ui_history  # noqa: E402 — this section is self-contained

ui_history.progress_section("subproject", year, peildatum)
