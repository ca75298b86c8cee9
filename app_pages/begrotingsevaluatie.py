"""Begrotingsevaluatie (stuurgroep, BAZIEL; a partner sees its own lines only): budget, spent and
the forecast to 31 December, and the draft budget for next year (edit, download, write)."""
import functools

import streamlit as st

import app_state
import ui
from baz_data import access
from baz_data.draft_budget import draft_csv, draft_xlsx
from baz_data.escaping import markdown as md
from baz_data.evaluation import LINE_HOURS_COLUMNS, LINE_MONEY_COLUMNS
from baz_data.formatting import fmt_money
from baz_data.sources import SourceError

year, peildatum = app_state.year(), app_state.peildatum()
own = app_state.role().locked_partner  # a partner user: its own lines only
ev = app_state.view("evaluation.budget_evaluation", year, peildatum, own)
ds = app_state.dataset()
t = ev.totals

ui.title("Begrotingsevaluatie", f"{ui.period_caption(year, peildatum)} · prognose tot 31/12/{year}")
st.caption(md(ev.rule))

ui.metrics_row([
    ("Budget", fmt_money(t["budget"]), "Alle posten van de begroting van dit jaar."),
    ("Prognose 31/12", fmt_money(t["forecast"]),
     f"Schatting; band {fmt_money(t['low'])} – {fmt_money(t['high'])}."),
    ("Verschil", fmt_money(t["budget"] - t["forecast"]),
     "Budget min prognose: wat naar schatting ongebruikt blijft (negatief: meer dan begroot)."),
])
st.caption(f"Besteed tot en met de peildatum: {fmt_money(t['spent'])} (vergoed personeel en "
           "uitgaven).")

st.subheader("Per deelproject en post")
ui.table(ev.posts, rows=12, empty_text=f"Voor {year} staat er nog niets in de begroting.")

st.subheader("Per partner en deelproject")
no_lines = f"Voor {year} zijn er geen personeelslijnen en geen uren."
ui.table(ev.lines, LINE_HOURS_COLUMNS, rows=15, empty_text=no_lines)
ui.table(ev.lines, LINE_MONEY_COLUMNS, rows=15, empty_text=no_lines)
st.caption("Budget bereikt: de datum waarop de uren het budget bereikten, of naar schatting "
           "zullen bereiken vóór 31/12. Verschil = budget min prognose.")

st.subheader("Uren tegenover het budget")
subs = {None: "Alle deelprojecten", **ev.subprojects}
partners = dict(zip(ds.partners["code"], ds.partners["name"]))
left, right = st.columns(2)
sub = left.selectbox("Deelproject", list(subs), format_func=subs.get, key="evaluation_subproject")
choices = {None: "Alle partners", **partners} if own is None else {own: partners.get(own, own)}
partner = right.selectbox("Partner", list(choices), format_func=choices.get,
                          key="evaluation_partner", disabled=own is not None)
curve, budget_hours = app_state.view("evaluation.hours_curve", year, peildatum, sub, partner)
ui.chart("hours_forecast_chart", curve, "Cumulatieve uren tegenover het budget, met de prognose "
         "tot 31/12 in stippellijn", budget_hours=budget_hours)

st.subheader("Boven budget (niet vergoed) per partner")
ui.table(ev.above, empty_text="Geen partners.")
st.caption("Boven budget: uren tot de peildatum boven de begrote uren of zonder Personeel-lijn. "
           "Prognose boven budget: hetzelfde op 31/12 volgens de prognose.")

st.subheader(f"Ontwerpbegroting {ev.next_year}")
st.caption(f"Uit het gebruik van {year}: personeel = de prognose van de uren op 31/12 (op een heel "
           "uur), andere posten = de prognose van de uitgaven (op een hele euro). Pas de cijfers "
           "hier aan; elke lijn wordt nagekeken met de regels van het tabblad Begroting.")
if ev.next_subprojects_missing:
    ui.empty(f"Het tabblad Deelprojecten heeft nog geen rijen voor {ev.next_year}: voeg ze toe, "
             "anders meldt Datakwaliteit deze begrotingslijnen als fout.")
edited = st.data_editor(
    ev.draft, key=f"draft-{year}-{peildatum.isoformat()}", num_rows="dynamic", hide_index=True,
    width="stretch",
    column_config={
        "Jaar": st.column_config.NumberColumn("Jaar", format="%d", disabled=True),
        # text, as in the sheet ('2.050', '48,50'): baz_data reads it with the loader's rules
        "Uren": st.column_config.TextColumn("Uren", help="Begrote uren (Personeel)."),
        "Uurtarief": st.column_config.TextColumn("Uurtarief", help="Euro per uur (Personeel)."),
        "Bedrag": st.column_config.TextColumn("Bedrag", help="Euro (andere posten)."),
        "Opmerking": st.column_config.TextColumn("Opmerking", width="medium"),
    })
check = ev.draft_check(edited, ds.partners, ds.subprojects)
if check.messages:
    st.error("Het ontwerp bevat fouten; verbeter ze voor je het downloadt of wegschrijft:\n"
             + "\n".join(f"- {md(m)}" for m in check.messages), icon=":material/error:")
for warning in check.warnings:
    st.warning(md(warning), icon=":material/warning:")

name = f"ontwerpbegroting-{ev.next_year}" + (f"-{own}" if own else "")
ui.downloads([
    ("Excel", functools.partial(draft_xlsx, check, ev.sheets()), f"{name}.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("CSV", functools.partial(draft_csv, check), f"{name}.csv", "text/csv"),
], key=f"draft-{year}")

if access.may_write_draft(app_state.role()) and app_state.source_can_write():
    if st.button(f"Voeg het ontwerp toe aan het tabblad Begroting ({ev.next_year})",
                 icon=":material/playlist_add:", disabled=not check.ok, key="draft_write",
                 help="Voegt de lijnen onderaan toe, gemarkeerd als ontwerp in de kolom "
                      "Opmerking; bestaande rijen worden nooit overschreven."):
        try:
            st.success(md(app_state.write_draft(check, ev.next_year)),
                       icon=":material/check_circle:")
        except SourceError as exc:
            st.error(md(exc), icon=":material/cloud_off:")
