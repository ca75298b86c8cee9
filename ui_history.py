"""Drawing the history: "Zoals op" in the sidebar, its notices, Weekoverleg's "Wat veranderde"
(computed once per run, ``week_changes``; its deletion alarms at the top of the page, the rest
at its end) and the progress lines.

Only presentation: the figures come from baz_data.changes_report (through app_history, which
caches them and owns the store). Sheet text that goes into Markdown passes through ``md``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

import app_closing
import app_history
import app_state
import ui
from baz_data.clock import local_now, local_today
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_date, fmt_datetime
from baz_data.sources import SourceError


def as_of(held: app_state.Held) -> tuple:
    """The sidebar's "Zoals op": (Dataset, version) to show — the one stored at the chosen day,
    or the loaded one (version None) when no day is chosen or the past cannot be read (then a
    notice says why)."""
    span = app_history.history_span()
    with st.sidebar:
        if span is None:
            st.caption("Geschiedenis: nog niets bewaard" if app_history.history_failure() is None
                       else "Geschiedenis niet beschikbaar")
            return held.ds, None
        first = span[0].date()
        st.date_input("Zoals op", value=None, key=app_history.AS_OF, format="DD/MM/YYYY",
                      min_value=first, max_value=max(local_today(), first),
                      help=f"Toon de gegevens zoals ze op het einde van die dag bewaard waren. "
                           f"De geschiedenis begint op {fmt_date(first)}. Leeg: de gegevens van nu.")
    day = app_history.as_of()
    if day is None:
        return held.ds, None
    try:
        snap, ds = app_history.past(day)
    except SourceError as exc:
        st.warning(f"{md(str(exc).rstrip('.'))}; je ziet de gegevens van nu.",
                   icon=":material/history:")
        return held.ds, None
    st.info(f"**Zoals op {fmt_date(day)}**: je ziet de gegevens zoals ze bewaard werden op "
            f"{fmt_datetime(snap.taken_at)}. Maak 'Zoals op' leeg in de zijbalk voor de gegevens "
            "van nu.", icon=":material/history:")
    return ds, ("zoals op", snap.id)


def history_notice() -> None:
    """When the store cannot be used: the live data still shows; say that history waits."""
    failure = app_history.history_failure()
    if failure:
        st.warning(f"{md(failure.rstrip('.'))}. Je ziet de gegevens van nu; de geschiedenis "
                   "(wat veranderde, zoals op) is even niet beschikbaar.",
                   icon=":material/history_toggle_off:")


@dataclass(frozen=True)
class WeekChanges:
    """What changed in a week, computed once per page run: ``view`` (changes_report.ChangesView)
    or, when there is none, the Dutch sentence ``empty`` that says why."""

    view: object | None
    empty: str | None


def week_changes(start: dt.date, end: dt.date) -> WeekChanges:
    """What changed on the days ``start`` to ``end`` (up to now), through app_history's cache."""
    since = dt.datetime.combine(start, dt.time())
    until = min(dt.datetime.combine(end, dt.time.max), local_now())
    if until < since:
        return WeekChanges(None, "Deze week is nog niet begonnen.")
    view = app_history.changes(since, until)
    if view is None:
        return WeekChanges(None, "De geschiedenis is niet beschikbaar, dus wat veranderde kan "
                                 "niet getoond worden.")
    return WeekChanges(view, None)


def alarms(changes: WeekChanges) -> None:
    """The deletion alarms (rows of an earlier quarter removed or changed), at the top of the
    page; the sentences hold sheet text (a partner code), so they pass through ``md``."""
    if changes.view is not None:
        for alarm in changes.view.alarms:
            st.error(md(alarm), icon=":material/warning:")


def changes_section(changes: WeekChanges) -> None:
    """Weekoverleg's "Wat veranderde" (its alarms are drawn at the top, by ``alarms``)."""
    st.subheader("Wat veranderde")
    view = changes.view
    if view is None:
        ui.empty(changes.empty)
        return
    where = {0: "", 1: " Het alarm over verdwenen rijen staat bovenaan de pagina."}.get(
        len(view.alarms), " De alarmen over verdwenen rijen staan bovenaan de pagina.")
    st.caption(f"Automatisch uit de geschiedenis van de sheets, {view.period}.{where}")
    for notice in view.notices:
        st.info(md(notice), icon=":material/history:")
    if view.nothing:
        ui.empty("In deze periode veranderde er niets in de sheets.")
        return
    st.markdown("**Acties gewijzigd**")
    ui.table(view.action_changes, rows=8, empty_text="Geen status, voortgang, deadline of "
             "verantwoordelijke gewijzigd.")
    left, right = st.columns(2)
    with left:
        st.markdown("**Nieuwe acties**")
        ui.table(view.new_actions, rows=5, empty_text="Geen nieuwe acties.")
        st.markdown("**Verdwenen acties**")
        ui.table(view.removed_actions, rows=5, empty_text="Geen acties verdwenen.")
    with right:
        st.markdown("**Urenrijen erbij**")
        ui.table(view.hours_added, rows=8, empty_text="Geen urenrijen bijgekomen.")
        st.markdown("**Rijen per tabblad**")
        ui.table(view.tab_changes, rows=10, empty_text="Geen rijen gewijzigd.")


