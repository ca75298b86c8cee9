"""Kwartaaloverzicht (stuurgroep): one quarter, on screen and as PDF and Excel.

Everything comes from baz_data.reports.quarter (via app_state.view): which date the figures are
counted at (a past quarter at its last day), the key figures, the summary and the tables; a
closed quarter is the report of its close (baz_data.closing). At the bottom the Afsluiten block
(ui_history.closing_section)."""
import streamlit as st

import app_history
import app_state
import ui
import ui_history
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_date, fmt_percent
from baz_data.metrics import default_quarter

LATE_ON_SCREEN = ["ID", "Actie", "Verantwoordelijke", "Trekker", "Deadline", "Dagen te laat",
                  "Status", "Deelproject"]

year, peildatum = app_state.year(), app_state.peildatum()

head, choice = st.columns([3, 1], vertical_alignment="bottom")
quarter = choice.segmented_control("Kwartaal", [1, 2, 3, 4], key="quarter", required=True,
                                   default=default_quarter(peildatum),
                                   format_func=lambda q: f"Q{q}")
report = app_state.view("quarter_report", year, quarter, peildatum)
with head:
    # A past quarter is counted at its last day (report.peildatum); the subtitle says which date.
    ui.title(report.title, report.subtitle)
for note, show in ((report.closed_note, st.info), (report.correction_note, st.warning)):
    if note:
        show(md(note), icon=":material/lock:" if show is st.info else ":material/edit_note:")
ui.metrics_row(report.key_figures())
st.markdown("\n".join(f"- {md(line)}" for line in report.summary_lines()))

# the PDF's progress per week from the history, up to the report's date (None: not available)
progress = app_history.progress_lines("subproject", year, report.peildatum)
ui.downloads([
    ("PDF", app_state.export("quarter_report_pdf", "quarter_report", (year, quarter, peildatum),
                             progress),
     f"kwartaaloverzicht-{year}-Q{quarter}.pdf", "application/pdf"),
    ("Excel", app_state.export("quarter_report_xlsx", "quarter_report", (year, quarter, peildatum)),
     f"kwartaaloverzicht-{year}-Q{quarter}.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
], key=f"quarter-{year}-{quarter}")

st.subheader("Deelprojecten")
if report.subprojects.empty:
    ui.empty(f"Voor {year} staan er nog geen deelprojecten in de sheets.")
else:
    ui.table(report.subprojects)
    graphs = app_state.charts("quarter_charts", "quarter_report", year, quarter, peildatum)
    for column, graph in zip(st.columns(2), graphs[:2]):
        with column:
            st.altair_chart(graph, width="stretch")
    if len(graphs) > 2:
        st.altair_chart(graphs[2], width="stretch")

st.subheader("Uren en vergoeding")
st.caption(f"In Q{quarter} en cumulatief sinds 1 januari, tegenover het personeelsbudget van het "
           f"jaar; op {fmt_date(report.peildatum)} is {fmt_percent(report.elapsed)} van het jaar "
           "verstreken.")
# Naam is in the table above; without it the nine figures fit a laptop screen.
ui.table(report.hours.drop(columns=["Naam", "Verstreken"]))

if report.corrections is not None and not report.corrections.empty:
    st.subheader("Correcties")
    ui.table(report.corrections)

st.subheader("Acties per status")
ui.table(report.action_status)

st.subheader("Te laat")
# Who, how late and where; the PDF and Excel add the goal and the progress.
ui.table(report.late, LATE_ON_SCREEN,
         empty_text=f"Op {fmt_date(report.peildatum)} is geen enkele actie te laat.")

st.subheader("Doelstellingen")
ui.table(report.goals, rows=12, empty_text=f"Voor {year} zijn nog geen doelstellingen vastgelegd.")

st.subheader("Indicatoren")
ui.table(report.indicators.drop(columns="Aggregatie"), rows=15,
         empty_text=f"Voor {year} zijn nog geen indicatoren vastgelegd.")
if not report.indicators.empty:
    st.caption(f"Gerealiseerd tot en met de peildatum ({fmt_date(report.peildatum)}).")

st.subheader("Budget per post")
ui.table(report.budget.drop(columns="Verstreken"), rows=15,
         empty_text=f"Voor {year} staat er nog geen begroting in de sheets.")

st.subheader("Partners")
ui.table(report.partners.drop(columns="Naam"), empty_text="Het tabblad Partners is nog leeg.")

st.subheader("Effectmeting en lessons learned")
if report.learning.empty:
    ui.empty("Bij de acties van dit jaar is nog geen communicatie, effectmeting of les genoteerd.")
else:
    groups = report.learning_by_subproject()
    for tab, (code, rows) in zip(st.tabs([md(code) for code, _ in groups]), groups):
        with tab:
            ui.learning(rows)

ui_history.closing_section(year)
