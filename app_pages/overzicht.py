"""Overzicht: the state of the year at a glance, per subproject and per partner.

A partner viewer sees project-wide progress next to its own hours and money; the view-model's
labels (``whole``/``mine``) say which is which."""
import streamlit as st

import app_state
import ui
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_hours, fmt_money, fmt_number, fmt_percent
from baz_data.reports import PARTNER_MONEY_COLUMNS, PARTNER_PROGRESS_COLUMNS

year, peildatum = app_state.year(), app_state.peildatum()
ov = app_state.view("overview", year, peildatum, app_state.role().locked_partner)
t = ov.totals

ui.title("Overzicht", f"{ui.period_caption(year, peildatum)} · "
         f"{fmt_percent(ov.elapsed)} van het jaar verstreken")
if ov.scope_note:
    st.info(md(ov.scope_note), icon=":material/domain:")  # it names the partner code

ui.metrics_row([
    (ov.whole("Acties"), fmt_number(t.actions, 0), f"{t.done} afgerond, {t.running} lopend"),
    (ov.whole("Te laat"), fmt_number(t.overdue, 0),
     "Deadline vóór de peildatum en niet afgerond of geannuleerd."),
    (ov.mine("Uren"), fmt_hours(t.hours), f"waarvan {fmt_hours(t.compensated_hours)} vergoed"),
    (ov.mine("Vergoed"), fmt_money(t.amount), f"van {fmt_money(t.budget)} personeelsbudget"),
])

ui.early_warnings(app_state.view("evaluation.early_warnings", year, peildatum))

st.subheader("Deelprojecten")
for column, sub in zip(st.columns(max(len(ov.subprojects), 1)), ov.subprojects.to_dict("records")):
    with column.container(border=True):
        ui.subproject_card(sub, ov.mine)
if ov.subprojects.empty:
    ui.empty(f"Voor {year} staan er nog geen deelprojecten in de sheets.")

st.subheader(ov.partners_heading)
ui.table(ov.partners, PARTNER_PROGRESS_COLUMNS, rows=10)
st.caption(ov.progress_note)
ui.table(ov.partners, PARTNER_MONEY_COLUMNS, rows=10)
st.caption(ov.money_note)

if ov.has_hours:
    left, right = st.columns(2)
    with left:
        st.subheader(ov.mine("Uren per maand"))
        ui.chart("hours_per_month", ov.monthly_hours, "Uren per maand per deelproject")
    with right:
        st.subheader(ov.mine("Budgetgebruik per partner"))
        ui.chart("budget_use_chart", ov.partners, "Budgetgebruik per partner tegenover het verstreken "
                 "deel van het jaar", by="Partner")
else:
    st.subheader("Uren per maand")
    ui.empty(f"In {year} zijn nog geen uren geregistreerd. Zodra partners uren invullen in het "
             "tabblad Uren, verschijnen ze hier per maand.")

with st.expander(ov.mine("Budget per post")):
    ui.table(ov.budget)

# -- Voortgang over de tijd (from the history; issue 12) -----------------------------------------
import ui_history  # noqa: E402 — this section is self-contained

ui_history.progress_section("subproject", year, peildatum)
