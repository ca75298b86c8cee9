"""Altair charts of the report frames, in Dutch, with a Dutch number and time locale.

Builders take a frame from reports/ (Dutch column names, so tooltips are Dutch too) and return a
finished top-level chart: the page passes it to ``st.altair_chart`` and the PDF renders it with
:func:`chart_png`. The locale travels inside the spec twice — as Vega's ``config.locale`` and as
vega-embed's ``usermeta.embedOptions`` — so axes read ``10.000`` and ``januari`` whatever the
viewer's browser language. A finished chart carries a config and can no longer be layered or
concatenated; build composites first and call :func:`with_dutch_locale` last.
"""
from __future__ import annotations

import re

import altair as alt
import pandas as pd

from .formatting import fmt_number, fmt_percent

# d3-format and d3-time-format locale definitions (nl-BE).
DUTCH_FORMAT_LOCALE: dict = {
    "decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""],
}
DUTCH_TIME_LOCALE: dict = {
    "dateTime": "%A %e %B %Y %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"],
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                    "dec"],
}
DUTCH_LOCALE = alt.Locale(number=DUTCH_FORMAT_LOCALE, time=DUTCH_TIME_LOCALE)

WIDTH, HEIGHT = 640, 300
HOURS_FORMAT = ",.2~f"     # 1.234,5
PERCENT_FORMAT = ".0f"     # values are already percentages
ELAPSED_COLOR = "#c0392b"
COMPENSATED, ABOVE_BUDGET = "Vergoed uren", "Boven budget"

# The colours of a category (subproject, partner, goal), in the order of its codes: Streamlit's
# own categorical palette (light theme, Streamlit 1.67), written into every spec. On screen the
# Streamlit theme would otherwise recolour the charts while vl-convert draws the PDF's in Vega's
# default scheme: with the range in the spec, screen and PDF show the same colour per code, and a
# code keeps its colour from chart to chart (the domain is every code, not the ones plotted).
CATEGORY_COLORS = ("#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700",
                   "#ffd16a", "#6d3fc0", "#d5dae5")


def category_colors(codes) -> dict[str, str]:
    """Code -> colour, in the order given (repeating after ten codes)."""
    unique = list(dict.fromkeys(str(c) for c in codes))
    return {code: CATEGORY_COLORS[i % len(CATEGORY_COLORS)] for i, code in enumerate(unique)}


def _category_color(field: str, codes, **options) -> alt.Color:
    colors = category_colors(codes)
    scale = alt.Scale(domain=list(colors), range=list(colors.values()))
    return alt.Color(f"{field}:N", scale=scale, **options)


