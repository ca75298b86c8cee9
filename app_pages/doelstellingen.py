"""Doelstellingen: drill down subproject → goal → actions, with indicators over time."""
import streamlit as st

import app_state
import ui
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_percent

year, peildatum = app_state.year(), app_state.peildatum()
tree = app_state.view("goals_tree", year, peildatum)
ui.title("Doelstellingen", ui.period_caption(year, peildatum))

if tree.is_empty:
    ui.empty(f"Voor {year} staan er nog geen deelprojecten en doelstellingen in de sheets.")
    st.stop()

ACTION_COLUMNS = ["ID", "Actie", "Trekker", "Verantwoordelijke", "Deadline", "Status", "Voortgang",
                  "Te laat"]


def goal_details(goal) -> None:
    st.progress(ui.pct_bar(goal.progress), text=f"Voortgang {fmt_percent(goal.progress)} · "
                f"{ui.count_label(goal.actions_count, 'actie', 'acties')}, {goal.done} afgerond, "
                f"{goal.running} lopend, {goal.overdue} te laat")
    if goal.actions.empty:
        ui.empty("Nog geen acties voor deze doelstelling.")
    else:
        ui.table(goal.actions, ACTION_COLUMNS)
        if not goal.notes.empty:
            st.markdown("**Communicatie, effectmeting en lessons learned**")
            ui.learning(goal.notes)
    if goal.indicators.empty:
        st.caption("Geen indicatoren voor deze doelstelling.")
        return
    st.markdown("**Indicatoren**")
    ui.table(goal.indicators)
    if goal.measurements.empty:
        st.caption("Nog geen metingen.")
    else:
        ui.chart("indicator_chart", goal.measurements, f"Indicatoren van {goal.code} over de tijd")


for tab, sub in zip(st.tabs([f"{md(s.code)} · {md(s.name)}" for s in tree.subprojects]),
                   tree.subprojects):
    with tab:
        ui.metrics_row([
            ("Voortgang", fmt_percent(sub.progress)),
            ("Acties", str(sub.actions_count), f"{sub.done} afgerond, {sub.running} lopend"),
            ("Te laat", str(sub.overdue)),
            ("Trekker", md(ui.text(sub.lead)), f"projectverantwoordelijke: {md(ui.text(sub.manager))}"),
        ])
        if not sub.goals:
            ui.empty(f"{md(sub.code)} heeft in {year} nog geen doelstellingen.")
        for goal in sub.goals:
            description = md(goal.description) if goal.description else "zonder omschrijving"
            title = f"**{md(goal.code)}** · {description} — {fmt_percent(goal.progress)}"
            # Stateful, so a closed goal costs nothing: its tables and chart are drawn when opened.
            details = st.expander(title, icon=":material/flag:", key=f"goal-{sub.code}-{goal.code}",
                                  on_change="rerun")
            if details.open:
                with details:
                    goal_details(goal)

# -- Voortgang over de tijd (from the history; issue 12) -----------------------------------------
import ui_history  # noqa: E402 — this section is self-contained

ui_history.progress_section("goal", year, peildatum)
