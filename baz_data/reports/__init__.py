"""View-models of the dashboard pages, shared with the downloads so screen and file always agree.

Each page function takes the Dataset and the page's filters and returns a dataclass of
DataFrames whose column headers are the Dutch words shown in tables (``Deelproject``,
``Voortgang``, ``Vergoed``). Values stay numeric: money in integer cents, hours as float hours,
shares as percentages (0–100), dates as ``datetime.date`` (None when empty). :func:`formatted`
writes them the Belgian way for a table on screen or in the PDF; the Excel export uses
:func:`column_kind` for its number formats. Every figure comes from a rule in metrics.py;
nothing here decides what counts.

One module per concern, imported one way (a page module imports ``columns`` and ``common``,
never the package or another page, except ``week`` -> ``data_quality`` for the new problems
and ``quarter`` -> ``quarter_tables``):

* ``columns``       column kinds and formatting (MONEY, HOURS, …, format_value, formatted)
* ``common``        pieces more than one page uses (action_table, sum_hours, source_label, …)
* ``year_overview`` Overzicht: :func:`overview`
* ``week``          Weekoverleg: :func:`week_report`, :func:`week_options`
* ``data_quality``  Datakwaliteit: :func:`problem_table`, :func:`problem_summary`,
  :func:`new_problems`
* ``partner``       Uren per partner and its statement: :func:`partner_report`
* ``goals``         Doelstellingen: :func:`goals_tree`
* ``quarter``       Kwartaaloverzicht: :func:`quarter_report`; its tables and Totaal rows in
  ``quarter_tables``

This package re-exports the names the rest of the repository uses, so ``reports.overview`` and
``from baz_data.reports import formatted`` work; app_state looks views up by name here.

Error policy: see each module; in short, nothing raises for what the sheets contain (empty
tables, NaN shares shown as '–', Dutch sentences for an empty page). Only a caller's mistake
(an unknown partner code, an unknown severity) raises.
"""
from .columns import (COLUMN_KINDS, COUNT, DATE, HOUR_DECIMALS, HOURS, MONEY, MONTH, NUMBER,
                      PERCENT, PLAIN, TEXT, column_kind, format_value, formatted, hour_decimals,
                      is_missing, styled)
from .common import source_label, source_name, sum_hours
from .data_quality import (PROBLEM_COLUMNS, ProblemSummary, new_problems, problem_summary,
                           problem_table)
from .goals import GoalNode, GoalsTree, SubprojectNode, goals_tree
from .partner import (STATEMENT_COLUMNS, PartnerReport, PartnerTotals, closed_quarters_note,
                      partner_choices, partner_report)
from .quarter import GLOSSARY, QuarterReport, quarter_period_label, quarter_report
from .week import WeekReport, week_label, week_options, week_report
from .year_overview import (OWN_ORGANISATION, PARTNER_MONEY_COLUMNS, PARTNER_PROGRESS_COLUMNS,
                            WHOLE_PROJECT, Overview, Totals, overview)

__all__ = [
    "COLUMN_KINDS", "COUNT", "DATE", "HOUR_DECIMALS", "HOURS", "MONEY", "MONTH", "NUMBER",
    "PERCENT", "PLAIN", "TEXT", "column_kind", "format_value", "formatted", "hour_decimals",
    "is_missing", "styled",
    "source_label", "source_name", "sum_hours",
    "PROBLEM_COLUMNS", "ProblemSummary", "new_problems", "problem_summary", "problem_table",
    "GoalNode", "GoalsTree", "SubprojectNode", "goals_tree",
    "STATEMENT_COLUMNS", "PartnerReport", "PartnerTotals", "closed_quarters_note",
    "partner_choices", "partner_report",
    "GLOSSARY", "QuarterReport", "quarter_period_label", "quarter_report",
    "WeekReport", "week_label", "week_options", "week_report",
    "OWN_ORGANISATION", "PARTNER_MONEY_COLUMNS", "PARTNER_PROGRESS_COLUMNS", "WHOLE_PROJECT",
    "Overview", "Totals", "overview",
]
