"""Uren per partner: hours, compensation and budget of one partner, with its statement."""
import streamlit as st

import app_state
import ui
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_hours, fmt_money

year = app_state.year()
choices = app_state.view("partner_choices")
own = app_state.role().locked_partner  # a partner user: locked to its own

if not choices:
    ui.title("Uren per partner")
    ui.empty("Het tabblad Partners is nog leeg: vul de partners in om hun uren te zien.")
    st.stop()

head, choice = st.columns([3, 1], vertical_alignment="bottom")
partner = choice.selectbox("Partner", list(choices), key="partner", format_func=choices.get,
                           disabled=own is not None)
report = app_state.view("partner_report", partner, year)
t = report.totals
with head:
    ui.title(f"Uren per partner — {md(partner)}", f"{md(report.name)} · jaar {year}")

if report.empty_message:
    ui.empty(md(report.empty_message))

ui.metrics_row([
    ("Uren", fmt_hours(t.hours)),
    ("Vergoed", fmt_money(t.amount), f"{fmt_hours(t.compensated_hours)} vergoed"),
    ("Boven budget", fmt_hours(t.uncompensated_hours),
     "Uren boven de begrote uren of zonder Personeel-lijn in de begroting: niet vergoed."),
    ("Resterend", fmt_money(t.remaining_amount),
     f"Budget min vergoed: {fmt_hours(t.remaining_hours)} van {fmt_hours(t.budget_hours)} "
     "begrote uren resterend."),
])

left, right = st.columns([3, 2])
with left:
    st.subheader("Per kwartaal")
    if report.has_hours:
        ui.chart("partner_quarter_hours", report.by_quarter, f"Uren per kwartaal van {partner}")
        ui.table(report.by_quarter)
    else:
        ui.empty(f"{md(partner)} heeft in {year} nog geen uren geregistreerd.")
with right:
    st.subheader("Per medewerker")
    ui.table(report.by_person, rows=12, empty_text="Nog geen uren per medewerker.")

st.subheader("Per deelproject")
ui.table(report.by_subproject.drop(columns="Naam"),
         empty_text=f"{md(partner)} heeft in {year} geen budget en geen uren in een deelproject.")

st.subheader("Afrekening")
quarter = st.segmented_control("Periode", [0, 1, 2, 3, 4], key="statement_quarter", default=0,
                               required=True,
                               format_func=lambda q: f"Q{q}" if q else "Heel het jaar") or None
if report.closed_note:
    st.caption(md(report.closed_note))
ui.table(report.statement_for(quarter), rows=12,
         empty_text="Geen uren in deze periode: er is niets af te rekenen.")
period = f"{year}" + (f"-Q{quarter}" if quarter else "")
ui.downloads([
    ("Excel", app_state.export("partner_statement_xlsx", "partner_report", (partner, year), quarter),
     f"afrekening-{partner}-{period}.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("CSV", app_state.export("partner_statement_csv", "partner_report", (partner, year), quarter),
     f"afrekening-{partner}-{period}.csv", "text/csv"),
], key=f"statement-{partner}-{period}")
