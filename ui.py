"""Shared drawing helpers for app.py and the pages: the sidebar, headings, tables, empty states.

Only presentation lives here: every figure comes formatted from baz_data.formatting, every
rule from baz_data. (Not in pages/, where Streamlit could take a helper module for a page.)

Sheet text is shown literally: Streamlit draws titles, captions, alerts, labels, metric values and
st.table cells as Markdown, so every piece of sheet text that goes into one passes through
``md`` (baz_data.escaping.markdown) where the string is put together — here and in the pages. The
helpers below take Markdown; st.dataframe cells and selectbox options are plain text already.
"""
from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import streamlit as st

import app_state
from baz_data import access
from baz_data.clock import local_today
from baz_data.escaping import markdown as md
from baz_data.formatting import fmt_date, fmt_datetime
from baz_data.reports import source_name

# Columns whose width should not follow their content, so a table fits a laptop (1366 px wide,
# sidebar open: ~900 px for the page): long free text gets a fixed width and wraps (a grid only
# wraps when its rows are taller than 4rem), short words get room. Pixels.
COLUMN_WIDTHS = {"Omschrijving": 280, "Actie": 280, "Indicator": 220, "Melding": 300, "Waarde": 120,
                 "Ernst": 100, "Link": 70}
WRAPPING = ("Omschrijving", "Actie", "Indicator", "Melding")
WRAPPED_ROW, ROW, HEADER = 68, 35, 38   # px: three lines of text; Streamlit's row and header


# -- the document ----------------------------------------------------------------------------------
# Streamlit's index.html says lang="en", so browsers offer to translate "from English", screen
# readers read Dutch with English rules and hyphenation is English. No setting changes it; one
# constant line of script does. Scripts here are code, never text from the sheets.
_DUTCH_DOCUMENT = "document.documentElement.lang = 'nl-BE';"


def page_script(*scripts: str) -> None:
    """Mark the page as Dutch (Belgium), and run ``scripts`` (constants of this app) in the
    browser. Once per run, where the element's empty gap is out of sight: last in the sidebar,
    or below a screen without sidebar."""
    st.html(page_script_markup(*scripts), unsafe_allow_javascript=True)


def page_script_markup(*scripts: str) -> str:
    """The one piece of live markup the app draws itself: constants, never sheet text."""
    return "<script>" + "\n".join([_DUTCH_DOCUMENT, *filter(None, scripts)]) + "</script>"


# -- words ---------------------------------------------------------------------------------------
def text(value) -> str:
    """A name or code from the sheets, '–' when it was left empty."""
    return value if isinstance(value, str) and value else "–"


