"""Charts of the history, in the style of baz_data.charts (frame with Dutch headers → a finished
Altair chart with the Dutch locale).

Error policy: none needed; an empty frame gives an empty chart (pages show a sentence instead).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import HEIGHT, PERCENT_FORMAT, WIDTH, category_colors, with_dutch_locale


def progress_lines(lines: pd.DataFrame, deadlines: pd.DataFrame, by: str = "Deelproject",
                   title: str = "Voortgang per week", codes=None):
    """One line of ``Voortgang`` per ``by`` over the weeks, the plan's deadlines as ticks at 0 %
    in the same colour (tooltip: which action). ``codes``: every code in order, so each gets the
    colour the other charts give it (charts.category_colors; the quarterly PDF)."""
    color = alt.Color(f"{by}:N", title=by)
    if codes is not None:
        colors = category_colors(codes)
        color = alt.Color(f"{by}:N", title=by,
                          scale=alt.Scale(domain=list(colors), range=list(colors.values())))
    line = alt.Chart(lines).mark_line(point=True).encode(
        x=alt.X("Week:T", title="Week", axis=alt.Axis(format="%d/%m", tickCount="week")),
        y=alt.Y("Voortgang:Q", title="Voortgang (%)", scale=alt.Scale(domain=[0, 100])),
        color=color,
        tooltip=[alt.Tooltip("Week:T", format="%d/%m/%Y"), alt.Tooltip(f"{by}:N"),
                 alt.Tooltip("Voortgang:Q", title="Voortgang (%)", format=PERCENT_FORMAT)])
    shown = deadlines
    if len(lines) and len(deadlines):
        shown = deadlines[(deadlines["Deadline"] >= lines["Week"].min() - pd.Timedelta(days=6))
                          & (deadlines["Deadline"] <= lines["Week"].max())
                          & deadlines[by].isin(set(lines[by]))]
    ticks = alt.Chart(shown).mark_tick(thickness=2, size=14).encode(
        x=alt.X("Deadline:T"), y=alt.datum(0), color=color,
        tooltip=[alt.Tooltip("Deadline:T", format="%d/%m/%Y"), alt.Tooltip(f"{by}:N"),
                 alt.Tooltip("Actie:N")])
    return with_dutch_locale(alt.layer(line, ticks).properties(title=title, width=WIDTH,
                                                               height=HEIGHT))