def with_dutch_locale(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the Dutch locale embedded (Vega config and vega-embed options)."""
    meta = {"embedOptions": {"formatLocale": DUTCH_FORMAT_LOCALE,
                             "timeFormatLocale": DUTCH_TIME_LOCALE}}
    return chart.properties(usermeta=meta).configure(locale=DUTCH_LOCALE)


def _finish(chart: alt.TopLevelMixin, title: str) -> alt.TopLevelMixin:
    return with_dutch_locale(chart.properties(title=title, width=WIDTH, height=HEIGHT))


# -- Overzicht / Kwartaaloverzicht ---------------------------------------------------------------
def hours_per_month(monthly: pd.DataFrame, title: str = "Uren per maand per deelproject",
                    codes=None):
    """Stacked bars: Maand × Uren, coloured by Deelproject (reports.Overview.monthly_hours);
    ``codes``: every subproject in order, so each keeps its colour (default: those with hours)."""
    codes = sorted(monthly["Deelproject"].astype(str).unique()) if codes is None else codes
    chart = alt.Chart(monthly[["Maand", "Deelproject", "Uren"]]).mark_bar().encode(
        x=alt.X("month(Maand):O", title="Maand", axis=alt.Axis(format="%B", labelAngle=-40)),
        y=alt.Y("Uren:Q", title="Uren", stack="zero"),
        color=_category_color("Deelproject", codes, title="Deelproject"),
        order=alt.Order("Deelproject:N"),
        tooltip=[alt.Tooltip("Maand:T", title="Maand", format="%B %Y"),
                 alt.Tooltip("Deelproject:N"), alt.Tooltip("Uren:Q", format=HOURS_FORMAT)],
    )
    return _finish(chart, title)


def progress_chart(frame: pd.DataFrame, by: str = "Deelproject",
                   title: str = "Voortgang per deelproject"):
    """Horizontal bars 0–100% of ``Voortgang`` per ``by`` (Deelproject, Doelstelling, Partner)."""
    columns = [by, "Voortgang"] + (["Naam"] if "Naam" in frame and by != "Naam" else [])
    shown = frame.loc[frame["Voortgang"].notna(), columns]
    tooltip = [alt.Tooltip(f"{by}:N")]
    if "Naam" in shown:
        tooltip.append(alt.Tooltip("Naam:N"))
    tooltip.append(alt.Tooltip("Voortgang:Q", title="Voortgang (%)", format=PERCENT_FORMAT))
    chart = alt.Chart(shown).mark_bar().encode(
        x=alt.X("Voortgang:Q", title="Voortgang (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y(f"{by}:N", title=by, sort=None),
        color=_category_color(by, frame[by], legend=None),
        tooltip=tooltip,
    )
    return _finish(chart, title)


def budget_use_chart(frame: pd.DataFrame, by: str = "Deelproject",
                     title: str = "Budgetgebruik tegenover het verstreken deel van het jaar"):
    """Bars of ``Budgetgebruik`` (%) per ``by`` with a rule at ``Verstreken`` (%): a bar past the
    rule spends faster than the year goes."""
    shown = frame.loc[frame["Budgetgebruik"].notna(), [by, "Budgetgebruik"]]
    elapsed = float(frame["Verstreken"].iloc[0]) if len(frame) else 0.0
    top = max(100.0, float(shown["Budgetgebruik"].max()) if len(shown) else 0.0)
    bars = alt.Chart(shown).mark_bar().encode(
        x=alt.X("Budgetgebruik:Q", title="Budgetgebruik (%)", scale=alt.Scale(domain=[0, top])),
        y=alt.Y(f"{by}:N", title=by, sort=None),
        color=_category_color(by, frame[by], legend=None),
        tooltip=[alt.Tooltip(f"{by}:N"),
                 alt.Tooltip("Budgetgebruik:Q", title="Budgetgebruik (%)", format=PERCENT_FORMAT)],
    )
    marker = pd.DataFrame({"Verstreken": [elapsed],
                           "Label": [f"verstreken: {fmt_percent(elapsed)}"]})
    rule = alt.Chart(marker).mark_rule(color=ELAPSED_COLOR, strokeWidth=2,
                                       strokeDash=[6, 3]).encode(
        x="Verstreken:Q",
        tooltip=[alt.Tooltip("Verstreken:Q", title="Verstreken deel van het jaar (%)",
                             format=PERCENT_FORMAT)])
    label = alt.Chart(marker).mark_text(color=ELAPSED_COLOR, align="right", dx=-4, dy=-6, y=0).encode(
        x="Verstreken:Q", text="Label:N")
    return _finish(alt.layer(bars, rule, label), title)


# -- Uren per partner ----------------------------------------------------------------------------
def partner_quarter_hours(by_quarter: pd.DataFrame, title: str = "Uren per kwartaal"):
    """Stacked bars per Kwartaal: compensated hours and hours above budget
    (reports.PartnerReport.by_quarter)."""
    chart = alt.Chart(by_quarter[["Kwartaal", COMPENSATED, ABOVE_BUDGET]]).transform_fold(
        [COMPENSATED, ABOVE_BUDGET], as_=["Soort", "Aantal uren"]
    ).mark_bar().encode(
        x=alt.X("Kwartaal:N", title="Kwartaal", sort=["Q1", "Q2", "Q3", "Q4"],
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Aantal uren:Q", title="Uren", stack="zero"),
        color=alt.Color("Soort:N", title="Soort",
                        scale=alt.Scale(domain=[COMPENSATED, ABOVE_BUDGET],
                                        range=["#2e86c1", "#e67e22"])),
        order=alt.Order("Soort:N", sort="descending"),
        tooltip=[alt.Tooltip("Kwartaal:N"), alt.Tooltip("Soort:N"),
                 alt.Tooltip("Aantal uren:Q", title="Uren", format=HOURS_FORMAT)],
    )
    return _finish(chart, title)


# -- Doelstellingen ------------------------------------------------------------------------------
def indicator_chart(measurements: pd.DataFrame, title: str = "Indicatoren: stand over de tijd"):
    """Lines of ``Stand`` (realised after each measurement) over ``Datum`` per Indicator, with
    each indicator's Streefwaarde as a dashed rule (reports.GoalNode.measurements)."""
    # Only the plotted columns: free text (Opmerking) stays out of the spec.
    data = measurements[["Indicator", "Datum", "Waarde", "Stand", "Streefwaarde"]].assign(
        Datum=pd.to_datetime(measurements["Datum"]))
    legend = alt.Legend(orient="bottom", columns=1, labelLimit=600)
    color = alt.Color("Indicator:N", title="Indicator", legend=legend)
    lines = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("Datum:T", title="Datum", axis=alt.Axis(format="%e %b %Y")),
        y=alt.Y("Stand:Q", title="Stand"),
        color=color,
        tooltip=[alt.Tooltip("Indicator:N"), alt.Tooltip("Datum:T", format="%d/%m/%Y"),
                 alt.Tooltip("Waarde:Q", format=",.2~f"), alt.Tooltip("Stand:Q", format=",.2~f"),
                 alt.Tooltip("Streefwaarde:Q", format=",.2~f")],
    )
    targets = data.dropna(subset=["Streefwaarde"]).drop_duplicates("Indicator")
    rules = alt.Chart(targets).mark_rule(strokeDash=[4, 4]).encode(
        y="Streefwaarde:Q", color=color,
        tooltip=[alt.Tooltip("Indicator:N"), alt.Tooltip("Streefwaarde:Q", format=",.2~f")])
    return _finish(alt.layer(lines, rules), title)