def count_label(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def problems_label(errors: int, warnings: int) -> str:
    """'3 fouten, 5 waarschuwingen'."""
    return (f"{count_label(errors, 'fout', 'fouten')}, "
            f"{count_label(warnings, 'waarschuwing', 'waarschuwingen')}")


def time_label(moment: dt.datetime, today: dt.date | None = None) -> str:
    """'14:02' today, '26/11/2026 14:02' on another day."""
    today = today or local_today()
    return moment.strftime("%H:%M") if moment.date() == today else fmt_datetime(moment)


def page_file(key: str) -> str:
    """The file of a page (its key in baz_data.access is its file name)."""
    return f"app_pages/{key}.py"


# -- sidebar -------------------------------------------------------------------------------------
def sidebar(held: app_state.Held, ds, problems_link: bool = True, can_refresh: bool = True,
            as_of: dt.date | None = None) -> None:
    """``ds`` is what the viewer may see (years, problem count); the link to Datakwaliteit only
    when that page is in the viewer's navigation; Vernieuwen only when ``can_refresh``;
    ``as_of``: the "zoals op" day shown (it moves the peildatum, see _filters)."""
    with st.sidebar:
        _source_block(held, can_refresh)
        st.divider()
        _filters(ds.years, as_of)
        if problems_link:
            st.divider()
            st.page_link(page_file(access.DATAKWALITEIT), label=problems_label(ds.error_count, ds.warning_count),
                         icon=":material/error:" if ds.error_count else ":material/check_circle:")


def _source_block(held: app_state.Held, can_refresh: bool = True) -> None:
    info = held.ds.info
    st.markdown(f"**{md(source_name(info))}**")  # a spreadsheet's title is sheet text too
    st.caption(f"gegevens van {time_label(info.fetched_at)}")
    live_status()
    if can_refresh:
        refresh_control()


def refresh_control() -> None:
    """Vernieuwen, or (right after anyone refreshed) when it can again: the read quota is shared
    by all viewers (app_state.refresh)."""
    from baz_data.clock import local_now

    wait = app_state.refresh_wait()
    st.button("Vernieuwen", key="baz_refresh", icon=":material/refresh:", on_click=app_state.refresh,
              disabled=wait > 0, help="De gegevens opnieuw inlezen uit de bron.")
    if wait > 0:
        # rounded up: at the time shown it is allowed, never a second before
        again = local_now() + dt.timedelta(seconds=int(wait) + (wait % 1 > 0))
        st.caption(f"Vernieuwen kan weer om {again:%H:%M:%S}.")


def live_status() -> None:
    """Open pages follow the source by themselves: a fragment in the sidebar checks every few
    seconds (app_state.follow; no network unless the server-wide probe is due) and reruns the
    whole page only when a new data version (or failure) is there, so the viewer's choices stay
    and Streamlit keeps the scroll position. It says, discreetly, when the data last changed, or
    why the page does not follow live. Nothing for a source that never changes (the demo).
    Drawn in the sidebar's source block, under the time of the data."""
    every = app_state.live_tick()
    if every is not None:
        _live_fragment(every)()


@functools.cache
def _live_fragment(every: float):
    return st.fragment(run_every=every)(_live_check)


def _live_check() -> None:
    if app_state.follow():
        st.rerun()   # the whole app: the sidebar, the notices and the page
    held = app_state.held()
    state = app_state.live_state()
    if state.following:
        moment = held.ds.info.fetched_at
        when = (f"om {moment:%H:%M:%S}" if moment.date() == local_today()
                else f"op {fmt_datetime(moment)}")
        st.caption(f":material/sync: Live · bijgewerkt {when}",
                   help="Het dashboard kijkt om de paar seconden of de spreadsheet veranderde en "
                        "toont een wijziging vanzelf, binnen een halve minuut.")
    elif state.unavailable:
        st.caption(f":material/sync_disabled: Niet live: {md(state.unavailable)} Tot dan leest "
                   f"het dashboard de gegevens {_every(app_state.cache_ttl())} opnieuw.")
    elif state.failure:
        st.caption(f":material/sync_problem: Live volgen hapert ({md(state.failure.rstrip('.'))})"
                   f"; intussen leest het dashboard de gegevens {_every(app_state.cache_ttl())} "
                   "opnieuw.")


def _every(seconds: int) -> str:
    """'elke 5 minuten', 'elke minuut', 'elke 90 seconden'."""
    if seconds % 60:
        return "elke seconde" if seconds == 1 else f"elke {seconds} seconden"
    return "elke minuut" if seconds == 60 else f"elke {seconds // 60} minuten"


def _filters(years: list[int], as_of: dt.date | None = None) -> None:
    """Jaar and Peildatum. The peildatum is the user's choice (``PEILDATUM_CHOICE``, set when
    they pick one, forgotten with another year) or the default; a "zoals op" day (``as_of``,
    the past that is shown) is the default and the upper bound instead of today
    (metrics.peildatum_for)."""
    from baz_data.metrics import default_year, peildatum_for

    years = years or [local_today().year]
    state = st.session_state
    if state.get(app_state.YEAR) not in years:
        state[app_state.YEAR] = default_year(years, as_of)
        state[app_state.PEILDATUM_CHOICE] = None

    def year_changed() -> None:
        state[app_state.PEILDATUM_CHOICE] = None

    def peildatum_chosen() -> None:
        state[app_state.PEILDATUM_CHOICE] = state[app_state.PEILDATUM]

    st.selectbox("Jaar", sorted(years, reverse=True), key=app_state.YEAR, on_change=year_changed)
    year = state[app_state.YEAR]
    state[app_state.PEILDATUM], latest = peildatum_for(
        year, state.get(app_state.PEILDATUM_CHOICE), as_of, local_today())
    st.date_input("Peildatum", key=app_state.PEILDATUM, format="DD/MM/YYYY",
                  min_value=dt.date(year, 1, 1), max_value=latest, on_change=peildatum_chosen,
                  help="De datum waarop ‘te laat’ en ‘verstreken deel van het jaar’ berekend "
                       "worden." + (" Bij ‘Zoals op’ is dat die dag, of een eerdere."
                                    if as_of else ""))


def stale_notice(held: app_state.Held) -> None:
    """When the source failed: say so, and how old the data on screen is."""
    if held.failure:
        st.warning(f"{md(held.failure.rstrip('.'))}; je ziet de gegevens van "
                   f"{time_label(held.ds.info.fetched_at)}.", icon=":material/cloud_off:")


def incomplete_notice(ds) -> None:
    """On every page, for every role: a missing tab (or required column) and which figures are
    incomplete because of it (baz_data.completeness), so nobody reads a silent € 0,00."""
    from baz_data.completeness import incomplete_notice as notice

    text = notice(ds.problems)
    if text:
        st.warning(text, icon=":material/table_rows:")


# -- page parts ----------------------------------------------------------------------------------
def title(text: str, subtitle: str | None = None) -> None:
    st.title(text)
    if subtitle:
        st.caption(subtitle)


def period_caption(year: int, peildatum: dt.date) -> str:
    return f"Jaar {year} · peildatum {fmt_date(peildatum)}"


def empty(message: str) -> None:
    """A helpful sentence instead of an empty chart or table."""
    st.info(message, icon=":material/info:")


def table(frame: pd.DataFrame, columns: list[str] | None = None, *, rows: int | None = None,
          empty_text: str = "Nog niets om te tonen voor deze keuze.", wrap: bool | None = None) -> None:
    """A report table (Dutch headers, numeric values) written the Belgian way; a sentence
    instead when it has no rows.

    The values stay numbers and dates (a pandas Styler shows them formatted), so sorting a
    column sorts by value, not by text. ``rows`` shows that many rows without scrolling; a
    ``Link`` column becomes a link. Long free text (WRAPPING) wraps onto three lines in a fixed
    width (``wrap=False``: one line, cut off), so a table stays within a laptop's width.
    """
    from baz_data.reports import styled

    if frame.empty:
        empty(empty_text)
        return
    frame = frame[columns] if columns else frame
    config = {name: st.column_config.Column(name, width=width)
              for name, width in COLUMN_WIDTHS.items() if name in frame}
    if "Link" in frame:
        config["Link"] = st.column_config.LinkColumn("Link", display_text="openen",
                                                     width=COLUMN_WIDTHS["Link"])
    wrap = any(name in frame for name in WRAPPING) if wrap is None else wrap
    row = WRAPPED_ROW if wrap else ROW
    height = HEADER + row * min(len(frame), rows) if rows is not None else "auto"
    # placeholder: the grid draws an empty cell itself (not the Styler's text): '–', as elsewhere
    st.dataframe(styled(frame), hide_index=True, height=height, column_config=config or None,
                 placeholder="–", row_height=row if wrap else None)


def learning(frame: pd.DataFrame) -> None:
    """Long free text (communication, effect, lessons) as a wrapping table, not a grid.
    st.table draws every cell as Markdown: each is escaped."""
    from baz_data.reports import formatted

    st.table(formatted(frame).map(md).rename(columns=md), hide_index=True)


def metrics_row(items: list[tuple[str, str] | tuple[str, str, str]]) -> None:
    """A row of st.metric cards from (label, formatted value[, help])."""
    # A horizontal container, not st.columns: a card is as wide as its figure needs and the row
    # wraps on a narrow screen, where equal columns cut "19.079,5 uur" off to "19.079,5 …".
    with st.container(horizontal=True):
        for label, value, *rest in items:
            st.metric(label, value, help=rest[0] if rest else None, border=True)


def downloads(items: list[tuple[str, object, str, str]], key: str) -> None:
    """Download buttons side by side: (label, data or callable, file name, mime type)."""
    with st.container(horizontal=True):
        for label, data, file_name, mime in items:
            st.download_button(f"Download {label}", data, file_name=file_name, mime=mime,
                               key=f"{key}-{label}", on_click="ignore", icon=":material/download:")


def chart(name: str, frame: pd.DataFrame, alt_text: str, **options) -> None:
    """``baz_data.charts.<name>(frame, **options)``: an Altair chart with the Dutch locale."""
    from baz_data import charts

    st.altair_chart(getattr(charts, name)(frame, **options), width="stretch", alt=alt_text)


def pct_bar(share: float) -> float:
    """A percentage (0-100, NaN allowed) as a progress-bar fraction (0-1)."""
    return 0.0 if share != share else min(max(share / 100.0, 0.0), 1.0)


def subproject_card(sub: dict, mine=lambda label: label) -> None:
    """One subproject of the overview: progress, actions, hours and budget against the year.
    ``mine`` labels the hours and money (reports.Overview.mine: a partner viewer's own)."""
    from baz_data.formatting import fmt_hours, fmt_money, fmt_number, fmt_percent

    st.markdown(f"##### {md(sub['Deelproject'])} · {md(sub['Naam'])}")
    left, right = st.columns(2)
    left.metric("Voortgang", fmt_percent(sub["Voortgang"]))
    right.metric("Te laat", fmt_number(sub["Te laat"], 0))
    st.caption(f"{count_label(sub['Acties'], 'actie', 'acties')}: {sub['Afgerond']} afgerond, "
               f"{sub['Lopend']} lopend · trekker {md(text(sub['Trekker']))}")
    st.metric(mine("Uren"), fmt_hours(sub["Uren"]))
    if sub["Budget"]:
        st.progress(pct_bar(sub["Budgetgebruik"]),
                    text=f"{mine('Vergoed')}: {fmt_money(sub['Vergoed'])} van {fmt_money(sub['Budget'])} "
                         f"({fmt_percent(sub['Budgetgebruik'])}; {fmt_percent(sub['Verstreken'])} "
                         "van het jaar verstreken)")
    else:
        st.caption("Geen personeelsbudget in de begroting.")


# -- budget evaluation (issue 14) ----------------------------------------------------------------
def early_warnings(warnings) -> None:
    """The forecast's two signals the stuurgroep can still act on (baz_data.evaluation
    .early_warnings): who runs out of budget before 31 December, who leaves a large share unused.
    Sentences hold sheet codes: each is escaped."""
    from baz_data.forecast import UNUSED_PERCENT

    st.subheader("Vroege signalen")
    if not warnings.any:
        st.success("Volgens de prognose komt niemand vóór 31/12 aan zijn budget en laat niemand "
                   f"meer dan {UNUSED_PERCENT}% ongebruikt.", icon=":material/check_circle:")
    else:
        left, right = st.columns(2)
        with left:
            st.markdown("**Budget op vóór het jaareinde**")
            st.markdown("\n".join(f"- {md(s)}" for s in warnings.runs_out_text)
                        or "Niemand, volgens de prognose.")
        with right:
            st.markdown(f"**Meer dan {UNUSED_PERCENT}% van het budget ongebruikt**")
            st.markdown("\n".join(f"- {md(s)}" for s in warnings.unused_text)
                        or "Niemand, volgens de prognose.")
    st.caption(md(warnings.rule))
    if access.BEGROTINGSEVALUATIE in access.allowed_pages(app_state.role()):
        st.page_link(page_file(access.BEGROTINGSEVALUATIE), label="Naar de begrotingsevaluatie",
                     icon=":material/arrow_forward:")
