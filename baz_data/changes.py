"""What changed between two states of the sheets: pure, from two Datasets.

``compare(old, new, since, until)`` says, for the Weekoverleg's "Wat veranderde" and
``python -m baz_data changes``:

- actions whose status, progress, deadline or responsible changed (old → new), new and removed
  actions (``ACTION_CHANGE_COLUMNS``, ``ACTION_COLUMNS``);
- hour rows added per partner and person (``HOURS_ADDED_COLUMNS``);
- rows added, changed and removed per tab (``TAB_CHANGE_COLUMNS``). Rows are matched by the tab's
  key (schema.Table.key) and otherwise by content, so an edited hour row is one removed and
  one added row;
- alarms (``ALARM_COLUMNS``): rows removed or changed that are dated in a quarter before the one
  of ``until`` — a block of hours deleted by accident in a shared sheet.

Only rows the model holds are compared (rows with errors are out of the totals, so a row that
turns into an error row counts as removed: its hours did vanish from the figures; but see
history.source.changes_between, which compares only differing rows when it can). Apply
access.visible_dataset to both Datasets first and a partner sees only its own hours and budget.

Error policy: none needed; two Datasets always compare (an empty old one: everything is new).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .model import TABLE_ATTRS, Dataset
from .parsing import normalize_code
from .schema import TABLES

ACTION_FIELDS = {"status": "Status", "progress": "Voortgang", "deadline": "Deadline",
                 "owner": "Verantwoordelijke"}
ACTION_CHANGE_COLUMNS = ["id", "title", "field", "old", "new"]
ACTION_COLUMNS = ["id", "title", "status", "owner"]
HOURS_ADDED_COLUMNS = ["partner", "person", "rows", "units"]
TAB_CHANGE_COLUMNS = ["tab", "added", "changed", "removed"]
ALARM_COLUMNS = ["tab", "who", "month", "rows", "units"]
DATED_TABS = {"Uren": "partner", "Uitgaven": "partner", "Metingen": "indicator"}
# Columns derived from others in the model: comparing them again would say nothing new.
_DERIVED = {"row", "year", "quarter", "units", "subproject_of", "staff", "hours_units",
            "computed_amount", "rate_exact", "budget_amount"}


@dataclass
class Changes:
    since: dt.datetime
    until: dt.datetime
    old_taken: dt.datetime | None          # the stored state compared from
    new_taken: dt.datetime | None          # … and to
    history_start: dt.datetime | None      # first snapshot, when it is after ``since``
    action_changes: pd.DataFrame = field(default_factory=lambda: _empty(ACTION_CHANGE_COLUMNS))
    new_actions: pd.DataFrame = field(default_factory=lambda: _empty(ACTION_COLUMNS))
    removed_actions: pd.DataFrame = field(default_factory=lambda: _empty(ACTION_COLUMNS))
    hours_added: pd.DataFrame = field(default_factory=lambda: _empty(HOURS_ADDED_COLUMNS))
    tab_changes: pd.DataFrame = field(default_factory=lambda: _empty(TAB_CHANGE_COLUMNS))
    alarms: pd.DataFrame = field(default_factory=lambda: _empty(ALARM_COLUMNS))

    @property
    def nothing(self) -> bool:
        return not (len(self.action_changes) or len(self.new_actions)
                    or len(self.removed_actions) or len(self.tab_changes))


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _cell_text(v) -> str:
    return "" if v is None or v is pd.NA or v is pd.NaT or v != v else str(v)


def _text(series: pd.Series) -> pd.Series:
    """Each value as text ('' when empty), for shown values (a person, a partner)."""
    return series.astype(object).map(_cell_text)


def _fingerprint(series: pd.Series) -> pd.Series:
    """Each value as text for comparing only: vectorised (a column of 100.000 hour rows in
    milliseconds); every empty value (None, NaN, NaT, NA) reads ''."""
    return series.astype(object).where(series.notna(), "").astype(str)


def _content(frame: pd.DataFrame) -> pd.Series:
    fields = [c for c in frame.columns if c not in _DERIVED]
    out = pd.Series("", index=frame.index, dtype=object)
    for name in fields:
        out = out + "\x1f" + _fingerprint(frame[name])
    return out


def _keys(tab: str, frame: pd.DataFrame) -> pd.Series:
    """The matching key of each row, ``#n`` for the n-th repeat (two equal hour rows are two)."""
    table = TABLES[tab]
    by_name = {c.name: c.field for c in table.columns}
    if table.key:
        key = pd.Series("k", index=frame.index, dtype=object)
        for name in table.key:
            key = key + "\x1f" + _text(frame[by_name[name]]).map(normalize_code)
    else:
        key = "c" + _content(frame)
    return key + "#" + key.groupby(key).cumcount().astype(str)