def progress_section(level: str, year: int, peildatum: dt.date) -> None:
    """Progress per week of each subproject or goal, from the history, deadlines marked."""
    from baz_data.history_charts import progress_lines
    from baz_data.progress_history import LEVEL_HEADERS, short_history

    st.subheader("Voortgang over de tijd")
    upto = min(peildatum, app_history.as_of() or local_today())
    found = app_history.progress_lines(level, year, upto)
    if found is None:
        ui.empty("De geschiedenis is niet beschikbaar, dus de voortgang over de tijd kan niet "
                 "getoond worden.")
        return
    lines, deadlines = found
    span = app_history.history_span()
    if lines.empty:
        start = f" Ze begint op {fmt_date(span[0].date())}." if span else ""
        ui.empty(f"De geschiedenis heeft nog geen stand uit {year}: de lijn begint bij de "
                 f"eerste keer dat het dashboard de gegevens las.{start}")
        return
    short = short_history(lines, level)
    if short:
        ui.empty(short)
        return
    by = LEVEL_HEADERS[level]
    st.altair_chart(progress_lines(lines, deadlines, by=by, title=f"Voortgang per week per "
                                   f"{by.lower()}"),
                    width="stretch", alt=f"Voortgang per week per {by.lower()}, met de deadlines "
                                         "van de acties")
    first = lines["Week"].min().date()
    note = (f" De geschiedenis begint op {fmt_date(span[0].date())}; van daarvoor is niets "
            "bewaard.") if span and span[0].date() > dt.date(year, 1, 1) else ""
    st.caption(f"Voortgang op het einde van elke week vanaf {fmt_date(first)}, zoals de sheets "
               f"toen stonden; de streepjes onderaan zijn de deadlines van de acties.{note}")


# -- closing a quarter (Kwartaaloverzicht) --------------------------------------------------------
_PREVIEW, _FLASH = "_baz_close_preview", "_baz_close_flash"


def closing_section(year: int) -> None:
    """Kwartaaloverzicht's Afsluiten block: the audit list for every viewer of the page; the
    Afsluiten and Heropenen controls for a stuurgroep user only (app_state refuses the others
    on the server as well). The rules and texts come from baz_data.closing."""
    from baz_data.closing import may_close
    from baz_data.statements import StatementError

    st.subheader("Afsluiten")
    if app_state.dataset().closes is None:
        ui.empty("De geschiedenis is niet beschikbaar: zonder geschiedenis kan er geen kwartaal "
                 "afgesloten worden en tonen alle kwartalen de cijfers van nu.")
        return
    view = app_state.view("closing.closing_view", year, local_today())
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        for kind, text in flash:
            (st.success if kind == "ok" else st.warning)(md(text))
    st.caption("Een afgesloten kwartaal verandert niet meer: latere wijzigingen van zijn uren "
               "staan als correctie in het eerste open kwartaal. " + view.next_reason)
    if may_close(app_state.role()):
        try:
            _close_controls(view)
            _reopen_controls(view)
        except (StatementError, SourceError) as exc:
            st.error(md(str(exc)))
    st.markdown("**Wie sloot wat af**")
    ui.table(view.audit, empty_text=f"Van {year} is nog geen kwartaal afgesloten.")


def _close_controls(view) -> None:
    quarter = view.next_quarter
    if quarter is None or not view.next_is_over:
        st.session_state.pop(_PREVIEW, None)
        return
    if st.button(f"Q{quarter} {view.year} afsluiten…", key="close_preview"):
        st.session_state[_PREVIEW] = app_closing.close_preview(view.year, quarter)
    preview = st.session_state.get(_PREVIEW)
    if preview is None or (preview.year, preview.quarter) != (view.year, quarter):
        return
    st.markdown(f"**{md(preview.heading)}.** Deze lijnen worden vastgelegd:")
    ui.table(preview.table, empty_text="Geen uren in dit kwartaal en geen correcties: er wordt "
                                       "een lege afrekening vastgelegd.")
    confirm, cancel = st.columns(2)
    if confirm.button(f"Ja, Q{quarter} {view.year} afsluiten", key="close_confirm",
                      type="primary"):
        result = app_closing.close_quarter(preview)
        st.session_state.pop(_PREVIEW, None)
        st.session_state[_FLASH] = [("ok", result.message)] + (
            [("info", result.tab_message)] if result.tab_message else [])
        st.rerun()
    if cancel.button("Annuleren", key="close_cancel"):
        st.session_state.pop(_PREVIEW, None)
        st.rerun()


def _reopen_controls(view) -> None:
    quarter = view.reopenable
    if quarter is None:
        return
    with st.form("reopen_form", clear_on_submit=True):
        reason = st.text_input(f"Reden om Q{quarter} {view.year} te heropenen", key="reopen_reason",
                               max_chars=500)
        if st.form_submit_button(f"Q{quarter} {view.year} heropenen"):
            st.session_state[_FLASH] = [("ok", app_closing.reopen_quarter(view.year, quarter,
                                                                        reason))]
            st.rerun()
