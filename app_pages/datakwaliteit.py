"""Datakwaliteit: every problem from validation, by tab and severity, with links to the cells."""
import streamlit as st

import app_state
import ui
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_number
from baz_data.problems import SEVERITY_NL
from baz_data.schema import TAB_NAMES

summary = app_state.view("problem_summary")
ui.title("Datakwaliteit", "Wat niet klopt in de sheets. Een fout houdt de rij buiten elk totaal; "
         "een waarschuwing telt mee, maar verdient een blik.")

ui.metrics_row([
    ("Fouten", fmt_number(summary.errors, 0)),
    ("Waarschuwingen", fmt_number(summary.warnings, 0)),
    ("Rijen niet meegeteld", fmt_number(summary.excluded_rows, 0),
     "Rijen met een fout tellen in geen enkel totaal mee tot ze verbeterd zijn."),
])

left, right = st.columns([2, 1])
tab = left.selectbox("Tabblad", [None] + TAB_NAMES, key="dq_tab",
                     format_func=lambda t: "Alle tabbladen" if t is None else t)
severity = right.segmented_control("Ernst", list(SEVERITY_NL), key="dq_severity",
                                   format_func=lambda s: {"error": "Fouten", "warning": "Waarschuwingen"}[s])
problems = app_state.view("problem_table", tab, severity)

if not summary.has_problems:
    st.success("Geen problemen gevonden: alle rijen tellen mee.", icon=":material/check_circle:")
else:
    ui.table(problems, summary.columns, rows=25, empty_text="Geen problemen voor deze keuze.")
    if summary.hint:
        st.caption(md(summary.hint))  # it names the spreadsheet