def _matched(tab: str, old: pd.DataFrame, new: pd.DataFrame):
    old_keys, new_keys = _keys(tab, old), _keys(tab, new)
    added = new[~new_keys.isin(set(old_keys))]
    removed = old[~old_keys.isin(set(new_keys))]
    both = pd.DataFrame({"key": old_keys, "old": _content(old)}).merge(
        pd.DataFrame({"key": new_keys, "new": _content(new)}), on="key")
    changed_keys = set(both.loc[both["old"] != both["new"], "key"])
    changed_old = old[old_keys.isin(changed_keys)]
    return added, removed, changed_old


def _action_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reindex(columns=ACTION_COLUMNS).reset_index(drop=True)


def _value(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _actions(old: pd.DataFrame, new: pd.DataFrame):
    old = old.assign(_k=_text(old["id"]).map(normalize_code)).drop_duplicates("_k")
    new = new.assign(_k=_text(new["id"]).map(normalize_code)).drop_duplicates("_k")
    added = _action_rows(new[~new["_k"].isin(set(old["_k"]))])
    removed = _action_rows(old[~old["_k"].isin(set(new["_k"]))])
    both = old.merge(new, on="_k", suffixes=("_old", "_new"))
    rows = []
    for r in both.itertuples(index=False):
        r = r._asdict()
        for name in ACTION_FIELDS:
            before, after = _value(r[f"{name}_old"]), _value(r[f"{name}_new"])
            if before != after:
                rows.append({"id": r["id_new"], "title": r["title_new"], "field": name,
                             "old": before, "new": after})
    changes = pd.DataFrame(rows, columns=ACTION_CHANGE_COLUMNS) if rows \
        else _empty(ACTION_CHANGE_COLUMNS)
    return changes, added, removed


def _quarter_start(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def compare(old: Dataset | None, new: Dataset, since: dt.datetime, until: dt.datetime,
            old_taken: dt.datetime | None = None, new_taken: dt.datetime | None = None,
            history_start: dt.datetime | None = None) -> Changes:
    result = Changes(since, until, old_taken, new_taken, history_start)
    if old is None:
        return result
    result.action_changes, result.new_actions, result.removed_actions = _actions(
        old.actions, new.actions)
    tabs, alarms = [], []
    cutoff = _quarter_start(until.date())
    for tab, attr in TABLE_ATTRS.items():
        before, after = getattr(old, attr), getattr(new, attr)
        added, removed, changed = _matched(tab, before, after)
        if len(added) or len(removed) or len(changed):
            tabs.append({"tab": tab, "added": len(added), "changed": len(changed),
                         "removed": len(removed)})
        if tab == "Uren" and len(added):
            grouped = (added.assign(person=_text(added["person"]))
                       .groupby(["partner", "person"], sort=True)
                       .agg(rows=("units", "size"), units=("units", "sum")).reset_index())
            result.hours_added = grouped[HOURS_ADDED_COLUMNS]
        if tab in DATED_TABS:
            gone = pd.concat([removed, changed])
            gone = gone[gone["date"] < cutoff]
            if len(gone):
                units = gone["units"] if "units" in gone else pd.Series(0, index=gone.index)
                frame = pd.DataFrame({"tab": tab, "who": _text(gone[DATED_TABS[tab]]),
                                      "month": gone["date"].dt.to_period("M").astype(str),
                                      "units": units.astype("int64")})
                alarms.append(frame.groupby(["tab", "who", "month"], sort=True)
                              .agg(rows=("units", "size"), units=("units", "sum")).reset_index())
    if tabs:
        result.tab_changes = pd.DataFrame(tabs, columns=TAB_CHANGE_COLUMNS)
    if alarms:
        result.alarms = pd.concat(alarms, ignore_index=True)[ALARM_COLUMNS]
    return result