def quarter_charts(report) -> list:
    """The charts of a reports.QuarterReport (the PDF's and the page's): progress per subproject,
    hours per month up to the quarter, budget use against the year elapsed. Empty parts give no
    chart."""
    out = []
    if report.subprojects["Voortgang"].notna().any():
        out.append(progress_chart(report.subprojects))
    if not report.monthly_hours.empty:
        title = f"Uren per maand per deelproject tot en met Q{report.quarter}"
        out.append(hours_per_month(report.monthly_hours, title=title,
                                   codes=report.subprojects["Deelproject"]))
    if report.hours["Budgetgebruik"].notna().any():
        out.append(budget_use_chart(report.hours))
    return out


# -- Begrotingsevaluatie -------------------------------------------------------------------------
WRITTEN_COLOR, FORECAST_COLOR, BUDGET_COLOR = "#2e86c1", "#e67e22", "#c0392b"


def hours_forecast_chart(curve: pd.DataFrame, budget_hours: float,
                         title: str = "Uren cumulatief tegenover het budget"):
    """Cumulative hours (``Geschreven``, solid) and the forecast to 31/12 (``Prognose``, dashed)
    with its band (between ``Prognose laag`` and ``Prognose hoog``), against the budgeted hours
    (a red rule) — evaluation.hours_curve's frame: Datum, Reeks, Uren."""
    data = curve[["Datum", "Reeks", "Uren"]]
    x = alt.X("Datum:T", title="Datum", axis=alt.Axis(format="%b", labelAngle=0))
    y = alt.Y("Uren:Q", title="Uren (cumulatief)")
    series = alt.Scale(domain=["Geschreven", "Prognose"], range=[WRITTEN_COLOR, FORECAST_COLOR])
    tooltip = [alt.Tooltip("Reeks:N"), alt.Tooltip("Datum:T", format="%d/%m/%Y"),
               alt.Tooltip("Uren:Q", format=HOURS_FORMAT)]
    lines = alt.Chart(data[data["Reeks"].isin(["Geschreven", "Prognose"])]).mark_line(
        point=False).encode(
        x=x, y=y, color=alt.Color("Reeks:N", title="Reeks", scale=series),
        strokeDash=alt.StrokeDash("Reeks:N", legend=None, scale=alt.Scale(
            domain=["Geschreven", "Prognose"], range=[[1, 0], [6, 4]])),
        tooltip=tooltip)
    band = data[data["Reeks"].isin(["Prognose laag", "Prognose hoog"])].pivot_table(
        index="Datum", columns="Reeks", values="Uren").reset_index()
    band = band.rename(columns={"Prognose laag": "Laag", "Prognose hoog": "Hoog"})
    for column in ("Laag", "Hoog"):
        if column not in band:
            band[column] = pd.Series(dtype=float)
    area = alt.Chart(band[["Datum", "Laag", "Hoog"]]).mark_area(
        opacity=0.18, color=FORECAST_COLOR).encode(
        x="Datum:T", y="Laag:Q", y2="Hoog:Q",
        tooltip=[alt.Tooltip("Datum:T", format="%d/%m/%Y"),
                 alt.Tooltip("Laag:Q", title="Prognose laag", format=HOURS_FORMAT),
                 alt.Tooltip("Hoog:Q", title="Prognose hoog", format=HOURS_FORMAT)])
    layers = [area, lines]
    if budget_hours > 0:
        marker = pd.DataFrame({"Budget": [float(budget_hours)],
                               "Label": [f"budget: {fmt_number(budget_hours, 0)} uur"]})
        layers.append(alt.Chart(marker).mark_rule(color=BUDGET_COLOR, strokeWidth=2).encode(
            y="Budget:Q", tooltip=[alt.Tooltip("Budget:Q", title="Budget (uren)",
                                               format=HOURS_FORMAT)]))
        layers.append(alt.Chart(marker).mark_text(color=BUDGET_COLOR, align="left", dx=4, dy=-6,
                                                  x=0).encode(y="Budget:Q", text="Label:N"))
    return _finish(alt.layer(*layers), title)


# -- rendering for files -------------------------------------------------------------------------
def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG (vl-convert), with the same Dutch locale as on screen."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(_png_safe(chart.to_dict()), scale=scale,
                               format_locale=DUTCH_FORMAT_LOCALE,
                               time_format_locale=DUTCH_TIME_LOCALE)


# Sheet text vl-convert cannot draw: its SVG holds no control character, and Vega's label
# truncation can cut an emoji (two UTF-16 units) in half, which vl-convert rejects. The PNG is for
# the PDF, whose fonts have no emoji either: those become U+FFFD.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _png_safe(spec):
    from .escaping import xml_text

    if isinstance(spec, str):
        return _ASTRAL.sub("\ufffd", xml_text(spec))
    if isinstance(spec, dict):
        return {_png_safe(k): _png_safe(v) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_png_safe(v) for v in spec]
    return spec
