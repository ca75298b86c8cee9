""""Wat veranderde" for people: Dutch tables, alarm sentences and notices from changes.Changes.

Used by the Weekoverleg page (through ui_history.py) and by ``python -m baz_data changes``
(text and ``--json``), so both say the same. Values stay raw in the tables (reports.styled
writes them the Belgian way); "Was" and "Nu" mix kinds and are written here.

Error policy: none needed (pure formatting of a Changes).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .changes import ACTION_FIELDS, Changes
from .formatting import fmt_date, fmt_datetime, fmt_month, fmt_number, fmt_percent
from .money import HOUR_UNITS

ACTION_CHANGE_HEADERS = ["ID", "Actie", "Wat", "Was", "Nu"]
ACTION_HEADERS = ["ID", "Actie", "Status", "Verantwoordelijke"]
HOURS_ADDED_HEADERS = ["Partner", "Medewerker", "Rijen", "Uren"]
TAB_CHANGE_HEADERS = ["Tabblad", "Nieuw", "Gewijzigd", "Weg"]
_NOUNS = {"Uren": ("urenrij", "urenrijen"), "Uitgaven": ("uitgave", "uitgaven"),
          "Metingen": ("meting", "metingen")}


@dataclass
class ChangesView:
    period: str                        # "van 24/11/2026 00:00 tot 01/12/2026 17:00"
    notices: list[str]                 # history starts later, nothing stored, …
    alarms: list[str]                  # rows of an earlier quarter removed or changed
    action_changes: pd.DataFrame       # ACTION_CHANGE_HEADERS
    new_actions: pd.DataFrame          # ACTION_HEADERS
    removed_actions: pd.DataFrame      # ACTION_HEADERS
    hours_added: pd.DataFrame          # HOURS_ADDED_HEADERS
    tab_changes: pd.DataFrame          # TAB_CHANGE_HEADERS
    nothing: bool


def _shown(field: str, value) -> str:
    if value is None:
        return "–"
    if field == "progress":
        return fmt_percent(float(value))
    if isinstance(value, dt.date):
        return fmt_date(value)
    return str(value)


def _month(text: str) -> str:
    year, month = text.split("-")
    return fmt_month(dt.date(int(year), int(month), 1))


def alarm_sentences(changes: Changes) -> list[str]:
    out = []
    since = fmt_date(changes.old_taken.date()) if changes.old_taken else "het begin"
    for r in changes.alarms.itertuples(index=False):
        one, many = _NOUNS.get(r.tab, ("rij", "rijen"))
        noun = one if r.rows == 1 else many
        hours = f" ({fmt_number(r.units / HOUR_UNITS, 2)} uur)" if r.tab == "Uren" else ""
        who = f" van {r.who}" if r.who else ""
        out.append(f"{r.rows} {noun}{who} uit {_month(r.month)} verdwenen of gewijzigd sinds "
                   f"{since}{hours}")
    return out


def notices(changes: Changes) -> list[str]:
    out = []
    if changes.old_taken is None and changes.history_start is None:
        out.append("Er is nog geen geschiedenis bewaard: ze begint bij de eerste keer dat het "
                   "dashboard de gegevens leest.")
    elif changes.history_start is not None:
        out.append(f"De geschiedenis begint op {fmt_datetime(changes.history_start)}: wat "
                   "eerder veranderde, is niet bewaard.")
    return out


def changes_view(changes: Changes) -> ChangesView:
    ac = changes.action_changes
    action_changes = pd.DataFrame({
        "ID": ac["id"], "Actie": ac["title"], "Wat": ac["field"].map(ACTION_FIELDS),
        "Was": [_shown(f, v) for f, v in zip(ac["field"], ac["old"])],
        "Nu": [_shown(f, v) for f, v in zip(ac["field"], ac["new"])]},
        columns=ACTION_CHANGE_HEADERS)
    action_list = lambda f: f.set_axis(ACTION_HEADERS, axis=1)  # noqa: E731
    hours = changes.hours_added
    hours_added = pd.DataFrame({"Partner": hours["partner"], "Medewerker": hours["person"],
                                "Rijen": hours["rows"],
                                "Uren": hours["units"].astype(float) / HOUR_UNITS},
                               columns=HOURS_ADDED_HEADERS)
    tab_changes = changes.tab_changes.set_axis(TAB_CHANGE_HEADERS, axis=1)
    period = f"van {fmt_datetime(changes.since)} tot {fmt_datetime(changes.until)}"
    return ChangesView(period, notices(changes), alarm_sentences(changes), action_changes,
                       action_list(changes.new_actions), action_list(changes.removed_actions),
                       hours_added, tab_changes, changes.nothing)


def _plain(value):
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def changes_json(changes: Changes) -> dict:
    """The same content as the Weekoverleg block, with the model's English field names."""
    hours = changes.hours_added.assign(hours=changes.hours_added["units"].astype(float)
                                       / HOUR_UNITS)
    moment = lambda m: m.isoformat(timespec="minutes") if m else None  # noqa: E731
    return {
        "since": moment(changes.since), "until": moment(changes.until),
        "compared": {"from": moment(changes.old_taken), "to": moment(changes.new_taken)},
        "history_start": moment(changes.history_start),
        "alarms": [dict(r, message=m) for r, m in zip(_records(changes.alarms),
                                                         alarm_sentences(changes))],
        "action_changes": _records(changes.action_changes),
        "new_actions": _records(changes.new_actions),
        "removed_actions": _records(changes.removed_actions),
        "hours_added": _records(hours.drop(columns=["units"])),
        "tab_changes": _records(changes.tab_changes),
    }


def changes_text(changes: Changes) -> str:
    view = changes_view(changes)
    lines = [f"Wat veranderde {view.period}"]
    lines += [f"Let op: {n}" for n in view.notices]
    lines += [f"ALARM: {a}" for a in view.alarms]
    if view.nothing:
        lines.append("Niets veranderd in deze periode.")
    for title, frame in (("Acties gewijzigd", view.action_changes),
                         ("Nieuwe acties", view.new_actions),
                         ("Verdwenen acties", view.removed_actions),
                         ("Urenrijen erbij", view.hours_added),
                         ("Rijen per tabblad", view.tab_changes)):
        if len(frame):
            shown = frame.copy()
            if "Uren" in shown:
                shown["Uren"] = shown["Uren"].map(lambda v: fmt_number(v, 2))
            lines += ["", f"{title}:", shown.to_string(index=False)]
    return "\n".join(lines)
